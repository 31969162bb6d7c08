

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
