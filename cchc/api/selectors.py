"""Reads for the administrators' page of API clients: the clients of the units a system
administrator (Role.ADMIN, or a superuser) looks after, and those units."""

from __future__ import annotations

from django.db.models import QuerySet

from cchc.core.actors import Actor
from cchc.core.errors import PermissionDenied
from cchc.orgs.access import Access
from cchc.orgs.models import Role, Unit

from .models import ApiClient

ADMIN_ONLY = "Chỉ quản trị hệ thống được quản lý ứng dụng kết nối."


def require_api_admin(user: Actor) -> Access:
    access = Access.for_user(user)
    if not access.has_role(Role.ADMIN):
        raise PermissionDenied(ADMIN_ONLY)
    return access


def client_list(*, user: Actor) -> QuerySet[ApiClient]:
    """The clients registered for units in the administrator's subtrees, newest first."""
    access = require_api_admin(user)
    return (
        ApiClient.objects.filter(access.units_q((Role.ADMIN,), prefix="unit__"))
        .select_related("unit", "created_by")
        .order_by("-created_at", "name")
    )


def client_for_admin(*, user: Actor, pk: int) -> ApiClient | None:
    return client_list(user=user).filter(pk=pk).first()


def unit_for_admin(*, user: Actor, code: str) -> Unit | None:
    """The unit of that code, if it lies in the administrator's subtrees (and is current)."""
    access = require_api_admin(user)
    return (
        Unit.objects.filter(access.units_q((Role.ADMIN,)), code=code.strip(), valid_to__isnull=True)
        .order_by("pk")
        .first()
    )
