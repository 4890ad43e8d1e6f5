"""The demo plan's targets bound to their indicators, as a coordinator would after importing it:
every target the system has a suggestion for is bound to it and confirmed by ``actor``. The demo
loader (`cchc.demo.loader`) calls this after creating the plan."""

from __future__ import annotations

from django.db import transaction

from cchc.core.actors import Actor

from .models import TargetBinding
from .services import target_bind, targets_suggest


@transaction.atomic
def bind_demo_targets(plan, actor: Actor) -> list[TargetBinding]:
    """Record the suggestions, then bind each suggested target not yet bound; returns them."""
    targets_suggest(actor=actor, plan=plan)
    unbound = (
        TargetBinding.objects.filter(target__plan=plan, indicator="")
        .exclude(suggested="")
        .select_related("target")
        .order_by("target__position", "target__id")
    )
    return [target_bind(actor=actor, target=b.target, indicator=b.suggested) for b in unbound]
