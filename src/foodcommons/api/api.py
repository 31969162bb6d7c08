"""The JSON API: one NinjaAPI with its routers and the handlers that turn errors into problems."""

import json

from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from foodcommons import __version__
from foodcommons.accounts.auth import OptionalTokenAuth
from foodcommons.api import access, places, taxonomy, territories
from foodcommons.api.openapi import tell_the_truth
from foodcommons.collaboration import api as collaboration_api
from foodcommons.core.middleware import problem_response
from foodcommons.core.problems import DatabaseBusy, FieldError, InvalidInput, NotFound, Problem, is_lock_wait, problem_type
from foodcommons.events import api as events_api
from foodcommons.imports import api as imports_api
from foodcommons.knowledge import api as knowledge_api
from foodcommons.opendata import api as opendata_api
from foodcommons.relations import api as relations_api
from foodcommons.supply import api as supply_api


class FoodcommonsAPI(NinjaAPI):
    """The NinjaAPI whose OpenAPI document declares what is really sent: problem+json errors, optional tokens."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return tell_the_truth(document, optional_auth_operation_ids=self.optional_auth_operation_ids())

    def optional_auth_operation_ids(self) -> set[str]:
        """Return the operation ids whose every authentication is optional (anonymous requests go through)."""
        return {
            operation.operation_id or self.get_openapi_operation_id(operation)
            for operation in access.operations(self)
            if operation.auth_callbacks and all(isinstance(a, OptionalTokenAuth) for a in operation.auth_callbacks)
        }


api = FoodcommonsAPI(
    title="foodcommons API",
    version=__version__,
    description=(
        "Open data of the sustainable-food alternatives of Brussels and Wallonia. "
        "Errors are RFC 9457 problem documents (`application/problem+json`). Writes need `Authorization: Bearer <token>`; "
        "reads whose security lists `{}` also answer anonymous requests (a token there shows more, e.g. private contacts)."
    ),
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
)
# Open-data routes come first: /places/{id}.jsonld must win over /places/{id}.
api.add_router("/", opendata_api.router)
api.add_router("/", collaboration_api.router)
api.add_router("/", imports_api.router)
api.add_router("/", events_api.router)
api.add_router("/", supply_api.router)
api.add_router("/", relations_api.router)
api.add_router("/", knowledge_api.router)
api.add_router("/places", places.router)
api.add_router("/", places.exports_router)
api.add_router("/categories", taxonomy.router)
api.add_router("/", taxonomy.exports_router)
api.add_router("/territories", territories.router)
# Who may call what is data (api/access.py), checked in one place in front of every operation.
access.install(api)


def _field_name(location: tuple) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "payload", "data")]
    name = ""
    for part in parts:
        name += f"[{part}]" if part.isdigit() else (f".{part}" if name else part)
    return name or "body"


@api.exception_handler(Problem)
def on_problem(request, exc: Problem):
    return problem_response(exc)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = []
    for error in exc.errors:
        reason = error.get("msg", "invalid")
        if error.get("type") == "json_invalid" or "JSON" in reason:
            reason = "the body is not valid JSON"
        if error.get("type") == "extra_forbidden":
            reason = "unknown field"
        errors.append(FieldError(_field_name(tuple(error.get("loc", ()))), reason))
    return problem_response(InvalidInput(errors))


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return problem_response(
        Problem(status=401, title="Unauthorized", detail="A valid API token is required (Authorization: Bearer …).", kind=problem_type("unauthorized"))
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if exc.status_code == 400:
        return problem_response(InvalidInput([FieldError("body", str(exc.message) or "the body is not valid JSON")]))
    return problem_response(Problem(status=exc.status_code, title=str(exc.message), kind=problem_type("http")))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return problem_response(NotFound(str(exc) or "Not found."))


@api.exception_handler(RequestDataTooBig)
def on_body_too_big(request, exc):
    return problem_response(
        Problem(status=413, title="Request body too large", detail=str(exc), kind=problem_type("body-too-large"))
    )


@api.exception_handler(OperationalError)
def on_database_error(request, exc: OperationalError):
    # A lock held too long by other writes is the client's to retry (503 + Retry-After); anything else is a bug (500).
    if is_lock_wait(exc):
        return problem_response(DatabaseBusy())
    raise exc


@api.exception_handler(json.JSONDecodeError)
def on_bad_json(request, exc):
    return problem_response(InvalidInput([FieldError("body", f"the body is not valid JSON ({exc.msg})")]))
