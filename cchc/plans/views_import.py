"""Import a plan document: upload → review side by side with the text → save as a draft.

Nothing of the plan is written to the database before the person confirms. The upload is read
by a background job (cchc/plans/jobs.py; its page shows the progress); what it found — the
parsed structure, the review (confidence, warnings, order) and the document's text — is taken
into the session by `plan_import_job`, and the review works from there.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.core.collation import vi
from cchc.core.errors import ServiceError
from cchc.core.text import fold
from cchc.jobs.models import Job, JobState
from cchc.jobs.selectors import job_get
from cchc.jobs.services import job_start
from cchc.orgs.access import Access
from cchc.orgs.http import AuthedRequest
from cchc.orgs.models import Unit
from cchc.orgs.resolve import UnitResolver

from . import import_display as display
from . import selectors
from .forms_import import MetadataForm, TargetFormSet, TaskFormSet, UploadForm
from .importer import StructuredPlan
from .importer.save import plan_import_save
from .jobs import IMPORT
from .models import PlanStatus

SESSION_KEY = "plan_import"


def _require_coordinator(request: AuthedRequest):
    access = Access.for_user(request.user)
    issuers = access.managed_units().current()
    if not issuers.exists():
        raise PermissionDenied("Chỉ cán bộ điều phối CCHC được nhập kế hoạch.")
    return access, issuers


def locate(text: str, folded_lines: list[str]) -> int | None:
    """The first line (1-based) where the text (or its beginning) is printed, for the
    side-by-side view."""
    key = " ".join(fold(text).split())
    for size in (40, 25, 14):
        snippet = key[:size]
        if len(snippet) < 8:
            break
        for i, line in enumerate(folded_lines):
            if snippet in line:
                return i + 1
    return None


@require_GET
def plan_import_job(request: AuthedRequest, pk: uuid.UUID):
    """Take up what the reading job found: its owner's review starts from it."""
    _require_coordinator(request)
    try:
        job = job_get(user=request.user, pk=pk)
    except Job.DoesNotExist as exc:
        raise Http404 from exc
    if job.kind != IMPORT:
        raise Http404
    if job.owner_id != request.user.pk:
        raise PermissionDenied("Chỉ người đã tải văn bản lên được rà soát kết quả đọc.")
    if job.state != JobState.SUCCEEDED or not job.result:
        return redirect("jobs:detail", pk=job.pk)
    return _adopt(request, job)


def _adopt(request: AuthedRequest, job: Job):
    request.session[SESSION_KEY] = {
        "filename": job.params["filename"],
        "issuer_id": job.params["issuer_id"],
        "parent_id": job.params.get("parent_id"),
        **(job.result or {}),  # lines, structured, review
    }
    return redirect("plans:import_review")


@require_http_methods(["GET", "POST"])
def plan_import_upload(request: AuthedRequest):
    _access, issuers = _require_coordinator(request)
    parents = selectors.plan_list(user=request.user).exclude(status=PlanStatus.DRAFT)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        issuers=issuers,
        parents=parents,
        initial={"issuer": issuers.order_by("depth", vi("name")).first()},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        issuer = form.cleaned_data["issuer"]
        job = job_start(
            actor=request.user,
            kind=IMPORT,
            label=f"Đọc văn bản kế hoạch “{upload.name}”",
            unit=issuer,
            params={
                "filename": upload.name,
                "issuer_id": issuer.pk,
                "parent_id": form.cleaned_data["parent"].pk if form.cleaned_data["parent"] else None,
                "back_url": reverse("plans:import"),
            },
            upload=upload,
        )
        if job.state == JobState.FAILED and job.attempts <= 1:  # read at once and refused: say so here
            form.add_error("file", job.message)
        elif job.state == JobState.SUCCEEDED:  # read already (a small file, or the tests' immediate mode)
            return _adopt(request, job)
        else:
            return redirect("jobs:detail", pk=job.pk)
    return render(request, "plans/import_upload.html", {"form": form})


def _initial(structured: StructuredPlan, lines: list[str], review: dict, issuer: Unit):
    folded = [" ".join(fold(line).split()) for line in lines]
    period = structured.get("period") or {}
    year = timezone.localdate().year
    from_year, to_year = (
        period.get("from_year") or year,
        period.get("to_year") or period.get("from_year") or year,
    )
    title = structured.get("title") or (
        f"Kế hoạch cải cách hành chính năm {from_year} của {issuer.body_name}"
        if from_year == to_year
        else f"Kế hoạch cải cách hành chính giai đoạn {from_year}–{to_year} của {issuer.body_name}"
    )
    issued = structured.get("issued_date")
    metadata = {
        "title": title,
        "number": structured.get("number") or "",
        "kind": structured.get("kind") or "annual",
        "issued_on": dt.date.fromisoformat(issued) if issued else None,
        "from_year": from_year,
        "to_year": to_year,
    }
    targets = [
        {
            "include": True,
            "text": t["text"],
            "area": t.get("area") or "",
            "comparator": t["comparator"],
            "value": t["value"],
            "unit": t.get("unit") or "",
            "year": t.get("year"),
            "reduction": bool(t.get("reduction")),
            "section": t.get("section") or "",
            "line": locate(t["text"], folded),
        }
        for t in structured.get("targets", [])
    ]
    tasks = [
        {
            "include": True,
            "stt": t.get("stt") or "",
            "area": t.get("area") or "",
            "content": t["content"],
            "output": t.get("output") or "",
            "lead": "; ".join(t.get("lead") or []),
            "coordinating": "; ".join(t.get("coordinating") or []),
            "deadline": t.get("deadline") or "",
            "group": t.get("group") or "",
            "note": t.get("note") or "",
            "line": found["lines"][0] if found["lines"] else None,
        }
        for t, found in zip(structured.get("tasks", []), review["tasks"], strict=True)
    ]
    return metadata, targets, tasks


def _split(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split(";") if p.strip()]


def _resolution_preview(resolver: UnitResolver, task_forms) -> list[dict]:
    """For each task row: how its lead bodies resolve (shown next to the row)."""
    preview = []
    for form in task_forms:
        lead = form["lead"].value() or ""
        results = resolver.resolve_many(_split(lead))
        units = {u.pk for r in results for u in r.units}
        preview.append(
            {
                "count": len(units),
                "unresolved": [r.phrase for r in results if r.how == "unresolved"],
                "fuzzy": [r.note for r in results if r.how == "fuzzy"],
                "notes": [r.note for r in results if r.how in ("group", "historical") and r.note],
            }
        )
    return preview


@require_http_methods(["GET", "POST"])
def plan_import_review(request: AuthedRequest):
    _access, issuers = _require_coordinator(request)
    state = request.session.get(SESSION_KEY)
    if not state or "review" not in state:  # none, or one read before the review was kept
        messages.info(request, "Chưa có văn bản nào đang chờ rà soát; hãy tải văn bản lên.")
        return redirect("plans:import")
    issuer = issuers.filter(pk=state["issuer_id"]).first()
    if issuer is None:
        raise PermissionDenied("Bạn không còn quyền quản lý cơ quan ban hành đã chọn.")
    review = state["review"]
    metadata, targets, tasks = _initial(state["structured"], state["lines"], review, issuer)
    # nothing was read: there is nothing to save, and the page says so instead of offering it
    empty = not tasks and not targets
    if request.method == "POST":
        meta_form = MetadataForm(request.POST, prefix="meta")
        target_forms = TargetFormSet(request.POST, prefix="target")
        task_forms = TaskFormSet(request.POST, prefix="task")
    else:
        meta_form = MetadataForm(initial=metadata, prefix="meta")
        target_forms = TargetFormSet(initial=targets, prefix="target")
        task_forms = TaskFormSet(initial=tasks, prefix="task")

    if request.method == "POST" and empty:
        meta_form.is_valid()
        meta_form.add_error(None, "Không có nhiệm vụ hay chỉ tiêu nào để lưu.")
    elif (
        request.method == "POST"
        and meta_form.is_valid()
        and target_forms.is_valid()
        and task_forms.is_valid()
    ):
        m = meta_form.cleaned_data
        parsed: StructuredPlan = state["structured"]
        structured: StructuredPlan = {
            **parsed,
            "number": m["number"] or None,
            "issued_date": m["issued_on"].isoformat() if m["issued_on"] else None,
            "period": {"from_year": m["from_year"], "to_year": m["to_year"]},
            "kind": m["kind"],
            "title": m["title"],
            "targets": [
                {
                    "text": f["text"],
                    "area": f["area"] or None,
                    "comparator": f["comparator"],
                    "value": float(f["value"]),
                    "unit": f["unit"],
                    "year": f["year"],
                    "reduction": f["reduction"],
                    "section": f["section"],
                }
                for f in (form.cleaned_data for form in target_forms)
                if f.get("include")
            ],
            "tasks": [
                {
                    "stt": f["stt"],
                    "group": f["group"],
                    "area": f["area"],
                    "content": f["content"],
                    "output": f["output"] or None,
                    "lead": _split(f["lead"]),
                    "coordinating": _split(f["coordinating"]),
                    "deadline": f["deadline"],
                    "note": f["note"] or None,
                    "target": None,
                }
                for f in (form.cleaned_data for form in task_forms)
                if f.get("include")
            ],
        }
        parent = (
            selectors.plan_list(user=request.user).filter(pk=state.get("parent_id")).first()
            if state.get("parent_id")
            else None
        )
        try:
            plan, warnings = plan_import_save(
                actor=request.user, issuer=issuer, structured=structured, parent=parent, title=m["title"]
            )
        except ServiceError as exc:
            meta_form.add_error(None, exc.messages)
        else:
            del request.session[SESSION_KEY]
            messages.success(
                request,
                f"Đã lưu dự thảo kế hoạch với {len(structured['targets'])} chỉ tiêu và {len(structured['tasks'])} nhiệm vụ từ “{state['filename']}”.",
            )
            for w in warnings:
                messages.warning(request, w)
            return redirect("plans:detail", pk=plan.pk)

    resolver = UnitResolver(issuer.province() or issuer)
    forms = task_forms.forms
    document_order = request.GET.get(display.ORDER_PARAM) == display.DOCUMENT_ORDER
    rows = list(
        zip(forms, _resolution_preview(resolver, forms), display.task_notes(review, len(forms)), strict=True)
    )
    return render(
        request,
        "plans/import_review.html",
        {
            "state": state,
            "issuer": issuer,
            "meta_form": meta_form,
            "target_forms": target_forms,
            "task_rows": [rows[i] for i in display.display_order(review, len(forms), document_order)],
            "task_forms": task_forms,
            "document_order": document_order,
            "order_param": display.ORDER_PARAM,
            "document_order_value": display.DOCUMENT_ORDER,
            "warnings": display.warnings_shown(review),
            "source": display.source_panel(state["lines"], review),
            "empty": empty,
        },
    )


@require_POST
def plan_import_cancel(request: AuthedRequest):
    request.session.pop(SESSION_KEY, None)
    messages.info(request, "Đã hủy nhập văn bản; không có gì được lưu.")
    return redirect("plans:list")
