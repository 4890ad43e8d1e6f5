"""The report calendar: which reports a unit owes, to whom, and by when.

* **To whom** follows the unit tree: a commune or an agency reports to its parent (the
  province); the province consolidates and reports upwards (no receiver in this system).
* **Who**, for a kind only a plan asks for (monthly reports of a plan), follows the plan's
  assignments: the units that hold a task of such a plan (themselves or below), not every unit
  (`reporters_for`).
* **When**: the schedule of the unit's province for the kind (`ReportSchedule`; a plan's own
  schedule first when the report is asked by a plan), else `windows.DEFAULTS`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from cchc.core.text import vi_sort_key
from cchc.orgs.models import Unit, UnitKind
from cchc.tracking.models import Assignment

from . import windows
from .models import ReportSchedule

# who owes its superior a report: the units under a province that run CCHC themselves
REPORTING_KINDS = (UnitKind.AGENCY, UnitKind.COMMUNE, UnitKind.DISTRICT, UnitKind.PROVINCE)


@dataclass(frozen=True)
class Rule:
    kind: str
    required: bool
    due_after_days: int
    remind_days_before: int


def schedule_for(province: Unit | None, kind: str, plan_id: int | None = None) -> Rule:
    """The rule for ``kind`` in ``province``: the plan's row, the province's row, the default."""
    if province is not None:
        rows = {
            r.plan_id: r
            for r in ReportSchedule.objects.filter(
                Q(plan__isnull=True) | Q(plan_id=plan_id), province=province, kind=kind
            )
        }
        row = rows.get(plan_id) or rows.get(None)
        if row is not None:
            return Rule(kind, row.required, row.due_after_days, row.remind_days_before)
    d = windows.DEFAULTS[kind]
    return Rule(kind, d.required, d.due_after_days, d.remind_days_before)


def rule_for(province: Unit | None, kind: str, year: int) -> Rule:
    """The rule that applies in ``province`` for ``year``: the province's (or the default); when
    that does not require the kind, a required row of an issued plan of the province covering the
    year (a plan may ask for monthly reports the province does not)."""
    rule = schedule_for(province, kind)
    if rule.required or province is None:
        return rule
    row = _plan_rows(province, kind, year).order_by("due_after_days").first()
    if row is None:
        return rule
    return Rule(kind, True, row.due_after_days, row.remind_days_before)


def receiver_of(unit: Unit) -> Unit | None:
    """The unit a report is sent to: the parent (None for a province: it reports outside)."""
    if unit.kind == UnitKind.PROVINCE:
        return None
    return unit.parent


def expected_reporters(receiver: Unit) -> list[Unit]:
    """The current units that owe ``receiver`` a report, in Vietnamese name order."""
    units = Unit.objects.filter(parent=receiver, valid_to__isnull=True, kind__in=REPORTING_KINDS)
    return sorted(units, key=lambda u: vi_sort_key(u.name))


def _plan_rows(province: Unit, kind: str, year: int):
    return ReportSchedule.objects.filter(
        province=province,
        kind=kind,
        required=True,
        plan__status="issued",
        plan__from_year__lte=year,
        plan__to_year__gte=year,
    )


def reporters_for(receiver: Unit, kind: str, year: int) -> list[Unit]:
    """The units that owe ``receiver`` the report of ``kind`` in ``year``: every reporting unit
    below it when the province requires the kind (or nobody does: anyone may send one); when
    only plans require it, those holding a task of such a plan, at the unit or below it."""
    units = expected_reporters(receiver)
    province = receiver.province() or receiver
    if schedule_for(province, kind).required:
        return units
    plans = list(_plan_rows(province, kind, year).values_list("plan_id", flat=True))
    if not plans:
        return units
    paths = set(
        Assignment.objects.filter(task__plan_id__in=plans, unit__path__startswith=receiver.path)
        .values_list("unit__path", flat=True)
        .distinct()
    )
    return [u for u in units if any(p.startswith(u.path) for p in paths)]


def due_on(unit: Unit, kind: str, year: int, number: int = 0) -> dt.date:
    rule = rule_for(unit.province(), kind, year)
    return windows.due_date(windows.window(kind, year, number).end, rule.due_after_days)
