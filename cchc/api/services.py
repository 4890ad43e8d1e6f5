"""Registering and revoking API clients (administrators; the `cchc api client` command runs as
SYSTEM). One transaction each, an audit row each; the token is returned once and never stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cchc.core.actors import SYSTEM, Actor
from cchc.core.audit import audit_record
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.text import nfc
from cchc.orgs.access import Access
from cchc.orgs.models import Unit, user_of

from .models import ApiClient, Scope
from .tokens import new_token, shown_prefix, token_hash


@dataclass(frozen=True)
class Registered:
    client: ApiClient
    token: str  # shown once


def _require_admin(actor: Actor, unit: Unit) -> None:
    if actor is SYSTEM:
        return
    if not Access.for_user(actor).covers(unit, ("admin",)):
        raise PermissionDenied("Chỉ quản trị hệ thống của đơn vị được đăng ký ứng dụng kết nối.")


@transaction.atomic
def client_register(
    *,
    actor: Actor,
    name: str,
    unit: Unit,
    scope: str,
    expires_at: dt.datetime | None = None,
    rate_per_minute: int = 600,
) -> Registered:
    """A new client of ``unit``'s subtree with ``scope`` (read | write) and its token."""
    _require_admin(actor, unit)
    name = " ".join(nfc(name or "").split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Tên ứng dụng không được để trống."
    elif len(name) > 128:
        errors["name"] = "Tên ứng dụng dài quá 128 ký tự."
    elif ApiClient.objects.filter(name=name).exists():
        errors["name"] = f"Đã có ứng dụng tên “{name}”."
    if scope not in Scope.values:
        errors["scope"] = "Quyền phải là read (chỉ đọc) hoặc write (đọc và ghi)."
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = "Ngày hết hạn phải sau hôm nay."
    if unit.valid_to is not None:
        errors["unit"] = f"{unit.name} đã hết hiệu lực."
    if rate_per_minute < 1:
        errors["rate_per_minute"] = "Số yêu cầu mỗi phút phải ≥ 1."
    if errors:
        raise ServiceError(errors, code="api_client_invalid")
    token = new_token()
    client = ApiClient.objects.create(
        name=name,
        unit=unit,
        scope=scope,
        token_hash=token_hash(token),
        token_prefix=shown_prefix(token),
        created_by=user_of(actor),
        expires_at=expires_at,
        rate_per_minute=rate_per_minute,
    )
    audit_record(
        actor=actor,
        action="api.client_register",
        obj=client,
        unit=unit,
        after={"name": name, "scope": scope, "expires_at": expires_at, "token_prefix": client.token_prefix},
    )
    return Registered(client, token)


@transaction.atomic
def client_revoke(*, actor: Actor, client: ApiClient) -> ApiClient:
    """The token stops working now (answers 401); the client and its history stay."""
    _require_admin(actor, client.unit)
    if client.revoked_at is not None:
        raise ServiceError("Ứng dụng này đã bị thu hồi quyền truy cập.", code="api_client_revoked")
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api.client_revoke",
        obj=client,
        unit=client.unit,
        after={"revoked_at": client.revoked_at},
    )
    return client
