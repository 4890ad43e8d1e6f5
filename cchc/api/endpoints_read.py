"""Read endpoints: every list is limited to the client's subtree, filtered, ordered
(``ordering``) and paged (``limit``, ``offset``; answer ``{"items": [...], "count": n}``)."""

from typing import Literal

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from cchc.core import indicator_sources
from cchc.core.indicator_sources import REPORTING
from cchc.core.periods import PeriodError, parse_calendar_period, parse_reporting_window
from cchc.index766.models import Snapshot
from cchc.orgs.access import Access
from cchc.orgs.models import Unit
from cchc.plans.models import Plan, Target, Task, TaskUnit
from cchc.plans.selectors import plan_visibility_q
from cchc.procedures.models import Procedure
from cchc.targets.status import LABELS, target_statuses
from cchc.tracking.models import Assignment

from .auth import actor_of
from .schemas import (
    AssignmentOut,
    ErrorOut,
    Index766Out,
    IndicatorValuesOut,
    Paged,
    PlanOut,
    ProcedureOut,
    SourceOut,
    TargetOut,
    TaskOut,
    UnitOut,
)
from .schemas_write import IsoDate
from .scope import ordered, subtree_q, unit_in_scope

router = Router(tags=["đọc"])
# the orders each list accepts ("-" = descending); anything else is refused by validation (422)
UnitOrder = Literal["code", "-code", "name", "-name", "path", "-path"]
ProcedureOrder = Literal["code", "-code", "name", "-name", "field", "-field"]
PlanOrder = Literal["issued_on", "-issued_on", "from_year", "-from_year", "id", "-id"]
TaskOrder = Literal["final_due", "-final_due", "position", "-position", "id", "-id"]
AssignmentOrder = Literal["id", "-id", "percent", "-percent", "final_due", "-final_due"]
Index766Order = Literal["total", "-total", "period", "-period", "unit", "-unit"]
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
MAX_PERIODS = 24


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="Đơn vị (trong phạm vi)")
@paginate(Paged)
def units(
    request: HttpRequest,
    parent: str | None = None,
    kind: str | None = None,
    current: bool | None = None,
    ordering: UnitOrder | None = None,
):
    """Units of the client's subtree; ``parent``: the direct children of that unit; ``current``:
    only units still valid (true) or only historical ones (false)."""
    actor = actor_of(request)
    qs = Unit.objects.filter(subtree_q(actor)).select_related("parent")
    if parent:
        qs = qs.filter(parent=unit_in_scope(actor, parent))
    if kind:
        qs = qs.filter(kind=kind)
    if current is not None:
        qs = qs.filter(valid_to__isnull=current)
    return ordered(qs, ordering, {"code": "code", "name": "name", "path": "path"}, "path")


@router.get("/units/{code}", response={200: UnitOut, **ERRORS}, summary="Một đơn vị")
def unit_detail(request: HttpRequest, code: str):
    unit = unit_in_scope(actor_of(request), code)
    return Unit.objects.select_related("parent").get(pk=unit.pk)


@router.get("/procedures", response={200: list[ProcedureOut], **ERRORS}, summary="Thủ tục hành chính")
@paginate(Paged)
def procedures(
    request: HttpRequest,
    agency: str | None = None,
    field: str | None = None,
    level: str | None = None,
    code: str | None = None,
    current: bool | None = None,
    ordering: ProcedureOrder | None = None,
):
    """Procedures carried out by agencies of the client's subtree."""
    actor = actor_of(request)
    qs = Procedure.objects.filter(subtree_q(actor, "agency__")).select_related("agency")
    if agency:
        qs = qs.filter(agency__path__startswith=unit_in_scope(actor, agency).path)
    for name, value in (("field", field), ("level", level), ("code", code)):
        if value:
            qs = qs.filter(**{name: value})
    if current is not None:
        qs = qs.filter(valid_to__isnull=current)
    return ordered(qs, ordering, {"code": "code", "name": "name", "field": "field"}, "code")


def _plans(request: HttpRequest):
    return Plan.objects.filter(plan_visibility_q(Access.for_user(actor_of(request)))).select_related("issuer")


@router.get("/plans", response={200: list[PlanOut], **ERRORS}, summary="Kế hoạch CCHC")
@paginate(Paged)
def plans(
    request: HttpRequest,
    status: str | None = None,
    year: int | None = Query(None, ge=2000, le=2100),
    issuer: str | None = None,
    ordering: PlanOrder | None = None,
):
    """Plans issued in the client's subtree or assigning work to a unit of it."""
    qs = _plans(request)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(from_year__lte=year, to_year__gte=year)
    if issuer:
        qs = qs.filter(issuer=unit_in_scope(actor_of(request), issuer))
    return ordered(
        qs, ordering, {"issued_on": "issued_on", "from_year": "from_year", "id": "id"}, "-from_year"
    )


def _plan_or_404(request: HttpRequest, plan_id: int) -> Plan:
    plan = _plans(request).filter(pk=plan_id).first()
    if plan is None:
        raise HttpError(404, f"Không có kế hoạch {plan_id} trong phạm vi của ứng dụng.")
    return plan


@router.get("/plans/{plan_id}", response={200: PlanOut, **ERRORS}, summary="Một kế hoạch")
def plan_detail(request: HttpRequest, plan_id: int = Path(..., ge=1, le=2**31 - 1)):
    return _plan_or_404(request, plan_id)


@router.get(
    "/plans/{plan_id}/targets", response={200: list[TargetOut], **ERRORS}, summary="Chỉ tiêu và trạng thái"
)
@paginate(Paged)
def plan_targets(
    request: HttpRequest,
    plan_id: int = Path(..., ge=1, le=2**31 - 1),
    status: str | None = None,
):
    """The plan's targets with their status today, measured by the bound indicator (any source:
    dossier figures, the 766 index, manual indicators, tasks) — the targets page's computation."""
    plan = _plan_or_404(request, plan_id)
    targets = list(
        Target.objects.filter(plan=plan)
        .select_related("binding", "binding__measured_unit")
        .order_by("position", "pk")
    )
    statuses = target_statuses(plan, targets, user=actor_of(request), today=timezone.localdate())
    out = []
    for t, st in zip(targets, statuses, strict=True):
        if status and st.status != status:
            continue
        binding = getattr(t, "binding", None)
        out.append(
            {
                "id": t.pk,
                "plan_id": plan.pk,
                "position": t.position,
                "text": t.text,
                "area": t.area,
                "comparator": t.comparator,
                "value": t.value,
                "unit_of_measure": t.unit_of_measure,
                "year": t.year,
                "reduction": t.reduction,
                "indicator": (binding.indicator or None) if binding else None,
                "measured_unit_code": st.unit.code if st.unit else None,
                "status": st.status,
                "status_label": LABELS[st.status],
                "current_value": st.value if st.visible else None,
                "gap": st.gap if st.visible else None,
                "why": st.why,
            }
        )
    return out


@router.get("/tasks", response={200: list[TaskOut], **ERRORS}, summary="Nhiệm vụ")
@paginate(Paged)
def tasks(
    request: HttpRequest,
    plan_id: int | None = Query(None, ge=1, le=2**31 - 1),
    unit: str | None = None,
    due_before: IsoDate | None = None,
    ordering: TaskOrder | None = None,
):
    """Tasks of the plans the client sees; ``unit``: tasks whose lead or coordinating units include it."""
    qs = Task.objects.filter(plan__in=_plans(request)).prefetch_related(
        Prefetch(
            "task_units", queryset=TaskUnit.objects.select_related("unit").order_by("role", "unit__path")
        )
    )
    if plan_id:
        qs = qs.filter(plan_id=plan_id)
    if unit:
        qs = qs.filter(task_units__unit=unit_in_scope(actor_of(request), unit)).distinct()
    if due_before:
        qs = qs.filter(final_due__lt=due_before)
    return ordered(qs, ordering, {"final_due": "final_due", "position": "position", "id": "id"}, "position")


@router.get(
    "/assignments", response={200: list[AssignmentOut], **ERRORS}, summary="Phân công nhiệm vụ cho đơn vị"
)
@paginate(Paged)
def assignments(
    request: HttpRequest,
    plan_id: int | None = Query(None, ge=1, le=2**31 - 1),
    unit: str | None = None,
    ordering: AssignmentOrder | None = None,
):
    """The tracked assignments (a task × a lead unit) of units in the client's subtree: the ids
    that progress reports (``POST /progress-updates``) refer to."""
    actor = actor_of(request)
    qs = Assignment.objects.filter(subtree_q(actor, "unit__")).select_related("task", "unit")
    if plan_id:
        qs = qs.filter(task__plan_id=plan_id)
    if unit:
        qs = qs.filter(unit=unit_in_scope(actor, unit))
    return ordered(qs, ordering, {"id": "id", "percent": "percent", "final_due": "task__final_due"}, "id")


def _source_out(source) -> dict:
    return {
        "code": source.code,
        "name": source.name,
        "family": source.family,
        "kind": source.kind,
        "cadence": source.cadence,
        "higher_is_better": source.higher_is_better,
        "unit_label": source.unit_label,
    }


@router.get("/indicators", response={200: list[SourceOut], **ERRORS}, summary="Các chỉ số (nguồn số liệu)")
def indicators(request: HttpRequest, unit: str | None = None):
    """Every indicator code with figures for ``unit`` (default: the client's unit), of every
    registered source (dossier indicators, 766, manual indicators, tasks …)."""
    actor = actor_of(request)
    where = unit_in_scope(actor, unit) if unit else Unit.objects.get(pk=actor.unit_id)
    out = []
    for _group, codes in indicator_sources.choices(where):
        for code, _label in codes:
            out.append(_source_out(indicator_sources.source_of(code, where)))
    return out


@router.get("/indicators/values", response={200: IndicatorValuesOut, **ERRORS}, summary="Số liệu một chỉ số")
def indicator_values(
    request: HttpRequest,
    indicator: str,
    unit: str,
    period: list[str] = Query(...),  # noqa: B008 (ninja reads the declaration)
):
    """The figure of ``indicator`` for ``unit``'s subtree in each ``period`` (repeat the
    parameter; calendar keys such as 2026, 2026-Q1, 2026-03 — or BC-2026-Q1 for the sources
    that follow the CCHC reporting windows)."""
    where = unit_in_scope(actor_of(request), unit)
    source = indicator_sources.source_of(indicator, where)
    if not period or len(period) > MAX_PERIODS:
        raise HttpError(400, f"Cần từ 1 đến {MAX_PERIODS} kỳ (tham số period).")
    parse = parse_reporting_window if source.cadence == REPORTING else parse_calendar_period
    keys = []
    for key in period:
        try:
            keys.append(parse(key.strip()).key)
        except PeriodError as exc:
            raise HttpError(400, f"Kỳ “{key}” không hợp lệ: {exc}") from None
    readings = indicator_sources.readings(source.code, where, keys)
    values = []
    for key in keys:
        r = readings.get(key, indicator_sources.EMPTY)
        values.append(
            {"period": key, "value": r.value, "numerator": r.numerator, "denominator": r.denominator}
        )
    return {"source": _source_out(source), "unit_code": where.code, "values": values}


@router.get("/index766", response={200: list[Index766Out], **ERRORS}, summary="Kết quả Chỉ số 766")
@paginate(Paged)
def index766(
    request: HttpRequest,
    period: str | None = None,
    unit: str | None = None,
    ordering: Index766Order | None = None,
):
    """The stored 766 index of units of the client's subtree (as last computed)."""
    actor = actor_of(request)
    qs = Snapshot.objects.filter(subtree_q(actor, "unit__")).select_related("unit")
    if period:
        qs = qs.filter(period=period.strip())
    if unit:
        qs = qs.filter(unit=unit_in_scope(actor, unit))
    return ordered(qs, ordering, {"total": "total", "period": "period", "unit": "unit__path"}, "-total")
