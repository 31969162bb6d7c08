"""Point-in-polygon lookup of the commune that contains a point, over an in-memory index."""

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.strtree import STRtree


@dataclass
class CommuneIndex:
    """A spatial index of commune polygons answering 'which commune contains this point?'."""

    codes: list[str]
    tree: STRtree

    @classmethod
    def build(cls, communes: list[tuple[str, dict]]) -> "CommuneIndex":
        """Build the index from (NIS code, GeoJSON geometry) pairs."""
        geometries = [shape(g) for _, g in communes]
        shapely.prepare(geometries)
        return cls(codes=[code for code, _ in communes], tree=STRtree(geometries))

    def locate_many(self, points: list[tuple[float, float]]) -> list[str | None]:
        """Return, for each (lon, lat), the code of the commune that contains it or None."""
        if not points:
            return []
        found: list[str | None] = [None] * len(points)
        geoms = shapely.points(np.asarray(points, dtype=float))
        point_idx, poly_idx = self.tree.query(geoms, predicate="intersects")
        for p, g in zip(point_idx.tolist(), poly_idx.tolist(), strict=True):
            if found[p] is None:
                found[p] = self.codes[g]
        return found

    def locate(self, lon: float, lat: float) -> str | None:
        """Return the code of the commune that contains (lon, lat), or None."""
        return self.locate_many([(lon, lat)])[0]

    def near(self, lon: float, lat: float, degrees: float = 0.02) -> bool:
        """Tell whether (lon, lat) is in a commune or within `degrees` of one (a coast or a border drawn a little inside)."""
        point = shapely.points(lon, lat)
        return bool(len(self.tree.query(point, predicate="dwithin", distance=degrees)))

    def intersecting(self, geometry: dict) -> list[str]:
        """Return the codes of the communes that a GeoJSON geometry intersects."""
        hits = self.tree.query(shape(geometry), predicate="intersects")
        return sorted(self.codes[i] for i in hits.tolist())
