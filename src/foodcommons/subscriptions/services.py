"""Writes of subscriptions: follow (confirmed at once with an account, else by an e-mailed link), confirm, unsubscribe, digests."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from foodcommons.core.ids import new_public_id
from foodcommons.core.mail import absolute
from foodcommons.core.problems import FieldError, InvalidInput, NotFound
from foodcommons.subscriptions.domain.digest import KINDS, LANGUAGES, Target, section
from foodcommons.subscriptions.links import CONFIRM_LINK_DAYS, CONFIRM_SALT, UNSUBSCRIBE_SALT, confirm_token, from_token
from foodcommons.subscriptions.mailing import send_digest, send_to_subscriber
from foodcommons.subscriptions.models import Subscription
from foodcommons.subscriptions.registry import changes_for, target_label

# A digest reports changes up to a minute ago: a write still committing with an earlier time is told by the next one.
SETTLING = timedelta(minutes=1)


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def checked_target(kind: str, key: str) -> Target:
    """Return the target named, or raise NotFound when its kind is unknown or it does not exist."""
    target = Target(kind, key or "")
    if kind not in KINDS or target_label(target, "fr") is None:
        raise NotFound(f"Nothing to follow at '{kind}/{key}'.")
    return target


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput([FieldError("email", gettext_noop("enter a valid e-mail address"))]) from None
    return email


def _mail_confirmation(subscription: Subscription) -> None:
    link = absolute(reverse("subscriptions:confirm", args=[confirm_token(subscription)]))
    send_to_subscriber.enqueue(subscription_id=subscription.public_id, template="subscriptions/email/confirm",
                               context={"confirm_link": link}, require_confirmed=False)


@transaction.atomic
def follow(*, kind: str, key: str = "", email: str = "", user=None, language: str = "fr") -> Subscription:
    """Follow a target: at once for an account's own address, else after the link e-mailed to `email`."""
    target = checked_target(kind, key)
    user = _user(user)
    email = _clean_email(email or (user.email if user else ""))
    language = language[:2] if language[:2] in LANGUAGES else "fr"
    subscription, _ = Subscription.objects.get_or_create(
        email=email, kind=target.kind, key=target.key, defaults={"public_id": new_public_id(), "language": language},
    )
    owned = user is not None and user.email.strip().lower() == email
    if owned and subscription.user_id is None:
        subscription.user = user
    subscription.language = language
    if subscription.confirmed_at is None and owned:
        subscription.confirmed_at = subscription.notified_until = timezone.now()
    subscription.save()
    if subscription.confirmed_at is None:
        _mail_confirmation(subscription)
    return subscription


@transaction.atomic
def confirm(*, token: str) -> Subscription:
    """Confirm a subscription by its e-mailed link; digests start from now."""
    public_id = from_token(token, CONFIRM_SALT, CONFIRM_LINK_DAYS * 86400).get("s")
    subscription = Subscription.objects.select_for_update().filter(public_id=public_id).first()
    if subscription is None:
        raise NotFound("This subscription no longer exists.")
    if subscription.confirmed_at is None:
        subscription.confirmed_at = subscription.notified_until = timezone.now()
        subscription.save(update_fields=["confirmed_at", "notified_until"])
    return subscription


def subscriptions_of_link(token: str) -> list[Subscription]:
    """Return the subscriptions an unsubscribe link names (none left: already unsubscribed)."""
    payload = from_token(token, UNSUBSCRIBE_SALT, None)
    if "s" in payload:
        return list(Subscription.objects.filter(public_id=payload["s"]))
    return list(Subscription.objects.filter(email=payload.get("e", "")).order_by("kind", "key"))


@transaction.atomic
def unsubscribe(*, token: str) -> int:
    """Delete what an unsubscribe link names (nothing of the subscription is kept); return how many were deleted."""
    ids = [s.pk for s in subscriptions_of_link(token)]
    return Subscription.objects.filter(pk__in=ids).delete()[0]


def mail_subscribers(*, target: Target, template: str, contexts: dict[str, dict]) -> int:
    """Queue one e-mail per confirmed subscriber of `target`, with the context of their language; return how many."""
    queued = 0
    for public_id, language in Subscription.objects.filter(kind=target.kind, key=target.key, confirmed_at__isnull=False).values_list("public_id", "language"):
        context = contexts.get(language) or next(iter(contexts.values()))
        send_to_subscriber.enqueue(subscription_id=public_id, template=template, context=context)
        queued += 1
    return queued


def _digest_subscriptions():
    found = Subscription.objects.filter(confirmed_at__isnull=False).exclude(kind=Subscription.Kind.NEWSLETTER).order_by("email", "kind", "key")
    by_email: dict[str, list[Subscription]] = defaultdict(list)
    for subscription in found:
        by_email[subscription.email].append(subscription)
    return by_email


def send_digests(*, now: datetime | None = None) -> int:
    """Send each address one e-mail of what changed for what it follows since its last digest; return how many were sent."""
    until = (now or timezone.now()) - SETTLING
    sent = 0
    for email, subscriptions in _digest_subscriptions().items():
        sections = []
        for subscription in subscriptions:
            since = subscription.notified_until or subscription.confirmed_at
            if since >= until:
                continue
            found = section(subscription.public_id, changes_for(Target(subscription.kind, subscription.key), since=since, until=until))
            if found is not None:
                sections.append(found)
        if sections:
            send_digest.enqueue(email=email, sections=[_section_json(s) for s in sections])
            sent += 1
        Subscription.objects.filter(pk__in=[s.pk for s in subscriptions]).update(notified_until=until)
    return sent


def _section_json(found) -> dict:
    return {"subscription": found.subscription, "more": found.more, "changes": [
        {"kind": c.kind, "titles": c.titles, "path": c.path, "action": c.action, "at": c.at.isoformat()} for c in found.changes
    ]}
