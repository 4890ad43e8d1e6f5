"""Periods — the one vocabulary: calendar periods and CCHC reporting windows, spelled differently.

Two kinds of period, two types, two spellings (docs/glossary.md, "Periods"):

* `CalendarPeriod` — the calendar (specs/dossier-exchange.md, "Periods"), keys exactly as the
  spec writes them: ``2026`` (year), ``2026-Q1`` … ``2026-Q4``, ``2026-H1``/``2026-H2``,
  ``2026-9M`` (1/1–30/9) and ``2026-03`` (month). The dossier indicators, the 766 index, the
  ``cchc indicators compute`` command and its CSV use these.
* `ReportingWindow` — the data windows of the CCHC reports (guidance 581/BNV-CCHC), which start on
  15/12 of the year before; keys carry ``BC-`` (báo cáo):

      BC-2026-Q1  15/12/2025–14/03/2026  due 20/03   (quarterly windows:
      BC-2026-Q2  15/03/2026–14/06/2026  due 20/06    `reporting_windows`,
      BC-2026-Q3  15/06/2026–14/09/2026  due 20/09    `reporting_window(day)`)
      BC-2026-Q4  15/09/2026–14/12/2026  due 20/12
      BC-2026-H1  15/12/2025–14/06/2026  due 20/06   (cumulative: the 6-month,
      BC-2026-9M  15/12/2025–14/09/2026  due 20/09    9-month (quý III) and
      BC-2026-Y   15/12/2025–14/12/2026  due 20/12    annual reports)

  So 15/12/2025 already belongs to BC-2026-Q1. Manual indicators, the CCHC progress reminders
  and the live indicators' reporting windows use these.

Each parser refuses the other's spelling and says which one was meant: ``2026-Q1`` is not a
reporting window, ``BC-2026-Q1`` is not a calendar period. `parse_period` takes either.

Both types have inclusive ``start``/``end`` dates and the half-open local-time interval
[``a``, ``b``) of the spec (``a`` = start 00:00, ``b`` = the day after end, 00:00), also as
local microseconds (``a_us``, ``b_us``: the unit of file mode).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .localtime import FIRST_YEAR, LAST_YEAR, datetime_to_local_us

__all__ = [
    "ROMAN",
    "REPORTING_PREFIX",
    "PeriodError",
    "CalendarPeriod",
    "ReportingWindow",
    "Period",
    "parse_calendar_period",
    "parse_calendar_periods",
    "parse_reporting_window",
    "parse_period",
    "reporting_window",
    "reporting_windows",
    "report_due_dates",
    "keys_containing",
    "year_keys",
]

ROMAN = ("I", "II", "III", "IV")
REPORTING_PREFIX = "BC-"
CALENDAR_HELP = "YYYY, YYYY-Qn (n = 1..4), YYYY-H1, YYYY-H2, YYYY-9M hoặc YYYY-MM"
REPORTING_HELP = "BC-YYYY-Qn (n = 1..4), BC-YYYY-H1, BC-YYYY-9M hoặc BC-YYYY-Y"

_CALENDAR_KEY = re.compile(r"(\d{4})(?:-(Q[1-4]|H[12]|9M|0[1-9]|1[0-2]))?", re.ASCII)
_REPORTING_KEY = re.compile(r"BC-(\d{4})-(Q[1-4]|H1|9M|Y)", re.ASCII)
# the quarterly window a reporting window ends with (whose report it is)
_LAST_QUARTER = {"Q1": 1, "Q2": 2, "Q3": 3, "Q4": 4, "H1": 2, "9M": 3, "Y": 4}


class PeriodError(ValueError):
    """A period key that is not one of the spellings above (the message is Vietnamese and English)."""


@dataclass(frozen=True)
class _Span:
    """A named span of days; ``start`` and ``end`` are both inclusive."""

    key: str
    label: str
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"period {self.key}: start {self.start} is after end {self.end}")

    @property
    def year(self) -> int:
        """The year the key names (for a reporting window: the year of its reports)."""
        return int(self.key.removeprefix(REPORTING_PREFIX)[:4])

    @property
    def a(self) -> dt.datetime:
        """The first moment (naive local time), included."""
        return dt.datetime.combine(self.start, dt.time())

    @property
    def b(self) -> dt.datetime:
        """The first moment after the period (naive local time), excluded."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time())

    @property
    def a_us(self) -> int:
        """``a`` in microseconds since 1970-01-01 00:00 local time (the unit of file mode)."""
        return datetime_to_local_us(self.a)

    @property
    def b_us(self) -> int:
        return datetime_to_local_us(self.b)

    @property
    def long_label(self) -> str:
        return self.label

    def __contains__(self, moment: object) -> bool:
        """A date is in the period when between start and end; a datetime when in [a, b) (an
        aware one is first converted to local time)."""
        if isinstance(moment, dt.datetime):
            if moment.tzinfo is not None:
                return self.a_us <= datetime_to_local_us(moment) < self.b_us
            return self.a <= moment < self.b
        return isinstance(moment, dt.date) and self.start <= moment <= self.end


@dataclass(frozen=True)
class CalendarPeriod(_Span):
    """A calendar period: "2026", "2026-Q1", "2026-H2", "2026-9M", "2026-03" (the spec's keys)."""


@dataclass(frozen=True)
class ReportingWindow(_Span):
    """A CCHC reporting window: "BC-2026-Q1" … "BC-2026-Q4", "BC-2026-H1", "BC-2026-9M",
    "BC-2026-Y". ``label`` names the report ("Quý I/2026", "6 tháng đầu năm 2026"), ``long_label``
    says it is a reporting window ("Kỳ báo cáo quý I/2026")."""

    @property
    def part(self) -> str:
        """ "Q1" … "Q4", "H1", "9M" or "Y"."""
        return self.key.rsplit("-", 1)[1]

    @property
    def long_label(self) -> str:
        return f"Kỳ báo cáo {self.label[:1].lower()}{self.label[1:]}"

    @property
    def opens_on(self) -> dt.date:
        """The first day the window's report may be filed: the start of its last quarterly window."""
        return reporting_windows(self.year)[_LAST_QUARTER[self.part] - 1].start

    @property
    def due_on(self) -> dt.date:
        """The report's due date: the 20th of the window's last month."""
        return dt.date(self.year, 3 * _LAST_QUARTER[self.part], 20)


Period = CalendarPeriod | ReportingWindow  # either kind, for code that takes both (live indicators)


def _quarter_label(year: int, q: int) -> str:
    return f"Quý {ROMAN[q - 1]}/{year}"


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _checked_year(key: str, year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(
            f"kỳ không hợp lệ: {key!r} (năm phải trong khoảng {FIRST_YEAR}–{LAST_YEAR}; "
            f"the year must be within {FIRST_YEAR}–{LAST_YEAR})"
        )
    return year


# --- calendar periods -------------------------------------------------------------------------


def parse_calendar_period(key: str) -> CalendarPeriod:
    """A calendar period by its key, spelled exactly as the spec: PeriodError otherwise."""
    m = _CALENDAR_KEY.fullmatch(key) if isinstance(key, str) else None
    if m is None:
        if isinstance(key, str) and _REPORTING_KEY.fullmatch(key):
            raise PeriodError(
                f"{key!r} là kỳ báo cáo CCHC (từ 15/12 năm trước), không phải kỳ theo lịch; "
                f"kỳ theo lịch viết {CALENDAR_HELP} "
                f"({key!r} is a CCHC reporting window, not a calendar period)"
            )
        raise PeriodError(
            f"kỳ không hợp lệ: {key!r} (dùng {CALENDAR_HELP}; "
            "a calendar period is written YYYY, YYYY-Qn, YYYY-H1, YYYY-H2, YYYY-9M or YYYY-MM)"
        )
    year, part = _checked_year(key, int(m[1])), m[2] or ""
    if part == "":
        return CalendarPeriod(key, f"Năm {year}", dt.date(year, 1, 1), dt.date(year, 12, 31))
    if part == "9M":
        return CalendarPeriod(key, f"9 tháng năm {year}", dt.date(year, 1, 1), dt.date(year, 9, 30))
    if part[0] == "Q":
        q = int(part[1])
        return CalendarPeriod(
            key, _quarter_label(year, q), dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
        )
    if part[0] == "H":
        h = int(part[1])
        label = f"6 tháng {'đầu' if h == 1 else 'cuối'} năm {year}"
        return CalendarPeriod(key, label, dt.date(year, 6 * h - 5, 1), _month_end(year, 6 * h))
    month = int(part)
    return CalendarPeriod(key, f"Tháng {month}/{year}", dt.date(year, month, 1), _month_end(year, month))


def parse_calendar_periods(keys: Iterable[str]) -> list[CalendarPeriod]:
    """Parse keys in order, dropping repeats of the same key (the first one kept)."""
    out: dict[str, CalendarPeriod] = {}
    for key in keys:
        if key not in out:
            out[key] = parse_calendar_period(key)
    return list(out.values())


# --- CCHC reporting windows -------------------------------------------------------------------


def _window(year: int, part: str) -> ReportingWindow:
    last_q = _LAST_QUARTER[part]
    first_q = int(part[1]) if part[0] == "Q" else 1
    start = dt.date(year - 1, 12, 15) if first_q == 1 else dt.date(year, 3 * first_q - 3, 15)
    labels = {"H1": f"6 tháng đầu năm {year}", "9M": f"9 tháng năm {year}", "Y": f"Năm {year}"}
    label = labels.get(part) or _quarter_label(year, first_q)
    return ReportingWindow(f"{REPORTING_PREFIX}{year}-{part}", label, start, dt.date(year, 3 * last_q, 14))


def parse_reporting_window(key: str) -> ReportingWindow:
    """A CCHC reporting window by its key ("BC-2026-Q1", "BC-2026-H1", "BC-2026-9M", "BC-2026-Y");
    PeriodError otherwise — a calendar key such as "2026-Q1" included."""
    m = _REPORTING_KEY.fullmatch(key) if isinstance(key, str) else None
    if m is None:
        if isinstance(key, str) and (_CALENDAR_KEY.fullmatch(key) or re.fullmatch(r"\d{4}-Y", key)):
            raise PeriodError(
                f"{key!r} là kỳ theo lịch (từ ngày 1/1), không phải kỳ báo cáo CCHC; kỳ báo cáo viết "
                f"{REPORTING_HELP}, ví dụ BC-{key[:4]}-Q1 ({key!r} is a calendar period, not a CCHC "
                "reporting window)"
            )
        if isinstance(key, str) and re.fullmatch(r"BC-\d{4}", key):
            raise PeriodError(f"kỳ báo cáo không hợp lệ: {key!r} (viết {key}-Y; write {key}-Y for the year)")
        raise PeriodError(
            f"kỳ báo cáo không hợp lệ: {key!r} (dùng {REPORTING_HELP}; "
            "a reporting window is written BC-YYYY-Qn, BC-YYYY-H1, BC-YYYY-9M or BC-YYYY-Y)"
        )
    return _window(_checked_year(key, int(m[1])), m[2])


def parse_period(key: str) -> Period:
    """Either kind, told apart by the spelling (``BC-`` = reporting window)."""
    if isinstance(key, str) and key.startswith(REPORTING_PREFIX):
        return parse_reporting_window(key)
    return parse_calendar_period(key)


def reporting_windows(year: int) -> list[ReportingWindow]:
    """The four quarterly CCHC data windows of ``year`` (BC-year-Q1 starts 15/12 of year - 1)."""
    return [_window(year, f"Q{q}") for q in range(1, 5)]


def reporting_window(day: dt.date) -> ReportingWindow:
    """The quarterly CCHC window containing ``day``; e.g. 15/12/2025 → BC-2026-Q1."""
    day = day.date() if isinstance(day, dt.datetime) else day
    year = day.year + 1 if (day.month, day.day) >= (12, 15) else day.year
    return next(w for w in reporting_windows(year) if day in w)


def report_due_dates(year: int) -> dict[str, dt.date]:
    """Due dates of the quarter-I, 6-month, 9-month (quý III) and annual reports of ``year``."""
    return {key: dt.date(year, month, 20) for key, month in (("Q1", 3), ("H1", 6), ("Q3", 9), ("Y", 12))}


# --- every period of both kinds ---------------------------------------------------------------


def keys_containing(day: dt.date) -> tuple[str, ...]:
    """Every key, of both kinds, whose period contains ``day``: its month, quarter, half, the
    9 months (up to September) and year; its quarterly reporting window, the cumulative windows
    that window belongs to (H1 up to Q2, 9M up to Q3) and the reporting year."""
    day = day.date() if isinstance(day, dt.datetime) else day
    y, m = day.year, day.month
    keys = [f"{y}-{m:02d}", f"{y}-Q{(m - 1) // 3 + 1}", f"{y}-H{1 if m <= 6 else 2}"]
    if m <= 9:
        keys.append(f"{y}-9M")
    keys.append(str(y))
    window = reporting_window(day)
    wy, wq = window.year, int(window.part[1])
    keys.append(window.key)
    if wq <= 2:
        keys.append(f"{REPORTING_PREFIX}{wy}-H1")
    if wq <= 3:
        keys.append(f"{REPORTING_PREFIX}{wy}-9M")
    keys.append(f"{REPORTING_PREFIX}{wy}-Y")
    return tuple(keys)


def year_keys(year: int) -> list[str]:
    """Every key of ``year``: its 20 calendar periods and the 7 reporting windows of its reports."""
    keys = [str(year), f"{year}-H1", f"{year}-H2", f"{year}-9M"]
    keys += [f"{year}-Q{q}" for q in range(1, 5)] + [f"{year}-{m:02d}" for m in range(1, 13)]
    keys += [f"{REPORTING_PREFIX}{year}-{part}" for part in ("Y", "H1", "9M", "Q1", "Q2", "Q3", "Q4")]
    return keys
