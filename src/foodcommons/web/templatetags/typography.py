"""The punctuation of labels in the page's language: French puts a no-break space before a colon, Dutch and English do not."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def colon() -> str:
    """Return the colon after a label ("Statut :", "Status:"), the space before it unbreakable so that it never starts a line."""
    return "\u00a0:" if (get_language() or "").startswith("fr") else ":"
