"""The periodic jobs and how often they run (pure table, read by `foodcommons schedule`)."""

from datetime import datetime, timedelta

PERIODIC_JOBS: dict[str, timedelta] = {
    "foodcommons.collaboration.tasks.send_upkeep_reminders": timedelta(days=7),
}


def due_jobs(*, last_runs: dict[str, datetime], now: datetime) -> list[str]:
    """Return the periodic jobs whose interval has passed since they were last enqueued."""
    return [name for name, every in PERIODIC_JOBS.items() if name not in last_runs or now - last_runs[name] >= every]
