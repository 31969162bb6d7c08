"""The sentences of a place page in the page's language: open now, how to take part, contacts, freshness."""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from foodcommons.core.values.contacts import display_phone
from foodcommons.relations.domain.foodaid import CLOSURE_REASONS, current_closure
from foodcommons.taxonomy.attributes import STRUCTURED_DESCRIPTIONS, AttributeSpec
from foodcommons.web.domain.hours_text import describe_hours, hours_now, spoken_time

# Yes/no attributes said as a sentence each way; the others read "label: value".
YES_NO_SENTENCES = {
    "referral_required": (gettext_lazy("A referral by a social service is needed."), gettext_lazy("No referral needed: anyone may come.")),
    "open_to_new_members": (gettext_lazy("New members are welcome."), gettext_lazy("Not taking new members at the moment.")),
    "prefinancing": (gettext_lazy("Members pre-finance the season."), gettext_lazy("No pre-financing of the season.")),
    "producers_only": (gettext_lazy("Only producers sell here."), gettext_lazy("Not only producers sell here.")),
    "public_deposits": (gettext_lazy("Neighbours may bring their kitchen scraps."), gettext_lazy("Deposits for its members only.")),
}
CHOICE_SENTENCES = {
    "delivery_day": gettext_lazy("Delivery on %(days)s."),
    "market_days": gettext_lazy("Market on %(days)s."),
}
CONTACT_LABELS = {"phone": gettext_lazy("Phone"), "email": gettext_lazy("E-mail"), "website": gettext_lazy("Website")}


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def _day(moment: datetime.datetime, today: datetime.date) -> str:
    if moment.date() == today:
        return _("today")
    if moment.date() == today + datetime.timedelta(days=1):
        return _("tomorrow")
    return formats.date_format(moment, "l").lower()


def open_now(value: str, language: str, now: datetime.datetime | None = None) -> dict | None:
    """Return {"open": bool, "text": "Open now, closes at 18:00"} for hours written `value`, or None when unknown."""
    local = timezone.localtime(now or timezone.now()).replace(tzinfo=None)
    found = hours_now(value, local) if value else None
    if found is None:
        return None
    change = found.next_change
    if found.is_open:
        if change is None:
            return {"open": True, "text": _("Open now, day and night.")}
        when = {"day": _day(change, local.date()), "time": spoken_time(change, language)}
        text = _("Open now, closes at %(time)s.") % when if change.date() == local.date() else _("Open now, closes %(day)s at %(time)s.") % when
        return {"open": True, "text": text}
    if change is None:
        return {"open": False, "text": _("Closed now.")}
    when = {"day": _day(change, local.date()), "time": spoken_time(change, language)}
    return {"open": False, "text": _("Closed now, opens %(day)s at %(time)s.") % when}


def closure_today(closures, language: str, today: datetime.date | None = None) -> dict | None:
    """Return {"open": False, "text": "Closed today (holidays), until 3 January."} when a dated closure covers today."""
    closure = current_closure(closures, today or timezone.localdate())
    if closure is None:
        return None
    words = CLOSURE_REASONS.get(closure["reason"], CLOSURE_REASONS["other"])
    until = formats.date_format(datetime.date.fromisoformat(closure["to"]), "DATE_FORMAT")
    return {"open": False, "text": _("Closed today (%(reason)s), until %(day)s included.") % {
        "reason": words.get(language[:2], words["fr"]), "day": until}}


def _value(spec: AttributeSpec | None, value, language: str) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if spec is not None and spec.type in ("choice", "multichoice"):
        chosen = value if isinstance(value, list) else [value]
        labels = [spec.choice_label(c, language) for c in chosen]
        weekdays = bool(spec.choices) and spec.choices[0] == "mo" and language[:2] in ("fr", "nl")
        return _join([label.lower() for label in labels] if weekdays else labels)
    if spec is not None and spec.type == "opening_hours":
        return "; ".join(describe_hours(value, language) or [value])
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return formats.number_format(value)
    return str(value)


def access_sentences(attributes: dict, specs: dict[str, AttributeSpec], language: str) -> list[str]:
    """Return how to take part or get access, one sentence per attribute of the place, in the page's language."""
    sentences = []
    for key, value in sorted((attributes or {}).items(), key=lambda item: (item[0] not in YES_NO_SENTENCES, item[0])):
        spec = specs.get(key)
        if isinstance(value, dict):
            continue  # a structured fact (a relation fact) has its own section on the page
        if spec is not None and spec.type in STRUCTURED_DESCRIPTIONS:
            label = (spec.labels or {}).get(language[:2]) or (spec.labels or {}).get("fr") or key
            described = STRUCTURED_DESCRIPTIONS[spec.type](spec, value, language)
            sentences.append(pgettext("a fact of a place", "%(label)s: %(value)s") % {"label": label, "value": described})
            continue
        if isinstance(value, bool) and key in YES_NO_SENTENCES:
            sentences.append(str(YES_NO_SENTENCES[key][0 if value else 1]))
        elif key in CHOICE_SENTENCES:
            sentences.append(str(CHOICE_SENTENCES[key]) % {"days": _value(spec, value, language)})
        else:
            label = (spec.labels or {}).get(language[:2]) or (spec.labels or {}).get("fr") if spec else None
            sentences.append(pgettext("a fact of a place", "%(label)s: %(value)s") % {"label": label or key, "value": _value(spec, value, language)})
    return sentences


def contact_rows(contacts: list[dict]) -> list[dict]:
    """Return the published contacts with their label, the text shown and the link (tel:, mailto:, the site)."""
    rows = []
    for contact in contacts:
        kind, value = contact.get("kind", ""), contact.get("value", "")
        if kind == "phone":
            rows.append({"kind": kind, "label": str(CONTACT_LABELS[kind]), "text": display_phone(value), "href": f"tel:{value}"})
        elif kind == "email":
            rows.append({"kind": kind, "label": str(CONTACT_LABELS[kind]), "text": value, "href": f"mailto:{value}"})
        elif kind == "website":
            shown = value.split("://", 1)[-1].rstrip("/")
            rows.append({"kind": kind, "label": str(CONTACT_LABELS[kind]), "text": shown, "href": value})
    return rows


def summary(categories: list[str], commune: str) -> str:
    """Return what a place is in one line: its categories, and where."""
    what = _join(categories) if categories else _("A place")
    return _("%(what)s in %(where)s") % {"what": what, "where": commune} if commune else what
