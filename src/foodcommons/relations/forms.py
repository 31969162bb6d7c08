"""The form a place's team (or anyone, as a suggestion) declares the relation facts with: one input per criterion."""

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from foodcommons.relations.domain.grid import CRITERIA, ROLES, text_in

CHAIN_STEPS = 4
NOT_DECLARED = ""


def _language() -> str:
    return (translation.get_language() or "fr")[:2]


def _criterion_field(criterion, language: str) -> forms.Field:
    label = text_in(criterion.label, language)
    help_text = text_in(criterion.meaning, language)
    options = [(v.code, text_in(v.label, language)) for v in criterion.values]
    if criterion.kind == "choice":
        return forms.ChoiceField(label=label, help_text=help_text, required=False, choices=[(NOT_DECLARED, _("Not declared")), *options])
    if criterion.kind == "choices":
        return forms.MultipleChoiceField(label=label, help_text=help_text, required=False, choices=options, widget=forms.CheckboxSelectMultiple)
    if criterion.kind == "percent":
        return forms.FloatField(label=label, help_text=help_text, required=False, min_value=0, max_value=100)
    return forms.ChoiceField(label=label, help_text=help_text, required=False, choices=[
        (NOT_DECLARED, _("Not declared")), ("direct", _("Direct sale: no intermediary")), ("intermediaries", _("Through the intermediaries below"))])


class RelationForm(forms.Form):
    """The relation facts of one place, the version they are based on, why, and (anonymous) an e-mail address."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Why this change"), max_length=500, required=False)
    email = forms.EmailField(label=_("Your e-mail address (to confirm your suggestion; never published)"), required=False)

    def __init__(self, *args, anonymous: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        language = _language()
        roles = [(NOT_DECLARED, "—"), *((r.code, text_in(r.label, language)) for r in ROLES)]
        fields = {}
        for criterion in CRITERIA:
            fields[criterion.key] = _criterion_field(criterion, language)
            if criterion.kind == "chain":
                for step in range(CHAIN_STEPS):
                    fields[f"chain_role_{step}"] = forms.ChoiceField(label=_("Intermediary %(n)s: role") % {"n": step + 1}, choices=roles, required=False)
                    fields[f"chain_name_{step}"] = forms.CharField(label=_("Intermediary %(n)s: name") % {"n": step + 1}, max_length=200, required=False)
            fields[f"evidence_{criterion.key}"] = forms.URLField(label=_("Evidence (a link), optional"), required=False, assume_scheme="https")
        self.fields = {**fields, **self.fields}
        self.fields["email"].required = anonymous
        if not anonymous:
            del self.fields["email"]

    def criterion_rows(self):
        """Return, per criterion, its bound field, its chain inputs and its evidence input, for the template."""
        rows = []
        for criterion in CRITERIA:
            steps = [(self[f"chain_role_{i}"], self[f"chain_name_{i}"]) for i in range(CHAIN_STEPS)] if criterion.kind == "chain" else []
            rows.append({"field": self[criterion.key], "steps": steps, "evidence": self[f"evidence_{criterion.key}"]})
        return rows

    def clean(self):
        """Ask for a name for every intermediary given a role, and for intermediaries when the chain has some."""
        cleaned = super().clean()
        steps = [(cleaned.get(f"chain_role_{i}"), (cleaned.get(f"chain_name_{i}") or "").strip()) for i in range(CHAIN_STEPS)]
        for i, (role, name) in enumerate(steps):
            if bool(role) != bool(name):
                self.add_error(f"chain_name_{i}" if role else f"chain_role_{i}", _("Give both the role and the name of each intermediary."))
        if cleaned.get("chain") == "intermediaries" and not any(role and name for role, name in steps):
            self.add_error("chain", _("Name at least one intermediary, or choose direct sale."))
        return cleaned

    def declarations(self) -> dict:
        """Return the facts as the service takes them: {criterion: {value, evidence}}, None for what is not declared."""
        cleaned, found = self.cleaned_data, {}
        for criterion in CRITERIA:
            value = cleaned.get(criterion.key)
            if criterion.kind == "chain":
                steps = [{"role": cleaned[f"chain_role_{i}"], "name": cleaned[f"chain_name_{i}"].strip()}
                         for i in range(CHAIN_STEPS) if cleaned.get(f"chain_role_{i}") and (cleaned.get(f"chain_name_{i}") or "").strip()]
                value = None if not value else ([] if value == "direct" else steps)
            elif value in (NOT_DECLARED, None, []):
                value = None
            found[criterion.key] = None if value is None else {"value": value, "evidence": cleaned.get(f"evidence_{criterion.key}") or ""}
        return found


def initial_from_facts(facts: dict, version: int) -> dict:
    """Return the form's initial values from a place's declared facts."""
    initial: dict = {"version": version}
    for criterion in CRITERIA:
        fact = facts.get(criterion.key)
        if fact is None:
            continue
        value = fact["value"]
        if criterion.kind == "chain":
            initial["chain"] = "intermediaries" if value else "direct"
            for i, step in enumerate(value[:CHAIN_STEPS]):
                initial[f"chain_role_{i}"], initial[f"chain_name_{i}"] = step["role"], step["name"]
        else:
            initial[criterion.key] = value
        initial[f"evidence_{criterion.key}"] = fact.get("evidence", "")
    return initial


class DrawnFieldForm(forms.Form):
    """One threatened field drawn on the map or typed corner by corner, with its threat, stage and references."""

    outline = forms.CharField(label=_("Corners of the field, one “latitude, longitude” a line (drawing on the map fills them)"),
                              widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "autocomplete": "off"}),
                              required=False, max_length=200_000)
    name = forms.CharField(label=_("Name of the field or place, optional"), max_length=200, required=False)
    threat = forms.ChoiceField(label=_("Threat"))
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    stage_from = forms.DateField(label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    stage_to = forms.DateField(label=_("Until (a public inquiry ends), optional"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    permit_reference = forms.CharField(label=_("Permit number, optional"), max_length=200, required=False)
    reference_link = forms.URLField(label=_("Reference link (permit, inquiry), optional"), required=False, assume_scheme="https")
    followed_by = forms.CharField(label=_("Who follows it (a committee, an association), optional"), max_length=200, required=False)

    def __init__(self, *args, threats=(), stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["threat"].choices = list(threats)
        self.fields["stage"].choices = [("", "—"), *stages]

    def clean(self):
        """Ask for the day a stage began, and an end on or after it."""
        cleaned = super().clean()
        start, end = cleaned.get("stage_from"), cleaned.get("stage_to")
        if cleaned.get("stage") and not start:
            self.add_error("stage_from", _("Give the day this stage began."))
        if start and end and end < start:
            self.add_error("stage_to", _("The end comes on or after the start."))
        return cleaned

    def stages(self) -> list[dict]:
        """Return the stage as the land_stages attribute keeps it (empty when none was chosen)."""
        cleaned = self.cleaned_data
        if not cleaned.get("stage"):
            return []
        end = cleaned.get("stage_to")
        return [{"stage": cleaned["stage"], "from": cleaned["stage_from"].isoformat(), **({"to": end.isoformat()} if end else {})}]


OUTLINE_MESSAGES = {
    "empty": _("Draw the field on the map, or type its corners: one “latitude, longitude” a line."),
    "unreadable": _("This cannot be read as corners: write one “latitude, longitude” a line, such as 50.8250, 4.2700, or paste a GeoJSON polygon."),
    "not_polygon": _("This GeoJSON is not a polygon: paste the outline of one field."),
    "too_few_corners": _("A field needs at least three corners."),
    "too_many_corners": _("The outline has more than 2,000 corners: simplify it, or upload it as a file below."),
    "outside_belgium": _("The field is outside Belgium: check its corners (latitude about 49.5 to 51.5, longitude about 2.5 to 6.4)."),
    "self_intersecting": _("The outline crosses itself: go round the edge of the field without crossing a line."),
    "too_small": _("The field is smaller than 100 m² (0.01 ha): draw its whole outline."),
    "too_large": _("The field is larger than 1,000 ha: draw one field at a time."),
}


def outline_message(code: str, line: int = 0) -> str:
    """Return why an outline is refused, in the page's language (naming the typed line at fault)."""
    if code == "unreadable" and line:
        return _("Line %(line)s cannot be read: write a latitude and a longitude, such as 50.8250, 4.2700.") % {"line": line}
    return str(OUTLINE_MESSAGES.get(code, OUTLINE_MESSAGES["unreadable"]))


class ClosuresForm(forms.Form):
    """The dated closures of a food-aid place: keep or remove each one, and add one (from–to, reason, a note per language)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    start = forms.DateField(label=_("Closed from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Closed until (included)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(label=_("Why"), required=False)
    note_fr = forms.CharField(label=_("A word for visitors, in French (optional)"), max_length=300, required=False)
    note_nl = forms.CharField(label=_("A word for visitors, in Dutch (optional)"), max_length=300, required=False)
    note_en = forms.CharField(label=_("A word for visitors, in English (optional)"), max_length=300, required=False)
    comment = forms.CharField(label=_("Why this change"), max_length=500, required=False)

    def __init__(self, *args, reasons=(), existing=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = list(existing)
        self.fields["reason"].choices = [("", "—"), *reasons]
        for index, _closure in enumerate(self.existing):
            self.fields[f"remove_{index}"] = forms.BooleanField(label=_("Remove this closure"), required=False)

    def kept_rows(self):
        """Return each current closure with its remove box, for the template."""
        return [(closure, self[f"remove_{index}"]) for index, closure in enumerate(self.existing)]

    def clean(self):
        """A new closure needs both days and a reason; it ends on or after it starts."""
        cleaned = super().clean()
        start, end, reason = cleaned.get("start"), cleaned.get("end"), cleaned.get("reason")
        notes = any(cleaned.get(f"note_{lang}") for lang in ("fr", "nl", "en"))
        if start or end or reason or notes:
            for name, value in (("start", start), ("end", end), ("reason", reason)):
                if not value:
                    self.add_error(name, _("Give the first day, the last day and the reason of the closure."))
            if start and end and end < start:
                self.add_error("end", _("The last day comes on or after the first."))
        return cleaned

    def closures(self) -> list[dict]:
        """Return the closures kept plus the new one, as the temporary_closures attribute takes them."""
        cleaned = self.cleaned_data
        kept = [c for index, c in enumerate(self.existing) if not cleaned.get(f"remove_{index}")]
        if cleaned.get("start") and cleaned.get("end") and cleaned.get("reason"):
            note = {lang: cleaned[f"note_{lang}"].strip() for lang in ("fr", "nl", "en") if cleaned.get(f"note_{lang}", "").strip()}
            kept.append({"from": cleaned["start"].isoformat(), "to": cleaned["end"].isoformat(), "reason": cleaned["reason"],
                         **({"note": note} if note else {})})
        return kept
