

def test_two_writers_adding_to_the_same_new_cell_both_count_and_an_emptied_cell_goes(db):
    from collections import defaultdict

    from foodcommons.web.aggregates import _apply
    from foodcommons.web.models import MapCell

    key = (5, 16, 10, "food-aid")
    for _ in range(2):  # the second insert meets the first one's row, as a concurrent writer would
        _apply(defaultdict(lambda: [0, 0.0, 0.0], {key: [1, 4.35, 50.85]}))
    cell = MapCell.objects.get(level=5, x=16, y=10, group="food-aid")
    assert (cell.count, round(cell.sum_lon, 2)) == (2, 8.7)
    _apply(defaultdict(lambda: [0, 0.0, 0.0], {key: [-2, -8.7, -101.7]}))
    assert not MapCell.objects.filter(level=5, x=16, y=10, group="food-aid").exists()


def test_the_cells_of_a_point_at_every_level_are_those_of_the_grid():
    from foodcommons.web.aggregates import cells_of
    from foodcommons.web.domain.grid import aggregate_levels, cell_of

    for lon, lat in [(4.3517, 50.8503), (2.5449, 51.0902), (6.4079, 49.4969), (-180.0, 85.1), (179.99, -85.1), (0.0, 0.0)]:
        assert cells_of(lon, lat, aggregate_levels()) == [cell_of(lon, lat, level) for level in aggregate_levels()]


def test_a_bulk_load_counted_from_its_announcements_equals_a_recount(db, django_capture_on_commit_callbacks):
    from foodcommons.places.bulk import bulk_create_places
    from foodcommons.web.aggregates import rebuild_all
    from foodcommons.web.models import MapCell, MapPoint
    from tests.conftest import compost

    inputs = [compost(name={"fr": f"Compost {i}"}, geometry={"type": "Point", "coordinates": [4.30 + i * 0.01, 50.82 + i * 0.005]}) for i in range(7)]
    inputs += [compost(name={"fr": "Fermé"}, status="closed"), compost(name={"fr": "Sans point"}, geometry=None, address={"commune": "21015"})]
    inputs += [compost(name={"fr": "Banque"}, categories=["food-bank"], attributes={}, geometry={"type": "Point", "coordinates": [5.57, 50.63]})]
    with django_capture_on_commit_callbacks(execute=True):
        bulk_create_places(inputs=inputs, batch_size=3)
    kept = sorted(MapCell.objects.values_list("level", "x", "y", "group", "count", "sum_lon", "sum_lat"))
    points = sorted(MapPoint.objects.values_list("place_id", "group"))
    assert len(points) == 8 and {group for _, group in points} == {"compost-recovery", "food-aid"}
    assert rebuild_all() == 8
    recount = sorted(MapCell.objects.values_list("level", "x", "y", "group", "count", "sum_lon", "sum_lat"))
    assert [row[:5] for row in kept] == [row[:5] for row in recount]
    assert all(abs(a[5] - b[5]) < 1e-9 and abs(a[6] - b[6]) < 1e-9 for a, b in zip(kept, recount, strict=True))
    assert points == sorted(MapPoint.objects.values_list("place_id", "group"))
