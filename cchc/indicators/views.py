"""Indicator pages: the unit dashboard and the dossiers behind a number. Parse input, call a
selector, render; access is `dashboard.unit_for` (who may read the unit) and, for the dossiers
themselves, the dossier register's own scope (`cchc.dossiers.selectors.dossier_list`)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, When
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from cchc.core import charts, indicator_sources
from cchc.core.numbers import format_number
from cchc.core.periods import PeriodError
from cchc.dossiers import selectors as dossier_selectors
from cchc.dossiers.exchange import on_time_q
from cchc.orgs.access import SUBTREE_ROLES, Access
from cchc.orgs.http import AuthedRequest

from . import live, sources
from .dashboard import (
    SORT_DEFAULT,
    default_unit,
    numerator_shown,
    period_options,
    picker_units,
    shown,
    unit_dashboard,
    unit_for,
)
from .definitions import INDICATORS, PERCENT
from .links import PARAM_OF_PART, PART_OF_PARAM, dashboard_query, dossiers_url
from .live_periods import live_period

PAGE_SIZE = 50
PARTS = {"numerator": "tử số", "denominator": "mẫu số"}
NUMERATOR = PARAM_OF_PART["numerator"]  # "tu_so", the part a figure's link opens
SHORT_NAMES = {
    "tiep_nhan": "Tiếp nhận",
    "da_giai_quyet": "Đã giải quyết",
    "dung_han": "Đúng hạn (%)",
    "qua_han_co_xin_loi": "Quá hạn có xin lỗi (%)",
    "truc_tuyen": "Trực tuyến (%)",
    "buu_chinh": "Bưu chính (%)",
    "thanh_toan_truc_tuyen": "Thanh toán trực tuyến (%)",
    "ket_qua_dien_tu": "Kết quả điện tử (%)",
    "so_hoa": "Số hóa (%)",
    "tai_su_dung": "Tái sử dụng (%)",
    "hai_long": "Hài lòng (%)",
    "tg_giai_quyet_tb": "Thời gian TB (ngày)",
    "diem_766_tien_do": "Điểm tiến độ 766",
}


class CountedPaginator(Paginator):
    """A paginator told its count (the live figure) instead of counting the rows."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self._known = count

    @property
    def count(self) -> int:
        return self._known


def bad_request(request: AuthedRequest, message: str):
    return render(
        request, "core/error.html", {"title": "Yêu cầu không hợp lệ", "message": message}, status=400
    )


# Per indicator, the escaped pieces of its cells that do not change from row to row.
_CELL_PARTS = {i.code: (escape(SHORT_NAMES[i.code]), escape(i.code)) for i in INDICATORS}


def _cells(row, prefix: str, sort: str) -> SafeString:
    """One child's figures as table cells, each linked to the dossiers behind it. Built here, not
    in the template: a province has over a hundred children × 13 figures, and the template
    engine's cost per node made this table most of the page's time. Plain f-strings over
    escaped parts (not `format_html` per cell, which was half of what remained): the labels and
    codes are escaped once, the prefix once per row, and the figures are digits and separators."""
    prefix = escape(prefix)
    parts = []
    for indicator, value in zip(INDICATORS, row.cells, strict=True):
        css = "num sorted" if indicator.code == sort else "num"
        label, code = _CELL_PARTS[indicator.code]
        if value.value is None:
            parts.append(f'<td class="{css}" data-label="{label}"><span class="muted">—</span></td>')
            continue
        title = f"{numerator_shown(value)}/{value.denominator}" if value.denominator is not None else ""
        parts.append(
            f'<td class="{css}" data-label="{label}"><a href="{prefix}&amp;ma={code}&amp;phan={NUMERATOR}" '
            f'title="{escape(title)}">{escape(shown(value))}</a></td>'
        )
    return mark_safe("".join(parts))


@require_GET
def dashboard(request: AuthedRequest):
    today = timezone.localdate()
    g = request.GET
    unit = unit_for(request.user, g["don_vi"]) if g.get("don_vi") else default_unit(request.user)
    if unit is None:
        raise PermissionDenied("Bạn chưa được phân quyền xem số liệu của đơn vị nào.")
    period_key = g.get("ky") or str(today.year)
    try:
        d = unit_dashboard(
            user=request.user,
            unit=unit,
            period_key=period_key,
            sort=g.get("sap_xep", SORT_DEFAULT),
            today=today,
        )
    except PeriodError as exc:
        return bad_request(request, f"Kỳ số liệu không hợp lệ: {exc}")
    lines = [
        {
            "indicator": line.indicator,
            "value": line.value,
            "shown": shown(line.value),
            "numerator": numerator_shown(line.value),
            "denominator": format_number(line.value.denominator, 0)
            if line.value.denominator is not None
            else "",
            "spark": charts.sparkline(line.trend, label=line.indicator.name),
            "numerator_url": dossiers_url(unit.pk, period_key, line.indicator.code, "numerator"),
            "denominator_url": dossiers_url(unit.pk, period_key, line.indicator.code, "denominator"),
        }
        for line in d.lines
    ]
    sort_indicator = next(i for i in INDICATORS if i.code == d.sort)
    base = reverse("indicators:dossiers")
    children = [
        {
            "unit": row.unit,
            "url": "?" + dashboard_query(row.unit.pk, period_key, d.sort),
            "cells": _cells(row, f"{base}?" + dashboard_query(row.unit.pk, period_key), d.sort),
        }
        for row in d.children
    ]
    charted = [row for row in d.children if row.key_value.value is not None]
    chart = charts.bar_chart(
        [(row.unit.name, row.key_value.value, shown(row.key_value)) for row in charted],
        label=f"{sort_indicator.name} — {d.period_label}, các đơn vị trực thuộc {unit.name}",
        scale_max=100 if sort_indicator.kind == PERCENT else None,
    )
    return render(
        request,
        "indicators/dashboard.html",
        {
            "d": d,
            "unit": unit,
            "lines": lines,
            "children": children,
            "chart": chart if charted else "",
            "uncharted": len(d.children) - len(charted),
            "headers": [(i.code, SHORT_NAMES[i.code], i.name) for i in INDICATORS],
            "sort_indicator": sort_indicator,
            "picker": picker_units(request.user, unit),
            "periods": period_options(today),
            "today": today,
        },
    )


@require_GET
def dossiers(request: AuthedRequest):
    """The dossiers behind one number: exactly those the figure counts, as far as the user may
    read them, with personal data masked for whoever does not handle the dossier."""
    g = request.GET
    unit = unit_for(request.user, g.get("don_vi"))
    code, period_key = g.get("ma", ""), g.get("ky", "")
    part = PART_OF_PARAM.get(g.get("phan", NUMERATOR))
    if code not in sources.DOSSIER_INDICATORS:
        return bad_request(request, f"Chỉ số “{code}” không phải chỉ số hồ sơ.")
    if part is None:
        return bad_request(request, "Phần của chỉ số (phan) phải là “tu_so” (tử số) hoặc “mau_so” (mẫu số).")
    try:
        period = live_period(period_key)
    except PeriodError as exc:
        return bad_request(request, f"Kỳ số liệu không hợp lệ: {exc}")
    source = sources.dossier_source(code)
    reading = indicator_sources.readings(code, unit, [period_key])[period_key]
    behind = sources.dossiers_behind(unit, period_key, code, part)
    b = live.cut(period)  # open dossiers are judged as they stand now
    visible = (
        (dossier_selectors.dossier_list(user=request.user) & behind)
        .annotate(on_time=Case(When(on_time_q(b), then=True), default=False, output_field=BooleanField()))
        .order_by("received_at", "id")
    )
    indicator = sources.DOSSIER_INDICATORS[code]
    counted = part == "numerator" or indicator.denominator is None
    # how many dossiers the figure stands for (the average time's numerator is a sum of days)
    expected = reading.numerator if counted and indicator.numerator_divisor == 1 else reading.denominator
    if Access.for_user(request.user).covers(unit, SUBTREE_ROLES):
        # the whole subtree is readable: the list is exactly the figure, no need to count
        # millions of rows again for the pager
        page = CountedPaginator(visible, PAGE_SIZE, expected).get_page(g.get("trang"))
    else:
        page = Paginator(visible, PAGE_SIZE).get_page(g.get("trang"))
    rows = [
        {"d": d, "applicant": dossier_selectors.mask_personal(d, request.user), "on_time": d.on_time}
        for d in page.object_list
    ]
    return render(
        request,
        "indicators/dossiers.html",
        {
            "unit": unit,
            "period": period,
            "first_day": period.a.date(),
            "last_day": (period.b - dt.timedelta(days=1)).date(),
            "source": source,
            "part_label": PARTS[part] if indicator.denominator else "số hồ sơ",
            "value": indicator_sources.format_value(source, reading.value),
            "reading": reading,
            "numerator": format_number(reading.numerator, 0 if isinstance(reading.numerator, int) else 2),
            "denominator": format_number(reading.denominator, 0) if reading.denominator is not None else "",
            "expected": expected,
            "page": page,
            "rows": rows,
            "query": urlencode({k: v for k, v in g.items() if k != "trang"}),
            "back": f"{reverse('indicators:dashboard')}?{dashboard_query(unit.pk, period_key)}",
            "hidden": max((expected or 0) - page.paginator.count, 0),
        },
    )
