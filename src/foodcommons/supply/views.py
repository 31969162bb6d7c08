"""Pages of local supply: the landing page, a producer's offer, a buyer's demand with its ranked producers, answers."""

import math

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from foodcommons.collaboration.services import Forbidden
from foodcommons.core.problems import InvalidInput, NotFound
from foodcommons.supply import selectors, services
from foodcommons.supply.domain.matching import CRITERIA, clean_weights
from foodcommons.supply.forms import DemandForm, InterestForm, OfferForm, RegistrationForm
from foodcommons.supply.models import Buyer, Demand, Offer, Tender
from foodcommons.supply.presentation import CRITERION_LABELS, PROCESSING_LABELS, coverage_view, explained, month_names, product_label, shown_number
from foodcommons.supply.territory_coverage import territory_coverage_json
from foodcommons.territories import selectors as territories
from foodcommons.territories.models import Territory

COVERAGE_KM = 30.0


def _language() -> str:
    return (translation.get_language() or "fr")[:2]


def _refused(form, problem: InvalidInput) -> None:
    # The rules' reasons are for the API; on a page, each refused field says so in the page's language.
    for error in problem.errors:
        name = error.field.split(".")[-1]
        if name in form.fields:
            form.add_error(name, _("This value is not accepted: please check it."))
        else:
            form.add_error(None, _("Some values are not accepted: please check the form."))


def landing(request):
    """What local supply does, and the demands and tenders published."""
    demands = Demand.objects.filter(status=Demand.Status.PUBLISHED).select_related("buyer__organisation")[:50]
    tenders = Tender.objects.select_related("buyer__organisation").prefetch_related("lots")[:20]
    return render(request, "supply/landing.html", {"demands": demands, "tenders": tenders,
                                                   "manages": bool(selectors.managed_organisations(request.user))})


def _organisations_or_explain(request):
    organisations = selectors.managed_organisations(request.user)
    if not organisations:
        return None, render(request, "supply/no_organisation.html", status=403)
    return organisations, None


@login_required
def new_offer(request):
    """A producer publishes an offer of one product of a place their organisation keeps."""
    organisations, refusal = _organisations_or_explain(request)
    if refusal:
        return refusal
    form = OfferForm(request.POST or None, organisations=organisations, language=_language())
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", [])}
        data.setdefault("delivery_communes", [])
        if "price" in data:
            data["price"] = float(data["price"])
        try:
            services.create_offer(data=data, author=request.user)
            return redirect("supply:for_me")
        except InvalidInput as problem:
            _refused(form, problem)
        except Forbidden:
            return render(request, "supply/no_organisation.html", status=403)
    return render(request, "supply/offer_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def new_demand(request):
    """A buyer (a school, a crèche, a hospital…) publishes a demand; matching producers are told."""
    organisations, refusal = _organisations_or_explain(request)
    if refusal:
        return refusal
    form = DemandForm(request.POST or None, organisations=organisations, language=_language())
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "") and k != "kind"}
        data["lines"] = form.lines()
        if "budget" in data:
            data["budget"] = float(data["budget"])
        try:
            services.register_buyer(organisation=data["organisation"], kind=form.cleaned_data["kind"], author=request.user)
            demand = services.publish_demand(data=data, author=request.user)
            return redirect("supply:demand", demand.public_id)
        except InvalidInput as problem:
            _refused(form, problem)
    return render(request, "supply/demand_form.html", {"form": form, "line_numbers": range(3)}, status=400 if form.errors else 200)


def demand_page(request, public_id):
    """A demand with, for each product, the producers ranked with every criterion's value, weight and points."""
    demand = selectors.demand(public_id)
    language = _language()
    weights = clean_weights(request.GET)
    rankings = selectors.demand_rankings(demand, weights=weights)
    offers = selectors.offers_by_id({m.offer.id for _line, matches in rankings for m in matches})
    is_buyer = selectors.may_manage(request.user, demand.buyer.organisation)
    lines = []
    for line, matches in rankings:
        _months, coverage = selectors.line_coverage(demand, line, km=COVERAGE_KM)
        lines.append({
            "line": line, "product": product_label(line.product, language), "months": month_names(line.months), "coverage": round(coverage.share * 100),
            "matches": [{"offer": offers[m.offer.id], "score": m.score, "maximum": m.maximum, "criteria": explained(m),
                         "product": product_label(m.offer.product, language)} for m in matches if m.offer.id in offers],
        })
    context = {"demand": demand, "lines": lines, "is_buyer": is_buyer, "coverage_km": COVERAGE_KM,
               "processing": PROCESSING_LABELS.get(demand.processing, ""),
               "weights": [{"key": k, "label": CRITERION_LABELS[k], "value": weights[k]} for k in CRITERIA],
               "interests": selectors.interests_for_demand(demand) if is_buyer else [],
               "answered": selectors.interested_offers(request.user, demand),
               "may_answer": bool(_answerable_offers(request.user)) and not is_buyer}
    return render(request, "supply/demand.html", context)


def _answerable_offers(user) -> list[Offer]:
    return list(Offer.objects.filter(organisation__in=selectors.managed_organisations(user), active=True).select_related("place"))


@login_required
def answer(request, public_id):
    """A producer answers a demand: "interested", with a message and an optional price only the buyer sees."""
    demand = selectors.demand(public_id)
    offers = _answerable_offers(request.user)
    if not offers:
        return render(request, "supply/no_organisation.html", status=403)
    form = InterestForm(request.POST or None, offers=offers, language=_language())
    if request.method == "POST" and form.is_valid():
        price = form.cleaned_data.get("price")
        try:
            services.express_interest(offer_id=form.cleaned_data["offer"], demand_id=demand.public_id, message=form.cleaned_data["message"],
                                      price=price, author=request.user)
            return render(request, "supply/answered.html", {"demand": demand})
        except InvalidInput as problem:
            _refused(form, problem)
    return render(request, "supply/answer.html", {"demand": demand, "form": form}, status=400 if form.errors else 200)


@login_required
def for_me(request):
    """A producer's page: their offers and the demands and lots they could answer, best first."""
    offers = _answerable_offers(request.user)
    language = _language()
    matches = selectors.needs_for_offers(offers)
    demands = {d.public_id: d for d in Demand.objects.filter(public_id__in={m.need.id.split(":")[0] for m in matches}).select_related("buyer__organisation")}
    tenders = {t.public_id: t for t in Tender.objects.filter(public_id__in={m.need.id.split(":")[0] for m in matches}).select_related("buyer__organisation")}
    rows, seen = [], set()
    for m in matches:
        key = (m.need.id, m.offer.id)
        if key in seen:
            continue
        seen.add(key)
        parent = m.need.id.split(":")[0]
        rows.append({"demand": demands.get(parent), "tender": tenders.get(parent), "score": m.score, "maximum": m.maximum,
                     "product": product_label(m.need.product, language), "months": month_names(m.need.months), "criteria": explained(m)})
    return render(request, "supply/for_me.html", {"offers": [{"offer": o, "product": product_label(o.product, language),
                                                              "months": month_names(o.months)} for o in offers], "rows": rows,
                                                  "is_buyer": Buyer.objects.filter(organisation__in=selectors.managed_organisations(request.user)).exists()})


def _territory_choices(language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    # Regions, provinces and communes, each group by name in the page's language.
    groups = ((Territory.Level.REGION, _("Regions")), (Territory.Level.PROVINCE, _("Provinces")), (Territory.Level.COMMUNE, _("Communes")))
    name = f"name_{language}" if language in ("fr", "nl") else "name_en"
    found = []
    for level, label in groups:
        rows = territories.list_territories(level=level)
        found.append((label, sorted(((t.code, getattr(t, name) or t.name_fr) for t in rows), key=lambda c: c[1])))
    return found


def _km(raw: str | None) -> float:
    try:
        value = float((raw or "").replace(",", "."))
    except ValueError:
        return COVERAGE_KM
    return min(100.0, max(1.0, value)) if math.isfinite(value) else COVERAGE_KM


def territory_coverage(request):
    """The territory coverage indicator: how much of a territory's canteens' demand producers within a distance could cover."""
    language = _language()
    code, km = (request.GET.get("territory") or "").strip(), _km(request.GET.get("km"))
    context = {"choices": _territory_choices(language), "code": code, "km": km, "result": None, "unknown": False}
    if code:
        try:
            context["result"] = coverage_view(api_json=territory_coverage_json(code, km, language), language=language)
        except NotFound:
            context["unknown"] = True
    return render(request, "supply/territory_coverage.html", context, status=404 if context["unknown"] else 200)


@login_required
def registrations(request):
    """An organisation's registration numbers, checked or not (who, when); its editors add them, its moderators and admins check them."""
    organisations, refusal = _organisations_or_explain(request)
    if refusal:
        return refusal
    form = RegistrationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and request.POST.get("check"):
        organisation = next((o for o in organisations if str(o.pk) == request.POST.get("organisation")), None)
        try:
            services.check_registration(organisation=organisation, kind=request.POST["check"], author=request.user)
            return redirect("supply:registrations")
        except (Forbidden, NotFound):
            return render(request, "supply/no_organisation.html", status=403)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.register_number(organisation=data["organisation"], kind=data["kind"], number=data["number"],
                                     certifier=data.get("certifier") or "", expires=data.get("expires"), author=request.user)
            return redirect("supply:registrations")
        except InvalidInput as problem:
            for error in problem.errors:
                # The rule's reason, in the page's language (the catalogs carry each of them).
                form.add_error(error.field if error.field in form.fields else None, _(error.reason))
    rows = [{"organisation": o, "may_check": selectors.may_check_registrations(request.user, o),
             "registrations": [{"registration": r, "number": shown_number(r)} for r in selectors.registrations_of(o)]} for o in organisations]
    return render(request, "supply/registrations.html", {"form": form, "organisations": rows}, status=400 if form.errors else 200)
