"""Background jobs of places (django-tasks)."""

from django_tasks import task


@task()
def encode_stale_places() -> int:
    """Encode the published representation of every place without a current one; return how many were encoded."""
    from foodcommons.places.public_json import refresh_public_json, stale_place_ids

    return refresh_public_json(stale_place_ids())
