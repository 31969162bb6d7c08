"""Decoding of TopoJSON topologies into GeoJSON geometries (pure, no I/O)."""

from collections.abc import Iterator


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy, *_ in arc:
                x += dx
                y += dy
                points.append((round(x * sx + tx, 7), round(y * sy + ty, 7)))
        else:
            points = [(p[0], p[1]) for p in arc]
        arcs.append(points)
    return arcs


def _ring(arc_indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    ring: list[tuple[float, float]] = []
    for index in arc_indexes:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(points[1:] if ring else points)
    return [list(p) for p in ring]


def features(topology: dict, object_name: str) -> Iterator[tuple[dict, dict]]:
    """Yield (properties, GeoJSON geometry) for every geometry of one topology object."""
    arcs = _decode_arcs(topology)
    for geometry in topology["objects"][object_name]["geometries"]:
        kind = geometry["type"]
        if kind == "Polygon":
            coordinates = [_ring(r, arcs) for r in geometry["arcs"]]
        elif kind == "MultiPolygon":
            coordinates = [[_ring(r, arcs) for r in polygon] for polygon in geometry["arcs"]]
        else:
            continue
        yield geometry.get("properties", {}), {"type": kind, "coordinates": coordinates}
