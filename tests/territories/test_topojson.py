from foodcommons.territories.topojson import features

TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [1, 1], "translate": [10, 20]},
    "arcs": [[[0, 0], [1, 0], [0, 1]], [[1, 1], [-1, 0], [0, -1]]],
    "objects": {"things": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "arcs": [[0, 1]], "properties": {"nis": "1"}},
        {"type": "Point", "coordinates": [0, 0]},
    ]}},
}


def test_quantized_arcs_are_delta_decoded_and_joined_into_closed_rings():
    [(props, geometry)] = list(features(TOPOLOGY, "things"))
    assert props == {"nis": "1"}
    assert geometry == {"type": "Polygon", "coordinates": [[[10, 20], [11, 20], [11, 21], [10, 21], [10, 20]]]}


def test_reversed_arc_index_walks_the_arc_backwards():
    topology = {**TOPOLOGY, "objects": {"t": {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "arcs": [[~1, ~0]]}]}}}
    [(_, geometry)] = list(features(topology, "t"))
    assert geometry["coordinates"][0][0] == [10, 20]
    assert geometry["coordinates"][0][1] == [10, 21]
