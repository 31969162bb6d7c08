"""Loading the bundled demo data: real places of Brussels and Wallonia with their sources."""

import json
from importlib import resources

from django.db import transaction
from django.utils import timezone

from foodcommons.demo.events import load_demo_events
from foodcommons.demo.osm import read_features
from foodcommons.demo.schaerbeek import read_composts
from foodcommons.imports.domain.provenance import claimed_values
from foodcommons.imports.models import FieldClaim, Source, SourceRecord
from foodcommons.places.domain.validation import clean_place
from foodcommons.places.services import create_place, default_lookups

DEMO_SOURCES = {
    "osm-luxembourg": {
        "name": "OpenStreetMap – province of Luxembourg",
        "licence": "ODbL-1.0",
        "attribution": "© OpenStreetMap contributors, ODbL 1.0",
        "url": "https://www.openstreetmap.org/",
        "format": "geojson",
        "files": ["Arlon.geojson", "Habay.geojson", "Tintigny.geojson", "pnhsfa.geojson"],
        "reader": "osm",
    },
    "schaerbeek-composts": {
        "name": "Schaerbeek – neighbourhood composts",
        "licence": "GPL-3.0-only",
        "attribution": "Commune de Schaerbeek – Direction du Développement Stratégique et Durable (GPL-3.0)",
        "url": "https://github.com/gis1030/DSD-Primes1030",
        "format": "geojson",
        "files": ["compost_de_quartier_schaerbeek.geojson"],
        "reader": "schaerbeek",
    },
}


def _read(slug: str, spec: dict):
    folder = resources.files("foodcommons.demo").joinpath("data", slug)
    collections = [json.loads(folder.joinpath(name).read_text(encoding="utf-8")) for name in spec["files"]]
    if spec["reader"] == "osm":
        return list(read_features(collections))
    return [record for c in collections for record in read_composts(c)]


@transaction.atomic
def load_demo() -> int:
    """Create the demo places that are not there yet; return how many were created."""
    created = 0
    for slug, spec in DEMO_SOURCES.items():
        source, _ = Source.objects.update_or_create(
            slug=slug,
            defaults={k: spec[k] for k in ("name", "licence", "attribution", "url", "format")},
        )
        known = set(SourceRecord.objects.filter(source=source).values_list("external_id", flat=True))
        for external_id, data in _read(slug, spec):
            if external_id in known:
                continue
            place = create_place(data=data, comment=f"Demo data from {spec['name']}").place
            record = SourceRecord.objects.create(source=source, external_id=external_id, place=place, data=data, fetched_at=timezone.now())
            _claim_fields(place=place, record=record, data=data)
            created += 1
    load_demo_events()
    return created


def _claim_fields(*, place, record: SourceRecord, data: dict) -> None:
    # What an import records: which source gave each field, so that place pages and the API say so.
    values = claimed_values(clean_place(data, default_lookups()))
    FieldClaim.objects.bulk_create(
        FieldClaim(place=place, field=name, source=record.source, record=record, value=value, observed_at=record.fetched_at)
        for name, value in values.items()
    )
