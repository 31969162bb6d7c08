"""Background jobs of imports on the task queue (django-tasks; the database backend by default).

The task is defined beside the job it runs (`jobs.run_import`), so that jobs need not import this module back; this name
stays importable for tasks queued before it moved.
"""

from foodcommons.imports.jobs import run_import

__all__ = ["run_import"]
