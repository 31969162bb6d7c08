"""The forms of local supply: a producer's offer, a buyer's demand (three product lines), a producer's answer."""

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from foodcommons.collaboration.models import Organisation, PlaceMaintainer
from foodcommons.places.models import Place
from foodcommons.supply.models import Buyer, DemandLine, Offer, Registration
from foodcommons.supply.presentation import PROCESSING_LABELS, product_label
from foodcommons.supply.products import product_tree

MONTH_CHOICES = [(m, MONTHS[m]) for m in range(1, 13)]
DAY_CHOICES = [("mon", _("Monday")), ("tue", _("Tuesday")), ("wed", _("Wednesday")), ("thu", _("Thursday")), ("fri", _("Friday")),
               ("sat", _("Saturday")), ("sun", _("Sunday"))]
LINES = 3


def product_choices(language: str, *, blank: bool = False) -> list[tuple[str, str]]:
    """Return the DFC products as choices, by their name in the page's language."""
    tree = product_tree()
    choices = sorted(((p, product_label(p, language)) for p in tree.broader), key=lambda c: c[1].lower())
    return [("", "—"), *choices] if blank else choices


class OfferForm(forms.Form):
    """A producer's offer of one product."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Producer (your organisation)"))
    place = forms.ModelChoiceField(queryset=Place.objects.none(), label=_("Place of production"))
    product = forms.ChoiceField(label=_("Product"))
    months = forms.TypedMultipleChoiceField(choices=MONTH_CHOICES, coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
                                            label=_("Months available"), help_text=_("Empty: the usual season of this fruit or vegetable"))
    volume = forms.FloatField(min_value=0.001, label=_("Volume you can supply"))
    volume_unit = forms.ChoiceField(choices=Offer.Unit.choices, label=_("Unit"))
    volume_period = forms.ChoiceField(choices=Offer.Period.choices, label=_("Per"))
    price = forms.DecimalField(required=False, min_value=0.01, max_digits=10, decimal_places=2, label=_("Price per unit in euros (optional)"),
                               help_text=_("Only buyers see it, never other producers"))
    minimum_order = forms.FloatField(required=False, min_value=0.001, label=_("Minimum order per delivery (optional)"))
    delivery_radius_km = forms.FloatField(required=False, min_value=1, max_value=500, label=_("Delivery radius in km"))
    delivery_communes = forms.CharField(required=False, label=_("Or communes you deliver to (NIS codes, separated by commas)"))
    delivery_days = forms.MultipleChoiceField(choices=DAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple, label=_("Delivery days"))
    processing = forms.MultipleChoiceField(choices=list(PROCESSING_LABELS.items()), initial=["raw"], widget=forms.CheckboxSelectMultiple,
                                           label=_("Processing offered"))
    organic = forms.BooleanField(required=False, label=_("Certified organic"))
    organic_certifier = forms.CharField(required=False, max_length=100, label=_("Certifier"))
    organic_expires = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label=_("Certificate valid until"))
    afsca_number = forms.CharField(required=False, max_length=20, label=_("AFSCA number (optional)"))

    def __init__(self, *args, organisations=(), language="fr", **kwargs):
        super().__init__(*args, **kwargs)
        ids = [o.pk for o in organisations]
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=ids)
        kept = PlaceMaintainer.objects.filter(organisation_id__in=ids).values("place_id")
        self.fields["place"].queryset = Place.objects.filter(pk__in=kept, deleted_at__isnull=True)
        self.fields["product"].choices = product_choices(language)

    def clean_delivery_communes(self):
        return [c.strip() for c in self.cleaned_data.get("delivery_communes", "").split(",") if c.strip()]


class DemandForm(forms.Form):
    """A buyer's demand: delivery point, constraints, private budget and up to three product lines."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Buyer (your organisation)"))
    kind = forms.ChoiceField(choices=Buyer.Kind.choices, label=_("Kind of buyer"))
    title = forms.CharField(max_length=200, label=_("Title"))
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Description"))
    lat = forms.FloatField(min_value=49, max_value=52, label=_("Delivery point: latitude"))
    lon = forms.FloatField(min_value=2, max_value=7, label=_("Delivery point: longitude"))
    commune_nis = forms.RegexField(regex=r"^\d{5}$", required=False, label=_("Commune of delivery (NIS code, optional)"))
    organic = forms.BooleanField(required=False, label=_("Organic products only"))
    processing = forms.ChoiceField(choices=[("", _("raw")), ("washed", _("washed")), ("cut", _("cut (légumerie)"))], required=False,
                                   label=_("Processing needed"))
    budget = forms.DecimalField(required=False, min_value=0.01, max_digits=12, decimal_places=2, label=_("Budget in euros (optional)"),
                                help_text=_("Private: never shown to producers or in open data"))

    def __init__(self, *args, organisations=(), language="fr", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        for i in range(LINES):
            required = i == 0
            self.fields[f"product_{i}"] = forms.ChoiceField(choices=product_choices(language, blank=True), required=required,
                                                            label=_("Product %(n)s") % {"n": i + 1})
            self.fields[f"quantity_{i}"] = forms.FloatField(min_value=0.001, required=required, label=_("Quantity per delivery"))
            self.fields[f"unit_{i}"] = forms.ChoiceField(choices=Offer.Unit.choices, label=_("Unit"))
            self.fields[f"frequency_{i}"] = forms.ChoiceField(choices=DemandLine.Frequency.choices, initial="weekly", label=_("Deliveries"))
            self.fields[f"from_{i}"] = forms.TypedChoiceField(choices=MONTH_CHOICES, coerce=int, initial=9, label=_("From"))
            self.fields[f"to_{i}"] = forms.TypedChoiceField(choices=MONTH_CHOICES, coerce=int, initial=6, label=_("To"))

    def lines(self) -> list[dict]:
        """Return the product lines filled in, each with its months from the first to the last (across the new year too)."""
        data, found = self.cleaned_data, []
        for i in range(LINES):
            if not data.get(f"product_{i}"):
                continue
            start, end = data[f"from_{i}"], data[f"to_{i}"]
            months = list(range(start, end + 1)) if start <= end else [*range(start, 13), *range(1, end + 1)]
            found.append({"product": data[f"product_{i}"], "quantity": data.get(f"quantity_{i}"), "unit": data[f"unit_{i}"],
                          "frequency": data[f"frequency_{i}"], "months": months})
        return found


class InterestForm(forms.Form):
    """A producer's answer to a demand: which offer, a message and an optional price for this buyer only."""

    offer = forms.ChoiceField(label=_("Your offer"))
    message = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), label=_("Message to the buyer"))
    price = forms.DecimalField(required=False, min_value=0.01, max_digits=10, decimal_places=2, label=_("Your price per unit in euros (optional)"),
                               help_text=_("Only this buyer sees it"))

    def __init__(self, *args, offers=(), language="fr", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].choices = [(o.public_id, f"{product_label(o.product, language)} — {o.place.display_name(language)}") for o in offers]


class RegistrationForm(forms.Form):
    """A registration number of the organisation: VAT/BCE, AFSCA or an organic certificate (with its certifier and expiry)."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    kind = forms.ChoiceField(choices=Registration.Kind.choices, label=_("Registration"))
    number = forms.CharField(max_length=40, label=_("Number"), help_text=_("VAT / BCE: BE 0403.170.701; AFSCA: its ten digits"))
    certifier = forms.CharField(required=False, max_length=100, label=_("Certifier (organic certificate)"))
    expires = forms.DateField(required=False, label=_("Expires on (organic certificate)"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name")
