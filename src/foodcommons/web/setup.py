"""What the public map needs on a prepared instance: compiled translations and filled aggregates."""

from foodcommons.web.aggregates import published_places, rebuild_all
from foodcommons.web.messages import compile_messages
from foodcommons.web.models import MapPoint


def prepare_web(*, log=print) -> None:
    """Compile the translations and build the map aggregates when places exist but were never counted."""
    compile_messages()
    if not MapPoint.objects.exists() and published_places().exists():
        log(f"Map aggregates built from {rebuild_all()} places.")
