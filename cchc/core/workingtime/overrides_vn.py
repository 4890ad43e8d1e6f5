"""The announced 2025–2026 schedules for civil servants, shipped as data (data/vn_announced.json).

Every announced day is kept in the data with its legal reference and source. Only the days where the
``holidays`` package is silent or says otherwise — plus the days marked ``"switchable"`` (24/11
"Ngày Văn hóa Việt Nam", which an administrator may switch off) — become calendar overrides; the
others are annotations: they change nothing but give the reason and the legal reference shown in
explanations.

To add next year's schedule, append an announcement to the JSON file (see docs/working-time.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import holidays

from .calendar import DAY_OFF, WORKING_DAY, CalendarOverride, WorkingCalendar

DATA_FILE = Path(__file__).resolve().parent / "data" / "vn_announced.json"


@dataclass(frozen=True)
class AnnouncedDay:
    """One day of an announced schedule, with where it comes from."""

    date: dt.date
    kind: str
    name: str
    legal_reference: str
    source: str
    announcement: str  # the announcement's id, e.g. "2026-tet"
    switchable: bool = False

    def as_override(self, *, enabled: bool = True) -> CalendarOverride:
        return CalendarOverride(self.date, self.kind, self.name, self.legal_reference, enabled)  # type: ignore[arg-type]


@functools.cache
def announcements() -> tuple[dict[str, Any], ...]:
    """The announcements as stored (id, title, legal_reference, source, days)."""
    with DATA_FILE.open(encoding="utf-8") as f:
        return tuple(json.load(f)["announcements"])


@functools.cache
def announced_days() -> tuple[AnnouncedDay, ...]:
    """Every documented day, sorted by date."""
    days = []
    for a in announcements():
        for d in a["days"]:
            if d["kind"] not in (DAY_OFF, WORKING_DAY):
                raise ValueError(f"{DATA_FILE.name}: bad kind {d['kind']!r} on {d['date']}")
            days.append(
                AnnouncedDay(
                    date=dt.date.fromisoformat(d["date"]),
                    kind=d["kind"],
                    name=d["name"],
                    legal_reference=d.get("legal_reference") or a["legal_reference"],
                    source=d.get("source") or a.get("source", ""),
                    announcement=a["id"],
                    switchable=bool(d.get("switchable", False)),
                )
            )
    return tuple(sorted(days, key=lambda x: x.date))


def package_agrees(day: AnnouncedDay) -> bool:
    """Does the ``holidays`` package alone (with the weekly rule) already give this day's status?"""
    return _package_status(day.date) == (day.kind == WORKING_DAY)


@functools.cache
def _package_calendar_for(years: tuple[int, ...]) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    h = holidays.country_holidays("VN", years=years, language="vi")
    return dict(h), frozenset(getattr(h, "weekend_workdays", ()))


def _package_status(d: dt.date) -> bool:
    years = tuple(sorted({x.date.year for x in announced_days()} | {d.year}))
    package, workdays = _package_calendar_for(years)
    if d in package:
        return False
    return d.weekday() < 5 or d in workdays


def shipped_overrides(*, disable: Iterable[str | dt.date] = ()) -> list[CalendarOverride]:
    """The overrides the project ships: announced days the ``holidays`` package does not know (or
    knows differently), and switchable days. ``disable``: dates or announcement ids to switch off
    (kept on record with ``enabled=False``), e.g. ``disable=["2026-van-hoa"]``."""
    off = {_date_or_id(x) for x in disable}
    out = []
    for day in announced_days():
        if day.switchable or not package_agrees(day):
            out.append(day.as_override(enabled=not (day.date in off or day.announcement in off)))
    return out


def _date_or_id(value: str | dt.date) -> str | dt.date:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def announced_annotations() -> list[CalendarOverride]:
    """Every announced day as an annotation (reason + legal reference for explanations)."""
    return [day.as_override() for day in announced_days()]


def default_calendar(
    overrides: Iterable[Any] | None = None,
    *,
    years: Iterable[int] | None = None,
    disable: Iterable[str | dt.date] = (),
) -> WorkingCalendar:
    """The calendar used by the command and the application.

    ``overrides``: any iterable of override-like objects (e.g. rows of an administrator-edited
    table: ``date``, ``kind``, ``name``, ``legal_reference``, optional ``enabled``); None means
    the shipped ones. Announced days are always used as annotations for explanations.
    """
    if overrides is None:
        overrides = shipped_overrides(disable=disable)
    if years is None:
        this_year = dt.date.today().year
        years = (min(2025, this_year - 1), this_year + 1)
    return WorkingCalendar(years, overrides, annotations=announced_annotations())
