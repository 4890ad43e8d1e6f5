"""The demo plan's targets bound to their indicators, as a coordinator would after importing it:
every target the system has a suggestion for is bound to it and confirmed by ``actor``. The demo
loader (`cchc.demo.loader`) calls this after creating the plan."""

from __future__ import annotations

from django.db import transaction

from cchc.plans.services_targets import target_bind, targets_suggest


@transaction.atomic
def bind_demo_targets(plan, actor) -> list:
    """Record the suggestions, then bind each suggested target not yet bound; returns them."""
    targets_suggest(actor=actor, plan=plan)
    unbound = plan.targets.exclude(indicator_suggested="").filter(indicator="").order_by("position", "id")
    return [target_bind(actor=actor, target=t, indicator=t.indicator_suggested) for t in unbound]
