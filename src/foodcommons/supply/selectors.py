"""Reads of local supply: offers and needs as matching facts, the SQL pre-filter, rankings, coverage, roles."""

from datetime import date

from django.db import connection
from django.db.models import Q

from foodcommons.collaboration.models import Membership
from foodcommons.collaboration.permissions import Action, Role, allowed
from foodcommons.collaboration.selectors import role_in_organisation
from foodcommons.core.problems import NotFound
from foodcommons.supply.domain import matching
from foodcommons.supply.domain.coverage import need_coverage, total
from foodcommons.supply.domain.matching import Match, NeedFacts, OfferFacts
from foodcommons.supply.domain.units import demand_per_month, per_month
from foodcommons.supply.models import Demand, DemandLine, Interest, Lot, Offer, Tender
from foodcommons.supply.products import product_tree

PREFILTER_KM = matching.DISTANCE_SCALE_KM
OFFER_FIELDS = ("public_id", "product", "months", "volume", "volume_unit", "volume_period", "lon", "lat", "delivery_radius_km",
                "delivery_communes", "minimum_order", "organic", "organic_expires", "processing", "intermediaries", "place_id")


def may_manage(user, organisation) -> bool:
    """Tell whether `user` may manage the offers, demands and tenders of `organisation`, and read its answers."""
    return organisation is not None and allowed(role_in_organisation(user, organisation), Action.MANAGE_SUPPLY)


def managed_organisations(user) -> list:
    """Return the organisations whose supply `user` manages (editor or above)."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles = [Role.EDITOR, Role.MODERATOR, Role.ADMIN]
    return [m.organisation for m in Membership.objects.filter(user=user, role__in=roles).select_related("organisation").order_by("organisation__name")]


def offer_facts(row: dict) -> OfferFacts:
    """Turn an offer's values (a .values() row) into matching facts."""
    return OfferFacts(
        id=row["public_id"], product=row["product"], months=frozenset(row["months"]),
        volume_per_month=per_month(row["volume"], row["volume_period"]), unit=row["volume_unit"], lon=row["lon"], lat=row["lat"],
        radius_km=row["delivery_radius_km"], communes=frozenset(row["delivery_communes"] or ()), minimum_order=row["minimum_order"],
        organic_until=row["organic_expires"] if row["organic"] else None, processing=frozenset(row["processing"] or ("raw",)),
        intermediaries=row["intermediaries"], producer=str(row["place_id"]),
    )


def line_facts(line: DemandLine, demand: Demand) -> NeedFacts:
    """Turn a demand line into matching facts."""
    return NeedFacts(
        id=f"{demand.public_id}:{line.pk}", product=line.product, months=frozenset(line.months),
        quantity_per_month=demand_per_month(line.quantity, line.frequency), quantity_per_delivery=line.quantity, unit=line.unit,
        lon=demand.lon, lat=demand.lat, commune=demand.commune_nis, organic=demand.organic, processing=demand.processing,
        starts_on=demand.starts_on,
    )


def lot_facts(lot: Lot) -> NeedFacts:
    """Turn a lot into matching facts: its quantity spread over its months, delivered weekly."""
    months = len(lot.months) or 1
    monthly = lot.quantity / months
    return NeedFacts(
        id=f"{lot.tender.public_id}:{lot.lot_id}", product=lot.product, months=frozenset(lot.months), quantity_per_month=monthly,
        quantity_per_delivery=monthly / (52 / 12), unit=lot.unit, lon=lot.lon, lat=lot.lat, organic=lot.organic, starts_on=lot.starts_on,
    )


def candidate_offers(need: NeedFacts, *, km: float = PREFILTER_KM) -> list[OfferFacts]:
    """Return the active offers of the need's product family within `km` of its delivery point (one indexed query)."""
    min_lon, min_lat, max_lon, max_lat = matching.bounding_box(need.lon, need.lat, km)
    family = product_tree().family(need.product)
    in_box = Q(lon__gte=min_lon, lon__lte=max_lon, lat__gte=min_lat, lat__lte=max_lat)
    # Offers beyond the box that deliver to the need's commune by name (SQLite has no JSON containment: a text match there).
    if not need.commune:
        far_but_delivering = Q(pk__in=[])
    elif connection.features.supports_json_field_contains:
        far_but_delivering = Q(delivery_communes__contains=[need.commune])
    else:
        far_but_delivering = Q(delivery_communes__icontains=f'"{need.commune}"')
    rows = Offer.objects.filter(Q(family=family, active=True) & (in_box | far_but_delivering)).values(*OFFER_FIELDS)
    return [offer_facts(row) for row in rows]


def rank_for_need(need: NeedFacts, *, weights: dict | None = None, today: date | None = None, limit: int | None = 50) -> list[Match]:
    """Return the offers ranked for one need (pre-filtered in SQL, scored in Python)."""
    return matching.rank_offers(product_tree(), need, candidate_offers(need), weights=weights, today=today or date.today(), limit=limit)


def demand(public_id: str) -> Demand:
    """Return a published demand with its buyer and lines, or raise NotFound."""
    found = Demand.objects.select_related("buyer__organisation").prefetch_related("lines").filter(public_id=public_id).first()
    if found is None:
        raise NotFound(f"No demand with id '{public_id}'.")
    return found


def tender(public_id: str) -> Tender:
    """Return a tender with its buyer and lots, or raise NotFound."""
    found = Tender.objects.select_related("buyer__organisation").prefetch_related("lots").filter(public_id=public_id).first()
    if found is None:
        raise NotFound(f"No tender with id '{public_id}'.")
    return found


def offers_by_id(ids) -> dict[str, Offer]:
    """Return offers with their place and organisation, by public id."""
    return {o.public_id: o for o in Offer.objects.select_related("place", "organisation").filter(public_id__in=list(ids))}


def demand_rankings(found: Demand, *, weights: dict | None = None) -> list[tuple[DemandLine, list[Match]]]:
    """Return each line of a demand with its ranked offers."""
    return [(line, rank_for_need(line_facts(line, found), weights=weights)) for line in found.lines.all()]


def line_coverage(found: Demand, line: DemandLine, *, km: float):
    """Return the month-by-month coverage of one line by offers within `km`."""
    need = line_facts(line, found)
    months = need_coverage(product_tree(), need, candidate_offers(need, km=km), max_km=km)
    return months, total(months)


def needs_for_offers(offers: list[Offer], *, today: date | None = None) -> list[Match]:
    """Return the published demand lines and open lots these offers could answer, best first: the engine turned round."""
    tree, today = product_tree(), today or date.today()
    matches: list[Match] = []
    for offer in offers:
        facts = offer_facts({k: getattr(offer, k) for k in OFFER_FIELDS})
        min_lon, min_lat, max_lon, max_lat = matching.bounding_box(offer.lon, offer.lat, PREFILTER_KM)
        box = {"lon__gte": min_lon, "lon__lte": max_lon, "lat__gte": min_lat, "lat__lte": max_lat}
        lines = DemandLine.objects.filter(family=offer.family, demand__status=Demand.Status.PUBLISHED,
                                          **{f"demand__{k}": v for k, v in box.items()}).select_related("demand__buyer__organisation")
        lots = Lot.objects.filter(family=offer.family, **box).select_related("tender__buyer__organisation")
        needs = [line_facts(line, line.demand) for line in lines] + [lot_facts(lot) for lot in lots]
        matches += matching.rank_needs(tree, facts, needs, today=today)
    matches.sort(key=lambda m: -m.score)
    return matches


def interests_for_demand(found: Demand) -> list[Interest]:
    """Return the answers to a demand (for its buyer only: the caller checks may_manage)."""
    return list(Interest.objects.filter(demand=found).select_related("offer__place", "offer__organisation"))


def interested_offers(user, found: Demand) -> set[str]:
    """Return the offers of `user`'s organisations that already answered this demand."""
    organisations = managed_organisations(user)
    return set(Interest.objects.filter(demand=found, offer__organisation__in=organisations).values_list("offer__public_id", flat=True))
