"""The links of subscription e-mails: confirmation (7 days) and unsubscribe (never expires), signed, nothing stored."""

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_noop

from foodcommons.core.mail import absolute
from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.subscriptions.models import Subscription

CONFIRM_SALT = "subscriptions.confirm"
UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"
CONFIRM_LINK_DAYS = 7


def confirm_token(subscription: Subscription) -> str:
    """Return the token of the link that confirms a subscription made without an account."""
    return signing.dumps({"s": subscription.public_id}, salt=CONFIRM_SALT)


def unsubscribe_token(*, subscription: Subscription | None = None, email: str = "") -> str:
    """Return the token of an unsubscribe link: of one subscription, or of every subscription of an address."""
    payload = {"s": subscription.public_id} if subscription is not None else {"e": email}
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT)


def unsubscribe_link(**kwargs) -> str:
    """Return the absolute one-click unsubscribe link (see unsubscribe_token)."""
    return absolute(reverse("subscriptions:unsubscribe", args=[unsubscribe_token(**kwargs)]))


def from_token(token: str, salt: str, max_age: int | None) -> dict:
    """Return the payload of a signed link, or raise InvalidInput when it is forged or expired."""
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        payload = None
    if not isinstance(payload, dict):
        raise InvalidInput([FieldError("token", gettext_noop("this link is invalid or has expired"))])
    return payload
