"""What the knowledge commons tells subscriptions: the work streams one may follow, and its new and changed items."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.urls import reverse

from foodcommons.knowledge.models import LANGUAGES, Document, ExpertiseOffer, Project, WorkStream
from foodcommons.knowledge.selectors import codes_within
from foodcommons.subscriptions.domain.digest import Change, Target
from foodcommons.subscriptions.registry import register_change_source, register_target_kind

# Each kind of item: its model, the field of its summary, its page, and the relation naming its territories.
ITEMS = (
    ("project", Project, "summary", "knowledge:project", "territories"),
    ("document", Document, "description", "knowledge:document", "territories"),
    ("expertise", ExpertiseOffer, "description", "knowledge:offer", "territories"),
)


def _texts(item, field: str) -> dict[str, str]:
    return {lang: text for lang in LANGUAGES if (text := getattr(item, f"{field}_{lang}", ""))}


def _window(model, since: datetime, until: datetime) -> Q:
    changed = Q(created_at__gt=since, created_at__lte=until)
    if any(f.name == "updated_at" for f in model._meta.get_fields()):
        changed |= Q(updated_at__gt=since, updated_at__lte=until)
    return changed


def _of_target(found: QuerySet, target: Target | None, territories: str) -> QuerySet | None:
    if target is None:
        return found
    if target.kind == "work_stream":
        return found.filter(work_streams__slug=target.key) if hasattr(found.model, "work_streams") else found.none()
    if target.kind == "territory":
        return found.filter(**{f"{territories}__code__in": codes_within(target.key)})
    return None


def knowledge_changes(target: Target | None, since: datetime, until: datetime) -> list[Change]:
    """Return the projects, documents and offers of expertise new or changed in the window, for a work stream, a territory or the site."""
    changes = []
    for kind, model, summary, page, territories in ITEMS:
        found = _of_target(model.objects.filter(_window(model, since, until)), target, territories)
        if found is None:
            continue
        for item in found.distinct().order_by("-pk")[:200]:
            new = since < item.created_at <= until
            changes.append(Change(kind=kind, ref=item.public_id, titles=_texts(item, "title"), summaries=_texts(item, summary),
                                  path=reverse(page, args=[item.public_id]), at=item.created_at if new else item.updated_at,
                                  action="new" if new else "changed"))
    return changes


def _work_stream_label(key: str, language: str) -> str | None:
    stream = WorkStream.objects.filter(slug=key).first()
    return stream.name(language) if stream else None


def register() -> None:
    """Register the work streams as targets and the knowledge items as a source of changes."""
    register_target_kind("work_stream", _work_stream_label)
    register_change_source("knowledge", knowledge_changes)
