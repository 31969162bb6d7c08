"""The changes of places (their revisions, as the change feed gives them) and the names of the targets subscriptions knows itself."""

from datetime import datetime

from django.utils.translation import gettext

from foodcommons.places.domain.query import PlaceQuery, parse_filters
from foodcommons.places.models import Place, PlaceRevision
from foodcommons.places.selectors import matching_places
from foodcommons.subscriptions.domain.digest import Change, Target
from foodcommons.subscriptions.registry import register_change_source, register_target_kind
from foodcommons.taxonomy.models import Category
from foodcommons.territories.models import Territory

ACTION_OF_REVISION = {"create": "new", "delete": "deleted"}
PLACE_FILTER_OF_KIND = {"territory": "territory", "category": "category"}


def _revisions(target: Target):
    if target.kind == "place":
        return PlaceRevision.objects.filter(place__public_id=target.key)
    query = PlaceQuery(filters=parse_filters({PLACE_FILTER_OF_KIND[target.kind]: target.key}))
    # Deleted places included: their deletion is a change worth telling, as in the change feed.
    return PlaceRevision.objects.filter(place_id__in=matching_places(query, base=Place.objects.all()).values("pk"))


def place_changes(target: Target | None, since: datetime, until: datetime) -> list[Change]:
    """Return the changes of the places a territory, category or place target covers (only the public name is read)."""
    if target is None or target.kind not in ("place", *PLACE_FILTER_OF_KIND):
        return []
    rows = _revisions(target).filter(created_at__gt=since, created_at__lte=until).values_list("place__public_id", "action", "created_at", "state")
    return [
        Change(kind="place", ref=public_id, titles=dict((state or {}).get("name") or {}) or {"fr": public_id}, path=f"/places/{public_id}",
               at=at, action=ACTION_OF_REVISION.get(action, "changed"))
        for public_id, action, at, state in rows.order_by("-id")[:500]
    ]


def _territory_label(key: str, language: str) -> str | None:
    territory = Territory.objects.filter(code=key).first()
    return territory.name(language) if territory else None


def _category_label(key: str, language: str) -> str | None:
    category = Category.objects.filter(slug=key).first()
    return category.label(language) if category else None


def _place_label(key: str, language: str) -> str | None:
    place = Place.objects.filter(public_id=key, deleted_at__isnull=True).first()
    return place.display_name(language) if place else None


def _newsletter_label(key: str, language: str) -> str | None:
    return gettext("the newsletter") if key == "" else None


def register_place_changes() -> None:
    """Register the place changes and the names of territories, categories, places and the newsletter."""
    register_change_source("places", place_changes)
    register_target_kind("territory", _territory_label)
    register_target_kind("category", _category_label)
    register_target_kind("place", _place_label)
    register_target_kind("newsletter", _newsletter_label)
