"""Writes of relation facts: declared by a place's team (published) or suggested by anyone, checked by moderators.

Facts are attributes of the place (decision 0008), so every write is a place revision: history, revert and the
version check (409) are the places' own.
"""

from django.utils import timezone

from foodcommons.collaboration import selectors as collaboration
from foodcommons.collaboration import services as collaboration_services
from foodcommons.collaboration.models import Organisation
from foodcommons.collaboration.permissions import Action, Role, allowed
from foodcommons.collaboration.services import Forbidden, Outcome
from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.places import services as places
from foodcommons.relations.domain.grid import BY_KEY, GRID_VERSION, clean_value
from foodcommons.relations.selectors import current_facts


def _user(author):
    return author if getattr(author, "is_authenticated", False) else None


def _team_name(place) -> str:
    ids = collaboration.responsible_organisations(place)
    return Organisation.objects.filter(pk__in=ids).order_by("name").values_list("name", flat=True).first() or ""


def _declarer(role: Role, place) -> dict:
    if allowed(role, Action.EDIT_PLACE):
        return {"kind": "team", "name": _team_name(place)} if role not in (Role.PLATFORM_MODERATOR,) else {"kind": "network", "name": "foodcommons"}
    return {"kind": "contributor"}


def _unchanged(criterion, declared, current: dict | None) -> bool:
    if current is None:
        return declared is None
    if declared is None:
        return False
    try:
        value = clean_value(criterion, declared.get("value"))
    except ValueError:
        return False  # the place's validation says why
    return value == current.get("value") and (declared.get("evidence") or "") == current.get("evidence", "")


def declaration_patch(declarations: dict, *, declarer: dict, today: str, current: dict | None = None) -> dict:
    """Return the attributes patch that records `declarations` ({criterion: {value, evidence} or None to withdraw}).

    A fact declared again as it is keeps who declared it, when, and its check (`current`: the facts as they are).
    """
    unknown = [k for k in declarations if k not in BY_KEY]
    if unknown:
        raise InvalidInput([FieldError(f"facts.{k}", f"not a criterion of the grid (known: {', '.join(BY_KEY)})") for k in unknown])
    attributes: dict = {}
    for key, declared in declarations.items():
        declared = declared if isinstance(declared, dict) or declared is None else {"value": declared}
        if _unchanged(BY_KEY[key], declared, (current or {}).get(key)):
            continue
        if declared is None:
            attributes[BY_KEY[key].attribute] = None
            continue
        # A new declaration is unchecked: a check vouches for the value it saw.
        attributes[BY_KEY[key].attribute] = {
            "value": declared.get("value"), "grid": GRID_VERSION, "declared_by": declarer, "declared_at": today,
            **({"evidence": declared["evidence"]} if declared.get("evidence") else {}),
        }
    return {"attributes": attributes}


def declare_facts(*, public_id: str, declarations: dict, base_version, author=None, email: str = "", language: str | None = None,
                  comment: str = "") -> Outcome:
    """Publish the facts if the author may edit the place (its team), else store them as a suggestion for moderators."""
    place = collaboration.place_by_public_id(public_id)
    role = collaboration.role_on_place(_user(author), place)
    patch = declaration_patch(declarations, declarer=_declarer(role, place), today=timezone.localdate().isoformat(),
                              current=current_facts(place))
    return collaboration_services.update_or_suggest(public_id=public_id, patch=patch, base_version=base_version, author=author,
                                                    email=email, language=language, comment=comment or "Relation facts declared")


def check_fact(*, public_id: str, criterion: str, base_version, moderator, comment: str = "") -> places.WriteResult:
    """Record that the network or a moderator checked a declared fact (its evidence, with the team)."""
    place = collaboration.place_by_public_id(public_id)
    role = collaboration.role_on_place(_user(moderator), place)
    if not allowed(role, Action.CHECK_RELATION_FACTS):
        raise Forbidden(f"The role '{role}' may not check relation facts.")
    if criterion not in BY_KEY:
        raise InvalidInput([FieldError("criterion", f"not a criterion of the grid (known: {', '.join(BY_KEY)})")])
    fact = current_facts(place).get(criterion)
    if fact is None:
        raise InvalidInput([FieldError("criterion", "nothing is declared for this criterion yet")])
    checker = _team_name(place) if role != Role.PLATFORM_MODERATOR else "foodcommons"
    checked = {**fact, "checked": {"by": checker or "foodcommons", "at": timezone.localdate().isoformat()}}
    return places.update_place(public_id=public_id, patch={"attributes": {BY_KEY[criterion].attribute: checked}},
                               base_version=base_version, author=_user(moderator), comment=comment or f"Checked: {criterion}")


def set_closures(*, public_id: str, closures: list, base_version, author=None, language: str | None = None, comment: str = "") -> Outcome:
    """Write a food-aid place's dated closures: published for its team and editors, else a suggestion for moderators.

    Closures are the place's `temporary_closures` attribute, so the write is a place revision (history, revert, 409).
    """
    patch = {"attributes": {"temporary_closures": closures or None}}
    return collaboration_services.update_or_suggest(public_id=public_id, patch=patch, base_version=base_version, author=author,
                                                    language=language, comment=comment or "Temporary closures")
