"""Pages of the knowledge commons: projects (list, map, page, form), documents (search, page, file, upload), the directory
of platforms, expertise with "ask for help", and the counts of needs."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from foodcommons.collaboration.services import Forbidden
from foodcommons.core import ratelimit
from foodcommons.core.problems import InvalidInput
from foodcommons.knowledge import selectors, services
from foodcommons.knowledge.domain.files import ACCEPTED
from foodcommons.knowledge.forms import AnswerForm, DocumentForm, ExchangeForm, HelpForm, ProjectForm, VersionForm
from foodcommons.knowledge.models import Document, ExpertiseOffer
from foodcommons.subscriptions.domain.digest import Target
from foodcommons.subscriptions.selectors import subscriber_count
from foodcommons.territories.models import Territory


def show_field_errors(form, problem: InvalidInput) -> None:
    """Put the service's reasons on the form in the page's language (they are marked for translation in services)."""
    for error in problem.errors:
        form.add_error(error.field if error.field in form.fields else None, gettext(error.reason))


def _territory(request) -> Territory | None:
    code = request.GET.get("territory", "").strip()
    return Territory.objects.filter(code=code).defer("geometry").first() if code else None


def _filter_territories():
    return Territory.objects.exclude(level="commune").defer("geometry").order_by("code")


def index(request):
    """The knowledge commons: projects, documents, the directory of platforms and the catalogue of expertise."""
    return render(request, "knowledge/index.html", {
        "projects": len(selectors.projects()), "documents": len(selectors.documents()), "platforms": len(selectors.platforms()),
        "offers": len(selectors.offers()), "work_streams": selectors.work_streams(),
    })


def project_list(request):
    """Projects, filtered by territory (sub-territories included), work stream and words; or those "near me"."""
    territory, stream, query = _territory(request), request.GET.get("work_stream", "").strip(), request.GET.get("q", "").strip()
    near = request.GET.get("near") == "1" and territory is not None
    if near:
        found = selectors.projects_near(territory=territory.code, work_stream=stream)
    else:
        found = selectors.projects(territory=territory.code if territory else None, work_stream=stream or None, query=query)
    return render(request, "knowledge/projects.html", {
        "projects": found, "territory": territory, "territories": _filter_territories(), "work_streams": selectors.work_streams(),
        "work_stream": stream, "query": query, "near": near, "may_create": bool(selectors.editable_organisations(request.user)),
    })


def project_map(request):
    """The projects on a map, by province (and the Brussels region)."""
    areas = selectors.projects_by_territory()
    return render(request, "knowledge/project_map.html", {
        "areas": areas, "areas_json": json.dumps(areas, ensure_ascii=False).replace("</", "<\\/"),
        "tile_url": settings.FOODCOMMONS_TILE_URL, "tile_attribution": settings.FOODCOMMONS_TILE_ATTRIBUTION,
    })


def project_page(request, public_id):
    """One project: who, where, work streams, its places, documents, events and public contacts; projects near it."""
    project = selectors.project(public_id)
    return render(request, "knowledge/project.html", {
        "project": project, "contacts": selectors.public_contacts(project), "nearby": selectors.nearby_projects(project),
        "exchanges": selectors.exchanges(project=project),
        "may_manage": selectors.may_manage(request.user, project.organisations.all()),
    })


def _project_data(form) -> dict:
    return dict(form.cleaned_data)


@login_required
def new_project(request):
    """Create a project, for editors of an organisation."""
    organisations = selectors.editable_organisations(request.user)
    if not organisations:
        raise Forbidden("Only the editors of an organisation may publish its projects.")
    form = ProjectForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(data=_project_data(form), author=request.user)
        except InvalidInput as problem:
            show_field_errors(form, problem)
        else:
            return redirect("knowledge:project", public_id=project.public_id)
    return render(request, "knowledge/project_form.html", {"form": form, "creating": True}, status=400 if form.errors else 200)


@login_required
def edit_project(request, public_id):
    """Edit a project, for the editors of an organisation carrying it."""
    project = selectors.project(public_id)
    if not selectors.may_manage(request.user, project.organisations.all()):
        raise Forbidden("Only the editors of the organisations carrying it may edit this project.")
    organisations = list({o.pk: o for o in [*selectors.editable_organisations(request.user), *project.organisations.all()]}.values())
    form = ProjectForm(request.POST or None, organisations=organisations, initial=ProjectForm.initial_of(project))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_project(public_id=public_id, data=_project_data(form), author=request.user)
        except InvalidInput as problem:
            show_field_errors(form, problem)
        else:
            return redirect("knowledge:project", public_id=public_id)
    return render(request, "knowledge/project_form.html", {"form": form, "project": project}, status=400 if form.errors else 200)


def document_list(request):
    """The document library: words found in the documents themselves, kind, territory and work stream."""
    territory, query = _territory(request), request.GET.get("q", "").strip()
    kind, stream = request.GET.get("kind", "").strip(), request.GET.get("work_stream", "").strip()
    found = selectors.documents(query=query, kind=kind or None, territory=territory.code if territory else None, work_stream=stream or None)
    return render(request, "knowledge/documents.html", {
        "documents": found, "query": query, "kind": kind, "kinds": Document.Kind.choices, "territory": territory,
        "territories": _filter_territories(), "work_streams": selectors.work_streams(), "work_stream": stream,
        "may_create": bool(selectors.editable_organisations(request.user)),
    })


def document_page(request, public_id):
    """One document: its metadata, its current file and earlier versions, or its link."""
    document = selectors.document(public_id)
    return render(request, "knowledge/document.html", {
        "document": document, "current": selectors.current_version(document), "versions": list(document.versions.all()),
        "may_manage": selectors.may_manage(request.user, [document.organisation]), "version_form": VersionForm(),
    })


def document_file(request, public_id, number):
    """A version's file: inline only for PDF and images, as an attachment otherwise; never sniffed, sandboxed."""
    version = selectors.version(selectors.document(public_id), number)
    kind = ACCEPTED.get(version.media_type)
    inline = bool(kind and kind.inline)
    response = FileResponse(version.file.open("rb"), content_type=version.media_type if kind else "application/octet-stream",
                            as_attachment=not inline, filename=version.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


def document_preview(request, public_id, number):
    """The preview PNG of a version (first page of a PDF, thumbnail of an image), or 404 while it is not made."""
    version = selectors.version(selectors.document(public_id), number)
    if not version.preview:
        raise Http404("no preview")
    response = FileResponse(version.preview.open("rb"), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _upload(form) -> tuple[str, bytes] | None:
    upload = form.cleaned_data.get("file")
    return (upload.name, upload.read()) if upload else None


def _too_large(form) -> bool:
    """Refuse a file by its declared size, before reading it into memory (the service checks the bytes again)."""
    upload = form.cleaned_data.get("file")
    if upload and upload.size > settings.FOODCOMMONS_DOCUMENT_MAX_BYTES:
        form.add_error("file", gettext(services.REFUSALS["too-large"]))
        return True
    return False


@login_required
def new_document(request):
    """Publish a document (a file or a link), for editors of an organisation."""
    organisations = selectors.editable_organisations(request.user)
    if not organisations:
        raise Forbidden("Only the editors of an organisation may publish its documents.")
    form = DocumentForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid() and not _too_large(form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "file"}
        try:
            document = services.create_document(data=data, upload=_upload(form), author=request.user)
        except InvalidInput as problem:
            show_field_errors(form, problem)
        else:
            return redirect("knowledge:document", public_id=document.public_id)
    return render(request, "knowledge/document_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def new_version(request, public_id):
    """Add a new version of a document's file, for its editors."""
    document = selectors.document(public_id)
    if not selectors.may_manage(request.user, [document.organisation]):
        raise Forbidden("Only the editors of its organisation may add a version of this document.")
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid() and not _too_large(form):
        try:
            services.add_document_version(public_id=public_id, filename=form.cleaned_data["file"].name, data=form.cleaned_data["file"].read(),
                                          note=form.cleaned_data["note"], author=request.user)
        except InvalidInput as problem:
            show_field_errors(form, problem)
        else:
            return redirect("knowledge:document", public_id=public_id)
    document = selectors.document(public_id)
    return render(request, "knowledge/document.html", {
        "document": document, "current": selectors.current_version(document), "versions": list(document.versions.all()),
        "may_manage": True, "version_form": form,
    }, status=400)


def directory(request):
    """The directory of existing databases and platforms for local supply and food."""
    return render(request, "knowledge/directory.html", {"platforms": selectors.platforms()})


def offer_list(request):
    """The catalogue of expertise and facilitator services, searchable by need and territory."""
    territory, need, query = _territory(request), request.GET.get("need", "").strip(), request.GET.get("q", "").strip()
    found = selectors.offers(need=need or None, territory=territory.code if territory else None, query=query)
    return render(request, "knowledge/offers.html", {
        "offers": found, "needs": ExpertiseOffer.Need.choices, "need": need, "territory": territory, "territories": _filter_territories(),
        "query": query,
    })


def offer_page(request, public_id):
    """One offer of expertise, with the form that asks the facilitator for help."""
    offer = selectors.offer(public_id)
    form = HelpForm(initial={"need": (offer.needs or [""])[0]})
    return render(request, "knowledge/offer.html", {"offer": offer, "form": form})


@require_POST
def ask_for_help(request, public_id):
    """Send a request for help to the facilitator by e-mail; only the need and the territory are counted."""
    offer = selectors.offer(public_id)
    form = HelpForm(request.POST)
    if form.is_valid():
        ratelimit.check(scope="knowledge-help", key=ratelimit.client_address(request))
        data = form.cleaned_data
        try:
            services.ask_for_help(offer_id=public_id, need=data["need"], territory=data["territory"].code if data["territory"] else "",
                                  message=data["message"], email=data["email"], name=data["name"], project=data["project"])
        except InvalidInput as problem:
            show_field_errors(form, problem)
        else:
            return render(request, "knowledge/asked.html", {"offer": offer})
    return render(request, "knowledge/offer.html", {"offer": offer, "form": form}, status=400)


def need_counts(request):
    """The anonymous counts of the needs expressed, by kind and territory."""
    counts = selectors.need_counts()
    return render(request, "knowledge/needs.html", {"counts": counts, "total": sum(c["count"] for c in counts)})


def exchange_list(request):
    """Questions and needs posted by the projects, by territory and work stream."""
    territory, stream = _territory(request), request.GET.get("work_stream", "").strip()
    found = selectors.exchanges(territory=territory.code if territory else None, work_stream=stream or None)
    return render(request, "knowledge/exchanges.html", {
        "exchanges": found, "territory": territory, "territories": _filter_territories(), "work_streams": selectors.work_streams(),
        "work_stream": stream, "may_create": bool(selectors.editable_organisations(request.user)),
    })


@login_required
def new_exchange(request):
    """Post a question or a need, for the editors of an organisation."""
    organisations = selectors.editable_organisations(request.user)
    if not organisations:
        raise Forbidden("Only the editors of an organisation may post its questions and needs.")
    form = ExchangeForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            exchange = services.post_exchange(data=form.cleaned_data, author=request.user)
        except InvalidInput as problem:
            show_field_errors(form, problem)
        else:
            return redirect("knowledge:exchange", public_id=exchange.public_id)
    return render(request, "knowledge/exchange_form.html", {"form": form}, status=400 if form.errors else 200)


def _exchange_page(request, exchange, form, status=200):
    return render(request, "knowledge/exchange.html", {
        "exchange": exchange, "answers": selectors.visible_answers(exchange, request.user), "form": form,
    }, status=status)


def exchange_page(request, public_id):
    """A question or a need with its answers (private ones only for the askers and their author) and the answer form."""
    return _exchange_page(request, selectors.exchange(public_id), AnswerForm())


@login_required
@require_POST
def answer(request, public_id):
    """Answer a question or a need (signed in)."""
    exchange = selectors.exchange(public_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_exchange(public_id=public_id, author=request.user, body=form.cleaned_data["body"], is_private=form.cleaned_data["is_private"])
        except InvalidInput as problem:
            show_field_errors(form, problem)
        else:
            return redirect("knowledge:exchange", public_id=public_id)
    return _exchange_page(request, exchange, form, status=400)


def newsletter(request):
    """The newsletter: its past issues, the subscribe button, and for editors their drafts and "compose an issue"."""
    organisations = selectors.editable_organisations(request.user)
    return render(request, "knowledge/newsletter.html", {
        "issues": selectors.sent_issues(), "drafts": selectors.draft_issues(request.user) if organisations else [], "organisations": organisations,
    })


@login_required
@require_POST
def new_issue(request):
    """Start a draft of the newsletter for one of the editor's organisations."""
    organisation = next((o for o in selectors.editable_organisations(request.user) if str(o.pk) == request.POST.get("organisation")), None)
    if organisation is None:
        raise Forbidden("Only the editors of an organisation may compose the newsletter.")
    issue = services.create_issue(organisation=organisation, author=request.user)
    return redirect("knowledge:edit-issue", public_id=issue.public_id)


def issue_page(request, public_id):
    """A past issue of the newsletter, in the visitor's language (a draft: only for its editors)."""
    issue = selectors.issue(public_id, user=request.user)
    return render(request, "knowledge/issue.html", {"issue": issue, "may_manage": selectors.may_manage(request.user, [issue.organisation])})


def _issue_data(post) -> dict:
    data = {key: post.get(key, "") for key in services.NEWSLETTER_TEXTS}
    ids = {int(name.split("-")[1]) for name in post if name.startswith("item-") and name.split("-")[1].isdigit()}
    data["items"] = [{"id": pk, "remove": bool(post.get(f"item-{pk}-remove")),
                      **{key: post.get(f"item-{pk}-{key}", "") for key in services.ITEM_TEXTS}} for pk in sorted(ids)]
    return data


@login_required
def edit_issue(request, public_id):
    """Compose a draft: its words in FR/NL/EN, and what is new to add with one click per item."""
    issue = selectors.issue(public_id, user=request.user)
    if not selectors.may_manage(request.user, [issue.organisation]) or issue.status != issue.Status.DRAFT:
        raise Forbidden("Only the editors of its organisation may compose a draft.")
    errors = []
    if request.method == "POST":
        try:
            services.update_issue(public_id=public_id, data=_issue_data(request.POST), author=request.user)
        except InvalidInput as problem:
            errors = [gettext(e.reason) for e in problem.errors]
        else:
            if request.POST.get("then") == "send":
                services.send_issue(public_id=public_id, author=request.user)
                return redirect("knowledge:newsletter-issue", public_id=public_id)
            return redirect("knowledge:edit-issue", public_id=public_id)
        issue = selectors.issue(public_id, user=request.user)
    return render(request, "knowledge/issue_form.html", {
        "issue": issue, "items": list(issue.items.all()), "candidates": selectors.newsletter_candidates(issue), "errors": errors,
        "subscribers": subscriber_count(Target("newsletter")),
    }, status=400 if errors else 200)


@login_required
@require_POST
def add_issue_item(request, public_id):
    """Add one new item to a draft (one click), then back to the draft at its items."""
    services.add_newsletter_item(public_id=public_id, kind=request.POST.get("kind", ""), ref=request.POST.get("ref", ""), author=request.user)
    return redirect(f"{reverse('knowledge:edit-issue', args=[public_id])}#items")
