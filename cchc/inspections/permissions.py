"""Who may do what with inspections (docs/inspections.md, "Quyền"):

- the inspecting unit's *managers* (administrators, CCHC coordinators of the plan's unit or above)
  write the plan, its checklist and inspections, name the team, and do everything the team does;
- the *team* (đoàn kiểm tra: users named on one inspection) records results, evidence and
  findings, and verifies the remediation reports; the *team leader* (trưởng đoàn) concludes;
- the *inspected side* (anyone with a role at the inspected unit or a unit under it) sees the
  inspection, and once it is concluded the results and the conclusion; the people of the unit
  owning a finding (its officers, coordinators, administrators — roles held inside the inspected
  unit, not the inspecting unit's coordinators above it) report its remediation;
- leaders above read; nobody else sees anything.
"""

from __future__ import annotations

from cchc.core.actors import Actor
from cchc.core.errors import PermissionDenied
from cchc.orgs.access import SUBTREE_ROLES, Access
from cchc.orgs.models import Role

from .models import Finding, Inspection, InspectionPlan, TeamRole

REPORT_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.OFFICER)


def _team_roles(actor: Actor, inspection: Inspection) -> set[str]:
    """The actor's roles on the inspection's team (from the prefetched team when there is one)."""
    if actor.pk is None:
        return set()
    return {m.role for m in inspection.team.all() if m.user_id == actor.pk}


def is_manager(actor: Actor, plan: InspectionPlan) -> bool:
    return Access.for_user(actor).can_manage_unit(plan.unit)


def require_manager(actor: Actor, plan: InspectionPlan) -> None:
    if not is_manager(actor, plan):
        raise PermissionDenied(f"Chỉ cán bộ điều phối CCHC của {plan.unit} được thực hiện việc này.")


def can_read_plan(actor: Actor, plan: InspectionPlan) -> bool:
    return Access.for_user(actor).can_oversee_unit(plan.unit)


def is_team(actor: Actor, inspection: Inspection) -> bool:
    return bool(_team_roles(actor, inspection))


def can_conduct(actor: Actor, inspection: Inspection) -> bool:
    """Record results, evidence and findings; verify remediation."""
    return is_manager(actor, inspection.plan) or is_team(actor, inspection)


def require_conductor(actor: Actor, inspection: Inspection) -> None:
    if not can_conduct(actor, inspection):
        raise PermissionDenied(
            "Chỉ thành viên đoàn kiểm tra hoặc cán bộ điều phối của đơn vị kiểm tra được ghi."
        )


def can_conclude(actor: Actor, inspection: Inspection) -> bool:
    return is_manager(actor, inspection.plan) or TeamRole.LEAD in _team_roles(actor, inspection)


def require_concluder(actor: Actor, inspection: Inspection) -> None:
    if not can_conclude(actor, inspection):
        raise PermissionDenied("Chỉ trưởng đoàn hoặc cán bộ điều phối của đơn vị kiểm tra được kết luận.")


def is_inspected_side(actor: Actor, inspection: Inspection) -> bool:
    access = Access.for_user(actor)
    return any(g.path.startswith(inspection.unit.path) for g in access.grants)


def can_read(actor: Actor, inspection: Inspection) -> bool:
    access = Access.for_user(actor)
    return (
        access.can_oversee_unit(inspection.plan.unit)
        or access.covers(inspection.unit, SUBTREE_ROLES)
        or is_team(actor, inspection)
        or is_inspected_side(actor, inspection)
    )


def require_reader(actor: Actor, inspection: Inspection) -> None:
    if not can_read(actor, inspection):
        raise PermissionDenied("Bạn không có quyền xem cuộc kiểm tra này.")


def sees_work_in_progress(actor: Actor, inspection: Inspection) -> bool:
    """Results and findings before the conclusion: the inspecting side only."""
    if inspection.state == Inspection.State.CONCLUDED:
        return can_read(actor, inspection)
    return Access.for_user(actor).can_oversee_unit(inspection.plan.unit) or is_team(actor, inspection)


def can_report(actor: Actor, finding: Finding) -> bool:
    """The owner unit's own people: a role at the owner unit, or a managing role at a unit between
    the inspected unit and the owner (an agency reporting for its department)."""
    access = Access.for_user(actor)
    if access.is_superuser:
        return True
    inspected = finding.inspection.unit.path
    for g in access.grants:
        if g.role not in REPORT_ROLES:
            continue
        if g.unit_id == finding.owner_id:
            return True
        if g.role != Role.OFFICER and g.path.startswith(inspected) and finding.owner.path.startswith(g.path):
            return True
    return False


def require_reporter(actor: Actor, finding: Finding) -> None:
    if not can_report(actor, finding):
        raise PermissionDenied(f"Chỉ cán bộ của {finding.owner} được báo cáo khắc phục.")
