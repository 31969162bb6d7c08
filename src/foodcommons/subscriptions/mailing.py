"""E-mails to subscribers, each in its language, with a one-click unsubscribe link and List-Unsubscribe headers (RFC 2369, 8058)."""

from datetime import datetime

from django.core.mail import EmailMessage
from django.utils import translation
from django_tasks import task

from foodcommons.core.mail import absolute, render_email
from foodcommons.subscriptions.domain.digest import Target, in_language
from foodcommons.subscriptions.links import unsubscribe_link
from foodcommons.subscriptions.models import Subscription
from foodcommons.subscriptions.registry import target_label


def unsubscribe_headers(link: str) -> dict:
    """Return the headers with which mail clients offer a one-click unsubscribe (a POST to `link`)."""
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _label(subscription: Subscription) -> str:
    with translation.override(subscription.language):
        return target_label(Target(subscription.kind, subscription.key), subscription.language) or subscription.key


def _send(*, to: str, language: str, template: str, context: dict, unsubscribe: str) -> None:
    subject, body = render_email(template=template, language=language, context={**context, "unsubscribe_link": unsubscribe})
    headers = {"Content-Language": language, **unsubscribe_headers(unsubscribe)}
    EmailMessage(subject, body, to=[to], headers=headers).send()


@task()
def send_to_subscriber(subscription_id: str, template: str, context: dict, require_confirmed: bool = True) -> None:
    """Send one e-mail to one subscriber in their language (a confirmation, a newsletter issue…)."""
    subscription = Subscription.objects.filter(public_id=subscription_id).first()
    if subscription is None or (require_confirmed and subscription.confirmed_at is None):
        return  # unsubscribed (or never confirmed) since the e-mail was queued
    context = {**context, "target": _label(subscription), "kind": subscription.kind}
    _send(to=subscription.email, language=subscription.language, template=template, context=context,
          unsubscribe=unsubscribe_link(subscription=subscription))


def _change_line(change: dict, language: str) -> dict:
    return {"title": in_language(change["titles"], language), "url": absolute(change["path"]), "action": change["action"],
            "at": datetime.fromisoformat(change["at"])}


@task()
def send_digest(email: str, sections: list[dict]) -> None:
    """Send one address the digest of what changed for each thing it follows, each part with its own unsubscribe link."""
    subscriptions = {s.public_id: s for s in Subscription.objects.filter(email=email, public_id__in=[x["subscription"] for x in sections])}
    if not subscriptions:
        return
    language = max(subscriptions.values(), key=lambda s: s.created_at).language
    parts = [
        {"target": _label(s), "kind": s.kind, "more": x["more"], "unsubscribe_link": unsubscribe_link(subscription=s),
         "changes": [_change_line(c, language) for c in x["changes"]]}
        for x in sections if (s := subscriptions.get(x["subscription"]))
    ]
    _send(to=email, language=language, template="subscriptions/email/digest", context={"parts": parts},
          unsubscribe=unsubscribe_link(email=email))
