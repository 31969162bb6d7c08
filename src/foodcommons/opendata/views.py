"""Thin views of the OGC API – Features under /ogc/: validate, call one reader, shape the answer."""

import hashlib
from functools import wraps

import orjson
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import quote_etag
from django.views.decorators.csrf import csrf_exempt

from foodcommons import __version__
from foodcommons.core.middleware import problem_response
from foodcommons.core.problems import Problem, problem_type
from foodcommons.opendata import features
from foodcommons.opendata.domain.jsonld import licence_url
from foodcommons.opendata.ogc import documents, openapi, queryables
from foodcommons.opendata.ogc.paging import page_links, parse_items_request


def _root(request) -> str:
    return request.build_absolute_uri("/ogc").rstrip("/")


def _json(body: dict, content_type: str = documents.OGC_JSON) -> HttpResponse:
    # orjson writes UTF-8 bytes straight from the dicts (no str in between), several times faster than json.dumps.
    return HttpResponse(orjson.dumps(body), content_type=content_type)


def _stamped(body: dict, content_type: str) -> HttpResponse:
    """Encode `body` with a `timeStamp` last, under a weak ETag of the rest: an unchanged page keeps its ETag."""
    content = orjson.dumps(body)
    stamp = b',"timeStamp":' + orjson.dumps(timezone.now().isoformat(timespec="seconds")) + b"}"
    response = HttpResponse(content[:-1] + stamp, content_type=content_type)
    # Weak: two answers of one page differ in their timeStamp only (a hash of the whole body, as ConditionalGetMiddleware
    # takes it, moved every second, and a client revalidating by If-None-Match never got its 304).
    response["ETag"] = "W/" + quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest())
    return response


READ_METHODS = ("GET", "HEAD")


def method_not_allowed(method: str):
    """Answer 405 with an `Allow` header and a problem document: the OGC API only reads."""
    response = problem_response(
        Problem(status=405, title="Method not allowed", detail=f"{method} is not allowed here: the OGC API is read-only ({', '.join(READ_METHODS)}).",
                kind=problem_type("method-not-allowed"))
    )
    response["Allow"] = ", ".join(READ_METHODS)
    return response


def ogc_view(view):
    """Answer GET/HEAD only, and turn problems into RFC 9457 documents."""

    # Exempt from CSRF: these views never write, and any other method gets its 405 (not a CSRF page) below.
    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in READ_METHODS:
            return method_not_allowed(request.method)
        try:
            return view(request, *args, **kwargs)
        except Problem as problem:
            return problem_response(problem)

    return wrapped


@ogc_view
def landing(request):
    return _json(documents.landing(_root(request), title=settings.FOODCOMMONS_SITE_NAME, licence=settings.FOODCOMMONS_DEFAULT_LICENCE))


@ogc_view
def api_definition(request):
    return _json(openapi.openapi_document(_root(request), title=settings.FOODCOMMONS_SITE_NAME, version=__version__), documents.OPENAPI)


@ogc_view
def conformance(request):
    return _json(documents.conformance())


@ogc_view
def collections(request):
    root = _root(request)
    return _json(documents.collections(root, [features.collection_document(root, c) for c in features.collection_ids()]))


@ogc_view
def collection(request, collection_id: str):
    return _json(features.collection_document(_root(request), collection_id))


@ogc_view
def collection_queryables(request, collection_id: str):
    document = features.collection_document(_root(request), collection_id)
    return _json(queryables.queryables_document(request.build_absolute_uri(), document["title"]), "application/schema+json")


@ogc_view
def items(request, collection_id: str):
    params = {k: request.GET[k] for k in request.GET}
    items_request = parse_items_request(params)
    base = request.build_absolute_uri("/").rstrip("/")
    page = features.items_page(collection_id, items_request, base_url=base)
    # numberMatched only when known without counting (see features.items_page); numberReturned always.
    counted = {"numberMatched": page.matched} if page.matched is not None else {}
    return _stamped(
        {
            "type": "FeatureCollection",
            "features": page.features,
            **counted,
            "numberReturned": len(page.features),
            "links": [
                *page_links(request.build_absolute_uri(request.path), params, items_request, page.last_id),
                *({"href": licence_url(spdx), "rel": "license", "type": "text/html", "title": spdx} for spdx in page.licences),
            ],
            # One licence when every record of the page has it; a mixed page lists its licences and claims none.
            **({"licence": page.licences[0]} if len(page.licences) == 1 else {}),
            "licences": page.licences,
            "attribution": page.attribution,
        },
        documents.GEOJSON,
    )


@ogc_view
def item(request, collection_id: str, feature_id: str):
    base = request.build_absolute_uri("/").rstrip("/")
    feature = features.single_item(collection_id, feature_id, base_url=base)
    feature["links"] += [
        documents.link(request.build_absolute_uri(), "self", documents.GEOJSON),
        documents.link(f"{_root(request)}/collections/{collection_id}", "collection"),
    ]
    return _json(feature, documents.GEOJSON)
