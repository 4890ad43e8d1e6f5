"""Dossier events from the provincial one-stop system, applied through the dossier services — the
same state machine, validation, audit rows and live-indicator updates (`dossiers.observers` →
`indicators.live`) as a desk officer's actions; this module only finds the dossier, calls the
service the event names and remembers the event id.

One event, one savepoint: a refused event leaves nothing (not even its id, so that the sender may
send it again once the cause is fixed), an applied one is remembered by (client, event id) and a
second delivery is answered "duplicate" with the first answer, changing nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q

from cchc.core.actors import ApiClientActor
from cchc.core.errors import ServiceError
from cchc.dossiers.models import Dossier
from cchc.dossiers.personal import Applicant
from cchc.dossiers.services import (
    dossier_apologise,
    dossier_decide,
    dossier_handover,
    dossier_receive,
    dossier_request_supplement,
    dossier_return,
    dossier_supplement_received,
)
from cchc.orgs.models import Unit
from cchc.procedures.models import Procedure

from .models import ApiClient, ExternalDossier, ReceivedEvent
from .schemas_write import DossierEventIn

APPLIED, DUPLICATE, REJECTED = "applied", "duplicate", "rejected"


def _need(event: DossierEventIn, *names: str) -> None:
    missing = [n for n in names if getattr(event, n) in (None, "")]
    if missing:
        raise ServiceError(
            {n: f"Sự kiện “{event.kind}” cần trường {n}." for n in missing}, code="api_event_field_missing"
        )


def unit_unknown(code: str, field: str) -> ServiceError:
    return ServiceError(
        {field: f"Không có đơn vị mã “{code}” trong phạm vi của ứng dụng."}, code="api_unit_unknown"
    )


def dossier_unknown(code: str) -> ServiceError:
    return ServiceError(
        {"dossier_code": f"Không có hồ sơ mã “{code}” trong phạm vi của ứng dụng."},
        code="api_dossier_unknown",
    )


def in_scope(actor: ApiClientActor, dossier: Dossier | None) -> Dossier | None:
    """The dossier if the client's subtree holds its handling or receiving unit; another
    province's dossier gets the same answer as an unknown code."""
    if dossier is not None and (
        dossier.handling_unit.path.startswith(actor.unit_path)
        or dossier.receiving_unit.path.startswith(actor.unit_path)
    ):
        return dossier
    return None


class Finder:
    """What an event names, looked up in the database one event at a time. A batch looks the
    same things up at once (`events_batch.Preloaded`), with the same answers."""

    def unit(self, actor: ApiClientActor, code: str, field: str) -> Unit:
        unit = Unit.objects.filter(code=code.strip(), path__startswith=actor.unit_path).first()
        if unit is None:
            raise unit_unknown(code, field)
        return unit

    def dossier(self, actor: ApiClientActor, code: str) -> Dossier:
        """The dossier the sender calls ``code`` (its own code given at receipt, or CCHC's —
        e.g. a dossier imported from dossiers.csv keeps the sender's code), if in scope."""
        code = code.strip()
        # Found by its code (an index lookup), then checked against the scope here: `.first()` on
        # the scope's OR across two joins made the database walk every dossier in id order.
        link = list(ExternalDossier.objects.filter(code=code).values_list("dossier_id", flat=True)[:1])
        where = Q(pk=link[0]) if link else Q(code=code)
        found = list(Dossier.objects.filter(where).select_related("handling_unit", "receiving_unit")[:1])
        dossier = in_scope(actor, found[0] if found else None)
        if dossier is None:
            raise dossier_unknown(code)
        return dossier

    def known(self, code: str) -> bool:
        """Whether a dossier is already called ``code`` (by a sender or by CCHC)."""
        return (
            ExternalDossier.objects.filter(code=code).exists() or Dossier.objects.filter(code=code).exists()
        )

    def procedure(self, code: str) -> Procedure | None:
        return Procedure.objects.filter(code=code.strip(), valid_to__isnull=True).order_by("pk").first()

    def link(self, code: str, dossier: Dossier, client: ApiClient) -> None:
        ExternalDossier.objects.create(code=code, dossier=dossier, client=client)


ONE_BY_ONE = Finder()


def _receipt(actor: ApiClientActor, client: ApiClient, e: DossierEventIn, find: Finder) -> Dossier:
    _need(e, "procedure_code", "handling_unit_code", "channel", "applicant")
    code = e.dossier_code.strip()
    if find.known(code):
        raise ServiceError(
            {"dossier_code": f"Hồ sơ mã “{code}” đã được tiếp nhận."}, code="api_dossier_exists"
        )
    handling = find.unit(actor, e.handling_unit_code or "", "handling_unit_code")
    receiving = (
        find.unit(actor, e.receiving_unit_code, "receiving_unit_code") if e.receiving_unit_code else handling
    )
    procedure = find.procedure(e.procedure_code or "")
    if procedure is None:
        raise ServiceError(
            {"procedure_code": f"Không có thủ tục mã “{e.procedure_code}” trong danh mục."},
            code="api_procedure_unknown",
        )
    a = e.applicant
    assert a is not None
    dossier = dossier_receive(
        actor=actor,
        procedure=procedure,
        handling_unit=handling,
        receiving_unit=receiving,
        channel=e.channel or "",
        applicant=Applicant(
            name=a.name, id_number=a.id_number, phone=a.phone, email=a.email, address=a.address, kind=a.kind
        ),
        received_at=e.at,
        complete=e.complete,
        missing=e.missing,
        eligible=e.eligible,
        reason=e.reason,
        data_reused=e.data_reused,
        digitised=e.digitised,
    )
    find.link(code, dossier, client)
    return dossier


def apply_event(
    actor: ApiClientActor, client: ApiClient, e: DossierEventIn, find: Finder = ONE_BY_ONE
) -> Dossier:
    """Apply one event through the dossier service its kind names; the dossier it moved."""
    if e.kind == "receipt":
        return _receipt(actor, client, e, find)
    d = find.dossier(actor, e.dossier_code)
    at = e.at
    actions: dict[str, Callable[[], Any]] = {
        "step": lambda: dossier_handover(
            actor=actor,
            dossier=d,
            to_step=e.step,
            to_unit=find.unit(actor, e.to_unit_code, "to_unit_code") if e.to_unit_code else None,
            note=e.note,
            at=at,
        ),
        "pause": lambda: dossier_request_supplement(actor=actor, dossier=d, missing=e.missing, at=at),
        "resume": lambda: dossier_supplement_received(actor=actor, dossier=d, at=at, note=e.note),
        "apology": lambda: dossier_apologise(
            actor=actor,
            dossier=d,
            new_due_at=e.new_due_at,  # type: ignore[arg-type]  # checked by _need below
            reason=e.reason,
            at=at,
        ),
        "result": lambda: dossier_decide(
            actor=actor, dossier=d, granted=bool(e.granted), reason=e.reason, at=at
        ),
        "return": lambda: dossier_return(actor=actor, dossier=d, method=e.method or "", at=at),
    }
    required = {
        "step": ("step",),
        "apology": ("new_due_at", "reason"),
        "result": ("granted",),
        "return": ("method",),
    }
    _need(e, *required.get(e.kind, ()))
    actions[e.kind]()  # every dossier service copies what it stored back onto ``d``
    return d


def applied(e: DossierEventIn, d: Dossier) -> dict[str, Any]:
    return {
        "event_id": e.event_id,
        "status": APPLIED,
        "dossier_code": e.dossier_code,
        "cchc_code": d.code,
        "state": d.state,
        "error": None,
    }


def rejected(e: DossierEventIn, exc: Exception) -> dict[str, Any]:
    return {
        "event_id": e.event_id,
        "status": REJECTED,
        "dossier_code": e.dossier_code,
        "cchc_code": None,
        "state": None,
        "error": error_body(exc),
    }


def error_body(exc: Exception) -> dict[str, Any]:
    if isinstance(exc, ServiceError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else None
        return {"code": exc.code, "message": "; ".join(exc.messages), "errors": errors}
    return {"code": "permission_denied", "message": str(exc) or "Không có quyền.", "errors": None}


def events_apply(
    *, actor: ApiClientActor, client: ApiClient, events: list[DossierEventIn]
) -> list[dict[str, Any]]:
    """Apply each event in order; one result per event (``applied``, ``duplicate``, ``rejected``
    with its error). Services refuse what the client's scope does not cover (``Access``).

    The batch is one transaction with a savepoint per event (one commit per request, not per
    event: a commit is the dearest step on both databases); the ids already seen are read in
    one query."""
    ids = [e.event_id for e in events]
    seen: dict[str, dict[str, Any]] = dict(
        ReceivedEvent.objects.filter(client=client, event_id__in=ids).values_list("event_id", "result")
    )
    out: list[dict[str, Any]] = []
    with transaction.atomic():
        for e in events:
            if e.event_id in seen:
                out.append(seen[e.event_id] | {"status": DUPLICATE})
                continue
            result = _one(actor, client, e)
            if result["status"] == APPLIED:
                seen[e.event_id] = result
            out.append(result)
    return out


def _one(actor: ApiClientActor, client: ApiClient, e: DossierEventIn) -> dict[str, Any]:
    result: dict[str, Any]
    try:
        with transaction.atomic():
            d = apply_event(actor, client, e)
            result = applied(e, d)
            ReceivedEvent.objects.create(
                client=client, event_id=e.event_id, kind=e.kind, dossier_code=e.dossier_code, result=result
            )
    except (ServiceError, PermissionDenied) as exc:
        result = rejected(e, exc)
    except IntegrityError:  # the same id sent at the same moment by another request: it won
        found = ReceivedEvent.objects.filter(client=client, event_id=e.event_id).first()
        result = (found.result if found else {"event_id": e.event_id, "dossier_code": e.dossier_code}) | {
            "status": DUPLICATE
        }
    return result
