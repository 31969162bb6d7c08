"""The grid of map cells per zoom level, in Web Mercator (pure, no I/O)."""

import math
from dataclasses import dataclass

# A cell is a quarter of a 256-pixel tile side: clusters about 64 px apart on screen.
LEVEL_OFFSET = 2
# Zooms up to this one are answered from stored aggregates; beyond, from the places themselves.
MAX_AGGREGATE_ZOOM = 13
MAX_ZOOM = 19
MAX_LAT = 85.05112878


def aggregate_levels() -> range:
    """Return the grid levels kept in the aggregate table."""
    return range(LEVEL_OFFSET, MAX_AGGREGATE_ZOOM + LEVEL_OFFSET + 1)


def level_for_zoom(zoom: int) -> int:
    """Return the grid level whose cells cluster a map shown at `zoom`."""
    return zoom + LEVEL_OFFSET


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Return the position of a point in the unit square of Web Mercator (x east, y south)."""
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    x = (lon + 180.0) / 360.0
    s = math.sin(math.radians(lat))
    y = 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)
    return x, y


def cell_of(lon: float, lat: float, level: int) -> tuple[int, int]:
    """Return the (x, y) cell holding a point at a grid level."""
    x, y = mercator(lon, lat)
    n = 1 << level
    return min(n - 1, max(0, int(x * n))), min(n - 1, max(0, int(y * n)))


def cell_range(bbox: tuple[float, float, float, float], level: int) -> tuple[int, int, int, int]:
    """Return the inclusive cell bounds (x0, y0, x1, y1) covering a west,south,east,north box."""
    west, south, east, north = bbox
    x0, y0 = cell_of(west, north, level)
    x1, y1 = cell_of(east, south, level)
    return x0, y0, x1, y1


@dataclass
class Cluster:
    """Places grouped in one cell: how many, where their mean is, and how many per category group."""

    x: int
    y: int
    count: int = 0
    sum_lon: float = 0.0
    sum_lat: float = 0.0
    groups: dict[str, int] | None = None

    def add(self, group: str, count: int, sum_lon: float, sum_lat: float) -> None:
        """Add places of one group to the cluster."""
        self.count += count
        self.sum_lon += sum_lon
        self.sum_lat += sum_lat
        self.groups = self.groups or {}
        self.groups[group] = self.groups.get(group, 0) + count

    def as_dict(self) -> dict:
        """Return the cluster as the map endpoint sends it."""
        return {
            "lon": round(self.sum_lon / self.count, 6),
            "lat": round(self.sum_lat / self.count, 6),
            "count": self.count,
            "groups": dict(sorted((self.groups or {}).items(), key=lambda kv: -kv[1])),
        }


def cluster_points(points, level: int) -> list[Cluster]:
    """Group (lon, lat, group) points into the cells of a level."""
    cells: dict[tuple[int, int], Cluster] = {}
    for lon, lat, group in points:
        key = cell_of(lon, lat, level)
        cluster = cells.get(key) or cells.setdefault(key, Cluster(*key))
        cluster.add(group, 1, lon, lat)
    return list(cells.values())
