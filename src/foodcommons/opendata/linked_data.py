"""Reads of places as JSON-LD documents."""

import json

from django.http import HttpResponse

from foodcommons.opendata.domain.jsonld import place_jsonld
from foodcommons.places import selectors
from foodcommons.places.representations import place_json
from foodcommons.taxonomy.selectors import category_tree

JSONLD = "application/ld+json"


def top_level_categories() -> dict[str, str]:
    """Return the top-level ancestor of every category."""
    tree = category_tree()
    return {slug: ([slug, *tree.ancestors(slug)])[-1] for slug in tree.nodes}


def place_document(public_id: str, *, base_url: str) -> dict:
    """Return the JSON-LD document of a place, or raise NotFound."""
    place = selectors.get_place(public_id)
    return place_jsonld(place_json(place, base_url=base_url), top_level=top_level_categories())


def jsonld_response(public_id: str, *, base_url: str) -> HttpResponse:
    """Return the HTTP response of a place as JSON-LD."""
    document = place_document(public_id, base_url=base_url)
    return HttpResponse(json.dumps(document, ensure_ascii=False), content_type=f"{JSONLD}; charset=utf-8")


def wants_jsonld(request) -> bool:
    """Tell whether a request asks for JSON-LD before JSON."""
    accept = request.headers.get("Accept", "")
    return JSONLD in accept and "application/json" not in accept.split(JSONLD)[0]
