from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from cchc.core.actors import Actor
from cchc.core.collation import vi
from cchc.core.models import AuditEntry

from .access import MANAGE_ROLES, Access
from .models import Membership, Unit


def unit_roots(*, user: Actor) -> QuerySet[Unit]:
    """The highest units the user may read: each membership's unit (every province for a superuser)."""
    access = Access.for_user(user)
    if access.is_superuser:
        return Unit.objects.filter(parent__isnull=True).current().order_by(vi("name"))
    return Unit.objects.filter(pk__in=[g.unit_id for g in access.grants]).order_by("path")


def unit_get(*, user: Actor, pk: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("parent", "successor"), pk=pk)
    if not Access.for_user(user).can_read_unit(unit):
        raise PermissionDenied("Bạn không có quyền xem đơn vị này.")
    return unit


def unit_children(*, unit: Unit) -> QuerySet[Unit]:
    return unit.children.annotate(child_count=Count("children")).order_by("kind", "valid_to", vi("name"))


def unit_members(*, user: Actor, unit: Unit) -> QuerySet[Membership] | None:
    """Who holds a role at the unit — shown only to those who manage it."""
    if not Access.for_user(user).can_manage_unit(unit):
        return None
    return Membership.objects.filter(unit=unit).select_related("user").order_by("role", "user__username")


def audit_entries(*, user: Actor, object_type: str | None = None) -> QuerySet[AuditEntry]:
    """Audit entries of the units the user coordinates or administers (all, for a superuser)."""
    access = Access.for_user(user)
    if not access.has_role(*MANAGE_ROLES):
        raise PermissionDenied("Chỉ cán bộ điều phối và quản trị được xem nhật ký.")
    qs = AuditEntry.objects.select_related("actor", "unit")
    if not access.is_superuser:
        qs = qs.filter(access.units_q(MANAGE_ROLES, prefix="unit__"))
    if object_type:
        qs = qs.filter(object_type=object_type)
    return qs
