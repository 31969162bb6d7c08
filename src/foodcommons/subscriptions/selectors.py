"""Reads of subscriptions: the names of targets, what changed for them, the follow link others put on their pages."""

from datetime import datetime

from django.urls import reverse

from foodcommons.subscriptions.domain.digest import Change, Target, latest_first
from foodcommons.subscriptions.models import Subscription
from foodcommons.subscriptions.registry import changes_for, target_label


def label(target: Target, language: str) -> str:
    """Return the name of a target in `language` (its key when it has none)."""
    return target_label(target, language) or target.key


def target_of(subscription: Subscription) -> Target:
    """Return what a subscription follows."""
    return Target(subscription.kind, subscription.key)


def has_feed(target: Target) -> bool:
    """Say whether a target has an Atom feed of its changes (the newsletter has its pages instead)."""
    return target.kind != Subscription.Kind.NEWSLETTER


def recent_changes(target: Target, *, since: datetime, until: datetime, size: int = 50) -> list[Change]:
    """Return the latest changes of a target, newest first, each item once."""
    return latest_first(changes_for(target, since=since, until=until))[:size]


def follow_target(kind: str, key: str = "") -> str:
    """Return the path of the page where anyone follows a target: the hook other apps put behind a "Follow" button."""
    return reverse("subscriptions:follow", args=[kind, key]) if key else reverse("subscriptions:follow-all", args=[kind])


def feed_of(kind: str, key: str = "") -> str:
    """Return the path of a target's Atom feed."""
    return reverse("subscriptions:feed", args=[kind, key]) if key else reverse("subscriptions:feed-all", args=[kind])


def subscriber_count(target: Target) -> int:
    """Return how many confirmed addresses follow a target (a number only: addresses are never shown)."""
    return Subscription.objects.filter(kind=target.kind, key=target.key, confirmed_at__isnull=False).count()
