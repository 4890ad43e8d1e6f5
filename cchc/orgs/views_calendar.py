"""The working calendar page: announced days off and worked days by year, the administrator's
changes, and a due-date calculator for one-stop officers."""

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_GET, require_http_methods

from cchc.core.errors import ServiceError
from cchc.core.forms import apply_service_error
from cchc.core.models import CalendarDay
from cchc.core.params import int_param
from cchc.core.working_calendar import current_calendar, effective_overrides, policy_for_unit
from cchc.core.workingtime import WorkingTimeError
from cchc.core.workingtime.calendar import MAX_YEAR, MIN_YEAR
from cchc.orgs.http import AuthedRequest

from .forms_calendar import CalendarDayForm, DueDateForm
from .services_calendar import calendar_day_save, can_edit_national_calendar


@require_http_methods(["GET", "POST"])
def calendar_page(request: AuthedRequest):
    year = int_param(request.GET, "nam", timezone.localdate().year, minimum=MIN_YEAR, maximum=MAX_YEAR)
    can_edit = can_edit_national_calendar(request.user)
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            return render(
                request,
                "core/error.html",
                {"title": "Không có quyền", "message": "Chỉ quản trị hệ thống được sửa lịch làm việc."},
                status=403,
            )
        if form.is_valid():
            try:
                row = calendar_day_save(actor=request.user, **form.cleaned_data)
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, f"Đã lưu ngày {row.date:%d/%m/%Y}.")
                return redirect(f"{request.path}?nam={row.date.year}")
    table_dates = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    calendar = current_calendar()
    days_off = [
        (d, why)
        for d, why in calendar.days_off(dt.date(year, 1, 1), dt.date(year, 12, 31))
        if d.weekday() < 5
    ]
    rows = [
        {
            "date": o.date,
            "kind": o.kind,
            "name": o.name,
            "legal_reference": o.legal_reference,
            "enabled": o.enabled,
            "edited": o.date in table_dates,
        }
        for o in effective_overrides()
        if o.date.year == year
    ]
    return render(
        request,
        "core/calendar.html",
        {
            "year": year,
            "rows": rows,
            "form": form,
            "can_edit": can_edit,
            "days_off": days_off,
            "due_form": DueDateForm(initial={"don_vi_tinh": "working_day", "thoi_han": 5}),
        },
    )


@require_GET
def due_date_preview(request: AuthedRequest):
    """HTMX: the due date of a receipt, explained, under the default policy."""
    form = DueDateForm(request.GET)
    if not form.is_valid():
        return HttpResponse('<p class="warn">Nhập thời điểm tiếp nhận (dd/mm/yyyy hh:mm) và thời hạn.</p>')
    try:
        due = policy_for_unit(None).due_date(
            form.cleaned_data["tiep_nhan_luc"],
            form.cleaned_data["thoi_han"],
            form.cleaned_data["don_vi_tinh"],
        )
    except WorkingTimeError as exc:
        return HttpResponse(f'<p class="warn">{escape(str(exc))}</p>')
    local = due.due.astimezone(timezone.get_current_timezone())
    return HttpResponse(
        f"<p><b>Hẹn trả: {local:%H:%M ngày %d/%m/%Y}</b></p><p style='white-space:pre-line'>{escape(due.explain())}</p>"
    )
