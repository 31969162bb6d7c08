"""Filters of the newsletter's composer: a change's title in the page's language, the kind of an item in words."""

from django import template
from django.utils import translation
from django.utils.translation import pgettext_lazy

from foodcommons.subscriptions.domain.digest import in_language

register = template.Library()

KIND_LABELS = {
    "project": pgettext_lazy("newsletter item", "project"),
    "event": pgettext_lazy("newsletter item", "event"),
    "document": pgettext_lazy("newsletter item", "document"),
    "expertise": pgettext_lazy("newsletter item", "offer of expertise"),
}


@register.filter
def title_in(titles: dict) -> str:
    """Return a title of the page's language (or another)."""
    return in_language(titles, (translation.get_language() or "fr")[:2])


@register.filter
def kind_label(kind: str) -> str:
    """Return the kind of a newsletter item in the page's language."""
    return str(KIND_LABELS.get(kind, kind))
