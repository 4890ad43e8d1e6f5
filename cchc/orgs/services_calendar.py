"""Editing the working calendar and units' working hours: services (audited), with the access
rules of `cchc.orgs.access`. The calendar itself (reading, caching) is `cchc.core.working_calendar`,
which knows nothing of who may edit it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cchc.core.actors import Actor
from cchc.core.audit import audit_record, snapshot
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.models import CalendarDay, WorkSchedule
from cchc.core.text import nfc
from cchc.core.workingtime import WorkingHours

from .access import Access, require_manager
from .models import user_of


def can_edit_national_calendar(actor: Actor) -> bool:
    """The national working calendar moves every due date in every province: only a system
    administrator (superuser) edits it — not the administrator of one unit."""
    return Access.for_user(actor).is_superuser


def _require_admin(actor: Actor) -> None:
    if not can_edit_national_calendar(actor):
        raise PermissionDenied("Chỉ quản trị hệ thống được sửa lịch làm việc quốc gia.")


@transaction.atomic
def calendar_day_save(
    *, actor: Actor, date: dt.date, kind: str, name: str, legal_reference: str, enabled: bool = True
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
        raise ServiceError(errors, code="calendar_day_invalid")
    row = CalendarDay.objects.filter(date=date).first()
    before = snapshot(row) if row else None
    row = row or CalendarDay(date=date)
    row.kind, row.name, row.legal_reference, row.enabled, row.updated_by = (
        kind,
        nfc(name),
        nfc(legal_reference),
        enabled,
        user_of(actor),
    )
    row.save()
    audit_record(
        actor=actor,
        action="calendar.save",
        obj=row,
        before=before,
        after=snapshot(row) | {"scope": "national"},  # every unit's due dates follow it
    )
    return row


@transaction.atomic
def work_schedule_save(*, actor: Actor, unit, hours: str, cutoff: dt.time | None) -> WorkSchedule:
    require_manager(actor, unit, "Bạn không có quyền sửa giờ làm việc của đơn vị này.")
    try:
        parsed = WorkingHours.parse(hours)
    except (ValueError, TypeError) as exc:
        raise ServiceError(
            {"hours": "Ghi giờ làm việc dạng 07:30-11:30,13:00-17:00."}, code="working_hours_invalid"
        ) from exc
    if cutoff and not any(a <= cutoff <= b for a, b in parsed.periods):
        raise ServiceError({"cutoff": "Giờ chốt phải nằm trong giờ làm việc."}, code="cutoff_outside_hours")
    schedule = WorkSchedule.objects.filter(unit=unit).first()
    before = snapshot(schedule) if schedule else None
    schedule = schedule or WorkSchedule(unit=unit)
    schedule.hours, schedule.cutoff, schedule.updated_by = hours, cutoff, user_of(actor)
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
