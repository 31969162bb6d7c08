"""Reads of the knowledge commons: projects, documents, platforms, offers of expertise, by territory, work stream and words."""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from foodcommons.collaboration.models import Membership, Organisation
from foodcommons.collaboration.permissions import Action, Role, allowed, role_for
from foodcommons.core.problems import NotFound
from foodcommons.knowledge.domain.search import query_tokens
from foodcommons.knowledge.models import (
    Answer,
    Document,
    DocumentVersion,
    Exchange,
    ExpertiseOffer,
    NeedCount,
    NewsletterIssue,
    Platform,
    Project,
    WorkStream,
)
from foodcommons.subscriptions.domain.digest import latest_first
from foodcommons.subscriptions.registry import changes_for
from foodcommons.territories.models import Territory
from foodcommons.territories.selectors import ancestors_of, commune_codes_within, info

PROVINCE_LEVELS = ("province", "region")


def codes_within(code: str) -> list[str]:
    """Return `code` and every territory inside it (provinces, arrondissements, communes)."""
    communes = commune_codes_within(code)
    codes = {code, *communes}
    above = set(ancestors_of(code))
    for commune in communes:
        for ancestor in ancestors_of(commune):
            if ancestor == code or ancestor in above:
                break
            codes.add(ancestor)
    return sorted(codes)


def codes_concerning(code: str) -> list[str]:
    """Return the territories whose items concern `code`: those inside it and those containing it (a Walloon project concerns Namur)."""
    return sorted({*codes_within(code), *ancestors_of(code)})


def _words(found: QuerySet, query: str) -> QuerySet:
    # Each word of the query matches the start of a word of the item (the same on SQLite and PostgreSQL).
    for token in query_tokens(query):
        found = found.filter(search_text__contains=" " + token)
    return found


def work_streams() -> list[WorkStream]:
    """Return the shared vocabulary of work streams, in its order."""
    return list(WorkStream.objects.all())


def _projects() -> QuerySet:
    return Project.objects.prefetch_related("organisations", "territories", "work_streams")


def projects(*, territory: str | None = None, work_stream: str | None = None, query: str = "") -> list[Project]:
    """Return projects of a territory (inside it, or covering it: see codes_concerning), of a work stream, matching words."""
    found = _projects()
    if territory:
        found = found.filter(territories__code__in=codes_concerning(territory))
    if work_stream:
        found = found.filter(work_streams__slug=work_stream)
    found = _words(found, query)
    return list(found.distinct())


def project(public_id: str) -> Project:
    """Return one project with its links, or raise NotFound."""
    found = _projects().prefetch_related("places", "documents", "events", "contacts").filter(public_id=public_id).first()
    if found is None:
        raise NotFound(f"No project with id '{public_id}'.")
    return found


def _region_of(code: str) -> str:
    """Return the province containing `code` (itself if it is one), else its region, else itself."""
    for candidate in [code, *ancestors_of(code)]:
        known = info(candidate)
        if known is not None and known.level == "province":
            return candidate
    chain = [code, *ancestors_of(code)]
    return chain[-1]


def nearby_projects(project: Project, *, limit: int = 6) -> list[Project]:
    """Return other projects on one of this project's work streams, in the same province (or region)."""
    streams = [w.pk for w in project.work_streams.all()]
    areas = {_region_of(t.code) for t in project.territories.all()}
    if not streams or not areas:
        return []
    codes = sorted({c for area in areas for c in codes_within(area)})
    found = _projects().filter(work_streams__in=streams, territories__code__in=codes).exclude(pk=project.pk).distinct()
    return list(found[:limit])


def projects_near(*, territory: str, work_stream: str | None) -> list[Project]:
    """Return the projects of the province (or region) around `territory`, on a work stream if given: "near me"."""
    return projects(territory=_region_of(territory), work_stream=work_stream or None)


def projects_by_territory() -> list[dict]:
    """Return, per province or Brussels region, its centre and the projects inside it (for the map)."""
    areas = list(Territory.objects.filter(Q(level="province") | Q(code="04000")).defer("geometry").order_by("code"))
    rows = []
    for area in areas:
        found = list(_projects().filter(territories__code__in=codes_within(area.code)).distinct())
        if found and area.min_lon is not None:
            rows.append({"code": area.code, "name": area.name(), "lon": (area.min_lon + area.max_lon) / 2, "lat": (area.min_lat + area.max_lat) / 2,
                         "projects": [{"id": p.public_id, "title": p.title()} for p in found]})
    return rows


def public_contacts(project: Project) -> list:
    """Return the contacts of a project that may be shown to anyone."""
    return [c for c in project.contacts.all() if c.is_public]


def _documents() -> QuerySet:
    return Document.objects.select_related("organisation").prefetch_related("territories", "work_streams", "versions")


def documents(*, query: str = "", kind: str | None = None, territory: str | None = None, work_stream: str | None = None) -> list[Document]:
    """Return documents matching words (of their metadata or inside their files), of a kind, territory or work stream."""
    found = _documents()
    if kind:
        found = found.filter(kind=kind)
    if territory:
        found = found.filter(territories__code__in=codes_concerning(territory))
    if work_stream:
        found = found.filter(work_streams__slug=work_stream)
    return list(_words(found, query).distinct())


def document(public_id: str) -> Document:
    """Return one document with its versions, or raise NotFound."""
    found = _documents().filter(public_id=public_id).first()
    if found is None:
        raise NotFound(f"No document with id '{public_id}'.")
    return found


def current_version(document: Document) -> DocumentVersion | None:
    """Return the latest version of a document's file, or None for a link."""
    return max(document.versions.all(), key=lambda v: v.number, default=None)


def version(document: Document, number: int) -> DocumentVersion:
    """Return one version of a document, or raise NotFound."""
    found = next((v for v in document.versions.all() if v.number == number), None)
    if found is None:
        raise NotFound(f"Document '{document.public_id}' has no version {number}.")
    return found


def platforms() -> list[Platform]:
    """Return the directory of databases and platforms."""
    return list(Platform.objects.prefetch_related("territories"))


def offers(*, need: str | None = None, territory: str | None = None, query: str = "") -> list[ExpertiseOffer]:
    """Return the offers of expertise answering a need, serving a territory (or one containing it, or everywhere)."""
    found = list(ExpertiseOffer.objects.select_related("organisation").prefetch_related("territories"))
    if need:
        found = [o for o in found if need in (o.needs or [])]
    if territory:
        around = set(codes_concerning(territory))
        found = [o for o in found if not o.territories.all() or any(t.code in around for t in o.territories.all())]
    for token in query_tokens(query):
        found = [o for o in found if token in _offer_words(o)]
    return found


def _offer_words(offer: ExpertiseOffer) -> str:
    from foodcommons.knowledge.domain.search import framed_document

    return framed_document(offer.provider, offer.title_fr, offer.title_nl, offer.title_en, offer.description_fr, offer.description_nl,
                           offer.description_en, offer.audience_fr, offer.audience_nl, offer.audience_en)


def offer(public_id: str) -> ExpertiseOffer:
    """Return one offer of expertise, or raise NotFound."""
    found = ExpertiseOffer.objects.select_related("organisation").prefetch_related("territories").filter(public_id=public_id).first()
    if found is None:
        raise NotFound(f"No offer of expertise with id '{public_id}'.")
    return found


def need_counts() -> list[dict]:
    """Return the anonymous counts of requests for help, by need and territory, most asked first."""
    names = {t.code: t for t in Territory.objects.filter(code__in=NeedCount.objects.values("territory_code")).defer("geometry")}
    labels = dict(ExpertiseOffer.Need.choices)
    return [{"need": c.need, "label": str(labels.get(c.need, c.need)), "territory": c.territory_code,
             "territory_name": names[c.territory_code].name() if c.territory_code in names else "", "count": c.count}
            for c in NeedCount.objects.order_by("-count", "need", "territory_code")]


def knowledge_role(user, organisations) -> Role:
    """Return the highest role of `user` in any of `organisations` (none given: platform staff only)."""
    authenticated = bool(user is not None and user.is_authenticated)
    staff = authenticated and bool(user.is_staff or user.is_superuser)
    ids = [o.pk for o in organisations if o is not None]
    roles = list(Membership.objects.filter(user=user, organisation_id__in=ids).values_list("role", flat=True)) if authenticated and ids else []
    return role_for(authenticated=authenticated, platform_moderator=staff, organisation_roles=roles)


def may_manage(user, organisations) -> bool:
    """Tell whether `user` may edit what these organisations carry (projects, documents, offers)."""
    return allowed(knowledge_role(user, list(organisations)), Action.MANAGE_KNOWLEDGE)


def editable_organisations(user) -> list[Organisation]:
    """Return the organisations whose knowledge items `user` may create."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_staff or user.is_superuser:
        return list(Organisation.objects.order_by("name"))
    ids = Membership.objects.filter(user=user).values_list("organisation_id", "role")
    return list(Organisation.objects.filter(pk__in=[i for i, role in ids if allowed(Role(role), Action.MANAGE_KNOWLEDGE)]).order_by("name"))


def exchanges(*, territory: str | None = None, work_stream: str | None = None, project: Project | None = None) -> list[Exchange]:
    """Return the questions and needs posted, newest first, of a territory (what concerns it), a work stream or a project."""
    found = Exchange.objects.select_related("organisation", "project", "territory").prefetch_related("work_streams")
    if territory:
        found = found.filter(territory__code__in=codes_concerning(territory))
    if work_stream:
        found = found.filter(work_streams__slug=work_stream)
    if project is not None:
        found = found.filter(project=project)
    return list(found.distinct())


def exchange(public_id: str) -> Exchange:
    """Return one exchange, or raise NotFound."""
    found = Exchange.objects.select_related("organisation", "project", "territory").filter(public_id=public_id).first()
    if found is None:
        raise NotFound(f"No exchange with id '{public_id}'.")
    return found


def visible_answers(exchange: Exchange, user) -> list[Answer]:
    """Return the answers `user` may read: the public ones; private ones for their author and the askers' editors."""
    answers = list(exchange.answers.select_related("author"))
    askers = may_manage(user, [exchange.organisation])
    me = user.pk if getattr(user, "is_authenticated", False) else None
    return [a for a in answers if not a.is_private or askers or (me is not None and a.author_id == me)]


# The composer offers what is new since the last issue sent (or, for the first one, the last 60 days).
FIRST_ISSUE_DAYS = 60
NEWSLETTER_KINDS = ("project", "event", "document", "expertise")


def sent_issues() -> list[NewsletterIssue]:
    """Return the issues sent, latest first: the public archive."""
    return list(NewsletterIssue.objects.filter(status=NewsletterIssue.Status.SENT).order_by("-sent_at", "-pk"))


def draft_issues(user) -> list[NewsletterIssue]:
    """Return the drafts `user` may go on composing."""
    drafts = NewsletterIssue.objects.filter(status=NewsletterIssue.Status.DRAFT).select_related("organisation").order_by("-created_at")
    return [d for d in drafts if may_manage(user, [d.organisation])]


def issue(public_id: str, *, user=None) -> NewsletterIssue:
    """Return an issue with its items; a draft only to those who may edit it, else raise NotFound."""
    found = NewsletterIssue.objects.select_related("organisation").prefetch_related("items").filter(public_id=public_id).first()
    if found is None or (found.status == NewsletterIssue.Status.DRAFT and not may_manage(user, [found.organisation])):
        raise NotFound(f"No newsletter issue with id '{public_id}'.")
    return found


def newsletter_candidates(draft: NewsletterIssue) -> list:
    """Return what is new on the site since the last issue sent (projects, events, documents, offers), minus what the draft holds."""
    now = timezone.now()
    last = NewsletterIssue.objects.filter(status=NewsletterIssue.Status.SENT).order_by("-sent_at").values_list("sent_at", flat=True).first()
    since = last or now - timedelta(days=FIRST_ISSUE_DAYS)
    held = set(draft.items.values_list("kind", "ref"))
    return [c for c in latest_first(changes_for(None, since=since, until=now)) if c.kind in NEWSLETTER_KINDS and (c.kind, c.ref) not in held]
