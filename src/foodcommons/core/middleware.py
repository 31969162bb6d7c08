"""Middleware that protects the API before any view runs."""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse

from foodcommons.core.problems import FieldError, InvalidInput, Problem, problem_type


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


def nul_location(value, where: str = "body") -> str | None:
    """Return the name of the first string (or key) in a parsed JSON value that holds a NUL character, or None."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = where if "\x00" in key else nul_location(item, key if where == "body" else f"{where}.{key}")
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if found := nul_location(item, f"{where}[{index}]"):
                return found
    return None


class NulCharacterMiddleware:
    """Answer 400 to an API or OGC request with a NUL character in its path, query or body.

    No text of the platform may hold one (PostgreSQL refuses them outright, so they would end in a 500
    there and in stored garbage on SQLite); refusing at the edge names the field once for every endpoint.
    """

    PREFIXES = ("/api/", "/ogc")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.PREFIXES) and (field := self.nul_field(request)):
            return problem_response(
                InvalidInput([FieldError(field, "contains a NUL character (U+0000), which no text may hold")])
            )
        return self.get_response(request)

    @staticmethod
    def nul_field(request) -> str | None:
        if "\x00" in request.path:
            return "path"
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return name.replace("\x00", "\\u0000")
        try:
            body = request.body if request.method not in ("GET", "HEAD") else b""
        except RequestDataTooBig:
            return None  # the API answers it with its 413
        # Only JSON can spell a NUL as \u0000; a raw NUL byte is not JSON (the parser says so) or belongs to a binary upload.
        if b"\\u0000" in body:
            try:
                return nul_location(json.loads(body))
            except ValueError:
                return None  # not JSON: the endpoint says what is wrong with it
        return None
