"""The type icon of a document without a preview: its kind of file in short (PDF, DOCX, ODT, XLSX, image) or "link"."""

from django import template
from django.utils.translation import gettext

from foodcommons.knowledge.domain.files import ACCEPTED

register = template.Library()


@register.filter
def file_type(version) -> str:
    """Return the short name of a version's type of file, or "link" when the document has no file."""
    if version is None:
        return gettext("link")
    kind = ACCEPTED.get(version.media_type)
    if kind is None:
        return gettext("file")
    return gettext("image") if version.media_type.startswith("image/") else kind.extension.upper()
