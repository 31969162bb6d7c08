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
