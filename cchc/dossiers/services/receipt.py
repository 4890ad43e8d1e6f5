"""Receipt (tiếp nhận): complete → receipt with appointment (form 01) and the clock starts;
incomplete → one request listing everything missing (form 02), no clock; not eligible →
refusal (form 03). An incomplete dossier is accepted later with `dossier_accept`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from cchc.core.actors import Actor
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.text import nfc
from cchc.orgs.access import Access
from cchc.orgs.models import Unit, user_of
from cchc.procedures.models import Component, OnlineMode, Procedure
from cchc.procedures.selectors import procedures_for_unit

from .. import batch
from ..choices import Channel
from ..choices import EventKind as E
from ..codes import dossier_code
from ..deadlines import dossier_policy, step_due
from ..models import ComponentForm, Dossier, ReceivedComponent
from ..permissions import require
from ..search import search_key
from ._common import check, copy_back, lock, moment, record, when


def clean_missing(missing: Iterable, procedure: Procedure) -> list[str]:
    """What is missing, as text: free text or the procedure's own components."""
    items = []
    for item in missing or ():
        if isinstance(item, Component):
            if item.procedure_id != procedure.pk:
                raise ServiceError(
                    {"missing": f"“{item.name}” không phải thành phần hồ sơ của thủ tục này."},
                    code="missing_item_unknown",
                )
            item = item.name
        text = nfc(str(item))
        if text and text not in items:
            items.append(text)
    return items


@dataclass(frozen=True)
class ReceivedItem:
    """One component of the procedure the desk ticked as handed in: how (original, copy, …) and
    how many."""

    component: Component
    form: str = ComponentForm.ORIGINAL
    count: int = 1


MAX_COUNT = 99


def clean_components(items: Sequence[ReceivedItem] | None, procedure: Procedure) -> list[dict] | None:
    """The checklist as stored (name, form, count, catalogue id), checked against the procedure;
    None when the caller kept no checklist (the API, an import)."""
    if items is None:
        return None
    out: list[dict] = []
    seen: set[int] = set()
    errors: list[str] = []
    for item in items:
        c = item.component
        if c.procedure_id != procedure.pk:
            errors.append(f"“{c.name}” không phải thành phần hồ sơ của thủ tục {procedure.code}.")
            continue
        if c.pk in seen:
            continue
        seen.add(c.pk)
        if item.form not in ComponentForm.values:
            errors.append(
                f"“{c.name}”: hình thức phải là bản chính, bản sao, bản sao chứng thực hoặc bản điện tử."
            )
        if not isinstance(item.count, int) or not 1 <= item.count <= MAX_COUNT:
            errors.append(f"“{c.name}”: số lượng từ 1 đến {MAX_COUNT}.")
        out.append({"component": c.pk, "name": c.name, "form": item.form, "count": item.count})
    if errors:
        raise ServiceError({"components": " ".join(errors)}, code="receipt_components_invalid")
    order = {
        pk: i
        for i, pk in enumerate(procedure.components.order_by("position", "id").values_list("pk", flat=True))
    }
    return sorted(out, key=lambda x: order.get(x["component"], len(order)))


def missing_mandatory(received: list[dict], procedure: Procedure) -> list[str]:
    """The mandatory components of the procedure not on the checklist."""
    have = {x["component"] for x in received}
    return [
        c.name for c in procedure.components.order_by("position", "id") if c.mandatory and c.pk not in have
    ]


def _store_components(dossier: Dossier, received: list[dict]) -> None:
    """The checklist replaces what was stored (an acceptance after a supplement lists it all)."""
    ReceivedComponent.objects.filter(dossier=dossier).delete()
    ReceivedComponent.objects.bulk_create(
        ReceivedComponent(
            dossier=dossier,
            component_id=x["component"],
            position=i,
            name=x["name"],
            form=x["form"],
            count=x["count"],
        )
        for i, x in enumerate(received, start=1)
    )


def _checklist_data(received: list[dict] | None) -> dict:
    """What the event (and so the audit row) says of the checklist."""
    if received is None:
        return {}
    return {"components": [{"name": x["name"], "form": x["form"], "count": x["count"]} for x in received]}


def _facts(procedure: Procedure, flags: dict) -> dict:
    return {"fee_amount": procedure.fee_amount or 0} | {k: bool(v) for k, v in flags.items() if v is not None}


def _start_clock(dossier: Dossier, *, actor: Actor, at: dt.datetime, facts: dict) -> None:
    procedure = dossier.procedure
    if procedure.processing_time is None:
        raise ServiceError(
            {
                "procedure": "Thủ tục chưa có thời hạn giải quyết: cập nhật danh mục thủ tục trước khi tiếp nhận."
            },
            code="procedure_without_time_limit",
        )
    policy = dossier_policy(dossier)
    due = policy.due_date(at, procedure.processing_time, procedure.time_unit)
    running = batch.current()
    steps = running.steps(procedure) if running is not None else process_of(procedure)
    record(
        dossier,
        actor=actor,
        kind=E.RECEIVED,
        at=at,
        data={
            "due_at": due.due,
            "effective_start": due.effective_start,
            "duration": procedure.processing_time,
            "duration_unit": procedure.time_unit,
            "steps": steps,
        }
        | facts,
    )
    if steps:  # B1 starts with the clock (after the cut-off: the next working day)
        first = steps[0]
        record(
            dossier,
            actor=actor,
            kind=E.STEP_STARTED,
            at=at,
            data={
                "step": first["position"],
                "unit": dossier.receiving_unit_id,
                "due_at": step_due(policy, due.effective_start, first["time_allowed"], procedure.time_unit),
            },
        )


def process_of(procedure: Procedure) -> list[dict]:
    """The procedure's internal process (B1…Bn) as a dossier copies it at receipt."""
    return [
        {
            "position": s.position,
            "name": s.name,
            "actor_role": s.actor_role,
            "performer": s.performer,
            "time_allowed": str(s.time_allowed),
        }
        for s in procedure.steps.order_by("position", "id")
    ]


def _carries(unit: Unit, procedure: Procedure) -> bool:
    running = batch.current()  # a batch asks once per unit and procedure
    if running is not None:
        return running.carries(unit, procedure)
    return procedures_for_unit(unit).filter(pk=procedure.pk).exists()


def _check_receipt(
    *, procedure: Procedure, handling_unit: Unit, receiving_unit: Unit, channel: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = "Kênh nộp phải là trực tiếp, trực tuyến hoặc bưu chính."
    elif channel == Channel.ONLINE and procedure.online_mode == OnlineMode.NONE:
        errors["channel"] = f"Thủ tục {procedure.code} chưa cung cấp dịch vụ công trực tuyến."
    for field, unit in (("handling_unit", handling_unit), ("receiving_unit", receiving_unit)):
        if unit.valid_to is not None:
            errors[field] = f"{unit.name} đã hết hiệu lực từ {unit.valid_to:%d/%m/%Y}."
    if procedure.valid_to is not None:
        errors["procedure"] = f"Thủ tục {procedure.code} đã hết hiệu lực."
    elif not _carries(handling_unit, procedure):
        errors["handling_unit"] = f"{handling_unit.body_name} không thực hiện thủ tục {procedure.code}."
    return errors


@transaction.atomic
def dossier_receive(
    *,
    actor: Actor,
    procedure: Procedure,
    handling_unit: Unit,
    receiving_unit: Unit,
    channel: str,
    applicant,
    received_at: dt.datetime | None = None,
    complete: bool = True,
    missing: Iterable = (),
    eligible: bool = True,
    reason: str = "",
    data_reused: bool = False,
    vneid_authenticated: bool = False,
    linked_to_personal_data_store: bool = False,
    digitised: bool = False,
    components: Sequence[ReceivedItem] | None = None,
) -> Dossier:
    """Record a dossier handed in at `receiving_unit` for `handling_unit` to decide.

    `applicant` is a `cchc.dossiers.personal.Applicant`. A complete, eligible dossier is received:
    the appointment is computed by the handling unit's policy (cut-off, holidays) and B1 starts.
    `complete=False` needs `missing` (everything at once); `eligible=False` needs `reason`.
    `components` is the desk's checklist of what was handed in (form 01 lists it): a complete
    dossier must hold every mandatory component; for an incomplete one, the mandatory components
    not ticked are what is missing unless `missing` says otherwise. None: no checklist kept.
    """
    from ..personal import clean_applicant

    if not Access.for_user(actor).can_report_for(receiving_unit):
        raise PermissionDenied(f"Bạn không có quyền tiếp nhận hồ sơ tại {receiving_unit.name}.")
    at = moment(received_at, "received_at")
    errors = _check_receipt(
        procedure=procedure,
        handling_unit=handling_unit,
        receiving_unit=receiving_unit,
        channel=channel,
    )
    try:
        applicant = clean_applicant(applicant)
    except ServiceError as exc:
        errors |= {k: v[0] for k, v in exc.message_dict.items()}
    missing = clean_missing(missing, procedure)
    try:
        received = clean_components(components, procedure)
    except ServiceError as exc:
        errors |= {k: v[0] for k, v in exc.message_dict.items()}
        received = None
    absent = missing_mandatory(received, procedure) if received is not None else []
    if received is not None and eligible and not complete and not missing:
        missing = absent
    if not eligible:
        reason = nfc(reason)
        if not reason:
            errors["reason"] = (
                "Ghi lý do từ chối tiếp nhận (hồ sơ không thuộc thẩm quyền, không đủ điều kiện…)."
            )
    elif complete and missing:
        errors["missing"] = "Hồ sơ đủ thành phần thì không ghi thành phần còn thiếu."
    elif complete and absent:
        errors["components"] = (
            "Chưa nhận thành phần bắt buộc: " + "; ".join(absent) + ". Đánh dấu đã nhận, hoặc chọn "
            "“Hồ sơ chưa đầy đủ” để yêu cầu bổ sung."
        )
    elif not complete and not missing:
        errors["missing"] = "Liệt kê đầy đủ, một lần, mọi thành phần cần bổ sung, hoàn thiện."
    if eligible and complete and procedure.processing_time is None:
        errors["procedure"] = (
            "Thủ tục chưa có thời hạn giải quyết: cập nhật danh mục thủ tục trước khi tiếp nhận."
        )
    if errors:
        raise ServiceError(errors, code="dossier_receipt_invalid")

    dossier = Dossier(
        code=dossier_code(handling_unit, at),
        procedure=procedure,
        handling_unit=handling_unit,
        receiving_unit=receiving_unit,
        channel=channel,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name,
        applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        applicant_search=search_key(applicant.name),
        created_by=user_of(actor),
    )
    facts = _facts(
        procedure,
        {
            "data_reused": data_reused,
            "vneid_authenticated": vneid_authenticated,
            "linked_to_personal_data_store": linked_to_personal_data_store,
            "digitised": digitised,
        },
    )
    if not eligible:
        record(dossier, actor=actor, kind=E.REFUSED_AT_RECEIPT, at=at, data={"reason": reason} | facts)
    elif not complete:
        facts |= _checklist_data(received)
        record(dossier, actor=actor, kind=E.RECEIPT_INCOMPLETE, at=at, data={"missing": missing} | facts)
    else:
        _start_clock(dossier, actor=actor, at=at, facts=facts | _checklist_data(received))
    if received is not None and eligible:
        _store_components(dossier, received)
    return dossier


@transaction.atomic
def dossier_accept(
    *,
    actor: Actor,
    dossier: Dossier,
    received_at: dt.datetime | None = None,
    data_reused: bool | None = None,
    vneid_authenticated: bool | None = None,
    linked_to_personal_data_store: bool | None = None,
    digitised: bool | None = None,
    components: Sequence[ReceivedItem] | None = None,
) -> Dossier:
    """Receive a dossier that was incomplete at receipt, now complete: the clock starts now.
    `components`, when given, is the whole checklist now held (it replaces the one of the
    receipt) and must hold every mandatory component."""
    d = lock(dossier)
    require(actor, d, what="tiếp nhận")
    at = when(d, received_at, "received_at")
    check(d, E.RECEIVED)
    received = clean_components(components, d.procedure)
    absent = missing_mandatory(received, d.procedure) if received is not None else []
    if absent:
        raise ServiceError(
            {"components": "Chưa nhận thành phần bắt buộc: " + "; ".join(absent) + "."},
            code="dossier_receipt_invalid",
        )
    facts = _facts(
        d.procedure,
        {
            "data_reused": data_reused,
            "vneid_authenticated": vneid_authenticated,
            "linked_to_personal_data_store": linked_to_personal_data_store,
            "digitised": digitised,
        },
    )
    _start_clock(d, actor=actor, at=at, facts=facts | _checklist_data(received))
    if received is not None:
        _store_components(d, received)
    return copy_back(dossier, d)
