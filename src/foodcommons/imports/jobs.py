"""Imports started from the web: the uploaded bytes, the job's state and progress, and the background run.

A job is a row (`ImportJob`) every process reads; its file is kept in Django's default storage (local disk, or an
S3-compatible bucket through django-storages), so the web process that took the upload and the worker that runs it share
no folder. An import runs in one database transaction, so the live progress of a running job cannot be read from the
database: the worker writes it to a small object of the same storage, beside the upload, and drops it when the run ends.
"""

import json
import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from foodcommons.core import outbound
from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.imports.connectors import FORMATS, detect_format, read_records
from foodcommons.imports.fetch import fetch_url
from foodcommons.imports.models import ImportJob, ImportRun, Source
from foodcommons.imports.services import runs
from foodcommons.imports.services.sources import mapping_of, register_source

log = logging.getLogger(__name__)

KEEP_UPLOADS_DAYS = 7
FETCH_TIMEOUT_SECONDS = 20
FETCH_TOTAL_SECONDS = 120
PROGRESS_STEPS = 50  # at most this many progress writes per stage
STALLED_AFTER_MINUTES = 15


def max_bytes() -> int:
    """Return the largest file (upload or URL) the web accepts."""
    return int(getattr(settings, "FOODCOMMONS_IMPORT_MAX_BYTES", 50 * 1024 * 1024))


def web_limits() -> outbound.Limits:
    """Return the limits of a URL read inside a web request: a smaller file and a shorter wait than the command line allows."""
    return outbound.Limits(max_bytes=max_bytes(), read_seconds=FETCH_TIMEOUT_SECONDS,
                           total_seconds=min(FETCH_TOTAL_SECONDS, settings.FOODCOMMONS_FETCH_TOTAL_TIMEOUT))


def _job_id(value: str) -> uuid.UUID | None:
    try:
        parsed = uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return None
    return parsed if parsed.hex == value else None


def job_state(job_id: str) -> dict | None:
    """Return the state of a web import job, or None if there is none."""
    key = _job_id(job_id)
    job = ImportJob.objects.select_related("source").filter(pk=key).first() if key else None
    return _stalled_as_failed(_state(job)) if job else None


def _state(job: ImportJob) -> dict:
    state = {"id": job.pk.hex, "status": job.status, "source": job.source.slug, "dry_run": job.dry_run, "author": job.author_id,
             "upload": job.upload.name or "", "filename": job.filename, "url": job.url, "format": job.file_format,
             "field_mapping": job.field_mapping, "default_category": job.default_category, "stage": job.stage, "done": job.done,
             "total": job.total, "run": job.run_id, "errors": job.errors, "created_at": job.created_at, "updated_at": job.updated_at}
    if job.status == ImportJob.Status.RUNNING:
        state.update(_read_progress(job.pk.hex))
    return state


def _stalled_as_failed(job: dict) -> dict:
    # A running job writes its progress at least once a stage; silence this long means its worker
    # was stopped. The import is one transaction, so nothing of it was kept.
    if job["status"] == "running" and timezone.now() - job["updated_at"] > timedelta(minutes=STALLED_AFTER_MINUTES):
        reason = "the import stopped without finishing (its worker was interrupted); start it again"
        return {**job, "status": "failed", "errors": [{"row": None, "field": None, "reason": reason}]}
    return job


def job_of_run(run_id: int) -> dict | None:
    """Return the web job that made a run (to run a dry run for real), or None."""
    job = ImportJob.objects.select_related("source").filter(run_id=int(run_id)).order_by("-created_at").first()
    return _stalled_as_failed(_state(job)) if job else None


def upload_exists(job: dict) -> bool:
    """Tell whether the file of a job is still kept (uploads are dropped after a real run or after some days)."""
    return bool(job.get("upload")) and default_storage.exists(job["upload"])


def _progress_name(job_id: str) -> str:
    return f"imports/progress/{job_id}.json"


def _read_progress(job_id: str) -> dict:
    try:
        with default_storage.open(_progress_name(job_id)) as kept:
            progress = json.loads(kept.read())
    except (OSError, ValueError):
        return {}  # not written yet, or being replaced: the row's state stands
    return {**progress, "updated_at": datetime.fromisoformat(progress["updated_at"])}


def _write_progress(job_id: str, *, stage: str, done: int, total: int) -> None:
    name = _progress_name(job_id)
    default_storage.delete(name)  # storages keep the old object otherwise (the local disk picks another name)
    default_storage.save(name, ContentFile(json.dumps({"stage": stage, "done": done, "total": total,
                                                       "updated_at": timezone.now().isoformat()}).encode()))


def _drop_upload(name: str) -> None:
    """Delete a kept file and forget it in every job that used it (a dry run and the real run share one)."""
    if name:
        default_storage.delete(name)
        ImportJob.objects.filter(upload=name).update(upload="")


def _drop_old_uploads() -> None:
    limit = timezone.now() - timedelta(days=KEEP_UPLOADS_DAYS)
    old = set(ImportJob.objects.filter(created_at__lt=limit).exclude(upload="").values_list("upload", flat=True))
    for name in old:
        _drop_upload(name)


def check_file(*, data: bytes, filename: str, file_format: str, source: Source | None, field_mapping: dict | None) -> tuple[str, int]:
    """Read a file without writing anything; return its format and number of records, or raise a problem saying why not."""
    if not data:
        raise InvalidInput([FieldError("file", "the file is empty")])
    chosen = file_format or (source.format if source else "") or detect_format(data, filename)
    if chosen not in FORMATS:
        raise InvalidInput([FieldError("format", f"unknown format '{chosen}'")])
    mapping = mapping_of(_with_mapping(source or Source(), field_mapping, None))
    try:
        count = sum(1 for _ in read_records(data, file_format=chosen, filename=filename, mapping=mapping))
    except InvalidInput:
        raise
    except Exception as error:
        log.info("unreadable %s file %r: %s", chosen, filename, error)
        raise InvalidInput([FieldError("file", f"cannot read this file as {chosen}: {error}")]) from error
    if count == 0:
        raise InvalidInput([FieldError("file", f"no records found in this file (read as {chosen})")])
    return chosen, count


def _with_mapping(source: Source, field_mapping: dict | None, default_category: str | None) -> Source:
    # The run reads the mapping from the source it is given: a dry run tries a mapping without saving it.
    if field_mapping is not None:
        source.field_mapping = field_mapping
    if default_category is not None:
        source.default_category = default_category
    return source


def submit_import(*, source: Source | None, new_source: dict | None, upload, url: str, file_format: str, dry_run: bool,
                  field_mapping: dict | None, default_category: str | None, author) -> dict:
    """Read an uploaded file or a URL, check it whole, register the new source if any, and queue the run; return the job."""
    content = upload.read() if upload else fetch_url(url, limits=web_limits())
    filename = upload.name if upload else url
    detected, total = check_file(data=content, filename=filename, file_format=file_format, source=source, field_mapping=field_mapping)
    with transaction.atomic():
        if source is None:
            source = register_source(slug=new_source["slug"], name=new_source["name"], licence=new_source["licence"],
                                     attribution=new_source["attribution"] or new_source["name"], file_format=detected,
                                     location=url, organisation=new_source["organisation"])
        return start_import(source=source, data=content, filename=filename, url=url, file_format=file_format or source.format,
                            dry_run=dry_run, field_mapping=field_mapping, default_category=default_category, author=author, total=total)


def start_import(*, source: Source, data: bytes | None, filename: str, url: str, file_format: str, dry_run: bool,
                 field_mapping: dict | None, default_category: str | None, author, total: int = 0, upload: str = "") -> dict:
    """Keep the file (or reuse the kept `upload`), record a queued job and put it on the task queue; return the job."""
    job = ImportJob(source=source, dry_run=dry_run, author=author if getattr(author, "pk", None) else None, filename=filename[:1000],
                    url=url, file_format=file_format, field_mapping=field_mapping, default_category=default_category, total=total)
    if data is not None:
        _drop_old_uploads()
        job.upload.save(job.pk.hex, ContentFile(data), save=False)
    else:
        job.upload.name = upload
    job.save(force_insert=True)
    run_import.enqueue(job_id=job.pk.hex)
    return _state(job)


def run_for_real(*, run: ImportRun, author) -> dict:
    """Queue the same file and options as a dry run, for real; return the new job."""
    job = job_of_run(run.pk)
    if run.status != ImportRun.Status.DRY_RUN or job is None or not upload_exists(job):
        raise InvalidInput([FieldError("run", "this dry run's file is no longer kept: import the file again")])
    return start_import(source=run.source, data=None, filename=job["filename"], url=job["url"], file_format=job["format"] or run.file_format,
                        dry_run=False, field_mapping=job["field_mapping"], default_category=job["default_category"], author=author,
                        total=job["total"], upload=job["upload"])


def _claim(job_id: str) -> ImportJob | None:
    """Mark a queued job running and return it, or None if it is unknown or another attempt took it."""
    key = _job_id(job_id)
    taken = key and ImportJob.objects.filter(pk=key, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now(), updated_at=timezone.now())
    return ImportJob.objects.select_related("source", "author").get(pk=key) if taken else None


def _fail(job: ImportJob, errors: list[dict]) -> None:
    job.status, job.errors = ImportJob.Status.FAILED, errors
    job.save(update_fields=["status", "errors", "updated_at"])
    default_storage.delete(_progress_name(job.pk.hex))


def execute(*, job_id: str) -> int | None:
    """Run a queued job (on the worker): import its file, keeping its progress current; return the run's id."""
    job = _claim(job_id)
    if job is None:
        return None
    if not upload_exists(_state(job)):
        _fail(job, [{"row": None, "field": "file", "reason": "the source or the file is gone"}])
        return None
    try:
        with default_storage.open(job.upload.name) as kept:
            data = kept.read()
        run = runs.import_file(data=data, source=_with_mapping(job.source, job.field_mapping, job.default_category),
                               file_format=job.file_format, location=job.url or job.filename, dry_run=job.dry_run, author=job.author,
                               progress=_progress(job.pk.hex))
    except InvalidInput as refused:
        _fail(job, [{"row": None, **e.as_dict()} for e in refused.errors])
        return None
    except Exception:
        _fail(job, [{"row": None, "field": None, "reason": "the import stopped on an unexpected error"}])
        raise
    _finish(job, run)
    return run.pk


def _finish(job: ImportJob, run: ImportRun) -> None:
    records = run.counts.get("records", 0)
    job.status, job.run, job.stage, job.done, job.total = ImportJob.Status.DONE, run, "done", records, records
    job.save(update_fields=["status", "run", "stage", "done", "total", "updated_at"])
    default_storage.delete(_progress_name(job.pk.hex))
    if not job.dry_run:
        _keep_mapping(job)
        _drop_upload(job.upload.name)


def _keep_mapping(job: ImportJob) -> None:
    changes = {k: getattr(job, k) for k in ("field_mapping", "default_category") if getattr(job, k) is not None}
    if changes:
        Source.objects.filter(pk=job.source_id).update(**changes)


def _progress(job_id: str):
    last_stage = [""]

    def report(stage: str, done: int, total: int) -> None:
        step = max(1, total // PROGRESS_STEPS)
        if done == total or done % step == 0 or stage != last_stage[0]:
            last_stage[0] = stage
            _write_progress(job_id, stage=stage, done=done, total=total)

    return report


@task()
def run_import(job_id: str) -> int | None:
    """Run one import started from the web, on the worker; return the id of its run."""
    return execute(job_id=job_id)
