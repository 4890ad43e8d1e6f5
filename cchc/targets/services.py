"""Binding plan targets to the indicators that measure them (docs/targets.md).

Keyword-only, one transaction each, audited. Only a coordinator (or administrator) of the plan's
issuer binds: the binding decides which figure says whether the plan's goal is met. Binding is
allowed on a closed plan too — it changes how a target is measured, not what the plan says, and
the year-end evaluation often comes after the plan is closed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cchc.core import indicator_sources
from cchc.core.actors import Actor
from cchc.core.audit import audit_record, snapshot
from cchc.core.errors import ServiceError
from cchc.orgs.access import require_manager
from cchc.orgs.models import Unit, user_of
from cchc.plans.models import Plan, Target
from cchc.plans.observers import PlanObserver

from .models import TargetBinding, binding_of
from .suggest import suggest_target

BIND_FIELDS = ["indicator", "suggested", "confirmed_by_id", "confirmed_at", "measured_unit_id"]


def _require_coordinator(actor: Actor, plan: Plan) -> None:
    require_manager(
        actor,
        plan.issuer,
        "Chỉ cán bộ đầu mối CCHC (điều phối) của cơ quan ban hành kế hoạch được gắn chỉ số cho chỉ tiêu.",
    )


def _locked(target: Target) -> tuple[Target, TargetBinding]:
    """The target (with its plan and issuer) under a row lock, and its binding."""
    target = Target.objects.select_for_update(of=("self",)).select_related("plan__issuer").get(pk=target.pk)
    binding = TargetBinding.objects.select_for_update().filter(target=target).first()
    return target, binding or TargetBinding(target=target)


@transaction.atomic
def target_bind(
    *, actor: Actor, target: Target, indicator: str, measured_unit: Unit | None = None
) -> TargetBinding:
    """Bind (or re-bind) a target to an indicator, measured at ``measured_unit`` (default: the
    plan's issuer, which must contain it); the actor's confirmation is recorded."""
    target, binding = _locked(target)
    plan = target.plan
    _require_coordinator(actor, plan)
    unit = measured_unit or plan.issuer
    if not unit.path.startswith(plan.issuer.path):
        raise ServiceError(
            {"measured_unit": f"Đơn vị lấy số liệu phải là {plan.issuer.name} hoặc một đơn vị trực thuộc."},
            code="not_in_subtree",
        )
    source = indicator_sources.check_bindable(indicator, unit)
    before = snapshot(binding, BIND_FIELDS)
    binding.indicator = source.code
    binding.suggested = suggest_target(target).code or ""
    binding.confirmed_by = user_of(actor)
    binding.confirmed_at = timezone.now()
    binding.measured_unit = unit
    binding.save()
    audit_record(
        actor=actor,
        action="target.bind",
        obj=target,
        unit=plan.issuer,
        before=before,
        after=snapshot(binding, BIND_FIELDS) | {"indicator_name": source.name},
    )
    return binding


@transaction.atomic
def target_unbind(*, actor: Actor, target: Target) -> TargetBinding:
    target, binding = _locked(target)
    _require_coordinator(actor, target.plan)
    if not binding.indicator:
        raise ServiceError("Chỉ tiêu này chưa được gắn chỉ số.", code="target_not_bound")
    before = snapshot(binding, BIND_FIELDS)
    binding.indicator = ""
    binding.confirmed_by = None
    binding.confirmed_at = None
    binding.measured_unit = None
    binding.save()
    audit_record(
        actor=actor,
        action="target.unbind",
        obj=target,
        unit=target.plan.issuer,
        before=before,
        after=snapshot(binding, BIND_FIELDS),
    )
    return binding


@transaction.atomic
def targets_suggest(*, actor: Actor, plan: Plan) -> int:
    """Record what the system suggests for every target of the plan (after an import, say);
    bindings stay as they are. Returns how many targets got a suggestion."""
    _require_coordinator(actor, plan)
    changed = {}
    targets = (
        plan.targets.select_for_update(of=("self",)).select_related("binding").order_by("position", "id")
    )
    for target in targets:
        binding = binding_of(target)
        code = suggest_target(target).code or ""
        if code != binding.suggested:
            changed[target.pk] = (binding.suggested, code)
            binding.suggested = code
            binding.save()
    if changed:
        audit_record(
            actor=actor,
            action="plan.targets_suggest",
            obj=plan,
            unit=plan.issuer,
            before={str(pk): old for pk, (old, _) in changed.items()},
            after={str(pk): new for pk, (_, new) in changed.items()},
        )
    return TargetBinding.objects.filter(target__plan=plan).exclude(suggested="").count()


class SuggestOnImport(PlanObserver):
    """An imported plan's targets get their suggested indicator at once (a person confirms)."""

    def targets_imported(self, *, actor: Actor, plan: Plan) -> None:
        targets_suggest(actor=actor, plan=plan)


SUGGEST_ON_IMPORT = SuggestOnImport()
