"""Supplements after acceptance (the clock pauses, form 02) and the apology with a new
appointment (form 04)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from cchc.core.actors import Actor
from cchc.core.errors import ServiceError
from cchc.core.text import nfc
from cchc.core.workingtime import ExtensionError, to_local

from ..apology import apology_status
from ..choices import EventKind as E
from ..deadlines import after_pause, apology_deadline, dossier_policy, hours, running
from ..messages import moment as show
from ..models import Dossier
from ..permissions import require
from ._common import check, copy_back, lock, record, required_text, when
from .receipt import clean_missing


def pause_closure(dossier: Dossier, at: dt.datetime, policy=None) -> dict:
    """How an open pause ending at `at` moves the due times, and the time it counts."""
    if dossier.paused_since is None:
        return {}
    policy = policy or dossier_policy(dossier)
    clock_start = policy.effective_start(dossier.received_at)
    pause = (dossier.paused_since, at)
    due, worked, elapsed = after_pause(policy, start=clock_start, due=dossier.current_due_at, pause=pause)
    out = {
        "pause_started_at": dossier.paused_since,
        "due_at": due,
        "paused_hours": hours(worked),
        "paused_elapsed_hours": hours(elapsed),
        "step_due_at": None,
    }
    if dossier.step_due_at is not None:
        step_start = max(to_local(dossier.step_started_at), clock_start)
        out["step_due_at"] = after_pause(policy, start=step_start, due=dossier.step_due_at, pause=pause)[0]
    return out


@transaction.atomic
def dossier_request_supplement(
    *, actor: Actor, dossier: Dossier, missing: Iterable, at: dt.datetime | None = None
) -> Dossier:
    """Ask the applicant for a supplement after acceptance: the clock pauses until it arrives.
    Each request is counted (more than one makes the dossier late in the 766 index)."""
    d = lock(dossier)
    require(actor, d, what="yêu cầu bổ sung")
    at = when(d, at)
    check(d, E.SUPPLEMENT_REQUESTED)
    items = clean_missing(missing, d.procedure)
    if not items:
        raise ServiceError(
            {"missing": "Liệt kê đầy đủ, một lần, các nội dung cần bổ sung."},
            code="supplement_items_required",
        )
    record(d, actor=actor, kind=E.SUPPLEMENT_REQUESTED, at=at, data={"missing": items})
    return copy_back(dossier, d)


@transaction.atomic
def dossier_supplement_received(
    *, actor: Actor, dossier: Dossier, at: dt.datetime | None = None, note: str = ""
) -> Dossier:
    """The supplement arrived (at the desk, or online: `CITIZEN`): the clock resumes and
    the due times move by exactly the working time the pause lasted."""
    d = lock(dossier)
    require(actor, d, what="nhận bổ sung", applicant_ok=True)
    at = when(d, at)
    check(d, E.SUPPLEMENT_RECEIVED)
    data = pause_closure(d, at)
    if nfc(note):
        data["note"] = nfc(note)[:1000]
    record(d, actor=actor, kind=E.SUPPLEMENT_RECEIVED, at=at, data=data)
    return copy_back(dossier, d)


@transaction.atomic
def dossier_apologise(
    *, actor: Actor, dossier: Dossier, new_due_at: dt.datetime, reason: str, at: dt.datetime | None = None
) -> Dossier:
    """Send the apology with a new appointment: once, at the latest one working day before the
    due time in force, and only when it is due — the dossier is or will be late
    (`cchc.dossiers.apology.apology_status`)."""
    d = lock(dossier)
    require(actor, d, what="gửi thư xin lỗi cho", handling_only=True)
    at = when(d, at)
    check(d, E.APOLOGY_SENT)
    if d.apologised:
        raise ServiceError(
            f"Hồ sơ {d.code} đã gửi thư xin lỗi và hẹn lại ngày trả ({show(d.new_due_at)}); "
            "chỉ được hẹn lại một lần.",
            code="apology_already_sent",
        )
    reason = required_text(reason, "reason", "Ghi lý do chậm trả kết quả.")
    policy = dossier_policy(d)
    deadline = apology_deadline(policy, d.current_due_at)
    if at > deadline:
        raise ServiceError(
            f"Đã quá thời hạn gửi thư xin lỗi: chậm nhất {show(deadline)}, 01 ngày làm việc trước hạn trả "
            f"{show(d.current_due_at)}.",
            code="apology_too_late",
        )
    status = apology_status(d, at, policy)
    if not status.due:
        raise ServiceError(f"Chưa gửi thư xin lỗi cho hồ sơ {d.code}: {status.why}.", code="apology_not_due")
    try:
        extended = running(policy, start=d.received_at, due=d.current_due_at).extend(new_due_at, at=at)
    except ExtensionError:
        raise ServiceError(
            {"new_due_at": f"Ngày hẹn mới phải sau hạn hiện tại {show(d.current_due_at)}."},
            code="new_due_not_later",
        ) from None
    record(
        d,
        actor=actor,
        kind=E.APOLOGY_SENT,
        at=at,
        data={
            "new_due_at": extended.due,
            "previous_due_at": d.current_due_at,
            "deadline": deadline,
            "reason": reason,
        },
    )
    return copy_back(dossier, d)
