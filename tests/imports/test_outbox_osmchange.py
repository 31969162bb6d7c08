"""Corrections of an OpenStreetMap-sourced list flow back as an osmChange file a mapper reviews and uploads (read back by osmium)."""

import json
import xml.etree.ElementTree as ET

import osmium
import pytest

from foodcommons.accounts.tokens import create_token
from foodcommons.collaboration.models import Membership, Organisation
from foodcommons.imports.models import Correction, Source
from foodcommons.imports.services import runs
from foodcommons.places import services as places
from foodcommons.places.models import Place

pytestmark = pytest.mark.django_db

NODE_TAGS = {"name": "Ferme du Chenoy", "shop": "farm", "opening_hours": "Mo 10:00-12:00", "contact:phone": "+32 10 22 33 44",
             "addr:street": "Rue du Chenoy", "addr:housenumber": "3", "organic": "yes"}
WAY_XML = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <node id="1" version="1" lat="50.8000" lon="4.3000"/><node id="2" version="1" lat="50.8000" lon="4.3010"/>
  <node id="3" version="1" lat="50.8010" lon="4.3010"/>
  <way id="77" version="9">
    <nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/>
    <tag k="landuse" v="allotments"/><tag k="name" v="Potager des Tilleuls"/>
  </way>
</osm>"""


@pytest.fixture
def network():
    return Organisation.objects.create(slug="mappers", name="Mappers of Brabant")


@pytest.fixture
def osm(network):
    return Source.objects.create(slug="osm", name="OpenStreetMap", licence="ODbL-1.0", attribution="© OpenStreetMap", organisation=network)


@pytest.fixture
def editor(client, django_user_model, network):
    user = django_user_model.objects.create_user("mia")
    Membership.objects.create(organisation=network, user=user, role="editor")
    client.force_login(user)
    return user


@pytest.fixture
def volunteer(django_user_model):
    return django_user_model.objects.create_user("vera")


def import_overpass(osm, tags=NODE_TAGS, version=4):
    element = {"type": "node", "id": 123, "lat": 50.71, "lon": 4.61, "tags": tags, **({"version": version} if version else {})}
    runs.import_file(data=json.dumps({"elements": [element]}).encode(), source=osm, file_format="osm")


def correct(volunteer, **patch) -> Place:
    place = Place.objects.get()
    places.update_place(public_id=place.public_id, patch=patch, base_version=place.version, author=volunteer, comment="Seen on site")
    return Place.objects.get()


def read_back(document: bytes) -> list:
    """Read an osmChange document with osmium: (kind, id, version, visible, tags, location or node refs) per object."""
    read = []
    for obj in osmium.FileProcessor(osmium.io.FileBuffer(document, "osc")):
        where = (round(obj.location.lon, 7), round(obj.location.lat, 7)) if obj.is_node() else [n.ref for n in obj.nodes]
        read.append((obj.type_str(), obj.id, obj.version, obj.visible, dict(obj.tags), where))
    return read


def actions(document: bytes) -> list[tuple[str, str]]:
    root = ET.fromstring(document)
    assert (root.tag, root.get("version")) == ("osmChange", "0.6")
    return [(action.tag, element.tag) for action in root for element in action]


def test_corrected_tags_and_a_moved_node_export_as_a_modify_of_the_object_at_its_version(client, editor, osm, volunteer):
    import_overpass(osm)
    place = correct(volunteer, opening_hours="Sa 09:00-12:00")
    correct(volunteer, contacts=[{"kind": "phone", "value": "+3210556677"}], geometry={"type": "Point", "coordinates": [4.6123, 50.7101]})
    answer = client.get("/imports/sources/osm/outbox?format=osc")
    assert answer.status_code == 200 and answer["Content-Disposition"].endswith('corrections.osc"')
    assert actions(answer.content) == [("modify", "node")]
    ((kind, number, version, visible, tags, where),) = read_back(answer.content)
    assert (kind, number, version, visible, where) == ("n", 123, 4, True, (4.6123, 50.7101))
    # The whole set of tags, the phone in the tag it was read from, the other tags as the object had them.
    assert tags == {**NODE_TAGS, "opening_hours": "Sa 09:00-12:00", "contact:phone": "+3210556677"}
    assert Correction.objects.filter(place=place, status="open").count() == 3
    page = client.get("/imports/sources/osm/outbox", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "3 corrections peuvent aller dans un fichier osmChange" in page and 'href="?format=osc"' in page


def test_a_way_keeps_its_nodes_in_order_at_its_version(client, editor, osm, volunteer):
    runs.import_file(data=WAY_XML.encode(), source=osm, file_format="osm")
    correct(volunteer, name={"fr": "Potager des Tilleuls d'Evere"})
    ((kind, number, version, _visible, tags, nodes),) = read_back(client.get("/imports/sources/osm/outbox?format=osc").content)
    assert (kind, number, version, nodes) == ("w", 77, 9, [1, 2, 3, 1])
    assert tags == {"landuse": "allotments", "name": "Potager des Tilleuls d'Evere"}


def test_a_value_people_removed_removes_its_tag_and_a_changed_address_changes_only_its_part(client, editor, osm, volunteer):
    import_overpass(osm)
    correct(volunteer, opening_hours="", address={"street": "Rue du Chenoy", "house_number": "5"})
    ((_k, _n, _version, _v, tags, _w),) = read_back(client.get("/imports/sources/osm/outbox?format=osc").content)
    assert tags == {**{k: v for k, v in NODE_TAGS.items() if k != "opening_hours"}, "addr:housenumber": "5"}


def test_the_api_gives_the_same_osmchange_and_the_geojson_to_the_source_s_maintainers_only(client, editor, osm, volunteer, django_user_model):
    import_overpass(osm)
    correct(volunteer, opening_hours="Sa 09:00-12:00")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(user=editor)}"}
    answer = client.get("/api/sources/osm/outbox.osc", **headers)
    assert answer.status_code == 200 and answer["X-Corrections-Carried"] == "1" and answer["X-Corrections-Left-Out"] == "0"
    assert read_back(answer.content)[0][4]["opening_hours"] == "Sa 09:00-12:00"
    (feature,) = json.loads(client.get("/api/sources/osm/outbox.geojson", **headers).content)["features"]
    assert feature["properties"]["osm"] == "https://www.openstreetmap.org/node/123"
    assert feature["properties"]["suggested_tags"] == {"opening_hours": "Sa 09:00-12:00"}
    stranger = django_user_model.objects.create_user("otto")
    assert client.get("/api/sources/osm/outbox.osc", HTTP_AUTHORIZATION=f"Bearer {create_token(user=stranger)}").status_code == 403


def test_an_export_without_versions_leaves_the_object_out_and_the_page_says_why_in_dutch(client, editor, osm, volunteer):
    import_overpass(osm, version=None)
    correct(volunteer, opening_hours="Sa 09:00-12:00")
    assert actions(client.get("/imports/sources/osm/outbox?format=osc").content) == []
    page = client.get("/imports/sources/osm/outbox", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "osmChange" in page and "out meta" in page and "Ferme du Chenoy" in page
    assert "the import did not know" not in page  # the reason is in Dutch


def test_a_phone_people_only_made_private_is_not_removed_from_openstreetmap(client, editor, osm, volunteer):
    import_overpass(osm)
    place = Place.objects.get()
    private_email = {"kind": "email", "value": "chenoy@example.org", "private": True}
    correct(volunteer, contacts=[{**c, "private": True} for c in place.contacts] + [private_email])
    assert Correction.objects.get(field="contacts").new_value == []  # what the outbox may show: nothing private
    assert actions(client.get("/imports/sources/osm/outbox?format=osc").content) == []


def test_a_re_import_of_a_newer_version_is_what_the_next_export_modifies(client, editor, osm, volunteer):
    import_overpass(osm)
    correct(volunteer, opening_hours="Sa 09:00-12:00")
    import_overpass(osm, tags={**NODE_TAGS, "organic": "only"}, version=5)  # someone edited another tag on OpenStreetMap
    ((_k, _n, version, _v, tags, _w),) = read_back(client.get("/imports/sources/osm/outbox?format=osc").content)
    assert version == 5 and tags["organic"] == "only" and tags["opening_hours"] == "Sa 09:00-12:00"
