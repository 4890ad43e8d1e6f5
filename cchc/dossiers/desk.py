"""What the processing desk shows on a dossier's page: its state and who holds it, and the next
actions — only those that apply now to this user, in the order the work goes (docs/dossiers.md,
"The dossier page: next actions only"). The services stay the judges; this only decides what
to offer.

Order: the step's own work (hand on to the next step, or record the result at the last step;
send back one step), a supplement request, the apology when it is due, the fee (offered to the
desk, where it is paid);
after the result: the fee, the electronic result, the return. The applicant's requests (stop,
withdraw) and the facts for the 766 index (digitised, data-store link, portal sync) are offered
apart, under "Thao tác khác".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cchc.core.actors import Actor
from cchc.orgs.access import Access

from .apology import ApologyStatus, apology_status
from .choices import EventKind as E
from .choices import Result, State
from .lifecycle import OPEN, allowed
from .models import PaymentStatus
from .steps import Holder, at_last_step, holder, may_perform, who_label

FACTS = (
    ("so-hoa", E.DIGITISED, "digitised"),
    ("lien-ket-kho", E.DATA_STORE_LINKED, "linked_to_personal_data_store"),
    ("dong-bo", E.SYNCED, "synced_to_national_portal"),
)


@dataclass(frozen=True)
class DeskView:
    state_label: str
    holder: Holder | None
    holder_label: str  # "Lãnh đạo cơ quan — Sở Tư pháp (Phạm Văn Ký)"
    yours: bool  # the user holds the current step
    main: list[str]  # action slugs, in order
    more: list[str]
    apology: ApologyStatus


def _fee_unpaid(d) -> bool:
    return d.fee_due and not any(p.status == PaymentStatus.PAID for p in d.payments.all())


def desk_view(d, user: Actor, now: dt.datetime | None = None) -> DeskView:
    """`d` comes from `selectors.dossier_get` (with `can_handle`, `can_decide`)."""
    h = holder(d) if d.state in OPEN or d.state == State.WAITING_SUPPLEMENT else None
    yours = h is not None and may_perform(user, d, h.performer, h.unit, h.user)
    apology = apology_status(d, now)
    main: list[str] = []
    more: list[str] = []
    handle, decide = d.can_handle, d.can_decide
    if d.state == State.INCOMPLETE_AT_RECEIPT and handle:
        main.append("tiep-nhan")
    elif d.state in OPEN:
        if d.steps:
            if yours:
                main.append("ket-qua" if at_last_step(d) else "ban-giao")
                if d.current_step and d.current_step > d.steps[0]["position"]:
                    main.append("tra-lai")
        elif decide:
            main.append("ket-qua")
        if handle and (yours or not d.steps):
            main.append("yeu-cau-bo-sung")
        if decide and apology.due:
            main.append("xin-loi")
    elif d.state == State.WAITING_SUPPLEMENT and handle:
        main.append("nhan-bo-sung")
    at_desk = handle and Access.for_user(user).can_report_for(d.receiving_unit)
    if at_desk and _fee_unpaid(d) and allowed(E.PAYMENT_MADE, d.state):
        main.append("thu-phi")
    if d.state == State.RESULT_READY and handle:
        if not d.electronic_result:
            main.append("dinh-kem")
        main.append("tra-ket-qua")
    if d.state == State.RETURNED and handle and d.result == Result.GRANTED and not d.electronic_result:
        more.append("dinh-kem")
    if handle:
        more += [s for s, kind in (("dung", E.STOPPED), ("rut", E.WITHDRAWN)) if allowed(kind, d.state)]
        more += [s for s, kind, done in FACTS if allowed(kind, d.state) and not getattr(d, done)]
    return DeskView(
        state_label=d.get_state_display(),
        holder=h,
        holder_label=who_label(h) if h is not None else "",
        yours=yours,
        main=main,
        more=more,
        apology=apology,
    )
