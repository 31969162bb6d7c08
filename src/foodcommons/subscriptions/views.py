"""Pages of subscriptions: follow something, confirm by the e-mailed link, unsubscribe, and the Atom feed of a target."""

from datetime import timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.csrf import csrf_exempt

from foodcommons.core import ratelimit
from foodcommons.core.form_errors import show_field_errors
from foodcommons.core.mail import absolute
from foodcommons.core.problems import InvalidInput
from foodcommons.subscriptions import selectors, services
from foodcommons.subscriptions.domain.digest import in_language
from foodcommons.subscriptions.forms import FollowForm

FEED_DAYS = 30
ACTION_WORDS = {"new": pgettext_lazy("subscription change", "New"), "changed": pgettext_lazy("subscription change", "Changed"),
                "deleted": pgettext_lazy("subscription change", "Deleted")}


def _language() -> str:
    return (translation.get_language() or "fr")[:2]


def follow(request, kind, key=""):
    """Follow a territory, a category, a place, a work stream or the newsletter: a form, then a confirmation or an e-mail."""
    target = services.checked_target(kind, key)
    signed_in = request.user.is_authenticated
    context = {"target": target, "label": selectors.label(target, _language()), "feed": selectors.has_feed(target)}
    if request.method != "POST":
        form = FollowForm(initial={"language": _language()}, signed_in=signed_in)
        return render(request, "subscriptions/follow.html", {**context, "form": form})
    form = FollowForm(request.POST, signed_in=signed_in)
    if form.is_valid():
        ratelimit.check(scope="subscribe", key=ratelimit.client_address(request))
        try:
            subscription = services.follow(kind=kind, key=key, email=form.cleaned_data["email"], user=request.user,
                                           language=form.cleaned_data["language"])
        except InvalidInput as problem:
            show_field_errors(form, problem)
        else:
            return render(request, "subscriptions/followed.html", {**context, "subscription": subscription})
    return render(request, "subscriptions/follow.html", {**context, "form": form}, status=400)


def confirm(request, token):
    """The e-mailed link that confirms a subscription."""
    subscription = services.confirm(token=token)
    target = selectors.target_of(subscription)
    return render(request, "subscriptions/followed.html", {"target": target, "label": selectors.label(target, _language()),
                                                           "subscription": subscription, "confirmed_now": True})


@csrf_exempt  # mail clients POST the one-click unsubscribe (RFC 8058) with no session: the signed token is the proof
def unsubscribe(request, token):
    """The unsubscribe link: a page with one button (link scanners only GET), and the POST of mail clients' one click."""
    if request.method == "POST":
        removed = services.unsubscribe(token=token)
        return render(request, "subscriptions/unsubscribed.html", {"removed": removed})
    found = services.subscriptions_of_link(token)
    labels = [selectors.label(selectors.target_of(s), _language()) for s in found]
    return render(request, "subscriptions/unsubscribe.html", {"labels": labels, "token": token})


def feed(request, kind, key=""):
    """What changed in the last 30 days for a target, as Atom (RFC 4287)."""
    target = services.checked_target(kind, key)
    if not selectors.has_feed(target):
        raise Http404
    language, now = _language(), timezone.now()
    label = selectors.label(target, language)
    atom = Atom1Feed(title=f"foodcommons: {label}", link=absolute(request.path), feed_url=absolute(request.path), language=language,
                     description=_("What changed in the last 30 days"))
    for change in selectors.recent_changes(target, since=now - timedelta(days=FEED_DAYS), until=now):
        title = in_language(change.titles, language)
        atom.add_item(title=f"{ACTION_WORDS[change.action]}: {title}", link=absolute(change.path), description=in_language(change.summaries, language),
                      unique_id=f"{absolute(change.path)}#{change.at.isoformat()}", updateddate=change.at, pubdate=change.at)
    return HttpResponse(atom.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")
