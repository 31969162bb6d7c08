"""Collaboration's part of a person's data export and of their account's deletion (receivers of accounts.signals)."""

from foodcommons.collaboration.models import Confirmation, Membership, Report, Suggestion


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_sections(sender, *, user, **kwargs) -> dict:
    """Return the memberships, suggestions, reports and confirmations of a person, as JSON-ready data."""
    return {
        "memberships": [{"organisation": m.organisation.slug, "role": m.role} for m in Membership.objects.filter(user=user).select_related("organisation")],
        "suggestions": [
            {"id": s.public_id, "kind": s.kind, "status": s.status, "created_at": _iso(s.created_at), "payload": s.payload, "comment": s.comment}
            for s in Suggestion.objects.filter(author=user)
        ],
        "reports": [
            {"id": r.public_id, "place": r.place.public_id, "reason": r.reason, "comment": r.comment, "created_at": _iso(r.created_at)}
            for r in Report.objects.filter(author=user).select_related("place")
        ],
        "confirmations": [
            {"place": c.place.public_id, "created_at": _iso(c.created_at)} for c in Confirmation.objects.filter(user=user).select_related("place")
        ],
    }


def forget_member(sender, *, user, **kwargs) -> None:
    """Remove a person leaving the platform from every organisation; their suggestions and reports stay, by "deleted user"."""
    Membership.objects.filter(user=user).delete()
