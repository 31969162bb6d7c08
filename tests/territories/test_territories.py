import pytest

from foodcommons.territories import selectors
from foodcommons.territories.models import Territory

pytestmark = pytest.mark.django_db


def test_every_level_of_the_belgian_hierarchy_is_loaded():
    counts = {level: Territory.objects.filter(level=level).count() for level in Territory.Level.values}
    assert counts == {"region": 3, "province": 10, "arrondissement": 43, "commune": 581}


def test_schaerbeek_belongs_to_brussels_arrondissement_and_region():
    assert selectors.ancestors_of("21015") == ["21000", "04000"]
    assert Territory.objects.get(code="21015").name_nl == "Schaarbeek"


def test_a_walloon_commune_sits_under_its_arrondissement_province_and_region():
    assert selectors.ancestors_of("81001") == ["81000", "80000", "03000"]


def test_province_population_is_the_sum_of_its_communes():
    province = Territory.objects.get(code="80000")
    communes = Territory.objects.filter(level="commune", code__in=selectors.commune_codes_within("80000"))
    assert province.population == sum(c.population for c in communes) > 250_000


def test_communes_within_a_region_cover_all_its_communes():
    assert len(selectors.commune_codes_within("04000")) == 19
    assert selectors.commune_codes_within("21015") == ["21015"]
    assert selectors.commune_codes_within("99999") == []


@pytest.mark.parametrize(
    ("lon", "lat", "commune"),
    [(4.3779, 50.8624, "21015"), (5.8167, 49.6833, "81001"), (4.3517, 50.8466, "21004"), (5.5797, 50.6326, "62063")],
)
def test_a_point_is_located_in_the_commune_that_contains_it(lon, lat, commune):
    assert selectors.commune_index().locate(lon, lat) == commune


def test_a_point_outside_belgium_has_no_commune():
    assert selectors.commune_index().locate(2.3522, 48.8566) is None
