"""Text normalisation shared by search, matching and identifiers (pure, no I/O)."""

import html
import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


class _FoldTable(dict):
    """str.translate table that folds one character at a time, computed on first sight and kept."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code))
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Return `text` lower-cased, without accents and with HTML entities decoded."""
    text = text or ""
    if "&" in text:
        text = html.unescape(text)
    # Character by character gives what NFKD of the whole string would (tests/core hold it to that),
    # at a fraction of the cost: search documents and matching fold millions of words in a bulk load.
    return text.translate(_FOLD_TABLE)


def search_tokens(text: str) -> list[str]:
    """Split folded text into the word tokens the full-text indexes store."""
    return [t for t in _NON_WORD.sub(" ", fold(text)).replace("_", " ").split() if t]


def search_document(*parts: str | None) -> str:
    """Join several texts into one folded, space-separated search document."""
    return " ".join(" ".join(search_tokens(p)) for p in parts if p)
