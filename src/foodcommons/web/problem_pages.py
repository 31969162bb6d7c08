"""The one way a problem becomes a page: its status, a message in the visitor's language, the site's layout, a way on."""

from urllib.parse import urlsplit

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from foodcommons.core.problems import NotFound, Problem, problem_type

# What a page says for a problem written for API clients (its `kind` is a documented type, its text English):
# by kind first, then by status. A problem made for a page (kind "about:blank") already speaks the visitor's language.
BY_KIND = {
    problem_type("version-conflict"): (
        _("This was changed in the meantime"),
        _("Someone else saved a change first: reload the page to see the current version."),
    ),
    problem_type("already-decided"): (_("This was already decided"), _("Someone decided on it before you: nothing more to do here.")),
    problem_type("rate-limited"): (_("Too many attempts"), _("Wait a little and try again later.")),
}
BY_STATUS = {
    400: (_("This cannot be done"), _("Something in the link or in what was sent is not valid.")),
    401: (_("Please log in"), _("This page is for people with an account.")),
    403: (_("You may not do this"), _("This is for other people: moderators, the editors of an organisation or staff.")),
    404: (_("This page does not exist"), _("The link may be mistyped, or what it pointed to was removed.")),
    409: (_("This was changed in the meantime"), _("Reload the page to see the current version.")),
    410: (_("This was deleted"), _("What this link pointed to no longer exists.")),
    413: (_("This is too large"), _("Send something smaller.")),
    429: (_("Too many attempts"), _("Wait a little and try again later.")),
    503: (_("Many changes are being saved right now"), _("Nothing was lost: go back and send it again in a few seconds.")),
}
OTHER = (_("Something went wrong"), _("Go back and try again."))
WRITTEN_FOR_PAGES = "about:blank"
# Machine readers get a problem document (or Django's own answers outside the routers); everything else is a page.
DOCUMENT_PREFIXES = ("/api/", "/ogc")


def page_text(problem: Problem) -> tuple[str, str]:
    """Return the heading and message a page shows for a problem, in the active language."""
    if problem.kind == WRITTEN_FOR_PAGES and problem.title:
        return problem.title, problem.detail
    heading, message = BY_KIND.get(problem.kind) or BY_STATUS.get(problem.status) or OTHER
    return str(heading), str(message)


def _way_back(request) -> str:
    # Only a page of this site: a referrer from elsewhere is not a way on, and would leak nothing useful.
    referrer = request.META.get("HTTP_REFERER", "")
    parts = urlsplit(referrer)
    if referrer and parts.netloc == request.get_host() and parts.path != request.path:
        return referrer
    return ""


def problem_page(request, problem: Problem) -> HttpResponse:
    """Render a problem as a page of the site with its status (and Retry-After when it says when to retry)."""
    heading, message = page_text(problem)
    technical = problem.detail if problem.kind != WRITTEN_FOR_PAGES else ""
    response = render(request, "web/problem.html", {
        "problem": problem, "heading": heading, "message": message, "technical": technical,
        "errors": problem.errors, "back": _way_back(request),
    }, status=problem.status)
    if "retry_after" in problem.extra:
        response["Retry-After"] = str(problem.extra["retry_after"])
    return response


def _handler(status: int, default, make):
    def handler(request, exception=None):
        if request.path.startswith(DOCUMENT_PREFIXES):
            return default(request, exception)
        return problem_page(request, make())

    handler.__doc__ = f"Answer {status} outside the views (an Http404, PermissionDenied or SuspiciousOperation) with the problem page."
    return handler


page_not_found = _handler(404, defaults.page_not_found, lambda: NotFound(""))
permission_denied = _handler(403, defaults.permission_denied, lambda: Problem(status=403, title="", kind=problem_type("forbidden")))
bad_request = _handler(400, defaults.bad_request, lambda: Problem(status=400, title="", kind=problem_type("invalid-input")))
