"""Cascading plans down the tree: a unit starts its own plan from its superior's, and the
superior sees which of its targets and tasks each subordinate plan takes up."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from cchc.core.actors import Actor
from cchc.core.collation import vi
from cchc.core.errors import ServiceError
from cchc.orgs.access import Access, require_manager
from cchc.orgs.models import Unit

from . import services
from .models import Plan, PlanStatus, Target, Task, TaskRole, TaskUnit
from .selectors import plan_list


def cascade_candidates(*, user: Actor, plan: Plan) -> list[Unit]:
    """Units the user manages that lead or coordinate tasks of the plan (who can start a plan from it)."""
    access = Access.for_user(user)
    ids = set(plan.tasks.values_list("task_units__unit_id", flat=True))
    return [
        u
        for u in access.managed_units().current().filter(pk__in=ids).order_by(vi("name"))
        if u.pk != plan.issuer_id
    ]


@transaction.atomic
def plan_cascade(*, actor: Actor, superior: Plan, unit: Unit, title: str = "") -> Plan:
    """Start `unit`'s draft plan implementing `superior`: every target of the superior (the unit
    deletes those that do not concern it) and every task the unit leads or coordinates, each
    linked back to its source. The unit is the lead of each copied task in its own plan."""
    if superior.status != PlanStatus.ISSUED:
        raise ServiceError("Chỉ triển khai được từ kế hoạch đã ban hành.", code="plan_wrong_state")
    require_manager(actor, unit, "Bạn không có quyền lập kế hoạch cho đơn vị này.")
    if unit.pk == superior.issuer_id or not unit.is_in_subtree_of(superior.issuer):
        raise ServiceError(
            f"{unit.name} không thuộc phạm vi của {superior.issuer.body_name}.", code="not_in_subtree"
        )
    roles: dict[int, str] = {}
    for task_id, role in TaskUnit.objects.filter(task__plan=superior, unit=unit).values_list(
        "task_id", "role"
    ):
        if roles.get(task_id) != TaskRole.LEAD:  # leading wins over coordinating
            roles[task_id] = role
    if not roles:
        raise ServiceError(
            f"Kế hoạch cấp trên không giao nhiệm vụ nào cho {unit.name}.", code="nothing_assigned"
        )
    year_label = (
        str(superior.from_year)
        if superior.from_year == superior.to_year
        else f"giai đoạn {superior.period_label}"
    )
    plan = services.plan_create(
        actor=actor,
        issuer=unit,
        kind=superior.kind,
        from_year=superior.from_year,
        to_year=superior.to_year,
        title=title or f"Kế hoạch cải cách hành chính năm {year_label} của {unit.body_name}",
        parent=superior,
        summary=f"Triển khai {superior.number or superior.title} của {superior.issuer.body_name}.",
    )
    for target in superior.targets.all():
        services.target_save(
            actor=actor,
            plan=plan,
            text=target.text,
            area=target.area,
            comparator=target.comparator,
            value=target.value,
            unit_of_measure=target.unit_of_measure,
            year=target.year,
            reduction=target.reduction,
            section=target.section,
            source=target,
        )
    for task in superior.tasks.filter(pk__in=roles).order_by("position", "id"):
        role_note = "" if roles[task.pk] == TaskRole.LEAD else f"Phối hợp với {task.lead_text}"
        services.task_save(
            actor=actor,
            plan=plan,
            number=task.number,
            area=task.area,
            group=task.group,
            content=task.content,
            output=task.output,
            note=role_note,
            lead_units=[unit],
            lead_text=unit.name,
            deadline_text=task.deadline_text,
            final_due=task.final_due if task.deadline_kind == "conditional" else None,
            source=task,
        )
    return plan


@dataclass
class CoverageRow:
    item: Target | Task
    taken_up_by: list[bool]

    @property
    def taken_up_by_none(self) -> bool:
        return not any(self.taken_up_by)


@dataclass
class Coverage:
    plan: Plan
    children: list[Plan]
    targets: list[CoverageRow]
    tasks: list[CoverageRow]

    @property
    def targets_uncovered(self) -> int:
        return sum(r.taken_up_by_none for r in self.targets)

    @property
    def tasks_uncovered(self) -> int:
        return sum(r.taken_up_by_none for r in self.tasks)


def plan_coverage(*, user: Actor, plan: Plan) -> Coverage:
    """For a superior plan: which targets and tasks each subordinate plan (that the user may
    see) takes up, and which none does. Four queries, whatever the sizes."""
    children = list(plan_list(user=user).filter(parent=plan).order_by(vi("issuer__name")))
    index = {c.pk: i for i, c in enumerate(children)}
    target_links: dict[int, set[int]] = {}
    for source_id, plan_id in Target.objects.filter(plan__in=children, source__plan=plan).values_list(
        "source_id", "plan_id"
    ):
        target_links.setdefault(source_id, set()).add(plan_id)
    task_links: dict[int, set[int]] = {}
    for source_id, plan_id in Task.objects.filter(plan__in=children, source__plan=plan).values_list(
        "source_id", "plan_id"
    ):
        task_links.setdefault(source_id, set()).add(plan_id)

    def rows(items, links):
        out = []
        for item in items:
            flags = [False] * len(children)
            for plan_id in links.get(item.pk, ()):
                flags[index[plan_id]] = True
            out.append(CoverageRow(item, flags))
        return out

    return Coverage(
        plan=plan,
        children=children,
        targets=rows(plan.targets.all(), target_links),
        tasks=rows(plan.tasks.order_by("position", "id"), task_links),
    )
