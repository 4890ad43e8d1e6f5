"""The desk's receipt side in the demo province: a morning at the one-stop desk of Sở Tư pháp —
dossiers received with the checklist of their components, fees charged by the procedure, some
paid at the desk, some online through the (simulated) gateway, some not yet, one procedure free
of charge — so that the queue, the dossier pages, the receipt slips with their QR code and the
fee receipts show something real. The generated year of dossiers (imported) carries no
applicants, components or payments: these do."""

from __future__ import annotations

import datetime as dt

from cchc.core.actors import CITIZEN
from cchc.dossiers import services
from cchc.dossiers.gateways import SimulatedGateway, get_gateway
from cchc.dossiers.models import ComponentForm, Dossier
from cchc.dossiers.personal import Applicant
from cchc.orgs.models import Unit, User
from cchc.procedures.models import OnlineMode, Procedure
from cchc.procedures.selectors import procedures_for_unit

APPLICANTS = [
    ("Nguyễn Thị Mai", "075190001201", "0912340101", "15 Võ Thị Sáu, Phường Trấn Biên"),
    ("Trần Văn Hùng", "075085002302", "0983450202", "88 Phạm Văn Thuận, Phường Tam Hiệp"),
    ("Lê Hoàng Phúc", "075092003403", "0909560303", "12 Hùng Vương, Phường Đồng Xoài"),
    ("Phạm Ngọc Lan", "075198004504", "0977670404", "4 Nguyễn Ái Quốc, Phường Biên Hòa"),
    ("Võ Minh Tuấn", "075088005605", "0938780505", "27 Lý Thường Kiệt, Phường Bình Phước"),
    ("Đặng Thu Hà", "075195006706", "0966890606", "3 Trần Hưng Đạo, Phường Long Khánh"),
    ("Huỳnh Quốc Bảo", "075090007807", "0918900707", "60 Cách Mạng Tháng Tám, Phường Trảng Dài"),
    ("Bùi Thị Hồng", "075199008908", "0971010808", "9 Lê Duẩn, Phường Phước Bình"),
]
# per applicant: how the fee goes — "desk", "online" or "" (not yet)
PAYMENTS = ["desk", "online", "", "desk", "", "online", "desk", ""]


def _procedures(unit: Unit) -> tuple[list[Procedure], Procedure | None]:
    offered = (
        procedures_for_unit(unit)
        .filter(agency=unit, processing_time__isnull=False, valid_to__isnull=True)
        .exclude(online_mode=OnlineMode.NONE)
        .order_by("code")
    )
    with_fee = [p for p in offered.filter(fee_amount__gt=0) if p.components.exists()][:4]
    free = next((p for p in offered.filter(fee_amount=0) if p.components.exists()), None)
    return with_fee, free


def load_desk_demo(province: Unit, officer: User, *, as_of: dt.datetime) -> int:
    """Receive the morning's dossiers at the officer's unit (Sở Tư pháp); returns how many."""
    unit = Unit.objects.get(code=f"{province.code}.STP")
    with_fee, free = _procedures(unit)
    if not with_fee:
        return 0
    procedures = [*with_fee, *([free] if free else [])]
    simulated = isinstance(get_gateway(), SimulatedGateway)
    made = 0
    for i, (name, id_number, phone, address) in enumerate(APPLICANTS):
        if Dossier.objects.filter(applicant_id_number=id_number, receiving_unit=unit).exists():
            continue  # loaded before
        procedure = procedures[i % len(procedures)]
        components = list(procedure.components.order_by("position", "id"))
        at = as_of - dt.timedelta(minutes=25 * (len(APPLICANTS) - i))
        d = services.dossier_receive(
            actor=officer,
            procedure=procedure,
            handling_unit=unit,
            receiving_unit=unit,
            channel="truc_tiep" if i % 3 else "truc_tuyen",
            applicant=Applicant(name=name, id_number=id_number, phone=phone, address=address),
            received_at=at,
            components=[
                services.ReceivedItem(
                    c,
                    ComponentForm.ORIGINAL if j == 0 else ComponentForm.CERTIFIED_COPY,
                    c.copies or 1,
                )
                for j, c in enumerate(components)
                if c.mandatory or j == 0
            ],
        )
        made += 1
        how = PAYMENTS[i] if d.fee_due else ""
        paid_at = at + dt.timedelta(minutes=5)
        if how == "online" and simulated:
            started = services.payment_start(actor=CITIZEN, dossier=d, at=paid_at)
            reference = started.payment.reference or ""
            services.payment_confirm(
                reference=reference, payload=SimulatedGateway().callback(reference, paid=True), at=paid_at
            )
        elif how:
            services.payment_record_at_desk(actor=officer, dossier=d, at=paid_at)
    return made
