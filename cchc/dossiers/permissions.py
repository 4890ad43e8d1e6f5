"""Who may act on a dossier, from `cchc.orgs.access.Access`:

- handle (receive, route, request supplements, return, stop, …): anyone who may report for the
  receiving unit (the desk) or for the handling unit — their officers, and coordinators and
  administrators of a subtree containing them;
- decide the result and send the apology: only for the handling unit (the competent agency);
- read: anyone who may read either unit (leaders read, never act).
`CITIZEN` (the applicant on the public site) and `SYSTEM` (the portal sync job) act only where
the service says so (`applicant_ok`, `system_ok`), the caller (public page, job) having
authenticated them; elsewhere they are refused like an anonymous visitor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cchc.core.actors import CITIZEN, SYSTEM, Actor
from cchc.core.errors import PermissionDenied
from cchc.orgs.access import Access

if TYPE_CHECKING:
    from .models import Dossier


def can_handle(user: Actor, dossier: Dossier) -> bool:
    access = Access.for_user(user)
    return access.can_report_for(dossier.receiving_unit) or access.can_report_for(dossier.handling_unit)


def can_decide(user: Actor, dossier: Dossier) -> bool:
    return Access.for_user(user).can_report_for(dossier.handling_unit)


def can_read(user: Actor, dossier: Dossier) -> bool:
    access = Access.for_user(user)
    return access.can_read_unit(dossier.handling_unit) or access.can_read_unit(dossier.receiving_unit)


def require(
    actor: Actor,
    dossier: Dossier,
    *,
    what: str,
    handling_only: bool = False,
    applicant_ok: bool = False,
    system_ok: bool = False,
) -> None:
    if actor is CITIZEN or actor is SYSTEM:
        if (applicant_ok and actor is CITIZEN) or (system_ok and actor is SYSTEM):
            return
        raise PermissionDenied(f"Cần đăng nhập bằng tài khoản cán bộ để {what}.")
    allowed = can_decide(actor, dossier) if handling_only else can_handle(actor, dossier)
    if not allowed:
        where = dossier.handling_unit.body_name if handling_only else "nơi tiếp nhận hoặc cơ quan giải quyết"
        raise PermissionDenied(
            f"Bạn không có quyền {what} hồ sơ {dossier.code}: chỉ cán bộ của {where} được làm."
        )
