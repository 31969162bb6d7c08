"""The web form of an import: a file or a URL, the source (chosen or new), the format, the column mapping, dry run."""

import re

from django import forms
from django.utils.text import format_lazy, slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from foodcommons.imports import jobs
from foodcommons.imports.connectors import FORMATS
from foodcommons.imports.connectors.tabular import COLUMN_ALIASES
from foodcommons.imports.models import Source
from foodcommons.taxonomy.selectors import category_choices

_SPDX = re.compile(r"^[A-Za-z0-9.+-]{2,64}$")
MAPPED_FIELDS = tuple(COLUMN_ALIASES)


def _category_choices():
    language = get_language() or "fr"
    return [("", _("None: skip records without a known category")), *category_choices(language)]


def parse_mapping(text: str) -> dict[str, str]:
    """Return {record field: column} from lines 'field = column'; raise ValueError naming a bad line."""
    mapping = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        field, sep, column = (part.strip() for part in line.partition("="))
        if not sep or not column or field not in MAPPED_FIELDS:
            raise ValueError(number, line.strip())
        mapping[field] = column
    return mapping


class ImportForm(forms.Form):
    """What to import, into which source, and how."""

    file = forms.FileField(label=_("File"), required=False)
    url = forms.URLField(label=_("Or the address (URL) of the file"), required=False, max_length=1000, assume_scheme="https")
    source = forms.ChoiceField(label=_("Source"), required=False)
    new_name = forms.CharField(label=_("Name of the new source"), max_length=200, required=False)
    new_licence = forms.CharField(label=_("Licence of the data (SPDX identifier, e.g. CC-BY-4.0, ODbL-1.0)"), max_length=64, required=False)
    new_attribution = forms.CharField(label=_("Attribution to show with the data"), max_length=500, required=False)
    new_organisation = forms.ChoiceField(label=_("Organisation that keeps this list"), required=False)
    format = forms.ChoiceField(label=_("Format"), required=False, choices=[("", _("Detect from the content"))] + [(f, f) for f in FORMATS])
    field_mapping = forms.CharField(
        label=_("Column mapping (CSV, spreadsheets, GeoJSON): one 'field = column' per line"), required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "name = Nom du groupe\npostcode = CP"}),
        help_text=format_lazy("{} {}", _("Leave empty to keep the source's mapping. Fields:"), ", ".join(MAPPED_FIELDS)))
    default_category = forms.ChoiceField(label=_("Category of records whose labels map to none"), required=False, choices=_category_choices)
    dry_run = forms.BooleanField(label=_("Dry run: show what would happen, write nothing"), required=False, initial=True)

    def __init__(self, *args, sources: list[Source], organisations: list, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {s.slug: s for s in sources}
        self.staff = staff
        self.fields["source"].choices = [("", _("A new source"))] + [(s.slug, f"{s.name} ({s.slug})") for s in sources]
        self.fields["new_organisation"].choices = ([("", _("None (platform staff only)"))] if staff else []) + [(o.slug, o.name) for o in organisations]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > jobs.max_bytes():
            raise forms.ValidationError(_("The file is larger than %(size)s MB.") % {"size": jobs.max_bytes() // (1024 * 1024)})
        return upload

    def clean_new_licence(self):
        licence = self.cleaned_data["new_licence"].strip()
        if licence and not _SPDX.match(licence):
            raise forms.ValidationError(_("Expected an SPDX licence identifier such as CC-BY-4.0 or ODbL-1.0."))
        return licence

    def clean_field_mapping(self):
        text = self.cleaned_data["field_mapping"]
        if not text.strip():
            return None
        try:
            return parse_mapping(text)
        except ValueError as error:
            raise forms.ValidationError(_("Line %(number)s is not 'field = column' with a known field: %(line)s")
                                        % {"number": error.args[0], "line": error.args[1]}) from error

    def clean_default_category(self):
        return self.cleaned_data["default_category"] or None

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            self.add_error("file", _("Give either a file or an address, not both."))
        if not data.get("source"):
            self._clean_new_source(data)
        return data

    def _clean_new_source(self, data: dict) -> None:
        if not data.get("new_name", "").strip():
            self.add_error("new_name", _("Choose a source, or name the new one."))
        elif not slugify(data["new_name"]) or Source.objects.filter(slug=self.new_slug()).exists():
            self.add_error("new_name", _("A source with this name already exists: choose it in the list."))
        if not data.get("new_licence"):
            self.add_error("new_licence", _("The licence of a new source is required."))
        if not data.get("new_organisation") and not self.staff:
            # A source without an organisation is kept by staff only: its creator could not import into it again.
            self.add_error("new_organisation", _("Choose the organisation that keeps this list."))

    def new_slug(self) -> str:
        """Return the identifier a new source gets from its name."""
        return slugify(self.cleaned_data.get("new_name", ""))[:64]
