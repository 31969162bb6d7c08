"""The bilingual street names of the Brussels-Capital Region: a street in French or Dutch, named in the other language."""

import csv
from functools import lru_cache
from pathlib import Path

from foodcommons.core.text import fold

STREETS = Path(__file__).parent / "data" / "brussels_streets.tsv"


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, str]]:
    """Return {folded name in either language: {"fr": name, "nl": name}}, read once per process."""
    table: dict[str, dict[str, str]] = {}
    with STREETS.open(encoding="utf-8", newline="") as lines:
        for row in csv.DictReader(lines, delimiter="\t"):
            names = {"fr": row["fr"], "nl": row["nl"]}
            table.setdefault(fold(row["fr"]), names)
            table.setdefault(fold(row["nl"]), names)
    return table


def street_name(street: str, language: str) -> str:
    """Return a Brussels street's name in `language` (fr or nl) when the list knows it, else the street as written."""
    if not street or language[:2] not in ("fr", "nl"):
        return street
    names = _table().get(fold(street))
    return names[language[:2]] if names else street
