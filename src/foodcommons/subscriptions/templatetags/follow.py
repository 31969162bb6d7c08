"""{% follow_button kind key %}: the "Follow" link any page puts beside a territory, a category, a place or a work stream."""

from django import template

from foodcommons.subscriptions.selectors import follow_target

register = template.Library()


@register.inclusion_tag("subscriptions/follow_button.html")
def follow_button(kind: str, key: str = "") -> dict:
    """Render the Follow link of a target ("Subscribe" for the newsletter)."""
    return {"href": follow_target(kind, str(key)), "subscribe": kind == "newsletter"}
