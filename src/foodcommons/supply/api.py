"""API of local supply (mounted under /api/): offers (DFC JSON-LD, JSON, CSV), tenders (OCDS), demands with ranked offers.

No public operation carries a price, a budget or an answer; the interests of a demand go to its buyer only.
"""

import csv
import io
import json
from datetime import UTC, datetime

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from foodcommons.accounts.auth import TokenAuth
from foodcommons.collaboration.models import Organisation
from foodcommons.collaboration.services import Forbidden
from foodcommons.core.mail import absolute
from foodcommons.core.problems import FieldError, InvalidInput, NotFound
from foodcommons.core.schemas import ProblemOut
from foodcommons.places.models import Place
from foodcommons.supply import selectors, services
from foodcommons.supply.domain import dfc, ocds
from foodcommons.supply.domain.matching import clean_weights
from foodcommons.supply.models import Offer, Tender
from foodcommons.supply.products import product_tree
from foodcommons.supply.territory_coverage import territory_coverage_json

router = Router(tags=["supply"])
PROBLEMS = dict.fromkeys((400, 401, 403, 404), ProblemOut)
CSV_COLUMNS = ("id", "product", "product_label_fr", "place", "place_name", "organisation", "months", "volume", "unit", "period",
               "minimum_order", "delivery_radius_km", "delivery_communes", "delivery_days", "processing", "organic", "organic_certifier",
               "organic_expires", "afsca_registered", "lon", "lat")
JSONLD = {"responses": {200: {"description": "JSON-LD", "content": {"application/ld+json": {"schema": {"type": "object"}}}}}}


class OfferOut(Schema):
    id: str
    product: str = Field(description="DFC product type id (dfc-pt:…)")
    place: str
    organisation: str
    months: list[int]
    volume: float
    unit: str
    period: str
    minimum_order: float | None
    delivery_radius_km: float | None
    delivery_communes: list[str]
    delivery_days: list[str]
    processing: list[str]
    organic: bool
    organic_certifier: str
    organic_expires: str | None
    afsca_registered: bool = Field(description="An AFSCA number is stored (the number itself stays with the platform)")
    lon: float
    lat: float


class OfferIn(Schema):
    organisation: str = Field(description="slug of the producer's organisation")
    place: str = Field(description="public id of a place the organisation keeps")
    product: str
    months: list[int] | None = None
    volume: float
    unit: str
    period: str = "week"
    price: float | None = Field(None, description="Private: shown to buyers on their demands only, never in any public output")
    minimum_order: float | None = None
    delivery_radius_km: float | None = None
    delivery_communes: list[str] = []
    delivery_days: list[str] = []
    processing: list[str] = ["raw"]
    organic: bool = False
    organic_certifier: str = ""
    organic_expires: str | None = None
    afsca_number: str = ""


class CriterionOut(Schema):
    key: str
    value: str
    fit: float
    weight: float
    points: float


class MatchOut(Schema):
    offer: str
    place: str
    score: float
    maximum: float
    criteria: list[CriterionOut]


class LineRankingOut(Schema):
    product: str
    quantity: float
    unit: str
    frequency: str
    months: list[int]
    offers: list[MatchOut]


class MonthShareOut(Schema):
    month: int = Field(description="1 (January) to 12 (December)")
    asked: float
    covered: float
    share: float


class FamilyShareOut(Schema):
    family: str = Field(description="DFC product type at the top of the branch (vegetable, fruit, dairy-product…)")
    label: str
    unit: str
    asked: float = Field(description="Over the year, in the unit")
    covered: float
    share: float
    months: list[MonthShareOut]


class UnitShareOut(Schema):
    unit: str
    asked: float
    covered: float
    share: float


class ProducerShareOut(Schema):
    place: str | None = Field(description="Public id of the producer's place")
    name: str
    unit: str
    quantity: float = Field(description="What this producer could deliver to the territory's canteens over the year")


class TerritoryCoverageOut(Schema):
    territory: str = Field(description="NIS code of the commune, province or region")
    name: str
    km: float = Field(description="Producers counted: within this distance of a canteen's delivery point")
    demands: int
    buyers: int
    lines: int
    offers_considered: int
    totals: list[UnitShareOut]
    families: list[FamilyShareOut]
    producers: list[ProducerShareOut]


class RegistrationNumberOut(Schema):
    kind: str = Field(description="vat (VAT / BCE number), afsca (AFSCA registration) or organic (organic certificate)")
    number: str | None = Field(description="VAT / BCE and certificate numbers; an AFSCA number stays with the platform (null)")
    certifier: str
    expires: str | None
    checked: bool = Field(description="A moderator or an admin of the organisation checked it against the register or the certificate")
    checked_at: str | None


class InterestOut(Schema):
    offer: str
    place: str
    message: str
    price: float | None


def offer_json(offer: Offer) -> dict:
    """Return an offer's public fields (no price, no AFSCA number)."""
    return {
        "id": offer.public_id, "product": offer.product, "place": offer.place.public_id, "organisation": offer.organisation.slug,
        "months": offer.months, "volume": offer.volume, "unit": offer.volume_unit, "period": offer.volume_period,
        "minimum_order": offer.minimum_order, "delivery_radius_km": offer.delivery_radius_km, "delivery_communes": offer.delivery_communes,
        "delivery_days": offer.delivery_days, "processing": offer.processing, "organic": offer.organic,
        "organic_certifier": offer.organic_certifier, "organic_expires": offer.organic_expires.isoformat() if offer.organic_expires else None,
        "afsca_registered": bool(offer.afsca_number), "lon": offer.lon, "lat": offer.lat,
    }


def _public_offers():
    return Offer.objects.filter(active=True).select_related("place", "organisation").order_by("pk")


@router.get("/supply/offers", response={200: list[OfferOut], **PROBLEMS}, summary="Producers' offers (public fields: never a price)")
def list_offers(request, product: str | None = Query(None), family: str | None = Query(None)):
    found = _public_offers()
    if product:
        found = found.filter(product=product)
    if family:
        found = found.filter(family=family)
    return [offer_json(o) for o in found[:5000]]


@router.get("/supply/offers.jsonld", response={200: dict, **PROBLEMS}, openapi_extra=JSONLD,
            summary="Producers' offers as DFC JSON-LD: Enterprise, SuppliedProduct, CatalogItem, Offer (never a price)")
def offers_jsonld(request):
    tree, producers = product_tree(), {}
    for offer in _public_offers()[:5000]:
        place = offer.place
        producer = producers.setdefault(place.public_id, {"id": absolute(f"/places/{place.public_id}"), "name": place.display_name("fr"), "offers": []})
        producer["offers"].append({**offer_json(offer), "name": tree.label(offer.product, "fr"),
                                   "description": f"{tree.label(offer.product, 'fr')} — {place.display_name('fr')}"})
    body = dfc.catalogue(list(producers.values()), base=absolute("").rstrip("/"))
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/ld+json; charset=utf-8")


@router.get("/supply/offers.csv", response={200: str}, summary="Producers' offers as CSV (never a price)",
            openapi_extra={"responses": {200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}})
def offers_csv(request):
    tree, out = product_tree(), io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for offer in _public_offers()[:50000]:
        row = offer_json(offer)
        writer.writerow({**{k: row[k] for k in CSV_COLUMNS if k in row}, "product_label_fr": tree.label(offer.product, "fr"),
                         "place_name": offer.place.display_name("fr"), "months": " ".join(map(str, row["months"])),
                         "delivery_communes": " ".join(row["delivery_communes"]), "delivery_days": " ".join(row["delivery_days"]),
                         "processing": " ".join(row["processing"])})
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="offers.csv"'
    return response


def _find(model, field: str, **where):
    found = model.objects.filter(**where).first()
    if found is None:
        raise InvalidInput([FieldError(field, f"no {field} '{next(iter(where.values()))}'")])
    return found


@router.post("/supply/offers", response={201: OfferOut, **PROBLEMS}, auth=TokenAuth(), summary="Publish an offer (the organisation's editors)")
def create_offer(request, payload: OfferIn):
    given = payload.dict()
    data = {k: given[k] for k in ("product", "months", "volume", "price", "minimum_order", "delivery_radius_km", "delivery_communes",
                                  "delivery_days", "processing", "organic", "organic_certifier", "afsca_number") if given[k] not in (None, "")}
    data.update(organisation=_find(Organisation, "organisation", slug=payload.organisation), place=_find(Place, "place", public_id=payload.place),
                volume_unit=payload.unit, volume_period=payload.period)
    if payload.organic_expires:
        try:
            data["organic_expires"] = datetime.fromisoformat(payload.organic_expires).date()
        except ValueError as bad:
            raise InvalidInput([FieldError("organic_expires", "a date such as 2027-06-30")]) from bad
    offer = services.create_offer(data=data, author=request.user)
    return Status(201, offer_json(Offer.objects.select_related("place", "organisation").get(pk=offer.pk)))


def _tender_dict(tender: Tender) -> dict:
    return {
        "id": tender.public_id, "title": tender.title, "description": tender.description, "procedure": tender.procedure,
        "deadline": tender.deadline, "notice_url": tender.notice_url, "updated": tender.updated_at,
        "buyer_id": tender.buyer.organisation.slug, "buyer_name": tender.buyer.organisation.name,
        "lots": [{"id": lot.lot_id, "title": lot.title, "cpv": lot.cpv, "quantity": lot.quantity, "unit": lot.unit,
                  "delivery_location": (lot.lon, lot.lat), "award_criteria": lot.award_criteria,
                  "period": (lot.starts_on, lot.ends_on) if lot.starts_on and lot.ends_on else None} for lot in tender.lots.all()],
    }


@router.get("/supply/tenders.ocds.json", response={200: dict, **PROBLEMS}, summary="Public tenders in lots as an OCDS 1.1 release package")
def tenders_ocds(request):
    tenders = Tender.objects.select_related("buyer__organisation").prefetch_related("lots")
    return ocds.release_package([_tender_dict(t) for t in tenders], prefix="ocds-foodcommons", uri=request.build_absolute_uri(),
                                published=datetime.now(UTC).isoformat(timespec="seconds"), publisher="foodcommons")


@router.get("/supply/demands/{demand_id}/ranking", response={200: list[LineRankingOut], **PROBLEMS},
            summary="A demand's lines with the offers ranked: each criterion's value, fit, weight and points (weights as query parameters)")
def demand_ranking(request, demand_id: str):
    demand = selectors.demand(demand_id)
    rankings = selectors.demand_rankings(demand, weights=clean_weights(request.GET))
    offers = selectors.offers_by_id({m.offer.id for _line, matches in rankings for m in matches})
    return [{"product": line.product, "quantity": line.quantity, "unit": line.unit, "frequency": line.frequency, "months": line.months,
             "offers": [{"offer": m.offer.id, "place": offers[m.offer.id].place.public_id, "score": m.score, "maximum": m.maximum,
                         "criteria": [vars(c) for c in m.criteria]} for m in matches]} for line, matches in rankings]


@router.get("/supply/demands/{demand_id}/interests", response={200: list[InterestOut], **PROBLEMS}, auth=TokenAuth(),
            summary="The producers' answers to a demand, with their prices (its buyer only)")
def demand_interests(request, demand_id: str):
    demand = selectors.demand(demand_id)
    if not selectors.may_manage(request.user, demand.buyer.organisation):
        raise Forbidden("Only the buyer who published this demand sees its answers.")
    return [{"offer": i.offer.public_id, "place": i.offer.place.public_id, "message": i.message, "price": float(i.price) if i.price else None}
            for i in selectors.interests_for_demand(demand)]


@router.get("/supply/territories/{code}/coverage", response={200: TerritoryCoverageOut, **PROBLEMS},
            summary="Territory coverage: the share of its canteens' declared demand that producers within `km` could cover, by family, month and producer")
def territory_coverage(request, code: str, km: float = Query(30.0, ge=1, le=100, description="distance from each delivery point, 1–100 km"),
                       lang: str = Query("fr", pattern="^(fr|nl|en)$", description="language of the labels")):
    return territory_coverage_json(code, km, lang)


@router.get("/supply/organisations/{slug}/registrations", response={200: list[RegistrationNumberOut], **PROBLEMS},
            summary="An organisation's registration numbers (VAT/BCE, AFSCA, organic certificate), each checked or not")
def organisation_registrations(request, slug: str):
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:  # the organisation is the resource in the path: unknown is 404, not a bad input
        raise NotFound(f"No organisation has the identifier '{slug}'.")
    return [{"kind": r.kind, "number": None if r.kind == "afsca" else r.number, "certifier": r.certifier,
             "expires": r.expires.isoformat() if r.expires else None, "checked": r.checked,
             "checked_at": r.checked_at.isoformat(timespec="seconds") if r.checked_at else None} for r in selectors.registrations_of(organisation)]
