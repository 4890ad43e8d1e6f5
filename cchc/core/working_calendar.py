"""The working calendar and due-date policies the application uses: the shipped announced
schedules merged with the administrator's table (`CalendarDay`), and per-unit working hours
(`WorkSchedule`). Reads are cached per process and refreshed when the table changes (one cheap
query per use); the audited writes, which need the access rules, are `cchc.orgs.services_calendar`."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any, Protocol, cast

from django.db.models import Count, Max

from .models import CalendarDay, WorkSchedule
from .workingtime import (
    CalendarOverride,
    DuePolicy,
    WorkingCalendar,
    WorkingHours,
    default_calendar,
    shipped_overrides,
)
from .workingtime.calendar import OverrideKind

_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "calendar": None}


class _Unit(Protocol):
    """What a unit is to the calendar (`cchc.orgs.models.Unit`): a place in the tree."""

    def ancestor_ids(self) -> list[int]: ...


def _table_version() -> tuple[int, Any]:
    row = CalendarDay.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return row["n"], row["last"]


def effective_overrides() -> list[CalendarOverride]:
    """Shipped entries, replaced date by date by the administrator's rows."""
    table = {row.date: row for row in CalendarDay.objects.all()}
    merged = {o.date: o for o in shipped_overrides()}
    for day, row in table.items():
        kind = cast(OverrideKind, row.kind)  # CalendarDay.Kind: the same two values
        merged[day] = CalendarOverride(row.date, kind, row.name, row.legal_reference, row.enabled)
    return sorted(merged.values(), key=lambda o: o.date)


def current_calendar() -> WorkingCalendar:
    key = _table_version()
    with _lock:
        if _cache["key"] != key or _cache["calendar"] is None:
            _cache["calendar"] = default_calendar(effective_overrides())
            _cache["key"] = key
        calendar: WorkingCalendar = _cache["calendar"]
        return calendar


def policies_for_units(units: Iterable[_Unit]) -> dict[tuple[int, ...], DuePolicy]:
    """`policy_for_unit` of many units in two queries, keyed by `tuple(unit.ancestor_ids())`
    (units that share their ancestry share their policy)."""
    paths = {tuple(u.ancestor_ids()) for u in units}
    ids = {i for path in paths for i in path}
    schedules = {s.unit_id: s for s in WorkSchedule.objects.filter(unit_id__in=ids)}
    calendar = current_calendar()
    out: dict[tuple[int, ...], DuePolicy] = {}
    for path in paths:
        schedule = next((schedules[i] for i in reversed(path) if i in schedules), None)
        out[path] = (
            DuePolicy(calendar)
            if schedule is None
            else DuePolicy(calendar, WorkingHours.parse(schedule.hours), schedule.cutoff)
        )
    return out


def policies_by_subtree() -> list[tuple[str | None, tuple[str, ...], DuePolicy]]:
    """Every policy in force and where: (the path of the unit whose schedule it is, None for the
    default; the paths of the deeper schedules that take over under it; the policy), so that a
    query can select the units of each policy by path instead of listing them. One query."""
    schedules = [(s.unit.path, s) for s in WorkSchedule.objects.select_related("unit")]
    calendar = current_calendar()
    out: list[tuple[str | None, tuple[str, ...], DuePolicy]] = [
        (None, tuple(path for path, _ in schedules), DuePolicy(calendar))
    ]
    for path, s in schedules:
        deeper = tuple(p for p, _ in schedules if p != path and p.startswith(path))
        out.append((path, deeper, DuePolicy(calendar, WorkingHours.parse(s.hours), s.cutoff)))
    return out


def policy_for_unit(unit: _Unit | None) -> DuePolicy:
    """The due-date policy of a unit: its own schedule or its nearest ancestor's."""
    ids = unit.ancestor_ids() if unit is not None else []
    schedules = {s.unit_id: s for s in WorkSchedule.objects.filter(unit_id__in=ids)}
    schedule = next((schedules[i] for i in reversed(ids) if i in schedules), None)
    if schedule is None:
        return DuePolicy(current_calendar())
    return DuePolicy(current_calendar(), WorkingHours.parse(schedule.hours), schedule.cutoff)
