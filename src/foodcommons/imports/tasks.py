"""Background jobs of imports on the task queue (django-tasks; the database backend by default)."""

from django_tasks import task


@task()
def run_import(job_id: str) -> int | None:
    """Run one import started from the web; return the id of its run."""
    from foodcommons.imports.jobs import execute

    return execute(job_id=job_id)
