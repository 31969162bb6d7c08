"""The words a knowledge item is found by (pure): folded, space-framed, so that " word" matches a word's start."""

from foodcommons.core.text import search_document, search_tokens

MAX_QUERY_TOKENS = 8


def framed_document(*parts: str | None) -> str:
    """Return the folded words of `parts`, each once, framed by spaces."""
    words = dict.fromkeys(search_document(*parts).split())
    return " " + " ".join(words) + " " if words else ""


def query_tokens(query: str) -> list[str]:
    """Return the folded words of a query (at most MAX_QUERY_TOKENS)."""
    return search_tokens(query or "")[:MAX_QUERY_TOKENS]
