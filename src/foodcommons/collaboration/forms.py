"""Web forms of contributions, reports and moderation, and their mapping to place data."""

from django import forms
from django.utils.translation import gettext_lazy as _

from foodcommons.collaboration.models import Report
from foodcommons.places.domain.privacy import published_contacts
from foodcommons.places.models import Place
from foodcommons.taxonomy.selectors import category_tree

STATUS_CHOICES = [(s.value, s.label) for s in Place.Status]


def _category_choices():
    return [(slug, node.labels.get("fr") or slug) for slug, node in sorted(category_tree().nodes.items())]


class PlaceForm(forms.Form):
    """The public fields of a place as a contributor edits them."""

    name_fr = forms.CharField(label=_("Name (French)"), max_length=300, required=False)
    name_nl = forms.CharField(label=_("Name (Dutch)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    description_fr = forms.CharField(label=_("Description (French, Markdown)"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    categories = forms.MultipleChoiceField(label=_("Categories"), choices=_category_choices, required=False)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    street = forms.CharField(label=_("Street"), max_length=300, required=False)
    house_number = forms.CharField(label=_("Number"), max_length=30, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    locality = forms.CharField(label=_("Locality"), max_length=200, required=False)
    website = forms.CharField(label=_("Website"), max_length=500, required=False)
    opening_hours = forms.CharField(label=_("Opening hours (OpenStreetMap syntax)"), max_length=1000, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, initial="active")
    comment = forms.CharField(label=_("Why this change"), max_length=500, required=False)
    email = forms.EmailField(label=_("Your e-mail address (to confirm your suggestion; never published)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, anonymous: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = anonymous
        if not anonymous:
            del self.fields["email"]


PUBLIC_FIELDS = ["name_fr", "name_nl", "name_en", "description_fr", "categories", "lon", "lat", "street", "house_number", "postcode", "locality", "website", "opening_hours", "status"]


def initial_from_state(state: dict) -> dict:
    """Return the form values of a place state."""
    geometry = state.get("geometry") or {}
    point = geometry.get("coordinates") if geometry.get("type") == "Point" else [None, None]
    website = next((c["value"] for c in published_contacts(state.get("contacts")) if c["kind"] == "website"), "")
    address = state.get("address", {})
    return {
        **{f"name_{k}": state.get("name", {}).get(k, "") for k in ("fr", "nl", "en")},
        "description_fr": state.get("description", {}).get("fr", ""),
        "categories": state.get("categories", []),
        "lon": point[0], "lat": point[1],
        **{k: address.get(k, "") for k in ("street", "house_number", "postcode", "locality")},
        "website": website, "opening_hours": state.get("opening_hours", ""), "status": state.get("status", "active"),
        "version": state.get("version"),
    }


def place_data(cleaned: dict, current: dict | None = None) -> dict:
    """Return place input (or, with `current`, a merge patch of what changed) from form values."""
    names = {k: cleaned[f"name_{k}"] for k in ("fr", "nl", "en") if cleaned.get(f"name_{k}")}
    kept = [c for c in (current or {}).get("contacts", []) if c["kind"] != "website" or c.get("private")]
    data = {
        "name": names,
        "description": {"fr": cleaned["description_fr"]} if cleaned.get("description_fr") else {},
        "categories": list(cleaned.get("categories") or []),
        "geometry": {"type": "Point", "coordinates": [cleaned["lon"], cleaned["lat"]]} if cleaned.get("lon") is not None and cleaned.get("lat") is not None else None,
        "address": {k: cleaned[k] for k in ("street", "house_number", "postcode", "locality") if cleaned.get(k)},
        "contacts": kept + ([{"kind": "website", "value": cleaned["website"]}] if cleaned.get("website") else []),
        "opening_hours": cleaned.get("opening_hours", ""),
        "status": cleaned.get("status") or "active",
    }
    if current is None:
        return {k: v for k, v in data.items() if v not in (None, {}, [], "")}
    patch = {k: v for k, v in data.items() if current.get(k) != v and not (v in ({}, [], "") and not current.get(k))}
    for key in ("name", "description", "address"):
        if key in patch:
            # A merge patch merges objects: name the removed keys with null.
            patch[key] = {**{k: None for k in current.get(key, {}) if k not in patch[key]}, **patch[key]}
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
    role = forms.ChoiceField(label=_("Role"), choices=[("member", _("member")), ("editor", _("editor")), ("moderator", _("moderator")), ("admin", _("admin")), ("", _("remove"))], required=False)


class MaintainerForm(forms.Form):
    place = forms.CharField(label=_("Place identifier"), max_length=32)
