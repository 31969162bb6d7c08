"""Reads of the collaboration area: roles, moderation queues, history with diffs, freshness, look-alikes."""

import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from foodcommons.collaboration.domain.diff import Change, diff_states
from foodcommons.collaboration.domain.upkeep import stale_cutoff
from foodcommons.collaboration.models import CategoryOwner, Confirmation, Membership, Organisation, PlaceMaintainer, Report, Suggestion
from foodcommons.collaboration.permissions import Role, role_for
from foodcommons.core.problems import NotFound
from foodcommons.places.models import Place, PlaceCategory, PlaceRevision
from foodcommons.taxonomy.selectors import category_tree

METRES_PER_DEGREE = 111_320


def display_name(user) -> str:
    """Return how history shows an author: their user name, "anonymous" or "deleted user"."""
    if user is None:
        return "anonymous"
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    if profile is not None and profile.deleted_at is not None:
        return "deleted user"
    return user.username


def place_by_public_id(public_id: str) -> Place:
    """Return a place or raise NotFound."""
    place = Place.objects.filter(public_id=public_id).first()
    if place is None:
        raise NotFound(f"No place has the identifier '{public_id}'.")
    return place


def owning_organisations(place: Place) -> set[int]:
    """Return the organisations that own a category of the place (or one above it)."""
    tree = category_tree()
    slugs_by_id = {n.id: s for s, n in tree.nodes.items()}
    slugs = {slugs_by_id[c] for c in PlaceCategory.objects.filter(place=place).values_list("category_id", flat=True) if c in slugs_by_id}
    lineage = {s for slug in slugs for s in [slug, *tree.ancestors(slug)]}
    ids = [tree.nodes[s].id for s in lineage]
    return set(CategoryOwner.objects.filter(category_id__in=ids).values_list("organisation_id", flat=True))


def responsible_organisations(place: Place) -> set[int]:
    """Return who clears changes to a place: the owners of its categories, else its maintainers."""
    return owning_organisations(place) or set(PlaceMaintainer.objects.filter(place=place).values_list("organisation_id", flat=True))


def _is_platform_moderator(user) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_staff or user.is_superuser))


def role_on_place(user, place: Place) -> Role:
    """Return the role of `user` (or None/anonymous) with respect to one place."""
    authenticated = bool(user is not None and user.is_authenticated)
    roles = []
    if authenticated and not _is_platform_moderator(user):
        roles = Membership.objects.filter(user=user, organisation_id__in=responsible_organisations(place)).values_list("role", flat=True)
    return role_for(authenticated=authenticated, platform_moderator=_is_platform_moderator(user), organisation_roles=roles)


def role_for_new_place(user) -> tuple[Role, Organisation | None]:
    """Return the highest role of `user` in any organisation, and that organisation (maintainer of what they add)."""
    authenticated = bool(user is not None and user.is_authenticated)
    memberships = list(Membership.objects.filter(user=user).select_related("organisation")) if authenticated else []
    role = role_for(authenticated=authenticated, platform_moderator=_is_platform_moderator(user), organisation_roles=[m.role for m in memberships])
    best = max(memberships, key=lambda m: list(Role).index(Role(m.role)), default=None)
    return role, best.organisation if best else None


def role_in_organisation(user, organisation: Organisation) -> Role:
    """Return the role of `user` in one organisation."""
    authenticated = bool(user is not None and user.is_authenticated)
    roles = Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True) if authenticated else []
    return role_for(authenticated=authenticated, platform_moderator=_is_platform_moderator(user), organisation_roles=roles)


def moderated_organisations(user) -> list[int]:
    """Return the organisations in which `user` moderates."""
    return list(Membership.objects.filter(user=user, role__in=[Role.MODERATOR, Role.ADMIN]).values_list("organisation_id", flat=True))


def _places_of(organisation_ids: list[int]) -> QuerySet:
    tree = category_tree()
    owned = CategoryOwner.objects.filter(organisation_id__in=organisation_ids).select_related("category")
    category_ids = [tree.nodes[s].id for o in owned for s in tree.descendants(o.category.slug)]
    maintained = PlaceMaintainer.objects.filter(organisation_id__in=organisation_ids).values("place_id")
    in_owned = PlaceCategory.objects.filter(category_id__in=category_ids).values("place_id")
    return Place.objects.filter(Q(pk__in=maintained) | Q(pk__in=in_owned))


def moderation_queue(user) -> tuple[list[Suggestion], list[Report]]:
    """Return the pending suggestions and open reports that `user` may decide."""
    suggestions = Suggestion.objects.filter(status=Suggestion.Status.PENDING).select_related("place", "author").order_by("created_at")
    reports = Report.objects.filter(status=Report.Status.OPEN).select_related("place", "author", "duplicate_of").order_by("created_at")
    if not _is_platform_moderator(user):
        places = _places_of(moderated_organisations(user))
        suggestions = suggestions.filter(place__in=places)
        reports = reports.filter(place__in=places)
    return list(suggestions), list(reports)


@dataclass
class ReportGroup:
    """Identical open reports on one place (same reason, same duplicate), shown and decided once, with their count."""

    first: Report
    reports: list[Report]

    @property
    def count(self) -> int:
        return len(self.reports)

    @property
    def comments(self) -> list[str]:
        return [r.comment for r in self.reports if r.comment]


def report_groups(reports: list[Report]) -> list[ReportGroup]:
    """Merge identical open reports (same place, reason and duplicate), oldest first, keeping each comment."""
    groups: dict[tuple, ReportGroup] = {}
    for item in reports:
        key = (item.place_id, item.reason, item.duplicate_of_id)
        if key in groups:
            groups[key].reports.append(item)
        else:
            groups[key] = ReportGroup(item, [item])
    return list(groups.values())


def identical_open_reports(item: Report) -> QuerySet:
    """Return the open reports identical to `item` (itself included): same place, reason and duplicate."""
    return Report.objects.filter(place_id=item.place_id, reason=item.reason, duplicate_of_id=item.duplicate_of_id, status=Report.Status.OPEN)


def may_moderate_somewhere(user) -> bool:
    """Tell whether `user` moderates anything: platform staff, or a moderator or admin of an organisation."""
    return _is_platform_moderator(user) or bool(user is not None and user.is_authenticated and moderated_organisations(user))


def suggestion(public_id: str) -> Suggestion:
    """Return a suggestion or raise NotFound."""
    found = Suggestion.objects.select_related("place", "author").filter(public_id=public_id).first()
    if found is None:
        raise NotFound(f"No suggestion has the identifier '{public_id}'.")
    return found


def report(public_id: str) -> Report:
    """Return a report or raise NotFound."""
    found = Report.objects.select_related("place").filter(public_id=public_id).first()
    if found is None:
        raise NotFound(f"No report has the identifier '{public_id}'.")
    return found


def current_state(place: Place) -> dict | None:
    """Return the state the last revision of a place recorded."""
    return PlaceRevision.objects.filter(place=place).order_by("-version").values_list("state", flat=True).first()


def revision_state(place: Place, version: int) -> dict | None:
    """Return the state of one revision of a place, or None."""
    return PlaceRevision.objects.filter(place=place, version=version).values_list("state", flat=True).first()


def suggestion_diff(item: Suggestion) -> list[Change]:
    """Return what accepting a suggestion would change, against the place as it is now."""
    from foodcommons.places.domain.validation import merge_patch

    if item.kind == Suggestion.Kind.CREATE:
        return diff_states({}, item.payload)
    before = current_state(item.place) or {}
    if item.kind == Suggestion.Kind.DELETE:
        return diff_states(before, {**before, "deleted": True})
    after = merge_patch(before, item.payload)
    after.setdefault("deleted", before.get("deleted", False))
    return diff_states(before, after)


@dataclass
class HistoryEntry:
    """One revision as the public history shows it."""

    version: int
    action: str
    author: str
    created_at: str
    comment: str
    changes: list[Change]

    @property
    def action_label(self) -> str:
        """Return the action in the active language (the stored action stays the code)."""
        return str(PlaceRevision.Action(self.action).label) if self.action in PlaceRevision.Action.values else self.action


def history(public_id: str) -> list[HistoryEntry]:
    """Return every revision of a place, newest first, each with its diff to the previous one."""
    from foodcommons.places.domain.privacy import private_keys, published_state

    place = place_by_public_id(public_id)
    revisions = list(PlaceRevision.objects.filter(place=place).select_related("author", "author__profile").order_by("version"))
    withheld = private_keys(place.contacts)
    entries, previous = [], None
    for revision in revisions:
        state = published_state(revision.state, withheld)
        entries.append(
            HistoryEntry(
                revision.version,
                revision.action,
                display_name(revision.author),
                revision.created_at.isoformat(),
                revision.comment,
                diff_states(previous, state),
            )
        )
        previous = state
    return entries[::-1]


def last_confirmation(place: Place) -> Confirmation | None:
    """Return the latest confirmation of a place, with who made it."""
    return Confirmation.objects.filter(place=place).select_related("user", "user__profile").order_by("-created_at").first()


def stale_condition(*, now=None) -> Q:
    """Return the condition of places unconfirmed (or, if never, created) longer ago than the configured time."""
    cutoff = stale_cutoff(now=now or timezone.now(), max_age_days=settings.FOODCOMMONS_STALE_AFTER_DAYS)
    # Spelled without an annotation, so that any query of places (the search's included) can take it.
    return Q(last_confirmed__lt=cutoff) | Q(last_confirmed__isnull=True, created_at__lt=cutoff)


def similar_places(*, name: str, lon: float | None, lat: float | None, radius_m: float = 500, limit: int = 5) -> list[Place]:
    """Return live places near a point whose names share a word with `name`, nearest first."""
    from foodcommons.core.text import search_document

    if lon is None or lat is None:
        return []
    words = {w for w in search_document(name).split() if len(w) > 2}
    half_lat = radius_m / METRES_PER_DEGREE
    half_lon = half_lat / max(math.cos(math.radians(lat)), 0.01)
    nearby = Place.objects.filter(deleted_at__isnull=True, lon__range=(lon - half_lon, lon + half_lon), lat__range=(lat - half_lat, lat + half_lat))
    found = []
    for place in nearby[:500]:
        names = search_document(place.name_fr, place.name_nl, place.name_en)
        if not words or words & set(names.split()):
            dx = (place.lon - lon) * math.cos(math.radians(lat))
            place.distance_m = round(math.hypot(dx, place.lat - lat) * METRES_PER_DEGREE)
            if place.distance_m <= radius_m:
                found.append(place)
    return sorted(found, key=lambda p: p.distance_m)[:limit]


def organisations() -> list[Organisation]:
    """Return every organisation by name."""
    return list(Organisation.objects.order_by("name"))


def organisation(slug: str) -> Organisation:
    """Return an organisation or raise NotFound."""
    found = Organisation.objects.filter(slug=slug).first()
    if found is None:
        raise NotFound(f"No organisation has the identifier '{slug}'.")
    return found


def is_stale(stale: bool, query) -> Q:
    """Places unconfirmed longer than the upkeep period (`stale` true), or the others (false)."""
    return stale_condition() if stale else ~stale_condition()


def register_place_filters() -> None:
    """Make upkeep's `stale` a filter of every query of places."""
    from foodcommons.places.domain.query import Filter, boolean, register_filter

    description = "Only places unconfirmed for longer than the upkeep period (true) or the others (false)"
    register_filter(Filter("stale", boolean("stale"), is_stale, description, annotation=bool))

