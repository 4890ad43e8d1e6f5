"""Due times of dossiers, steps and feedback, always from the handling unit's policy
(`cchc.core.working_calendar.policy_for_unit`): the cut-off, working hours and the calendar
come from there and nowhere else.

A pause moves a due time by exactly the working time it lasted (`DueDate.with_pause`), applied
to the due time *stored* on the dossier, so an administrator's later change to the calendar
never moves a date already given to the applicant.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cchc.core.working_calendar import policy_for_unit
from cchc.core.workingtime import DueDate, DuePolicy, Unit, to_local

from .choices import EventKind

HOUR = Decimal(3600)


def hours(delta: dt.timedelta) -> Decimal:
    return (Decimal(int(delta.total_seconds())) / HOUR).quantize(Decimal("0.0001"))


def running(policy: DuePolicy, *, start: dt.datetime, due: dt.datetime) -> DueDate:
    """A DueDate whose clock started at `start` and whose due time is `due` as stored."""
    start, due = to_local(start), to_local(due)
    return DueDate(
        received=start,
        effective_start=start,
        due=due,
        duration=Decimal(0),
        unit=Unit.WORKING_HOUR,
        start_rule="in_hours",
        base_due=due,
        policy=policy,
    )


def after_pause(
    policy: DuePolicy, *, start: dt.datetime, due: dt.datetime, pause: tuple[dt.datetime, dt.datetime]
) -> tuple[dt.datetime, dt.timedelta, dt.timedelta]:
    """(new due, working time added, clock time counted) for one pause. A pause that begins
    once the due time has passed adds nothing and counts nothing (the dossier is late already)."""
    moved = running(policy, start=start, due=due).with_pause(*pause)
    if not moved.paused:
        return moved.due, dt.timedelta(0), dt.timedelta(0)
    return moved.due, moved.paused, to_local(pause[1]) - max(to_local(pause[0]), to_local(start))


def step_due(policy: DuePolicy, start: dt.datetime, amount: Decimal, unit: str) -> dt.datetime:
    """When a step that starts at `start` and may take `amount` (in the procedure's unit) is due:
    the earliest moment that much working time has run."""
    amount = Decimal(amount)
    if unit == Unit.CALENDAR_DAY:
        return policy.due_date(start, int(amount.to_integral_value()), Unit.CALENDAR_DAY).due
    per_unit = policy.hours.day_seconds if unit == Unit.WORKING_DAY else 3600
    return policy.add_working_time(start, int((amount * per_unit).to_integral_value()))


def apology_deadline(policy: DuePolicy, due: dt.datetime) -> dt.datetime:
    """The latest moment to send the apology: one working day before the due time in force."""
    return running(policy, start=due, due=due).apology_deadline


def dossier_policy(dossier) -> DuePolicy:
    """The handling unit's policy, read once per dossier object (a page asks for it from the
    due-date explanation, the apology rule and the steps; the handling unit never changes), and
    once per unit in a batch of API events (`batch.current`)."""
    policy = getattr(dossier, "_due_policy", None)
    if policy is None:
        from .batch import current

        running = current()
        policy = (
            running.policy(dossier.handling_unit)
            if running is not None
            else policy_for_unit(dossier.handling_unit)
        )
        dossier._due_policy = policy
    return policy


def dossier_due_explained(dossier, events=None) -> DueDate | None:
    """The dossier's due date recomputed from scratch — receipt, every closed pause and the
    apology — so it can explain itself (`.explain()`); None before the clock starts."""
    if dossier.received_at is None:
        return None
    events = list(events if events is not None else dossier.events.order_by("sequence"))
    pauses, opened, apology = [], None, None
    for e in events:
        if e.kind == EventKind.SUPPLEMENT_REQUESTED:
            opened = e.at
        elif e.kind == EventKind.SUPPLEMENT_RECEIVED and opened is not None:
            pauses.append((opened, e.at))
            opened = None
        elif e.kind == EventKind.APOLOGY_SENT:
            apology = (dt.datetime.fromisoformat(e.data["new_due_at"]), e.at)
    policy = dossier_policy(dossier)
    due = policy.due_date(dossier.received_at, dossier.duration, dossier.duration_unit, pauses=pauses)
    return due.extend(apology[0], at=apology[1]) if apology else due
