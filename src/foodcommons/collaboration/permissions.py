"""Who may do what: role × action → allowed. Pure (no I/O); the API and the forms both ask it."""

from collections.abc import Iterable
from enum import StrEnum


class Role(StrEnum):
    """A person's role with respect to one place (or to the platform for new places)."""

    ANONYMOUS = "anonymous"
    USER = "user"
    MEMBER = "member"
    EDITOR = "editor"
    MODERATOR = "moderator"
    ADMIN = "admin"
    PLATFORM_MODERATOR = "platform_moderator"


class Action(StrEnum):
    """Something a person may try to do."""

    VIEW_HISTORY = "view_history"
    SUGGEST = "suggest"
    REPORT = "report"
    CREATE_PLACE = "create_place"
    EDIT_PLACE = "edit_place"
    DELETE_PLACE = "delete_place"
    RESTORE_PLACE = "restore_place"
    REVERT_PLACE = "revert_place"
    CONFIRM_PLACE = "confirm_place"
    MODERATE = "moderate"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_TOKENS = "manage_tokens"
    IMPORT_DATA = "import_data"
    REVIEW_DUPLICATES = "review_duplicates"
    MANAGE_EVENTS = "manage_events"
    MANAGE_SUPPLY = "manage_supply"
    CHECK_RELATION_FACTS = "check_relation_facts"
    MANAGE_KNOWLEDGE = "manage_knowledge"
    CHECK_REGISTRATIONS = "check_registrations"


# Highest last: a person holding several roles acts with the highest one.
ORDER = list(Role)

_EVERYONE = frozenset(Role)
_SIGNED_IN = _EVERYONE - {Role.ANONYMOUS}
_MAINTAINERS = frozenset({Role.MEMBER, Role.EDITOR, Role.MODERATOR, Role.ADMIN, Role.PLATFORM_MODERATOR})
_EDITORS = _MAINTAINERS - {Role.MEMBER}
_MODERATORS = _EDITORS - {Role.EDITOR}
_ADMINS = frozenset({Role.ADMIN, Role.PLATFORM_MODERATOR})

MATRIX: dict[Action, frozenset[Role]] = {
    Action.VIEW_HISTORY: _EVERYONE,
    Action.SUGGEST: _EVERYONE,
    Action.REPORT: _EVERYONE,
    Action.CREATE_PLACE: _EDITORS,
    Action.EDIT_PLACE: _EDITORS,
    Action.DELETE_PLACE: _MODERATORS,
    Action.RESTORE_PLACE: _MODERATORS,
    Action.REVERT_PLACE: _MODERATORS,
    Action.CONFIRM_PLACE: _MAINTAINERS,
    Action.MODERATE: _MODERATORS,
    Action.MANAGE_MEMBERS: _ADMINS,
    Action.MANAGE_TOKENS: _SIGNED_IN,
    Action.IMPORT_DATA: _EDITORS,
    # Of the pairs an import of a source sent to review: the network keeping the list cleans it (pairs found by a scan
    # of every place belong to no source, so only platform staff decide them).
    Action.REVIEW_DUPLICATES: _EDITORS,
    # An organisation's events: create, edit, cancel, approve registrations, see and export the participants.
    Action.MANAGE_EVENTS: _EDITORS,
    # An organisation's offers (as a producer), demands and tenders (as a buyer), and the answers it sends or reads.
    Action.MANAGE_SUPPLY: _EDITORS,
    # Relation facts a place's team declared: the network (its moderators) vouches for them after checking the evidence.
    Action.CHECK_RELATION_FACTS: _MODERATORS,
    # An organisation's projects, documents (and their versions) and offers of expertise: create and edit them.
    Action.MANAGE_KNOWLEDGE: _EDITORS,
    # An organisation's registration numbers (VAT/BCE, AFSCA, organic certificate): its moderators and admins, or the
    # platform's moderators, mark them checked after seeing the register or the certificate.
    Action.CHECK_REGISTRATIONS: _MODERATORS,
}

# Writes that a person who may not publish them can still propose, as a suggestion for moderators.
SUGGESTIBLE = frozenset({Action.CREATE_PLACE, Action.EDIT_PLACE, Action.DELETE_PLACE})


def allowed(role: Role, action: Action) -> bool:
    """Tell whether `role` may do `action` directly."""
    return role in MATRIX[action]


def may_suggest_instead(role: Role, action: Action) -> bool:
    """Tell whether a refused write becomes a suggestion rather than a refusal."""
    return action in SUGGESTIBLE and not allowed(role, action) and allowed(role, Action.SUGGEST)


def role_for(*, authenticated: bool, platform_moderator: bool = False, organisation_roles: Iterable[str] = ()) -> Role:
    """Return the highest role of a person, given their roles in the organisations concerned."""
    if not authenticated:
        return Role.ANONYMOUS
    if platform_moderator:
        return Role.PLATFORM_MODERATOR
    roles = [Role(r) for r in organisation_roles]
    return max(roles, key=ORDER.index, default=Role.USER)


def matrix_markdown() -> str:
    """Return the permission matrix as the Markdown table docs/collaboration.md shows."""
    header = "| action | " + " | ".join(r.value for r in Role) + " |"
    rule = "|---|" + "---|" * len(Role)
    rows = []
    for action, roles in MATRIX.items():
        cells = ["yes" if r in roles else ("suggests" if may_suggest_instead(r, action) else "no") for r in Role]
        rows.append(f"| {action.value} | " + " | ".join(cells) + " |")
    return "\n".join([header, rule, *rows])


class Scope(StrEnum):
    """What a request may do with its token: read only, or also write."""

    READ = "read"
    WRITE = "write"


class Gate(StrEnum):
    """Who may call an operation at all; the role on the object concerned (the matrix above) is checked after."""

    ANYONE = "anyone"  # no token needed; a token sent with a write must be allowed to write
    SIGNED_IN = "signed_in"  # any valid token
    MODERATOR = "moderator"  # a person who moderates in some organisation, or a platform moderator
    STAFF = "staff"  # platform staff only


def gate_refusal(*, gate: Gate, scope: Scope, signed_in: bool, token_writes: bool, staff: bool, moderates: bool) -> tuple[int, str] | None:
    """Return (status, reason) when a caller may not use an operation, None when they may go on."""
    if gate != Gate.ANYONE and not signed_in:
        return 401, "A valid API token is required (Authorization: Bearer …)."
    if signed_in and scope == Scope.WRITE and not token_writes:
        return 403, "This token is read-only."
    if gate == Gate.STAFF and not staff:
        return 403, "Only platform staff may do this."
    if gate == Gate.MODERATOR and not (staff or moderates):
        return 403, "Only moderators may do this."
    return None
