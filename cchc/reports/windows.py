"""The kinds of periodic report and their data windows (pure: no database).

    thang   N = 1..12  the calendar month N            ("2026-03")
    quy     N = 1..4   the CCHC quarterly window       ("BC-2026-Q1": 15/12/2025–14/03/2026)
    6thang  —          the cumulative 6-month window   ("BC-2026-H1": 15/12/2025–14/06/2026)
    9thang  —          the cumulative 9-month window   ("BC-2026-9M": 15/12/2025–14/09/2026)
    nam     —          the reporting year              ("BC-2026-Y":  15/12/2025–14/12/2026)

The CCHC windows are `cchc.core.periods.ReportingWindow` (guidance 581/BNV-CCHC); a month is a
calendar month. Figures that exist only for calendar periods (the 766 index, task figures) are
read for the calendar period the report covers (`calendar_key`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cchc.core.periods import CalendarPeriod, ReportingWindow, parse_calendar_period, parse_reporting_window

MONTH, QUARTER, HALF, NINE, YEAR = "thang", "quy", "6thang", "9thang", "nam"
KINDS = (MONTH, QUARTER, HALF, NINE, YEAR)
KIND_LABELS = {
    MONTH: "tháng",
    QUARTER: "quý",
    HALF: "6 tháng",
    NINE: "9 tháng",
    YEAR: "năm",
}
ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Default:
    required: bool
    due_after_days: int  # after the window's last day
    remind_days_before: int = 3


# The guidance: quarter, 6-month, 9-month and annual reports due on the 20th of the window's last
# month (the window ends on the 14th: 6 days later); monthly reports are not required unless a
# province or a plan asks for them, due on the 5th of the next month.
DEFAULTS = {
    MONTH: Default(False, 5),
    QUARTER: Default(True, 6),
    HALF: Default(True, 6),
    NINE: Default(True, 6),
    YEAR: Default(True, 6),
}


class KindError(ValueError):
    """A kind/number that names no report (the message is Vietnamese)."""


def check(kind: str, year: int, number: int | None) -> int:
    """The number to store (0 when the kind has none); KindError otherwise."""
    if kind not in KINDS:
        raise KindError(f"loại báo cáo “{kind}” không hợp lệ (dùng {', '.join(KINDS)})")
    if not 2000 <= year <= 2100:
        raise KindError(f"năm {year} không hợp lệ")
    if kind == MONTH:
        if number is None:
            raise KindError("báo cáo tháng cần số tháng (--number 1..12)")
        if not 1 <= number <= 12:
            raise KindError(f"tháng {number} không hợp lệ (1..12)")
        return number
    if kind == QUARTER:
        if number is None:
            raise KindError("báo cáo quý cần số quý (--number 1..4)")
        if not 1 <= number <= 4:
            raise KindError(f"quý {number} không hợp lệ (1..4)")
        return number
    if number not in (None, 0):
        raise KindError(f"báo cáo {KIND_LABELS[kind]} không có số tháng/quý (bỏ --number)")
    return 0


def window(kind: str, year: int, number: int = 0) -> CalendarPeriod | ReportingWindow:
    """The data window of the report."""
    if kind == MONTH:
        return parse_calendar_period(f"{year}-{number:02d}")
    part = {QUARTER: f"Q{number}", HALF: "H1", NINE: "9M", YEAR: "Y"}[kind]
    return parse_reporting_window(f"BC-{year}-{part}")


def calendar_key(kind: str, year: int, number: int = 0) -> str:
    """The calendar period the report covers, for figures kept by calendar periods only."""
    if kind == MONTH:
        return f"{year}-{number:02d}"
    return {QUARTER: f"{year}-Q{number}", HALF: f"{year}-H1", NINE: f"{year}-9M", YEAR: str(year)}[kind]


def period_label(kind: str, year: int, number: int = 0) -> str:
    if kind == MONTH:
        return f"tháng {number}/{year}"
    if kind == QUARTER:
        return f"quý {ROMAN[number - 1]}/{year}"
    if kind == HALF:
        return f"6 tháng đầu năm {year}"
    if kind == NINE:
        return f"9 tháng năm {year}"
    return f"năm {year}"


def due_date(end: dt.date, due_after_days: int) -> dt.date:
    return end + dt.timedelta(days=due_after_days)


def periods_of_year(kind: str, year: int) -> list[int]:
    """The numbers of the reports of a kind in a year ([0] for the kinds without one)."""
    return list(range(1, 13)) if kind == MONTH else list(range(1, 5)) if kind == QUARTER else [0]
