"""Who may see and change what, expressed as query filters over the organisation tree.

Rules (see docs/access.md):
- a superuser, or an ADMIN of a unit, may do everything in that unit's subtree;
- a COORDINATOR runs CCHC for a unit's subtree: plans issued there, every assignment there,
  the audit log of that subtree;
- a LEADER reads the same things as a coordinator but changes nothing;
- an OFFICER reads and reports on the assignments of their own unit only, and reads the plans
  that assign work to it.
Every selector starts from `Access.for_user(user)` so the rules live here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from cchc.core.actors import Actor, ApiClientActor
from cchc.core.errors import PermissionDenied

from .models import Membership, Role, Unit, User

SUBTREE_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.LEADER)
MANAGE_ROLES = (Role.ADMIN, Role.COORDINATOR)


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    path: str


_NOTHING = Q(pk__in=[])


class Access:
    def __init__(self, user: Actor | AnonymousUser, grants: list[Grant]):
        self.user = user
        self.grants = grants
        self.is_superuser = bool(getattr(user, "is_superuser", False))

    @classmethod
    def for_user(cls, user: Actor | AnonymousUser) -> Access:
        """The rules for `user`: a signed-in user's roles; `SYSTEM`, `CITIZEN` and an anonymous
        visitor are granted nothing (services that accept the system skip the check). An API
        client (`ApiClientActor`) is granted its unit's subtree: to read (as a leader) or, with
        the write scope, to report (as a coordinator) — what it may call is further limited by
        the API's endpoints (docs/api.md)."""
        if isinstance(user, ApiClientActor):
            role = Role.COORDINATOR if user.can_write else Role.LEADER
            return cls(user, [Grant(role, user.unit_id, user.unit_path)])
        cached: Access | None = getattr(user, "_cchc_access", None)
        if cached is not None:
            return cached
        grants: list[Grant] = []
        if isinstance(user, User):  # signed in (an Agent or an AnonymousUser has no roles)
            rows = Membership.objects.filter(user=user).values_list("role", "unit_id", "unit__path")
            grants = [Grant(role, unit_id, path) for role, unit_id, path in rows]
        access = cls(user, grants)
        if isinstance(user, User):
            user._cchc_access = access  # type: ignore[attr-defined]  # a cache on the user object, per request
        return access

    # --- roles -----------------------------------------------------------------
    def roles(self) -> set[str]:
        return {g.role for g in self.grants} | ({Role.ADMIN} if self.is_superuser else set())

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or any(g.role in roles for g in self.grants)

    # --- unit filters ----------------------------------------------------------
    def units_q(self, roles: tuple[str, ...], prefix: str = "", officer_exact: bool = True) -> Q:
        """Filter on a unit (reached through `prefix`, e.g. "unit__") for the given roles.

        Subtree roles match the unit's whole subtree; OFFICER matches its own unit only.
        """
        if self.is_superuser:
            return Q()
        parts = []
        for g in self.grants:
            if g.role not in roles:
                continue
            if g.role == Role.OFFICER and officer_exact:
                parts.append(Q(**{f"{prefix}id": g.unit_id}))
            else:
                parts.append(Q(**{f"{prefix}path__startswith": g.path}))
        return reduce(or_, parts) if parts else _NOTHING

    def covers(self, unit: Unit, roles: tuple[str, ...]) -> bool:
        """Whether one of the user's roles in `roles` reaches the unit (see the module rules)."""
        if self.is_superuser:
            return True
        for g in self.grants:
            if g.role not in roles:
                continue
            if g.role == Role.OFFICER:
                if unit.pk == g.unit_id:
                    return True
            elif unit.path.startswith(g.path):
                return True
        return False

    def can_read_unit(self, unit: Unit) -> bool:
        return self.covers(unit, (*SUBTREE_ROLES, Role.OFFICER))

    def can_manage_unit(self, unit: Unit) -> bool:
        """Coordinate CCHC for the unit: issue plans, manage its tasks, read its audit log."""
        return self.covers(unit, MANAGE_ROLES)

    def can_oversee_unit(self, unit: Unit) -> bool:
        """Read dashboards and every assignment of the unit's subtree (coordinators, leaders)."""
        return self.covers(unit, SUBTREE_ROLES)

    def can_report_for(self, unit: Unit) -> bool:
        """Post progress on the unit's assignments."""
        return self.covers(unit, (Role.ADMIN, Role.COORDINATOR, Role.OFFICER))

    def readable_units(self):
        return Unit.objects.filter(self.units_q((*SUBTREE_ROLES, Role.OFFICER)))

    def managed_units(self):
        return Unit.objects.filter(self.units_q(MANAGE_ROLES))


def require_manager(user: Actor, unit: Unit, message: str = "Bạn không có quyền quản lý đơn vị này.") -> None:
    """Refuse with `PermissionDenied(message)` unless the user may manage the unit
    (`Access.can_manage_unit`): the check every service that changes a unit's things starts with."""
    if not Access.for_user(user).can_manage_unit(unit):
        raise PermissionDenied(message)
