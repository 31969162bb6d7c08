"""Who may import into which source: the organisation keeping a source (`Source.organisation`) and the matrix."""

from foodcommons.collaboration.models import Membership, Organisation
from foodcommons.collaboration.permissions import Action, Role, allowed, role_for
from foodcommons.imports.models import ImportRun, MatchCandidate, Source


def is_platform_staff(user) -> bool:
    """Tell whether `user` is platform staff (a platform moderator: may import into any source)."""
    return bool(user is not None and user.is_authenticated and (user.is_staff or user.is_superuser))


def importing_organisations(*, user) -> list[Organisation]:
    """Return the organisations in which `user` may import (every one for platform staff)."""
    if user is None or not user.is_authenticated:
        return []
    if is_platform_staff(user):
        return list(Organisation.objects.order_by("name"))
    roles = [r for r in Role if allowed(r, Action.IMPORT_DATA)]
    ids = Membership.objects.filter(user=user, role__in=roles).values_list("organisation_id", flat=True)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def may_import_somewhere(*, user) -> bool:
    """Tell whether `user` may import into at least one source, existing or new."""
    return is_platform_staff(user) or bool(importing_organisations(user=user))


def _role_on_source(user, source: Source | None) -> Role:
    """Return the role of `user` on a source: their highest one in the organisation keeping it (none kept: staff only)."""
    authenticated = bool(user is not None and user.is_authenticated)
    roles: list[str] = []
    if authenticated and not is_platform_staff(user) and source is not None and source.organisation_id:
        roles = list(Membership.objects.filter(user=user, organisation_id=source.organisation_id).values_list("role", flat=True))
    return role_for(authenticated=authenticated, platform_moderator=is_platform_staff(user), organisation_roles=roles)


def may_import(*, user, source: Source) -> bool:
    """Tell whether `user` may run, dry-run and revert imports into `source`."""
    return allowed(_role_on_source(user, source), Action.IMPORT_DATA)


def may_review_source(*, user, source: Source | None) -> bool:
    """Tell whether `user` may decide the possible duplicates that imports into `source` sent to review."""
    return allowed(_role_on_source(user, source), Action.REVIEW_DUPLICATES)


def may_review(*, user, candidate: MatchCandidate) -> bool:
    """Tell whether `user` may merge a pair of possible duplicates or keep it apart."""
    return may_review_source(user=user, source=candidate.run.source if candidate.run_id else None)


def reviewable_candidates(*, user, limit: int = 100) -> list[MatchCandidate]:
    """Return the pending pairs `user` may decide (every one for staff), best score first, whose two places still exist."""
    pending = MatchCandidate.objects.filter(status=MatchCandidate.Status.PENDING, place_a__deleted_at__isnull=True, place_b__deleted_at__isnull=True)
    if not is_platform_staff(user):
        roles = [r for r in Role if allowed(r, Action.REVIEW_DUPLICATES)]
        organisations = Membership.objects.filter(user=user, role__in=roles).values_list("organisation_id", flat=True)
        pending = pending.filter(run__source__organisation_id__in=organisations)
    return list(pending.select_related("place_a", "place_b", "run__source")[:limit])


def importable_sources(*, user) -> list[Source]:
    """Return the sources `user` may import into: all for staff, else those kept by their organisations."""
    if is_platform_staff(user):
        return list(Source.objects.all())
    organisations = importing_organisations(user=user)
    return list(Source.objects.filter(organisation__in=organisations)) if organisations else []


def recent_runs(*, sources: list[Source], limit: int = 30) -> list[ImportRun]:
    """Return the latest runs into the given sources, newest first."""
    return list(ImportRun.objects.filter(source__in=sources).select_related("source", "author")[:limit])


def run_candidates(*, run: ImportRun) -> list[MatchCandidate]:
    """Return the pending possible duplicates a run sent to review whose two places still exist."""
    return list(MatchCandidate.objects.filter(run=run, status=MatchCandidate.Status.PENDING, place_a__deleted_at__isnull=True,
                                              place_b__deleted_at__isnull=True).select_related("place_a", "place_b")[:1000])
