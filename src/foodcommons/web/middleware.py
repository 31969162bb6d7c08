"""Middleware of the pages: a problem raised by any view, or a database kept busy by other writes, becomes its page."""

from django.db import OperationalError

from foodcommons.core.middleware import problem_response
from foodcommons.core.problems import DatabaseBusy, Problem, is_lock_wait
from foodcommons.web.problem_pages import DOCUMENT_PREFIXES, problem_page


class ProblemPageMiddleware:
    """Turn a Problem (or a lock wait, as 503 with Retry-After) into a page in the visitor's language, or a problem document."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and is_lock_wait(exception):
            exception = DatabaseBusy()
        if not isinstance(exception, Problem):
            return None
        if request.path.startswith(DOCUMENT_PREFIXES):
            return problem_response(exception)
        return problem_page(request, exception)
