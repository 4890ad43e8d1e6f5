"""What every dossier service does the same way: lock the dossier, check the moment and the
state machine, append the event and store its effect, write the audit row, notify on commit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cchc.core.actors import Actor
from cchc.core.audit import audit_entry
from cchc.core.errors import ServiceError
from cchc.core.text import nfc
from cchc.core.workingtime import to_local
from cchc.orgs.models import user_of

from .. import batch
from ..lifecycle import STATE_FIELDS, DossierState, Event, ReplayError, allowed, apply, refusal
from ..messages import dossier_message
from ..messages import moment as show
from ..models import Dossier, DossierEvent
from ..notify import notify_on_commit
from ..observers import publish_changed

CLOCK_SKEW = dt.timedelta(minutes=5)
_STORED = [f.attname for f in Dossier._meta.concrete_fields]


def moment(at: dt.datetime | None, field: str = "at") -> dt.datetime:
    """`at` (default now) as an aware local datetime to the second; never in the future."""
    now = timezone.now()
    value = to_local(at if at is not None else now)
    if value > now + CLOCK_SKEW:
        raise ServiceError(
            {field: f"Thời điểm {show(value)} chưa tới: không ghi trước sự việc."}, code="moment_in_future"
        )
    return value


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return to_local(value).isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


def lock(dossier: Dossier) -> Dossier:
    """The dossier re-read under a row lock: two officers never move it at once. In a batch
    (`cchc.dossiers.batch`), the batch's copy, locked when the batch loaded it."""
    running = batch.current()
    if running is not None:
        return running.lock(dossier)
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "handling_unit", "receiving_unit")
        .get(pk=dossier.pk)
    )


def copy_back(original: Dossier, fresh: Dossier) -> Dossier:
    """Make the caller's instance show what was stored; returns the fresh one."""
    if original is not fresh:
        for name in _STORED:
            setattr(original, name, getattr(fresh, name))
    return fresh


def state_of(dossier: Dossier) -> DossierState | None:
    if not dossier.state:
        return None
    return DossierState(**{name: getattr(dossier, name) for name in STATE_FIELDS})


def check(dossier: Dossier, kind: str) -> None:
    if not allowed(kind, dossier.state or None):
        raise ServiceError(refusal(kind, dossier.state or None, dossier.code), code="dossier_wrong_state")


def check_order(dossier: Dossier, at: dt.datetime, field: str = "at") -> None:
    if dossier.last_event_at is not None and at < dossier.last_event_at:
        raise ServiceError(
            {
                field: f"Thời điểm {show(at)} trước sự việc gần nhất của hồ sơ ({show(dossier.last_event_at)})."
            },
            code="moment_before_last_event",
        )


def when(dossier: Dossier, at: dt.datetime | None, field: str = "at") -> dt.datetime:
    """The moment of a new event on the dossier: not in the future, not before its last event."""
    value = moment(at, field)
    check_order(dossier, value, field)
    return value


def record(
    dossier: Dossier, *, actor: Actor, kind: str, at: dt.datetime, data: dict | None = None
) -> DossierEvent:
    """Append one event to the dossier and store its effect (lifecycle.apply), in the caller's
    transaction; a new dossier is saved with its first event."""
    data = jsonable(data or {})
    check_order(dossier, at)
    before = state_of(dossier)
    try:
        after = apply(before, Event(kind, at, data))
    except ReplayError as exc:  # the services check first; this is the last line of defence
        raise ServiceError(str(exc), code="dossier_event_refused") from exc
    for name in STATE_FIELDS:
        setattr(dossier, name, getattr(after, name))
    running = batch.current()
    if running is not None:  # kept by the batch, written with the others (`batch.Batch.write`)
        running.stored(dossier, before, after)
    else:
        if dossier.pk is None:
            dossier.save()
        else:
            dossier.save(update_fields=[n.removesuffix("_id") for n in STATE_FIELDS])
        # whoever counts dossiers (the live indicators) moves with it, in this transaction
        publish_changed(before, after, unit_id=dossier.handling_unit_id, channel=dossier.channel)
    event = DossierEvent(
        dossier=dossier, sequence=after.event_count, kind=kind, at=at, actor=user_of(actor), data=data
    )
    changed = [n for n in STATE_FIELDS if before is None or getattr(before, n) != getattr(after, n)]
    changed = [n for n in changed if n not in ("event_count", "last_event_at", "steps")]
    entry = audit_entry(
        actor=actor,
        action=f"dossier.{kind}",
        obj=dossier,
        unit=dossier.handling_unit,
        before={n: getattr(before, n) for n in changed} if before else None,
        after={n: getattr(after, n) for n in changed} | {"event": event.sequence, "data": data},
    )
    message = dossier_message(dossier, kind, data)
    if running is not None:
        running.events.append(event)
        running.audits.append(entry)
        if message is not None:
            running.messages.append(message)
    else:
        event.save(force_insert=True)
        entry.save(force_insert=True)
        notify_on_commit(message)
    return event


def required_text(value: str | None, field: str, message: str) -> str:
    text = "\n".join(nfc(line) for line in (value or "").splitlines()).strip()
    if not text:
        raise ServiceError({field: message}, code="text_required")
    if len(text) > 4000:
        raise ServiceError({field: "Nội dung quá dài (tối đa 4.000 ký tự)."}, code="text_too_long")
    return text
