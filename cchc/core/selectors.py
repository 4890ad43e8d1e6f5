from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from cchc.orgs.access import MANAGE_ROLES, Access

from .models import AuditEntry


def audit_entries(*, user, object_type: str | None = None) -> QuerySet[AuditEntry]:
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
