"""Endpoints of the Belgian territories."""

from typing import Literal

from ninja import Router

from foodcommons.api import schemas
from foodcommons.core.problems import NotFound
from foodcommons.core.schemas import ProblemOut
from foodcommons.territories.models import Territory
from foodcommons.territories.selectors import list_territories

router = Router(tags=["territories"])


def _territory(t: Territory) -> dict:
    return {
        "code": t.code,
        "level": t.level,
        "names": t.names,
        "parent": t.parent_id,
        "population": t.population,
        "bbox": [t.min_lon, t.min_lat, t.max_lon, t.max_lat] if t.min_lon is not None else None,
    }


@router.get("", response=list[schemas.TerritoryOut], summary="Regions, provinces, arrondissements and communes")
def territories(request, level: Literal["region", "province", "arrondissement", "commune"] | None = None, parent: str | None = None):
    return [_territory(t) for t in list_territories(level=level, parent=parent)]


@router.get("/{code}", response={200: schemas.TerritoryDetailOut, 404: ProblemOut}, summary="One territory with its boundary")
def territory(request, code: str):
    found = Territory.objects.filter(code=code).first()
    if found is None:
        raise NotFound(f"No territory has the NIS code '{code}'.")
    return {**_territory(found), "geometry": found.geometry}
