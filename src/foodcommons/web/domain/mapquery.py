"""Parsing the state of a map view (viewport and filters) from URL parameters (pure, no I/O)."""

from dataclasses import dataclass

from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.places.domain.query import parse_bbox, parse_near
from foodcommons.web.domain.grid import MAX_AGGREGATE_ZOOM, MAX_ZOOM

BELGIUM_BBOX = (2.5, 49.45, 6.45, 51.55)
MAX_FRESH_DAYS = 3650


@dataclass(frozen=True)
class MapQuery:
    """A validated map view: where to look and which places to keep."""

    bbox: tuple[float, float, float, float] = BELGIUM_BBOX
    zoom: int = 8
    categories: tuple[str, ...] = ()
    territory: str = ""
    text: str = ""
    open_now: bool = False
    attributes: tuple[tuple[str, object], ...] = ()
    fresh_days: int | None = None
    near: tuple[float, float] | None = None

    def aggregates_can_answer(self, top_level: set[str]) -> bool:
        """Tell whether the stored per-cell counts answer this view (only top-level category filters)."""
        plain = not (self.territory or self.text or self.open_now or self.attributes or self.fresh_days)
        return plain and self.zoom <= MAX_AGGREGATE_ZOOM and all(c in top_level for c in self.categories)


def _attribute(raw: str) -> tuple[str, object] | None:
    key, sep, value = raw.partition(":")
    if not sep or not key.strip() or not value.strip():
        return None
    value = value.strip()
    return key.strip(), {"true": True, "false": False}.get(value.lower(), value)


def _int(raw: str | None, name: str, low: int, high: int, errors: list) -> int | None:
    if raw in (None, ""):
        return None
    try:
        number = int(raw)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        errors.append(FieldError(name, f"expected an integer from {low} to {high}"))
        return None
    return number


def parse_map_query(params) -> MapQuery:
    """Validate the parameters of a map view (a Django QueryDict or a dict of lists)."""
    get = params.get
    getlist = params.getlist if hasattr(params, "getlist") else (lambda k: params.get(k) or [])
    errors: list[FieldError] = []
    zoom = _int(get("zoom"), "zoom", 0, MAX_ZOOM, errors)
    fresh = _int(get("fresh"), "fresh", 1, MAX_FRESH_DAYS, errors)
    attributes = []
    for raw in getlist("attr"):
        parsed = _attribute(raw)
        if parsed is None:
            errors.append(FieldError("attr", "expected key:value"))
        else:
            attributes.append(parsed)
    text = (get("q") or "").strip()
    if len(text) > 200:
        errors.append(FieldError("q", "longer than 200 characters"))
    if errors:
        raise InvalidInput(errors)
    return MapQuery(
        bbox=parse_bbox(get("bbox")) if get("bbox") else BELGIUM_BBOX,
        zoom=8 if zoom is None else zoom,
        categories=tuple(c for c in getlist("category") if c),
        territory=(get("territory") or "").strip(),
        text=text,
        open_now=get("open") in ("1", "true", "on"),
        attributes=tuple(attributes),
        fresh_days=fresh,
        near=parse_near(get("near")) if get("near") else None,
    )
