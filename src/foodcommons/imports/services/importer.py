"""The importer of one run: read the records, validate them, match them to places, write places, records and claims."""

import gc
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.utils import timezone

from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.imports import selectors
from foodcommons.imports.connectors import ImportedRecord, read_records
from foodcommons.imports.domain import checks, guard, matching
from foodcommons.imports.domain.blocking import groups_of
from foodcommons.imports.domain.provenance import claimed_values
from foodcommons.imports.models import FieldClaim, ImportRun, MatchCandidate, RunChange, Source, SourceRecord
from foodcommons.imports.services import outbox
from foodcommons.imports.services.publishing import SETTLED_EVERY, publish, publish_many
from foodcommons.imports.services.sources import mapping_of
from foodcommons.places import services as places
from foodcommons.places.bulk import create_clean_places
from foodcommons.places.bulk_sql import insert_rows, insert_values, reserve_ids
from foodcommons.places.domain.rules import MAX_DESCRIPTION
from foodcommons.places.domain.validation import CleanPlace, clean_place
from foodcommons.places.models import Place
from foodcommons.taxonomy.selectors import category_tree

Progress = Callable[[str, int, int], None]  # (stage, done, total)
BULK_FROM = 50  # below this many new places, create them one by one (cheaper than a bulk batch)
CLAIM_COLUMNS = ["place_id", "field", "source_id", "record_id", "run_id", "value", "observed_at"]
MAX_EXTERNAL_ID = 200  # SourceRecord.external_id
# What a run keeps of its rows with problems, for the CSV the network downloads to fix its list: enough for any real
# list, bounded so that a run of a million bad rows stays a small database row.
MAX_PROBLEM_ROWS, MAX_PROBLEM_COLUMNS, MAX_NOTICES = 5000, 100, 20000


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


def _values_read(record: ImportedRecord) -> dict[str, str]:
    return {"email": record.email, "phone": record.phone, "website": record.website, "opening_hours": record.opening_hours,
            "postcode": record.postcode, "description": record.description}


def _cell(value) -> str:
    """Return a value of the source's row as a spreadsheet cell (nested values of JSON sources as JSON)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text.replace("\x00", "")[:2000]  # no NUL: PostgreSQL's text and jsonb refuse it



@contextmanager
def only_new_objects_collected() -> Iterator[Callable[[], None]]:
    """Keep the cyclic garbage collector to the objects made since the last call of the function yielded, while the block runs.

    A run holds its records, their clean values and entities, and the places it writes: each collection of the oldest
    generation scanned all of them again, about a quarter of a first import's CPU and a third of a second source's
    (bench/dedup, docs/performance.md). Objects are still freed as soon as nothing refers to them; only cycles made
    before a call wait for the end of the block. A process that froze objects itself (a server before forking, or
    another run in this process) is left as it is: unfreezing would undo its freeze.
    """
    if gc.get_freeze_count():
        yield lambda: None
        return
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


def fingerprint(data: dict) -> str:
    """Return a stable hash of a place input: the same record twice has the same one."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class Importer:
    """One run: read, validate, resolve, write. Lives only for the run."""

    def __init__(self, run: ImportRun, thresholds: matching.Thresholds, progress: Progress, *, unattended: bool = False,
                 settled: Callable[[], None] = lambda: None):
        self.run, self.source, self.thresholds, self.progress = run, run.source, thresholds, progress
        self.settled = settled  # called when a step has made what the next ones keep (only_new_objects_collected)
        self.unattended = unattended  # a scheduled re-import: nobody is there to judge a list that shrank
        self.counts = dict.fromkeys(("records", "created", "updated", "unchanged", "merged", "review", "flagged", "skipped", "errors"), 0)
        self.errors: list[dict] = []
        self.notices: list[dict] = []  # what happened to values of rows that were imported (domain.checks)
        self.problem_rows: dict[int, list] = {}  # row → the row as the source gave it ([column, value] pairs), for the CSV of problems
        self.decisions: list[dict] = []
        self.lookups = places.default_lookups()
        self.tree = category_tree()
        self._group = groups_of(self.tree)
        self.comment = f"Import run {run.pk} of {self.source.name}"

    def execute(self, data: bytes, *, dry_run: bool) -> None:
        settled = self.settled
        records = list(read_records(data, file_format=self.run.file_format, filename=self.run.location, mapping=mapping_of(self.source)))
        settled()  # what each step keeps is frozen out of the collections of the next ones
        self.counts["records"] = len(records)
        if self.unattended:
            self._refuse_a_shrunken_list(len(records))
        incoming = self._validate(records)
        settled()
        # What sorting and flagging read; the rest (the record's data, the place's columns) loads only for changed records.
        rows = SourceRecord.objects.filter(source=self.source).select_related("place").only(
            "source_id", "external_id", "place_id", "fingerprint", "missing_since", "place__public_id", "place__version", "place__deleted_at")
        known = {r.external_id: r for r in rows}
        self.corrected = selectors.corrected_places(self.source)  # places whose open corrections a re-import may settle
        fresh = self._sort_known(incoming, known)
        self._resolve(fresh)
        settled()
        created = self._create([i for i in fresh if i.target is None])
        settled()
        self._merge([i for i in fresh if i.target is not None], created)
        settled()
        self._review(fresh, created)
        self._flag_missing(known, {i.record.external_id for i in incoming})
        self._finish(dry_run)

    def _refuse_a_shrunken_list(self, listed: int) -> None:
        last = selectors.last_done_run(self.source)
        last_listed = last.counts.get("records") if last else None
        if guard.shrank_too_much(listed=listed, last_listed=last_listed):
            share = round(100 * guard.MIN_SHARE_OF_LAST_RUN)
            raise InvalidInput([FieldError("records", f"the source now lists {listed} records, under {share} % of the {last_listed} of its last run: "
                                           "nothing was changed and nothing flagged as gone; import it by hand to accept the shorter list")])

    def _error(self, row: int, field_name: str, reason: str) -> None:
        self.errors.append({"row": row, "field": field_name, "reason": reason})

    def _validate(self, records: list[ImportedRecord]) -> list[_Incoming]:
        valid, seen = [], set()
        for record in records:
            if not record.refused:
                self._check_location(record)
        shared = matching.shared_points((r.lon, r.lat) for r in records)
        for done, record in enumerate(records, start=1):
            self.progress("validate", done, len(records))
            if record.refused:
                for error in record.refused:
                    self._error(record.row, error.field, error.reason)
                self._keep_problem_row(record)
                continue
            if not record.categories:
                self.counts["skipped"] += 1
                self._notice(record, checks.Notice("categories", "", "no_category"))
                continue
            if not record.external_id or record.external_id in seen or len(record.external_id) > MAX_EXTERNAL_ID:
                self._error(record.row, "id", _id_problem(record.external_id))
                self._keep_problem_row(record)
                continue
            seen.add(record.external_id)
            located = record.lon is not None and record.lat is not None
            if located and (round(record.lon, 5), round(record.lat, 5)) in shared:
                record.weak_location = True
                self._notice(record, checks.Notice("location", f"{record.lat:.5f}, {record.lon:.5f}", "shared_point"))
            data = record.place_input(self._licence())
            self._notice(record, *checks.dropped_values(read=_values_read(record), kept=data, max_description=MAX_DESCRIPTION))
            try:
                clean = clean_place(data, self.lookups)
            except InvalidInput as refused:
                for error in refused.errors:
                    self._error(record.row, error.field, error.reason)
                self._keep_problem_row(record)
                continue
            # An OSM object's version and tags are part of what is kept: a newer version is what a correction must modify.
            valid.append(_Incoming(record, clean, data, fingerprint({**data, "osm": record.upstream} if record.upstream else data)))
        self.counts["errors"] = len({e["row"] for e in self.errors})
        self.counts["to_locate"] = sum(1 for n in self.notices if n["code"] in ("no_location", "unreadable_coordinates"))
        return valid

    def _check_location(self, record: ImportedRecord) -> None:
        record.lon, record.lat, notices = checks.checked_location(record.lon, record.lat, read=record.coordinates_read)
        self._notice(record, *notices)

    def _notice(self, record: ImportedRecord, *notices: checks.Notice) -> None:
        if notices:
            self.notices.extend(n.as_dict(record.row) for n in notices)
            self._keep_problem_row(record)

    def _keep_problem_row(self, record: ImportedRecord) -> None:
        if len(self.problem_rows) < MAX_PROBLEM_ROWS and record.row not in self.problem_rows:
            # Pairs, not an object: PostgreSQL's jsonb would not keep the order of the list's own columns.
            self.problem_rows[record.row] = [[_cell(k), _cell(v)] for k, v in list(record.raw.items())[:MAX_PROBLEM_COLUMNS]]

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
        if place.pk in self.corrected:
            outbox.settle(source=self.source, place_id=place.pk, values=claimed_values(item.clean), run=self.run)
        changed = publish(place=place, comment=self.comment, author=self.run.author)
        RunChange.objects.create(run=self.run, place=place, version_before=version, record=existing, record_before=before)
        self.counts["updated" if changed else "unchanged"] += 1
        action = "updated" if changed else "unchanged"
        self.decisions.append({"row": item.record.row, "external_id": item.record.external_id, "action": action, "place": place.public_id})

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
            vocabulary=selectors.matching_vocabulary(),
        )

    def _groups(self, slugs) -> set[str]:
        return {self._group(s) for s in slugs}

    def _resolve(self, fresh: list[_Incoming]) -> None:
        if not fresh:
            return  # every record is known: no need to index the live places
        index = selectors.existing_index(self.tree)
        self.settled()
        excluded = selectors.kept_apart_pairs()
        for done, item in enumerate(fresh, start=1):
            self.progress("match", done, len(fresh))
            if done % SETTLED_EVERY == 0:
                self.settled()
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
                self.settled()
                self.progress("create", len(created), len(items))

            # Validated once in _validate; the whole run commits at once, so listeners hear of its places once.
            create_clean_places(rows=((i.record.row, i.clean) for i in items), author=self.run.author, comment=self.comment, progress=keep,
                                announce_once=True)
        else:
            for item in items:
                created[("row", item.record.row)] = places.create_place(data=item.data, author=self.run.author, comment=self.comment).place
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
            changes.append(
                {"run_id": self.run.pk, "place_id": place.pk, "created": True, "record_id": record_id, "version_before": None, "record_before": None}
            )
            claims += self._claim_rows(place.pk, record_id, item)
        insert_rows(SourceRecord, new_records)
        insert_rows(RunChange, changes)
        insert_values(FieldClaim, CLAIM_COLUMNS, claims)
        self.counts["created"] += len(changes)

    def _merge(self, items: list[_Incoming], created: dict) -> None:
        """Join each record to the place it matched, set-wise: records, claims and run changes in one statement per table,
        the conflict policy applied to all the places at once (only those whose published value changes are written)."""
        # What joining and the conflict policy read of a place (its other columns are not needed to write it through update_place).
        existing = Place.objects.only("id", "public_id", "version", "updated_at", "deleted_at").in_bulk(
            [i.target for i in items if not isinstance(i.target, tuple)])
        joined = [(item, place) for item in items
                  if (place := created.get(item.target) if isinstance(item.target, tuple) else existing.get(item.target)) is not None]
        versions = {place.pk: place.version for _, place in joined}
        ids = iter(reserve_ids(SourceRecord, sum(1 for item, _ in joined if not item.existing)))
        new_records, changes, claims, targets = [], [], [], []
        for done, (item, place) in enumerate(joined, start=1):
            self.progress("merge", done, len(joined))
            if done % SETTLED_EVERY == 0:
                self.settled()
            values = {"place_id": place.pk, "data": _as_given(item), "fingerprint": item.fingerprint, "fetched_at": self.run.started_at}
            if item.existing:
                SourceRecord.objects.filter(pk=item.existing.pk).update(**values)
                record_id = item.existing.pk
            else:
                record_id = next(ids)
                new_records.append({"id": record_id, "source_id": self.source.pk, "external_id": item.record.external_id, "missing_since": None, **values})
            claims += self._claim_rows(place.pk, record_id, item)
            changes.append({"run_id": self.run.pk, "place_id": place.pk, "created": False, "record_id": record_id,
                            "version_before": versions[place.pk], "record_before": None})
            targets.append((place, self.comment + " (merged: " + ", ".join(item.decision.reasons) + ")"))
            self.decisions.append({"row": item.record.row, "external_id": item.record.external_id, "action": "merged", "place": place.public_id,
                                   "score": item.decision.score, "reasons": item.decision.reasons})
        insert_rows(SourceRecord, new_records)
        insert_values(FieldClaim, CLAIM_COLUMNS, claims)
        publish_many(targets=targets, author=self.run.author, settled=self.settled)
        insert_rows(RunChange, changes)
        self.counts["merged"] += len(joined)

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
        self.run.notices = sorted(self.notices, key=lambda n: n["row"])[:MAX_NOTICES]  # stable: a row's notices keep their order
        self.run.problem_rows = [{"row": row, "cells": cells} for row, cells in sorted(self.problem_rows.items())]
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
    """Return the place input of a record as a SourceRecord keeps it (without the licence the source adds; with the OSM
    object it was read from, for the osmChange file of the outbox)."""
    given = {k: v for k, v in item.data.items() if k != "licence"}
    if item.record.upstream:
        given["osm"] = item.record.upstream
    return given
