"""Reads of territories: lookups, hierarchy and the commune point index."""

from dataclasses import dataclass

from foodcommons.core.versions import bump, shared_cache
from foodcommons.territories.locate import CommuneIndex
from foodcommons.territories.models import Territory


@shared_cache("territories")
def commune_index() -> CommuneIndex:
    """Return the (cached) point-in-polygon index of all communes."""
    communes = Territory.objects.filter(level=Territory.Level.COMMUNE).values_list("code", "geometry")
    return CommuneIndex.build([(code, geometry) for code, geometry in communes if geometry])


def forget_cached_index() -> None:
    """Give the territories a new version after they changed, so that every process rebuilds what it keeps of them."""
    bump("territories")
    commune_index.cache_clear()
    _table.cache_clear()
    _children.cache_clear()


@dataclass(frozen=True)
class TerritoryInfo:
    """What is kept in memory of a territory: small enough for all 600 of them."""

    code: str
    level: str
    parent: str | None
    names: dict


@shared_cache("territories")
def _table() -> dict[str, TerritoryInfo]:
    rows = Territory.objects.values_list("code", "level", "parent_id", "name_fr", "name_nl", "name_en")
    return {
        code: TerritoryInfo(code, level, parent, {k: v for k, v in (("fr", fr), ("nl", nl), ("en", en)) if v})
        for code, level, parent, fr, nl, en in rows
    }


@shared_cache("territories")
def _children() -> dict[str | None, list[str]]:
    children: dict[str | None, list[str]] = {}
    for code, territory in _table().items():
        children.setdefault(territory.parent, []).append(code)
    return children


def info(code: str) -> TerritoryInfo | None:
    """Return the cached description of a territory, or None."""
    return _table().get(code)


def is_commune(code: str) -> bool:
    """Tell whether `code` is the NIS code of a commune."""
    found = _table().get(code)
    return found is not None and found.level == Territory.Level.COMMUNE


def commune_codes_within(code: str) -> list[str]:
    """Return the codes of the communes inside territory `code` (itself if it is a commune)."""
    if code not in _table():
        return []
    children = _children()
    found, stack = [], [code]
    while stack:
        current = stack.pop()
        if kids := children.get(current):
            stack.extend(kids)
        else:
            found.append(current)
    return sorted(found)


@shared_cache("territories")
def hierarchy() -> tuple[tuple[str, str], ...]:
    """Return every (territory, parent) pair, sorted: what copies of territory chains depend on."""
    return tuple(sorted((code, t.parent or "") for code, t in _table().items()))


def ancestors_of(code: str) -> list[str]:
    """Return the codes of the territories containing `code`, nearest first."""
    table = _table()
    chain, current = [], table[code].parent if code in table else None
    while current:
        chain.append(current)
        current = table[current].parent
    return chain


def territory_exists(code: str) -> bool:
    """Tell whether a territory with this NIS code is known."""
    return code in _table()


def list_territories(*, level: str | None = None, parent: str | None = None):
    """Return territories, optionally of one level or under one parent, without boundaries."""
    qs = Territory.objects.defer("geometry")
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent_id=parent)
    return qs.order_by("code")
