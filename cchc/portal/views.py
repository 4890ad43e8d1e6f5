"""The public portal (no account): procedure catalogue, scoreboards, reform progress.

Views parse the address, call the portal's selectors, render. A bad parameter is answered 400
with a Vietnamese message and an unknown page 404 (`cchc.core.views.not_found`), never a 500.
The figure pages carry ETag and Last-Modified (`freshness`) and keep their tables in the shared
cache; the catalogue search is rate-limited per address (`cchc.core.ratelimit`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import condition, require_GET

from cchc.core.numbers import format_number
from cchc.core.ratelimit import hit, over_limit
from cchc.index766.selectors import period_choices
from cchc.procedures.models import Level, OnlineMode

from . import catalogue, freshness, progress, scoreboard
from .site import BadParameter, online_url, province

# Searching reads every matching row: an address may search this often per minute.
SEARCHES_PER_MINUTE = 60


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A bad parameter → 400, an unknown page or code → 404, in the portal's layout with the
    Vietnamese message of the exception (the site's 404 page knows neither)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadParameter as exc:
            return render(request, "portal/error.html", {"message": str(exc)}, status=400)
        except Http404 as exc:
            message = str(exc) or "Trang hoặc dữ liệu bạn tìm không tồn tại."
            return render(request, "portal/error.html", {"message": message}, status=404)

    return wrapped


@require_GET
@public_page
def home(request: HttpRequest) -> HttpResponse:
    unit = province()
    return render(
        request,
        "portal/home.html",
        {"province": unit, "procedure_count": format_number(catalogue.published(unit).count(), 0)},
    )


@require_GET
@public_page
def procedure_list(request: HttpRequest) -> HttpResponse:
    unit = province()
    g = request.GET
    searching = bool(g.get("q"))
    if searching and over_limit(request, "cong-khai-tim", per_window=SEARCHES_PER_MINUTE, window=60):
        return render(
            request,
            "portal/error.html",
            {"message": "Bạn tìm kiếm quá nhiều lần trong một phút. Vui lòng thử lại sau ít giây."},
            status=429,
        )
    query = catalogue.parse_query(g, unit)
    page, procedures = catalogue.catalogue_page(unit, query, g)
    if searching:
        hit(request, "cong-khai-tim", window=60)
    kept = {k: v for k, v in g.items() if k != "trang" and v}
    return render(
        request,
        "portal/procedure_list.html",
        {
            "province": unit,
            "page": page,
            "procedures": procedures,
            "total": format_number(page.paginator.count, 0),
            "query": query,
            "kept": urlencode(kept),
            "fields": catalogue.field_choices(unit),
            "agencies": catalogue.sorted_agencies(unit),
            "levels": Level.choices,
            "modes": OnlineMode.choices,
            "orders": catalogue.ORDERS.items(),
        },
    )


@require_GET
@public_page
def procedure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = province()
    procedure, steps_total = catalogue.procedure_detail(unit, pk)
    return render(
        request,
        "portal/procedure_detail.html",
        {
            "province": unit,
            "p": procedure,
            "steps_total": steps_total,
            "online_url": online_url(procedure.code),
        },
    )


# --- figures: ETag / Last-Modified from `freshness`, tables from the shared cache ---------------


@require_GET
@public_page
@condition(etag_func=freshness.etag, last_modified_func=freshness.last_modified)
def scoreboard_page(request: HttpRequest) -> HttpResponse:
    unit = province()
    today = timezone.localdate()
    period = scoreboard.parse_period(request.GET.get("ky"), today)
    sources = scoreboard.columns(unit)
    sort_code = request.GET.get("sap_xep") or None
    if sort_code and sort_code not in {s.code for s in sources}:
        raise BadParameter(f"Không có chỉ số “{sort_code[:30]}” để xếp hạng trên trang này.")

    def build() -> str:
        board = scoreboard.board(unit, period, sort_code, today)
        return render_to_string("portal/_scoreboard.html", {"board": board}, request=request)

    return render(
        request,
        "portal/scoreboard.html",
        {
            "province": unit,
            "period": period,
            "periods": period_choices(today),
            "sort_code": sort_code or "",
            "sources": sources,
            "table": mark_safe(freshness.fragment("bang-xep-hang", request, build)),
        },
    )


@require_GET
@public_page
@condition(etag_func=freshness.etag, last_modified_func=freshness.last_modified)
def scoreboard_unit(request: HttpRequest, code: str) -> HttpResponse:
    unit = province()
    today = timezone.localdate()
    shown = scoreboard.public_unit(unit, code)
    period = scoreboard.parse_period(request.GET.get("ky"), today)

    def build() -> str:
        months = scoreboard.unit_months(unit, shown, period.year, today)
        return render_to_string("portal/_unit_months.html", {"m": months}, request=request)

    years = [(str(y), f"Năm {y}") for y in range(today.year, today.year - 3, -1)]
    return render(
        request,
        "portal/scoreboard_unit.html",
        {
            "province": unit,
            "unit": shown,
            "year": period.year,
            "years": years,
            "table": mark_safe(freshness.fragment(f"don-vi:{shown.pk}", request, build)),
        },
    )


@require_GET
@public_page
@condition(etag_func=freshness.etag, last_modified_func=freshness.last_modified)
def progress_page(request: HttpRequest) -> HttpResponse:
    unit = province()

    def build() -> str:
        found = progress.progress(unit, timezone.localdate())
        return render_to_string("portal/_progress.html", {"p": found}, request=request)

    return render(
        request,
        "portal/progress.html",
        {"province": unit, "body": mark_safe(freshness.fragment("tien-do", request, build))},
    )
