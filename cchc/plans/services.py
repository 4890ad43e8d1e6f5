"""Writes to plans, targets and tasks. Keyword-only, one transaction each, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cchc.core.actors import Actor
from cchc.core.audit import audit_record, snapshot
from cchc.core.errors import ServiceError
from cchc.core.text import nfc
from cchc.core.versioning import claim_version
from cchc.orgs.access import require_manager
from cchc.orgs.models import Unit, user_of

from .deadlines import parse_deadline
from .models import Plan, PlanKind, PlanStatus, ReformArea, Target, Task, TaskRole, TaskUnit
from .observers import publish_plan_issued, publish_task_deleting, publish_task_units_changed

PLAN_FIELDS = [
    "issuer_id",
    "number",
    "issued_on",
    "title",
    "summary",
    "kind",
    "from_year",
    "to_year",
    "status",
    "parent_id",
]
TASK_FIELDS = [
    "number",
    "area",
    "group",
    "content",
    "output",
    "note",
    "lead_text",
    "coordinating_text",
    "deadline_text",
    "deadline_kind",
    "due_dates",
    "final_due",
    "position",
    "source_id",
]
TARGET_FIELDS = [
    "text",
    "area",
    "comparator",
    "value",
    "unit_of_measure",
    "year",
    "reduction",
    "section",
    "position",
    "source_id",
]


DENIED = "Bạn không có quyền quản lý kế hoạch của đơn vị này."


def _require_editable(plan: Plan) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise ServiceError("Kế hoạch đã kết thúc, không thể sửa.", code="plan_closed")


def _validate_period(from_year: int, to_year: int, kind: str) -> None:
    errors = {}
    if not 2000 <= from_year <= 2100:
        errors["from_year"] = "Năm bắt đầu phải trong khoảng 2000–2100."
    if to_year < from_year:
        errors["to_year"] = "Năm kết thúc không được trước năm bắt đầu."
    elif kind == PlanKind.ANNUAL and to_year != from_year:
        errors["to_year"] = "Kế hoạch năm chỉ gồm một năm."
    if errors:
        raise ServiceError(errors, code="plan_period_invalid")


@transaction.atomic
def plan_create(
    *,
    actor: Actor,
    issuer: Unit,
    title: str,
    from_year: int,
    to_year: int,
    kind: str = PlanKind.ANNUAL,
    number: str = "",
    issued_on: dt.date | None = None,
    summary: str = "",
    parent: Plan | None = None,
) -> Plan:
    require_manager(actor, issuer, DENIED)
    _validate_period(from_year, to_year, kind)
    title = nfc(title)
    if not title:
        raise ServiceError({"title": "Trích yếu kế hoạch không được để trống."}, code="plan_title_required")
    plan = Plan.objects.create(
        issuer=issuer,
        title=title,
        from_year=from_year,
        to_year=to_year,
        kind=kind,
        number=nfc(number),
        issued_on=issued_on,
        summary=nfc_multiline(summary),
        parent=parent,
        created_by=user_of(actor),
    )
    audit_record(actor=actor, action="plan.create", obj=plan, unit=issuer, after=snapshot(plan, PLAN_FIELDS))
    return plan


def nfc_multiline(text: str) -> str:
    """NFC per line, keeping the paragraphs people typed."""
    return "\n".join(nfc(line) for line in (text or "").splitlines()).strip()


@transaction.atomic
def plan_update(*, actor: Actor, plan: Plan, version: int | None = None, **changes) -> Plan:
    """Change a draft plan's particulars. ``version``: the one the edit form was opened at; a
    save over someone else's later save is refused (`EditedMeanwhile`)."""
    require_manager(actor, plan.issuer, DENIED)
    _require_editable(plan)
    claim_version(plan, version, what="kế hoạch")
    before = snapshot(plan, PLAN_FIELDS)
    allowed = {"number", "issued_on", "title", "summary", "kind", "from_year", "to_year", "parent"}
    unknown = set(changes) - allowed
    if unknown:
        raise ServiceError(f"Không thể sửa trường: {', '.join(sorted(unknown))}.", code="field_not_editable")
    if changes.get("parent") is not None and changes["parent"].pk == plan.pk:
        raise ServiceError({"parent": "Kế hoạch không thể thực hiện chính nó."}, code="plan_parent_self")
    for field, value in changes.items():
        setattr(plan, field, nfc(value) if field in {"number", "title"} else value)
    if "summary" in changes:
        plan.summary = nfc_multiline(changes["summary"])
    if not plan.title:
        raise ServiceError({"title": "Trích yếu kế hoạch không được để trống."}, code="plan_title_required")
    _validate_period(plan.from_year, plan.to_year, plan.kind)
    plan.save()
    if {"from_year", "to_year"} & set(changes):
        for task in plan.tasks.all():  # a new period moves every deadline
            _apply_deadline(task, plan)
            task.save(update_fields=["deadline_kind", "deadline_explanation", "due_dates", "final_due"])
    audit_record(
        actor=actor,
        action="plan.update",
        obj=plan,
        unit=plan.issuer,
        before=before,
        after=snapshot(plan, PLAN_FIELDS),
    )
    return plan


@transaction.atomic
def plan_issue(
    *, actor: Actor, plan: Plan, issued_on: dt.date | None = None, number: str | None = None
) -> Plan:
    """Issue a draft plan: every task must have a lead unit; each lead unit gets an assignment
    (tracking, as an observer of the plan)."""
    require_manager(actor, plan.issuer, DENIED)
    if plan.status != PlanStatus.DRAFT:
        raise ServiceError("Chỉ kế hoạch đang dự thảo mới có thể ban hành.", code="plan_wrong_state")
    tasks = list(plan.tasks.prefetch_related("task_units"))
    if not tasks:
        raise ServiceError("Kế hoạch chưa có nhiệm vụ nào, không thể ban hành.", code="plan_without_tasks")
    missing = [
        t.number or str(t.position)
        for t in tasks
        if not any(tu.role == TaskRole.LEAD for tu in t.task_units.all())
    ]
    if missing:
        raise ServiceError(
            f"Các nhiệm vụ sau chưa có cơ quan chủ trì: {', '.join(missing)}.", code="tasks_without_lead"
        )
    before = snapshot(plan, PLAN_FIELDS)
    plan.status = PlanStatus.ISSUED
    plan.issued_on = issued_on or plan.issued_on or timezone.localdate()
    if number is not None:
        plan.number = nfc(number)
    plan.save()
    facts = publish_plan_issued(actor=actor, plan=plan, tasks=tasks)
    audit_record(
        actor=actor,
        action="plan.issue",
        obj=plan,
        unit=plan.issuer,
        before=before,
        after={**snapshot(plan, PLAN_FIELDS), **facts},
    )
    return plan


@transaction.atomic
def plan_close(*, actor: Actor, plan: Plan) -> Plan:
    require_manager(actor, plan.issuer, DENIED)
    if plan.status != PlanStatus.ISSUED:
        raise ServiceError("Chỉ kế hoạch đã ban hành mới có thể kết thúc.", code="plan_wrong_state")
    before = snapshot(plan, PLAN_FIELDS)
    plan.status = PlanStatus.CLOSED
    plan.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="plan.close",
        obj=plan,
        unit=plan.issuer,
        before=before,
        after=snapshot(plan, PLAN_FIELDS),
    )
    return plan


@transaction.atomic
def plan_delete(*, actor: Actor, plan: Plan) -> None:
    require_manager(actor, plan.issuer, DENIED)
    if plan.status != PlanStatus.DRAFT:
        raise ServiceError("Chỉ xóa được kế hoạch đang dự thảo.", code="plan_wrong_state")
    audit_record(
        actor=actor, action="plan.delete", obj=plan, unit=plan.issuer, before=snapshot(plan, PLAN_FIELDS)
    )
    plan.delete()


# --- targets -----------------------------------------------------------------------------------


def _validate_target(data: dict) -> dict:
    errors = {}
    data = dict(data)
    data["text"] = nfc(data.get("text"))
    if not data["text"]:
        errors["text"] = "Nội dung chỉ tiêu không được để trống."
    if data.get("area", "") not in ["", *ReformArea.values]:
        errors["area"] = "Chọn lĩnh vực cải cách."
    value = data.get("value")
    if value is None:
        errors["value"] = "Nhập giá trị chỉ tiêu."
    else:
        data["value"] = Decimal(str(value))
        if data.get("unit_of_measure", "%") == "%" and not (0 <= data["value"] <= 100):
            errors["value"] = "Tỷ lệ phần trăm phải trong khoảng 0–100."
    if errors:
        raise ServiceError(errors, code="target_invalid")
    return data


@transaction.atomic
def target_save(*, actor: Actor, plan: Plan, target: Target | None = None, **data) -> Target:
    require_manager(actor, plan.issuer, DENIED)
    _require_editable(plan)
    data = _validate_target(data)
    if data.get("year") and not plan.from_year <= data["year"] <= plan.to_year:
        raise ServiceError(
            {"year": f"Năm của chỉ tiêu phải trong kỳ kế hoạch {plan.period_label}."},
            code="target_year_outside_plan",
        )
    before = snapshot(target, TARGET_FIELDS) if target else None
    if target is None:
        target = Target(plan=plan, position=plan.targets.count() + 1)
    elif target.plan_id != plan.pk:
        raise ServiceError("Chỉ tiêu không thuộc kế hoạch này.", code="not_in_plan")
    for field in TARGET_FIELDS:
        if field in data:
            setattr(target, field, data[field])
    if data.get("source") is not None:
        target.source = data["source"]
    target.save()
    audit_record(
        actor=actor,
        action="target.update" if before else "target.create",
        obj=target,
        unit=plan.issuer,
        before=before,
        after=snapshot(target, TARGET_FIELDS),
    )
    return target


@transaction.atomic
def target_delete(*, actor: Actor, target: Target) -> None:
    plan = target.plan
    require_manager(actor, plan.issuer, DENIED)
    _require_editable(plan)
    audit_record(
        actor=actor,
        action="target.delete",
        obj=target,
        unit=plan.issuer,
        before=snapshot(target, TARGET_FIELDS),
    )
    target.delete()


# --- tasks -------------------------------------------------------------------------------------


def _apply_deadline(task: Task, plan: Plan) -> None:
    schedule = parse_deadline(task.deadline_text, from_year=plan.from_year, to_year=plan.to_year)
    task.deadline_kind = schedule.kind.value
    task.deadline_explanation = schedule.explanation[:500]
    task.due_dates = [d.isoformat() for d in schedule.dates]
    task.final_due = schedule.final()


@transaction.atomic
def task_save(
    *,
    actor: Actor,
    plan: Plan,
    task: Task | None = None,
    content: str,
    area: str,
    lead_units: Sequence[Unit],
    coordinating_units: Iterable[Unit] = (),
    number: str = "",
    group: str = "",
    output: str = "",
    note: str = "",
    lead_text: str = "",
    coordinating_text: str = "",
    deadline_text: str = "",
    final_due: dt.date | None = None,
    source: Task | None = None,
    version: int | None = None,
) -> Task:
    """Create or update a task. The deadline phrase is turned into due dates; `final_due`, when
    given, is a person's decision and overrides the computed one (for conditional deadlines).
    ``version``: the one the edit form was opened at; a save over someone else's later save is
    refused (`EditedMeanwhile`)."""
    require_manager(actor, plan.issuer, DENIED)
    _require_editable(plan)
    errors = {}
    content = nfc(content)
    if not content:
        errors["content"] = "Nội dung nhiệm vụ không được để trống."
    if area not in ReformArea.values:
        errors["area"] = "Chọn lĩnh vực cải cách."
    if not lead_units:
        errors["lead_units"] = "Chọn ít nhất một cơ quan chủ trì."
    period_start, period_end = dt.date(plan.from_year, 1, 1), dt.date(plan.to_year, 12, 31)
    if final_due and not period_start <= final_due <= period_end:
        errors["final_due"] = (
            f"Hạn hoàn thành phải trong kỳ kế hoạch ({period_start:%d/%m/%Y}–{period_end:%d/%m/%Y})."
        )
    if errors:
        raise ServiceError(errors, code="task_invalid")

    before = None
    if task is None:
        task = Task(plan=plan, position=(plan.tasks.count() + 1))
    else:
        if task.plan_id != plan.pk:
            raise ServiceError("Nhiệm vụ không thuộc kế hoạch này.", code="not_in_plan")
        claim_version(task, version, what="nhiệm vụ")
        before = snapshot(task, TASK_FIELDS)
        before["lead_units"] = sorted(
            task.task_units.filter(role=TaskRole.LEAD).values_list("unit_id", flat=True)
        )
    task.content, task.area, task.number = content, area, nfc(number)
    task.group, task.output, task.note = nfc(group), nfc(output), nfc(note)
    task.lead_text = nfc(lead_text) or "; ".join(u.name for u in lead_units)
    task.coordinating_text = nfc(coordinating_text) or "; ".join(u.name for u in coordinating_units)
    task.deadline_text = nfc(deadline_text)
    if source is not None:
        task.source = source
    _apply_deadline(task, plan)
    if final_due:
        task.final_due = final_due
        if final_due.isoformat() not in task.due_dates:
            task.due_dates = sorted([*task.due_dates, final_due.isoformat()])
    task.save()

    wanted = {(u.pk, TaskRole.LEAD.value) for u in lead_units} | {
        (u.pk, TaskRole.COORDINATING.value) for u in coordinating_units
    }
    current = set(task.task_units.values_list("unit_id", "role"))
    for unit_id, role in current - wanted:
        TaskUnit.objects.filter(task=task, unit_id=unit_id, role=role).delete()
    TaskUnit.objects.bulk_create([TaskUnit(task=task, unit_id=u, role=r) for u, r in wanted - current])
    after = snapshot(task, TASK_FIELDS) | {"lead_units": sorted(u.pk for u in lead_units)}
    audit_record(
        actor=actor,
        action="task.update" if before else "task.create",
        obj=task,
        unit=plan.issuer,
        before=before,
        after=after,
    )
    if plan.status == PlanStatus.ISSUED:
        publish_task_units_changed(actor=actor, task=task)
    return task


@transaction.atomic
def task_delete(*, actor: Actor, task: Task) -> None:
    plan = task.plan
    require_manager(actor, plan.issuer, DENIED)
    _require_editable(plan)
    publish_task_deleting(actor=actor, task=task)
    audit_record(
        actor=actor, action="task.delete", obj=task, unit=plan.issuer, before=snapshot(task, TASK_FIELDS)
    )
    task.delete()
