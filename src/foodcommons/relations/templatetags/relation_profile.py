"""The relation profile section of a short-chain place's page (the place page includes it; other places get nothing)."""

from django import template
from django.utils import translation

from foodcommons.relations import foodaid, selectors

register = template.Library()


@register.inclusion_tag("relations/profile.html")
def relation_profile_section(place):
    """Render the declared relation facts of a short-chain place in plain sentences, and the invitation to declare."""
    if place.is_deleted or not selectors.is_short_chain(place):
        return {"rows": None}
    rows = selectors.profile(place, (translation.get_language() or "fr")[:2])
    return {"rows": rows, "place": place, "declared": sum(r.declared for r in rows)}


@register.inclusion_tag("relations/food_aid_card.html")
def food_aid_section(place):
    """Render the access card of a food-aid place at the top of its page (nothing for other places)."""
    if place.is_deleted or not foodaid.is_food_aid(place):
        return {"card": None}
    return {"card": foodaid.access_card(place, (translation.get_language() or "fr")[:2]), "place": place}
