"""Reads of inspections, scoped to the user. The list pages read in a fixed number of queries,
whatever the number of rows (tests count them)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from cchc.core.actors import Actor
from cchc.core.errors import PermissionDenied
from cchc.core.text import vi_sort_key
from cchc.orgs.access import SUBTREE_ROLES, Access
from cchc.orgs.models import Membership, Unit, User

from .models import Evidence, Finding, Inspection, InspectionPlan, RemediationReport, TeamMember
from .permissions import can_read_plan, require_reader, sees_work_in_progress


def _ancestors_or_self(access: Access) -> set[int]:
    """The units the user's own units belong to (an inspection of any of them concerns the user)."""
    return {int(p) for g in access.grants for p in g.path.strip("/").split("/") if p}


def inspection_visibility_q(user: Actor) -> Q:
    access = Access.for_user(user)
    if access.is_superuser:
        return Q()
    team = TeamMember.objects.filter(user_id=user.pk or 0).values("inspection_id")
    return (
        Q(pk__in=team)
        | access.units_q(SUBTREE_ROLES, prefix="plan__unit__")
        | access.units_q(SUBTREE_ROLES, prefix="unit__")
        | Q(unit_id__in=_ancestors_or_self(access))
    )


def plans_visible(user: Actor, *, year: int | None = None) -> QuerySet[InspectionPlan]:
    """Plans of the units the user oversees, with their inspections counted."""
    access = Access.for_user(user)
    qs = InspectionPlan.objects.filter(access.units_q(SUBTREE_ROLES, prefix="unit__")).select_related("unit")
    if year:
        qs = qs.filter(year=year)
    return qs.annotate(
        n_inspections=Count("inspections", distinct=True),
        n_done=Count("inspections", filter=Q(inspections__state=Inspection.State.CONCLUDED), distinct=True),
    ).order_by("-year", "unit__path")


def plan_get(*, user: Actor, pk: int) -> InspectionPlan:
    plan = get_object_or_404(InspectionPlan.objects.select_related("unit"), pk=pk)
    if not can_read_plan(user, plan):
        raise PermissionDenied("Bạn không có quyền xem kế hoạch kiểm tra này.")
    return plan


def _open_findings() -> Q:
    return Q(findings__state__in=[Finding.State.OPEN, Finding.State.REPORTED, Finding.State.RETURNED])


def plan_inspections(plan: InspectionPlan) -> QuerySet[Inspection]:
    return (
        plan.inspections.select_related("unit")
        .prefetch_related(Prefetch("team", queryset=TeamMember.objects.select_related("user")))
        .annotate(
            n_findings=Count("findings", distinct=True),
            n_open=Count("findings", filter=_open_findings(), distinct=True),
        )
        .order_by("start_date", "id")
    )


def my_inspections(user: Actor) -> QuerySet[Inspection]:
    """Inspections the user is on the team of, or whose unit is the user's own (or above it)."""
    access = Access.for_user(user)
    team = TeamMember.objects.filter(user_id=user.pk or 0).values("inspection_id")
    return (
        Inspection.objects.filter(Q(pk__in=team) | Q(unit_id__in=_ancestors_or_self(access)))
        .select_related("unit", "plan__unit")
        .annotate(n_open=Count("findings", filter=_open_findings(), distinct=True))
        .order_by("-start_date", "-id")
    )


def inspection_get(*, user: Actor, pk: int) -> Inspection:
    inspection = get_object_or_404(
        Inspection.objects.select_related("plan__unit", "unit", "concluded_by").prefetch_related(
            Prefetch("team", queryset=TeamMember.objects.select_related("user"))
        ),
        pk=pk,
    )
    require_reader(user, inspection)
    return inspection


def inspection_results(inspection: Inspection) -> QuerySet:
    return inspection.results.prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("id")), "findings"
    ).order_by("position", "id")


def inspection_findings(inspection: Inspection) -> QuerySet[Finding]:
    return inspection.findings.select_related("owner", "result").order_by("position", "id")


def overdue_q(today: dt.date) -> Q:
    """Past the deadline and not remedied: still open or returned, or reported only after it."""
    return Q(due_date__lt=today) & (
        Q(state__in=[Finding.State.OPEN, Finding.State.RETURNED])
        | Q(state=Finding.State.REPORTED, reported_on__gt=F("due_date"))
    )


FILTERS = {
    "qua_han": ("Quá hạn", None),
    "dang_khac_phuc": ("Đang khắc phục", [Finding.State.OPEN, Finding.State.RETURNED]),
    "cho_xac_nhan": ("Chờ xác nhận", [Finding.State.REPORTED]),
    "da_khac_phuc": ("Đã khắc phục", [Finding.State.CLOSED]),
}


def findings_visible(user: Actor, *, today: dt.date, status: str = "qua_han") -> QuerySet[Finding]:
    """Findings of concluded inspections the user may read, filtered (overdue by default)."""
    qs = Finding.objects.exclude(state=Finding.State.DRAFT).filter(
        inspection__in=Inspection.objects.filter(inspection_visibility_q(user))
    )
    if status == "qua_han":
        qs = qs.filter(overdue_q(today))
    elif status in FILTERS:
        qs = qs.filter(state__in=FILTERS[status][1])
    return qs.select_related("owner", "inspection__unit", "inspection__plan__unit").order_by(
        "due_date", "inspection__unit__name", "position"
    )


def finding_get(*, user: Actor, pk: int) -> Finding:
    finding = get_object_or_404(
        Finding.objects.select_related(
            "owner", "result", "inspection__plan__unit", "inspection__unit"
        ).prefetch_related(
            "inspection__team",
            Prefetch(
                "reports",
                queryset=RemediationReport.objects.select_related("submitted_by", "verified_by")
                .prefetch_related("evidence")
                .order_by("id"),
            ),
        ),
        pk=pk,
    )
    if finding.state == Finding.State.DRAFT:
        if not sees_work_in_progress(user, finding.inspection):
            raise PermissionDenied("Bạn không có quyền xem nội dung này.")
    else:
        require_reader(user, finding.inspection)
    return finding


def evidence_get(*, user: Actor, pk: int) -> Evidence:
    evidence = get_object_or_404(
        Evidence.objects.select_related("result__inspection", "report__finding__inspection"), pk=pk
    )
    inspection = evidence.result.inspection if evidence.result else evidence.report.finding.inspection  # type: ignore[union-attr]
    inspection = (
        Inspection.objects.select_related("plan__unit", "unit").prefetch_related("team").get(pk=inspection.pk)
    )
    if not sees_work_in_progress(user, inspection):
        raise PermissionDenied("Bạn không có quyền tải tài liệu này.")
    return evidence


def team_candidates(plan: InspectionPlan) -> list[User]:
    """People who may sit on a team: anyone with a role in the inspecting unit's subtree."""
    ids = Membership.objects.filter(unit__path__startswith=plan.unit.path).values("user_id")
    return sorted(User.objects.filter(pk__in=ids, is_active=True), key=lambda u: (vi_sort_key(str(u)), u.pk))


def inspectable_units(plan: InspectionPlan) -> list[Unit]:
    """Units the plan may inspect, nearest first, each level in Vietnamese alphabetical order."""
    units = Unit.objects.current().filter(path__startswith=plan.unit.path).exclude(pk=plan.unit_id)
    return sorted(units.order_by("depth", "path")[:2000], key=lambda u: (u.depth, vi_sort_key(u.name), u.pk))
