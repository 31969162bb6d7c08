"""CSV that a spreadsheet opens without running a cell as a formula (CSV injection), and that machines still read as is."""

import csv
import re
from collections.abc import Iterable
from typing import Any

# A cell a spreadsheet would evaluate: it starts with "=" or "@", a tab or a carriage return, or with "+" or "-" followed
# by more than a number. Phone numbers ("+32 2 244 75 11") and coordinates ("-4.35") are left as they are: they hold no
# call, and a quote in front of them would spoil them for every reader.
_NUMBER_LIKE = re.compile(r"[+-][\d\s.,()/]*")


def safe_cell(value: Any) -> Any:
    """Return the value, with a quote in front when a spreadsheet would run it as a formula."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in "=@\t\r" or (value[0] in "+-" and not _NUMBER_LIKE.fullmatch(value)):
        return "'" + value
    return value


class SafeWriter:
    """A csv.writer whose every cell goes through safe_cell."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]):
        """Write one row."""
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]):
        """Write every row."""
        for row in rows:
            self.writerow(row)


def writer(stream, **options) -> SafeWriter:
    """Return a CSV writer for files people open in a spreadsheet."""
    return SafeWriter(stream, **options)
