"""The demo plan's targets bound to their indicators, as a coordinator would after importing it:
every target the system has a suggestion for is bound to it and confirmed by ``actor``. The demo
loader (`cchc.demo.loader`) calls this after creating the plan."""

from __future__ import annotations

from django.db import transaction

from cchc.plans.services_targets import target_bind, targets_suggest

from .suggest import suggest_target


@transaction.atomic
def bind_demo_targets(plan, actor) -> list:
    """Record the suggestions, then bind each suggested target not yet bound; returns them."""
    targets_suggest(actor=actor, plan=plan)
    bound = []
    for target in plan.targets.order_by("position", "id"):
        code = suggest_target(target).code
        if code and not target.indicator:
            bound.append(target_bind(actor=actor, target=target, indicator=code))
    return bound
