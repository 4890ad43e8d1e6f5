"""The working calendar and due-date policies the application uses: the shipped announced
schedules merged with the administrator's table (`CalendarDay`), and per-unit working hours
(`WorkSchedule`). Writes are services (audited); reads are cached per process and refreshed
when the table changes (one cheap query per use)."""

from __future__ import annotations

import datetime as dt
import threading

from django.db import transaction
from django.db.models import Count, Max

from .audit import audit_record, snapshot
from .errors import PermissionDenied, ServiceError
from .models import CalendarDay, WorkSchedule
from .text import nfc
from .workingtime import (
    CalendarOverride,
    DuePolicy,
    WorkingCalendar,
    WorkingHours,
    default_calendar,
    shipped_overrides,
)

_lock = threading.Lock()
_cache: dict = {"key": None, "calendar": None}


def _table_version() -> tuple:
    row = CalendarDay.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return row["n"], row["last"]


def effective_overrides() -> list[CalendarOverride]:
    """Shipped entries, replaced date by date by the administrator's rows."""
    table = {row.date: row for row in CalendarDay.objects.all()}
    merged = {o.date: o for o in shipped_overrides()}
    for day, row in table.items():
        merged[day] = CalendarOverride(row.date, row.kind, row.name, row.legal_reference, row.enabled)
    return sorted(merged.values(), key=lambda o: o.date)


def current_calendar() -> WorkingCalendar:
    key = _table_version()
    with _lock:
        if _cache["key"] != key or _cache["calendar"] is None:
            _cache["calendar"] = default_calendar(effective_overrides())
            _cache["key"] = key
        return _cache["calendar"]


def policy_for_unit(unit) -> DuePolicy:
    """The due-date policy of a unit: its own schedule or its nearest ancestor's."""
    ids = unit.ancestor_ids() if unit is not None else []
    schedules = {s.unit_id: s for s in WorkSchedule.objects.filter(unit_id__in=ids)}
    schedule = next((schedules[i] for i in reversed(ids) if i in schedules), None)
    if schedule is None:
        return DuePolicy(current_calendar())
    return DuePolicy(current_calendar(), WorkingHours.parse(schedule.hours), schedule.cutoff)


def _require_admin(actor) -> None:
    from cchc.orgs.access import Access
    from cchc.orgs.models import Role

    if not Access.for_user(actor).has_role(Role.ADMIN):
        raise PermissionDenied("Chỉ quản trị hệ thống được sửa lịch làm việc.")


@transaction.atomic
def calendar_day_save(
    *, actor, date: dt.date, kind: str, name: str, legal_reference: str, enabled: bool = True
) -> CalendarDay:
    _require_admin(actor)
    errors = {}
    if kind not in CalendarDay.Kind.values:
        errors["kind"] = "Chọn ngày nghỉ hoặc ngày làm việc."
    if not nfc(name):
        errors["name"] = "Ghi nội dung (ví dụ: Nghỉ bù Tết Dương lịch)."
    if not nfc(legal_reference):
        errors["legal_reference"] = "Ghi căn cứ (số, ký hiệu văn bản thông báo)."
    if kind == CalendarDay.Kind.WORKING_DAY and date.weekday() < 5 and enabled:
        errors["kind"] = "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật."
    if errors:
        raise ServiceError(errors)
    row = CalendarDay.objects.filter(date=date).first()
    before = snapshot(row) if row else None
    row = row or CalendarDay(date=date)
    row.kind, row.name, row.legal_reference, row.enabled, row.updated_by = (
        kind,
        nfc(name),
        nfc(legal_reference),
        enabled,
        actor,
    )
    row.save()
    audit_record(actor=actor, action="calendar.save", obj=row, before=before, after=snapshot(row))
    return row


@transaction.atomic
def work_schedule_save(*, actor, unit, hours: str, cutoff: dt.time | None) -> WorkSchedule:
    from cchc.orgs.access import Access

    if not Access.for_user(actor).can_manage_unit(unit):
        raise PermissionDenied("Bạn không có quyền sửa giờ làm việc của đơn vị này.")
    try:
        parsed = WorkingHours.parse(hours)
    except (ValueError, TypeError) as exc:
        raise ServiceError({"hours": "Ghi giờ làm việc dạng 07:30-11:30,13:00-17:00."}) from exc
    if cutoff and not any(a <= cutoff <= b for a, b in parsed.periods):
        raise ServiceError({"cutoff": "Giờ chốt phải nằm trong giờ làm việc."})
    schedule = WorkSchedule.objects.filter(unit=unit).first()
    before = snapshot(schedule) if schedule else None
    schedule = schedule or WorkSchedule(unit=unit)
    schedule.hours, schedule.cutoff, schedule.updated_by = hours, cutoff, actor
    schedule.save()
    audit_record(
        actor=actor,
        action="work_schedule.save",
        obj=schedule,
        unit=unit,
        before=before,
        after=snapshot(schedule),
    )
    return schedule
