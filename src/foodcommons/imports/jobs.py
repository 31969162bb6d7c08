"""Imports started from the web: the uploaded bytes, the job's state and progress, and the background run.

An import runs in one database transaction, so its progress cannot be read from the database while it runs. The job's
state (queued, running with records done / total, done with its run, failed with its errors) and the uploaded file are
therefore kept as small files under FOODCOMMONS_DATA_DIR/imports (shared by the web and worker processes, like the dumps).
"""

import json
import logging
import os
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from foodcommons.core import outbound
from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.imports import services
from foodcommons.imports.connectors import FORMATS, detect_format, read_records
from foodcommons.imports.models import ImportRun, Source

log = logging.getLogger(__name__)

KEEP_UPLOADS_DAYS = 7
FETCH_TIMEOUT_SECONDS = 20
FETCH_TOTAL_SECONDS = 120
PROGRESS_STEPS = 50  # at most this many progress writes per stage
STALLED_AFTER_MINUTES = 15


def max_bytes() -> int:
    """Return the largest file (upload or URL) the web accepts."""
    return int(getattr(settings, "FOODCOMMONS_IMPORT_MAX_BYTES", 50 * 1024 * 1024))


def _root() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def _write_json(path: Path, value: dict) -> None:
    # Written aside then renamed, so that a reader never sees half a file.
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "w") as out:
        json.dump(value, out)
    os.replace(temporary, path)


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _valid_id(value: str) -> bool:
    try:
        return uuid.UUID(value).hex == value
    except (ValueError, AttributeError, TypeError):
        return False


def job_state(job_id: str) -> dict | None:
    """Return the state of a web import job, or None if there is none."""
    job = _read_json(_root() / "jobs" / f"{job_id}.json") if _valid_id(job_id) else None
    return _stalled_as_failed(job) if job else None


def _stalled_as_failed(job: dict) -> dict:
    # A running job writes its progress at least once a stage; silence this long means its worker
    # was stopped. The import is one transaction, so nothing of it was kept.
    updated = datetime.fromisoformat(job.get("updated_at") or timezone.now().isoformat())
    if job["status"] == "running" and timezone.now() - updated > timedelta(minutes=STALLED_AFTER_MINUTES):
        reason = "the import stopped without finishing (its worker was interrupted); start it again"
        return {**job, "status": "failed", "errors": [{"row": None, "field": None, "reason": reason}]}
    return job


def job_of_run(run_id: int) -> dict | None:
    """Return the web job that made a run (to run a dry run for real), or None."""
    link = _read_json(_root() / "runs" / f"{int(run_id)}.json")
    return job_state(link["job"]) if link else None


def upload_exists(job: dict) -> bool:
    """Tell whether the file of a job is still kept (uploads are dropped after a real run or after some days)."""
    return _valid_id(job.get("upload", "")) and (_root() / "uploads" / job["upload"]).exists()


def _save(job: dict) -> dict:
    job["updated_at"] = timezone.now().isoformat()
    _write_json(_root() / "jobs" / f"{job['id']}.json", job)
    return job


def _drop_old_uploads() -> None:
    folder = _root() / "uploads"
    if folder.exists():
        limit = time.time() - KEEP_UPLOADS_DAYS * 86400
        for path in folder.iterdir():
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)


def fetch_url(*, url: str) -> bytes:
    """Return the content of an http(s) URL on a public address, or raise a problem saying why not."""
    try:
        # Read inside the web request: a smaller file and a shorter wait than the command line allows.
        limits = outbound.Limits(max_bytes=max_bytes(), read_seconds=FETCH_TIMEOUT_SECONDS,
                                 total_seconds=min(FETCH_TOTAL_SECONDS, settings.FOODCOMMONS_FETCH_TOTAL_TIMEOUT))
        return outbound.fetch(url, limits=limits)
    except outbound.FetchRefused as error:
        raise InvalidInput([FieldError("url", str(error))]) from error


def check_file(*, data: bytes, filename: str, file_format: str, source: Source | None, field_mapping: dict | None) -> tuple[str, int]:
    """Read a file without writing anything; return its format and number of records, or raise a problem saying why not."""
    if not data:
        raise InvalidInput([FieldError("file", "the file is empty")])
    chosen = file_format or (source.format if source else "") or detect_format(data, filename)
    if chosen not in FORMATS:
        raise InvalidInput([FieldError("format", f"unknown format '{chosen}'")])
    mapping = services.mapping_of(_with_mapping(source or Source(), field_mapping, None))
    try:
        count = sum(1 for _ in read_records(data, file_format=chosen, filename=filename, mapping=mapping))
    except InvalidInput:
        raise
    except Exception as error:  # noqa: BLE001  (a connector's parser failing on a bad file is a bad file)
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
    content = upload.read() if upload else fetch_url(url=url)
    filename = upload.name if upload else url
    detected, total = check_file(data=content, filename=filename, file_format=file_format, source=source, field_mapping=field_mapping)
    with transaction.atomic():
        if source is None:
            source = services.register_source(slug=new_source["slug"], name=new_source["name"], licence=new_source["licence"],
                                              attribution=new_source["attribution"] or new_source["name"], file_format=detected,
                                              location=url, organisation=new_source["organisation"])
        return start_import(source=source, data=content, filename=filename, url=url, file_format=file_format or source.format,
                            dry_run=dry_run, field_mapping=field_mapping, default_category=default_category, author=author, total=total)


def start_import(*, source: Source, data: bytes | None, filename: str, url: str, file_format: str, dry_run: bool,
                 field_mapping: dict | None, default_category: str | None, author, total: int = 0, upload: str = "") -> dict:
    """Keep the file, record a queued job and put it on the task queue; return the job."""
    from foodcommons.imports.tasks import run_import

    if data is not None:
        _drop_old_uploads()
        upload = uuid.uuid4().hex
        path = _root() / "uploads" / upload
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    job = _save({
        "id": uuid.uuid4().hex, "status": "queued", "source": source.slug, "dry_run": dry_run, "author": getattr(author, "pk", None),
        "upload": upload, "filename": filename, "url": url, "format": file_format, "field_mapping": field_mapping,
        "default_category": default_category, "stage": "", "done": 0, "total": total, "run": None, "errors": [],
        "created_at": timezone.now().isoformat(),
    })
    run_import.enqueue(job_id=job["id"])
    return job


def run_for_real(*, run: ImportRun, author) -> dict:
    """Queue the same file and options as a dry run, for real; return the new job."""
    job = job_of_run(run.pk)
    if run.status != ImportRun.Status.DRY_RUN or job is None or not upload_exists(job):
        raise InvalidInput([FieldError("run", "this dry run's file is no longer kept: import the file again")])
    return start_import(source=run.source, data=None, filename=job["filename"], url=job["url"], file_format=job["format"] or run.file_format,
                        dry_run=False, field_mapping=job["field_mapping"], default_category=job["default_category"], author=author,
                        total=job["total"], upload=job["upload"])


def execute(*, job_id: str) -> int | None:
    """Run a queued job (on the worker): import its file, keeping its progress current; return the run's id."""
    job = job_state(job_id)
    if job is None or job["status"] != "queued":
        return None  # unknown, or already taken by another attempt
    job.update(status="running", started_at=timezone.now().isoformat())
    _save(job)
    source = Source.objects.filter(slug=job["source"]).first()
    path = _root() / "uploads" / job["upload"]
    if source is None or not path.exists():
        _save({**job, "status": "failed", "errors": [{"row": None, "field": "file", "reason": "the source or the file is gone"}]})
        return None
    try:
        run = services.import_file(
            data=path.read_bytes(), source=_with_mapping(source, job["field_mapping"], job["default_category"]), file_format=job["format"],
            location=job["url"] or job["filename"], dry_run=job["dry_run"], author=get_user_model().objects.filter(pk=job["author"]).first(),
            progress=_progress(job))
    except InvalidInput as refused:
        _save({**job, "status": "failed", "errors": [{"row": None, **e.as_dict()} for e in refused.errors]})
        return None
    except Exception:
        _save({**job, "status": "failed", "errors": [{"row": None, "field": None, "reason": "the import stopped on an unexpected error"}]})
        raise
    if not job["dry_run"]:
        _keep_mapping(source, job)
        path.unlink(missing_ok=True)
    _write_json(_root() / "runs" / f"{run.pk}.json", {"job": job["id"]})
    records = run.counts.get("records", 0)
    _save({**job, "status": "done", "run": run.pk, "stage": "done", "done": records, "total": records})
    return run.pk


def _keep_mapping(source: Source, job: dict) -> None:
    changes = {k: job[k] for k in ("field_mapping", "default_category") if job[k] is not None}
    if changes:
        Source.objects.filter(pk=source.pk).update(**changes)


def _progress(job: dict):
    def report(stage: str, done: int, total: int) -> None:
        step = max(1, total // PROGRESS_STEPS)
        if done == total or done % step == 0 or stage != job["stage"]:
            job.update(stage=stage, done=done, total=total)
            _save(job)

    return report

