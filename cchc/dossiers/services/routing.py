"""Routing through the internal process (B1…Bn): each hand-over is a line of the processing
control slip (form 06) and starts the next step with its own due time. Only the performer of the
current step (`cchc.dossiers.steps`) hands it on, or sends it back one step with a reason."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cchc.core.actors import Actor, ApiClientActor
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.text import nfc
from cchc.orgs.models import Membership, Unit, User, user_of

from .. import batch
from ..choices import EventKind as E
from ..deadlines import dossier_policy, step_due
from ..models import Dossier, Handover
from ..permissions import can_read, require
from ..steps import DESK, LEADER, holder, may_perform, step_at, step_performer, user_fits
from ._common import check, copy_back, lock, record, required_text, when


def _target_step(dossier: Dossier, to_step) -> dict:
    position = int(getattr(to_step, "position", to_step))
    current, last = dossier.current_step, len(dossier.steps)
    if position == current:
        raise ServiceError({"to_step": f"Hồ sơ đang ở bước B{current}."}, code="step_is_current")
    if position < current:
        raise ServiceError(
            {"to_step": f"Không chuyển ngược từ B{current} về B{position}: quy trình chỉ đi tiếp từng bước."},
            code="step_backwards",
        )
    if position > last:
        raise ServiceError({"to_step": f"Quy trình của thủ tục chỉ có B1…B{last}."}, code="step_out_of_range")
    if position > current + 1:
        raise ServiceError(
            {"to_step": f"Không được bỏ qua bước: sau B{current} là B{current + 1}."}, code="step_skipped"
        )
    return next(s for s in dossier.steps if s["position"] == position)


def _check_receiver(dossier: Dossier, unit: Unit, user: User | None, step: dict) -> None:
    if unit.pk != dossier.receiving_unit_id and not unit.is_in_subtree_of(dossier.handling_unit):
        raise ServiceError(
            {
                "to_unit": "Bước tiếp theo do cơ quan giải quyết (hoặc đơn vị trực thuộc) hay nơi tiếp nhận thực hiện."
            },
            code="receiver_out_of_scope",
        )
    if user is None:
        return
    performer = step_performer(step)
    if performer == LEADER:
        if not user_fits(user, LEADER, unit, dossier.handling_unit):
            raise ServiceError(
                {
                    "to_user": f"B{step['position']} do {step['actor_role']} thực hiện: {user} không phải "
                    f"lãnh đạo của {unit.name}."
                },
                code="user_not_in_role",
            )
    elif not Membership.objects.filter(user=user, unit=unit).exists():
        raise ServiceError({"to_user": f"{user} không thuộc {unit.name}."}, code="user_not_in_unit")


def require_reader(actor: Actor, d: Dossier, what: str) -> None:
    """Whoever acts on a step must at least see the dossier (before its state is told)."""
    if not isinstance(actor, ApiClientActor) and not can_read(actor, d):
        raise PermissionDenied(f"Bạn không có quyền {what} hồ sơ {d.code}.")


def require_step_performer(actor: Actor, d: Dossier, what: str) -> None:
    """Refuse unless `actor` is the one the current step asks for (`steps.may_perform`)."""
    h = holder(d)
    if h is None:
        require(actor, d, what=what)
        return
    if not may_perform(actor, d, h.performer, h.unit, h.user):
        who = (
            f"{h.user} (được giao)" if h.user is not None else f"{h.step['actor_role']} — {h.unit.body_name}"
        )
        raise PermissionDenied(
            f"Bạn không thể {what} hồ sơ {d.code}: bước B{h.step['position']} ({h.step['name']}) do {who} thực hiện."
        )


def _default_unit(d: Dossier, step: dict) -> Unit:
    return d.receiving_unit if step_performer(step) == DESK else d.handling_unit


@transaction.atomic
def dossier_handover(
    *,
    actor: Actor,
    dossier: Dossier,
    to_step,
    to_unit: Unit | None = None,
    to_user: User | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Handover:
    """Hand the dossier from its current step to the next one (`to_step`: a position or a
    Step), to a unit and optionally a named officer who must fit the step's role. Only the
    performer of the current step hands it on; skipping a step or going forward from the result
    is refused (going back: `dossier_send_back`). `to_unit` defaults to the desk for a desk's
    step, else to the handling unit."""
    d = lock(dossier)
    if d.steps:
        require_reader(actor, d, "bàn giao")
    else:
        require(actor, d, what="bàn giao")
    at = when(d, at)
    check(d, E.HANDED_OVER)
    if not d.steps:
        raise ServiceError(
            {"to_step": "Thủ tục của hồ sơ không có quy trình nội bộ (B1…Bn) để bàn giao."},
            code="procedure_without_steps",
        )
    require_step_performer(actor, d, "bàn giao")
    step = _target_step(d, to_step)
    to_unit = to_unit or _default_unit(d, step)
    _check_receiver(d, to_unit, to_user, step)
    return _move(d, dossier, actor=actor, at=at, step=step, to_unit=to_unit, to_user=to_user, note=note)


def _move(
    d: Dossier,
    dossier: Dossier,
    *,
    actor: Actor,
    at: dt.datetime,
    step: dict,
    to_unit: Unit,
    to_user: User | None,
    note: str,
    back: str = "",
) -> Handover:
    """The hand-over row and its two events (`handed_over`, `step_started`)."""
    current = d.step
    handover = Handover(
        dossier=d,
        from_step=current["position"],
        from_step_name=current["name"],
        from_unit_id=d.current_unit_id or d.receiving_unit_id,
        from_user=user_of(actor),
        to_step=step["position"],
        to_step_name=step["name"],
        to_unit=to_unit,
        to_user=to_user,
        at=at,
        step_due_at=d.step_due_at,
        on_time=at <= d.step_due_at,
        to_step_due_at=step_due(dossier_policy(d), at, step["time_allowed"], d.duration_unit),
        note=(f"Trả lại: {back}" if back else nfc(note))[:1000],
    )
    running = batch.current()
    if running is not None:  # written with the batch; its id is taken now for the event's data
        running.handover(d, handover)
    else:
        handover.save(force_insert=True)
    extra = {"back": True, "reason": back} if back else {}
    record(
        d,
        actor=actor,
        kind=E.HANDED_OVER,
        at=at,
        data={
            "handover": handover.pk,
            "from_step": handover.from_step,
            "to_step": handover.to_step,
            "from_unit": handover.from_unit_id,
            "to_unit": to_unit.pk,
            "step_due_at": handover.step_due_at,
            "on_time": handover.on_time,
        }
        | ({"to_user": to_user.pk} if to_user is not None else {})
        | extra,
    )
    record(
        d,
        actor=actor,
        kind=E.STEP_STARTED,
        at=at,
        data={"step": step["position"], "unit": to_unit.pk, "due_at": handover.to_step_due_at},
    )
    copy_back(dossier, d)
    return handover


@transaction.atomic
def dossier_send_back(
    *, actor: Actor, dossier: Dossier, reason: str, at: dt.datetime | None = None
) -> Handover:
    """Send the dossier back one step (B_k → B_k−1), with the reason, to the unit and officer who
    held that step: the signer returns a draft to the specialist, the specialist returns an
    unchecked dossier to the desk. A line of the control slip like any hand-over; the step
    restarts with its full time."""
    d = lock(dossier)
    require_reader(actor, d, "trả lại bước trước")
    at = when(d, at)
    check(d, E.HANDED_OVER)
    if not d.steps or d.current_step is None:
        raise ServiceError(
            "Thủ tục của hồ sơ không có quy trình nội bộ (B1…Bn) để trả lại.", code="procedure_without_steps"
        )
    if d.finished_at is not None:
        raise ServiceError(
            f"Hồ sơ {d.code} đã có kết quả: không trả lại bước trước.", code="send_back_after_result"
        )
    require_step_performer(actor, d, "trả lại bước trước")
    previous = step_at(d, d.current_step - 1)
    if previous is None:
        raise ServiceError(
            {"reason": f"Hồ sơ đang ở B{d.current_step}, bước đầu tiên: không có bước trước để trả lại."},
            code="send_back_from_first_step",
        )
    reason = required_text(reason, "reason", "Ghi lý do trả lại bước trước.")
    came = [h for h in d.handovers.order_by("at", "id") if h.to_step == previous["position"]]
    if came:
        to_unit, to_user = came[-1].to_unit, came[-1].to_user
    else:  # B1 since receipt
        to_unit, to_user = d.receiving_unit, None
    return _move(
        d, dossier, actor=actor, at=at, step=previous, to_unit=to_unit, to_user=to_user, note="", back=reason
    )
