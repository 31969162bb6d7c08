"""Text normalisation shared by search, matching and identifiers (pure, no I/O)."""

import html
import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def fold(text: str) -> str:
    """Return `text` lower-cased, without accents and with HTML entities decoded."""
    decomposed = unicodedata.normalize("NFKD", html.unescape(text or ""))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_tokens(text: str) -> list[str]:
    """Split folded text into the word tokens the full-text indexes store."""
    return [t for t in _NON_WORD.sub(" ", fold(text)).replace("_", " ").split() if t]


def search_document(*parts: str | None) -> str:
    """Join several texts into one folded, space-separated search document."""
    return " ".join(" ".join(search_tokens(p)) for p in parts if p)
