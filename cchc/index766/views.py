"""Pages of the 766 index: thin — parse the period and unit, call a selector or service, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.forms import apply_service_error
from cchc.core.numbers import format_count as _n
from cchc.core.periods import PeriodError, parse_calendar_period
from cchc.orgs.http import AuthedRequest

from . import selectors, services
from .charts import group_bars
from .forms import CertifiedCopyForm


def _key(value: str | None) -> str | None:
    """A valid period key, or None."""
    try:
        return parse_calendar_period((value or "").strip()).key
    except PeriodError:
        return None


def _page(request: AuthedRequest, unit, form=None, status=200):
    asked = (request.GET.get("ky") or "").strip()
    key = _key(asked) if asked else selectors.default_period(unit)
    error = ""
    if key is None:
        error = f"Kỳ “{asked[:20]}” không hợp lệ; chọn một kỳ trong danh sách (ví dụ 2026, 2026-Q3, 2026-09)."
        key, status = selectors.default_period(unit), 400
    data = selectors.unit_page(user=request.user, unit=unit, period_key=key)
    offer = data["offer"]
    data |= {
        "period_error": error,
        "periods": selectors.period_choices(extra=[key]),
        "chart": group_bars(data["groups"]) if data["groups"] else "",
        "offer_form": form
        or CertifiedCopyForm(initial={"offered": offer.offered, "since": offer.since} if offer else None),
    }
    return render(request, "index766/unit.html", data, status=status)


@require_GET
def index(request: AuthedRequest):
    pk = request.GET.get("don_vi")
    if pk:
        if not pk.isdigit():
            raise PermissionDenied("Đơn vị không hợp lệ.")
        unit = selectors.readable_unit(user=request.user, pk=int(pk))
    else:
        unit = selectors.default_unit(user=request.user)
        if unit is None:
            raise PermissionDenied("Bạn chưa được phân quyền ở đơn vị nào nên không có Chỉ số 766 để xem.")
    return _page(request, unit)


@require_GET
def unit_detail(request: AuthedRequest, pk: int):
    return _page(request, selectors.readable_unit(user=request.user, pk=pk))


def _back(unit, key: str | None):
    url = reverse("index766:unit", args=[unit.pk])
    return redirect(f"{url}?{urlencode({'ky': key})}" if key else url)


@require_POST
def recompute(request: AuthedRequest, pk: int):
    unit = selectors.readable_unit(user=request.user, pk=pk)
    asked = (request.POST.get("ky") or "").strip()
    try:
        report = services.index766_compute(actor=request.user, period_keys=[asked], root=unit)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(unit, None)
    label = parse_calendar_period(report.periods[0]).label
    messages.success(request, f"Đã tính lại Chỉ số 766 ({label}) cho {_n(report.units)} đơn vị.")
    return _back(unit, report.periods[0])


@require_POST
def certified_copy(request: AuthedRequest, pk: int):
    unit = selectors.readable_unit(user=request.user, pk=pk)
    form = CertifiedCopyForm(request.POST)
    if form.is_valid():
        try:
            services.certified_copy_offer_save(actor=request.user, unit=unit, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, f"Đã cập nhật thông tin chứng thực bản sao điện tử của {unit.name}.")
            return _back(unit, _key(request.POST.get("ky")))
    return _page(request, unit, form=form, status=400)
