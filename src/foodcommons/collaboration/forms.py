"""Web forms of contributions, reports and moderation, and their mapping to place data."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from foodcommons.collaboration.models import Report
from foodcommons.core.fields import FormInput
from foodcommons.places.domain.fields import place_fields
from foodcommons.taxonomy.selectors import category_choices

# Called when the form is rendered, so that the labels follow the page's language.
CHOICE_SOURCES = {"categories": lambda: category_choices(get_language() or "fr")}


def form_field(spec: FormInput) -> forms.Field:
    """Return the Django form field of a declared input (places.domain.fields declares them)."""
    choices = CHOICE_SOURCES.get(spec.choices, spec.choices) if isinstance(spec.choices, str) else spec.choices
    if spec.kind == "number":
        return forms.FloatField(label=spec.label, required=spec.required, min_value=spec.minimum, max_value=spec.maximum)
    if spec.kind == "choices":
        return forms.MultipleChoiceField(label=spec.label, choices=choices, required=spec.required)
    if spec.kind == "choice":
        return forms.ChoiceField(label=spec.label, choices=choices, initial=spec.initial, required=spec.required)
    widget = forms.Textarea(attrs={"rows": 4}) if spec.kind == "textarea" else None
    return forms.CharField(label=spec.label, max_length=spec.max_length, required=spec.required, widget=widget)


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

    def __init__(self, *args, anonymous: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, so the inputs follow the fields as they are now.
        self.fields = {**{spec.name: form_field(spec) for f in _bound_fields() for spec in f.form.inputs}, **self.fields}
        self.fields["email"].required = anonymous
        if not anonymous:
            del self.fields["email"]


def initial_from_state(state: dict) -> dict:
    """Return the form values of a place state."""
    values = {key: value for f in _bound_fields() for key, value in f.form.initial(state.get(f.name)).items()}
    return {**values, "version": state.get("version")}


def place_data(cleaned: dict, current: dict | None = None) -> dict:
    """Return place input (or, with `current`, a merge patch of what changed) from form values."""
    data = {f.name: f.form.value(cleaned, (current or {}).get(f.name)) for f in _bound_fields()}
    if current is None:
        return {k: v for k, v in data.items() if v not in (None, {}, [], "")}
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
