"""Parsing the state of a map view (viewport, zoom and the query of places it shows) from URL parameters (pure, no I/O)."""

from dataclasses import dataclass, field

from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.places.domain.query import FILTERS, PlaceQuery, parse_filters, parse_near
from foodcommons.web.domain.grid import MAX_AGGREGATE_ZOOM, MAX_ZOOM

BELGIUM_BBOX = (2.5, 49.45, 6.45, 51.55)
# The stored per-cell counts know where each place is and its top-level category, nothing else.
AGGREGATED_FILTERS = {"category"}


@dataclass(frozen=True)
class MapQuery:
    """A validated map view: the viewport, and the query of places it shows (the filters of every search)."""

    places: PlaceQuery = field(default_factory=PlaceQuery)
    bbox: tuple[float, float, float, float] = BELGIUM_BBOX
    zoom: int = 8
    open_now: bool = False
    near: tuple[float, float] | None = None

    @property
    def categories(self) -> tuple[str, ...]:
        return self.places.categories

    @property
    def territory(self) -> str:
        return self.places.territory

    @property
    def text(self) -> str:
        return self.places.text

    @property
    def attributes(self) -> tuple[tuple[str, object], ...]:
        return self.places.attributes

    @property
    def fresh_days(self) -> int | None:
        return self.places.fresh_days

    def in_viewport(self) -> PlaceQuery:
        """Return the query of the places in the viewport."""
        return self.places.with_filters(bbox=self.bbox)

    def aggregates_can_answer(self, top_level: set[str]) -> bool:
        """Tell whether the stored per-cell counts answer this view (only top-level category filters)."""
        plain = not self.open_now and {name for name, _ in self.places.filters} <= AGGREGATED_FILTERS
        return plain and self.zoom <= MAX_AGGREGATE_ZOOM and all(c in top_level for c in self.categories)


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
    try:
        filters = parse_filters({name: getlist(name) for name in FILTERS})
    except InvalidInput as problem:
        errors.extend(problem.errors)
    if errors:
        raise InvalidInput(errors)
    places = PlaceQuery(filters=filters)
    return MapQuery(
        places=places.with_filters(bbox=None),
        bbox=places.bbox or BELGIUM_BBOX,
        zoom=8 if zoom is None else zoom,
        open_now=get("open") in ("1", "true", "on"),
        near=parse_near(get("near")) if get("near") else None,
    )
