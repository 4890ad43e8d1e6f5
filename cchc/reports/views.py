"""Pages of periodic reports: my reports (open one), a report (edit the narrative, submit,
download), the review queue (accept / return) and the register of who reported. Every write
goes through `services`, which checks who may do it; pages only hide what a user cannot do."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.core.charts import bar_chart
from cchc.core.documents import DocumentError, docx_to_pdf
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.numbers import format_number
from cchc.core.params import int_param
from cchc.jobs.services import job_start
from cchc.orgs.access import Access
from cchc.orgs.http import AuthedRequest
from cchc.orgs.models import Unit, UnitKind

from . import exports, jobs, outline, selectors, services, windows
from .calendar import schedule_for
from .forms import OpenForm, SubmitForm
from .models import Report
from .permissions import can_review, can_write

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _errors(request, exc: ServiceError) -> dict[str, list[str]]:
    """Show a refusal: field errors returned for the form, the rest as messages."""
    if hasattr(exc, "error_dict"):
        return {k: list(v) for k, v in exc.message_dict.items()}
    for message in exc.messages:
        messages.error(request, message)
    return {}


def _attachment(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _report(request: AuthedRequest, pk: int) -> Report:
    try:
        return selectors.report_get(user=request.user, pk=pk)
    except Report.DoesNotExist as exc:
        raise Http404 from exc


@require_GET
def my_reports(request: AuthedRequest):
    units = selectors.writable_units(request.user)
    today = timezone.localdate()
    return render(
        request,
        "reports/mine.html",
        {
            "units": units,
            "reports": selectors.my_reports(user=request.user)[:200],
            "form": OpenForm(
                initial={"nam": today.year, "loai": windows.QUARTER, "so": (today.month - 1) // 3 + 1}
            ),
            "can_review": Access.for_user(request.user).has_role("admin", "coordinator", "leader"),
        },
    )


@require_POST
def report_open(request: AuthedRequest):
    form = OpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Chọn loại báo cáo, năm và tháng/quý hợp lệ.")
        return redirect("reports:mine")
    unit = get_object_or_404(Unit, pk=form.cleaned_data["don_vi"] or 0)
    kind = form.cleaned_data["loai"]
    number = form.cleaned_data["so"] if kind in (windows.MONTH, windows.QUARTER) else None
    try:
        report = services.report_open(
            actor=request.user, unit=unit, kind=kind, year=form.cleaned_data["nam"], number=number
        )
    except ServiceError as exc:
        _errors(request, exc)
        return redirect("reports:mine")
    return redirect("reports:detail", report.pk)


def _sections_from(post) -> dict[str, str]:
    return {h.key: post.get(h.key, "") for h in outline.OUTLINE if h.key in post}


@require_http_methods(["GET", "POST"])
def report_detail(request: AuthedRequest, pk: int):
    report = _report(request, pk)
    writer = can_write(request.user, report.unit)
    errors: dict[str, list[str]] = {}
    submit_form = SubmitForm(
        request.POST or None,
        initial={
            "so_van_ban": report.doc_number,
            "ngay_van_ban": report.doc_date or timezone.localdate(),
            "nguoi_ky": report.signer,
            "chuc_vu": report.signer_title,
        },
    )
    if request.method == "POST":
        if not writer:
            raise PermissionDenied("Chỉ cán bộ của đơn vị được sửa báo cáo của đơn vị.")
        action = request.POST.get("hanh_dong", "luu")
        try:
            # the narrative is saved first, in its own transaction: a refused submission keeps it
            report = services.report_save(
                actor=request.user, report=report, sections=_sections_from(request.POST)
            )
            if request.headers.get("X-Autosave") == "1":
                return JsonResponse({"ok": True, "saved_at": timezone.localtime().strftime("%H:%M:%S")})
            if action == "cap-nhat":
                report = services.report_refresh(actor=request.user, report=report)
                messages.success(request, "Đã cập nhật số liệu của kỳ báo cáo; phần nội dung giữ nguyên.")
            elif action == "gui":
                if not submit_form.is_valid():
                    raise ServiceError(
                        {"ngay_van_ban": "Ngày văn bản viết dd/mm/yyyy."}, code="report_submission_incomplete"
                    )
                data = submit_form.cleaned_data
                services.report_submit(
                    actor=request.user,
                    report=report,
                    doc_number=data["so_van_ban"],
                    doc_date=data["ngay_van_ban"],
                    signer=data["nguoi_ky"],
                    signer_title=data["chuc_vu"],
                )
                messages.success(request, "Đã gửi báo cáo.")
                return redirect("reports:detail", report.pk)
            else:
                messages.success(request, "Đã lưu dự thảo.")
            return redirect("reports:detail", report.pk)
        except ServiceError as exc:
            if request.headers.get("X-Autosave") == "1":
                return JsonResponse({"ok": False, "errors": exc.messages}, status=400)
            errors = _errors(request, exc)
            report.refresh_from_db()
            report.sections = {**report.sections, **_sections_from(request.POST)}
    headings = [
        (part, number, h, report.sections.get(h.key, ""), errors.get(h.key, []))
        for part, number, h in outline.numbered()
    ]
    header, rows = exports.annex_table(report)
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "writer": writer and report.is_editable,
            "reviewer": can_review(request.user, report) and report.state == Report.State.SUBMITTED,
            "headings": headings,
            "parts": outline.PARTS,
            "submit_form": submit_form,
            "errors": errors,
            "annex_header": header,
            "annex_rows": rows,
            "facts": report.facts,
            "reviews": report.reviews.select_related("reviewer")[:20],
            "export_formats": [("docx", "Tải DOCX"), ("pdf", "Tải PDF"), ("xlsx", "Phụ lục số liệu (XLSX)")],
        },
    )


@require_POST
def report_review(request: AuthedRequest, pk: int):
    report = _report(request, pk)
    decision = request.POST.get("quyet_dinh", "")
    comment = request.POST.get("y_kien", "")
    try:
        if decision == "tiep-nhan":
            services.report_accept(actor=request.user, report=report, comment=comment)
            messages.success(request, f"Đã tiếp nhận báo cáo của {report.unit}.")
        elif decision == "tra-lai":
            services.report_return(actor=request.user, report=report, comment=comment)
            messages.success(request, f"Đã trả lại báo cáo của {report.unit}.")
        else:
            if not can_review(request.user, report):
                raise PermissionDenied(
                    "Chỉ cán bộ điều phối CCHC của nơi nhận được tiếp nhận hoặc trả lại báo cáo."
                )
            messages.error(request, "Chọn tiếp nhận hoặc trả lại.")
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("reports:detail", report.pk)


@require_GET
def report_download(request: AuthedRequest, pk: int, fmt: str):
    report = _report(request, pk)
    base = f"bao-cao-{report.unit.code}-{report.period_key}".lower()
    if fmt == "docx":
        return _attachment(exports.report_docx(report), f"{base}.docx", DOCX)
    if fmt == "xlsx":
        return _attachment(exports.annex_xlsx(report), f"{base}-phu-luc.xlsx", XLSX)
    if fmt == "pdf":
        try:
            return _attachment(docx_to_pdf(exports.report_docx(report)), f"{base}.pdf", "application/pdf")
        except DocumentError as exc:
            messages.error(request, str(exc))
            return redirect("reports:detail", report.pk)
    raise Http404


@require_POST
def report_export(request: AuthedRequest, pk: int, fmt: str):
    """Make the report's document in the background; its page shows the progress, then the file."""
    report = _report(request, pk)
    if fmt not in jobs.FORMATS:
        raise Http404
    job = job_start(
        actor=request.user,
        kind=jobs.EXPORT,
        label=f"Xuất {jobs.FORMATS[fmt]}: {report.title}",
        unit=report.unit,
        params={"report_id": report.pk, "fmt": fmt, "back_url": reverse("reports:detail", args=[report.pk])},
    )
    return redirect("jobs:detail", pk=job.pk)


@require_GET
def review_queue(request: AuthedRequest):
    if not Access.for_user(request.user).has_role("admin", "coordinator"):
        raise PermissionDenied("Chỉ cán bộ điều phối CCHC được tiếp nhận báo cáo.")
    return render(request, "reports/queue.html", {"reports": selectors.review_queue(user=request.user)[:300]})


@require_GET
def register(request: AuthedRequest):
    receivers = selectors.register_receivers(request.user)
    if not receivers:
        raise PermissionDenied("Bạn không có quyền xem tình hình nộp báo cáo.")
    today = timezone.localdate()
    unit_id = int_param(request.GET, "don_vi", receivers[0].pk)
    receiver = Unit.objects.filter(pk=unit_id).first() or receivers[0]
    kind = request.GET.get("loai", windows.QUARTER)
    kind = kind if kind in windows.KINDS else windows.QUARTER
    year = int_param(request.GET, "nam", today.year, minimum=2000, maximum=2100)
    default_number = today.month if kind == windows.MONTH else (today.month - 1) // 3 + 1
    number = int_param(request.GET, "so", default_number)
    try:
        number = windows.check(kind, year, number if kind in (windows.MONTH, windows.QUARTER) else None)
    except windows.KindError:
        number = windows.check(
            kind, year, default_number if kind in (windows.MONTH, windows.QUARTER) else None
        )
    reg = selectors.register(
        user=request.user, receiver=receiver, kind=kind, year=year, number=number, today=today
    )
    chart = bar_chart(
        [
            ("Đầy đủ (đã gửi)", reg.completeness, _pct(reg.completeness)),
            ("Đúng hạn", reg.timeliness, _pct(reg.timeliness)),
        ],
        label=f"Tỷ lệ gửi báo cáo {reg.period_label} của các đơn vị thuộc {receiver}",
        scale_max=Decimal(100),
    )
    return render(
        request,
        "reports/register.html",
        {
            "reg": reg,
            "table": _register_table(reg),
            "chart": chart,
            "receivers": receivers,
            "kinds": [(k, windows.KIND_LABELS[k]) for k in windows.KINDS],
            "completeness": _pct(reg.completeness),
            "timeliness": _pct(reg.timeliness),
            "today": today,
        },
    )


def _register_table(reg: selectors.Register) -> list[SafeString]:
    """The register's rows rendered once here: a 130-unit register was thousands of template
    lookups (the page's dearest part after its queries)."""
    out = []
    for r in reg.rows:
        report = r.report
        sent = report is not None and report.first_submitted_at is not None
        name = (
            format_html('<a href="{}">{}</a>', reverse("reports:detail", args=[report.pk]), r.unit.name)
            if sent and report is not None
            else r.unit.name
        )
        out.append(
            format_html(
                '<tr id="don-vi-{}"><td data-label="Đơn vị">{}</td>'
                '<td data-label="Tình hình"><span class="badge">{}</span></td>'
                '<td data-label="Gửi lần đầu">{}</td><td data-label="Trạng thái">{}</td></tr>',
                r.unit.code,
                name,
                r.label,
                _moment(report.first_submitted_at) if report is not None and sent else "—",
                report.get_state_display() if report is not None else "—",
            )
        )
    return out


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


def _pct(value) -> str:
    return "—" if value is None else f"{format_number(value)}%"


@require_http_methods(["GET", "POST"])
def schedule(request: AuthedRequest):
    """The province's report calendar: one row per kind (the province's own rows, not a plan's)."""
    access = Access.for_user(request.user)
    provinces = [u for u in access.managed_units().filter(kind=UnitKind.PROVINCE, valid_to__isnull=True)[:50]]
    if not provinces:
        raise PermissionDenied("Chỉ cán bộ điều phối CCHC của tỉnh được đặt lịch báo cáo.")
    wanted = int_param(request.GET, "don_vi")
    province = next((u for u in provinces if u.pk == wanted), None if wanted else provinces[0])
    if province is None:  # a province the user does not coordinate
        raise PermissionDenied("Bạn không có quyền đặt lịch báo cáo của tỉnh này.")
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            rows = [
                {
                    "kind": kind,
                    "required": request.POST.get(f"{kind}-bat_buoc") == "1",
                    "due_after_days": int_param(request.POST, f"{kind}-han", -1),
                    "remind_days_before": int_param(request.POST, f"{kind}-nhac", -1),
                }
                for kind in windows.KINDS
            ]
            services.schedules_save(actor=request.user, province=province, rows=rows)
            messages.success(request, "Đã lưu lịch báo cáo.")
            return redirect(f"{request.path}?don_vi={province.pk}")
        except ServiceError as exc:
            errors = _errors(request, exc)
    table = [(k, windows.KIND_LABELS[k], schedule_for(province, k)) for k in windows.KINDS]
    return render(
        request,
        "reports/schedule.html",
        {"province": province, "provinces": provinces, "rows": table, "errors": errors},
    )
