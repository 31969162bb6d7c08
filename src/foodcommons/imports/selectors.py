"""Reads of sources, runs, review candidates, the matching view of places, and the provenance and origins of values."""

import csv
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from importlib import resources

from django.db.models import F
from django.utils import timezone

from foodcommons.core.problems import NotFound
from foodcommons.imports.domain import matching, osm_tags
from foodcommons.imports.domain.blocking import coarse_sources, groups_of
from foodcommons.imports.domain.names import Vocabulary
from foodcommons.imports.domain.origins import field_origins
from foodcommons.imports.domain.provenance import Claim, current_values, same, tracked_fields
from foodcommons.imports.models import Correction, FieldClaim, ImportRun, MatchCandidate, Source, SourceRecord
from foodcommons.places.domain.privacy import contact_key, private_keys, published_claim_value
from foodcommons.places.models import Place, PlaceRevision
from foodcommons.places.services import current_state


def due_sources() -> list[Source]:
    """Return the URL sources whose schedule says they should be imported again now."""
    now = timezone.now()
    due = []
    for source in Source.objects.filter(schedule_hours__isnull=False).exclude(location=""):
        if source.location.startswith(("http://", "https://")) and (
            source.last_run_at is None or source.last_run_at + timedelta(hours=source.schedule_hours) <= now
        ):
            due.append(source)
    return due


def last_done_run(source: Source) -> ImportRun | None:
    """Return the latest run into `source` that was written (neither a dry run, nor failed, nor reverted)."""
    return ImportRun.objects.filter(source=source, status=ImportRun.Status.DONE).order_by("-started_at", "-id").first()


def run_summary(run: ImportRun) -> str:
    """Return a human-readable report of a run: counts, then each decision worth a look and each error."""
    lines = [f"Run {run.pk} of {run.source.slug} ({run.status}" + (", nothing was written" if run.status == "dry_run" else "") + ")"]
    lines.append("  " + ", ".join(f"{k}: {v}" for k, v in run.counts.items()))
    for decision in run.decisions:
        if decision["action"] in ("merged", "review", "flagged") or run.status == "dry_run":
            why = f" score {decision['score']}: {'; '.join(decision['reasons'])}" if decision.get("reasons") else ""
            lines.append(f"  {decision['action']:9} row {decision['row']} {decision['external_id']} -> {decision['place']}{why}")
    for notice in run.notices:
        fix = f" -> {notice['fix']}" if notice.get("fix") else ""
        lines.append(f"  {notice['outcome']:9} row {notice['row']} {notice['field']} '{notice['value']}': {notice['code'].replace('_', ' ')}{fix}")
    for error in run.errors:
        lines.append(f"  error row {error['row']} {error['field']}: {error['reason']}")
    return "\n".join(lines)


def get_run(run_id: int) -> ImportRun:
    """Return one import run or raise NotFound."""
    run = ImportRun.objects.select_related("source").filter(pk=run_id).first()
    if run is None:
        raise NotFound(f"No import run {run_id}.")
    return run


def missing_records(limit: int = 500) -> list[SourceRecord]:
    """Return the records their source no longer lists, flagged for review."""
    return list(SourceRecord.objects.filter(missing_since__isnull=False, place__isnull=False).select_related("source", "place")[:limit])


def place_provenance(public_id: str) -> dict:
    """Return, for each field of a place, which sources gave which value and when, and which one is published."""
    place = Place.objects.filter(public_id=public_id).first()
    if place is None:
        raise NotFound(f"No place has the identifier '{public_id}'.")
    withheld = private_keys(place.contacts)
    current = current_values(current_state(place) or {})
    fields: dict[str, list[dict]] = {}
    for claim in latest_claims(place_claims(place, with_records=True)):
        source = claim.source
        fields.setdefault(claim.field, []).append({
            "source": source.slug if source else None,
            "source_name": source.name if source else "contributors",
            "external_id": claim.record.external_id if claim.record else None,
            "licence": source.licence if source else place.licence,
            "attribution": source.attribution if source else "",
            "value": published_claim_value(claim.field, claim.value, withheld),
            "observed_at": claim.observed_at.isoformat(),
            "published": same(claim.value, current.get(claim.field)),
        })
    for name in current:
        if not any(c["published"] for c in fields.get(name, [])):
            fields.setdefault(name, []).append({"source": None, "source_name": "contributors", "external_id": None, "licence": place.licence,
                                                "attribution": "", "value": published_claim_value(name, current[name], withheld), "observed_at": None,
                                                "published": True})
    return {"id": place.public_id, "fields": fields}


def place_claims(place: Place, *, with_records: bool = False) -> list[FieldClaim]:
    """Return every claim on the fields of a place, oldest first, with its source (and its record if asked)."""
    related = ("source", "record") if with_records else ("source",)
    return list(FieldClaim.objects.filter(place=place).select_related(*related).order_by("observed_at", "id"))


def latest_claims(claims: list[FieldClaim]) -> list[FieldClaim]:
    """Return the latest of the given claims (oldest first) for each field and source (people count as one source)."""
    latest: dict[tuple[str, int | None], FieldClaim] = {}
    for claim in claims:
        latest[(claim.field, claim.source_id)] = claim
    return list(latest.values())


def claims_of(place: Place) -> tuple[dict[str, list[Claim]], dict[str, list]]:
    """Return the latest claim of each source (and of people) for each field of a place, and every value ever claimed."""
    return _claims_and_values(place_claims(place))


def _claims_and_values(claims: list[FieldClaim]) -> tuple[dict[str, list[Claim]], dict[str, list]]:
    ever: dict[str, list] = defaultdict(list)
    for claim in claims:
        ever[claim.field].append(claim.value)
    found: dict[str, list[Claim]] = defaultdict(list)
    for claim in latest_claims(claims):
        source = claim.source
        found[claim.field].append(Claim(source.slug if source else None, claim.value, claim.observed_at,
                                        source.priority if source else 0, source.overrides_people if source else False))
    return found, ever


def claims_of_places(place_ids: list[int]) -> dict[int, tuple[dict[str, list[Claim]], dict[str, list]]]:
    """Return claims_of for many places at once: plain rows, one query per 2,000 places (no model per claim)."""
    sources = {pk: (slug, priority, overrides) for pk, slug, priority, overrides in Source.objects.values_list("pk", "slug", "priority", "overrides_people")}
    ever: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    latest: dict[int, dict[tuple[str, int | None], Claim]] = defaultdict(dict)
    for start in range(0, len(place_ids), 2000):
        rows = FieldClaim.objects.filter(place_id__in=place_ids[start:start + 2000]).order_by("observed_at", "id").values_list(
            "place_id", "field", "source_id", "value", "observed_at")
        for place_id, name, source_id, value, observed_at in rows:
            ever[place_id][name].append(value)
            slug, priority, overrides = sources[source_id] if source_id is not None else (None, 0, False)
            latest[place_id][(name, source_id)] = Claim(slug, value, observed_at, priority, overrides)
    found = {}
    for place_id, claims in latest.items():
        by_field: dict[str, list[Claim]] = defaultdict(list)
        for (name, _source), claim in claims.items():
            by_field[name].append(claim)
        found[place_id] = (by_field, ever[place_id])
    return found


def current_states(place_ids: list[int]) -> dict[int, dict]:
    """Return the state of each of many places, as its last revision recorded it (one query per 2,000 places)."""
    states: dict[int, dict] = {}
    for start in range(0, len(place_ids), 2000):
        revisions = PlaceRevision.objects.filter(place_id__in=place_ids[start:start + 2000], version=F("place__version"))
        states.update(revisions.values_list("place_id", "state"))
    return states


def place_origins(*, place: Place, include_private: bool = False) -> dict[str, dict]:
    """Return, for each field of a place that has claims, where its published value comes from and what other sources say."""
    latest = latest_claims(place_claims(place, with_records=True))
    if not latest:
        return {}
    state = current_state(place) or {}
    return field_origins(claims=[_origin(c) for c in latest], current=current_values(state), licence=place.licence,
                         withheld=private_keys(state.get("contacts")), include_private=include_private)


def _origin(claim: FieldClaim) -> dict:
    source: Source | None = claim.source
    return {"field": claim.field, "source": source.slug if source else None, "source_name": source.name if source else None,
            "licence": source.licence if source else "", "attribution": source.attribution if source else "",
            "external_id": claim.record.external_id if claim.record else None, "observed_at": claim.observed_at, "value": claim.value,
            "priority": source.priority if source else 0, "overrides_people": source.overrides_people if source else False}


def place_sources(*, place: Place) -> list[Source]:
    """Return the sources that gave values to a place (each once)."""
    ids = FieldClaim.objects.filter(place=place, source__isnull=False).values_list("source_id", flat=True).distinct()
    return list(Source.objects.filter(pk__in=ids).order_by("name"))


def kept_apart_pairs() -> set[tuple[int, int]]:
    """Return the pairs of places a reviewer said are not the same actor."""
    return set(MatchCandidate.objects.filter(status=MatchCandidate.Status.KEPT_APART).values_list("place_a_id", "place_b_id"))


def decided_pairs() -> set[tuple[int, int]]:
    """Return the pairs of places already proposed as duplicates (pending or decided)."""
    return set(MatchCandidate.objects.values_list("place_a_id", "place_b_id"))


@cache
def matching_vocabulary() -> Vocabulary:
    """Return the place names (Belgian communes, in French and Dutch, and localities) and Brussels street names (Dutch →
    French) matching reads names with.

    From the territories app's embedded data files (read once per process).
    """
    data = resources.files("foodcommons.territories").joinpath("data")
    with data.joinpath("gazetteer-localities.csv").open(encoding="utf-8") as f:
        places = {row["name"] for row in csv.DictReader(f)}
    communes = json.loads(data.joinpath("belgium.json").read_text(encoding="utf-8"))["objects"]["municipalities"]["geometries"]
    places.update(c["properties"][k] for c in communes for k in ("name_fr", "name_nl") if c["properties"].get(k))
    with data.joinpath("brussels_streets.tsv").open(encoding="utf-8") as f:
        streets = [(row["nl"], row["fr"]) for row in csv.DictReader(f, delimiter="\t")]
    with data.joinpath("gazetteer-brussels-streets.csv").open(encoding="utf-8") as f:
        streets += [(row["nl"], row["fr"]) for row in csv.DictReader(f)]
    return Vocabulary.of(places=places, streets=streets)


def existing_index(tree) -> matching.Index:
    """Return the blocking index of every live place (the matching view of each)."""
    index = matching.Index()
    vocabulary = matching_vocabulary()
    sources = defaultdict(set)
    for place_id, slug in SourceRecord.objects.filter(place__isnull=False).values_list("place_id", "source__slug"):
        sources[place_id].add(slug)
    categories = defaultdict(list)
    for place_id, slug in Place.categories.through.objects.values_list("place_id", "category__slug"):
        categories[place_id].append(slug)
    columns = ("pk", "name_fr", "name_nl", "name_en", "lon", "lat", "street", "house_number", "postcode", "locality", "contacts")
    rows = list(Place.objects.filter(deleted_at__isnull=True).values_list(*columns))
    def on(points: set) -> set[int]:
        return {row[0] for row in rows if row[4] is not None and row[5] is not None and (round(row[4], 5), round(row[5], 5)) in points}

    at_centroid = on(matching.shared_points((row[4], row[5]) for row in rows))
    coarse = coarse_sources(sources, on(matching.shared_points(((row[4], row[5]) for row in rows), at_least=2)))
    group = groups_of(tree)
    for pk, fr, nl, en, lon, lat, street, number, postcode, locality, contacts in rows:
        slugs = categories.get(pk, [])
        weak = pk in at_centroid or (bool(sources.get(pk)) and sources[pk] <= coarse)
        index.add(matching.entity(pk, name=fr or nl or en, lon=lon, lat=lat, street=street, house_number=number, postcode=postcode,
                                  locality=locality, contacts=contacts or [], categories=slugs,
                                  groups={group(s) for s in slugs}, sources=sources.get(pk, ()), weak_location=weak,
                                  vocabulary=vocabulary))
    return index


def problems_table(run: ImportRun, describe) -> tuple[list[str], list[list[str]]]:
    """Return the columns and rows of a run's rows with problems: the source's own columns, then what is wrong with each.

    `describe` turns one error or notice into a sentence (in the reader's language).
    """
    columns: dict[str, None] = {}
    for kept in run.problem_rows:
        columns.update(dict.fromkeys(column for column, _value in kept["cells"]))
    said = defaultdict(list)
    for item in [*run.errors, *run.notices]:
        if item.get("row") is not None:
            said[item["row"]].append(describe(item))
    rows = []
    for kept in run.problem_rows:
        cells = dict(kept["cells"])
        rows.append([cells.get(c, "") for c in columns] + [str(kept["row"]), "; ".join(said[kept["row"]])])
    return list(columns), rows


def latest_source_claims(place_id: int) -> dict[tuple[int, str], FieldClaim]:
    """Return the latest claim of each (source, field) of a place, sources only (not people)."""
    latest: dict[tuple[int, str], FieldClaim] = {}
    for claim in FieldClaim.objects.filter(place_id=place_id, source__isnull=False).order_by("observed_at", "id"):
        latest[(claim.source_id, claim.field)] = claim
    return latest


def previous_state(place: Place) -> dict | None:
    """Return the state of a place before its latest revision (None for a new place)."""
    return PlaceRevision.objects.filter(place=place, version=place.version - 1).values_list("state", flat=True).first()


def corrected_places(source: Source) -> set[int]:
    """Return the places that have an open correction for `source` (what a re-import compares)."""
    return set(Correction.objects.filter(source=source, status=Correction.Status.OPEN).values_list("place_id", flat=True))


def outbox(source: Source, *, open_only: bool = False, limit: int = 1000) -> list[Correction]:
    """Return a source's corrections, open ones (conflicts first) then the settled ones, newest first."""
    corrections = Correction.objects.filter(source=source).select_related("place", "record", "author", "decided_by")
    if open_only:
        corrections = corrections.filter(status=Correction.Status.OPEN)
    found = list(corrections[:limit])
    return sorted(found, key=lambda c: (c.status != Correction.Status.OPEN, c.conflict is None))


def side_by_side(candidates: list[MatchCandidate]) -> list[dict]:
    """Return, per pair, its tracked fields with both values and whether they differ, and the distance between the points."""
    states = {p.pk: current_state(p) or {} for c in candidates for p in (c.place_a, c.place_b)}
    compared = []
    for candidate in candidates:
        a, b = current_values(states[candidate.place_a_id]), current_values(states[candidate.place_b_id])
        rows = [{"field": name, "a": a.get(name), "b": b.get(name), "differs": not same(a.get(name), b.get(name))}
                for name in tracked_fields_in_order() if a.get(name) is not None or b.get(name) is not None]
        points = [_point(a.get("geometry")), _point(b.get("geometry"))]
        compared.append({"candidate": candidate, "rows": rows, "metres": _metres(a.get("geometry"), b.get("geometry")),
                         "points": points if all(points) else None})
    return compared


def tracked_fields_in_order() -> list[str]:
    """Return the tracked fields in the order a person compares two places."""
    return tracked_fields()


def _point(geometry) -> tuple[float, float] | None:
    # What the pair's small map shows of each place: a point (lon, lat), or none for an area or no location.
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        lon, lat = geometry["coordinates"][:2]
        return float(lon), float(lat)
    return None


def _metres(a, b) -> int | None:
    if not (isinstance(a, dict) and isinstance(b, dict) and a.get("type") == b.get("type") == "Point"):
        return None
    (lon_a, lat_a), (lon_b, lat_b) = a["coordinates"][:2], b["coordinates"][:2]
    x = math.radians(lon_b - lon_a) * math.cos(math.radians((lat_a + lat_b) / 2))
    return round(6_371_000 * math.hypot(x, math.radians(lat_b - lat_a)))


def place_point(place: Place) -> dict | None:
    """Return the point of a place as GeoJSON, from its last revision (None when it has none)."""
    geometry = (current_state(place) or {}).get("geometry")
    return geometry if isinstance(geometry, dict) and geometry.get("type") == "Point" else None


def outbox_geojson(source: Source) -> dict:
    """Return the open corrections as GeoJSON for mappers: one feature per correction at the place, with its OSM object and tags."""
    features = []
    for c in outbox(source, open_only=True, limit=100_000):
        external_id = c.record.external_id if c.record else ""
        point = c.new_value if c.field == "geometry" else place_point(c.place)
        features.append({"type": "Feature", "geometry": point, "properties": {
            "id": external_id, "osm": osm_tags.osm_url(external_id), "name": c.place.display_name(), "field": c.field,
            "value_in_the_list": c.source_value, "corrected_value": c.new_value, "suggested_tags": osm_tags.suggested_tags(c.field, c.new_value),
            "by": c.author.username if c.author else "", "on": c.updated_at.date().isoformat(), "why": c.comment,
        }})
    return {"type": "FeatureCollection", "features": features}


@dataclass
class OsmChangeExport:
    """The open corrections of a source as an osmChange document, and those it could not carry, with why."""

    document: bytes
    objects: int
    corrections: int
    left_out: list[tuple[Correction, str]]  # (correction, reason code of osm_tags: no_object, no_version, no_tag, …)


def osmchange_export(source: Source) -> OsmChangeExport:
    """Return the open corrections of an OSM-sourced list as one <modify> per object (its version and whole tags)."""
    changes: dict[str, osm_tags.Change] = {}
    left_out: list[tuple[Correction, str]] = []
    carried = 0
    for c in open_corrections(source):
        target = osm_tags.OsmObject.from_record((c.record.data if c.record else {}).get("osm"))
        reason = "no_object" if target is None else target.missing()
        if reason:
            left_out.append((c, reason))
            continue
        key = f"{target.kind}/{target.id}"
        change = changes.setdefault(key, osm_tags.Change(target))
        if change.apply(c.field, c.source_value, _kept_private(c)):
            carried += 1
        else:
            left_out.append((c, "no_tag"))
    kept = [change for change in changes.values() if change.tags or change.point]
    return OsmChangeExport(osm_tags.osmchange(kept), len(kept), carried, left_out)


def open_corrections(source: Source) -> list[Correction]:
    """Return a source's open corrections, oldest first (a later correction of one object's tag wins)."""
    return list(Correction.objects.filter(source=source, status=Correction.Status.OPEN).select_related("place", "record").order_by("updated_at", "id"))


def _kept_private(correction: Correction):
    """The corrected contacts, plus the source's contacts people only made private here: no reason to remove them upstream."""
    if correction.field != "contacts" or not isinstance(correction.source_value, list):
        return correction.new_value
    withheld = private_keys((current_state(correction.place) or {}).get("contacts"))
    private = [c for c in correction.source_value if isinstance(c, dict) and contact_key(c) in withheld]
    return [*(correction.new_value or []), *private]
