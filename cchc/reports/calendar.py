"""The report calendar: which reports a unit owes, to whom, and by when.

* **To whom** follows the unit tree: a commune or an agency reports to its parent (the
  province); the province consolidates and reports upwards (no receiver in this system).
* **When**: the schedule of the unit's province for the kind (`ReportSchedule`; a plan's own
  schedule first when the report is asked by a plan), else `windows.DEFAULTS`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from cchc.core.text import vi_sort_key
from cchc.orgs.models import Unit, UnitKind

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
    row = (
        ReportSchedule.objects.filter(
            province=province,
            kind=kind,
            required=True,
            plan__status="issued",
            plan__from_year__lte=year,
            plan__to_year__gte=year,
        )
        .order_by("due_after_days")
        .first()
    )
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


def due_on(unit: Unit, kind: str, year: int, number: int = 0) -> dt.date:
    rule = rule_for(unit.province(), kind, year)
    return windows.due_date(windows.window(kind, year, number).end, rule.due_after_days)
