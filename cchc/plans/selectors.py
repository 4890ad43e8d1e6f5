"""Reads of plans, already scoped to the user (see cchc.orgs.access for the rules)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from cchc.core.actors import Actor
from cchc.orgs.access import SUBTREE_ROLES, Access
from cchc.orgs.models import Role

from .models import AREA_ORDER, Plan, PlanStatus, ReformArea, Task, TaskRole, TaskUnit


def plan_visibility_q(access: Access) -> Q:
    """Plans issued in the user's subtree, or assigning work to a unit the user reports for: a
    lead unit of a task of a plan no longer in draft (exactly the units tracking assigns)."""
    if access.is_superuser:
        return Q()
    issued_here = access.units_q(SUBTREE_ROLES, prefix="issuer__")
    lead_units = TaskUnit.objects.filter(
        access.units_q((*SUBTREE_ROLES, Role.OFFICER), prefix="unit__"),
        role=TaskRole.LEAD,
        task__plan=OuterRef("pk"),
    )
    return issued_here | (Q(Exists(lead_units)) & ~Q(status=PlanStatus.DRAFT))


def plan_list(*, user: Actor, status: str | None = None, year: int | None = None) -> QuerySet[Plan]:
    access = Access.for_user(user)
    qs = (
        Plan.objects.filter(plan_visibility_q(access))
        .select_related("issuer")
        .annotate(task_count=Count("tasks", distinct=True))
    )
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(from_year__lte=year, to_year__gte=year)
    return qs.order_by("-from_year", "-issued_on", "-id")


def plan_get(*, user: Actor, pk: int, manage: bool = False) -> Plan:
    """The plan if the user may see it (and manage it, when asked); 404 if it does not exist."""
    plan = get_object_or_404(Plan.objects.select_related("issuer", "parent"), pk=pk)
    access = Access.for_user(user)
    if manage:
        if not access.can_manage_unit(plan.issuer):
            raise PermissionDenied("Bạn không có quyền quản lý kế hoạch này.")
    elif not Plan.objects.filter(plan_visibility_q(access), pk=pk).exists():
        raise PermissionDenied("Bạn không có quyền xem kế hoạch này.")
    return plan


def plan_tasks_by_area(*, plan: Plan) -> list[tuple[str, str, list[Task]]]:
    """The plan's tasks grouped by reform area in the official order, with their units."""
    units = TaskUnit.objects.select_related("unit").order_by("unit__path")
    tasks = plan.tasks.prefetch_related(Prefetch("task_units", queryset=units)).order_by("position", "id")
    groups: dict[str, list[Task]] = {}
    for task in tasks:
        task.lead_units = [tu.unit for tu in task.task_units.all() if tu.role == TaskRole.LEAD]
        task.coordinating_units = [
            tu.unit for tu in task.task_units.all() if tu.role == TaskRole.COORDINATING
        ]
        groups.setdefault(task.area, []).append(task)
    labels = dict(ReformArea.choices)
    return [(area, labels[area], groups[area]) for area in sorted(groups, key=AREA_ORDER.get)]
