"""No private contact is ever public: every public URL of the site and every file of the dump are read and searched."""

import io
import re
import zipfile

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from foodcommons.collaboration.models import Organisation, PlaceMaintainer
from foodcommons.collaboration.services import suggest_only
from foodcommons.imports.models import Source, SourceRecord
from foodcommons.imports.services import runs as imports
from foodcommons.opendata.dumps import build_dump
from foodcommons.places import services as places
from tests.conftest import compost

pytestmark = pytest.mark.django_db

LANGUAGES = ("fr", "nl", "en")
# Routes the crawl leaves out, with why (the admin, staff behind a login, is left out by route_templates).
NEEDS_MORE_THAN_A_URL = {
    "accounts/password-reset/<uidb64>/<token>": "a one-time reset link of one account; it shows a password form, no place",
}
EXTRA_QUERIES = [
    "/api/places?limit=1000", "/api/places?q=compost", "/api/places.geojson?limit=1000", "/api/places.csv?limit=1000",
    "/api/places?near=4.3779,50.8624&radius=5000", "/api/changes?limit=1000", "/api/changes.atom",
    "/ogc/collections/places/items?limit=1000", "/ogc/collections/places/items?f=json&limit=1000",
    "/map/clusters?bbox=2.5,49.4,6.4,51.6&zoom=18", "/map/clusters?bbox=4.3,50.8,4.5,50.9&zoom=17",
    "/directory?q=compost", "/directory/21015", "/?q=compost",
]

PRIVATE_FROM_THE_START = {"kind": "phone", "value": "02 244 75 11", "private": True}
MADE_PRIVATE_LATER = [{"kind": "email", "value": "withdrawn@example.org"}, {"kind": "phone", "value": "+32 2 555 01 23"}]
# A real Liège number ("04 123 …" is not assigned: the import would drop it, and the fixture then had a phone only
# through a wrong merge of the GASAP into the neighbouring garden, which matching no longer makes).
IMPORTED_PHONE = "04 223 45 67"
ORGANISATION = "commons-keepers"


def needles() -> list[str]:
    """Every spelling of the private values a leak could take (raw, E.164, digits only, e-mail URL-encoded)."""
    found = []
    for phone in (PRIVATE_FROM_THE_START["value"], MADE_PRIVATE_LATER[1]["value"], IMPORTED_PHONE):
        digits = re.sub(r"\D", "", phone)
        national = digits[2:] if digits.startswith("32") else digits.lstrip("0")
        found += [phone, "+32" + national, "32" + national, "0" + national]
    return sorted({*found, "withdrawn@example.org", "withdrawn%40example.org"})


@pytest.fixture
def places_with_secrets(db):
    """Three places: a private phone from the start, contacts made private later, an imported phone made private later."""
    first = places.create_place(data=compost()).place
    later = places.create_place(data=compost(name={"fr": "Potager Josaphat"}, contacts=MADE_PRIVATE_LATER)).place
    places.update_place(public_id=later.public_id, base_version=1,
                        patch={"contacts": [{**c, "private": True} for c in MADE_PRIVATE_LATER] + [{"kind": "website", "value": "https://potager.example.org"}]})
    source = Source.objects.create(slug="gasap-network", name="GASAP network", licence="CC0-1.0", attribution="© GASAP")
    data = ("id;name;type;street;number;postcode;city;lat;lon;email;phone\n"
            f"1;GASAP Josaphat;gasap;Rue Josaphat;12;1030;Schaerbeek;50.8624;4.3780;gasap@example.org;{IMPORTED_PHONE}\n").encode()
    run = imports.import_file(data=data, source=source, file_format="csv")
    assert run.status == "done"
    imported = SourceRecord.objects.get(source=source).place
    contacts = [{**c, "private": c["kind"] == "phone"} for c in imported.contacts]
    assert any(c["private"] for c in contacts), "the import should have given a phone"
    places.update_place(public_id=imported.public_id, base_version=imported.version, patch={"contacts": contacts})
    keepers = Organisation.objects.create(slug=ORGANISATION, name="Commons keepers")
    PlaceMaintainer.objects.create(place=later, organisation=keepers)
    suggest_only(kind="update", public_id=later.public_id, data={"name": {"fr": "Potager Josaphat bis"}}, base_version=2, email="someone@example.org")
    return [first, later, imported]


def route_templates():
    """Return every URL pattern of the site as text, with the admin left out (staff only, behind login)."""
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)
    return sorted({p for p in walk(get_resolver().url_patterns) if not p.startswith("admin/")})


def fill(template: str, values: dict[str, list[str]]) -> list[str]:
    """Return the URLs a route template gives with every known value of its parameters."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", template)
    urls = ["/" + template]
    for name in names:
        urls = [re.sub(rf"<(?:\w+:)?{name}>", value, url, count=1) for url in urls for value in values.get(name, [])]
    return urls


def openapi_templates(client) -> list[str]:
    """Return the GET paths of /api/openapi.json as route templates ({x} written <x>)."""
    paths = client.get("/api/openapi.json").json()["paths"]
    return [re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/")) for path, operations in paths.items() if "get" in operations]


def crawl_urls(client, place_ids: list[str]) -> list[str]:
    from django.contrib.auth import get_user_model

    from foodcommons.collaboration.models import Suggestion
    from foodcommons.collaboration.services import confirmation_token
    from foodcommons.opendata.features import collection_ids
    from foodcommons.places.models import Place

    maintainer = get_user_model().objects.create_user("maintainer", email="maintainer@example.org")

    values = {"place_id": place_ids, "public_id": place_ids, "feature_id": place_ids, "collection_id": collection_ids(),
              "code": ["21015", "04000"], "slug": [ORGANISATION], "suggestion_id": [s.public_id for s in Suggestion.objects.all()],
              "report_id": ["unknown"], "run_id": ["1"], "criterion": ["governance"], "demand_id": ["unknown"],
              "event_id": ["unknown"], "project_id": ["unknown"], "document_id": ["unknown"], "exchange_id": ["unknown"], "number": ["1"],
              "correction_id": ["1"], "candidate_id": ["1"], "token_id": ["1"], "job_id": ["unknown"],
              # What one follows (subscriptions): the follow page and Atom feed of a place name it, never its private contacts.
              "kind": ["place", "territory", "newsletter"], "key": [*place_ids, "21015"],
              # The one-click links of reminder e-mails, signed for a maintainer: what a third party receives.
              "token": ["unknown", *(confirmation_token(place=p, user=maintainer) for p in Place.objects.all())]}
    urls = []
    for template in sorted({*route_templates(), *openapi_templates(client)}):
        if template in NEEDS_MORE_THAN_A_URL:
            continue
        unknown = set(re.findall(r"<(?:\w+:)?(\w+)>", template)) - set(values)
        assert not unknown, f"{template}: tell the crawl what to put in {unknown}, or list the route in NEEDS_MORE_THAN_A_URL with why"
        urls += fill(template, values)
    return urls + EXTRA_QUERIES + [f"/api/places/{pid}.jsonld" for pid in place_ids]


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def leaks(text: str) -> list[str]:
    squeezed = re.sub(r"[\s.\-/()]", "", text)
    return [n for n in needles() if n in text or (re.sub(r"[\s.\-/()]", "", n) in squeezed and len(re.sub(r"\D", "", n)) >= 9)]


def test_no_public_url_shows_a_private_contact_in_any_language(client, places_with_secrets, django_user_model):
    from foodcommons.accounts.tokens import create_token

    reader = create_token(user=django_user_model.objects.create_user("reader"))
    ids = [p.public_id for p in places_with_secrets]
    read, found = 0, {}
    for url in crawl_urls(client, ids):
        for language in LANGUAGES:
            for headers in ({}, {"HTTP_AUTHORIZATION": f"Bearer {reader}"}, {"HTTP_ACCEPT": "application/ld+json"}):
                response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, **headers)
                assert response.status_code < 500, url
                text = body_of(response)
                read += response.status_code == 200
                if hits := leaks(text):
                    found[f"{url} [{language} {sorted(headers)}] {response.status_code}"] = hits
    assert found == {}
    assert read > 200, "the crawl should have read the pages it lists"


def test_the_crawl_sees_public_contacts_and_would_see_a_private_one(client, places_with_secrets):
    later = places_with_secrets[1]
    page = body_of(client.get(f"/places/{later.public_id}", HTTP_ACCEPT_LANGUAGE="fr"))
    assert "potager.example.org" in page, "the public website of the place is shown"
    assert leaks("appelez le +32 2 555 01 23") and leaks("tél. 02/555.01.23") and leaks("withdrawn@example.org")


def test_old_revisions_diffs_and_the_feed_hide_a_contact_made_private_later(client, places_with_secrets):
    later = places_with_secrets[1]
    revisions = client.get(f"/api/places/{later.public_id}/revisions").json()
    assert revisions[0]["state"]["contacts"] == [] and len(revisions) == 2
    history = client.get(f"/api/places/{later.public_id}/history").content.decode()
    assert "withdrawn@example.org" not in history and "potager.example.org" in history
    feed = client.get("/api/changes?limit=1000").json()
    states = [c["state"] for c in feed["changes"] if c["id"] == later.public_id]
    assert len(states) == 2 and all("withdrawn" not in str(s) for s in states)


def test_provenance_withholds_private_contacts_from_what_sources_said(client, places_with_secrets):
    imported = places_with_secrets[2]
    answer = client.get(f"/api/places/{imported.public_id}/provenance").json()
    contacts = [v for claim in answer["fields"]["contacts"] for v in claim["value"]]
    assert {"kind": "email", "value": "gasap@example.org"} in contacts
    assert all(c["kind"] != "phone" for c in contacts)


def test_writers_still_see_the_private_contacts_of_a_place(api, places_with_secrets):
    first = places_with_secrets[0]
    contacts = api.get(f"/api/places/{first.public_id}").json()["contacts"]
    assert {"kind": "phone", "value": "+3222447511", "private": True} in contacts


def test_no_file_of_the_dump_holds_a_private_contact(settings, tmp_path, places_with_secrets):
    settings.DATA_DIR = tmp_path
    dump = build_dump(base_url="http://testserver")
    with zipfile.ZipFile(io.BytesIO(dump.path.read_bytes())) as archive:
        names = archive.namelist()
        texts = {name: archive.read(name).decode("utf-8", "replace") for name in names}
    assert any("potager.example.org" in text for text in texts.values()), "the dump holds the public contacts"
    assert {name: leaks(text) for name, text in texts.items() if leaks(text)} == {}


def test_a_contact_private_now_is_withheld_from_old_states_however_it_was_spelled_then():
    from foodcommons.places.domain.privacy import private_keys, published_state

    now = private_keys([{"kind": "phone", "value": "+3225550123", "private": True}, {"kind": "email", "value": "Withdrawn@example.org", "private": True},
                        {"kind": "website", "value": "https://potager.example.org/", "private": True}])
    old = {"contacts": [{"kind": "phone", "value": "02 555 01 23"}, {"kind": "email", "value": "withdrawn@EXAMPLE.org"},
                        {"kind": "website", "value": "potager.example.org"}, {"kind": "email", "value": "still@example.org"},
                        {"kind": "phone", "value": "02 244 75 11", "private": True}]}
    assert published_state(old, now)["contacts"] == [{"kind": "email", "value": "still@example.org", "private": False}]
    assert published_state(old, now, include_private=True) == old
