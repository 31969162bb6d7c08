"""The public history said for people: field labels, values and actions in the reader's language, and who did it."""

from dataclasses import dataclass

from django.utils import formats
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from foodcommons.collaboration.domain.diff import Change
from foodcommons.collaboration.domain.history import metres_between, point_of, read_comment
from foodcommons.core.values.contacts import display_phone
from foodcommons.places.domain.fields import STATUS_LABELS, change_label, place_fields
from foodcommons.taxonomy.attributes import STRUCTURED_DESCRIPTIONS
from foodcommons.taxonomy.selectors import category_tree
from foodcommons.territories import selectors as territories

CONTACT_LABELS = {"phone": lambda: _("Phone"), "email": lambda: _("E-mail"), "website": lambda: _("Website")}


@dataclass
class ReadableChange:
    """One changed field as the history page shows it."""

    field: str
    label: str
    before: SafeString
    after: SafeString
    note: str = ""


def _attribute_spec(key: str):
    for specs in category_tree().specs.values():
        for spec in specs:
            if spec.key == key:
                return spec
    return None


def _attribute_label(language: str):
    def label(key: str) -> str | None:
        spec = _attribute_spec(key)
        return ((spec.labels or {}).get(language) or (spec.labels or {}).get("fr")) if spec else None
    return label


def _territory(code: str, language: str) -> str:
    found = territories.info(str(code))
    return (found.names.get(language) or found.names.get("fr") or code) if found else str(code)


def _point(point: tuple[float, float]) -> SafeString:
    lon, lat = point
    shown = f"{formats.number_format(round(lat, 5), 5)}, {formats.number_format(round(lon, 5), 5)}"
    return format_html('<a class="coords" href="https://www.openstreetmap.org/?mlat={}&amp;mlon={}#map=18/{}/{}" rel="noopener">{}</a>',
                       f"{lat:.6f}", f"{lon:.6f}", f"{lat:.6f}", f"{lon:.6f}", shown)


def _contacts(value: list) -> SafeString:
    items = []
    for contact in value:
        if not isinstance(contact, dict):
            continue
        kind, text = contact.get("kind", ""), str(contact.get("value", ""))
        label = CONTACT_LABELS[kind]() if kind in CONTACT_LABELS else kind
        if kind == "website":
            link = format_html('<a href="{}" rel="nofollow noopener">{}</a>', text, text)
        elif kind == "email":
            link = format_html('<a href="mailto:{}">{}</a>', text, text)
        elif kind == "phone":
            link = format_html('<a href="tel:{}">{}</a>', text, display_phone(text))
        else:
            link = format_html("{}", text)
        # "Téléphone : …" in French, "Telefoon: …" in Dutch: the words around are the catalogue's, the values stay escaped.
        items.append(mark_safe(pgettext("a fact of a place", "%(label)s: %(value)s") % {"label": conditional_escape(label), "value": link}))
    return format_html_join("", "<span class=\"contact\">{}</span> ", ((i,) for i in items))


def _value(path: str, value, language: str) -> SafeString:
    if value is None or value == "" or value == [] or value == {}:
        return mark_safe("")
    top, _dot, part = path.partition(".")
    if isinstance(value, bool):
        return format_html("{}", _("yes") if value else _("no"))
    if top == "categories" and isinstance(value, list):
        nodes = category_tree().nodes
        return format_html("{}", ", ".join((nodes[s].labels.get(language) or nodes[s].labels.get("fr") or s) if s in nodes else str(s) for s in value))
    if top in ("areas_served", "territories") and isinstance(value, list):
        return format_html("{}", ", ".join(_territory(c, language) for c in value))
    if path == "address.commune":
        return format_html("{}", _territory(value, language))
    if top == "status":
        return format_html("{}", STATUS_LABELS.get(value, value))
    if top == "contacts" and isinstance(value, list):
        return _contacts(value)
    if top == "geometry":
        point = point_of(value)
        if point:
            return _point(point)
        return format_html("{}", _("an area") if isinstance(value, dict) else value)
    if top == "attributes" and part:
        spec = _attribute_spec(part)
        if spec is not None and spec.type in STRUCTURED_DESCRIPTIONS:
            return format_html("{}", STRUCTURED_DESCRIPTIONS[spec.type](spec, value, language))
        if spec is not None and spec.type in ("choice", "multichoice"):
            chosen = value if isinstance(value, list) else [value]
            return format_html("{}", ", ".join(spec.choice_label(str(c), language) for c in chosen))
    if isinstance(value, list):
        return format_html("{}", ", ".join(str(v) for v in value))
    if isinstance(value, float):
        return format_html("{}", formats.number_format(value))
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return format_html('<a href="{}" rel="nofollow noopener">{}</a>', value, value)
    if isinstance(value, dict):
        return format_html("{}", "; ".join(f"{k}: {v}" for k, v in value.items()))
    return format_html("{}", value)


def readable_changes(changes: list[Change], language: str) -> list[ReadableChange]:
    """Return the changes of one revision with labels and values for people, in `language`."""
    label = _attribute_label(language)
    rows = []
    for change in changes:
        if change.before is None and change.after in (False, "", [], {}):
            continue  # a field a new place starts without (not removed, no area served) says nothing
        note = ""
        if change.field.split(".")[0] == "geometry":
            before, after = point_of(change.before), point_of(change.after)
            if before and after:
                note = _("moved %(metres)s m") % {"metres": formats.number_format(round(metres_between(before, after)))}
        rows.append(ReadableChange(change.field, str(change_label(change.field, label)), _value(change.field, change.before, language),
                                   _value(change.field, change.after, language), note))
    order = {f.name: i for i, f in enumerate(place_fields())}
    return sorted(rows, key=lambda row: order.get(row.field.split(".")[0], len(order)))


def who_and_why(author: str, comment: str) -> dict:
    """Return who made a revision and the note to show: the person behind an import, a moderator's acceptance, their own words."""
    read = read_comment(comment)
    person = {"anonymous": _("anonymous"), "deleted user": _("deleted user")}.get(author, author)
    values = read.values
    if read.kind == "import":
        how = _("import of “%(source)s” (run %(run)s)") % values
        who = _("%(person)s, by an import of “%(source)s”") % {"person": person, **values} if author != "anonymous" else how
    elif read.kind == "import_revert":
        who = _("%(person)s, undoing import run %(run)s of “%(source)s”") % {"person": person, **values}
    elif read.kind == "accepted":
        suggested = person if author != "anonymous" else _("a visitor (confirmed by e-mail)")
        who = _("suggested by %(person)s, accepted by %(moderator)s") % {"person": suggested, "moderator": values["moderator"]}
    elif read.kind == "closed_after_report":
        who = _("%(person)s, closing it after a report") % {"person": person}
    elif read.kind in ("merged_with", "merged_into", "before_merge"):
        words = {"merged_with": _("merged with %(place)s"), "merged_into": _("merged into %(place)s"),
                 "before_merge": _("values kept before merging %(place)s")}
        who = f"{person}, {words[read.kind] % values}"
    else:
        who = person
    return {"who": who, "words": read.words}
