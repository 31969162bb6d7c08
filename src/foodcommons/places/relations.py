"""Relations other areas attach to places (the source records of imports, …), loaded without places importing them."""

from collections.abc import Callable

# attribute -> loader: the ids of some places -> the related objects of each (one query for any number of places).
Loader = Callable[[list[int]], dict[int, list]]
LOADERS: dict[str, Loader] = {}


def register_relation(attribute: str, loader: Loader) -> None:
    """Attach what `loader` finds to every loaded place as `place.<attribute>` (idempotent)."""
    LOADERS[attribute] = loader


def attach_relations(places: list, *, none_yet: bool = False) -> None:
    """Set every registered relation on `places`: one query per relation, none when the places are new (`none_yet`)."""
    ids = [p.pk for p in places]
    for attribute, loader in LOADERS.items():
        found = {} if none_yet or not ids else loader(ids)
        for place in places:
            setattr(place, attribute, found.get(place.pk, []))
