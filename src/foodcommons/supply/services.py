"""Writes of local supply: offers (producers), buyers, demands and tenders (buyers), interests; alerts to producers."""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from foodcommons.collaboration.models import Membership, PlaceMaintainer
from foodcommons.collaboration.permissions import Action, allowed
from foodcommons.collaboration.selectors import role_in_organisation
from foodcommons.collaboration.services import Forbidden
from foodcommons.core.ids import new_public_id
from foodcommons.core.mail import absolute, queue_email
from foodcommons.core.problems import FieldError, InvalidInput, NotFound
from foodcommons.supply import selectors
from foodcommons.supply.domain import validation
from foodcommons.supply.domain.screening import month_mask
from foodcommons.supply.models import Buyer, Demand, DemandLine, Interest, Lot, Offer, Registration, Tender
from foodcommons.supply.products import product_tree
from foodcommons.territories import selectors as territories
from foodcommons.territories.models import Territory

OFFER_COLUMNS = ("product", "months", "volume", "volume_unit", "volume_period", "price", "minimum_order", "delivery_radius_km",
                 "delivery_communes", "delivery_days", "processing", "organic", "organic_certifier", "organic_expires", "afsca_number",
                 "intermediaries", "is_example", "source")
DEMAND_COLUMNS = ("title", "description", "place", "lon", "lat", "commune_nis", "organic", "processing", "budget", "starts_on", "is_example")
LOT_COLUMNS = ("title", "cpv", "product", "quantity", "unit", "months", "lon", "lat", "delivery_location", "starts_on", "ends_on",
               "award_criteria", "organic")


def _require_manager(user, organisation) -> None:
    if not selectors.may_manage(user, organisation):
        raise Forbidden("Only the editors of this organisation may manage its offers, demands and tenders.")


def _raise(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def create_offer(*, data: dict, author, check_role: bool = True) -> Offer:
    """Create an offer of a place kept by the organisation; months default to the product's season (fruit and vegetables)."""
    organisation, place = data.get("organisation"), data.get("place")
    if check_role:
        _require_manager(author, organisation)
    tree = product_tree()
    data = {"processing": ["raw"], "intermediaries": 0, **data}
    if not data.get("months") and data.get("product") in tree:
        data["months"] = list(tree.default_months(data["product"]))
    errors = validation.offer_errors(data, products=tree, today=date.today())
    if place is None or place.lon is None:
        errors.append(FieldError("place", "a place of the commons with a location is required"))
    elif check_role and not PlaceMaintainer.objects.filter(place=place, organisation=organisation).exists():
        errors.append(FieldError("place", "this place is not kept by the organisation"))
    _raise(errors)
    values = {k: data[k] for k in OFFER_COLUMNS if k in data}
    if values.get("afsca_number"):
        values["afsca_number"] = validation.afsca_digits(values["afsca_number"])
    return Offer.objects.create(public_id=new_public_id(), organisation=organisation, place=place, family=tree.family(data["product"]),
                                month_mask=month_mask(values["months"]), lon=place.lon, lat=place.lat, **values)


def register_buyer(*, organisation, kind: str, vat_number: str = "", author, check_role: bool = True) -> Buyer:
    """Make an organisation a buyer of a kind (school, crèche, hospital…), or change its kind."""
    if check_role:
        _require_manager(author, organisation)
    _raise(validation.buyer_errors({"kind": kind}))
    buyer, _ = Buyer.objects.update_or_create(organisation=organisation, defaults={"kind": kind, "vat_number": vat_number})
    return buyer


def _buyer_of(organisation) -> Buyer:
    buyer = Buyer.objects.filter(organisation=organisation).first()
    if buyer is None:
        raise InvalidInput([FieldError("organisation", "this organisation is not registered as a buyer yet")])
    return buyer


@transaction.atomic
def publish_demand(*, data: dict, author, check_role: bool = True, alert: bool = True) -> Demand:
    """Publish a buyer's demand with its lines, then tell the producers whose offers match it."""
    organisation = data.get("organisation")
    if check_role:
        _require_manager(author, organisation)
    buyer = _buyer_of(organisation)
    place = data.get("place")
    if place is not None and data.get("lon") is None:
        data = {**data, "lon": place.lon, "lat": place.lat}
    tree = product_tree()
    _raise(validation.demand_errors(data, products=tree))
    if not data.get("commune_nis"):
        # The commune of the delivery point places the demand in its territory's coverage indicator.
        data = {**data, "commune_nis": commune_of(data["lon"], data["lat"])}
    demand = Demand.objects.create(public_id=new_public_id(), buyer=buyer, **{k: data[k] for k in DEMAND_COLUMNS if k in data})
    DemandLine.objects.bulk_create(
        DemandLine(demand=demand, family=tree.family(line["product"]), **{k: line[k] for k in ("product", "quantity", "unit", "frequency", "months")})
        for line in data["lines"]
    )
    if alert:
        transaction.on_commit(lambda: alert_producers(demand.public_id))
    return demand


def commune_of(lon: float, lat: float) -> str:
    """Return the NIS code of the commune containing a point, or "" when none is known (territories not loaded)."""
    if not Territory.objects.filter(level=Territory.Level.COMMUNE).exists():
        return ""
    return territories.commune_index().locate(lon, lat) or ""


def alert_producers(demand_public_id: str) -> int:
    """E-mail, in their language, the editors of the organisations whose offers match a demand; return how many e-mails."""
    found = selectors.demand(demand_public_id)
    offer_ids = {m.offer.id for line, matches in selectors.demand_rankings(found) for m in matches}
    organisations = {o.organisation_id for o in selectors.offers_by_id(offer_ids).values()}
    people = Membership.objects.filter(organisation_id__in=organisations, role__in=["editor", "moderator", "admin"]).select_related("user__profile")
    link = absolute(reverse("supply:answer", args=[found.public_id]))
    sent = set()
    for membership in people:
        user = membership.user
        if not user.email or user.email in sent:
            continue
        sent.add(user.email)
        language = getattr(getattr(user, "profile", None), "language", "fr") or "fr"
        queue_email(to=user.email, template="supply/email/new_demand", language=language,
                    context={"title": found.title, "buyer": found.buyer.organisation.name, "link": link})
    return len(sent)


@transaction.atomic
def create_tender(*, data: dict, author, check_role: bool = True) -> Tender:
    """Create a tender in lots for a buyer (numbered LOT-0001…)."""
    organisation = data.get("organisation")
    if check_role:
        _require_manager(author, organisation)
    buyer = _buyer_of(organisation)
    tree = product_tree()
    _raise(validation.tender_errors(data, products=tree, now=timezone.now()))
    tender = Tender.objects.create(public_id=new_public_id(), buyer=buyer, title=data["title"], description=data.get("description", ""),
                                   procedure=data["procedure"], deadline=data["deadline"], notice_url=data.get("notice_url", ""),
                                   is_example=data.get("is_example", False))
    Lot.objects.bulk_create(
        Lot(tender=tender, number=i, family=tree.family(lot["product"]), **{k: lot[k] for k in LOT_COLUMNS if k in lot})
        for i, lot in enumerate(data["lots"], start=1)
    )
    return tender


@transaction.atomic
def express_interest(*, offer_id: str, demand_id: str, message: str = "", price=None, author) -> Interest:
    """Answer a demand with one of the organisation's offers: a message and an optional price, for that buyer only."""
    offer = Offer.objects.select_related("organisation").filter(public_id=offer_id).first()
    if offer is None:
        raise NotFound(f"No offer with id '{offer_id}'.")
    _require_manager(author, offer.organisation)
    demand = selectors.demand(demand_id)
    _raise(validation.interest_errors({"message": message, "price": float(price) if price is not None else None}))
    interest = Interest.objects.filter(offer=offer, demand=demand).first() or Interest(public_id=new_public_id(), offer=offer, demand=demand)
    interest.message, interest.price = message, price
    interest.save()
    return interest


@transaction.atomic
def register_number(*, organisation, kind: str, number: str, certifier: str = "", expires: date | None = None, author,
                    check_role: bool = True) -> Registration:
    """Store an organisation's VAT/BCE number, AFSCA registration or organic certificate; a changed number is no longer checked."""
    if check_role:
        _require_manager(author, organisation)
    data = {"kind": kind, "number": number, "certifier": certifier, "expires": expires}
    _raise(validation.registration_errors(data, today=date.today()))
    compact = validation.compact_registration(kind, number)
    found = Registration.objects.filter(organisation=organisation, kind=kind).first() or Registration(organisation=organisation, kind=kind)
    if (found.number, found.certifier, found.expires) != (compact, certifier.strip(), expires):
        found.checked_by, found.checked_at = None, None
    found.number, found.certifier, found.expires = compact, certifier.strip(), expires
    found.save()
    if kind == "vat":
        Buyer.objects.filter(organisation=organisation).update(vat_number=compact, vat_checked=found.checked)
    return found


def check_registration(*, organisation, kind: str, author) -> Registration:
    """Record that a moderator or an admin of the organisation (or a platform moderator) checked a registration number."""
    if not allowed(role_in_organisation(author, organisation), Action.CHECK_REGISTRATIONS):
        raise Forbidden("Only the organisation's moderators and admins, or the platform's moderators, check its registration numbers.")
    found = Registration.objects.filter(organisation=organisation, kind=kind).first()
    if found is None:
        raise NotFound(f"No {kind} registration is stored for this organisation.")
    found.checked_by, found.checked_at = author, timezone.now()
    found.save(update_fields=["checked_by", "checked_at", "updated_at"])
    if kind == "vat":
        Buyer.objects.filter(organisation=organisation).update(vat_checked=True)
    return found
