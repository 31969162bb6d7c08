"""Reads for the web pages."""

from foodcommons.imports.models import Source
from foodcommons.places.models import Place
from foodcommons.taxonomy.models import Category
from foodcommons.territories.models import Territory


def home_figures() -> dict:
    """Return the counts and sources shown on the front page."""
    return {
        "place_count": Place.objects.filter(deleted_at__isnull=True).count(),
        "category_count": Category.objects.count(),
        "commune_count": Territory.objects.filter(level=Territory.Level.COMMUNE).count(),
        "sources": Source.objects.order_by("name"),
    }
