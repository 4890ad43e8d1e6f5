"""Routing through the internal process (B1…Bn): each hand-over is a line of the processing
control slip (form 06) and starts the next step with its own due time."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cchc.core.actors import Actor
from cchc.core.errors import ServiceError
from cchc.core.text import nfc
from cchc.orgs.models import Membership, Unit, User, user_of

from ..choices import EventKind as E
from ..deadlines import dossier_policy, step_due
from ..models import Dossier, Handover
from ..permissions import require
from ._common import check, copy_back, lock, record, when


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


def _check_receiver(dossier: Dossier, unit: Unit, user: User | None) -> None:
    if unit.pk != dossier.receiving_unit_id and not unit.is_in_subtree_of(dossier.handling_unit):
        raise ServiceError(
            {
                "to_unit": "Bước tiếp theo do cơ quan giải quyết (hoặc đơn vị trực thuộc) hay nơi tiếp nhận thực hiện."
            },
            code="receiver_out_of_scope",
        )
    if user is not None and not Membership.objects.filter(user=user, unit=unit).exists():
        raise ServiceError({"to_user": f"{user} không thuộc {unit.name}."}, code="user_not_in_unit")


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
    Step). Skipping a step or going back is refused. `to_unit` defaults to the handling unit."""
    d = lock(dossier)
    require(actor, d, what="bàn giao")
    at = when(d, at)
    check(d, E.HANDED_OVER)
    if not d.steps:
        raise ServiceError(
            {"to_step": "Thủ tục của hồ sơ không có quy trình nội bộ (B1…Bn) để bàn giao."},
            code="procedure_without_steps",
        )
    step = _target_step(d, to_step)
    to_unit = to_unit or d.handling_unit
    _check_receiver(d, to_unit, to_user)
    current = d.step
    handover = Handover.objects.create(
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
        note=nfc(note)[:1000],
    )
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
        },
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
