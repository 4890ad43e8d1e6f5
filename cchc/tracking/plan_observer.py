"""Tracking as an observer of plans (`cchc.plans.observers`), registered from
`TrackingConfig.ready()`: issuing a plan or changing the lead units of an issued plan's task
makes the assignments match; a task on which a unit has reported progress cannot be deleted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cchc.core.actors import Actor
from cchc.core.errors import ServiceError
from cchc.plans.models import Plan, Task
from cchc.plans.observers import PlanObserver

from .models import Assignment
from .services import assignments_sync


class AssignmentsFollowPlans(PlanObserver):
    def plan_issued(self, *, actor: Actor, plan: Plan, tasks: Sequence[Task]) -> dict[str, Any]:
        return {"assignments_created": sum(assignments_sync(actor=actor, task=t) for t in tasks)}

    def task_units_changed(self, *, actor: Actor, task: Task) -> None:
        assignments_sync(actor=actor, task=task)

    def task_deleting(self, *, actor: Actor, task: Task) -> None:
        if Assignment.objects.filter(task=task, updates_count__gt=0).exists():
            raise ServiceError(
                "Nhiệm vụ đã có đơn vị báo cáo tiến độ, không thể xóa.", code="task_has_reports"
            )


ASSIGNMENTS_FOLLOW_PLANS = AssignmentsFollowPlans()
