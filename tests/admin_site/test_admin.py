import pytest

from foodcommons.places.models import Place, PlaceRevision

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client, django_user_model):
    user = django_user_model.objects.create_superuser("operator", "op@example.org", "a-long-password-123")
    client.force_login(user)
    return client


def test_operators_see_places_with_their_revisions(operator, make_place):
    place = make_place()
    assert operator.get("/admin/places/place/").status_code == 200
    page = operator.get(f"/admin/places/place/{place.pk}/change/")
    assert page.status_code == 200 and b"create" in page.content


def test_the_admin_deletes_softly_through_the_service(operator, make_place):
    place = make_place()
    operator.post("/admin/places/place/", {"action": "soft_delete", "_selected_action": [place.pk]})
    place.refresh_from_db()
    assert place.is_deleted
    assert PlaceRevision.objects.filter(place=place, action="delete").exists()
    assert Place.objects.filter(pk=place.pk).exists()


@pytest.mark.parametrize(
    "path", ["/admin/taxonomy/category/", "/admin/territories/territory/", "/admin/imports/source/", "/admin/territories/territory/21015/change/"]
)
def test_admin_pages_of_categories_territories_and_sources_open(operator, path):
    assert operator.get(path).status_code == 200
