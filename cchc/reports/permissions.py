"""Who may do what with periodic reports (docs/access.md, "Báo cáo định kỳ"):

- a unit writes its own report: officers, coordinators and administrators holding that role at
  the unit itself (a province coordinator writes the province's consolidated report, never a
  commune's for it);
- the receiving unit's managers (its coordinators and administrators) review the reports sent to
  it: accept or return;
- leaders read: the unit's own, and, once sent, those of the units below theirs;
- a draft is read only by its own unit; nobody outside the subtree reads anything.
"""

from __future__ import annotations

from cchc.core.actors import Actor
from cchc.core.errors import PermissionDenied
from cchc.orgs.access import SUBTREE_ROLES, Access
from cchc.orgs.models import Role, Unit

from .models import Report

WRITER_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.OFFICER)


def can_write(actor: Actor, unit: Unit) -> bool:
    access = Access.for_user(actor)
    if access.is_superuser:
        return True
    return any(g.role in WRITER_ROLES and g.unit_id == unit.pk for g in access.grants)


def require_writer(actor: Actor, unit: Unit) -> None:
    if not can_write(actor, unit):
        raise PermissionDenied(f"Chỉ cán bộ của {unit} được lập và gửi báo cáo của đơn vị.")


def can_review(actor: Actor, report: Report) -> bool:
    return report.receiver is not None and Access.for_user(actor).can_manage_unit(report.receiver)


def require_reviewer(actor: Actor, report: Report) -> None:
    if not can_review(actor, report):
        raise PermissionDenied("Chỉ cán bộ điều phối CCHC của nơi nhận được tiếp nhận hoặc trả lại báo cáo.")


def can_read(actor: Actor, report: Report) -> bool:
    access = Access.for_user(actor)
    if can_write(actor, report.unit) or any(g.unit_id == report.unit_id for g in access.grants):
        return True
    if report.state == Report.State.DRAFT:
        return False
    return access.covers(report.unit, SUBTREE_ROLES) and (
        report.receiver is None or access.covers(report.receiver, SUBTREE_ROLES)
    )


def require_reader(actor: Actor, report: Report) -> None:
    if not can_read(actor, report):
        raise PermissionDenied("Bạn không có quyền xem báo cáo này.")


def can_see_register(actor: Actor, receiver: Unit) -> bool:
    """The register of who reported: the receiving unit's coordinators and leaders."""
    return Access.for_user(actor).can_oversee_unit(receiver)
