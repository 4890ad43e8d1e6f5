"""Who does each step of the internal process (B1…Bn) and where the dossier stands in it — the
rules the routing and closing services enforce and the dossier page reads (docs/dossiers.md,
"Steps and roles").

A step names who acts in words ("Bộ phận một cửa", "Chuyên viên phòng chuyên môn", "Lãnh đạo cơ
quan", "Chủ tịch hoặc Phó Chủ tịch UBND cấp xã") and in its `performer` field (filled from the
words unless the catalogue chose it: procedures.performers), both copied with the process at
receipt. The performer is one of three:

- ``desk`` — the one-stop desk: an officer of the receiving unit (or a coordinator or
  administrator over it);
- ``leader`` — the leader who assigns, reviews or signs: a LEADER of the handling unit or of
  the unit under it that holds the step (a province's leader does not sign for a Sở), or an
  administrator over it;
- ``specialist`` — everyone else: an officer of the unit holding the step (or a coordinator or
  administrator over it).

A step handed to a named officer is theirs: only that officer (or an administrator over the
unit) acts on it. A registered system of the province (API client with the write scope) relays
what its own one-stop system decided and is not held to our roles, only to the order of steps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cchc.core.actors import Actor, ApiClientActor
from cchc.orgs.access import Access
from cchc.orgs.models import Role, Unit, User
from cchc.procedures.performers import Performer, performer_from_words, performer_or_words

if TYPE_CHECKING:
    from .models import Dossier, Handover

DESK, SPECIALIST, LEADER = Performer.DESK.value, Performer.SPECIALIST.value, Performer.LEADER.value
PERFORMER_LABELS = {
    DESK: "cán bộ bộ phận một cửa",
    SPECIALIST: "chuyên viên xử lý",
    LEADER: "lãnh đạo (phân công, xem xét, ký duyệt)",
}


def performer_of(actor_role: str) -> str:
    """The performer a step's words name (the rule that fills `Step.performer`)."""
    return performer_from_words(actor_role)


def step_performer(step: dict[str, Any]) -> str:
    """Who performs a dossier's step: the field copied from the procedure at receipt, or — for a
    dossier received before the field existed, whose copy has only the words — the words' rule,
    which filled the field, so both give the same answer."""
    return performer_or_words(step.get("performer"), step.get("actor_role", ""))


def step_at(dossier: Dossier, position: int | None) -> dict[str, Any] | None:
    if position is None:
        return None
    return next((s for s in dossier.steps if s["position"] == position), None)


def last_position(dossier: Dossier) -> int | None:
    return max((s["position"] for s in dossier.steps), default=None)


def at_last_step(dossier: Dossier) -> bool:
    return bool(dossier.steps) and dossier.current_step == last_position(dossier)


@dataclass(frozen=True)
class Holder:
    """Who holds the dossier's current step: the unit, the named officer (if assigned) and
    the performer the step asks for."""

    step: dict[str, Any]
    unit: Unit
    user: User | None
    performer: str
    due_at: dt.datetime | None


def _last_handover(dossier: Dossier) -> Handover | None:
    handovers = list(dossier.handovers.all())  # prefetched by dossier_get; ordered by (at, id)
    return handovers[-1] if handovers else None


def holder(dossier: Dossier) -> Holder | None:
    """Who holds the current step; None when the dossier is not at a step."""
    step = step_at(dossier, dossier.current_step)
    if step is None:
        return None
    last = _last_handover(dossier)
    if last is not None and last.to_step == dossier.current_step:
        unit, user = last.to_unit, last.to_user
    else:  # B1 since receipt: the desk that received it
        unit, user = dossier.current_unit or dossier.receiving_unit, None
    return Holder(step, unit, user, step_performer(step), dossier.step_due_at)


def may_perform(actor: Actor, dossier: Dossier, performer: str, unit: Unit, assignee: User | None) -> bool:
    """Whether `actor` may do a step of this performer held by `unit` (and `assignee`)."""
    if isinstance(actor, ApiClientActor):
        return actor.can_write and (
            unit.path.startswith(actor.unit_path) or dossier.handling_unit.path.startswith(actor.unit_path)
        )
    if not isinstance(actor, User):
        return False
    access = Access.for_user(actor)
    if access.is_superuser:
        return True
    if assignee is not None and assignee.pk != actor.pk:
        return access.covers(unit, (Role.ADMIN,))
    if performer == DESK:
        return access.can_report_for(dossier.receiving_unit) or access.can_report_for(unit)
    if performer == LEADER:
        return leads(access, unit, dossier.handling_unit)
    return access.can_report_for(unit)


def leads(access: Access, unit: Unit, handling_unit: Unit) -> bool:
    """A leader of `unit` or of a unit above it up to the handling unit (or an administrator)."""
    if access.covers(unit, (Role.ADMIN,)):
        return True
    return any(
        g.role == Role.LEADER and unit.path.startswith(g.path) and g.path.startswith(handling_unit.path)
        for g in access.grants
    )


def may_act_on_current_step(actor: Actor, dossier: Dossier) -> bool:
    h = holder(dossier)
    return h is not None and may_perform(actor, dossier, h.performer, h.unit, h.user)


def who_label(h: Holder) -> str:
    """ "Lãnh đạo cơ quan — Sở Tư pháp (Nguyễn Văn A)"."""
    who = f"{h.step.get('actor_role') or PERFORMER_LABELS[h.performer]} — {h.unit.body_name}"
    return f"{who} ({h.user})" if h.user is not None else who


def remaining_time(dossier: Dossier) -> Decimal:
    """The time the steps after the current one are allotted (the procedure's unit)."""
    current = dossier.current_step or 0
    return sum((Decimal(s["time_allowed"]) for s in dossier.steps if s["position"] > current), Decimal(0))


def user_fits(user: User, performer: str, unit: Unit, handling_unit: Unit) -> bool:
    """A named receiver must be able to do the step: a member of the unit (for a leader's step,
    a leader of it or of a unit above it up to the handling unit)."""
    if performer == LEADER:
        return leads(Access.for_user(user), unit, handling_unit)
    return user.memberships.filter(unit=unit).exists()


@dataclass(frozen=True)
class StepProgress:
    """One step of a dossier's process as it stands: ``done``, ``current``, ``pending``, or
    ``stopped`` (the dossier was stopped or withdrawn while at it)."""

    position: int
    label: str
    name: str
    actor_role: str
    time_allowed: str
    status: str
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    on_time: bool | None = None


def progress(dossier: Dossier) -> list[StepProgress]:
    """Where the dossier stands in its process, from its hand-overs (prefetched, in time order).
    A step before the current one is done (when it was last handed on); the current step is in
    progress — or done when the result has been returned (the last step closes with the
    return), or stopped with the dossier. A step sent back to is current again; the steps after
    it are pending again."""
    from .choices import State

    handovers = list(dossier.handovers.all())
    forward: dict[int, Handover] = {}
    started: dict[int, dt.datetime | None] = {}
    if dossier.steps:
        started[dossier.steps[0]["position"]] = dossier.received_at
    for h in handovers:
        if h.to_step > h.from_step:
            forward[h.from_step] = h
        started[h.to_step] = h.at
    current = dossier.current_step
    out = []
    for s in dossier.steps:
        position = s["position"]
        common = {
            "position": position,
            "label": f"B{position}",
            "name": s["name"],
            "actor_role": s.get("actor_role", ""),
            "time_allowed": str(s.get("time_allowed", "")),
            "started_at": started.get(position),
        }
        if current is None or position > current:
            out.append(StepProgress(status="pending", **common))
        elif position < current:
            passed = forward.get(position)
            out.append(
                StepProgress(
                    status="done",
                    finished_at=passed.at if passed else None,
                    due_at=passed.step_due_at if passed else None,
                    on_time=passed.on_time if passed else None,
                    **common,
                )
            )
        elif dossier.state == State.RETURNED and dossier.returned_at is not None:
            due = dossier.step_due_at
            out.append(
                StepProgress(
                    status="done",
                    finished_at=dossier.returned_at,
                    due_at=due,
                    on_time=None if due is None else dossier.returned_at <= due,
                    **common,
                )
            )
        elif dossier.state in (State.STOPPED, State.WITHDRAWN):
            out.append(StepProgress(status="stopped", finished_at=dossier.finished_at, **common))
        else:
            out.append(StepProgress(status="current", due_at=dossier.step_due_at, **common))
    return out
