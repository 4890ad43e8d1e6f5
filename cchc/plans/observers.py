"""What the plans app publishes, for the apps above it that act on plans.

Plans sit below tracking and targets (docs/architecture.md), yet issuing a plan must create the
assignments that tracking owns, and an imported plan's targets should get the indicator the
targets app suggests. So those apps subclass `PlanObserver` and register an instance from their
`AppConfig.ready()`. Observers run inside the plan service's transaction: one that raises a
`ServiceError` refuses the whole operation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cchc.core.actors import Actor
from cchc.core.observers import Registry

if TYPE_CHECKING:
    from .models import Plan, Task


class PlanObserver:
    """Every hook does nothing by default; override the ones you need."""

    def plan_issued(self, *, actor: Actor, plan: Plan, tasks: Sequence[Task]) -> dict[str, Any]:
        """The plan was just issued; returns facts worth recording in the plan's audit row."""
        return {}

    def task_units_changed(self, *, actor: Actor, task: Task) -> None:
        """The lead or coordinating units of a task of an issued plan changed."""

    def task_deleting(self, *, actor: Actor, task: Task) -> None:
        """The task is about to be deleted: raise ServiceError to refuse."""

    def targets_imported(self, *, actor: Actor, plan: Plan) -> None:
        """A document import has just saved the plan's targets."""


observers: Registry[PlanObserver] = Registry("plans")


def publish_plan_issued(*, actor: Actor, plan: Plan, tasks: Sequence[Task]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for observer in observers:
        facts |= observer.plan_issued(actor=actor, plan=plan, tasks=tasks)
    return facts


def publish_task_units_changed(*, actor: Actor, task: Task) -> None:
    for observer in observers:
        observer.task_units_changed(actor=actor, task=task)


def publish_task_deleting(*, actor: Actor, task: Task) -> None:
    for observer in observers:
        observer.task_deleting(actor=actor, task=task)


def publish_targets_imported(*, actor: Actor, plan: Plan) -> None:
    for observer in observers:
        observer.targets_imported(actor=actor, plan=plan)
