"""Who may call each operation of the API, as data, and the one gate that enforces it before the body is read or any handler runs.

Every operation of the API must have an entry here: `install` refuses to start otherwise, and
tests/trust/test_permissions_enumerated.py calls every operation of the OpenAPI document as each kind of caller.
The role a person holds on the object concerned (a place, an organisation) is then decided by the matrix in
collaboration.permissions, in the services.
"""

import copy
from dataclasses import dataclass
from functools import wraps

from foodcommons.collaboration.permissions import Action, Gate, Scope, gate_refusal
from foodcommons.core.problems import Problem, problem_type


@dataclass(frozen=True)
class Access:
    """What an operation needs: a gate, a token scope, and the action the matrix then checks on the object."""

    gate: Gate
    scope: Scope = Scope.READ
    action: Action | None = None

    def enforce(self, request) -> None:
        """Raise the problem that refuses this request (what accounts.auth.TokenAuth calls once it knows the caller)."""
        check(request, self)


PUBLIC = Access(Gate.ANYONE)

OPERATIONS: dict[str, Access] = {
    # Open data and reads anyone may make.
    **dict.fromkeys(
        ["list_changes", "changes_atom", "place_jsonld", "latest_dump", "dump_info", "catalogue_turtle", "catalogue_jsonld",
         "get_suggestion", "upkeep", "history", "list_organisations", "list_sources", "place_provenance", "list_places",
         "get_place", "list_revisions", "places_geojson", "places_csv", "categories", "categories_skos", "territories", "territory"],
        PUBLIC,
    ),
    # Writes anyone may make; a token sent with them must be allowed to write.
    "suggest": Access(Gate.ANYONE, Scope.WRITE, Action.SUGGEST),
    "report": Access(Gate.ANYONE, Scope.WRITE, Action.REPORT),
    # Writes on places: the matrix decides per place whether they are published, become a suggestion, or are refused.
    "create_place": Access(Gate.SIGNED_IN, Scope.WRITE, Action.CREATE_PLACE),
    "update_place": Access(Gate.SIGNED_IN, Scope.WRITE, Action.EDIT_PLACE),
    "delete_place": Access(Gate.SIGNED_IN, Scope.WRITE, Action.DELETE_PLACE),
    "restore_place": Access(Gate.SIGNED_IN, Scope.WRITE, Action.RESTORE_PLACE),
    "revert_place": Access(Gate.SIGNED_IN, Scope.WRITE, Action.REVERT_PLACE),
    "confirm": Access(Gate.SIGNED_IN, Scope.WRITE, Action.CONFIRM_PLACE),
    # Moderation.
    "moderation_queue": Access(Gate.MODERATOR, Scope.READ, Action.MODERATE),
    "accept": Access(Gate.MODERATOR, Scope.WRITE, Action.MODERATE),
    "reject": Access(Gate.MODERATOR, Scope.WRITE, Action.MODERATE),
    "resolve": Access(Gate.MODERATOR, Scope.WRITE, Action.MODERATE),
    # Organisations and one's own tokens.
    "create_organisation": Access(Gate.SIGNED_IN, Scope.WRITE),
    "set_member": Access(Gate.SIGNED_IN, Scope.WRITE, Action.MANAGE_MEMBERS),
    "set_maintainer": Access(Gate.SIGNED_IN, Scope.WRITE, Action.MANAGE_MEMBERS),
    "list_tokens": Access(Gate.SIGNED_IN, Scope.READ, Action.MANAGE_TOKENS),
    "create_token": Access(Gate.SIGNED_IN, Scope.WRITE, Action.MANAGE_TOKENS),
    "revoke_token": Access(Gate.SIGNED_IN, Scope.WRITE, Action.MANAGE_TOKENS),
    # Imports and the dump: platform staff through the API (organisations' editors use /imports/).
    **dict.fromkeys(["list_runs", "get_run", "list_missing"], Access(Gate.STAFF, Scope.READ, Action.IMPORT_DATA)),
    **dict.fromkeys(["import_body", "revert_run", "scan"], Access(Gate.STAFF, Scope.WRITE, Action.IMPORT_DATA)),
    # The review of duplicates: also the editors of the organisation keeping the list a pair came from. The list holds
    # the pairs the caller may decide (none for most people), so it needs no action of its own.
    "list_candidates": Access(Gate.SIGNED_IN, Scope.READ),
    **dict.fromkeys(["merge_candidate", "keep_apart"], Access(Gate.SIGNED_IN, Scope.WRITE, Action.REVIEW_DUPLICATES)),
    "rebuild_dump": Access(Gate.STAFF, Scope.WRITE),
    # A source's outbox: its maintainers (the editors of the organisation keeping it) and staff, checked per source.
    "source_outbox": Access(Gate.SIGNED_IN, Scope.READ, Action.IMPORT_DATA),
    "source_outbox_osmchange": Access(Gate.SIGNED_IN, Scope.READ, Action.IMPORT_DATA),
    "source_outbox_geojson": Access(Gate.SIGNED_IN, Scope.READ, Action.IMPORT_DATA),
    "decide_correction": Access(Gate.SIGNED_IN, Scope.WRITE, Action.IMPORT_DATA),
    # Events: anyone reads them and registers (an anonymous registration is confirmed by an e-mailed link); the editors of
    # the organisation holding an event write it and see its participants.
    **dict.fromkeys(["list_events", "get_event"], PUBLIC),
    "register_event": Access(Gate.ANYONE, Scope.WRITE),
    "create_event": Access(Gate.SIGNED_IN, Scope.WRITE, Action.MANAGE_EVENTS),
    "update_event": Access(Gate.SIGNED_IN, Scope.WRITE, Action.MANAGE_EVENTS),
    "event_registrations": Access(Gate.SIGNED_IN, Scope.READ, Action.MANAGE_EVENTS),
    # Supply: offers and tenders are open data (never a price, a budget or an answer) and anyone reads a demand's ranking;
    # the editors of an organisation publish its offers; the buyer alone reads the answers to its demand.
    **dict.fromkeys(["list_offers", "offers_jsonld", "offers_csv", "tenders_ocds", "demand_ranking", "territory_coverage",
                     "organisation_registrations"], PUBLIC),
    "create_offer": Access(Gate.SIGNED_IN, Scope.WRITE, Action.MANAGE_SUPPLY),
    "demand_interests": Access(Gate.SIGNED_IN, Scope.READ, Action.MANAGE_SUPPLY),
    # Relations: anyone reads the grid, a place's relation facts and the comparison; anyone declares facts (published for
    # the place's team, a suggestion otherwise, confirmed by e-mail when anonymous); moderators check them.
    **dict.fromkeys(["relation_criteria", "place_relations", "compare_relations", "food_aid_hsds", "food_aid_hsds_csv",
                     "food_aid_open_now", "land_communes"], PUBLIC),
    # Farmland under threat: signed-in people upload fields (published for editors of an organisation, suggested otherwise).
    "upload_land": Access(Gate.SIGNED_IN, Scope.WRITE, Action.CREATE_PLACE),
    "declare_relations": Access(Gate.ANYONE, Scope.WRITE, Action.EDIT_PLACE),
    "check_relation": Access(Gate.SIGNED_IN, Scope.WRITE, Action.CHECK_RELATION_FACTS),
    # Knowledge: projects, documents, the directory of platforms, expertise and the counts of needs are read by anyone
    # (private contacts and facilitators' e-mails are never in them).
    **dict.fromkeys(["work_streams", "list_projects", "get_project", "list_documents", "get_document", "list_platforms", "list_expertise",
                     "need_counts", "list_exchanges", "get_exchange"], PUBLIC),
    # The editors of the organisations carrying them write projects and documents (a token that may write).
    **dict.fromkeys(["create_project", "update_project", "create_document"], Access(Gate.SIGNED_IN, Scope.WRITE, Action.MANAGE_KNOWLEDGE)),
}


def _moderates(user) -> bool:
    from foodcommons.collaboration.selectors import moderated_organisations

    return bool(moderated_organisations(user))


def check(request, access: Access) -> None:
    """Raise the problem that refuses this request, if its token or its person may not use the operation."""
    user = getattr(request, "user", None)
    token = getattr(request, "api_token", None)
    signed_in = token is not None and bool(getattr(user, "is_authenticated", False))
    staff = signed_in and bool(user.is_staff or user.is_superuser)
    refusal = gate_refusal(
        gate=access.gate, scope=access.scope, signed_in=signed_in, token_writes=bool(token and token.can_write), staff=staff,
        moderates=signed_in and access.gate == Gate.MODERATOR and not staff and _moderates(user),
    )
    if refusal:
        status, detail = refusal
        kind = "unauthorized" if status == 401 else "forbidden"
        raise Problem(status=status, title="Unauthorized" if status == 401 else "Forbidden", detail=detail, kind=problem_type(kind))


def _routes(api):
    """Yield (route, operation, auth it inherits) of every operation of a NinjaAPI, nested routers included."""
    from ninja.constants import NOT_SET

    def walk(prefix, router, inherited):
        inherited = router.auth if router.auth is not NOT_SET else inherited
        for path, path_view in router.path_operations.items():
            route = "/api/" + "/".join(p for p in f"{prefix}/{path}".split("/") if p)
            for operation in path_view.operations:
                yield route, operation, inherited
        for child_prefix, child, _tags in router._routers:
            yield from walk(f"{prefix}/{child_prefix}", child, inherited)

    # The registrations, not api._routers: they stay the top-level routers once ninja has bound them (and their mount's auth).
    for prefix, router, auth, *_ in api._router_registrations:
        yield from walk(prefix, router, auth if auth is not NOT_SET else api.auth)


def operations(api):
    """Yield every operation of a NinjaAPI."""
    for _route, operation, _auth in _routes(api):
        yield operation


def install(api) -> None:
    """Put the gate in front of every operation of `api`; an operation without an entry, or two sharing a name, stop the start-up."""
    from ninja.constants import NOT_SET

    seen = set()
    for _route, operation, inherited in _routes(api):
        name = operation.view_func.__name__
        if name not in OPERATIONS:
            raise LookupError(f"API operation '{name}' has no entry in foodcommons.api.access.OPERATIONS")
        if name in seen:
            raise LookupError(f"Two API operations are named '{name}': an entry of foodcommons.api.access.OPERATIONS must name one")
        seen.add(name)
        access = OPERATIONS[name]
        if operation.auth_param is NOT_SET and inherited not in (NOT_SET, None):
            # Auth set on a router or on the API: give the operation its own, so that it can carry the gate.
            operation.auth_param = inherited
            operation._set_auth(inherited)
        if operation.auth_callbacks:
            # The auth object applies the gate once the caller is known: a refusal comes before the body or the query is parsed.
            operation.auth_callbacks = [_gated_auth(callback, access) for callback in operation.auth_callbacks]
        else:
            operation.view_func = _gated_view(operation.view_func, access)


def _gated_auth(auth, access: Access):
    """Return a copy of an auth object (accounts.auth.TokenAuth) that applies `access` to the callers it recognises."""
    if not hasattr(auth, "access"):
        raise TypeError(f"{type(auth).__name__} cannot apply a gate: use foodcommons.accounts.auth.TokenAuth or OptionalTokenAuth")
    gated = copy.copy(auth)
    gated.access = access
    return gated


def _gated_view(view, access: Access):
    """Return the handler of an operation without authentication, behind the gate (anonymous callers only get that far)."""

    @wraps(view)
    def gated(request, *args, **kwargs):
        check(request, access)
        return view(request, *args, **kwargs)

    gated.access = access
    return gated


def access_markdown(api) -> str:
    """Return the table of every operation of `api` with its gate, scope and action, as docs/api.md shows it."""
    rows = []
    for route, operation, _auth in _routes(api):
        access = OPERATIONS[operation.view_func.__name__]
        rows.append((list(Gate).index(access.gate), access.scope, route, ", ".join(operation.methods), access))
    lines = ["| operation | gate | scope | action |", "|---|---|---|---|"]
    for _, _, route, methods, access in sorted(rows, key=lambda row: row[:4]):
        lines.append(f"| `{methods} {route}` | {access.gate.value} | {access.scope.value} | {access.action.value if access.action else '—'} |")
    return "\n".join(lines)
