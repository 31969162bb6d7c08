"""Files of food-aid access: the HSDS tables as CSV in one zip."""

import csv
import io
import zipfile

from foodcommons.relations.domain.foodaid import HSDS_TABLES


def hsds_zip(tables: dict[str, list[dict]]) -> bytes:
    """Return a zip of one CSV per HSDS table (header always present, empty cells for nulls)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (filename, columns) in HSDS_TABLES.items():
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in tables.get(name, []))
            archive.writestr(filename, text.getvalue())
    return buffer.getvalue()
