"""Writes of the knowledge commons: projects, documents and their versions, platforms, offers, requests for help."""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from foodcommons.collaboration.services import Forbidden
from foodcommons.core.ids import new_public_id
from foodcommons.core.mail import absolute, queue_email
from foodcommons.core.problems import FieldError, InvalidInput, Problem, problem_type
from foodcommons.knowledge import selectors
from foodcommons.knowledge.domain.files import Refused, extract_text, identify, safe_filename
from foodcommons.knowledge.domain.search import framed_document
from foodcommons.knowledge.models import (
    LANGUAGES,
    Answer,
    Document,
    DocumentVersion,
    Exchange,
    ExpertiseOffer,
    NeedCount,
    NewsletterIssue,
    NewsletterItem,
    Project,
    ProjectContact,
)
from foodcommons.knowledge.tasks import make_preview, send_newsletter
from foodcommons.subscriptions.domain.digest import Target
from foodcommons.subscriptions.selectors import subscriber_count
from foodcommons.territories.selectors import territory_exists

PROJECT_COLUMNS = ("title_fr", "title_nl", "title_en", "summary_fr", "summary_nl", "summary_en", "status", "starts_on", "ends_on", "url", "source")
PROJECT_LINKS = ("organisations", "territories", "work_streams", "places", "documents", "events")
DOCUMENT_COLUMNS = ("title_fr", "title_nl", "title_en", "description_fr", "description_nl", "description_en", "kind", "organisation",
                    "authors", "published_on", "language", "licence", "link_url", "source")
DOCUMENT_LINKS = ("territories", "work_streams")
REFUSALS = {
    "empty": gettext_noop("the file is empty"),
    "too-large": gettext_noop("the file is larger than the limit"),
    "unpacks-too-large": gettext_noop("the file unpacks to more than the limit"),
    "damaged": gettext_noop("the file is damaged"),
    "type": gettext_noop("only PDF, ODT, DOCX, XLSX, PNG, JPEG and WebP files are accepted (judged by their content)"),
}


def _require_manager(author, organisations) -> None:
    if not selectors.may_manage(author, organisations):
        raise Forbidden("Only the editors of the organisations carrying it may do this.")


def _titled(data: dict, field: str = "title") -> None:
    if not any((data.get(f"{field}_{lang}") or "").strip() for lang in LANGUAGES):
        raise InvalidInput([FieldError(f"{field}_fr", gettext_noop("a title in at least one language is required"))])


def _set_links(item, data: dict, names: tuple[str, ...]) -> None:
    for name in names:
        if name in data:
            getattr(item, name).set(list(data[name] or []))


def _reindex_project(project: Project) -> None:
    organisations = " ".join(o.name for o in project.organisations.all())
    streams = " ".join(f"{w.name_fr} {w.name_nl} {w.name_en}" for w in project.work_streams.all())
    project.search_text = framed_document(*(getattr(project, c) for c in PROJECT_COLUMNS[:6]), organisations, streams)
    project.save(update_fields=["search_text"])


def _write_contacts(project: Project, contacts: list[dict] | None) -> None:
    if contacts is None:
        return
    project.contacts.all().delete()
    ProjectContact.objects.bulk_create([
        ProjectContact(project=project, name=c["name"][:200], role=c.get("role", "")[:200], email=c.get("email", ""), phone=c.get("phone", "")[:40],
                       is_public=bool(c.get("is_public")))
        for c in contacts if (c.get("name") or "").strip()
    ])


def _check_dates(data: dict) -> None:
    if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
        raise InvalidInput([FieldError("ends_on", gettext_noop("the end comes before the start"))])


@transaction.atomic
def create_project(*, data: dict, author, check_role: bool = True) -> Project:
    """Create a project carried by organisations whose editor `author` is (the demo loader passes check_role=False)."""
    if check_role:
        _require_manager(author, data.get("organisations") or [])
    _titled(data)
    _check_dates(data)
    project = Project.objects.create(public_id=new_public_id(), **{k: data[k] for k in PROJECT_COLUMNS if k in data})
    _set_links(project, data, PROJECT_LINKS)
    _write_contacts(project, data.get("contacts"))
    _reindex_project(project)
    return project


@transaction.atomic
def update_project(*, public_id: str, data: dict, author) -> Project:
    """Change a project's fields and links (those given); its editors only."""
    project = selectors.project(public_id)
    _require_manager(author, project.organisations.all())
    if "organisations" in data:
        _require_manager(author, data["organisations"])
    merged = {k: getattr(project, k) for k in PROJECT_COLUMNS} | {k: v for k, v in data.items() if k in PROJECT_COLUMNS}
    _titled(merged)
    _check_dates(merged)
    for key, value in merged.items():
        setattr(project, key, value)
    project.save()
    _set_links(project, data, PROJECT_LINKS)
    _write_contacts(project, data.get("contacts"))
    _reindex_project(project)
    return project


def reindex_document(document: Document) -> None:
    """Recompute the words a document is found by: its metadata and the text of every version."""
    texts = [v.text for v in document.versions.all()]
    streams = " ".join(f"{w.name_fr} {w.name_nl} {w.name_en}" for w in document.work_streams.all())
    document.search_text = framed_document(*(getattr(document, c) for c in DOCUMENT_COLUMNS[:6]), document.authors, streams, *texts)
    document.save(update_fields=["search_text"])


def _checked(filename: str, data: bytes):
    try:
        kind = identify(data, max_bytes=settings.FOODCOMMONS_DOCUMENT_MAX_BYTES, max_unpacked=settings.FOODCOMMONS_IMPORT_MAX_UNPACKED_BYTES)
    except Refused as refusal:
        raise InvalidInput([FieldError("file", REFUSALS[str(refusal)])], detail=str(refusal)) from None
    return kind


def _add_version(document: Document, *, filename: str, data: bytes, note: str = "") -> DocumentVersion:
    kind = _checked(filename, data)
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DocumentVersion(document=document, number=number, filename=safe_filename(filename, kind), media_type=kind.media_type,
                              size=len(data), sha256=hashlib.sha256(data).hexdigest(), text=extract_text(data, kind), note=note[:300])
    version.file.save(version.filename, ContentFile(data), save=False)
    version.save()
    transaction.on_commit(lambda: make_preview.enqueue(version_id=version.pk))
    return version


@transaction.atomic
def create_document(*, data: dict, author, upload: tuple[str, bytes] | None = None, check_role: bool = True) -> Document:
    """Publish a document of an organisation: an uploaded file (its first version) or a link.

    The demo loader (check_role=False) may also reference a document a source names without giving a copy or a link.
    """
    if check_role:
        _require_manager(author, [data.get("organisation")])
    _titled(data)
    if check_role and upload is None and not data.get("link_url"):
        raise InvalidInput([FieldError("file", gettext_noop("upload a file or give a link"))])
    if upload is not None:
        _checked(*upload)
    document = Document.objects.create(public_id=new_public_id(), **{k: data[k] for k in DOCUMENT_COLUMNS if k in data and data[k] is not None})
    _set_links(document, data, DOCUMENT_LINKS)
    if upload is not None:
        _add_version(document, filename=upload[0], data=upload[1], note=data.get("note", ""))
    reindex_document(document)
    return document


@transaction.atomic
def add_document_version(*, public_id: str, filename: str, data: bytes, author, note: str = "") -> DocumentVersion:
    """Add a new version of a document's file; the earlier ones stay available."""
    document = selectors.document(public_id)
    _require_manager(author, [document.organisation])
    version = _add_version(document, filename=filename, data=data, note=note)
    reindex_document(selectors.document(public_id))
    return version


def _count_need(need: str, territory_code: str) -> None:
    row, created = NeedCount.objects.get_or_create(need=need, territory_code=territory_code, defaults={"count": 1})
    if not created:
        NeedCount.objects.filter(pk=row.pk).update(count=F("count") + 1)


@transaction.atomic
def ask_for_help(*, offer_id: str, need: str, territory: str, message: str, email: str, name: str = "", project: str = "") -> None:
    """Send a request for help to the facilitator, in their language, and count the need (kind and territory only)."""
    offer = selectors.offer(offer_id)
    errors = []
    if need not in ExpertiseOffer.Need.values:
        errors.append(FieldError("need", gettext_noop("choose a kind of need")))
    if territory and not territory_exists(territory):
        errors.append(FieldError("territory", f"no territory '{territory}'"))
    if not email or "@" not in email:
        errors.append(FieldError("email", gettext_noop("an e-mail address is required, for the answer")))
    if not message.strip():
        errors.append(FieldError("message", gettext_noop("say what you need")))
    if errors:
        raise InvalidInput(errors)
    if offer.contact_email:
        with translation.override(offer.contact_language):
            need_label = str(dict(ExpertiseOffer.Need.choices)[need])
        queue_email(to=offer.contact_email, template="knowledge/email/help_request", language=offer.contact_language, context={
            "offer": offer.title(offer.contact_language), "provider": offer.provider, "need": need_label,
            "territory": territory, "message": message.strip()[:4000], "email": email.strip(), "name": name.strip()[:200],
            "project": project.strip()[:300], "offer_link": absolute(reverse("knowledge:offer", args=[offer.public_id])),
        })
    _count_need(need, territory)


@transaction.atomic
def post_exchange(*, data: dict, author) -> Exchange:
    """Post a question or a need of an organisation (and one of its projects), for its editors."""
    organisation = data.get("organisation")
    _require_manager(author, [organisation])
    project = data.get("project")
    if project is not None and organisation not in project.organisations.all():
        raise InvalidInput([FieldError("project", gettext_noop("the project is not carried by this organisation"))])
    errors = [FieldError(f, gettext_noop("required")) for f in ("title", "body") if not (data.get(f) or "").strip()]
    if errors:
        raise InvalidInput(errors)
    exchange = Exchange.objects.create(public_id=new_public_id(), kind=data.get("kind") or Exchange.Kind.QUESTION, title=data["title"].strip()[:300],
                                       body=data["body"].strip(), organisation=organisation, project=project, territory=data.get("territory"))
    exchange.work_streams.set(list(data.get("work_streams") or []))
    return exchange


def answer_exchange(*, public_id: str, author, body: str, is_private: bool = False) -> Answer:
    """Answer a question or a need; anyone signed in may, publicly or privately (for the askers only)."""
    if not getattr(author, "is_authenticated", False):
        raise Forbidden("Sign in to answer.")
    if not body.strip():
        raise InvalidInput([FieldError("body", gettext_noop("write an answer"))])
    return Answer.objects.create(exchange=selectors.exchange(public_id), author=author, body=body.strip()[:10000], is_private=is_private)


NEWSLETTER_TEXTS = ("title_fr", "title_nl", "title_en", "intro_fr", "intro_nl", "intro_en")
ITEM_TEXTS = ("title_fr", "title_nl", "title_en", "text_fr", "text_nl", "text_en")
ITEM_TEXT_LENGTH = 600


def _draft(public_id: str, author) -> NewsletterIssue:
    issue = NewsletterIssue.objects.select_for_update().filter(public_id=public_id).first() or selectors.issue(public_id, user=author)
    _require_manager(author, [issue.organisation])
    if issue.status != NewsletterIssue.Status.DRAFT:
        raise Problem(status=409, title="Already sent", detail="This issue was sent: it can no longer change.", kind=problem_type("newsletter-sent"))
    return issue


@transaction.atomic
def create_issue(*, organisation, author) -> NewsletterIssue:
    """Start a draft of the newsletter for an organisation whose editor `author` is, titled in the three languages."""
    _require_manager(author, [organisation])
    titles = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            titles[f"title_{lang}"] = gettext("News of the food commons")
    return NewsletterIssue.objects.create(public_id=new_public_id(), organisation=organisation, created_by=author, **titles)


@transaction.atomic
def add_newsletter_item(*, public_id: str, kind: str, ref: str, author) -> NewsletterItem:
    """Add one of the new items (a project, event, document or offer) to a draft, its title and summary in every language."""
    issue = _draft(public_id, author)
    change = next((c for c in selectors.newsletter_candidates(issue) if (c.kind, c.ref) == (kind, ref)), None)
    if change is None:
        raise InvalidInput([FieldError("ref", gettext_noop("this item is not among what is new, or is already in the issue"))])
    texts = {f"title_{lang}": change.titles.get(lang, "")[:300] for lang in LANGUAGES}
    texts.update({f"text_{lang}": change.summaries.get(lang, "")[:ITEM_TEXT_LENGTH] for lang in LANGUAGES})
    position = issue.items.count()
    return NewsletterItem.objects.create(issue=issue, kind=kind, ref=ref, path=change.path, position=position, **texts)


@transaction.atomic
def update_issue(*, public_id: str, data: dict, author) -> NewsletterIssue:
    """Save the editor's words: the issue's title and introduction, each item's title and text, items removed."""
    issue = _draft(public_id, author)
    for key in NEWSLETTER_TEXTS:
        if key in data:
            setattr(issue, key, (data[key] or "").strip())
    _titled({k: getattr(issue, k) for k in NEWSLETTER_TEXTS})
    issue.save()
    items = {item.pk: item for item in issue.items.all()}
    for change in data.get("items", []):
        item = items.get(change.get("id"))
        if item is None:
            continue
        if change.get("remove"):
            item.delete()
            continue
        for key in ITEM_TEXTS:
            if key in change:
                setattr(item, key, (change[key] or "").strip())
        item.save()
    return issue


@transaction.atomic
def send_issue(*, public_id: str, author) -> NewsletterIssue:
    """Send a draft to the newsletter's subscribers (a background job) and publish its page; an issue is sent once."""
    issue = _draft(public_id, author)
    if not issue.items.exists():
        raise InvalidInput([FieldError("items", gettext_noop("add at least one item before sending"))])
    issue.status, issue.sent_at = NewsletterIssue.Status.SENT, timezone.now()
    issue.recipients = subscriber_count(Target("newsletter"))  # the job sets how many it queued
    issue.save(update_fields=["status", "sent_at", "recipients"])
    transaction.on_commit(lambda: send_newsletter.enqueue(issue_id=issue.public_id))
    return issue
