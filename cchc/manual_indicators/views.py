"""Manual-indicator pages: parse input, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.core.errors import ServiceError
from cchc.core.forms import apply_service_error
from cchc.core.params import int_param
from cchc.orgs.access import Access
from cchc.orgs.http import AuthedRequest
from cchc.orgs.models import Unit

from . import selectors, services
from .exports import overview_xlsx
from .forms import DefinitionForm, ReportForm, ReportTargetForm, definition_initial
from .periods import check_period, current_period, open_periods

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def index(request: AuthedRequest):
    today = timezone.localdate()
    rows = selectors.index_rows(user=request.user, today=today)
    return render(
        request,
        "manual_indicators/index.html",
        {
            "rows": rows,
            "today": today,
            "can_create": selectors.definition_units(user=request.user).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def definition_create(request: AuthedRequest):
    units = selectors.definition_units(user=request.user)
    first = units.order_by("depth", "path").first()
    if first is None:
        raise PermissionDenied("Chỉ cán bộ điều phối CCHC được xây dựng chỉ số báo cáo.")
    form = DefinitionForm(
        request.POST or None,
        units=units,
        initial={"unit": first, "kind": "ratio", "periodicity": "quarter", "active": True},
    )
    if request.method == "POST" and form.is_valid():
        try:
            definition = services.definition_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, f"Đã tạo chỉ số “{definition.name}”.")
            return redirect("manual_indicators:overview", pk=definition.pk)
    return render(request, "manual_indicators/definition_form.html", {"form": form, "definition": None})


@require_http_methods(["GET", "POST"])
def definition_edit(request: AuthedRequest, pk: int):
    definition = selectors.definition_get(user=request.user, pk=pk, manage=True)
    form = DefinitionForm(
        request.POST or None,
        units=Unit.objects.filter(pk=definition.unit_id),
        initial=definition_initial(definition),
    )
    form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
        try:
            services.definition_update(actor=request.user, definition=definition, **data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Đã lưu chỉ số.")
            return redirect("manual_indicators:overview", pk=definition.pk)
    return render(
        request,
        "manual_indicators/definition_form.html",
        {"form": form, "definition": definition, "has_reports": definition.reports.exists()},
    )


@require_POST
def definition_delete(request: AuthedRequest, pk: int):
    definition = selectors.definition_get(user=request.user, pk=pk, manage=True)
    try:
        services.definition_delete(actor=request.user, definition=definition)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("manual_indicators:edit", pk=definition.pk)
    messages.success(request, f"Đã xóa chỉ số “{definition.name}”.")
    return redirect("manual_indicators:index")


@require_GET
def overview(request: AuthedRequest, pk: int):
    definition = selectors.definition_get(user=request.user, pk=pk)
    today = timezone.localdate()
    root = selectors.overview_root(
        user=request.user, definition=definition, unit_id=int_param(request.GET, "don_vi")
    )
    key = request.GET.get("ky") or current_period(definition.periodicity, today).key
    try:
        check_period(definition.periodicity, key, today)
    except ServiceError as exc:
        raise Http404(" ".join(exc.messages)) from None
    ov = selectors.overview(user=request.user, definition=definition, root=root, period_key=key, today=today)
    if request.GET.get("xuat") == "xlsx":
        response = HttpResponse(overview_xlsx(ov), content_type=XLSX)
        filename = f"so-lieu-{definition.code}-{ov.value.period.key}-{root.pk}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    access = Access.for_user(request.user)
    return render(
        request,
        "manual_indicators/overview.html",
        {
            "ov": ov,
            "d": definition,
            "v": ov.value,
            "root": root,
            "can_manage": access.can_manage_unit(definition.unit),
            "parent_root": root.parent_id if root.pk != definition.unit_id else None,
        },
    )


@require_http_methods(["GET", "POST"])
def report(request: AuthedRequest, pk: int):
    """Choose the unit and period (GET), then file or correct its figures (POST)."""
    definition = selectors.definition_get(user=request.user, pk=pk)
    if not definition.active:
        messages.error(request, f"Chỉ số “{definition.name}” đã ngừng áp dụng, không nhận báo cáo.")
        return redirect("manual_indicators:overview", pk=definition.pk)
    today = timezone.localdate()
    periods = open_periods(definition.periodicity, today, years=2)
    key = request.GET.get("ky") or current_period(definition.periodicity, today).key
    period = next((p for p in periods if p.key == key), None)
    if period is None:
        raise Http404("Kỳ báo cáo không hợp lệ hoặc chưa đến.")
    units = selectors.report_units(user=request.user, definition=definition, period=period)
    unit_id = int_param(request.GET, "don_vi")
    unit = units.filter(pk=unit_id).first() if unit_id else units.first()
    if unit is None:
        if unit_id:
            asked = get_object_or_404(Unit, pk=unit_id)
            raise PermissionDenied(f"Bạn không thể báo cáo số liệu chỉ số này cho {asked}.")
        raise PermissionDenied("Bạn không báo cáo cho đơn vị nào thuộc phạm vi của chỉ số này.")
    target = ReportTargetForm(units=units, periods=periods, initial={"don_vi": unit.pk, "ky": period.key})
    existing = definition.reports.filter(unit=unit, period=period.key).select_related("reported_by").first()
    initial = (
        {
            "numerator": existing.numerator,
            "denominator": existing.denominator,
            "value": existing.value,
            "note": existing.note,
        }
        if existing
        else {}
    )
    form = ReportForm(request.POST or None, definition=definition, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _report, outcome = services.report_save(
                actor=request.user, definition=definition, unit=unit, period=period.key, **form.cleaned_data
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            text = {
                "created": "Đã ghi nhận số liệu",
                "corrected": "Đã điều chỉnh số liệu",
                "unchanged": "Số liệu không thay đổi",
            }[outcome]
            messages.success(request, f"{text}: {unit.name}, {period.label}.")
            url = reverse("manual_indicators:overview", args=[definition.pk])
            return redirect(f"{url}?ky={period.key}")
    return render(
        request,
        "manual_indicators/report_form.html",
        {
            "d": definition,
            "unit": unit,
            "period": period,
            "target": target,
            "form": form,
            "existing": existing,
            "history": selectors.report_history(report=existing)[:20] if existing else [],
        },
    )
