"""A batch of dossier events applied at once: the same answers, dossiers, events, audit rows and
live indicator totals as `events.events_apply` (one event at a time), in a few queries per
batch instead of some 25 per event.

Each event still goes through `events.apply_event` and so through the dossier service its kind
names — the same checks and refusals, the same state machine — but inside a
`cchc.dossiers.batch.Batch`: what the batch names (units, procedures, dossiers by the sender's
or CCHC's code, the day's dossier numbers, the event ids already received) is read first, in a
few queries, under row locks; what the services write is kept and stored at the end in bulk; a
refused event is undone in memory (`Batch.undo`), leaving nothing, as its savepoint would.

Should the bulk write meet a row written meanwhile by another request (the same event id, a
dossier code issued by a desk at the same moment), the whole batch is rolled back and applied one
event at a time, which answers such a race event by event (`events.events_apply`).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from cchc.core.actors import ApiClientActor
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.workingtime import to_local
from cchc.dossiers import batch as dossier_batch
from cchc.dossiers.batch import Batch, insert
from cchc.dossiers.models import Dossier, Handover
from cchc.orgs.models import Unit
from cchc.procedures.models import Procedure

from .events import (
    DUPLICATE,
    Finder,
    applied,
    apply_event,
    dossier_unknown,
    events_apply,
    in_scope,
    rejected,
    unit_unknown,
)
from .models import ApiClient, ExternalDossier, ReceivedEvent
from .schemas_write import DossierEventIn


class Preloaded(Finder):
    """`events.Finder`'s answers for every event of a batch, read at once."""

    def __init__(self, batch: Batch, actor: ApiClientActor, events: list[DossierEventIn]):
        self.batch = batch
        codes = {e.dossier_code.strip() for e in events}
        unit_codes = {
            c.strip()
            for e in events
            for c in (e.handling_unit_code, e.receiving_unit_code, e.to_unit_code)
            if c
        }
        self.units = {
            u.code: u for u in Unit.objects.filter(code__in=unit_codes, path__startswith=actor.unit_path)
        }
        batch.add_units(self.units.values())
        self.procedures: dict[str, Procedure] = {}
        wanted = {(e.procedure_code or "").strip() for e in events if e.kind == "receipt"}
        for p in Procedure.objects.filter(code__in=wanted, valid_to__isnull=True).order_by("pk"):
            self.procedures.setdefault(p.code, p)
        self.external = dict(ExternalDossier.objects.filter(code__in=codes).values_list("code", "dossier_id"))
        named = set(Dossier.objects.filter(code__in=codes).values_list("pk", flat=True))
        batch.load(named | set(self.external.values()))
        receipts = [e for e in events if e.kind == "receipt"]
        batch.sequences(
            (self.units[code].code, to_local(e.at).date())
            for e in receipts
            if (code := (e.handling_unit_code or "").strip()) in self.units
        )
        batch.reserve(Dossier, len(receipts))
        batch.reserve(Handover, sum(e.kind == "step" for e in events))

    def unit(self, actor: ApiClientActor, code: str, field: str) -> Unit:
        unit = self.units.get(code.strip())
        if unit is None:
            raise unit_unknown(code, field)
        return unit

    def dossier(self, actor: ApiClientActor, code: str) -> Dossier:
        code = code.strip()
        pk = self.external.get(code)
        found = self.batch.by_id.get(pk) if pk is not None else self.batch.by_code.get(code)
        dossier = in_scope(actor, found)
        if dossier is None:
            raise dossier_unknown(code)
        return dossier

    def known(self, code: str) -> bool:
        return code in self.external or code in self.batch.by_code

    def procedure(self, code: str) -> Procedure | None:
        return self.procedures.get(code.strip())

    def link(self, code: str, dossier: Dossier, client: ApiClient) -> None:
        self.batch.keep("external", ExternalDossier(code=code, dossier=dossier, client=client))
        self.external[code] = dossier.pk


def events_apply_batch(
    *, actor: ApiClientActor, client: ApiClient, events: list[DossierEventIn]
) -> list[dict[str, Any]]:
    """What `events.events_apply` answers and stores for ``events``, written in bulk."""
    try:
        with transaction.atomic():
            return _apply_all(actor, client, events)
    except IntegrityError:  # a row written meanwhile by another request: event by event
        return events_apply(actor=actor, client=client, events=events)


def _apply_all(
    actor: ApiClientActor, client: ApiClient, events: list[DossierEventIn]
) -> list[dict[str, Any]]:
    ids = [e.event_id for e in events]
    seen: dict[str, dict[str, Any]] = dict(
        ReceivedEvent.objects.filter(client=client, event_id__in=ids).values_list("event_id", "result")
    )
    todo = [e for e in events if e.event_id not in seen]
    b = Batch()
    find = Preloaded(b, actor, todo) if todo else None
    out: list[dict[str, Any]] = []
    with dossier_batch.running(b):
        for e in events:
            if e.event_id in seen:
                out.append(seen[e.event_id] | {"status": DUPLICATE})
                continue
            assert find is not None
            b.begin()
            try:
                result = applied(e, apply_event(actor, client, e, find))
            except (ServiceError, PermissionDenied) as exc:
                b.undo()
                out.append(rejected(e, exc))
                continue
            except BaseException:
                b.undo()
                raise
            b.keep(
                "received",
                ReceivedEvent(
                    client=client,
                    event_id=e.event_id,
                    kind=e.kind,
                    dossier_code=e.dossier_code,
                    result=result,
                ),
            )
            b.commit()
            seen[e.event_id] = result
            out.append(result)
    b.write()
    insert(ExternalDossier, b.rows["external"])
    insert(ReceivedEvent, b.rows["received"])
    return out
