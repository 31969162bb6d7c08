"""Writes of sources: registering one, preparing one for an import, and the mapping a source configures."""

import re

from foodcommons.collaboration.models import Organisation
from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.imports.connectors import SourceMapping
from foodcommons.imports.models import Source
from foodcommons.taxonomy.selectors import category_tree

_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,64}")
_SPDX = re.compile(r"[A-Za-z0-9.+-]{2,64}")


def register_source(*, slug: str, name: str = "", licence: str = "", attribution: str = "", file_format: str = "",
                    location: str = "", organisation: str = "", priority: int = 0) -> Source:
    """Return the source named `slug`, registering it on first use (kept by the organisation named `organisation`, if any)."""
    defaults = {"name": name or slug, "licence": licence or "LicenseRef-unknown", "attribution": attribution or name or slug,
                "format": file_format, "location": location, "organisation": organisation_named(organisation), "priority": priority}
    source, created = Source.objects.get_or_create(slug=slug, defaults=defaults)
    given = {k: v for k, v in (("licence", licence), ("attribution", attribution)) if v and getattr(source, k) != v}
    if given and not created:
        Source.objects.filter(pk=source.pk).update(**given)
        source.refresh_from_db()
    return source


def organisation_named(slug: str) -> Organisation | None:
    """Return the organisation whose identifier is `slug` (None for none), or raise a problem naming an unknown one."""
    if not slug:
        return None
    found = Organisation.objects.filter(slug=slug).first()
    if found is None:
        raise InvalidInput([FieldError("organisation", f"unknown organisation '{slug[:64]}'")])
    return found


def source_to_import(*, slug: str, licence: str = "", attribution: str = "", file_format: str = "", location: str = "") -> Source:
    """Return the source named `slug` with the licence and attribution given, unsaved: `import_file` keeps it if the import succeeds."""
    errors = []
    if not _SLUG.fullmatch(slug or ""):
        errors.append(FieldError("source", "expected a source identifier: 1 to 64 letters, digits, '-' or '_'"))
    if licence and not _SPDX.fullmatch(licence):
        errors.append(FieldError("licence", "expected an SPDX licence identifier such as CC-BY-4.0 or ODbL-1.0"))
    if len(attribution) > 500:
        errors.append(FieldError("attribution", "at most 500 characters"))
    if errors:
        raise InvalidInput(errors)
    source = Source.objects.filter(slug=slug).first()
    if source is None:
        return Source(slug=slug, name=slug, licence=licence or "LicenseRef-unknown", attribution=attribution or slug,
                      format=file_format, location=location)
    source.licence, source.attribution = licence or source.licence, attribution or source.attribution
    return source


def keep_source(source: Source) -> None:
    """Register a new source, or save the licence and attribution an import was given (inside the run's transaction)."""
    if source.pk is None:
        source.save(force_insert=True)
    else:
        Source.objects.filter(pk=source.pk).exclude(licence=source.licence, attribution=source.attribution).update(
            licence=source.licence, attribution=source.attribution)


def forget_source(source: Source) -> None:
    """Make a source unsaved again after the transaction that saved it was rolled back."""
    # The transaction that saved a new source was rolled back: the instance must not claim a row that does not exist.
    source.pk, source._state.adding = None, True


def mapping_of(source: Source) -> SourceMapping:
    """Return the field and category mapping a source configures."""
    return SourceMapping(fields=dict(source.field_mapping or {}), categories=dict(source.category_mapping or {}),
                         default_category=source.default_category, known=frozenset(category_tree().nodes))
