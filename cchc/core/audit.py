"""The audit log: every service that writes calls `audit_record` inside its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from .actors import Actor, ApiClientActor, actor_kind
from .models import AuditEntry

_PLAIN = frozenset({str, int, bool, float, type(None)})


def _json_value(value: Any) -> Any:
    if type(value) in _PLAIN:  # most values: no question to ask (a batch writes thousands)
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "size"):  # a stored file
        return value.name or None
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The instance's concrete field values as JSON-ready data (foreign keys as ids)."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _json_value(getattr(instance, name)) for name in names}


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model,
    unit: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """One audit row, in the caller's transaction; records who acted (a user, the system, or a
    citizen on the public pages) and refuses a call that does not say (``TypeError``)."""
    entry = audit_entry(actor=actor, action=action, obj=obj, unit=unit, before=before, after=after)
    entry.save(force_insert=True)
    return entry


def audit_entry(
    *,
    actor: Actor,
    action: str,
    obj: models.Model,
    unit: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """The row `audit_record` writes, not saved yet: for a caller that writes many at once
    (`bulk_create`, e.g. a batch of API dossier events) in the same transaction as its change."""
    client = actor if isinstance(actor, ApiClientActor) else None
    return AuditEntry(
        actor_kind=actor_kind(actor),  # refuses what is not an actor
        actor_id=actor.pk,  # None for SYSTEM, CITIZEN and an API client
        client_id=client.client_id if client else None,
        client_name=client.name[:128] if client else "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        unit_id=unit.pk if unit is not None else None,
        before=_json_value(before) if before is not None else None,
        after=_json_value(after) if after is not None else None,
    )


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
