"""Endpoints of the taxonomy: the category tree with attributes, and its SKOS export."""

import json

from django.http import HttpResponse
from ninja import Router

from foodcommons.api import schemas
from foodcommons.taxonomy.selectors import category_tree, list_categories
from foodcommons.taxonomy.skos import concept_scheme

router = Router(tags=["categories"])
exports_router = Router(tags=["categories"])


@router.get("", response=list[schemas.CategoryOut], summary="All categories, in tree order, with their attributes")
def categories(request):
    return [
        {
            "id": c.slug,
            "parent": c.parent.slug if c.parent else None,
            "labels": c.labels,
            "color": category_tree().color(c.slug),
            "attributes": [
                {
                    "key": a.key, "type": a.type, "labels": a.labels, "choices": a.choices or [],
                    "minimum": a.minimum, "maximum": a.maximum, "required": a.required,
                }
                for a in c.attributes.all()
            ],
        }
        for c in list_categories()
    ]


@exports_router.get(
    "/categories.jsonld",
    response={200: dict},
    summary="The taxonomy as a SKOS concept scheme (JSON-LD)",
    openapi_extra={"responses": {200: {"description": "SKOS", "content": {"application/ld+json": {"schema": {"type": "object"}}}}}},
)
def categories_skos(request):
    document = concept_scheme(category_tree(), request.build_absolute_uri("/api/"))
    return HttpResponse(json.dumps(document, ensure_ascii=False), content_type="application/ld+json")
