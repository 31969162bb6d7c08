"""Reads of local supply: offers and needs as matching facts, the SQL pre-filter, rankings, coverage, roles."""

from datetime import date

import numpy as np
from django.db import connection
from django.db.models import Q

from foodcommons.collaboration.models import Membership
from foodcommons.collaboration.permissions import Action, Role, allowed
from foodcommons.collaboration.selectors import role_in_organisation
from foodcommons.core.problems import NotFound
from foodcommons.places.models import Place
from foodcommons.supply import offer_columns
from foodcommons.supply.domain import matching, screening
from foodcommons.supply.domain.coverage import need_coverage, total
from foodcommons.supply.domain.matching import Match, NeedFacts, OfferFacts
from foodcommons.supply.domain.territory import OfferTable, TerritoryCoverage, same_or_narrower, territory_coverage
from foodcommons.supply.domain.units import demand_per_month, per_month
from foodcommons.supply.models import Demand, DemandLine, Interest, Lot, Offer, Registration, Tender
from foodcommons.supply.products import product_tree
from foodcommons.territories import selectors as territories

PREFILTER_KM = matching.DISTANCE_SCALE_KM
OFFER_FIELDS = ("public_id", "product", "months", "volume", "volume_unit", "volume_period", "lon", "lat", "delivery_radius_km",
                "delivery_communes", "minimum_order", "organic", "organic_expires", "processing", "intermediaries", "place_id")


def may_manage(user, organisation) -> bool:
    """Tell whether `user` may manage the offers, demands and tenders of `organisation`, and read its answers."""
    return organisation is not None and allowed(role_in_organisation(user, organisation), Action.MANAGE_SUPPLY)


def may_check_registrations(user, organisation) -> bool:
    """Tell whether `user` may mark the organisation's registration numbers as checked (its moderators and admins)."""
    return organisation is not None and allowed(role_in_organisation(user, organisation), Action.CHECK_REGISTRATIONS)


def registrations_of(organisation) -> list[Registration]:
    """Return an organisation's registration numbers with who checked them."""
    return list(Registration.objects.filter(organisation=organisation).select_related("checked_by"))


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


def _near_or_delivering(need: NeedFacts, km: float) -> Q:
    # Offers in the box around the delivery point, and those beyond it that deliver to the need's commune by name
    # (SQLite has no JSON containment: a text match there).
    min_lon, min_lat, max_lon, max_lat = matching.bounding_box(need.lon, need.lat, km)
    return Q(lon__gte=min_lon, lon__lte=max_lon, lat__gte=min_lat, lat__lte=max_lat) | _delivers_to_commune(need)


def _delivers_to_commune(need: NeedFacts) -> Q:
    if not need.commune:
        return Q(pk__in=[])
    if connection.features.supports_json_field_contains:
        return Q(delivery_communes__contains=[need.commune])
    return Q(delivery_communes__icontains=f'"{need.commune}"')


def candidate_offers(need: NeedFacts, *, km: float = PREFILTER_KM) -> list[OfferFacts]:
    """Return the active offers of the need's product family within `km` of its delivery point (one indexed query)."""
    family = product_tree().family(need.product)
    rows = Offer.objects.filter(Q(family=family, active=True) & _near_or_delivering(need, km)).values(*OFFER_FIELDS)
    return [offer_facts(row) for row in rows]


EXPLAIN_BATCH = 64


def _in_box(offers: offer_columns.ActiveOffers, rows: np.ndarray, lon: float, lat: float, km: float) -> np.ndarray:
    min_lon, min_lat, max_lon, max_lat = matching.bounding_box(lon, lat, km)
    x, y = offers.lon[rows], offers.lat[rows]
    return (x >= min_lon) & (x <= max_lon) & (y >= min_lat) & (y <= max_lat)


def _screened(offers: offer_columns.ActiveOffers, need: NeedFacts, products: list[str], relation: str, weights: dict,
              today: date) -> list[tuple[float, int]]:
    """Return (bound, offer pk) of the offers of these products in season and within reach, highest bound first."""
    rows = offers.rows_of(products)
    rows = rows[(offers.month_mask[rows] & screening.month_mask(sorted(need.months))) > 0]
    # Within reach as candidate_offers says it: in the box around the delivery point, or delivering to its commune by name.
    rows = rows[_in_box(offers, rows, need.lon, need.lat, PREFILTER_KM) | np.isin(rows, offers.serving(need.commune))]
    if not len(rows):
        return []
    bounds = screening.upper_bounds(need, relation, offers.screening_columns(rows, need.unit, need.commune), weights, today)
    order = np.argsort(-bounds, kind="stable")
    return list(zip(bounds[order].tolist(), offers.pk[rows[order]].tolist(), strict=True))


def rank_for_need(need: NeedFacts, *, weights: dict | None = None, today: date | None = None, limit: int | None = 50) -> list[Match]:
    """Return the offers ranked for one need: the same order as scoring every candidate, but only those that may reach the top are explained.

    Products are taken group by group (exact, narrower, broader, sibling); within a group offers come by their score's upper
    bound (`screening`), and the search stops once `limit` explained scores beat every bound left.
    """
    tree, chosen, today = product_tree(), dict(weights or matching.DEFAULT_WEIGHTS), today or date.today()
    if not need.months:
        return []
    ranked: list[Match] = []

    def full() -> bool:
        return limit is not None and len(ranked) >= limit

    groups = sorted(screening.product_groups(tree, need.product), key=lambda g: -screening.group_bound(g[0], chosen))
    offers = offer_columns.active_offers()
    for relation, products in groups:
        if full() and ranked[limit - 1].score > screening.group_bound(relation, chosen):
            break
        screened = _screened(offers, need, products, relation, chosen, today)
        for start in range(0, len(screened), EXPLAIN_BATCH):
            if full() and ranked[limit - 1].score > screened[start][0]:
                break
            batch = [pk for _, pk in screened[start:start + EXPLAIN_BATCH]]
            explained = [offer_facts(row) for row in Offer.objects.filter(pk__in=batch, active=True).values(*OFFER_FIELDS)]
            ranked = matching.rank_offers(tree, need, [m.offer for m in ranked] + explained, weights=chosen, today=today, limit=limit)
    return ranked


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


TERRITORY_LINE_FIELDS = ("pk", "product", "quantity", "unit", "frequency", "months", "demand__public_id", "demand__lon", "demand__lat",
                         "demand__commune_nis", "demand__organic", "demand__processing", "demand__starts_on", "demand__buyer_id")


def _line_facts_from_row(row: dict) -> NeedFacts:
    return NeedFacts(
        id=f"{row['demand__public_id']}:{row['pk']}", product=row["product"], months=frozenset(row["months"]),
        quantity_per_month=demand_per_month(row["quantity"], row["frequency"]), quantity_per_delivery=row["quantity"], unit=row["unit"],
        lon=row["demand__lon"], lat=row["demand__lat"], commune=row["demand__commune_nis"], organic=row["demand__organic"],
        processing=row["demand__processing"], starts_on=row["demand__starts_on"],
    )


def territory_demand(code: str) -> list[dict]:
    """Return the lines of the published demands delivered in territory `code` (its communes by NIS code), as rows."""
    communes = territories.commune_codes_within(code)
    if not communes:
        raise NotFound(f"No territory with code '{code}'.")
    return list(DemandLine.objects.filter(demand__status=Demand.Status.PUBLISHED, demand__commune_nis__in=communes)
                .order_by("demand__created_at", "pk").values(*TERRITORY_LINE_FIELDS))


def offers_within_reach(needs: list[NeedFacts], *, km: float) -> OfferTable:
    """Return, as columns, the active offers that could answer these needs: their products or narrower ones, their units,
    in one of their months, in the box around all of them widened by `km` (from this process's columns of the offers)."""
    if not needs:
        return OfferTable.from_facts([])
    under = same_or_narrower(product_tree())
    offers = offer_columns.active_offers()
    rows = offers.rows_of(set().union(*(under.get(n.product, {n.product}) for n in needs)))
    west, south, _, _ = matching.bounding_box(min(n.lon for n in needs), min(n.lat for n in needs), km)
    _, _, east, north = matching.bounding_box(max(n.lon for n in needs), max(n.lat for n in needs), km)
    months = screening.month_mask(sorted(set().union(*(n.months for n in needs))))
    x, y = offers.lon[rows], offers.lat[rows]
    rows = rows[np.isin(offers.units[rows], sorted({n.unit for n in needs})) & ((offers.month_mask[rows] & months) > 0)
                & (x >= west) & (x <= east) & (y >= south) & (y <= north)]
    return OfferTable(ids=[offers.public_ids[r] for r in rows.tolist()], products=offers.products[rows].tolist(), units=offers.units[rows].tolist(),
                      producers=[str(p) for p in offers.place_ids[rows].tolist()], lon=offers.lon[rows], lat=offers.lat[rows],
                      volume_per_month=offers.volume_per_month(rows), month_mask=offers.month_mask[rows])


def territory_indicator(code: str, *, km: float) -> tuple[TerritoryCoverage, dict]:
    """Return the coverage of a territory's canteens' demand by producers within `km`, and the counts and names to show it."""
    rows = territory_demand(code)
    needs = [_line_facts_from_row(row) for row in rows]
    offers = offers_within_reach(needs, km=km)
    found = territory_coverage(product_tree(), needs, offers, max_km=km)
    producers = [int(s.producer) for s in found.producers if s.producer.isdigit()]
    places = {str(p.pk): p for p in Place.objects.only("pk", "public_id", "name_fr", "name_nl", "name_en").filter(pk__in=producers)}
    counts = {"demands": len({r["demand__public_id"] for r in rows}), "buyers": len({r["demand__buyer_id"] for r in rows}),
              "offers": len(offers.ids), "places": places}
    return found, counts


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
