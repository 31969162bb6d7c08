"""The Atom feed of recent changes, filterable by territory and category."""

from django.conf import settings
from django.utils.feedgenerator import Atom1Feed

from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.places.domain.privacy import private_keys, published_state
from foodcommons.places.models import PlaceCategory, PlaceRevision
from foodcommons.taxonomy.selectors import category_tree, expand_categories
from foodcommons.territories import selectors as territories

ATOM_SIZE = 50
TITLE_OF_CHANGE = {"created": "New", "updated": "Changed", "deleted": "Deleted"}


def recent_revisions(*, territory: str | None, category: str | None, size: int = ATOM_SIZE) -> list[PlaceRevision]:
    """Return the latest revisions of places in `territory` and `category`, newest first."""
    qs = PlaceRevision.objects.select_related("place")
    if territory:
        if not territories.territory_exists(territory):
            raise InvalidInput([FieldError("territory", f"unknown territory NIS code '{territory}'")])
        qs = qs.filter(place__commune_id__in=territories.commune_codes_within(territory))
    if category:
        if category not in category_tree().nodes:
            raise InvalidInput([FieldError("category", f"unknown category '{category}'")])
        qs = qs.filter(place_id__in=PlaceCategory.objects.filter(category_id__in=expand_categories([category])).values("place_id"))
    return list(qs.order_by("-id")[:size])


def atom_feed(revisions: list[PlaceRevision], *, base_url: str, feed_url: str) -> str:
    """Return the Atom document of a list of revisions."""
    from foodcommons.opendata.changes import CHANGE_OF_ACTION

    feed = Atom1Feed(
        title=f"{settings.FOODCOMMONS_SITE_NAME}: recent changes",
        link=f"{base_url}/api/changes",
        feed_url=feed_url,
        description="Changes of the places of the commons",
        language="fr",
        feed_copyright=f"Data under {settings.FOODCOMMONS_DEFAULT_LICENCE}; see the attribution of each place",
    )
    for revision in revisions:
        state = published_state(revision.state, private_keys(revision.place.contacts))
        name = next(iter(state.get("name", {}).values()), state["id"])
        change = CHANGE_OF_ACTION.get(revision.action, "updated")
        feed.add_item(
            title=f"{TITLE_OF_CHANGE[change]}: {name}",
            link=f"{base_url}/api/places/{state['id']}",
            description=revision.comment or f"{revision.action} (version {revision.version})",
            unique_id=f"{base_url}/api/places/{state['id']}/revisions#v{revision.version}",
            updateddate=revision.created_at,
            pubdate=revision.created_at,
            categories=state.get("categories", []),
        )
    return feed.writeString("utf-8")
