"""Reads for tracking pages, scoped to the user. Each returns in a fixed number of queries,
whatever the number of tasks (tests count them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cchc.core.actors import Actor
from cchc.core.collation import vi
from cchc.core.periods import reporting_window
from cchc.core.text import vi_sort_key
from cchc.orgs.access import SUBTREE_ROLES, Access
from cchc.orgs.models import Role, Unit
from cchc.plans.models import AREA_ORDER, Plan, ReformArea

from .models import Assignment, Evidence, ProgressUpdate, ReviewPolicy, ReviewStatus
from .status import STATUS_ORDER, Status, annotate_status, status_count_aggregates, statuses_from_counts

REPORTING_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.OFFICER)


def assignment_visibility_q(access: Access) -> Q:
    """Assignments of units in the user's scope, or of plans issued in a subtree they oversee."""
    if access.is_superuser:
        return Q()
    return access.units_q((*SUBTREE_ROLES, Role.OFFICER), prefix="unit__") | access.units_q(
        SUBTREE_ROLES, prefix="task__plan__issuer__"
    )


def _base(today: dt.date) -> QuerySet[Assignment]:
    return annotate_status(Assignment.objects.select_related("task", "task__plan", "unit"), today)


def my_assignments(
    *, user: Actor, status: str | None = None, plan_id: int | None = None, today: dt.date | None = None
) -> QuerySet[Assignment]:
    """The assignments of the units the user personally reports for (their own units)."""
    today = today or timezone.localdate()
    access = Access.for_user(user)
    unit_ids = [g.unit_id for g in access.grants if g.role in REPORTING_ROLES]
    latest_review = ProgressUpdate.objects.filter(assignment=OuterRef("pk")).order_by("-created_at", "-id")
    qs = (
        _base(today)
        .filter(unit_id__in=unit_ids, task__plan__status="issued")
        .annotate(last_review=Subquery(latest_review.values("review_status")[:1]))
    )
    if status:
        qs = qs.filter(status=status)
    if plan_id:
        qs = qs.filter(task__plan_id=plan_id)
    return qs.order_by("task__final_due", "task__plan_id", "task__position", vi("unit__name"))


def my_status_counts(*, user: Actor, today: dt.date | None = None) -> dict[str, int]:
    rows = my_assignments(user=user, today=today).order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def assignment_get(*, user: Actor, pk: int, today: dt.date | None = None) -> Assignment:
    access = Access.for_user(user)
    assignment = get_object_or_404(_base(today or timezone.localdate()), pk=pk)
    if not Assignment.objects.filter(assignment_visibility_q(access), pk=pk).exists():
        raise PermissionDenied("Bạn không có quyền xem nhiệm vụ của đơn vị này.")
    return assignment


def assignment_updates(*, assignment: Assignment) -> QuerySet[ProgressUpdate]:
    return assignment.updates.select_related("author").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("id"))
    )


REVIEW_DENIED = "Chỉ cán bộ điều phối của cơ quan ban hành kế hoạch được xem xét tiến độ."


def update_get(*, user: Actor, pk: int, review: bool = False) -> ProgressUpdate:
    """A progress update the user may see (the same rule as its assignment); with ``review``,
    one the user may accept or return (a coordinator of the plan's issuing unit)."""
    update = get_object_or_404(
        ProgressUpdate.objects.select_related("assignment__unit", "assignment__task__plan__issuer"), pk=pk
    )
    access = Access.for_user(user)
    if review and not access.can_manage_unit(update.assignment.task.plan.issuer):
        raise PermissionDenied(REVIEW_DENIED)
    if not Assignment.objects.filter(assignment_visibility_q(access), pk=update.assignment_id).exists():
        raise PermissionDenied("Bạn không có quyền xem cập nhật tiến độ này.")
    return update


def review_queue(*, user: Actor, plan: Plan) -> QuerySet[ProgressUpdate]:
    """The plan's progress updates waiting for the issuing unit's decision, oldest first.
    Only the issuing unit's coordinators review (the page is refused to anyone else)."""
    if not Access.for_user(user).can_manage_unit(plan.issuer):
        raise PermissionDenied(REVIEW_DENIED)
    return (
        ProgressUpdate.objects.filter(assignment__task__plan=plan, review_status=ReviewStatus.PENDING)
        .select_related("assignment__unit", "assignment__task", "author")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("created_at", "id")
    )


def acceptance_required(*, plan: Plan) -> bool:
    return ReviewPolicy.objects.filter(plan=plan, acceptance_required=True).exists()


def evidence_get(*, user: Actor, pk: int) -> Evidence:
    evidence = get_object_or_404(
        Evidence.objects.select_related("update__assignment__unit", "update__assignment__task__plan__issuer"),
        pk=pk,
    )
    access = Access.for_user(user)
    if not Assignment.objects.filter(
        assignment_visibility_q(access), pk=evidence.update.assignment_id
    ).exists():
        raise PermissionDenied("Bạn không có quyền tải tài liệu này.")
    return evidence


@dataclass
class UnitRow:
    unit_id: int
    name: str
    total: int = 0
    percent_sum: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    last_reported_on: dt.date | None = None
    open_count: int = 0

    @property
    def percent(self) -> float:
        return self.percent_sum / self.total if self.total else 0.0

    @property
    def done(self) -> int:
        return self.by_status.get(Status.DONE, 0) + self.by_status.get(Status.DONE_LATE, 0)

    @property
    def overdue(self) -> int:
        return self.by_status.get(Status.OVERDUE, 0)


@dataclass
class Dashboard:
    plan: Plan
    today: dt.date
    window_label: str
    window_start: dt.date
    totals: dict[str, int]
    total: int
    avg_percent: float
    areas: list[tuple[str, str, dict[str, int], int]]
    units: list[UnitRow]
    overdue: list[Assignment]
    overdue_total: int
    stale_units: list[UnitRow]
    scoped: bool  # True when the user sees only part of the plan (their own subtree)

    @property
    def status_rows(self):
        return [(s, s.label, self.totals.get(s, 0)) for s in STATUS_ORDER]


def dashboard_scope(*, user: Actor, plan: Plan) -> Q:
    access = Access.for_user(user)
    if access.can_oversee_unit(plan.issuer):
        return Q()
    scope = access.units_q(SUBTREE_ROLES, prefix="unit__")
    if scope == Q(pk__in=[]):
        raise PermissionDenied("Bạn không có quyền xem bảng theo dõi kế hoạch này.")
    return scope


def plan_dashboard_assignments(
    *, user: Actor, plan: Plan, today: dt.date | None = None
) -> QuerySet[Assignment]:
    """Every task × unit of the plan the user may see on its dashboard, in the plan's order (the
    task-level sheet of the XLSX export)."""
    scope = dashboard_scope(user=user, plan=plan)
    return (
        _base(today or timezone.localdate())
        .filter(scope, task__plan=plan)
        .order_by("task__position", vi("unit__name"), "id")
    )


def plan_dashboard(
    *, user: Actor, plan: Plan, today: dt.date | None = None, overdue_limit: int = 50
) -> Dashboard:
    """Progress of a plan by status, reform area and unit; overdue work; units that have not
    reported in the current CCHC reporting window. Three queries, whatever the plan's size."""
    today = today or timezone.localdate()
    scope = dashboard_scope(user=user, plan=plan)
    window = reporting_window(today)
    base = Assignment.objects.filter(scope, task__plan=plan)

    # One grouped query gives everything but the overdue list: at most areas × units rows,
    # whatever the number of tasks; totals, areas and units are summed from it here.
    totals: dict[str, int] = {}
    area_counts: dict[str, dict[str, int]] = {}
    units: dict[int, UnitRow] = {}
    percent_sum = 0
    grouped = base.values("task__area", "unit_id").annotate(
        **status_count_aggregates(today), pct=Sum("percent"), last=Max("last_reported_on")
    )
    for row in grouped.order_by():
        area = area_counts.setdefault(row["task__area"], {})
        u = units.setdefault(row["unit_id"], UnitRow(row["unit_id"], ""))
        for status, n in statuses_from_counts(row).items():
            totals[status] = totals.get(status, 0) + n
            area[status] = area.get(status, 0) + n
            u.by_status[status] = u.by_status.get(status, 0) + n
            if status not in (Status.DONE, Status.DONE_LATE):
                u.open_count += n
        percent_sum += row["pct"] or 0
        u.percent_sum += row["pct"] or 0
        u.total += row["n_all"]
        if row["last"] and (u.last_reported_on is None or row["last"] > u.last_reported_on):
            u.last_reported_on = row["last"]
    # names separately: joining the unit inside the GROUP BY costs SQLite more than this query
    for unit_id, name in Unit.objects.filter(pk__in=units).values_list("id", "name"):
        units[unit_id].name = name
    total = sum(totals.values())
    labels = dict(ReformArea.choices)
    areas = [
        (a, labels[a], area_counts[a], sum(area_counts[a].values()))
        for a in sorted(area_counts, key=AREA_ORDER.get)
    ]
    unit_rows = sorted(units.values(), key=lambda u: (-u.overdue, u.percent, vi_sort_key(u.name)))

    stale = [
        u
        for u in unit_rows
        if u.open_count and (u.last_reported_on is None or u.last_reported_on < window.start)
    ]

    overdue_qs = annotate_status(
        base.filter(completed_on__isnull=True, task__final_due__lt=today), today
    ).order_by("task__final_due", "task__position", vi("unit__name"))
    overdue = list(overdue_qs.select_related("task", "unit")[:overdue_limit])
    return Dashboard(
        plan=plan,
        today=today,
        window_label=window.label,
        window_start=window.start,
        totals=totals,
        total=total,
        avg_percent=percent_sum / total if total else 0.0,
        areas=areas,
        units=unit_rows,
        overdue=overdue,
        overdue_total=totals.get(Status.OVERDUE, 0),
        stale_units=sorted(stale, key=lambda u: vi_sort_key(u.name)),
        scoped=bool(scope),
    )
