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
from cchc.orgs.access import Access, require_manager
from cchc.orgs.models import user_of
from cchc.plans.models import Plan, PlanStatus, Task, TaskRole

from . import selectors
from .models import Assignment, Evidence, ProgressUpdate, ReviewPolicy, ReviewStatus

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

    Reaching 100 % marks the assignment complete on `reported_on` (once accepted, where the
    plan's review policy asks for it); a later update below 100 % reopens it. Either everything (update, files, summary, audit row) is saved or nothing is:
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

    # The row lock orders concurrent posts on one assignment, so that each one's summary counts
    # every update committed before it (no lost increments under PostgreSQL's READ COMMITTED).
    caller_copy, assignment = assignment, Assignment.objects.select_for_update().get(pk=assignment.pk)
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
        summarise(assignment, acceptance_required=selectors.acceptance_required(plan=plan))
        assignment.save(update_fields=ASSIGNMENT_SUMMARY)
        for name in ASSIGNMENT_SUMMARY:
            setattr(caller_copy, name, getattr(assignment, name))
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


def summarise(assignment: Assignment, *, acceptance_required: bool) -> None:
    """Set the assignment's summary fields from its updates (the caller saves them).

    The updates are read in the order they were posted. A returned update does not count. An
    update of 100 % completes the task on its date — if the plan requires acceptance, only
    once accepted — and the first such date stays; an update below 100 % reopens the task.
    """
    updates = list(
        assignment.updates.order_by("created_at", "id").values_list("reported_on", "percent", "review_status")
    )
    assignment.updates_count = len(updates)
    counting = [(on, pct, st) for on, pct, st in updates if st != ReviewStatus.RETURNED]
    assignment.percent = counting[-1][1] if counting else 0
    assignment.last_reported_on = max((on for on, _p, _s in counting), default=None)
    completed_on = None
    for on, pct, st in counting:
        if pct < 100:
            completed_on = None
        elif not acceptance_required or st == ReviewStatus.ACCEPTED:
            completed_on = completed_on or on
    assignment.completed_on = completed_on


REVIEW_FIELDS = ["review_status", "review_comment", "reviewed_by_id", "reviewed_at"]


@transaction.atomic
def progress_review(
    *, actor: Actor, update: ProgressUpdate, accept: bool, comment: str = ""
) -> ProgressUpdate:
    """The issuing unit's coordinator accepts a unit's progress update or returns it with the
    reason. Only a pending update can be reviewed: a returned one stays in the history as it
    was, and the unit answers with a new update."""
    from cchc.core.text import nfc

    update = (
        ProgressUpdate.objects.select_for_update()
        .select_related("assignment__task__plan__issuer")
        .get(pk=update.pk)
    )
    assignment = Assignment.objects.select_for_update().get(pk=update.assignment_id)
    plan = update.assignment.task.plan
    require_manager(actor, plan.issuer, selectors.REVIEW_DENIED)
    if update.review_status != ReviewStatus.PENDING:
        raise ServiceError(
            f"Cập nhật này đã được xem xét ({update.get_review_status_display().lower()}).",
            code="progress_already_reviewed",
        )
    comment = "\n".join(nfc(line) for line in (comment or "").splitlines()).strip()
    if not accept and not comment:
        raise ServiceError(
            {"comment": "Cần ghi rõ lý do trả lại để đơn vị bổ sung, hoàn thiện."},
            code="progress_return_reason_required",
        )
    before = snapshot(update, REVIEW_FIELDS) | snapshot(assignment, ASSIGNMENT_SUMMARY)
    update.review_status = ReviewStatus.ACCEPTED if accept else ReviewStatus.RETURNED
    update.review_comment = comment
    update.reviewed_by = user_of(actor)
    update.reviewed_at = timezone.now()
    update.save(update_fields=["review_status", "review_comment", "reviewed_by", "reviewed_at"])
    summarise(assignment, acceptance_required=selectors.acceptance_required(plan=plan))
    assignment.save(update_fields=ASSIGNMENT_SUMMARY)
    audit_record(
        actor=actor,
        action="progress.accept" if accept else "progress.return",
        obj=update,
        unit=assignment.unit,
        before=before,
        after=snapshot(update, REVIEW_FIELDS) | snapshot(assignment, ASSIGNMENT_SUMMARY),
    )
    return update


@transaction.atomic
def review_policy_set(*, actor: Actor, plan: Plan, acceptance_required: bool) -> int:
    """Turn on or off "a task counts as done only when accepted" for a plan; every assignment's
    summary follows at once. Returns how many assignments changed status."""
    require_manager(actor, plan.issuer, "Chỉ cán bộ điều phối của cơ quan ban hành được đổi chế độ xem xét.")
    policy, _ = ReviewPolicy.objects.select_for_update().get_or_create(plan=plan)
    if policy.acceptance_required == acceptance_required:
        return 0
    policy.acceptance_required = acceptance_required
    policy.save()
    changed = []
    for assignment in Assignment.objects.select_for_update().filter(task__plan=plan, updates_count__gt=0):
        completed_before = assignment.completed_on
        summarise(assignment, acceptance_required=acceptance_required)
        if assignment.completed_on != completed_before:
            changed.append(assignment)
    Assignment.objects.bulk_update(changed, ASSIGNMENT_SUMMARY)
    audit_record(
        actor=actor,
        action="plan.review_policy",
        obj=plan,
        unit=plan.issuer,
        before={"acceptance_required": not acceptance_required},
        after={"acceptance_required": acceptance_required, "assignments_changed": len(changed)},
    )
    return len(changed)
