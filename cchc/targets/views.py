"""The plan's targets measured by indicators: status page, and the coordinator's bind/unbind
actions (`cchc.targets.services`). Who sees the page is who sees the plan; a target's
figures only for those who may read its measured unit; binding only for the issuer's
coordinators — the service decides, the page only hides the buttons from others."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from cchc.core import indicator_sources
from cchc.core.charts import sparkline
from cchc.core.collation import vi
from cchc.core.errors import ServiceError
from cchc.orgs.access import Access
from cchc.orgs.http import AuthedRequest
from cchc.orgs.models import KIND_ORDER, Unit
from cchc.plans import selectors as plan_selectors
from cchc.plans.models import Target

from . import services
from .models import binding_of
from .status import LABELS, goal_text, target_statuses


@require_GET
def plan_targets(request: AuthedRequest, pk: int):
    plan = plan_selectors.plan_get(user=request.user, pk=pk)
    today = timezone.localdate()
    targets = list(plan.targets.select_related("binding__measured_unit", "binding__confirmed_by"))
    statuses = target_statuses(plan, targets, user=request.user, today=today)
    can_bind = Access.for_user(request.user).can_manage_unit(plan.issuer)
    rows = []
    for st in statuses:
        t = st.target
        binding = binding_of(t)
        suggested = st.suggestion.code if st.suggestion else None
        row = {
            "st": st,
            "t": t,
            "b": binding,
            "goal": goal_text(t),
            "suggested_name": indicator_sources.source_of(suggested).name if suggested else "",
            "selected": binding.indicator or suggested or "",
            "spark": "",
            "value_url": "",
        }
        if st.source is not None and st.visible:
            row["spark"] = sparkline(
                [(label, v, indicator_sources.format_value(st.source, v)) for _, label, v in st.trend],
                label=f"{st.source.name}, {st.unit.name}",
            )
            if st.reading.value is not None:
                row["value_url"] = indicator_sources.drill_url(st.source, st.unit, st.value_key)
        rows.append(row)
    counts = Counter(st.status for st in statuses)
    units = []
    if can_bind:
        units = [
            plan.issuer,
            *Unit.objects.current().filter(parent=plan.issuer).order_by(KIND_ORDER, vi("name")),
        ]
        measured = (binding_of(t).measured_unit for t in targets)
        extra = {u for u in measured if u is not None and u not in units}
        units += sorted(extra, key=lambda u: u.path)
    return render(
        request,
        "targets/plan_targets.html",
        {
            "plan": plan,
            "rows": rows,
            "summary": [(key, label, counts[key]) for key, label in LABELS.items() if counts[key]],
            "can_bind": can_bind,
            "choices": indicator_sources.choices(plan.issuer) if can_bind else [],
            "units": units,
            "today": today,
        },
    )


def _back(request: AuthedRequest, plan) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("targets:plan_targets", args=[plan.pk]) + "#chi-tieu"


def _report(request: AuthedRequest, exc: ServiceError) -> None:
    found = exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]
    for msgs in found:
        for message in msgs:
            messages.error(request, message)


@require_POST
def target_bind(request: AuthedRequest, pk: int, target_id: int):
    plan = plan_selectors.plan_get(user=request.user, pk=pk)
    target = get_object_or_404(Target, pk=target_id, plan=plan)
    unit_id = request.POST.get("measured_unit") or ""
    measured = None
    if unit_id:
        measured = Unit.objects.filter(pk=int(unit_id) if unit_id.isdigit() else 0).first()
        if measured is None:
            messages.error(request, "Đơn vị lấy số liệu không tồn tại.")
            return redirect(_back(request, plan))
    try:
        binding = services.target_bind(
            actor=request.user,
            target=target,
            indicator=request.POST.get("indicator", ""),
            measured_unit=measured,
        )
    except ServiceError as exc:
        _report(request, exc)
    else:
        name = indicator_sources.source_of(binding.indicator).name
        messages.success(request, f"Đã gắn chỉ tiêu với chỉ số “{name}” ({binding.measured_unit.name}).")
    return redirect(_back(request, plan))


@require_POST
def target_unbind(request: AuthedRequest, pk: int, target_id: int):
    plan = plan_selectors.plan_get(user=request.user, pk=pk)
    target = get_object_or_404(Target, pk=target_id, plan=plan)
    try:
        services.target_unbind(actor=request.user, target=target)
    except ServiceError as exc:
        _report(request, exc)
    else:
        messages.success(request, "Đã bỏ gắn chỉ số của chỉ tiêu.")
    return redirect(_back(request, plan))
