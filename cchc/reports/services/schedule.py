"""The report calendar of a province (or of one of its plans): which kinds are required, due
when, reminded how early. Written by the province's coordinators; audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cchc.core.actors import Actor
from cchc.core.audit import audit_record, snapshot
from cchc.core.errors import ServiceError
from cchc.orgs.access import require_manager
from cchc.orgs.models import Unit, UnitKind
from cchc.plans.models import Plan

from .. import windows
from ..models import ReportSchedule

FIELDS = ["required", "due_after_days", "remind_days_before"]


@transaction.atomic
def schedule_save(
    *,
    actor: Actor,
    province: Unit,
    kind: str,
    required: bool,
    due_after_days: int,
    remind_days_before: int,
    plan: Plan | None = None,
) -> ReportSchedule:
    require_manager(actor, province, "Chỉ cán bộ điều phối CCHC của tỉnh được đặt lịch báo cáo.")
    errors: dict[str, str] = {}
    if province.kind != UnitKind.PROVINCE:
        errors["province"] = "Lịch báo cáo đặt cho một tỉnh, thành phố."
    if kind not in windows.KINDS:
        errors["kind"] = f"Loại báo cáo “{kind}” không hợp lệ."
    if not 0 <= due_after_days <= 60:
        errors["due_after_days"] = "Hạn nộp: từ 0 đến 60 ngày sau ngày cuối kỳ số liệu."
    if not 0 <= remind_days_before <= 30:
        errors["remind_days_before"] = "Nhắc trước hạn: từ 0 đến 30 ngày."
    if plan is not None and plan.issuer_id != province.pk:
        errors["plan"] = "Kế hoạch không do tỉnh này ban hành."
    if errors:
        raise ServiceError(errors, code="report_schedule_invalid")
    row, created = ReportSchedule.objects.select_for_update().get_or_create(
        province=province,
        plan=plan,
        kind=kind,
        defaults={
            "required": required,
            "due_after_days": due_after_days,
            "remind_days_before": remind_days_before,
        },
    )
    before = None if created else snapshot(row, FIELDS)
    row.required, row.due_after_days, row.remind_days_before = required, due_after_days, remind_days_before
    row.save()
    audit_record(
        actor=actor,
        action="report.schedule",
        obj=row,
        unit=province,
        before=before,
        after=snapshot(row, FIELDS),
    )
    return row


@transaction.atomic
def schedules_save(*, actor: Actor, province: Unit, rows: list[dict[str, Any]]) -> None:
    """Several kinds at once (the calendar page): all saved, or none."""
    for row in rows:
        schedule_save(actor=actor, province=province, **row)
