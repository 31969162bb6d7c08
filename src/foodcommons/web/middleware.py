"""Middleware of the pages: a database kept busy by other writes is a page saying to retry, never a 500."""

from django.db import OperationalError
from django.shortcuts import render
from django.utils.translation import gettext as _

from foodcommons.core.middleware import problem_response
from foodcommons.core.problems import BUSY_RETRY_SECONDS, DatabaseBusy, Problem, is_lock_wait


class DatabaseBusyMiddleware:
    """Answer 503 with Retry-After (a problem for the API, a page in the visitor's language elsewhere) on a lock wait."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError) or not is_lock_wait(exception):
            return None
        if request.path.startswith("/api/"):
            return problem_response(DatabaseBusy())
        problem = Problem(status=503, title=_("Many changes are being saved right now"),
                          detail=_("Nothing was lost: go back and send it again in a few seconds."))
        response = render(request, "collaboration/problem.html", {"problem": problem}, status=503)
        response["Retry-After"] = str(BUSY_RETRY_SECONDS)
        return response
