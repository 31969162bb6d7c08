"""Writes of the collaboration area: publish or suggest, moderate, report, confirm, organisations, reminders."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from foodcommons.collaboration import selectors
from foodcommons.collaboration.domain.upkeep import digests
from foodcommons.collaboration.models import Confirmation, Membership, Organisation, PlaceMaintainer, Reminder, Report, Suggestion
from foodcommons.collaboration.permissions import Action, Role, allowed, may_suggest_instead
from foodcommons.core.ids import new_public_id
from foodcommons.core.mail import absolute, queue_email
from foodcommons.core.problems import FieldError, InvalidInput, Problem, problem_type
from foodcommons.places import services as places
from foodcommons.places.domain.validation import clean_place, version_error
from foodcommons.places.models import Place

SUGGESTION_SALT = "foodcommons.suggestion-confirm"
CONFIRM_PLACE_SALT = "foodcommons.place-confirm"
SUGGESTION_LINK_DAYS = 7
CONFIRM_LINK_DAYS = 60


class Forbidden(Problem):
    """403: the person may not do this."""

    def __init__(self, detail: str):
        super().__init__(status=403, title="Forbidden", detail=detail, kind=problem_type("forbidden"))


@dataclass
class Outcome:
    """What a write became: a published revision or a suggestion waiting for moderators."""

    result: places.WriteResult | None = None
    suggestion: Suggestion | None = None


def _user(author):
    return author if getattr(author, "is_authenticated", False) else None


def _require(role: Role, action: Action) -> None:
    if not allowed(role, action):
        raise Forbidden(f"The role '{role}' may not {action.replace('_', ' ')}.")


def _language(author, language: str | None) -> str:
    profile = getattr(_user(author), "profile", None) if _user(author) and hasattr(_user(author), "profile") else None
    return language or (profile.language if profile else "fr")


def _new_suggestion(*, kind, place, base_version, payload, comment, author, email, language) -> Suggestion:
    user = _user(author)
    if base_version is not None and (reason := version_error(base_version)):
        raise InvalidInput([FieldError("version", reason)])
    if user is None and not email:
        raise InvalidInput([FieldError("email", "an e-mail address is required to confirm an anonymous suggestion")])
    item = Suggestion.objects.create(
        public_id=new_public_id(), kind=kind, place=place, base_version=base_version, payload=payload, comment=(comment or "")[:500],
        author=user, email="" if user else email, language=_language(author, language),
        status=Suggestion.Status.PENDING if user else Suggestion.Status.UNCONFIRMED,
    )
    if user is None:
        token = signing.dumps({"s": item.public_id}, salt=SUGGESTION_SALT)
        queue_email(to=email, template="collaboration/email/confirm_suggestion", language=item.language,
                    context={"link": absolute(reverse("collaboration:confirm-suggestion", args=[token]))})
    return item


def _validate_new(data: dict) -> None:
    clean_place(data, places.default_lookups())


@transaction.atomic
def create_or_suggest(*, data: dict, author=None, email: str = "", language: str | None = None, comment: str = "") -> Outcome:
    """Create a place if the author may publish, else store the proposal for moderators."""
    role, organisation = selectors.role_for_new_place(_user(author))
    if allowed(role, Action.CREATE_PLACE):
        result = places.create_place(data=data, author=_user(author), comment=comment)
        if organisation is not None:
            PlaceMaintainer.objects.create(place=result.place, organisation=organisation)
        return Outcome(result=result)
    _validate_new(data)
    return Outcome(suggestion=_new_suggestion(kind=Suggestion.Kind.CREATE, place=None, base_version=None, payload=data,
                                              comment=comment, author=author, email=email, language=language))


@transaction.atomic
def update_or_suggest(*, public_id: str, patch: dict, base_version, author=None, email: str = "", language: str | None = None, comment: str = "") -> Outcome:
    """Apply a patch if the author may publish on this place, else store it for moderators."""
    place = selectors.place_by_public_id(public_id)
    role = selectors.role_on_place(_user(author), place)
    if allowed(role, Action.EDIT_PLACE):
        return Outcome(result=places.update_place(public_id=public_id, patch=patch, base_version=base_version, author=_user(author), comment=comment))
    if not may_suggest_instead(role, Action.EDIT_PLACE):
        _require(role, Action.EDIT_PLACE)
    _validate_patch(place, patch)
    return Outcome(suggestion=_new_suggestion(kind=Suggestion.Kind.UPDATE, place=place, base_version=base_version, payload=patch,
                                              comment=comment, author=author, email=email, language=language))


@transaction.atomic
def delete_or_suggest(*, public_id: str, base_version=None, author=None, email: str = "", language: str | None = None, comment: str = "") -> Outcome:
    """Delete a place if the author moderates it, else propose the deletion."""
    place = selectors.place_by_public_id(public_id)
    role = selectors.role_on_place(_user(author), place)
    if allowed(role, Action.DELETE_PLACE):
        return Outcome(result=places.delete_place(public_id=public_id, base_version=base_version, author=_user(author), comment=comment))
    return Outcome(suggestion=_new_suggestion(kind=Suggestion.Kind.DELETE, place=place, base_version=base_version, payload={},
                                              comment=comment, author=author, email=email, language=language))


@transaction.atomic
def suggest_only(
    *, kind: str, public_id: str | None, data: dict, base_version=None, author=None, email: str = "", language: str | None = None, comment: str = ""
) -> Suggestion:
    """Store a proposal for moderators, whoever makes it."""
    common = {"comment": comment, "author": author, "email": email, "language": language}
    if kind == Suggestion.Kind.CREATE:
        _validate_new(data)
        return _new_suggestion(kind=kind, place=None, base_version=None, payload=data, **common)
    place = selectors.place_by_public_id(public_id)
    if kind == Suggestion.Kind.UPDATE:
        _validate_patch(place, data)
    return _new_suggestion(kind=kind, place=place, base_version=base_version, payload=data if kind == Suggestion.Kind.UPDATE else {}, **common)


def _validate_patch(place: Place, patch: dict) -> None:
    from foodcommons.places.domain.validation import merge_patch

    clean_place(merge_patch(selectors.current_state(place), patch), places.default_lookups())


def restore(*, public_id: str, author, comment: str = "") -> places.WriteResult:
    """Restore a deleted place, for its moderators."""
    _require(selectors.role_on_place(_user(author), selectors.place_by_public_id(public_id)), Action.RESTORE_PLACE)
    return places.restore_place(public_id=public_id, author=_user(author), comment=comment)


def revert(*, public_id: str, to_version, base_version, author, comment: str = "") -> places.WriteResult:
    """Make an older revision current again (as a new revision), for moderators."""
    _require(selectors.role_on_place(_user(author), selectors.place_by_public_id(public_id)), Action.REVERT_PLACE)
    return places.revert_place(public_id=public_id, to_version=to_version, base_version=base_version, author=_user(author), comment=comment)


@transaction.atomic
def confirm_suggestion(*, token: str) -> Suggestion:
    """Turn an anonymous suggestion confirmed by its e-mail link into a pending one."""
    try:
        data = signing.loads(token, salt=SUGGESTION_SALT, max_age=SUGGESTION_LINK_DAYS * 86400)
    except signing.BadSignature:
        raise InvalidInput([FieldError("token", "this confirmation link is invalid or has expired")]) from None
    item = selectors.suggestion(data["s"])
    if item.status == Suggestion.Status.UNCONFIRMED:
        Suggestion.objects.filter(pk=item.pk).update(status=Suggestion.Status.PENDING)
        item.status = Suggestion.Status.PENDING
    return item


def _require_moderator(moderator, place: Place | None) -> None:
    role = selectors.role_on_place(_user(moderator), place) if place else selectors.role_for_new_place(_user(moderator))[0]
    _require(role, Action.MODERATE)


def _decidable(public_id: str, moderator) -> Suggestion:
    item = Suggestion.objects.select_for_update().filter(public_id=public_id).first() or selectors.suggestion(public_id)
    _require_moderator(moderator, item.place)
    if item.status != Suggestion.Status.PENDING:
        raise Problem(status=409, title="Already decided", detail=f"This suggestion is {item.status}.", kind=problem_type("already-decided"))
    return item


def _tell_contributor(item: Suggestion, template: str) -> None:
    to = item.author.email if item.author else item.email
    place = item.result_place or item.place
    queue_email(to=to, template=f"collaboration/email/{template}", language=item.language, context={
        "comment": item.decision_comment, "kind": item.kind,
        "link": absolute(f"/places/{place.public_id}/history") if place else "",
    })


@transaction.atomic
def accept_suggestion(*, public_id: str, moderator, comment: str = "", patch: dict | None = None, version: int | None = None) -> Suggestion:
    """Publish a suggestion (optionally as merged by the moderator) and tell its contributor."""
    item = _decidable(public_id, moderator)
    note = " — ".join(p for p in [item.comment, f"accepted by {moderator.username}"] if p)
    if item.kind == Suggestion.Kind.CREATE:
        result = places.create_place(data=patch or item.payload, author=item.author, comment=note)
        for organisation_id in selectors.owning_organisations(result.place):
            PlaceMaintainer.objects.get_or_create(place=result.place, organisation_id=organisation_id)
    elif item.kind == Suggestion.Kind.UPDATE:
        base = version if version is not None else item.base_version
        result = places.update_place(public_id=item.place.public_id, patch=patch or item.payload, base_version=base, author=item.author, comment=note)
    else:
        result = places.delete_place(public_id=item.place.public_id, base_version=version, author=item.author, comment=note)
    item.status, item.decided_at, item.decided_by = Suggestion.Status.ACCEPTED, timezone.now(), moderator
    item.decision_comment, item.result_place = comment[:500], result.place
    item.save()
    _tell_contributor(item, "suggestion_accepted")
    return item


@transaction.atomic
def reject_suggestion(*, public_id: str, moderator, comment: str = "") -> Suggestion:
    """Refuse a suggestion with a reason and tell its contributor."""
    item = _decidable(public_id, moderator)
    item.status, item.decided_at, item.decided_by, item.decision_comment = Suggestion.Status.REJECTED, timezone.now(), moderator, comment[:500]
    item.save()
    _tell_contributor(item, "suggestion_rejected")
    return item


@transaction.atomic
def report_place(
    *, public_id: str, reason: str, comment: str = "", duplicate_of: str | None = None, author=None, email: str = "", language: str | None = None
) -> Report:
    """Record a report on a place for whoever maintains it."""
    place = selectors.place_by_public_id(public_id)
    errors = []
    if reason not in Report.Reason.values:
        errors.append(FieldError("reason", f"expected one of {', '.join(Report.Reason.values)}"))
    other = Place.objects.filter(public_id=duplicate_of).first() if duplicate_of else None
    if reason == Report.Reason.DUPLICATE and (other is None or other.pk == place.pk):
        errors.append(FieldError("duplicate_of", "name the other place this one duplicates"))
    if errors:
        raise InvalidInput(errors)
    user = _user(author)
    return Report.objects.create(
        public_id=new_public_id(), place=place, reason=reason, duplicate_of=other, comment=(comment or "")[:2000],
        author=user, email="" if user else email, language=_language(author, language),
    )


@transaction.atomic
def resolve_report(*, public_id: str, moderator, dismiss: bool = False, comment: str = "") -> Report:
    """Close a report, and the identical open reports merged with it, as handled or dismissed."""
    item = selectors.report(public_id)
    _require(selectors.role_on_place(_user(moderator), item.place), Action.MODERATE)
    status = Report.Status.DISMISSED if dismiss else Report.Status.RESOLVED
    now = timezone.now()
    selectors.identical_open_reports(item).exclude(pk=item.pk).update(status=status, resolved_at=now, resolved_by=moderator, resolution_comment=comment[:500])
    item.status, item.resolved_at, item.resolved_by, item.resolution_comment = status, now, moderator, comment[:500]
    item.save()
    return item


@transaction.atomic
def close_reported_place(*, public_id: str, moderator, comment: str = "") -> Report:
    """Act on a "closed" report: set the place's status to closed (a revision like any edit) and resolve the report."""
    item = selectors.report(public_id)
    place = item.place
    _require(selectors.role_on_place(_user(moderator), place), Action.MODERATE)
    if item.reason != Report.Reason.CLOSED:
        raise InvalidInput([FieldError("reason", "only a report that the place is closed closes it")])
    if place.status != Place.Status.CLOSED:
        note = " — ".join(p for p in [comment, f"closed after a report, by {moderator.username}"] if p)
        places.update_place(public_id=place.public_id, patch={"status": Place.Status.CLOSED}, base_version=place.version, author=_user(moderator),
                            comment=note[:500])
    return resolve_report(public_id=public_id, moderator=moderator, comment=comment)


def _confirm(place: Place, user, via: str) -> Confirmation:
    now = timezone.now()
    places.mark_confirmed(place=place, at=now)
    return Confirmation.objects.create(place=place, user=user, created_at=now, via=via)


@transaction.atomic
def confirm_place(*, public_id: str, user, via: str = "web") -> Confirmation:
    """Record that a maintainer checked a place and found it still accurate."""
    place = selectors.place_by_public_id(public_id)
    _require(selectors.role_on_place(_user(user), place), Action.CONFIRM_PLACE)
    return _confirm(place, user, via)


def confirmation_token(*, place: Place, user) -> str:
    """Return the signed token of a one-click confirmation link for `user`."""
    return signing.dumps({"p": place.pk, "u": user.pk}, salt=CONFIRM_PLACE_SALT)


@transaction.atomic
def confirm_place_by_link(*, token: str) -> Confirmation:
    """Confirm a place from a signed e-mail link, without logging in."""
    try:
        data = signing.loads(token, salt=CONFIRM_PLACE_SALT, max_age=CONFIRM_LINK_DAYS * 86400)
    except signing.BadSignature:
        raise InvalidInput([FieldError("token", "this confirmation link is invalid or has expired")]) from None
    place = Place.objects.filter(pk=data["p"]).first()
    user = get_user_model().objects.filter(pk=data["u"], is_active=True).first()
    if place is None or user is None:
        raise InvalidInput([FieldError("token", "this confirmation link no longer applies")])
    _require(selectors.role_on_place(user, place), Action.CONFIRM_PLACE)
    return _confirm(place, user, "email")


@transaction.atomic
def create_organisation(*, slug: str, name: str, description: str = "", founder) -> Organisation:
    """Create an organisation whose founder becomes its admin."""
    if not _user(founder):
        raise Forbidden("Log in to create an organisation.")
    errors = [] if name.strip() else [FieldError("name", "required")]
    if not slug or not slug.replace("-", "").isalnum() or slug.lower() != slug:
        errors.append(FieldError("slug", "lower-case letters, digits and dashes"))
    elif Organisation.objects.filter(slug=slug).exists():
        errors.append(FieldError("slug", "already taken"))
    if errors:
        raise InvalidInput(errors)
    organisation = Organisation.objects.create(slug=slug, name=name.strip()[:200], description=description)
    Membership.objects.create(organisation=organisation, user=founder, role=Membership.Role.ADMIN)
    return organisation


@transaction.atomic
def set_member(*, slug: str, username: str, role: str | None, by) -> Membership | None:
    """Add, change or (role None) remove a member, for the organisation's admins."""
    organisation = selectors.organisation(slug)
    _require(selectors.role_in_organisation(_user(by), organisation), Action.MANAGE_MEMBERS)
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput([FieldError("username", "no active user has this name")])
    if role is None:
        Membership.objects.filter(organisation=organisation, user=user).delete()
        return None
    if role not in Membership.Role.values:
        raise InvalidInput([FieldError("role", f"expected one of {', '.join(Membership.Role.values)}")])
    membership, _ = Membership.objects.update_or_create(organisation=organisation, user=user, defaults={"role": role})
    return membership


@transaction.atomic
def set_maintainer(*, slug: str, public_id: str, by, maintains: bool = True) -> None:
    """Link (or unlink) an organisation as maintainer of a place, for the organisation's admins."""
    organisation = selectors.organisation(slug)
    _require(selectors.role_in_organisation(_user(by), organisation), Action.MANAGE_MEMBERS)
    place = selectors.place_by_public_id(public_id)
    if maintains:
        PlaceMaintainer.objects.get_or_create(place=place, organisation=organisation)
    else:
        PlaceMaintainer.objects.filter(place=place, organisation=organisation).delete()


def _due_reminders(now) -> list[tuple[int, int]]:
    stale = Place.objects.filter(selectors.stale_condition(now=now), deleted_at__isnull=True)
    recent = now - timezone.timedelta(days=30)
    pairs = (
        Membership.objects.filter(organisation__maintained__place__in=stale.values("pk"), user__is_active=True)
        .exclude(user__email="")
        .values_list("user_id", "organisation__maintained__place_id")
        .order_by("user_id", "organisation__maintained__place_id")
        .distinct()
    )
    reminded = set(Reminder.objects.filter(sent_at__gte=recent).values_list("user_id", "place_id"))
    return [p for p in pairs if p not in reminded]


def send_upkeep_reminders(*, now=None) -> int:
    """Queue one digest per maintainer of stale places (capped per run); return how many digests."""
    now = now or timezone.now()
    grouped = digests(_due_reminders(now), cap=settings.FOODCOMMONS_REMINDERS_PER_RUN)
    users = get_user_model().objects.select_related("profile").in_bulk(list(grouped))
    for user_id, place_ids in grouped.items():
        user = users[user_id]
        with transaction.atomic():
            rows = Place.objects.filter(pk__in=place_ids).order_by("pk")
            items = [{"name": p.display_name(), "link": absolute(reverse("collaboration:confirm-link", args=[confirmation_token(place=p, user=user)])),
                      "page": absolute(f"/places/{p.public_id}/history")} for p in rows]
            Reminder.objects.bulk_create([Reminder(place_id=pid, user_id=user_id, sent_at=now) for pid in place_ids])
            language = user.profile.language if hasattr(user, "profile") else "fr"
            queue_email(to=user.email, template="collaboration/email/upkeep_digest", language=language, context={"places": items})
    return len(grouped)
