"""Reads of food-aid access: the places open now (hours and dated closures) and without referral, a place's access card,
and the Open Referral HSDS export."""

import datetime

from django.utils import timezone

from foodcommons.core.mail import absolute
from foodcommons.core.values.hours import is_open_at
from foodcommons.places.domain.query import PlaceQuery
from foodcommons.places.models import Place, PlaceCategory
from foodcommons.places.representations import place_json
from foodcommons.places.selectors import matching_places, with_relations
from foodcommons.relations.domain.foodaid import closed_on, closures_ahead, hsds_service
from foodcommons.taxonomy.selectors import attribute_specs_for, category_tree, expand_categories

FOOD_AID = "food-aid"
NOW_LIMIT = 300
EXPORT_LIMIT = 10000


def food_aid_ids() -> list[int]:
    """Return the ids of the food-aid categories."""
    return expand_categories([FOOD_AID]) if FOOD_AID in category_tree().nodes else []


def is_food_aid(place: Place) -> bool:
    """Tell whether a place gives food aid."""
    return PlaceCategory.objects.filter(place=place, category_id__in=food_aid_ids()).exists()


def open_without_closure(place: Place, moment: datetime.datetime) -> bool:
    """Tell whether a place is open at `moment` by its hours and no dated closure covers that day."""
    local = timezone.localtime(moment)
    if closed_on((place.attributes or {}).get("temporary_closures"), local.date()):
        return False
    return bool(place.opening_hours) and is_open_at(place.opening_hours, local) is True


def food_aid_open_now(*, territory: str, without_referral: bool, now: datetime.datetime | None = None) -> list[Place]:
    """Return the active food-aid places of a territory open now, without a referral when asked, by name."""
    filters: list = [("territory", territory), ("category", (FOOD_AID,)), ("status", ("active",))]
    if without_referral:
        # Only places that said no referral is needed: an unknown answer is not a "no".
        filters.append(("attr", (("referral_required", False),)))
    places = matching_places(PlaceQuery(filters=tuple(filters))).exclude(opening_hours="").order_by("name_fr", "pk")[:NOW_LIMIT]
    moment = now or timezone.now()
    return [p for p in places if open_without_closure(p, moment)]


def _choice_label(specs, language: str):
    def label(key: str, code) -> str:
        spec = specs.get(key)
        return spec.choice_label(str(code), language) if spec is not None else str(code)
    return label


def access_card(place: Place, language: str, today: datetime.date | None = None) -> dict:
    """Return what someone in a hurry needs: referral, price, what to bring, and the closures under way or coming."""
    attributes = place.attributes or {}
    slugs = list(PlaceCategory.objects.filter(place=place).values_list("category__slug", flat=True))
    label = _choice_label(attribute_specs_for(slugs), language)
    price = label("price", attributes["price"]) if attributes.get("price") else ""
    if price and attributes.get("price_amount") is not None and attributes.get("price") != "free":
        per = f" / {label('price_per', attributes['price_per']).lower()}" if attributes.get("price_per") else ""
        price = f"{price}: {attributes['price_amount']:g} €{per}"
    return {
        "referral": attributes.get("referral_required"), "referral_by": attributes.get("referral_by", ""),
        "modalities": [label("access_modality", m) for m in attributes.get("access_modality") or []],
        "welcome": label("publics_welcome", attributes["publics_welcome"]) if attributes.get("publics_welcome") else "",
        "price": price, "documents": attributes.get("documents_required", ""),
        "languages": [label("languages_spoken", c) for c in attributes.get("languages_spoken") or []],
        "closures": closures_ahead(attributes.get("temporary_closures"), today or timezone.localdate(), language),
    }


def english_labels():
    """Return the English label of an attribute's code, for the HSDS export (its texts are in English)."""
    return _choice_label(attribute_specs_for([FOOD_AID]), "en")


def hsds_services(*, territory: str | None = None) -> list[dict]:
    """Return the HSDS 3.0 service records of the live food-aid places (of a territory)."""
    filters: list = [("category", (FOOD_AID,))]
    if territory:
        filters.append(("territory", territory))
    places = with_relations(list(matching_places(PlaceQuery(filters=tuple(filters))).order_by("pk")[:EXPORT_LIMIT]))
    base = absolute("/").rstrip("/")
    labels = english_labels()
    return [hsds_service(place_json(p, base_url=base), labels) for p in places]
