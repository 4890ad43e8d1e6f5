"""Pages of inspections: the index (plans, my inspections, overdue count), a plan (checklist,
inspections), an inspection (team, results, findings, conclusion), a finding (remediation), the
list of findings (overdue by default), the conclusion notice and evidence downloads. Every write
goes through `services` (which checks who may do it); pages only hide what a user cannot do."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cchc.core.documents import DocumentError
from cchc.core.errors import ServiceError
from cchc.core.numbers import format_count as _n
from cchc.core.params import int_param
from cchc.core.widgets import DATE_INPUT_FORMATS
from cchc.orgs.access import Access
from cchc.orgs.http import AuthedRequest
from cchc.orgs.models import Unit, User
from cchc.plans.models import ReformArea

from . import exports, reminders, selectors, services
from .models import (
    ChecklistItem,
    Finding,
    Inspection,
    InspectionPlan,
    ItemResult,
    Kind,
    Mode,
    TeamRole,
    Verdict,
)
from .permissions import (
    can_conclude,
    can_conduct,
    can_read_plan,
    can_report,
    is_manager,
    sees_work_in_progress,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report(request, exc: ServiceError) -> None:
    found = exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]
    for msgs in found:
        for message in msgs:
            messages.error(request, message)


def _date(raw: str | None, label: str) -> dt.date:
    """A dd/mm/yyyy date from a form, or a refusal naming the field."""
    text = (raw or "").strip()
    for fmt in DATE_INPUT_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ServiceError(
        {label: f"{label}: nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/11/2026."}, code="inspection_invalid"
    )


def _optional_date(raw: str | None, label: str) -> dt.date | None:
    return _date(raw, label) if (raw or "").strip() else None


# --- index and plans -------------------------------------------------------------------------


@require_GET
def index(request: AuthedRequest):
    access = Access.for_user(request.user)
    today = timezone.localdate()
    managed = [u for u in access.managed_units().current().order_by("depth", "path")[:50]]
    return render(
        request,
        "inspections/index.html",
        {
            "plans": selectors.plans_visible(request.user),
            "mine": selectors.my_inspections(request.user)[:50],
            "overdue": selectors.findings_visible(request.user, today=today).count(),
            "managed": managed,
            "year": today.year,
        },
    )


@require_POST
def plan_create(request: AuthedRequest):
    unit = get_object_or_404(Unit, pk=int_param(request.POST, "don_vi", 0))
    try:
        plan = services.plan_create(
            actor=request.user,
            unit=unit,
            year=request.POST.get("nam", ""),
            title=request.POST.get("title", ""),
            number=request.POST.get("number", ""),
            issued_on=_optional_date(request.POST.get("issued_on"), "Ngày ban hành"),
            standard_checklist=request.POST.get("checklist") != "empty",
        )
    except ServiceError as exc:
        _report(request, exc)
        return redirect("inspections:index")
    messages.success(request, "Đã tạo kế hoạch kiểm tra.")
    return redirect("inspections:plan", pk=plan.pk)


@require_GET
def plan_detail(request: AuthedRequest, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    if request.GET.get("xuat") == "xlsx":
        response = HttpResponse(
            exports.register_xlsx(plan, selectors.plan_inspections(plan)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="so-kiem-tra-{plan.year}-{plan.pk}.xlsx"'
        return response
    manager = is_manager(request.user, plan)
    checklist = list(plan.checklist.order_by("position", "id"))
    by_area = [(a.label, [c for c in checklist if c.area == a.value]) for a in ReformArea]
    return render(
        request,
        "inspections/plan.html",
        {
            "plan": plan,
            "manager": manager,
            "inspections": selectors.plan_inspections(plan),
            "checklist": [(label, items) for label, items in by_area if items],
            "areas": ReformArea.choices,
            "kinds": Kind.choices,
            "modes": Mode.choices,
            "units": selectors.inspectable_units(plan) if manager else [],
            "sources": selectors.plans_visible(request.user).exclude(pk=plan.pk) if manager else [],
        },
    )


@require_POST
def plan_action(request: AuthedRequest, pk: int, action: str):
    plan = selectors.plan_get(user=request.user, pk=pk)
    post = request.POST
    try:
        if action == "them-cuoc":
            unit = get_object_or_404(Unit, pk=int_param(post, "don_vi", 0))
            start = _date(post.get("start_date"), "Ngày kiểm tra")
            services.inspection_add(
                actor=request.user,
                plan=plan,
                unit=unit,
                start_date=start,
                end_date=_optional_date(post.get("end_date"), "Ngày kết thúc"),
                kind=post.get("kind", Kind.PLANNED),
                mode=post.get("mode", Mode.ON_SITE),
            )
            messages.success(request, f"Đã thêm cuộc kiểm tra {unit}.")
        elif action == "them-noi-dung":
            services.checklist_item_add(
                actor=request.user, plan=plan, area=post.get("area", ""), content=post.get("content", "")
            )
            messages.success(request, "Đã thêm nội dung kiểm tra.")
        elif action == "xoa-noi-dung":
            item = get_object_or_404(ChecklistItem, pk=int_param(post, "item", 0), plan=plan)
            services.checklist_item_remove(actor=request.user, item=item)
            messages.success(request, "Đã xóa nội dung kiểm tra.")
        elif action == "sao-noi-dung":
            source = get_object_or_404(InspectionPlan, pk=int_param(post, "source", 0))
            n = services.checklist_copy(actor=request.user, plan=plan, source=source)
            messages.success(request, f"Đã sao chép {_n(n)} nội dung kiểm tra từ “{source}”.")
        elif action == "nhac":
            sent, missing = reminders.reminders_send(actor=request.user, plan=plan)
            message = f"Đã gửi thư nhắc tới {sent} đơn vị."
            if missing:
                message += f" {missing} đơn vị chưa có địa chỉ thư điện tử của cán bộ, cần nhắc trực tiếp."
            messages.success(request, message)
        else:
            return HttpResponse("Thao tác không có.", status=404)
    except ServiceError as exc:
        _report(request, exc)
    return redirect("inspections:plan", pk=plan.pk)


# --- an inspection ---------------------------------------------------------------------------


@require_GET
def inspection_detail(request: AuthedRequest, pk: int):
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    sees = sees_work_in_progress(request.user, inspection)
    conducting = inspection.state == Inspection.State.CONDUCTING
    manager = is_manager(request.user, inspection.plan)
    findings = list(selectors.inspection_findings(inspection)) if sees else []
    return render(
        request,
        "inspections/inspection.html",
        {
            "i": inspection,
            "plan": inspection.plan,
            "team": list(inspection.team.all()),
            "sees": sees,
            "manager": manager,
            "conductor": can_conduct(request.user, inspection) and conducting,
            "starter": can_conduct(request.user, inspection) and inspection.state == Inspection.State.PLANNED,
            "plan_reader": can_read_plan(request.user, inspection.plan),
            "concluder": can_conclude(request.user, inspection) and conducting,
            "results": list(selectors.inspection_results(inspection)) if sees else [],
            "findings": findings,
            "reportable": {f.pk for f in findings if can_report(request.user, f)},
            "verdicts": Verdict.choices,
            "roles": TeamRole.choices,
            "modes": Mode.choices,
            "candidates": selectors.team_candidates(inspection.plan) if manager else [],
            "owners": list(
                Unit.objects.current().filter(path__startswith=inspection.unit.path).order_by("path")[:200]
            ),
            "today": timezone.localdate(),
        },
    )


def _team_from(post) -> list[tuple[User, str]]:
    chosen: list[tuple[int, str]] = []
    for role in TeamRole.values:
        chosen += [(int(v), role) for v in post.getlist(role) if v.isdigit() and len(v) < 10]
    users = {u.pk: u for u in User.objects.filter(pk__in=[pk for pk, _ in chosen])}
    return [(users[pk], role) for pk, role in chosen if pk in users]


@require_POST
def inspection_action(request: AuthedRequest, pk: int, action: str):
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    post, user = request.POST, request.user
    try:
        if action == "doan":
            services.team_set(actor=user, inspection=inspection, members=_team_from(post))
            messages.success(request, "Đã ghi thành phần đoàn kiểm tra.")
        elif action == "doi-lich":
            services.inspection_reschedule(
                actor=user,
                inspection=inspection,
                start_date=_date(post.get("start_date"), "Ngày kiểm tra"),
                end_date=_optional_date(post.get("end_date"), "Ngày kết thúc"),
                mode=post.get("mode") or None,
            )
            messages.success(request, "Đã đổi lịch kiểm tra.")
        elif action == "bat-dau":
            services.inspection_start(actor=user, inspection=inspection)
            messages.success(request, "Đã bắt đầu kiểm tra: ghi kết quả từng nội dung.")
        elif action == "ket-qua":
            ids = [int(v) for v in post.getlist("result") if v.isdigit() and len(v) < 10]
            data = {i: (post.get(f"verdict-{i}", ""), post.get(f"note-{i}", "")) for i in ids}
            n = services.results_save(actor=user, inspection=inspection, results=data)
            messages.success(request, f"Đã ghi kết quả {_n(n)} nội dung.")
        elif action == "tai-lieu":
            result = get_object_or_404(ItemResult, pk=int_param(post, "result", 0), inspection=inspection)
            stored = services.result_evidence_add(
                actor=user, result=result, files=request.FILES.getlist("files")
            )
            messages.success(request, f"Đã lưu {_n(len(stored))} tài liệu.")
        elif action == "ton-tai":
            of_item = ItemResult.objects.filter(
                pk=int_param(post, "result", 0), inspection=inspection
            ).first()
            owner = Unit.objects.filter(pk=int_param(post, "owner", 0)).first()
            services.finding_add(
                actor=user,
                inspection=inspection,
                content=post.get("content", ""),
                requirement=post.get("requirement", ""),
                deadline=post.get("deadline", ""),
                owner=owner,
                result=of_item,
            )
            messages.success(request, "Đã ghi tồn tại, hạn chế.")
        elif action == "xoa-ton-tai":
            finding = get_object_or_404(Finding, pk=int_param(post, "finding", 0), inspection=inspection)
            services.finding_remove(actor=user, finding=finding)
            messages.success(request, "Đã xóa tồn tại, hạn chế.")
        elif action == "ket-luan":
            services.inspection_conclude(
                actor=user,
                inspection=inspection,
                summary=post.get("summary", ""),
                number=post.get("number", ""),
                concluded_on=_optional_date(post.get("concluded_on"), "Ngày kết luận"),
            )
            messages.success(request, "Đã kết luận kiểm tra; các tồn tại, hạn chế chuyển sang khắc phục.")
        else:
            return HttpResponse("Thao tác không có.", status=404)
    except ServiceError as exc:
        _report(request, exc)
    return redirect("inspections:inspection", pk=inspection.pk)


@require_GET
def conclusion(request: AuthedRequest, pk: int):
    """The conclusion notice: DOCX (default) or PDF (`?xuat=pdf`), once concluded."""
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    if inspection.state != Inspection.State.CONCLUDED:
        messages.error(request, "Cuộc kiểm tra chưa có kết luận.")
        return redirect("inspections:inspection", pk=inspection.pk)
    docx = exports.conclusion_docx(
        inspection,
        list(selectors.inspection_results(inspection)),
        list(selectors.inspection_findings(inspection)),
        list(inspection.team.all()),
    )
    name = f"thong-bao-ket-luan-kiem-tra-{inspection.pk}"
    if request.GET.get("xuat") == "pdf":
        try:
            data, content_type, name = exports.conclusion_pdf(docx), "application/pdf", f"{name}.pdf"
        except DocumentError as exc:
            messages.error(request, str(exc))
            return redirect("inspections:inspection", pk=inspection.pk)
    else:
        data, content_type, name = docx, DOCX, f"{name}.docx"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def evidence_download(request: AuthedRequest, pk: int):
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- findings and remediation ----------------------------------------------------------------


@require_GET
def findings(request: AuthedRequest):
    status = request.GET.get("trang_thai") or "qua_han"
    if status not in selectors.FILTERS:
        status = "qua_han"
    today = timezone.localdate()
    rows = list(selectors.findings_visible(request.user, today=today, status=status)[:500])
    return render(
        request,
        "inspections/findings.html",
        {"rows": rows, "status": status, "filters": selectors.FILTERS.items(), "today": today},
    )


@require_GET
def finding_detail(request: AuthedRequest, pk: int):
    finding = selectors.finding_get(user=request.user, pk=pk)
    inspection = finding.inspection
    verifier = can_conduct(request.user, inspection) and finding.state == Finding.State.REPORTED
    return render(
        request,
        "inspections/finding.html",
        {
            "f": finding,
            "i": inspection,
            "reporter": can_report(request.user, finding)
            and finding.state in (Finding.State.OPEN, Finding.State.RETURNED),
            "verifier": verifier,
            "today": timezone.localdate(),
        },
    )


@require_POST
def finding_action(request: AuthedRequest, pk: int, action: str):
    finding = selectors.finding_get(user=request.user, pk=pk)
    post = request.POST
    try:
        if action == "bao-cao":
            services.remediation_report(
                actor=request.user,
                finding=finding,
                text_=post.get("text", ""),
                files=request.FILES.getlist("files"),
                reported_on=_optional_date(post.get("reported_on"), "Ngày báo cáo"),
            )
            messages.success(request, "Đã gửi báo cáo khắc phục; chờ đoàn kiểm tra xác nhận.")
        elif action == "chap-nhan":
            services.remediation_accept(actor=request.user, finding=finding, comment=post.get("comment", ""))
            messages.success(request, "Đã xác nhận khắc phục xong.")
        elif action == "tra-lai":
            services.remediation_return(actor=request.user, finding=finding, comment=post.get("comment", ""))
            messages.success(request, "Đã trả lại báo cáo khắc phục.")
        else:
            return HttpResponse("Thao tác không có.", status=404)
    except ServiceError as exc:
        _report(request, exc)
    return redirect("inspections:finding", pk=finding.pk)
