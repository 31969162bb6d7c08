"""Mirroring another instance: load its dump, then replay its change feed, keeping its ids and versions.

A mirror must be identical to its origin, so it keeps the origin's public ids, versions and times
instead of writing through create_place/update_place (which would mint new ids and versions). It
still validates every state with the same rules and records a revision for each change it applies.
"""

import datetime as dt
import io
import json
import time
import zipfile
from collections.abc import Callable

from django.db import transaction

from foodcommons.core import outbound
from foodcommons.core.problems import Problem
from foodcommons.opendata.models import MirrorState
from foodcommons.places import search_index
from foodcommons.places.domain.fields import place_fields
from foodcommons.places.domain.validation import clean_place, merge_patch
from foodcommons.places.models import Place, PlaceAreaServed, PlaceCategory, PlaceRevision
from foodcommons.places.services import default_lookups, index_row, place_columns
from foodcommons.places.signals import places_changed
from foodcommons.places.state import place_state
from foodcommons.taxonomy.selectors import category_tree

USER_AGENT = "foodcommons-mirror"


class MirrorError(Exception):
    """The origin could not be read, or sent something this instance cannot apply."""


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _set_links(place: Place, categories: list[str], areas: list[str]) -> None:
    tree = category_tree()
    PlaceCategory.objects.filter(place=place).delete()
    PlaceCategory.objects.bulk_create([PlaceCategory(place=place, category_id=tree.nodes[s].id) for s in categories])
    PlaceAreaServed.objects.filter(place=place).delete()
    PlaceAreaServed.objects.bulk_create([PlaceAreaServed(place=place, territory_id=c) for c in areas])


def apply_state(*, state: dict, action: str, origin: str) -> bool:
    """Make the local copy of a place equal to `state` unless it already has that version; tell whether it wrote."""
    existing = Place.objects.select_for_update().filter(public_id=state["id"]).first()
    if existing is not None and existing.version >= state["version"]:
        return False
    try:
        clean = clean_place(merge_patch(state, {}), default_lookups())
    except Problem as problem:
        raise MirrorError(f"the place {state['id']} v{state['version']} is refused here: {problem.detail}") from problem
    commune = (state.get("address") or {}).get("commune") or None
    columns = {
        **place_columns(clean, commune),
        "version": state["version"],
        "created_at": _time(state["created_at"]),
        "updated_at": _time(state["updated_at"]),
        "last_confirmed": _time(state.get("last_confirmed")),
        "deleted_at": _time(state["updated_at"]) if state.get("deleted") else None,
    }
    if existing is None:
        place = Place.objects.create(public_id=state["id"], **columns)
    else:
        Place.objects.filter(pk=existing.pk).update(**columns)
        place = Place.objects.get(pk=existing.pk)
    _set_links(place, clean.categories, clean.areas_served)
    if place.deleted_at is None:
        search_index.dialect().sync([index_row(place)])
    else:
        search_index.dialect().remove([place.pk])
    PlaceRevision.objects.create(
        place=place, version=place.version, action=action, created_at=place.updated_at,
        comment=f"Mirrored from {origin}"[:500], state=place_state(place, categories=clean.categories, areas_served=clean.areas_served),
    )
    transaction.on_commit(lambda: places_changed.send(sender=Place, place_ids=[place.pk]))
    return True


def state_of_feature(feature: dict) -> dict:
    """Return the place state carried by a GeoJSON feature of the dump."""
    properties = {**feature["properties"], "id": feature["id"], "geometry": feature["geometry"]}
    return {f.name: properties[f.name] for f in place_fields().in_state() if f.name in properties}


class Origin:
    """The HTTP side of a mirror: the origin's dump and change feed."""

    def __init__(self, url: str, timeout: float = 60, allow_private: bool | None = None):
        self.url, self.timeout, self.allow_private = url.rstrip("/"), timeout, allow_private

    def _get(self, path: str) -> bytes:
        # Through the one safe fetcher: an origin on a private address needs FOODCOMMONS_FETCH_ALLOW_PRIVATE or --allow-private.
        try:
            return outbound.fetch(self.url + path, headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                                  limits=outbound.Limits(read_seconds=self.timeout), allow_private=self.allow_private)
        except outbound.FetchRefused as error:
            raise MirrorError(f"cannot read {self.url}{path}: {error}") from error

    def dump(self) -> tuple[str, list[dict]]:
        """Return the change cursor of the origin's latest dump and the place states it holds."""
        with zipfile.ZipFile(io.BytesIO(self._get("/api/dumps/latest"))) as archive:
            descriptor = json.loads(archive.read("datapackage.json"))
            features = json.loads(archive.read("places.geojson"))["features"]
        return descriptor["foodcommons"]["changes_cursor"], [state_of_feature(f) for f in features]

    def changes(self, cursor: str, limit: int) -> dict:
        """Return one page of the origin's change feed after `cursor`."""
        return json.loads(self._get(f"/api/changes?since={cursor}&limit={limit}"))


def _bootstrap(origin: Origin, state: MirrorState) -> int:
    cursor, states = origin.dump()
    with transaction.atomic():
        written = sum(apply_state(state=s, action=PlaceRevision.Action.CREATE, origin=origin.url) for s in states)
        state.bootstrapped, state.cursor, state.applied = True, cursor, state.applied + written
        state.save()
    return written


def _apply_page(origin: Origin, state: MirrorState, page: dict) -> int:
    # One transaction per page: the cursor moves with the changes it covers, so a kill loses nothing.
    with transaction.atomic():
        written = sum(apply_state(state=c["state"], action=c["action"], origin=origin.url) for c in page["changes"])
        state.cursor, state.applied = page["next_cursor"], state.applied + written
        state.save()
    return written


def run_mirror(*, url: str, page_size: int = 500, follow: bool = False, pause: float = 0.0, log: Callable[[str], None] = lambda _: None,
               allow_private: bool | None = None) -> int:
    """Copy the origin at `url` (dump first, then changes) and return how many changes were written."""
    origin = Origin(url, allow_private=allow_private)
    state, _ = MirrorState.objects.get_or_create(origin=origin.url)
    written = 0
    if not state.bootstrapped:
        written += _bootstrap(origin, state)
        log(f"Loaded the dump of {origin.url}: {written} places, cursor {state.cursor}.")
    while True:
        page = origin.changes(state.cursor, page_size)
        written += _apply_page(origin, state, page)
        if page["more"]:
            time.sleep(pause)
            continue
        if not follow:
            break
        time.sleep(max(pause, 1.0))
    log(f"Mirror of {origin.url} is at cursor {state.cursor}: {written} changes written in this run.")
    return written
