"""The Atom feed of recent changes, filterable by territory and category."""

from django.conf import settings
from django.utils.feedgenerator import Atom1Feed

from foodcommons.places.domain.privacy import private_keys, published_state
from foodcommons.places.domain.query import PlaceQuery, parse_filters
from foodcommons.places.models import Place, PlaceRevision
from foodcommons.places.selectors import matching_places

ATOM_SIZE = 50
TITLE_OF_CHANGE = {"created": "New", "updated": "Changed", "deleted": "Deleted"}


def recent_revisions(*, territory: str | None, category: str | None, size: int = ATOM_SIZE) -> list[PlaceRevision]:
    """Return the latest revisions of places in `territory` and `category` (as every search means them), newest first."""
    query = PlaceQuery(filters=parse_filters({"territory": territory, "category": category}))
    qs = PlaceRevision.objects.select_related("place")
    if query.filters:
        # Deleted places included: their deletion is a change the feed tells.
        qs = qs.filter(place_id__in=matching_places(query, base=Place.objects.all()).values("pk"))
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
