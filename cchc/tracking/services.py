"""Writes to assignments and progress. Keyword-only, one transaction each, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from cchc.core.actors import Actor
from cchc.core.audit import audit_record, snapshot
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.uploads import check_upload
from cchc.orgs.access import Access
from cchc.orgs.models import user_of
from cchc.plans.models import PlanStatus, Task, TaskRole

from .models import Assignment, Evidence, ProgressUpdate

ASSIGNMENT_SUMMARY = ["percent", "last_reported_on", "completed_on", "updates_count"]


@transaction.atomic
def assignments_sync(*, actor: Actor, task: Task) -> int:
    """Make the task's assignments match its lead units; returns how many were created.

    A lead unit that was removed loses its assignment only if it has reported nothing;
    otherwise the change is refused so that no reported work disappears.
    """
    leads = set(task.task_units.filter(role=TaskRole.LEAD).values_list("unit_id", flat=True))
    existing = dict(task.assignments.values_list("unit_id", "updates_count"))
    removed = set(existing) - leads
    reported = [u for u in removed if existing[u] > 0]
    if reported:
        raise ServiceError(
            "Không thể bỏ cơ quan chủ trì đã báo cáo tiến độ nhiệm vụ này.", code="lead_has_reported"
        )
    if removed:
        Assignment.objects.filter(task=task, unit_id__in=removed).delete()
    new = [Assignment(task=task, unit_id=u) for u in sorted(leads - set(existing))]
    Assignment.objects.bulk_create(new)
    if new or removed:
        audit_record(
            actor=actor,
            action="assignments.sync",
            obj=task,
            unit=task.plan.issuer,
            before={"units": sorted(existing)},
            after={"units": sorted(leads)},
        )
    return len(new)


@transaction.atomic
def progress_post(
    *,
    actor: Actor,
    assignment: Assignment,
    percent: int,
    narrative: str,
    reported_on: dt.date | None = None,
    files: Sequence = (),
) -> ProgressUpdate:
    """Record a unit's progress on an assignment, with evidence files.

    Reaching 100 % marks the assignment complete on `reported_on`; a later update below 100 %
    reopens it. Either everything (update, files, summary, audit row) is saved or nothing is:
    files already written are removed if anything fails.
    """
    from cchc.core.text import nfc

    plan = assignment.task.plan
    if not Access.for_user(actor).can_report_for(assignment.unit):
        raise PermissionDenied("Bạn không có quyền báo cáo tiến độ cho đơn vị này.")
    if plan.status != PlanStatus.ISSUED:
        raise ServiceError(
            "Kế hoạch không còn nhận báo cáo tiến độ (chưa ban hành hoặc đã kết thúc).",
            code="plan_not_reporting",
        )
    today = timezone.localdate()
    reported_on = reported_on or today
    errors: dict[str, Any] = {}
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        errors["percent"] = "Tỷ lệ hoàn thành phải là số nguyên từ 0 đến 100."
    narrative = "\n".join(nfc(line) for line in (narrative or "").splitlines()).strip()
    if not narrative:
        errors["narrative"] = "Mô tả kết quả thực hiện không được để trống."
    if reported_on > today:
        errors["reported_on"] = "Ngày báo cáo không được sau hôm nay."
    elif plan.issued_on and reported_on < plan.issued_on:
        errors["reported_on"] = (
            f"Ngày báo cáo không được trước ngày ban hành kế hoạch ({plan.issued_on:%d/%m/%Y})."
        )
    checked = []
    for f in files:
        try:
            checked.append(check_upload(f))
        except ServiceError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ServiceError(errors, code="progress_report_invalid")

    before = snapshot(assignment, ASSIGNMENT_SUMMARY)
    update = ProgressUpdate.objects.create(
        assignment=assignment,
        author=user_of(actor),
        reported_on=reported_on,
        percent=percent,
        narrative=narrative,
    )
    saved: list[Evidence] = []
    try:
        now = timezone.now()
        for c in checked:
            ev = Evidence(
                update=update,
                original_name=c.name,
                content_type=c.content_type,
                size=c.size,
                sha256=c.sha256,
                uploaded_at=now,
            )
            ev.file.save(c.name, c.upload, save=False)
            saved.append(ev)
            ev.save()
        assignment.percent = percent
        assignment.last_reported_on = max(filter(None, [assignment.last_reported_on, reported_on]))
        assignment.updates_count += 1
        if percent == 100:
            assignment.completed_on = assignment.completed_on or reported_on
        else:
            assignment.completed_on = None
        assignment.save(update_fields=ASSIGNMENT_SUMMARY)
        audit_record(
            actor=actor,
            action="progress.post",
            obj=assignment,
            unit=assignment.unit,
            before=before,
            after=snapshot(assignment, ASSIGNMENT_SUMMARY)
            | {"update_id": update.pk, "narrative": narrative, "evidence": [e.original_name for e in saved]},
        )
    except Exception:
        for ev in saved:
            ev.file.delete(save=False)
        raise
    return update
