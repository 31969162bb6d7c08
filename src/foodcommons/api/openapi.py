"""Post-processing of the generated OpenAPI document so that it says what the API really sends (pure)."""

import json

PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/ProblemOut"}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
DESCRIPTIONS = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
    410: "Gone", 413: "Content Too Large", 429: "Too Many Requests",
    503: "Busy: other writes held the database longer than a request may wait; retry after Retry-After seconds",
}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}}


def operations(document: dict):
    """Yield every operation object of the document."""
    for path_item in document.get("paths", {}).values():
        for method in HTTP_METHODS:
            if method in path_item:
                yield path_item[method]


def statuses_any_request_may_get(operation: dict) -> list[int]:
    """Return the error statuses the API's shared machinery can answer to this operation, whatever its view does.

    Any request can be refused as malformed (400: a NUL character anywhere, a parameter or body that fails
    validation) or meet a database locked by other writes (503); a path names a resource that may not exist
    (404); a token can be unknown or revoked (401); a body can be over the size limit (413).
    """
    statuses = [400, 503]
    parameters = operation.get("parameters", [])
    if any(p.get("in") == "path" for p in parameters):
        statuses.append(404)
    if operation.get("security"):
        statuses.append(401)
    if "requestBody" in operation:
        statuses.append(413)
    return statuses


def declare_problems(operation: dict) -> None:
    """Declare every error response of an operation as an RFC 9457 `application/problem+json` ProblemOut."""
    responses = operation.setdefault("responses", {})
    for status in statuses_any_request_may_get(operation):
        if str(status) not in responses and status not in responses:
            responses[status] = {"description": DESCRIPTIONS[status]}
    for status, response in responses.items():
        if str(status).isdigit() and int(status) >= 400:
            response["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}
        if str(status) == "503":
            response["headers"] = RETRY_AFTER


def merge_identical_security_schemes(document: dict) -> None:
    """Keep one name per security scheme: TokenAuth and OptionalTokenAuth are the same bearer token."""
    schemes = document.get("components", {}).get("securitySchemes", {})
    canonical, by_definition = {}, {}
    for name, definition in schemes.items():
        canonical[name] = by_definition.setdefault(json.dumps(definition, sort_keys=True), name)
    for operation in operations(document):
        if "security" in operation:
            operation["security"] = [{canonical.get(k, k): v for k, v in requirement.items()} for requirement in operation["security"]]
    for name, kept in canonical.items():
        if name != kept:
            del schemes[name]


def make_security_optional(operation: dict) -> None:
    """Declare that the operation also answers without any credentials (OpenAPI: an empty requirement)."""
    requirements = [r for r in operation.get("security", []) if r]
    operation["security"] = [{}, *requirements]


def tell_the_truth(document: dict, *, optional_auth_operation_ids: set[str]) -> dict:
    """Rewrite the generated document in place: problem+json errors, optional tokens declared optional."""
    for operation in operations(document):
        if operation.get("operationId") in optional_auth_operation_ids:
            make_security_optional(operation)
        declare_problems(operation)
    merge_identical_security_schemes(document)
    return document
