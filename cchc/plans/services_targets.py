"""Binding plan targets to the indicators that measure them (docs/targets.md).

Keyword-only, one transaction each, audited. Only a coordinator (or administrator) of the plan's
issuer binds: the binding decides which figure says whether the plan's goal is met. Binding is
allowed on a closed plan too — it changes how a target is measured, not what the plan says, and
the year-end evaluation often comes after the plan is closed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cchc.core.audit import audit_record, snapshot
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.indicators.sources import check_bindable
from cchc.indicators.suggest import suggest_target
from cchc.orgs.access import Access
from cchc.orgs.models import Unit

from .models import Plan, Target

BIND_FIELDS = [
    "indicator",
    "indicator_suggested",
    "indicator_confirmed_by_id",
    "indicator_confirmed_at",
    "measured_unit_id",
]


def _require_coordinator(actor, plan: Plan) -> None:
    if not Access.for_user(actor).can_manage_unit(plan.issuer):
        raise PermissionDenied(
            "Chỉ cán bộ đầu mối CCHC (điều phối) của cơ quan ban hành kế hoạch được gắn chỉ số cho chỉ tiêu."
        )


def _locked(target: Target) -> Target:
    return Target.objects.select_for_update().select_related("plan__issuer").get(pk=target.pk)


@transaction.atomic
def target_bind(*, actor, target: Target, indicator: str, measured_unit: Unit | None = None) -> Target:
    """Bind (or re-bind) a target to an indicator, measured at ``measured_unit`` (default: the
    plan's issuer, which must contain it); the actor's confirmation is recorded."""
    target = _locked(target)
    plan = target.plan
    _require_coordinator(actor, plan)
    unit = measured_unit or plan.issuer
    if not unit.path.startswith(plan.issuer.path):
        raise ServiceError(
            {"measured_unit": f"Đơn vị lấy số liệu phải là {plan.issuer.name} hoặc một đơn vị trực thuộc."}
        )
    source = check_bindable(indicator, unit)
    before = snapshot(target, BIND_FIELDS)
    target.indicator = source.code
    target.indicator_suggested = suggest_target(target).code or ""
    target.indicator_confirmed_by = actor
    target.indicator_confirmed_at = timezone.now()
    target.measured_unit = unit
    target.save(update_fields=[f.removesuffix("_id") for f in BIND_FIELDS])
    audit_record(
        actor=actor,
        action="target.bind",
        obj=target,
        unit=plan.issuer,
        before=before,
        after=snapshot(target, BIND_FIELDS) | {"indicator_name": source.name},
    )
    return target


@transaction.atomic
def target_unbind(*, actor, target: Target) -> Target:
    target = _locked(target)
    _require_coordinator(actor, target.plan)
    if not target.indicator:
        raise ServiceError("Chỉ tiêu này chưa được gắn chỉ số.")
    before = snapshot(target, BIND_FIELDS)
    target.indicator = ""
    target.indicator_confirmed_by = None
    target.indicator_confirmed_at = None
    target.measured_unit = None
    target.save(
        update_fields=["indicator", "indicator_confirmed_by", "indicator_confirmed_at", "measured_unit"]
    )
    audit_record(
        actor=actor,
        action="target.unbind",
        obj=target,
        unit=target.plan.issuer,
        before=before,
        after=snapshot(target, BIND_FIELDS),
    )
    return target


@transaction.atomic
def targets_suggest(*, actor, plan: Plan) -> int:
    """Record what the system suggests for every target of the plan (after an import, say);
    bindings stay as they are. Returns how many targets got a suggestion."""
    _require_coordinator(actor, plan)
    changed = {}
    for target in plan.targets.select_for_update().order_by("position", "id"):
        code = suggest_target(target).code or ""
        if code != target.indicator_suggested:
            changed[target.pk] = (target.indicator_suggested, code)
            target.indicator_suggested = code
            target.save(update_fields=["indicator_suggested"])
    if changed:
        audit_record(
            actor=actor,
            action="plan.targets_suggest",
            obj=plan,
            unit=plan.issuer,
            before={str(pk): old for pk, (old, _) in changed.items()},
            after={str(pk): new for pk, (_, new) in changed.items()},
        )
    return plan.targets.exclude(indicator_suggested="").count()
