"""Pages of imports for an organisation's editors and staff: start an import, follow its progress, read, apply or revert it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from foodcommons.core import spreadsheet
from foodcommons.core.form_errors import show_field_errors
from foodcommons.core.problems import FieldError, InvalidInput, Problem
from foodcommons.imports import access, jobs, selectors
from foodcommons.imports.forms import ImportForm
from foodcommons.imports.models import ImportRun, Source
from foodcommons.imports.services import review as review_services
from foodcommons.imports.services import runs
from foodcommons.imports.templatetags.import_reasons import notice_field, notice_text

COUNTS = ("records", "created", "updated", "merged", "review", "flagged", "unchanged", "skipped", "to_locate", "errors")


def _forbidden(request, detail: str = "") -> Problem:
    return Problem(status=403, title=_("You may not import into this source."), detail=detail)


def _form(request, data=None, files=None) -> ImportForm:
    return ImportForm(data, files, sources=access.importable_sources(user=request.user),
                      organisations=access.importing_organisations(user=request.user), staff=access.is_platform_staff(request.user))


@login_required
def index(request):
    """The sources the user may import into, their recent runs, and the import form."""
    if not access.may_import_somewhere(user=request.user):
        raise _forbidden(request, _("Imports are for the editors of an organisation and for staff."))
    if request.method == "POST" and _declared_length(request) > jobs.max_bytes() + 1024 * 1024:
        # Refused before reading the body, so that a huge upload costs nothing.
        return _page(request, _form(request), status=413, error=_("The file is larger than %(size)s MB.") % {"size": jobs.max_bytes() // (1024 * 1024)})
    form = _form(request, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = _start(request, form)
        except InvalidInput as problem:
            show_field_errors(form, problem)
        else:
            return redirect("imports:job", job["id"])
    return _page(request, form, status=400 if form.is_bound and form.errors else 200)


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _page(request, form, *, status: int, error: str = ""):
    sources = access.importable_sources(user=request.user)
    return render(request, "imports/index.html", {"form": form, "sources": sources, "runs": access.recent_runs(sources=sources),
                                                  "error": error, "max_mb": jobs.max_bytes() // (1024 * 1024)}, status=status)


def _start(request, form: ImportForm) -> dict:
    data = form.cleaned_data
    source = form.sources.get(data["source"]) if data["source"] else None
    if data["source"] and (source is None or not access.may_import(user=request.user, source=source)):
        raise InvalidInput([FieldError("source", _("You may not import into this source."))])
    new_source = None if source else {"slug": form.new_slug(), "name": data["new_name"].strip(), "licence": data["new_licence"],
                                      "attribution": data["new_attribution"].strip(), "organisation": data["new_organisation"]}
    return jobs.submit_import(source=source, new_source=new_source, upload=data["file"], url=data["url"], file_format=data["format"],
                              dry_run=data["dry_run"], field_mapping=data["field_mapping"], default_category=data["default_category"],
                              author=request.user)


def _job_or_404(request, job_id: str) -> tuple[dict, Source]:
    job = jobs.job_state(job_id)
    source = Source.objects.filter(slug=job["source"]).first() if job else None
    if source is None:
        raise Http404("no such import")
    return job, source


@login_required
@require_safe
def job(request, job_id: str):
    """The progress of an import (refreshed by the page's script, or by the page itself without JavaScript)."""
    found, source = _job_or_404(request, job_id)
    if not access.may_import(user=request.user, source=source):
        raise _forbidden(request)
    if found["status"] == "done":
        return redirect("imports:run", found["run"])
    return render(request, "imports/job.html", {"job": found, "source": source}, status=422 if found["status"] == "failed" else 200)


@login_required
@require_safe
def job_status(request, job_id: str):
    """The state of an import as JSON, for the progress page's script."""
    found, source = _job_or_404(request, job_id)
    if not access.may_import(user=request.user, source=source):
        return JsonResponse({"detail": "forbidden"}, status=403)
    report = reverse("imports:run", args=[found["run"]]) if found["run"] else None
    return JsonResponse({key: found[key] for key in ("status", "stage", "done", "total", "errors", "dry_run")} | {"report": report},
                        headers={"Cache-Control": "no-store"})


def _run_or_404(request, run_id: int) -> ImportRun:
    run = ImportRun.objects.select_related("source", "author").filter(pk=run_id).first()
    if run is None:
        raise Http404("no such run")
    return run


@login_required
@require_safe
def run(request, run_id: int):
    """The report of a run: counts, decisions worth a look, per-row errors; apply a dry run, revert a finished run."""
    found = _run_or_404(request, run_id)
    if not access.may_import(user=request.user, source=found.source):
        raise _forbidden(request)
    kept = jobs.job_of_run(found.pk)
    return render(request, "imports/run.html", {
        "run": found, "counts": [(key, found.counts.get(key, 0)) for key in COUNTS],
        "decisions": [d for d in found.decisions if d["action"] in ("merged", "review", "flagged")][:500],
        "errors": found.errors[:1000], "more_errors": max(0, len(found.errors) - 1000),
        "notices": found.notices[:1000], "more_notices": max(0, len(found.notices) - 1000),
        "can_apply": found.status == ImportRun.Status.DRY_RUN and kept is not None and jobs.upload_exists(kept),
        "pending_review": len(access.run_candidates(run=found)),
    })


@login_required
@require_safe
def problems(request, run_id: int):
    """The rows of a run that had an error or a notice, in the source's own columns plus what is wrong, as CSV."""
    found = _run_or_404(request, run_id)
    if not access.may_import(user=request.user, source=found.source):
        raise _forbidden(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.source.slug}-run-{found.pk}-problems.csv"'
    response.write("\ufeff")  # so that spreadsheets open the UTF-8 accents right
    columns, rows = selectors.problems_table(found, describe=_problem_text)
    writer = spreadsheet.writer(response)
    writer.writerow([*columns, _("Row"), _("Problems")])
    writer.writerows(rows)
    return response


def _problem_text(item: dict) -> str:
    if "code" in item:
        return f"{notice_field(item['field'])}: {notice_text(item['code'])}" + (f" ({item['fix']})" if item.get("fix") else "")
    return f"{item['field']}: {item['reason']}"


@login_required
@require_POST
def apply_run(request, run_id: int):
    """Run a dry run's file for real."""
    found = _run_or_404(request, run_id)
    if not access.may_import(user=request.user, source=found.source):
        raise _forbidden(request)
    try:
        started = jobs.run_for_real(run=found, author=request.user)
    except InvalidInput as problem:
        messages.error(request, problem.errors[0].reason)
        return redirect("imports:run", run_id)
    return redirect("imports:job", started["id"])


@login_required
@require_POST
def revert_run(request, run_id: int):
    """Undo a whole finished run."""
    found = _run_or_404(request, run_id)
    if not access.may_import(user=request.user, source=found.source):
        raise _forbidden(request)
    if request.POST.get("confirmed") != "1":
        return render(request, "web/confirm_action.html", {
            "question": _("Undo import run %(run)s of %(source)s?") % {"run": found.pk, "source": found.source.name},
            "explanation": _("Places it created are removed; places it changed go back to their version before it."),
            "action": request.path, "button": _("Yes, undo the import"), "cancel": reverse("imports:run", args=[run_id]), "fields": [],
        })
    try:
        runs.revert_run(run_id=found.pk, author=request.user)
    except InvalidInput as problem:
        messages.error(request, problem.errors[0].reason)
    else:
        messages.success(request, _("The run is reverted."))
    return redirect("imports:run", run_id)


@login_required
def review(request, run_id: int):
    """The possible duplicates a run sent to review; staff and the editors of the list's organisation decide them."""
    found = _run_or_404(request, run_id)
    if not access.may_import(user=request.user, source=found.source):
        raise _forbidden(request)
    can_decide = access.may_review_source(user=request.user, source=found.source)
    if request.method == "POST":
        if not can_decide:
            raise _forbidden(request, _("Only platform staff and the editors of the organisation that keeps this list decide on its duplicates."))
        _decide(request, run=found)
        return redirect("imports:review", run_id)
    context = {"run": found, "pairs": selectors.side_by_side(access.run_candidates(run=found)[:200]), "can_decide": can_decide,
               "tile_url": settings.FOODCOMMONS_TILE_URL, "tile_attribution": settings.FOODCOMMONS_TILE_ATTRIBUTION}
    return render(request, "imports/review.html", context)


def _decide(request, *, run) -> None:
    try:
        candidate_id = int(request.POST.get("candidate", ""))
        if not run.candidates.filter(pk=candidate_id).exists():  # a pair of this run only: its source is the one checked
            raise ValueError(candidate_id)
        if request.POST.get("decision") == "keep_apart":
            review_services.keep_apart(candidate_id=candidate_id, author=request.user)
        else:
            keep = request.POST.get("keep", "a")
            # Each differing field says which place's value to keep ("a" or "b"); those of the other place are taken over.
            take = [name.removeprefix("field:") for name, side in request.POST.items() if name.startswith("field:") and side in ("a", "b") and side != keep]
            review_services.merge_candidate(candidate_id=candidate_id, keep=keep, author=request.user, take_from_other=take)
    except Problem as problem:
        messages.error(request, problem.detail or problem.title)
    except ValueError:
        messages.error(request, _("Invalid input"))
