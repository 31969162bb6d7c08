"""The periodic jobs and how often they run: each app registers its own when ready; `foodcommons schedule` enqueues the due ones."""

from datetime import datetime, timedelta

# Task path (a django-tasks task) → interval; filled by the apps' AppConfig.ready, read by `foodcommons schedule`.
PERIODIC_JOBS: dict[str, timedelta] = {}


def register_periodic_job(task_path: str, *, every: timedelta) -> None:
    """Have `foodcommons schedule` enqueue the task at `task_path` once per `every`."""
    PERIODIC_JOBS[task_path] = every


def due_jobs(*, last_runs: dict[str, datetime], now: datetime) -> list[str]:
    """Return the periodic jobs whose interval has passed since they were last enqueued."""
    return [name for name, every in PERIODIC_JOBS.items() if name not in last_runs or now - last_runs[name] >= every]
