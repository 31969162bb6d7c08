"""Finding category names and synonyms in the words of a search (pure, no I/O)."""

import re
from collections.abc import Iterable

from foodcommons.core.text import search_tokens

# A label such as "GASAP / agriculture soutenue par la communauté" or "Groupe d'achat (GAC, GAA)"
# names its category by each of its parts too.
_PARTS = re.compile(r"[/(),;]")
# A word of the search may end with these (plurals of FR/NL/EN) and still match a word of a name.
_ENDINGS = ("", "s", "x", "en", "es")


def phrases_of(labels: Iterable[str]) -> set[tuple[str, ...]]:
    """Return the folded word sequences that name a category: each label and each part of it."""
    found: set[tuple[str, ...]] = set()
    for label in labels:
        for text in [label, *_PARTS.split(label)]:
            tokens = tuple(search_tokens(text))
            if tokens:
                found.add(tokens)
    return found


def _same_word(searched: str, name_word: str) -> bool:
    return any(searched == name_word + ending for ending in _ENDINGS)


def find_category_names(tokens: list[str], phrases: dict[tuple[str, ...], frozenset[str]]) -> tuple[list[frozenset[str]], list[str]]:
    """Split search tokens into the categories they name (longest names first) and the words left over.

    `phrases` maps each folded name to the slugs of the categories it names.
    """
    longest = max((len(p) for p in phrases), default=0)
    named: list[frozenset[str]] = []
    rest: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            window = tokens[i : i + size]
            slugs: set[str] = set()
            for phrase, phrase_slugs in phrases.items():
                if len(phrase) == size and all(_same_word(w, p) for w, p in zip(window, phrase, strict=True)):
                    slugs |= phrase_slugs
            if slugs:
                named.append(frozenset(slugs))
                i += size
                break
        else:
            rest.append(tokens[i])
            i += 1
    return named, rest
