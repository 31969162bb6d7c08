"""Writes of imports: registering sources, running an import in one transaction, reverting it, and review decisions."""

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from foodcommons.core.problems import FieldError, InvalidInput, NotFound, Problem
from foodcommons.imports.domain import matching
from foodcommons.imports.connectors import FORMATS, ImportedRecord, SourceMapping, detect_format, limits, read_records
from foodcommons.imports.models import FieldClaim, ImportRun, MatchCandidate, RunChange, Source, SourceRecord
from foodcommons.imports.domain.provenance import Claim, claimed_values, current_values, patch_for, same, winner
from foodcommons.places import services as places
from foodcommons.places.bulk import create_clean_places, insert_rows, insert_values, large_page_cache, reserve_ids
from foodcommons.places.domain.validation import CleanPlace, clean_place
from foodcommons.places.models import Place
from foodcommons.taxonomy.selectors import category_tree

Progress = Callable[[str, int, int], None]  # (stage, done, total)
BULK_FROM = 50  # below this many new places, create them one by one (cheaper than a bulk batch)
CLAIM_COLUMNS = ["place_id", "field", "source_id", "record_id", "run_id", "value", "observed_at"]
MAX_EXTERNAL_ID = 200  # SourceRecord.external_id
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,64}")
_SPDX = re.compile(r"[A-Za-z0-9.+-]{2,64}")


class _DryRun(Exception):
    """Raised at the end of a dry run so that its transaction rolls back."""


@dataclass
class _Incoming:
    record: ImportedRecord
    clean: CleanPlace
    data: dict  # the place input of the record (with the source's licence)
    fingerprint: str
    existing: SourceRecord | None = None
    target: object = None  # Place pk, or ("row", n) of a place created in this run
    decision: matching.Decision | None = None
    review_with: list = field(default_factory=list)


def register_source(*, slug: str, name: str = "", licence: str = "", attribution: str = "", file_format: str = "",
                    location: str = "", organisation: str = "", priority: int = 0) -> Source:
    """Return the source named `slug`, registering it on first use."""
    defaults = {"name": name or slug, "licence": licence or "LicenseRef-unknown", "attribution": attribution or name or slug,
                "format": file_format, "location": location, "organisation": organisation, "priority": priority}
    source, created = Source.objects.get_or_create(slug=slug, defaults=defaults)
    given = {k: v for k, v in (("licence", licence), ("attribution", attribution)) if v and getattr(source, k) != v}
    if given and not created:
        Source.objects.filter(pk=source.pk).update(**given)
        source.refresh_from_db()
    return source


def source_to_import(*, slug: str, licence: str = "", attribution: str = "", file_format: str = "", location: str = "") -> Source:
    """Return the source named `slug` with the licence and attribution given, unsaved: `import_file` keeps it if the import succeeds."""
    errors = []
    if not _SLUG.fullmatch(slug or ""):
        errors.append(FieldError("source", "expected a source identifier: 1 to 64 letters, digits, '-' or '_'"))
    if licence and not _SPDX.fullmatch(licence):
        errors.append(FieldError("licence", "expected an SPDX licence identifier such as CC-BY-4.0 or ODbL-1.0"))
    if len(attribution) > 500:
        errors.append(FieldError("attribution", "at most 500 characters"))
    if errors:
        raise InvalidInput(errors)
    source = Source.objects.filter(slug=slug).first()
    if source is None:
        return Source(slug=slug, name=slug, licence=licence or "LicenseRef-unknown", attribution=attribution or slug,
                      format=file_format, location=location)
    source.licence, source.attribution = licence or source.licence, attribution or source.attribution
    return source


def _keep_source(source: Source) -> None:
    """Register a new source, or save the licence and attribution an import was given (inside the run's transaction)."""
    if source.pk is None:
        source.save(force_insert=True)
    else:
        Source.objects.filter(pk=source.pk).exclude(licence=source.licence, attribution=source.attribution).update(
            licence=source.licence, attribution=source.attribution)


def _forget(source: Source) -> None:
    # The transaction that saved a new source was rolled back: the instance must not claim a row that does not exist.
    source.pk, source._state.adding = None, True


def mapping_of(source: Source) -> SourceMapping:
    """Return the field and category mapping a source configures."""
    return SourceMapping(fields=dict(source.field_mapping or {}), categories=dict(source.category_mapping or {}),
                         default_category=source.default_category, known=frozenset(category_tree().nodes))


def fingerprint(data: dict) -> str:
    """Return a stable hash of a place input: the same record twice has the same one."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def import_file(*, data: bytes, source: Source, file_format: str = "", location: str = "", dry_run: bool = False,
                author=None, thresholds: matching.Thresholds = matching.DEFAULT_THRESHOLDS,
                progress: Progress | None = None) -> ImportRun:
    """Import a whole file into `source` in one transaction (rolled back for a dry run or a bad file); return its run.

    An unsaved source (`source_to_import`) is registered only by a run that succeeds (or a dry run, whose report it keeps);
    a refused file leaves no trace of it. A known source keeps the record of its failed run.
    """
    if file_format and file_format not in FORMATS:
        raise InvalidInput([FieldError("format", f"unknown format '{file_format[:40]}' (known: {', '.join(FORMATS)})")])
    was_new = source.pk is None
    run = ImportRun(source=source, location=location[:1000], file_format=file_format or source.format, started_at=timezone.now(), author=author)
    try:
        limits.check_size(len(data), limits.configured())
        run.file_format = run.file_format or detect_format(data, location)
        with transaction.atomic(), large_page_cache():
            _keep_source(source)
            run.source = source
            run.save()
            _Importer(run, thresholds, progress or (lambda *_: None)).execute(data, dry_run=dry_run)
            if dry_run:
                raise _DryRun
    except _DryRun:
        if was_new:  # a dry run registers its new source: its report, and the run for real, name it
            _forget(source)
            _keep_source(source)
            run.source = source
        return _saved_after_rollback(run, ImportRun.Status.DRY_RUN)
    except InvalidInput as refused:
        if was_new:
            _forget(source)
            raise
        run.errors = [{"row": None, **e.as_dict()} for e in refused.errors]
        _saved_after_rollback(run, ImportRun.Status.FAILED)
        raise
    except BaseException:
        if was_new:
            _forget(source)
        raise
    return run


def _saved_after_rollback(run: ImportRun, status: str) -> ImportRun:
    run.pk, run.status, run.finished_at = None, status, timezone.now()
    run.save()
    return run


class _Importer:
    """One run: read, validate, resolve, write. Lives only for the run."""

    def __init__(self, run: ImportRun, thresholds: matching.Thresholds, progress: Progress):
        self.run, self.source, self.thresholds, self.progress = run, run.source, thresholds, progress
        self.counts = dict.fromkeys(("records", "created", "updated", "unchanged", "merged", "review", "flagged", "skipped", "errors"), 0)
        self.errors: list[dict] = []
        self.decisions: list[dict] = []
        self.lookups = places.default_lookups()
        self.tree = category_tree()
        self.comment = f"Import run {run.pk} of {self.source.name}"

    def execute(self, data: bytes, *, dry_run: bool) -> None:
        records = list(read_records(data, file_format=self.run.file_format, filename=self.run.location, mapping=mapping_of(self.source)))
        self.counts["records"] = len(records)
        incoming = self._validate(records)
        # What sorting and flagging read; the rest (the record's data, the place's columns) loads only for changed records.
        rows = SourceRecord.objects.filter(source=self.source).select_related("place").only(
            "source_id", "external_id", "place_id", "fingerprint", "missing_since", "place__public_id", "place__version", "place__deleted_at")
        known = {r.external_id: r for r in rows}
        fresh = self._sort_known(incoming, known)
        self._resolve(fresh)
        created = self._create([i for i in fresh if i.target is None])
        self._merge([i for i in fresh if i.target is not None], created)
        self._review(fresh, created)
        self._flag_missing(known, {i.record.external_id for i in incoming})
        self._finish(dry_run)

    def _error(self, row: int, field_name: str, reason: str) -> None:
        self.errors.append({"row": row, "field": field_name, "reason": reason})

    def _validate(self, records: list[ImportedRecord]) -> list[_Incoming]:
        valid, seen = [], set()
        shared = matching.shared_points((r.lon, r.lat) for r in records)
        for done, record in enumerate(records, start=1):
            self.progress("validate", done, len(records))
            if record.refused:
                for error in record.refused:
                    self._error(record.row, error.field, error.reason)
                continue
            if not record.categories:
                self.counts["skipped"] += 1
                continue
            if not record.external_id or record.external_id in seen or len(record.external_id) > MAX_EXTERNAL_ID:
                self._error(record.row, "id", _id_problem(record.external_id))
                continue
            seen.add(record.external_id)
            record.weak_location = record.weak_location or (record.lon is not None and record.lat is not None and (round(record.lon, 5), round(record.lat, 5)) in shared)
            data = record.place_input(self._licence())
            try:
                clean = clean_place(data, self.lookups)
            except InvalidInput as refused:
                for error in refused.errors:
                    self._error(record.row, error.field, error.reason)
                continue
            valid.append(_Incoming(record, clean, data, fingerprint(data)))
        self.counts["errors"] = len({e["row"] for e in self.errors})
        return valid

    def _sort_known(self, incoming: list[_Incoming], known: dict[str, SourceRecord]) -> list[_Incoming]:
        fresh = []
        for item in incoming:
            existing = known.get(item.record.external_id)
            if existing is None or existing.place_id is None:
                item.existing = existing
                fresh.append(item)
                continue
            item.existing = existing
            if existing.missing_since is not None:
                existing.missing_since = None
                existing.save(update_fields=["missing_since"])
            if existing.fingerprint == item.fingerprint or existing.place.is_deleted:
                self.counts["unchanged"] += 1
                continue
            self._update(item, existing)
        return fresh

    def _update(self, item: _Incoming, existing: SourceRecord) -> None:
        before = {"place": existing.place_id, "data": existing.data, "fingerprint": existing.fingerprint}
        place = existing.place
        version = place.version
        self._observe(existing, item)
        changed = publish(place=place, comment=self.comment)
        RunChange.objects.create(run=self.run, place=place, version_before=version, record=existing, record_before=before)
        self.counts["updated" if changed else "unchanged"] += 1
        self.decisions.append({"row": item.record.row, "external_id": item.record.external_id, "action": "updated" if changed else "unchanged", "place": place.public_id})

    def _observe(self, record: SourceRecord, item: _Incoming) -> None:
        record.data, record.fingerprint, record.fetched_at = _as_given(item), item.fingerprint, self.run.started_at
        record.save(update_fields=["data", "fingerprint", "fetched_at", "place"])
        FieldClaim.objects.bulk_create(self._claims(record.place_id, record, item))

    def _claims(self, place_id: int, record: SourceRecord, item: _Incoming) -> list[FieldClaim]:
        return [
            FieldClaim(place_id=place_id, field=name, source=self.source, record=record, run=self.run, value=value, observed_at=self.run.started_at)
            for name, value in claimed_values(item.clean).items()
        ]

    def _claim_rows(self, place_id: int, record_id: int, item: _Incoming) -> list[tuple]:
        """Return the FieldClaim rows (CLAIM_COLUMNS) of a record that created or joined `place_id`."""
        source_id, run_id, now = self.source.pk, self.run.pk, self.run.started_at
        return [(place_id, name, source_id, record_id, run_id, value, now) for name, value in claimed_values(item.clean).items()]

    def _entity(self, key, item: _Incoming) -> matching.Entity:
        r, clean = item.record, item.clean
        return matching.entity(
            key, name=next(iter(clean.names.values()), ""), lon=r.lon, lat=r.lat, street=clean.address.get("street", ""),
            house_number=clean.address.get("house_number", ""), postcode=clean.address.get("postcode", ""),
            locality=clean.address.get("locality", ""), contacts=clean.contacts, categories=clean.categories,
            groups=self._groups(clean.categories), weak_location=r.weak_location, sources={self.source.slug},
        )

    def _groups(self, slugs) -> set[str]:
        return {root_category(self.tree, s) for s in slugs}

    def _resolve(self, fresh: list[_Incoming]) -> None:
        if not fresh:
            return  # every record is known: no need to index the live places
        index = existing_index(self.tree)
        excluded = kept_apart_pairs()
        for done, item in enumerate(fresh, start=1):
            self.progress("match", done, len(fresh))
            me = self._entity(("row", item.record.row), item)
            found = matching.best_match(me, index, self.thresholds, excluded=excluded)
            if found and found[1].verdict == "merge":
                item.target, item.decision = found[0].key, found[1]
            else:
                if found:
                    item.review_with.append((found[0].key, found[1]))
                index.add(me)

    def _create(self, items: list[_Incoming]) -> dict:
        created: dict = {}
        if len(items) >= BULK_FROM:

            def keep(saved):
                for row, place in saved:
                    created[("row", row)] = place
                self.progress("create", len(created), len(items))

            # Validated once in _validate; the whole run commits at once, so listeners hear of its places once.
            create_clean_places(rows=((i.record.row, i.clean) for i in items), comment=self.comment, progress=keep, announce_once=True)
        else:
            for item in items:
                created[("row", item.record.row)] = places.create_place(data=item.data, comment=self.comment).place
        self._attach_created(items, created)
        return created

    def _licence(self) -> str:
        return self.source.licence if self.source.licence != "LicenseRef-unknown" else ""

    def _attach_created(self, items: list[_Incoming], created: dict) -> None:
        placed = [(item, place) for item in items if (place := created.get(("row", item.record.row))) is not None]
        # Ids reserved up front: the records' claims and run changes are written without reading the records back.
        ids = iter(reserve_ids(SourceRecord, sum(1 for item, _ in placed if not item.existing)))
        new_records, changes, claims = [], [], []
        for item, place in placed:
            values = {"place_id": place.pk, "data": _as_given(item), "fingerprint": item.fingerprint, "fetched_at": self.run.started_at}
            if item.existing:
                SourceRecord.objects.filter(pk=item.existing.pk).update(**values)
                record_id = item.existing.pk
            else:
                record_id = next(ids)
                new_records.append({"id": record_id, "source_id": self.source.pk, "external_id": item.record.external_id, "missing_since": None, **values})
            self.decisions.append({"row": item.record.row, "external_id": item.record.external_id, "action": "created", "place": place.public_id})
            changes.append({"run_id": self.run.pk, "place_id": place.pk, "created": True, "record_id": record_id, "version_before": None, "record_before": None})
            claims += self._claim_rows(place.pk, record_id, item)
        insert_rows(SourceRecord, new_records)
        insert_rows(RunChange, changes)
        insert_values(FieldClaim, CLAIM_COLUMNS, claims)
        self.counts["created"] += len(changes)

    def _merge(self, items: list[_Incoming], created: dict) -> None:
        for done, item in enumerate(items, start=1):
            self.progress("merge", done, len(items))
            place = created.get(item.target) if isinstance(item.target, tuple) else Place.objects.get(pk=item.target)
            if place is None:
                continue
            record = item.existing or SourceRecord(source=self.source, external_id=item.record.external_id, fetched_at=self.run.started_at)
            record.place = place
            record.save()
            version = place.version
            self._observe(record, item)
            publish(place=place, comment=self.comment + " (merged: " + ", ".join(item.decision.reasons) + ")")
            RunChange.objects.create(run=self.run, place=place, version_before=version, record=record)
            self.counts["merged"] += 1
            self.decisions.append({"row": item.record.row, "external_id": item.record.external_id, "action": "merged", "place": place.public_id,
                                   "score": item.decision.score, "reasons": item.decision.reasons})

    def _review(self, fresh: list[_Incoming], created: dict) -> None:
        now = timezone.now()
        candidates: dict[tuple[int, int], dict] = {}
        for item in fresh:
            mine = created.get(("row", item.record.row))
            for key, decision in item.review_with:
                other = created.get(key) if isinstance(key, tuple) else key
                other_id = getattr(other, "pk", other)
                if mine is None or other_id is None:
                    continue
                a, b = sorted((mine.pk, other_id))
                # Each pair holds a place new in this run, so none is in the table yet; the first of a repeated pair wins.
                candidates.setdefault((a, b), {"place_a_id": a, "place_b_id": b, "score": decision.score, "reasons": decision.reasons,
                                               "status": MatchCandidate.Status.PENDING.value, "run_id": self.run.pk, "created_at": now,
                                               "decided_at": None, "decided_by_id": None})
                self.decisions.append({"row": item.record.row, "external_id": item.record.external_id, "action": "review", "place": mine.public_id,
                                       "score": decision.score, "reasons": decision.reasons})
        insert_rows(MatchCandidate, list(candidates.values()))
        self.counts["review"] = len(candidates)

    def _flag_missing(self, known: dict[str, SourceRecord], seen: set[str]) -> None:
        gone = [r for external_id, r in known.items() if external_id not in seen and r.missing_since is None and r.place_id]
        SourceRecord.objects.filter(pk__in=[r.pk for r in gone]).update(missing_since=self.run.started_at)
        self.counts["flagged"] = len(gone)
        for record in gone:
            self.decisions.append({"row": None, "external_id": record.external_id, "action": "flagged", "place": record.place.public_id})

    def _finish(self, dry_run: bool) -> None:
        self.run.counts, self.run.errors, self.run.decisions = self.counts, self.errors, self.decisions[:5000]
        self.run.status, self.run.finished_at = ImportRun.Status.DONE, timezone.now()
        self.run.save()
        if not dry_run:
            Source.objects.filter(pk=self.source.pk).update(last_run_at=self.run.started_at)


def _id_problem(external_id: str) -> str:
    if not external_id:
        return "missing identifier"
    if len(external_id) > MAX_EXTERNAL_ID:
        return f"the identifier is longer than {MAX_EXTERNAL_ID} characters"
    return f"identifier '{external_id}' repeated"


def _as_given(item: _Incoming) -> dict:
    """Return the place input of a record as a SourceRecord keeps it (without the licence the source adds)."""
    return {k: v for k, v in item.data.items() if k != "licence"}


def root_category(tree, slug: str) -> str:
    """Return the top-level category a category belongs to."""
    while (node := tree.nodes.get(slug)) and node.parent_slug:
        slug = node.parent_slug
    return slug


def existing_index(tree) -> matching.Index:
    """Return the blocking index of every live place (the matching view of each)."""
    index = matching.Index()
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
    for pk, fr, nl, en, lon, lat, street, number, postcode, locality, contacts in rows:
        slugs = categories.get(pk, [])
        weak = pk in at_centroid or bool(sources.get(pk)) and sources[pk] <= coarse
        index.add(matching.entity(pk, name=fr or nl or en, lon=lon, lat=lat, street=street, house_number=number, postcode=postcode,
                                  locality=locality, contacts=contacts or [], categories=slugs,
                                  groups={root_category(tree, s) for s in slugs}, sources=sources.get(pk, ()), weak_location=weak))
    return index


def coarse_sources(sources: dict[int, set[str]], at_centroid: set[int], share: float = 0.3) -> set[str]:
    """Return the sources that place many of their records on shared points: their coordinates are commune centroids."""
    total, shared = defaultdict(int), defaultdict(int)
    for place_id, slugs in sources.items():
        for slug in slugs:
            total[slug] += 1
            shared[slug] += place_id in at_centroid
    return {slug for slug, n in total.items() if n >= 10 and shared[slug] / n >= share}


def kept_apart_pairs() -> set[tuple[int, int]]:
    """Return the pairs of places a reviewer said are not the same actor."""
    return set(MatchCandidate.objects.filter(status=MatchCandidate.Status.KEPT_APART).values_list("place_a_id", "place_b_id"))


def claims_of(place: Place) -> tuple[dict[str, list[Claim]], dict[str, list]]:
    """Return the latest claim of each source (and of people) for each field of a place, and every value ever claimed."""
    latest: dict[tuple[str, int | None], FieldClaim] = {}
    ever: dict[str, list] = defaultdict(list)
    for claim in FieldClaim.objects.filter(place=place).select_related("source").order_by("observed_at", "id"):
        latest[(claim.field, claim.source_id)] = claim
        ever[claim.field].append(claim.value)
    found: dict[str, list[Claim]] = defaultdict(list)
    for claim in latest.values():
        source = claim.source
        found[claim.field].append(Claim(source.slug if source else None, claim.value, claim.observed_at,
                                        source.priority if source else 0, source.overrides_people if source else False))
    return found, ever


def publish(*, place: Place, comment: str, author=None) -> bool:
    """Apply the conflict policy to a place's claims; record people's edits as claims; return whether it changed."""
    state = places.current_state(place)
    current = current_values(state)
    claims, ever = claims_of(place)
    patch: dict = {}
    for name in set(claims) | set(current):
        field_claims = claims.get(name, [])
        value = current.get(name)
        if value is not None and not any(same(old, value) for old in ever.get(name, [])):
            # No source ever gave this value: a person wrote it.
            FieldClaim.objects.create(place=place, field=name, value=value, observed_at=place.updated_at)
            field_claims.append(Claim(None, value, place.updated_at))
        best = winner(field_claims)
        if best is not None and not same(best.value, value):
            _deep_merge(patch, patch_for(name, best.value, state))
    if not patch:
        return False
    places.update_place(public_id=place.public_id, patch=patch, base_version=place.version, author=author, comment=comment)
    place.refresh_from_db()
    return True


def _deep_merge(into: dict, extra: dict) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            into[key].update(value)
        else:
            into[key] = value


@transaction.atomic
def revert_run(*, run_id: int, author=None) -> ImportRun:
    """Undo a whole run: places it created are deleted, places it changed go back to their version before it."""
    run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        raise NotFound(f"No import run {run_id}.")
    if run.status != ImportRun.Status.DONE:
        raise InvalidInput([FieldError("run", f"only a finished run can be reverted (this one is {run.status})")])
    comment = f"Revert of import run {run.pk} of {run.source.name}"
    for change in run.changes.select_related("place", "record").order_by("-id"):
        place = change.place
        if change.created:
            if not place.is_deleted:
                places.delete_place(public_id=place.public_id, author=author, comment=comment)
            if change.record_id:
                change.record.delete()
            continue
        if place.version != change.version_before:
            places.revert_place(public_id=place.public_id, to_version=change.version_before, base_version=place.version, author=author, comment=comment)
        if change.record_id:
            before = change.record_before
            if before:
                SourceRecord.objects.filter(pk=change.record_id).update(place_id=before["place"], data=before["data"], fingerprint=before["fingerprint"])
            else:
                change.record.delete()
    run.claims.all().delete()
    run.candidates.filter(status=MatchCandidate.Status.PENDING).delete()
    SourceRecord.objects.filter(source=run.source, missing_since=run.started_at).update(missing_since=None)
    run.status = ImportRun.Status.REVERTED
    run.save(update_fields=["status"])
    return run


def _candidate(candidate_id: int) -> MatchCandidate:
    candidate = MatchCandidate.objects.select_for_update().filter(pk=candidate_id).first()
    if candidate is None:
        raise NotFound(f"No match candidate {candidate_id}.")
    if candidate.status != MatchCandidate.Status.PENDING:
        raise Problem(status=409, title="Already decided", detail=f"This candidate was already {candidate.status.replace('_', ' ')}.",
                      kind="/api/problems/already-decided")
    return candidate


@transaction.atomic
def keep_apart(*, candidate_id: int, author=None) -> MatchCandidate:
    """Record that two places are different actors: the pair is never proposed again."""
    candidate = _candidate(candidate_id)
    candidate.status, candidate.decided_at, candidate.decided_by = MatchCandidate.Status.KEPT_APART, timezone.now(), author
    candidate.save()
    return candidate


@transaction.atomic
def merge_candidate(*, candidate_id: int, keep: str = "a", author=None) -> MatchCandidate:
    """Merge the two places of a candidate: the kept one takes the other's records and provenance; the other is deleted."""
    if keep not in ("a", "b"):
        raise InvalidInput([FieldError("keep", "expected 'a' or 'b'")])
    candidate = _candidate(candidate_id)
    survivor, other = (candidate.place_a, candidate.place_b) if keep == "a" else (candidate.place_b, candidate.place_a)
    merge_places(survivor=survivor, other=other, author=author)
    candidate.status, candidate.decided_at, candidate.decided_by = MatchCandidate.Status.MERGED, timezone.now(), author
    candidate.save()
    return candidate


def merge_places(*, survivor: Place, other: Place, author=None) -> None:
    """Move the records and provenance of `other` to `survivor`, publish, then soft-delete `other` pointing to the survivor."""
    for place in (survivor, other):
        if place.is_deleted:
            raise InvalidInput([FieldError("place", f"the place '{place.public_id}' is deleted")])
    # The survivor's own current values become claims first, so that the other's sources only fill what it lacks.
    publish(place=survivor, comment=f"Values before merging {other.public_id}", author=author)
    SourceRecord.objects.filter(place=other).update(place=survivor)
    FieldClaim.objects.filter(place=other, source__isnull=False).update(place=survivor)
    publish(place=survivor, comment=f"Merged with {other.public_id}", author=author)
    places.delete_place(public_id=other.public_id, author=author, comment=f"Merged into {survivor.public_id}")


@transaction.atomic
def scan_duplicates(*, thresholds: matching.Thresholds = matching.DEFAULT_THRESHOLDS) -> int:
    """Compare every live place with its plausible neighbours and queue the likely duplicates not yet decided; return how many."""
    tree = category_tree()
    index = existing_index(tree)
    known = set(MatchCandidate.objects.values_list("place_a_id", "place_b_id"))
    now, found = timezone.now(), []
    for item in index.items:
        for other in index.candidates(item):
            pair = tuple(sorted((item.key, other.key)))
            if pair in known:
                continue
            decision = matching.compare(item, other, thresholds)
            if decision.verdict != "apart":
                known.add(pair)
                found.append(MatchCandidate(place_a_id=pair[0], place_b_id=pair[1], score=decision.score, reasons=decision.reasons, created_at=now))
    MatchCandidate.objects.bulk_create(found, batch_size=2000, ignore_conflicts=True)
    return len(found)
