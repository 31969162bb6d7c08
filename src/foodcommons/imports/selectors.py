"""Reads of sources, runs, review candidates and provenance."""

from datetime import timedelta

from django.utils import timezone

from foodcommons.core.problems import NotFound
from foodcommons.imports.models import FieldClaim, ImportRun, MatchCandidate, Source, SourceRecord
from foodcommons.imports.domain.provenance import current_values, same
from foodcommons.places.domain.privacy import private_keys, published_claim_value
from foodcommons.places.models import Place
from foodcommons.places.services import current_state


def due_sources() -> list[Source]:
    """Return the URL sources whose schedule says they should be imported again now."""
    now = timezone.now()
    due = []
    for source in Source.objects.filter(schedule_hours__isnull=False).exclude(location=""):
        if source.location.startswith(("http://", "https://")) and (
            source.last_run_at is None or source.last_run_at + timedelta(hours=source.schedule_hours) <= now
        ):
            due.append(source)
    return due


def run_summary(run: ImportRun) -> str:
    """Return a human-readable report of a run: counts, then each decision worth a look and each error."""
    lines = [f"Run {run.pk} of {run.source.slug} ({run.status}" + (", nothing was written" if run.status == "dry_run" else "") + ")"]
    lines.append("  " + ", ".join(f"{k}: {v}" for k, v in run.counts.items()))
    for decision in run.decisions:
        if decision["action"] in ("merged", "review", "flagged") or run.status == "dry_run":
            why = f" score {decision['score']}: {'; '.join(decision['reasons'])}" if decision.get("reasons") else ""
            lines.append(f"  {decision['action']:9} row {decision['row']} {decision['external_id']} -> {decision['place']}{why}")
    for error in run.errors:
        lines.append(f"  error row {error['row']} {error['field']}: {error['reason']}")
    return "\n".join(lines)


def get_run(run_id: int) -> ImportRun:
    """Return one import run or raise NotFound."""
    run = ImportRun.objects.select_related("source").filter(pk=run_id).first()
    if run is None:
        raise NotFound(f"No import run {run_id}.")
    return run


def pending_candidates(limit: int = 100) -> list[MatchCandidate]:
    """Return the pending match candidates whose two places still exist, best score first."""
    return list(
        MatchCandidate.objects.filter(status=MatchCandidate.Status.PENDING, place_a__deleted_at__isnull=True, place_b__deleted_at__isnull=True)
        .select_related("place_a", "place_b")[:limit]
    )


def missing_records(limit: int = 500) -> list[SourceRecord]:
    """Return the records their source no longer lists, flagged for review."""
    return list(SourceRecord.objects.filter(missing_since__isnull=False, place__isnull=False).select_related("source", "place")[:limit])


def place_provenance(public_id: str) -> dict:
    """Return, for each field of a place, which sources gave which value and when, and which one is published."""
    place = Place.objects.filter(public_id=public_id).first()
    if place is None:
        raise NotFound(f"No place has the identifier '{public_id}'.")
    withheld = private_keys(place.contacts)
    current = current_values(current_state(place) or {})
    latest: dict = {}
    for claim in FieldClaim.objects.filter(place=place).select_related("source", "record").order_by("observed_at", "id"):
        latest[(claim.field, claim.source_id)] = claim
    fields: dict[str, list[dict]] = {}
    for claim in latest.values():
        source = claim.source
        fields.setdefault(claim.field, []).append({
            "source": source.slug if source else None,
            "source_name": source.name if source else "contributors",
            "external_id": claim.record.external_id if claim.record else None,
            "licence": source.licence if source else place.licence,
            "attribution": source.attribution if source else "",
            "value": published_claim_value(claim.field, claim.value, withheld),
            "observed_at": claim.observed_at.isoformat(),
            "published": same(claim.value, current.get(claim.field)),
        })
    for name in current:
        if not any(c["published"] for c in fields.get(name, [])):
            fields.setdefault(name, []).append({"source": None, "source_name": "contributors", "external_id": None, "licence": place.licence,
                                                "attribution": "", "value": published_claim_value(name, current[name], withheld), "observed_at": None,
                                                "published": True})
    return {"id": place.public_id, "fields": fields}
