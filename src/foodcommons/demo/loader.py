"""Loading the bundled demo data: real places of Brussels and Wallonia with their sources."""

import json
from importlib import resources

from django.db import transaction
from django.utils import timezone

from foodcommons.core.problems import InvalidInput
from foodcommons.demo.events import load_demo_events
from foodcommons.demo.farmshops import read_farmshops
from foodcommons.demo.knowledge import load_demo_knowledge
from foodcommons.demo.osm import read_features
from foodcommons.demo.schaerbeek import read_composts
from foodcommons.demo.supply import load_demo_supply
from foodcommons.imports.domain.provenance import claimed_values
from foodcommons.imports.models import FieldClaim, Source, SourceRecord
from foodcommons.places.bulk import create_clean_places
from foodcommons.places.domain.validation import clean_place
from foodcommons.places.services import default_lookups

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
    "osm-farmshops": {
        "name": "OpenStreetMap – farms, farm shops, markets, beekeepers and vending machines of Brussels and Wallonia (farmshops.eu)",
        "licence": "ODbL-1.0",
        "attribution": "© OpenStreetMap contributors, ODbL 1.0",
        "url": "https://www.openstreetmap.org/",
        "format": "geojson",
        "files": ["farmshops_brussels_wallonia.geojson"],
        "reader": "farmshops",
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
    if spec["reader"] == "farmshops":
        return [record for c in collections for record in read_farmshops(c)]
    return [record for c in collections for record in read_composts(c)]


@transaction.atomic
def load_demo() -> int:
    """Create the demo places that are not there yet (in bulk, one announcement for all); return how many were created."""
    created = 0
    lookups = default_lookups()
    for slug, spec in DEMO_SOURCES.items():
        source, _ = Source.objects.update_or_create(
            slug=slug,
            defaults={k: spec[k] for k in ("name", "licence", "attribution", "url", "format")},
        )
        known = set(SourceRecord.objects.filter(source=source).values_list("external_id", flat=True))
        rows, records = [], []
        for external_id, data in _read(slug, spec):
            if external_id in known:
                continue
            known.add(external_id)
            try:
                clean = clean_place(data, lookups)
            except InvalidInput:
                continue  # a demo record the rules refuse is left out, as an import would report it
            records.append((external_id, data, clean))
            rows.append((len(records) - 1, clean))
        saved: list = []
        created += create_clean_places(rows=rows, comment=f"Demo data from {spec['name']}", progress=saved.extend, announce_once=True)
        now = timezone.now()
        made = SourceRecord.objects.bulk_create(
            SourceRecord(source=source, external_id=records[row][0], place=place, data=records[row][1], fetched_at=now) for row, place in saved
        )
        FieldClaim.objects.bulk_create(
            FieldClaim(place=record.place, field=name, source=source, record=record, value=value, observed_at=now)
            for record, (row, _place) in zip(made, saved, strict=True)
            for name, value in claimed_values(records[row][2]).items()
        )
    load_demo_events()
    load_demo_supply()
    load_demo_knowledge()
    return created
