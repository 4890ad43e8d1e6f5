"""Forms 01–07 of a dossier: maps the dossier (as the user may see it) to the plain facts of
`cchc.dossiers.tt03_forms` and builds the document. Nothing here decides anything: a form
whose fact is missing (no apology, no stop…) is `FormUnavailable`."""

from __future__ import annotations

import datetime as dt

from cchc.core.documents import OfficialDocument
from cchc.core.workingtime import to_local
from cchc.orgs.models import Unit, UnitKind, User
from cchc.procedures.models import format_duration

from . import tt03_forms as tt03
from .choices import EventKind, ReturnMethod
from .personal import ApplicantView
from .qr import qr_png

FORMS = {
    "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "04": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "05": "Thông báo dừng giải quyết hồ sơ",
    "06": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
}


class FormUnavailable(Exception):
    """The dossier has no such form (yet); the message says why, in Vietnamese."""


def _place(province: Unit | None) -> str:
    if province is None:
        return ""
    name = province.short_name or province.name
    for prefix in ("Tỉnh ", "Thành phố "):
        name = name.removeprefix(prefix)
    return name


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return to_local(value) if value else None


def _person(user: User | None) -> str:
    return (getattr(user, "full_name", "") or str(user)) if user else ""


def _superior(unit: Unit) -> str:
    """The body above the receiving unit, in the header ("UBND TỈNH ĐỒNG NAI")."""
    if unit.parent_id is None:
        return ""
    parent = unit.parent
    return parent.body_name if parent.kind in (UnitKind.PROVINCE, UnitKind.COMMUNE) else parent.name


def dossier_facts(dossier, applicant: ApplicantView, *, lookup_url: str = "") -> tt03.DossierFacts:
    """The dossier as the forms need it; `applicant` is what the user may see (masked or not).
    The components are those the desk ticked at receipt (`ReceivedComponent`), not the
    procedure's catalogue; `lookup_url` (absolute) puts the lookup's QR code on form 01."""
    procedure, desk = dossier.procedure, dossier.receiving_unit
    components = [
        tt03.Component(name=c.name, original=c.get_form_display(), copies=c.count)
        for c in dossier.received_components.all()
    ]
    officer = dossier.created_by
    return tt03.DossierFacts(
        code=dossier.code,
        procedure_name=procedure.name,
        processing_time=format_duration(dossier.duration, dossier.duration_unit)
        if dossier.duration is not None
        else procedure.processing_time_label,
        applicant_name=applicant.name,
        applicant_address=applicant.address,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        superior_body=_superior(desk),
        receiving_body=desk.body_name,
        handling_body=dossier.handling_unit.body_name,
        place=_place(desk.province()),
        received_at=_local(dossier.received_at),
        due_at=_local(dossier.due_at),
        return_method=ReturnMethod(dossier.return_method).label
        if dossier.return_method
        else tt03.DossierFacts.return_method,
        components=components,
        officer_name=_person(officer),
        officer_phone="",
        lookup_url=lookup_url,
        qr_png=qr_png(lookup_url) if lookup_url else None,
    )


def _last(dossier, *kinds: str):
    events = [e for e in dossier.events.all() if e.kind in kinds]
    return events[-1] if events else None


def _day(event) -> dt.date:
    return to_local(event.at).date()


def build_form(number: str, dossier, applicant: ApplicantView, *, lookup_url: str = "") -> OfficialDocument:
    """Form `number` ("01"…"06") of the dossier, or FormUnavailable."""
    f = dossier_facts(dossier, applicant, lookup_url=lookup_url if number == "01" else "")
    code = dossier.code
    if number == "01":
        if dossier.received_at is None:
            raise FormUnavailable(f"Hồ sơ {code} chưa được tiếp nhận nên chưa có giấy hẹn trả kết quả.")
        return tt03.form_01_receipt(f)
    if number == "02":
        e = _last(dossier, EventKind.SUPPLEMENT_REQUESTED, EventKind.RECEIPT_INCOMPLETE)
        if e is None:
            raise FormUnavailable(f"Hồ sơ {code} chưa có yêu cầu bổ sung, hoàn thiện.")
        reason = (
            "Hồ sơ chưa đầy đủ thành phần theo quy định."
            if e.kind == EventKind.RECEIPT_INCOMPLETE
            else "Cần bổ sung, làm rõ để tiếp tục giải quyết hồ sơ."
        )
        f.officer_name = _person(e.actor) or f.officer_name
        return tt03.form_02_supplement(f, missing=e.data.get("missing", []), reason=reason, day=_day(e))
    if number == "03":
        e = _last(dossier, EventKind.REFUSED_AT_RECEIPT, EventKind.RESULT_REFUSED)
        if e is None:
            raise FormUnavailable(f"Hồ sơ {code} không bị từ chối.")
        f.officer_name = _person(e.actor) or f.officer_name
        return tt03.form_03_refusal(f, reason=e.data.get("reason", ""), day=_day(e))
    if number == "04":
        e = _last(dossier, EventKind.APOLOGY_SENT)
        if e is None:
            raise FormUnavailable(f"Hồ sơ {code} chưa có thư xin lỗi, hẹn lại ngày trả.")
        return tt03.form_04_apology(
            f,
            reason=e.data.get("reason", ""),
            new_due_at=to_local(dt.datetime.fromisoformat(e.data["new_due_at"])),
            day=_day(e),
        )
    if number == "05":
        e = _last(dossier, EventKind.STOPPED)
        if e is None:
            raise FormUnavailable(f"Hồ sơ {code} không dừng giải quyết.")
        asked = _last(dossier, EventKind.STOP_REQUESTED)
        f.officer_name = _person(e.actor) or f.officer_name
        return tt03.form_05_stop(
            f, reason=e.data.get("reason", ""), requested_on=_day(asked) if asked else None, day=_day(e)
        )
    if number == "06":
        if dossier.received_at is None:
            raise FormUnavailable(f"Hồ sơ {code} chưa được tiếp nhận nên chưa có phiếu kiểm soát.")
        rows = [
            tt03.Handover(
                from_body=f"B{h.from_step}. {h.from_step_name} — {h.from_unit.body_name}",
                to_body=f"B{h.to_step}. {h.to_step_name} — {h.to_unit.body_name}",
                at=to_local(h.at),
                giver=_person(h.from_user),
                receiver=_person(h.to_user),
                outcome=_outcome(h),
                note=h.note,
            )
            for h in dossier.handovers.all()
        ]
        return tt03.form_06_control_slip(f, handovers=rows)
    raise FormUnavailable(f"Không có mẫu số {number}.")


def _outcome(h) -> str:
    if not h.on_time:
        return "Quá hạn"
    return "Đúng hạn" if h.at.date() == h.step_due_at.date() else "Trước hạn"


def build_register(*, unit: Unit, dossiers, applicant_of, day: dt.date) -> OfficialDocument:
    """Form 07, the register of `unit` (the receiving unit) for the given dossiers; `applicant_of`
    gives each dossier's applicant as the user may see it."""
    rows = []
    for d in dossiers:
        a = applicant_of(d)
        sent = next((h.at for h in d.handovers.all() if h.to_unit_id != d.receiving_unit_id), None)
        rows.append(
            tt03.RegisterRow(
                code=d.code,
                procedure_name=d.procedure.name,
                applicant=a.name,
                address_phone=", ".join(x for x in (a.address, a.phone) if x),
                handling_body=d.handling_unit.body_name,
                received_at=_local(d.received_at or d.submitted_at),
                due_at=_local(d.current_due_at),
                sent_at=_local(sent),
                result_at=_local(d.finished_at),
                returned_at=_local(d.returned_at),
                note=d.get_state_display(),
            )
        )
    province = unit.province()
    return tt03.form_07_register(
        superior_body=_superior(unit),
        receiving_body=unit.body_name,
        place=_place(province),
        day=day,
        rows=rows,
    )
