"""The full dump: a zipped Frictionless Data Package, rebuilt on a schedule or on demand."""

import csv
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from foodcommons.imports.models import Source
from foodcommons.opendata.changes import committed_horizon
from foodcommons.opendata.domain.datapackage import CATEGORY_COLUMNS, TERRITORY_COLUMNS, descriptor
from foodcommons.places import selectors
from foodcommons.places.models import Place
from foodcommons.places.representations import csv_columns, csv_row, csv_types, geojson_feature, place_json
from foodcommons.taxonomy.models import Category
from foodcommons.territories.models import Territory

BATCH, KEEP = 500, 3
POINTER = "latest.json"


@dataclass(frozen=True)
class Dump:
    """A built dump: its file, ETag, time and the change cursor it is current at."""

    path: Path
    etag: str
    created: str
    cursor: str
    size: int

    def as_dict(self) -> dict:
        return {"file": self.path.name, "etag": self.etag, "created": self.created, "changes_cursor": self.cursor, "size": self.size}


def dumps_dir() -> Path:
    return Path(settings.DATA_DIR) / "dumps"


def _public_places(base_url: str):
    last = 0
    while True:
        batch = list(Place.objects.filter(deleted_at__isnull=True, pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        # with_relations loads categories, areas and sources of a batch in three queries.
        for place in selectors.with_relations(batch):
            yield place_json(place, base_url=base_url)
        last = batch[-1].pk


def _csv_bytes(header: list[str], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _categories() -> bytes:
    rows = Category.objects.select_related("parent").order_by("pk")
    return _csv_bytes(CATEGORY_COLUMNS, ([c.slug, c.parent.slug if c.parent else "", c.label_fr, c.label_nl, c.label_en, c.color] for c in rows))


def _territories() -> bytes:
    rows = Territory.objects.order_by("code").values_list("code", "level", "parent_id", "name_fr", "name_nl", "name_en", "population")
    return _csv_bytes(TERRITORY_COLUMNS, ([c, lv, p or "", fr, nl, en, "" if pop is None else pop] for c, lv, p, fr, nl, en, pop in rows))


def _sources() -> list[dict]:
    return list(Source.objects.order_by("slug").values("name", "attribution", "url", "licence"))


def build_dump(*, base_url: str) -> Dump:
    """Write a new dump of every public place, make it the latest and drop the oldest ones."""
    cursor = str(committed_horizon())  # taken first: the mirror replays from here, skipping versions it has
    created = timezone.now().isoformat(timespec="seconds")
    places = list(_public_places(base_url))
    licence = settings.FOODCOMMONS_DEFAULT_LICENCE
    geojson = {
        "type": "FeatureCollection", "licence": licence, "changes_cursor": cursor,
        "attribution": list(dict.fromkeys(a for p in places for a in p["attribution"])),
        "features": [geojson_feature(p) for p in places],
    }
    package = descriptor(
        place_columns=csv_columns(), place_types=csv_types(), site=settings.FOODCOMMONS_SITE_NAME, base_url=base_url, licence=licence,
        sources=_sources(), created=created, cursor=cursor,
    )
    folder = dumps_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
    final = folder / f"{settings.FOODCOMMONS_SITE_NAME}-{stamp}.zip"
    partial = final.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2))
        archive.writestr("places.csv", _csv_bytes(csv_columns(), (csv_row(p) for p in places)))
        archive.writestr("places.geojson", json.dumps(geojson, ensure_ascii=False))
        archive.writestr("categories.csv", _categories())
        archive.writestr("territories.csv", _territories())
    partial.rename(final)
    dump = Dump(final, _etag(final), created, cursor, final.stat().st_size)
    _point_to(dump)
    _prune(folder, keep=KEEP)
    return dump


def _etag(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return f'"{digest.hexdigest()[:32]}"'


def _point_to(dump: Dump) -> None:
    pointer = dumps_dir() / POINTER
    partial = pointer.with_suffix(".part")
    partial.write_text(json.dumps(dump.as_dict()))
    partial.replace(pointer)


def _prune(folder: Path, *, keep: int) -> None:
    for old in sorted(folder.glob("*.zip"))[:-keep]:
        old.unlink(missing_ok=True)


def latest_dump() -> Dump | None:
    """Return the latest dump, or None if none was built."""
    pointer = dumps_dir() / POINTER
    try:
        data = json.loads(pointer.read_text())
    except (OSError, ValueError):
        return None
    path = dumps_dir() / data["file"]
    if not path.exists():
        return None
    return Dump(path, data["etag"], data["created"], data["changes_cursor"], data["size"])
