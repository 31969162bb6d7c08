"""A person's subscriptions in the export of their data, and their erasure with the account."""

from foodcommons.subscriptions.models import Subscription


def export_sections(sender, user, **kwargs) -> dict:
    """Return the subscriptions of an account (and of its address) for the export of its data."""
    rows = Subscription.objects.filter(user=user) | Subscription.objects.filter(email=(user.email or "").lower())
    return {"subscriptions": [{"kind": s.kind, "key": s.key, "email": s.email, "language": s.language,
                               "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None} for s in rows.distinct()]}


def forget_subscriber(sender, user, **kwargs) -> None:
    """Delete the subscriptions of an account being deleted (and those of its address)."""
    Subscription.objects.filter(user=user).delete()
    if user.email:
        Subscription.objects.filter(email=user.email.lower()).delete()
