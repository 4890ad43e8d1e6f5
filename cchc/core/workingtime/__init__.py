"""Vietnamese working time: working-day calendar and due dates (pure Python, no Django).

    from cchc.core.workingtime import DuePolicy, default_calendar
    policy = DuePolicy(default_calendar())
    due = policy.due_date(received, 5, "working_day")
    due.due, due.skipped, due.explain(), due.to_json()

See docs/working-time.md and docs/specs/working-time.md.
"""

from collections.abc import Iterable
from typing import Any

from .calendar import DAY_OFF, WORKING_DAY, CalendarOverride, WorkingCalendar
from .errors import ExtensionError, OutOfRange, WorkingTimeError
from .overrides_vn import AnnouncedDay, announced_days, default_calendar, shipped_overrides
from .policy import (
    TZ,
    DueDate,
    DuePolicy,
    Unit,
    WorkingHours,
    parse_duration,
    parse_unit,
    to_local,
)


def default_policy(overrides: Iterable[Any] | None = None) -> DuePolicy:
    """The default policy (07:30–11:30, 13:00–17:00, cut-off 15:00) on ``default_calendar``."""
    return DuePolicy(default_calendar(overrides))


__all__ = [
    "DAY_OFF",
    "TZ",
    "WORKING_DAY",
    "AnnouncedDay",
    "CalendarOverride",
    "DueDate",
    "DuePolicy",
    "ExtensionError",
    "OutOfRange",
    "Unit",
    "WorkingCalendar",
    "WorkingHours",
    "WorkingTimeError",
    "announced_days",
    "default_calendar",
    "default_policy",
    "parse_duration",
    "parse_unit",
    "shipped_overrides",
    "to_local",
]
