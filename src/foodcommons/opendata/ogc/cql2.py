"""CQL2 text filters: parsed by pygeofilter, translated into Django Q objects (no I/O)."""

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache

from django.db.models import Q
from pygeofilter import ast, values
from pygeofilter.parsers.cql2_text import parse as parse_cql2_text
from shapely.geometry import box, shape

from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.opendata.ogc.queryables import GEOMETRY, QUERYABLES, TERRITORY, TEXT

MAX_FILTER_LENGTH = 4000
COMPARISONS = {
    ast.Equal: "exact", ast.LessThan: "lt", ast.LessEqual: "lte", ast.GreaterThan: "gt", ast.GreaterEqual: "gte",
}

# The callers give what needs the database: places in categories, places whose shape meets a geometry.
CategoryCondition = Callable[[list[str]], Q]
SpatialCondition = Callable[[object], Q]


def invalid(reason: str) -> InvalidInput:
    return InvalidInput([FieldError("filter", reason)])


def parse(text: str) -> ast.Node:
    """Parse a CQL2 text expression, or raise InvalidInput."""
    if len(text) > MAX_FILTER_LENGTH:
        raise invalid(f"longer than {MAX_FILTER_LENGTH} characters")
    try:
        return _parsed(text)
    except Exception as error:  # lark raises many kinds; all mean the text is not CQL2 we read
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise invalid(f"not a CQL2 text expression ({message[:200]})") from error


@lru_cache(maxsize=512)
def _parsed(text: str) -> ast.Node:
    # Clients repeat the same few filters; lark's parse costs more than the page's query. The trees are never changed
    # (lift_filters and the translator build new nodes), so one tree can serve every request; failures are not kept.
    return parse_cql2_text(text)


def _conjuncts(node) -> list:
    return [*_conjuncts(node.lhs), *_conjuncts(node.rhs)] if isinstance(node, ast.And) else [node]


def _equality_values(node, names) -> tuple[str, list[str]] | None:
    """Return (name, values) of `name = 'v'` or `name IN ('v', …)` on one of `names`, else None."""
    if isinstance(node, ast.Equal) and isinstance(node.lhs, ast.Attribute) and isinstance(node.rhs, str):
        return (node.lhs.name, [node.rhs]) if node.lhs.name in names else None
    if (isinstance(node, ast.In) and not node.not_ and isinstance(node.lhs, ast.Attribute) and node.lhs.name in names
            and node.sub_nodes and all(isinstance(v, str) for v in node.sub_nodes)):
        return node.lhs.name, list(node.sub_nodes)
    return None


def lift_filters(node, names: dict[str, bool]) -> tuple[dict[str, list[str]], ast.Node | None]:
    """Split the top-level AND of `node` into the equalities that query parameters say the same way, and the rest.

    `names`: the parameters that can take them (name -> whether it takes several values). `category = 'x'`
    then compiles to the very query of `category=x` (and its index), whatever the rest of the filter is.
    """
    lifted: dict[str, list[str]] = {}
    rest = []
    for part in _conjuncts(node):
        found = _equality_values(part, names)
        if found and found[0] not in lifted and (names[found[0]] or len(found[1]) == 1):
            lifted[found[0]] = found[1]
        else:
            rest.append(part)
    remaining = None
    for part in rest:
        remaining = part if remaining is None else ast.And(remaining, part)
    return lifted, remaining


class Translator:
    """Turn a CQL2 AST into a Q over places."""

    def __init__(self, *, in_categories: CategoryCondition, intersecting: SpatialCondition, in_territory: Callable[[str], Q] | None = None):
        self.in_categories, self.intersecting, self.in_territory = in_categories, intersecting, in_territory

    def to_q(self, node) -> Q:
        """Return the Q object equivalent to `node`."""
        if isinstance(node, ast.And):
            return self.to_q(node.lhs) & self.to_q(node.rhs)
        if isinstance(node, ast.Or):
            return self.to_q(node.lhs) | self.to_q(node.rhs)
        if isinstance(node, ast.Not):
            return ~self.to_q(node.sub_node)
        if isinstance(node, ast.GeometryIntersects):
            return self._intersects(node)
        if isinstance(node, tuple(COMPARISONS)):
            return self._compare(node.lhs, COMPARISONS[type(node)], node.rhs)
        if isinstance(node, ast.NotEqual):
            return ~self._compare(node.lhs, "exact", node.rhs)
        if isinstance(node, ast.In):
            q = self._any(node.lhs, "in", list(node.sub_nodes))
            return ~q if node.not_ else q
        if isinstance(node, ast.Between):
            q = self._compare(node.lhs, "gte", node.low) & self._compare(node.lhs, "lte", node.high)
            return ~q if node.not_ else q
        if isinstance(node, ast.Like):
            q = self._any(node.lhs, "iregex" if node.nocase else "regex", like_to_regex(node.pattern, node.wildcard, node.singlechar))
            return ~q if node.not_ else q
        if isinstance(node, ast.IsNull):
            q = self._is_null(node.lhs)
            return ~q if node.not_ else q
        raise invalid(f"{type(node).__name__} is not supported here")

    def _name(self, attribute) -> str:
        if not isinstance(attribute, ast.Attribute):
            raise invalid("the left side of a comparison must be a queryable property")
        if attribute.name not in QUERYABLES:
            raise invalid(f"unknown property '{attribute.name}' (see the queryables)")
        return attribute.name

    def _compare(self, attribute, lookup: str, value) -> Q:
        name = self._name(attribute)
        check_value(name, value)
        if name == "category":
            if lookup != "exact":
                raise invalid("category can only be compared with =, <> or IN")
            return self.in_categories([value])
        if name == TERRITORY:
            return self._territories(lookup, [value])
        return self._any(attribute, lookup, value)

    def _territories(self, lookup: str, codes: list) -> Q:
        if lookup not in ("exact", "in") or self.in_territory is None:
            raise invalid("territory can only be compared with =, <> or IN")
        q = Q()
        for code in codes:
            check_value(TERRITORY, code)
            q |= self.in_territory(code)
        return q

    def _any(self, attribute, lookup: str, value) -> Q:
        name = self._name(attribute)
        if name == "category":
            if lookup != "in":
                raise invalid("category can only be compared with =, <> or IN")
            return self.in_categories([str(v) for v in value])
        if name == TERRITORY:
            return self._territories(lookup, list(value))
        for v in value if lookup == "in" else [value]:
            check_value(name, v)
        if QUERYABLES[name].schema.get("format") == "date-time":
            value = [utc_instant(v) for v in value] if lookup == "in" else utc_instant(value)
        q = Q()
        for column in QUERYABLES[name].columns:
            q |= Q(**{f"{column}__{lookup}": value})
        return q

    def _is_null(self, attribute) -> Q:
        if isinstance(attribute, ast.Attribute) and attribute.name == GEOMETRY:
            return Q(geometry_type="")
        name = self._name(attribute)
        if name == "category":
            raise invalid("every place has a category: category IS NULL is not supported")
        if name == TERRITORY:
            raise invalid("territory IS NULL is not supported (commune IS NULL is)")
        q = Q()
        for column in QUERYABLES[name].columns:
            empty = Q(**{f"{column}__isnull": True})
            q &= empty | Q(**{column: ""}) if QUERYABLES[name].schema == TEXT else empty
        return q

    def _intersects(self, node) -> Q:
        attribute, literal = node.lhs, node.rhs
        if isinstance(attribute, ast.Attribute) is False or attribute.name != GEOMETRY:
            attribute, literal = literal, attribute
        if not isinstance(attribute, ast.Attribute) or attribute.name != GEOMETRY:
            raise invalid("S_INTERSECTS needs the property 'geometry' and a geometry literal")
        return self.intersecting(geometry_of(literal))


def check_value(name: str, value) -> None:
    """Refuse a literal whose type does not fit the queryable (rather than let the database decide)."""
    kind = QUERYABLES[name].schema["type"]
    if kind == "integer" and (not isinstance(value, int) or isinstance(value, bool)):
        raise invalid(f"{name} is compared with an integer")
    if QUERYABLES[name].schema.get("format") == "date-time" and not isinstance(value, (dt.date, dt.datetime)):
        raise invalid(f"{name} is compared with TIMESTAMP('…') or DATE('…')")
    if kind == "string" and QUERYABLES[name].schema.get("format") is None and not isinstance(value, str):
        raise invalid(f"{name} is compared with a 'text' literal")


def utc_instant(value: dt.date | dt.datetime) -> dt.datetime:
    """Return a DATE or TIMESTAMP literal as an aware date-time in UTC, as both databases can store it."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(), dt.UTC)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise invalid("a date-time outside the years 1 to 9999 once in UTC") from None


def geometry_of(literal):
    """Return the shapely geometry of a CQL2 geometry literal (BBOX, ENVELOPE or WKT)."""
    try:
        if isinstance(literal, ast.Function) and literal.name.lower() == "bbox" and len(literal.arguments) in (4, 6):
            args = [float(a) for a in literal.arguments]
            west, south, east, north = (args[0], args[1], args[2], args[3]) if len(args) == 4 else (args[0], args[1], args[3], args[4])
            return box(west, south, east, north)
        if isinstance(literal, values.Envelope):
            return box(literal.x1, literal.y1, literal.x2, literal.y2)
        if isinstance(literal, values.Geometry):
            geometry = shape(literal.geometry)
            if geometry.is_valid and not geometry.is_empty:
                return geometry
    except (TypeError, ValueError, AttributeError):
        pass
    raise invalid("expected a valid geometry: BBOX(w,s,e,n), POINT, LINESTRING, POLYGON or MULTI… in WKT")


def like_to_regex(pattern: str, wildcard: str = "%", singlechar: str = "_") -> str:
    """Return the anchored regular expression of a CQL2 LIKE pattern."""
    out, escaped = [], False
    for char in pattern:
        if escaped:
            out.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == wildcard:
            out.append(".*")
        elif char in (singlechar, "_"):
            out.append(".")
        else:
            out.append(re.escape(char))
    return "^" + "".join(out) + "$"
