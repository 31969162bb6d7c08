"""Writes of import runs: importing a whole file in one transaction, and reverting a run."""

from django.db import transaction
from django.utils import timezone

from foodcommons.core.problems import FieldError, InvalidInput, NotFound
from foodcommons.imports.connectors import FORMATS, detect_format, limits
from foodcommons.imports.domain import matching
from foodcommons.imports.models import ImportRun, MatchCandidate, Source, SourceRecord
from foodcommons.imports.services.importer import Importer, Progress, only_new_objects_collected
from foodcommons.imports.services.outbox import written_by_imports
from foodcommons.imports.services.sources import forget_source, keep_source
from foodcommons.places import services as places
from foodcommons.places.bulk import large_page_cache


class _DryRun(Exception):
    """Raised at the end of a dry run so that its transaction rolls back."""


def import_file(*, data: bytes, source: Source, file_format: str = "", location: str = "", dry_run: bool = False,
                author=None, thresholds: matching.Thresholds = matching.DEFAULT_THRESHOLDS,
                progress: Progress | None = None, unattended: bool = False) -> ImportRun:
    """Import a whole file into `source` in one transaction (rolled back for a dry run or a bad file); return its run.

    An `unattended` run (a scheduled re-import) also stops, changing nothing, when the list shrank too much (`domain.guard`).

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
        # The commit is in the block: the listeners of the run's places run then, on as many objects.
        with only_new_objects_collected() as settled, transaction.atomic(), large_page_cache(), written_by_imports():
            keep_source(source)
            run.source = source
            run.save()
            Importer(run, thresholds, progress or (lambda *_: None), unattended=unattended, settled=settled).execute(data, dry_run=dry_run)
            if dry_run:
                raise _DryRun
    except _DryRun:
        if was_new:  # a dry run registers its new source: its report, and the run for real, name it
            forget_source(source)
            keep_source(source)
            run.source = source
        return _saved_after_rollback(run, ImportRun.Status.DRY_RUN)
    except InvalidInput as refused:
        if was_new:
            forget_source(source)
            raise
        run.errors = [{"row": None, **e.as_dict()} for e in refused.errors]
        _saved_after_rollback(run, ImportRun.Status.FAILED)
        raise
    except BaseException:
        if was_new:
            forget_source(source)
        raise
    return run


def record_unreachable_source(*, source: Source, location: str, refused: InvalidInput) -> ImportRun:
    """Keep, as a failed run that changed nothing, a scheduled re-import whose source could not be read."""
    now = timezone.now()
    run = ImportRun(source=source, location=location[:1000], file_format=source.format, started_at=now, finished_at=now,
                    status=ImportRun.Status.FAILED, errors=[{"row": None, **e.as_dict()} for e in refused.errors])
    run.save()
    return run


def _saved_after_rollback(run: ImportRun, status: str) -> ImportRun:
    run.pk, run.status, run.finished_at = None, status, timezone.now()
    run.save()
    return run


def revert_run(*, run_id: int, author=None) -> ImportRun:
    """Undo a whole run: places it created are deleted, places it changed go back to their version before it."""
    with transaction.atomic(), written_by_imports():
        return _revert(run_id, author)


def _revert(run_id: int, author) -> ImportRun:
    run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        raise NotFound(f"No import run {run_id}.")
    if run.status != ImportRun.Status.DONE:
        raise InvalidInput([FieldError("run", f"only a finished run can be reverted (this one is {run.status})")])
    comment = f"Revert of import run {run.pk} of {run.source.name}"
    touched: set[int] = set()  # places this revert already changed: the rows loaded with the changes are stale for them
    for change in run.changes.select_related("place", "record").order_by("-id"):
        place = change.place
        if place.pk in touched:  # two records of the run joined it: the later one's revert made a new version
            place.refresh_from_db(fields=["version", "deleted_at"])
        touched.add(place.pk)
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
