"""Published representations of places encoded once, so that a page of `GET /api/places` is assembled, not built.

A place's public body is what `representations.place_json` returns for a visitor, less what depends on the request
or on other areas (`url`, `distance_m`, `sources`, `attribution`): its published state with its territories, as
orjson bytes. A stored body is used only while it is current — the place's `version` and `last_confirmed`, and the
`epoch` (the shape of the fields, the categories' slugs and the territories' hierarchy) all unchanged — so a reader
never shows an outdated place: it builds any other afresh. Bodies are written after each change of places
(`on_places_changed`), with the places themselves by bulk creation (`store_new_bodies`), and all at once by
`foodcommons rebuild_public_json` (after a change of categories or territories).
"""

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import orjson
from django.db import DatabaseError, connection, transaction

from foodcommons.core.sql import ids_condition
from foodcommons.places.bulk_sql import insert_values, upsert_values
from foodcommons.places.domain.fields import place_fields
from foodcommons.places.domain.privacy import published_state
from foodcommons.places.models import Place, PlacePublicJson
from foodcommons.places.relations import attach_relations
from foodcommons.places.representations import attribution_of, place_json, sources_of, territory_codes
from foodcommons.places.state import place_state
from foodcommons.taxonomy.selectors import category_slugs
from foodcommons.territories.selectors import hierarchy

# Raise when the body's shape changes in a way the fields' names do not show (a computed key, an encoding option).
REPRESENTATION_VERSION = 1
# Places whose bodies are rebuilt in one step (one read of their relations, one write).
BATCH = 2000
logger = logging.getLogger(__name__)
BODY_COLUMNS = ["place_id", "version", "last_confirmed", "epoch", "licence", "body"]
_EPOCH: dict[tuple[int, int], int] = {}


def epoch() -> int:
    """Return the fingerprint of what every body depends on beyond its place: it moves when one of them changes."""
    slugs, chains = category_slugs(), hierarchy()
    key = (id(slugs), id(chains))
    if key not in _EPOCH:
        names = [f.name for f in place_fields()]
        digest = hashlib.blake2b(orjson.dumps([REPRESENTATION_VERSION, names, slugs, chains]), digest_size=8).digest()
        _EPOCH.clear()
        _EPOCH[key] = int.from_bytes(digest, "big") >> 1  # fits a signed 64-bit column
    return _EPOCH[key]


def public_body(place: Place) -> bytes:
    """Return the stored part of a loaded place's public representation (see the module's docstring)."""
    return body_of_state(place, place_state(place, categories=place.category_slugs, areas_served=place.area_codes))


def body_of_state(place: Place, state: dict) -> bytes:
    """Return the stored body of a place from its whole state (areas served sorted, as `with_relations` reads them)."""
    shown = published_state(state)
    shown["territories"] = territory_codes(place.commune_id)
    return orjson.dumps(shown)


def store_new_bodies(places: list[Place], states: list[dict]) -> None:
    """Write the bodies of places just created from these states, in the transaction that creates them (bulk loads)."""
    current = epoch()
    insert_values(PlacePublicJson, BODY_COLUMNS, [_row(p, current, body_of_state(p, s)) for p, s in zip(places, states, strict=True)])


def _row(place: Place, current_epoch: int, body: bytes) -> tuple:
    # A body's row in the order of BODY_COLUMNS: what it was encoded from, beside it.
    return (place.pk, place.version, place.last_confirmed, current_epoch, place.licence, body)


def store_public_json(places: Iterable[Place]) -> int:
    """Write the bodies of loaded places (live ones; deleted places lose theirs); return how many were written."""
    current, places = epoch(), list(places)
    rows = [_row(p, current, public_body(p)) for p in places if p.deleted_at is None]
    with transaction.atomic():
        gone = [p.pk for p in places if p.deleted_at is not None]
        if gone:
            PlacePublicJson.objects.filter(place_id__in=gone).delete()
        # An upsert, not delete-then-insert: two writers of one place, each re-encoding it after its commit, would
        # otherwise both insert its row and one fail on the key.
        upsert_values(PlacePublicJson, BODY_COLUMNS, rows, key="place_id")
    return len(rows)


def refresh_public_json(place_ids: Iterable[int], *, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the bodies of these places from the database, in batches (each reported to `progress`); return how many were written."""
    from foodcommons.places.selectors import with_categories_and_areas

    ids, written = sorted(set(place_ids)), 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        places = list(Place.objects.filter(pk__in=batch))
        PlacePublicJson.objects.filter(place_id__in=set(batch) - {p.pk for p in places}).delete()
        written += store_public_json(with_categories_and_areas(places))  # bodies hold no relation of other areas
        if progress:
            progress(len(batch))
    return written


def stale_place_ids() -> list[int]:
    """Return the live places without a current body (none yet, or one from before their last change or epoch)."""
    current = PlacePublicJson.objects.filter(epoch=epoch())
    fresh = current.values_list("place_id", "version", "last_confirmed")
    known = {pk: (version, confirmed) for pk, version, confirmed in fresh.iterator(chunk_size=10_000)}
    live = Place.objects.filter(deleted_at__isnull=True).values_list("pk", "version", "last_confirmed")
    return [pk for pk, version, confirmed in live.iterator(chunk_size=10_000) if known.get(pk) != (version, confirmed)]


def on_places_changed(sender, place_ids, created=None, **kwargs) -> None:
    """Receiver of `places_changed` (after the change committed): rebuild the bodies of the places that changed."""
    # Places created in bulk (`created`) got their bodies in the batch that wrote them (`store_new_bodies`).
    new = {n.id for n in created or ()}
    try:
        refresh_public_json([pk for pk in place_ids if pk not in new])
    except DatabaseError:
        # The change is committed and its answer is due: a body not written is only a slower read (the place is
        # built afresh until the daily job encodes it), never a wrong one.
        logger.exception("Published bodies of %d changed places were not written", len(place_ids))


@dataclass
class StoredBody:
    """A current stored body of one place of a page; its relations (`records`, …) are attached beside it."""

    pk: int
    public_id: str
    licence: str
    body: bytes


@dataclass(frozen=True)
class ListItem:
    """One place of a list answer: what to encode (bytes already encoded, or a dict) and the keys the page sums up."""

    encoded: orjson.Fragment | dict
    summary: dict  # licence, attribution and sources: what the page's licence and attribution are made of


# The keys a list answer adds to a stored body (`_Tails`): a page asking for one of them is cut from the whole place.
TAIL_KEYS = frozenset({"url", "attribution", "sources", "distance_m"})
# Stored bodies cut to some keys, by the keys and what makes a body current (its place, version, confirmation and
# the epoch): decoding 500 bodies to cut them cost more than the whole answer, and a map asks for the same places
# again and again. A stored body is by construction the one encoding of these (the currency guard of every read),
# so an entry is as current as the body it was cut from; the lot is dropped when full.
_CUT: dict[tuple, bytes] = {}
CUT_ENTRIES = 20_000


def cut_to(place: dict, keys: tuple[str, ...]) -> dict:
    """Return a place (as a dict) holding only these keys, those it has, in this order (`properties=`)."""
    return {k: place[k] for k in keys if k in place}


def cut_from_bodies(keys: tuple[str, ...] | None) -> bool:
    """Tell whether places cut to these keys can be cut from their stored bodies (none of the keys is added after them)."""
    return keys is not None and not TAIL_KEYS.intersection(keys)


def current_bodies(place_ids: list[int], keys: tuple[str, ...] | None = None) -> dict[int, StoredBody]:
    """Return the current stored bodies among these places (one query), or each cut to its `keys` (those present, in
    this order; one more query for the bodies not cut yet); the others are to be built afresh."""
    if not place_ids:
        return {}
    rows = _current_rows(place_ids, "j.version, j.last_confirmed" if keys else "j.body")
    if not keys:
        return {pk: StoredBody(pk, public_id, licence, bytes(body)) for pk, public_id, licence, body in rows}
    current, cut = epoch(), {}
    for pk, public_id, licence, version, confirmed in rows:
        cut[pk] = StoredBody(pk, public_id, licence, _CUT.get((keys, pk, version, confirmed, current), b""))
    missing = [pk for pk, body in cut.items() if not body.body]
    if missing:
        if len(_CUT) + len(missing) > CUT_ENTRIES:
            _CUT.clear()
        for pk, _, _, body, version, confirmed in _current_rows(missing, "j.body, j.version, j.last_confirmed"):
            place = orjson.loads(body)
            cut[pk].body = _CUT[(keys, pk, version, confirmed, current)] = orjson.dumps(cut_to(place, keys))
    return {pk: body for pk, body in cut.items() if body.body}


def _current_rows(place_ids: list[int], columns: str) -> list[tuple]:
    # The guard is in the query: a body is current when it was encoded from the place's version and confirmation.
    among, params = ids_condition("p.id", place_ids)
    sql = (
        f"SELECT p.id, p.public_id, j.licence, {columns} FROM {Place._meta.db_table} p "
        f"JOIN {PlacePublicJson._meta.db_table} j ON j.place_id = p.id "
        f"WHERE {among} AND j.epoch = %s AND j.version = p.version "
        "AND (j.last_confirmed = p.last_confirmed OR (j.last_confirmed IS NULL AND p.last_confirmed IS NULL))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, epoch()])
        return cursor.fetchall()


def _stored_or_built(place_ids: list[int], keys: tuple[str, ...] | None = None) -> tuple[dict[int, StoredBody], dict[int, Place]]:
    # The current bodies of these places (cut to `keys`) with their relations, and the other places loaded to be built afresh.
    from foodcommons.places.selectors import places_in_order, with_relations

    stored = current_bodies(place_ids, keys)
    attach_relations(list(stored.values()))
    missing = [i for i in place_ids if i not in stored]
    return stored, ({p.pk: p for p in with_relations(places_in_order(missing))} if missing else {})


def list_items(page, *, base_url: str, keys: tuple[str, ...] | None = None) -> list[ListItem]:
    """Return the places of a page of ids as a visitor's list answer holds them, from current bodies where there are;
    with `keys` (see `cut_from_bodies`), each place holds only those."""
    assert keys is None or cut_from_bodies(keys), keys
    stored, built = _stored_or_built(page.ids, keys)
    tails = _Tails(base_url, attribution_of(StoredBody(0, "", "", b"")))
    items = []
    for pk in page.ids:
        distance = page.distances.get(pk)
        if pk in stored:
            items.append(tails.assembled(stored[pk], distance) if keys is None else ListItem(orjson.Fragment(stored[pk].body), tails.summary(stored[pk])))
        elif pk in built:
            data = place_json(built[pk], base_url=base_url, distance=distance)
            data.setdefault("distance_m", None)
            items.append(ListItem(data if keys is None else cut_to(data, keys), data))
    return items


def visitor_states(place_ids: list[int], *, base_url: str) -> list[dict]:
    """Return what `representations.place_json` gives a visitor for each of these places, in their order, from current
    bodies where there are (decoded, not rebuilt: the OGC items path turns them into features)."""
    stored, built = _stored_or_built(place_ids)
    default_attribution = attribution_of(StoredBody(0, "", "", b""))
    states = []
    for pk in place_ids:
        if pk in stored:
            body, sourced = stored[pk], getattr(stored[pk], "records", None)
            state = orjson.loads(body.body)
            state.update(url=f"{base_url}/api/places/{body.public_id}", attribution=attribution_of(body) if sourced else list(default_attribution),
                         sources=sources_of(body) if sourced else [])
            states.append(state)
        elif pk in built:
            states.append(place_json(built[pk], base_url=base_url))
    return states


class _Tails:
    """What a list answer adds to each stored body (`url`, `attribution`, `sources`, `distance_m`), as bytes."""

    def __init__(self, base_url: str, default_attribution: list[str]):
        self.url = orjson.dumps(f"{base_url}/api/places/")[:-1]  # the opening quote and the path, to which an id is added
        self.default_attribution = default_attribution
        # Most places of a page have no source record: after their id, the same bytes for all, and one summary per licence.
        self.unsourced = b'","attribution":' + orjson.dumps(default_attribution) + b',"sources":[],"distance_m":'
        self.unsourced_summaries: dict[str, dict] = {}

    def assembled(self, stored: StoredBody, distance: float | None) -> ListItem:
        """Return one place of the page: its body's bytes joined with the tail as one JSON object ({…body, …tail})."""
        end = b"null}" if distance is None else orjson.dumps(distance) + b"}"
        if getattr(stored, "records", None):
            summary = self.summary(stored)
            said = b'","attribution":' + orjson.dumps(summary["attribution"]) + b',"sources":' + orjson.dumps(summary["sources"]) + b',"distance_m":'
        else:  # the ids are of an alphabet JSON needs no escape for
            said, summary = self.unsourced, self.summary(stored)
        return ListItem(orjson.Fragment(stored.body[:-1] + b',"url":' + self.url + stored.public_id.encode() + said + end), summary)

    def summary(self, stored: StoredBody) -> dict:
        """Return what the page's licence and attribution take from one place (shared by the unsourced of a licence)."""
        if getattr(stored, "records", None):
            return {"licence": stored.licence, "attribution": attribution_of(stored), "sources": sources_of(stored)}
        summary = self.unsourced_summaries.get(stored.licence)
        if summary is None:  # only read (the page's licences and attribution): one for all the page's places of a licence
            summary = self.unsourced_summaries[stored.licence] = {"licence": stored.licence, "attribution": self.default_attribution, "sources": []}
        return summary
