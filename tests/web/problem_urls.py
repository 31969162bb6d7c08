"""The site's URLs, and one page that raises whatever problem a test asks for (the problem pages' own test)."""

from django.db import OperationalError
from django.urls import path

from foodcommons.core.problems import DatabaseBusy, FieldError, Gone, InvalidInput, NotFound, Problem, VersionConflict, problem_type
from foodcommons.urls import handler400, handler403, handler404  # noqa: F401 (the handlers are read from here)
from foodcommons.urls import urlpatterns as site

PROBLEMS = {
    400: lambda: InvalidInput([FieldError("to_version", "the place has no version 7")]),
    403: lambda: Problem(status=403, title="Forbidden", detail="Only moderators may do this.", kind=problem_type("forbidden")),
    404: lambda: NotFound("No place has the identifier 'nope'."),
    409: lambda: VersionConflict("The place changed while this change was written.", current={"version": 3}),
    410: lambda: Gone("The place 'x' was deleted; restore it first."),
    503: lambda: DatabaseBusy(),
}


def raising(request, status: int):
    """Raise the problem of `status`, or a lock wait for 5031, as a service under the view would."""
    if status == 5031:
        raise OperationalError("database is locked")
    raise PROBLEMS[status]()


urlpatterns = [path("test-problem/<int:status>", raising), path("api/test-problem/<int:status>", raising), *site]
