"""Writes of places. Every change goes through here and leaves an append-only revision."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from foodcommons.core.fields import record_columns, search_words
from foodcommons.core.ids import new_public_id
from foodcommons.core.problems import FieldError, Gone, InvalidInput, NotFound, VersionConflict
from foodcommons.core.text import search_document
from foodcommons.places import search_index
from foodcommons.places.domain.fields import place_fields
from foodcommons.places.domain.validation import CleanPlace, Lookups, clean_place, merge_patch
from foodcommons.places.models import Place, PlaceAreaServed, PlaceCategory, PlaceRevision
from foodcommons.places.relations import attach_relations
from foodcommons.places.signals import place_written, places_changed
from foodcommons.places.state import place_state
from foodcommons.taxonomy.selectors import attribute_specs_in, category_tree
from foodcommons.territories import selectors as territories


@dataclass
class WriteResult:
    """A place as this write left it (relations attached), the state its revision records, and the input's warnings.

    Built inside the write's transaction, so an answer made from it tells the version this write
    created, never a later one another writer committed in between.
    """

    place: Place
    state: dict
    warnings: list[FieldError]


def default_lookups() -> Lookups:
    """Return validation lookups backed by the cached taxonomy and territories."""
    tree = category_tree()
    specs: dict[tuple[str, ...], dict] = {}  # per set of categories: an import asks for the same few sets again and again

    def attribute_specs(slugs: list[str]) -> dict:
        key = tuple(slugs)
        return specs[key] if key in specs else specs.setdefault(key, attribute_specs_in(tree, slugs))

    return Lookups(
        category_exists=lambda slug: slug in tree.nodes,
        attribute_specs=attribute_specs,
        commune_exists=territories.is_commune,
        territory_exists=territories.territory_exists,
    )


def commune_of(clean: CleanPlace, located: str | None) -> str | None:
    """Return the commune of a place: the one its point lies in, else the one its address names."""
    return located or clean.address.get("commune") or None


def _commune_for(clean: CleanPlace) -> str | None:
    located = territories.commune_index().locate(clean.geometry.lon, clean.geometry.lat) if clean.geometry is not None else None
    return commune_of(clean, located)


def place_columns(clean: CleanPlace, commune: str | None) -> dict:
    """Return the Place column values of a clean input (shared by single and bulk writes)."""
    fields = place_fields()
    columns = record_columns(fields, clean.values)
    columns["licence"] = columns["licence"] or settings.FOODCOMMONS_DEFAULT_LICENCE
    # The commune is not a field of its own: it is where the point lies, else what the address names.
    return {**columns, "commune_id": commune, "search_text": search_document(*search_words(fields, clean.values))}


def _set_links(place: Place, clean: CleanPlace) -> None:
    tree = category_tree()
    PlaceCategory.objects.filter(place=place).delete()
    PlaceCategory.objects.bulk_create([PlaceCategory(place=place, category_id=tree.nodes[s].id) for s in clean.categories])
    PlaceAreaServed.objects.filter(place=place).delete()
    PlaceAreaServed.objects.bulk_create([PlaceAreaServed(place=place, territory_id=c) for c in clean.areas_served])


def index_row(place: Place) -> tuple:
    """Return the (id, bbox…, search_text) row the search indexes hold for a place."""
    return (place.pk, place.min_lon, place.min_lat, place.max_lon, place.max_lat, place.search_text)


def _index(places: Iterable[Place]) -> None:
    search_index.dialect().sync(index_row(p) for p in places)


def _announce(place_ids: list[int]) -> None:
    transaction.on_commit(lambda: places_changed.send(sender=Place, place_ids=place_ids))


def mark_confirmed(*, place: Place, at) -> None:
    """Record that someone confirmed a place still accurate at `at` (no new version: nothing of it changed)."""
    Place.objects.filter(pk=place.pk).update(last_confirmed=at)
    place.last_confirmed = at
    _announce([place.pk])


def revision_columns(place: Place, state: dict, action: str, author, comment: str) -> dict:
    """Return the PlaceRevision column values that record `state` as the current version of `place`."""
    return {
        "place_id": place.pk,
        "version": place.version,
        "action": action,
        "author_id": author.pk if getattr(author, "pk", None) else None,
        "created_at": place.updated_at,
        "comment": comment[:500],
        "state": state,
    }


def _record(place: Place, state: dict, action: str, author, comment: str) -> None:
    PlaceRevision.objects.create(**revision_columns(place, state, action, author, comment))
    _announce([place.pk])


def _result(place: Place, clean: CleanPlace, state: dict, *, created: bool = False) -> WriteResult:
    # The relations the API shows, as written: a new place has no related records yet (no query for them).
    place.category_slugs = list(clean.categories)
    place.area_codes = sorted(clean.areas_served)
    attach_relations([place], none_yet=created)
    return WriteResult(place, state, clean.warnings)


def clean_state(place: Place, clean: CleanPlace) -> dict:
    """Return the state a revision records for a place just written from `clean`."""
    return place_state(place, categories=clean.categories, areas_served=clean.areas_served)


def new_place(clean: CleanPlace, *, commune: str | None, now, public_id: str | None = None) -> Place:
    """Return an unsaved version-1 Place built from a clean input."""
    return Place(
        public_id=public_id or new_public_id(), version=1, created_at=now, updated_at=now, **place_columns(clean, commune)
    )


@transaction.atomic
def create_place(*, data: dict, author=None, comment: str = "", lookups: Lookups | None = None) -> WriteResult:
    """Validate and create a place, with its first revision."""
    clean = clean_place(data, lookups or default_lookups())
    now = timezone.now()
    place = new_place(clean, commune=_commune_for(clean), now=now)
    place.save()
    _set_links(place, clean)
    _index([place])
    state = clean_state(place, clean)
    _record(place, state, PlaceRevision.Action.CREATE, author, comment)
    return _result(place, clean, state, created=True)


def _locked(public_id: str) -> Place:
    place = Place.objects.select_for_update().filter(public_id=public_id).first()
    if place is None:
        raise NotFound(f"No place has the identifier '{public_id}'.")
    return place


def current_state(place: Place) -> dict:
    """Return the state of a place as its last revision recorded it."""
    return PlaceRevision.objects.filter(place=place).order_by("-version").values_list("state", flat=True).first()


def _check_version(place: Place, base_version) -> None:
    if not isinstance(base_version, int) or isinstance(base_version, bool):
        raise InvalidInput([FieldError("version", "the version this change is based on is required (an integer)")])
    if base_version != place.version:
        raise VersionConflict(
            f"This change is based on version {base_version} but the place is at version {place.version}.",
            current=current_state(place),
        )


def _write(place: Place, clean: CleanPlace, *, base_version: int, action: str, author, comment: str, deleted_at=None) -> WriteResult:
    now = timezone.now()
    columns = place_columns(clean, _commune_for(clean))
    # The version condition makes a concurrent writer that slipped past the lock lose, never overwrite.
    updated = Place.objects.filter(pk=place.pk, version=base_version).update(
        version=base_version + 1, updated_at=now, deleted_at=deleted_at, **columns
    )
    if updated != 1:
        place.refresh_from_db()
        raise VersionConflict("The place changed while this change was written.", current=current_state(place))
    place.refresh_from_db()
    _set_links(place, clean)
    if deleted_at is None:
        _index([place])
    else:
        search_index.dialect().remove([place.pk])
    state = clean_state(place, clean)
    _record(place, state, action, author, comment)
    place_written.send(sender=Place, place=place, state=state, action=action, author=author, comment=comment)
    return _result(place, clean, state)


@transaction.atomic
def update_place(*, public_id: str, patch: dict, base_version, author=None, comment: str = "") -> WriteResult:
    """Apply a JSON merge patch to a place if `base_version` is still its version."""
    place = _locked(public_id)
    if place.is_deleted:
        raise Gone(f"The place '{public_id}' was deleted; restore it first.")
    _check_version(place, base_version)
    clean = clean_place(merge_patch(current_state(place), patch), default_lookups())
    return _write(place, clean, base_version=base_version, action=PlaceRevision.Action.UPDATE, author=author, comment=comment)


def _clean_from_state(state: dict) -> CleanPlace:
    return clean_place(merge_patch(state, {}), default_lookups())


@transaction.atomic
def delete_place(*, public_id: str, base_version=None, author=None, comment: str = "") -> WriteResult:
    """Soft-delete a place (it stays in the history and can be restored)."""
    place = _locked(public_id)
    if place.is_deleted:
        raise Gone(f"The place '{public_id}' is already deleted.")
    if base_version is not None:
        _check_version(place, base_version)
    clean = _clean_from_state(current_state(place))
    return _write(place, clean, base_version=place.version, action=PlaceRevision.Action.DELETE, author=author, comment=comment, deleted_at=timezone.now())


@transaction.atomic
def restore_place(*, public_id: str, author=None, comment: str = "") -> WriteResult:
    """Bring a deleted place back, as a new revision."""
    place = _locked(public_id)
    if not place.is_deleted:
        raise InvalidInput([FieldError("id", "the place is not deleted")])
    clean = _clean_from_state(current_state(place))
    return _write(place, clean, base_version=place.version, action=PlaceRevision.Action.RESTORE, author=author, comment=comment)


@transaction.atomic
def revert_place(*, public_id: str, to_version, base_version, author=None, comment: str = "") -> WriteResult:
    """Make the state of an older revision current again, as a new revision."""
    place = _locked(public_id)
    _check_version(place, base_version)
    old = PlaceRevision.objects.filter(place=place, version=to_version).values_list("state", flat=True).first()
    if old is None:
        raise InvalidInput([FieldError("to_version", f"the place has no version {to_version}")])
    clean = _clean_from_state(old)
    return _write(
        place, clean, base_version=base_version, action=PlaceRevision.Action.REVERT, author=author,
        comment=comment or f"Revert to version {to_version}", deleted_at=None,
    )
