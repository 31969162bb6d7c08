"""Web forms of contributions, reports and moderation, and their mapping to place data."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from foodcommons.collaboration.models import Report
from foodcommons.core.fields import FormInput
from foodcommons.core.values.contacts import normalise_email, normalise_phone, normalise_website
from foodcommons.places.domain.fields import FORM_CONTACTS, place_fields
from foodcommons.taxonomy.selectors import category_groups, form_attributes
from foodcommons.territories.domain.geocode import point_problem
from foodcommons.territories.selectors import commune_index

# Called when the form is rendered, so that the labels follow the page's language.
CHOICE_SOURCES = {"categories": lambda: category_groups(_language())}
CONTACT_CHECKS = {"website": normalise_website, "phone": normalise_phone, "email": normalise_email}
CONTACT_ERRORS = {
    "website": _("This is not a web address (for example www.example.be)."),
    "phone": _("This is not a phone number (for example 02 512 34 56 or 0470 12 34 56)."),
    "email": _("This is not an e-mail address (for example contact@example.be)."),
}
WIDGETS = {"website": forms.URLInput, "email": forms.EmailInput}


def _language() -> str:
    return (get_language() or "fr")[:2]


def form_field(spec: FormInput) -> forms.Field:
    """Return the Django form field of a declared input (places.domain.fields declares them)."""
    choices = CHOICE_SOURCES.get(spec.choices, spec.choices) if isinstance(spec.choices, str) else spec.choices
    if spec.kind == "number":
        return forms.FloatField(label=spec.label, required=spec.required, min_value=spec.minimum, max_value=spec.maximum)
    if spec.kind == "choices":
        return forms.MultipleChoiceField(label=spec.label, choices=choices, required=spec.required, widget=forms.CheckboxSelectMultiple)
    if spec.kind == "choice":
        return forms.ChoiceField(label=spec.label, choices=choices, initial=spec.initial, required=spec.required)
    if spec.kind == "boolean":
        return forms.BooleanField(label=spec.label, required=False)
    if spec.kind in CONTACT_CHECKS:
        widget = WIDGETS.get(spec.kind, forms.TextInput)(attrs={"type": "tel", "autocomplete": "tel"} if spec.kind == "phone" else {})
        return forms.CharField(label=spec.label, max_length=spec.max_length, required=spec.required, widget=widget)
    widget = forms.Textarea(attrs={"rows": 4}) if spec.kind == "textarea" else None
    return forms.CharField(label=spec.label, max_length=spec.max_length, required=spec.required, widget=widget)


def _attribute_field(attribute: dict) -> forms.Field:
    """Return the form field of a category attribute (taxonomy.selectors.form_attributes describes them)."""
    label, kind = attribute["label"], attribute["type"]
    if kind == "boolean":
        return forms.NullBooleanField(label=label, required=False, widget=forms.Select(choices=[("", "—"), ("true", _("yes")), ("false", _("no"))]))
    if kind == "choice":
        return forms.ChoiceField(label=label, choices=[("", "—"), *attribute["choices"]], required=False)
    if kind == "multichoice":
        return forms.MultipleChoiceField(label=label, choices=attribute["choices"], required=False, widget=forms.CheckboxSelectMultiple)
    if kind == "integer":
        return forms.IntegerField(label=label, required=False, min_value=attribute["minimum"], max_value=attribute["maximum"])
    if kind == "decimal":
        return forms.FloatField(label=label, required=False, min_value=attribute["minimum"], max_value=attribute["maximum"])
    if kind == "date":
        return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))
    return forms.CharField(label=label, required=False, max_length=2000)


def _bound_fields():
    return [f for f in place_fields() if f.form is not None]


def public_fields() -> list[str]:
    """Return the names of the form's inputs that edit the place (not the comment, e-mail or version)."""
    return [spec.name for f in _bound_fields() for spec in f.form.inputs]


class PlaceForm(forms.Form):
    """The public fields of a place as a contributor edits them (the inputs places.domain.fields declares), then why and who."""

    comment = forms.CharField(label=_("Why this change"), max_length=500, required=False)
    email = forms.EmailField(label=_("Your e-mail address (to confirm your suggestion; never published)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, anonymous: bool = False, require_point: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_point = require_point
        self.attributes = form_attributes(_language())
        # Built per form, so the inputs follow the fields as they are now.
        attribute_fields = {f"attr_{a['key']}": _attribute_field(a) for a in self.attributes}
        self.fields = {**{spec.name: form_field(spec) for f in _bound_fields() for spec in f.form.inputs}, **attribute_fields, **self.fields}
        for name in ("lon", "lat"):
            self.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})
        self.fields["email"].required = anonymous
        if not anonymous:
            del self.fields["email"]

    def attribute_rows(self):
        """Return (bound field, categories it belongs to) for each category attribute, for the template."""
        return [(self[f"attr_{a['key']}"], " ".join(a["categories"])) for a in self.attributes]

    def clean(self):
        """Ask for a name, a point in Belgium (not swapped) and contacts that are what they say."""
        cleaned = super().clean()
        if not any(cleaned.get(f"name_{lang}") for lang in ("fr", "nl", "en")) and not any(f"name_{lang}" in self.errors for lang in ("fr", "nl", "en")):
            self.add_error("name_fr", _("Give the name of the place in at least one language."))
        self._clean_point(cleaned)
        chosen = set(cleaned.get("categories") or [])
        for attribute in self.attributes:
            if not chosen & set(attribute["categories"]):
                cleaned[f"attr_{attribute['key']}"] = None  # filled for a category then left: not the place's
        for kind, name, _label in FORM_CONTACTS:
            if cleaned.get(name):
                try:
                    cleaned[name] = CONTACT_CHECKS[kind](cleaned[name])
                except ValueError:
                    self.add_error(name, CONTACT_ERRORS[kind])
        return cleaned

    def _clean_point(self, cleaned: dict) -> None:
        if "lon" in self.errors or "lat" in self.errors:
            return
        lon, lat = cleaned.get("lon"), cleaned.get("lat")
        if lon is None and lat is None:
            if self.require_point:
                self.add_error("lon", _("Place the pin on the map (search an address, a postcode or a commune, or use your location)."))
            return
        if lon is None or lat is None:
            self.add_error("lon", _("Give both the longitude and the latitude, or place the pin on the map."))
            return
        problem = point_problem(lon, lat)
        if problem is None and not commune_index().near(lon, lat):
            problem = "outside"
        if problem == "swapped":
            self.add_error("lon", _(
                "The longitude and the latitude seem swapped: in Belgium the longitude is between 2.5 and 6.4, the latitude between 49.5 and 51.5."))
        elif problem == "outside":
            self.add_error("lon", _("This point is not in Belgium: move the pin onto the place."))


def initial_from_state(state: dict) -> dict:
    """Return the form values of a place state."""
    values = {key: value for f in _bound_fields() for key, value in f.form.initial(state.get(f.name)).items()}
    attributes = {f"attr_{key}": value for key, value in (state.get("attributes") or {}).items()}
    return {**values, **attributes, "version": state.get("version")}


def _attributes(cleaned: dict) -> dict:
    return {key[5:]: value for key, value in cleaned.items() if key.startswith("attr_") and value not in (None, "", [])}


def place_data(cleaned: dict, current: dict | None = None) -> dict:
    """Return place input (or, with `current`, a merge patch of what changed) from form values."""
    data = {f.name: f.form.value(cleaned, (current or {}).get(f.name)) for f in _bound_fields()}
    attributes = _attributes(cleaned)
    attributes = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in attributes.items()}
    if current is None:
        return {k: v for k, v in {**data, "attributes": attributes}.items() if v not in (None, {}, [], "")}
    # Attributes of other categories the place keeps, when the form has no field for them, stay as they are.
    data["attributes"] = {**{k: v for k, v in (current.get("attributes") or {}).items() if f"attr_{k}" not in cleaned}, **attributes}
    patch = {k: v for k, v in data.items() if current.get(k) != v and not (v in ({}, [], "") and not current.get(k))}
    for key, value in patch.items():
        if isinstance(value, dict) and key != "geometry":
            # A merge patch merges objects: name the removed keys with null.
            patch[key] = {**{k: None for k in current.get(key, {}) if k not in value}, **value}
    return patch


class ReportForm(forms.Form):
    """A report on a place."""

    reason = forms.ChoiceField(label=_("What is wrong"), choices=[
        (Report.Reason.CLOSED, _("Closed for good")), (Report.Reason.WRONG, _("Wrong information")),
        (Report.Reason.DUPLICATE, _("Duplicate of another place")), (Report.Reason.INAPPROPRIATE, _("Inappropriate")),
    ])
    duplicate_of = forms.CharField(label=_("Identifier of the other place (for a duplicate)"), max_length=32, required=False)
    comment = forms.CharField(label=_("Details (Markdown)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False)
    email = forms.EmailField(label=_("Your e-mail address (optional; never published)"), required=False)


class DecisionForm(forms.Form):
    """A moderator's decision on a suggestion."""

    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Reject"))])
    comment = forms.CharField(label=_("Comment for the contributor"), max_length=500, required=False)


class OrganisationForm(forms.Form):
    slug = forms.SlugField(label=_("Identifier"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class MemberForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("member", _("member")), ("editor", _("editor")), ("moderator", _("moderator")), ("admin", _("admin")), ("", _("remove"))],
        required=False,
    )


class MaintainerForm(forms.Form):
    place = forms.CharField(label=_("Place identifier"), max_length=32)
