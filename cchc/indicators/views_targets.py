"""The plan's targets measured by indicators: status page, and the coordinator's bind/unbind
actions (`cchc.plans.services_targets`). Who sees the page is who sees the plan; a target's
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

from cchc.core.errors import ServiceError
from cchc.orgs.access import Access
from cchc.orgs.models import Unit
from cchc.plans import selectors as plan_selectors
from cchc.plans import services_targets
from cchc.plans.models import Target

from . import charts, sources
from .dashboard import KIND_ORDER
from .target_status import LABELS, goal_text, target_statuses
from .views import drill_url


def _choices(plan) -> list[tuple[str, list[tuple[str, str]]]]:
    groups = [("Chỉ số hồ sơ (tự động)", sources.dossier_choices())]
    index = [("766", "Chỉ số 766: tổng điểm")]
    index += [(f"766:{code}", f"Chỉ số 766: nhóm {name}") for code, name in sources.groups_766().items()]
    groups.append(("Chỉ số phục vụ 766", index))
    manual = [(f"manual:{m.code}", m.name) for m in sources.manual_definitions_for(plan.issuer)]
    if manual:
        groups.append(("Chỉ số báo cáo thủ công", manual))
    return groups


@require_GET
def plan_targets(request, pk: int):
    plan = plan_selectors.plan_get(user=request.user, pk=pk)
    today = timezone.localdate()
    targets = list(plan.targets.select_related("measured_unit", "indicator_confirmed_by"))
    statuses = target_statuses(plan, targets, user=request.user, today=today)
    can_bind = Access.for_user(request.user).can_manage_unit(plan.issuer)
    rows = []
    for st in statuses:
        t = st.target
        suggested = st.suggestion.code if st.suggestion else None
        row = {
            "st": st,
            "t": t,
            "goal": goal_text(t),
            "suggested_name": sources.source_of(suggested).name if suggested else "",
            "selected": t.indicator or suggested or "",
            "spark": "",
            "value_url": "",
        }
        if st.source is not None and st.visible:
            row["spark"] = charts.sparkline(
                [(label, v, sources.format_value(st.source, v)) for _, label, v in st.trend],
                label=f"{st.source.name}, {st.unit.name}",
            )
            if st.source.drillable and st.reading.value is not None:
                row["value_url"] = drill_url(st.unit.pk, st.value_key, st.source.code, "numerator")
        rows.append(row)
    counts = Counter(st.status for st in statuses)
    units = []
    if can_bind:
        units = [plan.issuer, *Unit.objects.current().filter(parent=plan.issuer).order_by(KIND_ORDER, "name")]
        extra = {t.measured_unit for t in targets if t.measured_unit and t.measured_unit not in units}
        units += sorted(extra, key=lambda u: u.path)
    return render(
        request,
        "indicators/plan_targets.html",
        {
            "plan": plan,
            "rows": rows,
            "summary": [(key, label, counts[key]) for key, label in LABELS.items() if counts[key]],
            "can_bind": can_bind,
            "choices": _choices(plan) if can_bind else [],
            "units": units,
            "today": today,
        },
    )


def _back(request, plan) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("indicators:plan_targets", args=[plan.pk]) + "#chi-tieu"


def _report(request, exc: ServiceError) -> None:
    found = exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]
    for msgs in found:
        for message in msgs:
            messages.error(request, message)


@require_POST
def target_bind(request, pk: int, target_id: int):
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
        target = services_targets.target_bind(
            actor=request.user,
            target=target,
            indicator=request.POST.get("indicator", ""),
            measured_unit=measured,
        )
    except ServiceError as exc:
        _report(request, exc)
    else:
        name = sources.source_of(target.indicator).name
        messages.success(request, f"Đã gắn chỉ tiêu với chỉ số “{name}” ({target.measured_unit.name}).")
    return redirect(_back(request, plan))


@require_POST
def target_unbind(request, pk: int, target_id: int):
    plan = plan_selectors.plan_get(user=request.user, pk=pk)
    target = get_object_or_404(Target, pk=target_id, plan=plan)
    try:
        services_targets.target_unbind(actor=request.user, target=target)
    except ServiceError as exc:
        _report(request, exc)
    else:
        messages.success(request, "Đã bỏ gắn chỉ số của chỉ tiêu.")
    return redirect(_back(request, plan))
