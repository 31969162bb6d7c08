"""Middleware that protects the API before any view runs."""

import json

from django.conf import settings
from django.http import HttpResponse

from foodcommons.core.problems import Problem, problem_type


def problem_response(problem: Problem) -> HttpResponse:
    """Render a problem as an `application/problem+json` response."""
    response = HttpResponse(
        json.dumps(problem.as_dict(), ensure_ascii=False),
        status=problem.status,
        content_type="application/problem+json",
    )
    if "retry_after" in problem.extra:
        response["Retry-After"] = str(problem.extra["retry_after"])
    return response


class BodySizeLimitMiddleware:
    """Answer 413 to a request whose declared body is larger than the configured limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.FOODCOMMONS_MAX_BODY_BYTES
        if length > limit and request.path.startswith("/api/"):
            return problem_response(
                Problem(
                    status=413,
                    title="Request body too large",
                    detail=f"The body has {length} bytes; the limit is {limit}.",
                    kind=problem_type("body-too-large"),
                )
            )
        return self.get_response(request)
