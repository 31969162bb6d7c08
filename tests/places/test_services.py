import pytest

from foodcommons.core.problems import Gone, InvalidInput, VersionConflict
from foodcommons.places import services
from foodcommons.places.models import Place, PlaceRevision
from tests.conftest import compost

pytestmark = pytest.mark.django_db


def test_creating_a_place_records_version_one_with_the_full_state(staff):
    result = services.create_place(data=compost(), author=staff, comment="seen on site")
    revision = PlaceRevision.objects.get(place=result.place)
    assert (revision.version, revision.action, revision.author, revision.comment) == (1, "create", staff, "seen on site")
    assert revision.state["name"]["nl"] == "Buurtcompost Josaphat"
    assert revision.state["contacts"][1] == {"kind": "phone", "value": "+3222447511", "private": True}


def test_the_commune_is_found_from_the_point():
    place = services.create_place(data=compost()).place
    assert place.commune_id == "21015"


def test_a_place_without_geometry_may_give_its_commune_and_areas_served():
    result = services.create_place(data=compost(geometry=None, address={"commune": "92094"}, areas_served=["92094", "90000"]))
    assert result.place.commune_id == "92094"
    assert result.state["areas_served"] == ["90000", "92094"]


def test_an_update_based_on_the_current_version_makes_the_next_version(make_place):
    place = make_place()
    result = services.update_place(public_id=place.public_id, patch={"status": "temporarily_closed"}, base_version=1)
    assert result.place.version == 2 and result.place.status == "temporarily_closed"
    assert list(PlaceRevision.objects.filter(place=place).values_list("version", "action")) == [(1, "create"), (2, "update")]


def test_an_update_based_on_an_old_version_conflicts_and_changes_nothing(make_place):
    place = make_place()
    services.update_place(public_id=place.public_id, patch={"opening_hours": "Su 10:00-11:00"}, base_version=1)
    with pytest.raises(VersionConflict) as conflict:
        services.update_place(public_id=place.public_id, patch={"status": "closed"}, base_version=1)
    assert conflict.value.status == 409
    assert conflict.value.extra["current"]["version"] == 2
    place.refresh_from_db()
    assert (place.version, place.status, place.opening_hours) == (2, "active", "Su 10:00-11:00")


def test_an_invalid_update_writes_nothing(make_place):
    place = make_place()
    with pytest.raises(InvalidInput):
        services.update_place(public_id=place.public_id, patch={"categories": ["nope"]}, base_version=1)
    assert PlaceRevision.objects.filter(place=place).count() == 1


def test_deleting_is_soft_and_restoring_brings_the_place_back(make_place):
    place = make_place()
    services.delete_place(public_id=place.public_id, comment="closed for good")
    place.refresh_from_db()
    assert place.is_deleted and place.version == 2
    with pytest.raises(Gone):
        services.update_place(public_id=place.public_id, patch={}, base_version=2)
    services.restore_place(public_id=place.public_id)
    place.refresh_from_db()
    assert not place.is_deleted and place.version == 3


def test_reverting_makes_an_old_state_current_as_a_new_revision(make_place):
    place = make_place()
    services.update_place(public_id=place.public_id, patch={"name": {"fr": "Renamed"}}, base_version=1)
    result = services.revert_place(public_id=place.public_id, to_version=1, base_version=2)
    assert result.place.version == 3 and result.place.name_fr == "Compost de quartier Josaphat"
    assert PlaceRevision.objects.get(place=place, version=3).action == "revert"


def test_identifiers_are_never_reused_after_deletion(make_place):
    place = make_place()
    services.delete_place(public_id=place.public_id)
    assert make_place().public_id != place.public_id
    assert Place.objects.filter(public_id=place.public_id).exists()
