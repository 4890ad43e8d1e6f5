"""Kỳ báo cáo CCHC — reporting periods for administrative-reform (CCHC) reports.

Reporting (data) windows, both ends inclusive, and report due dates:

* 2026-Q1 "Quý I/2026" 15/12/2025–14/03/2026, due 20/03; 2026-Q2 15/03–14/06; 2026-Q3 15/06–14/09;
  2026-Q4 15/09–14/12 (quarterly windows, see ``reporting_window(s)``);
* 2026-H1 "6 tháng đầu năm 2026" 15/12/2025–14/06/2026, due 20/06;
* 2026-9M "9 tháng năm 2026" 15/12/2025–14/09/2026, due 20/09 (the quý III report);
* 2026-Y "Năm 2026" 15/12/2025–14/12/2026, due 20/12.

So 15/12/2025 already belongs to quý I/2026.  ``calendar_*`` functions give the plain calendar
periods instead (1/1–31/3, …); ``calendar_period`` also accepts months ("2026-03") and "2026-H2".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

__all__ = [
    "Period",
    "reporting_window",
    "reporting_windows",
    "reporting_period",
    "report_due_dates",
    "calendar_month",
    "calendar_quarter",
    "calendar_half",
    "calendar_nine_months",
    "calendar_year",
    "calendar_period",
]

ROMAN = ("I", "II", "III", "IV")
_KEY = re.compile(r"(\d{4})(?:-(Q[1-4]|H[12]|9M|Y|\d{2}))?", re.ASCII)
_KEY_HELP = "expected 'YYYY', 'YYYY-Y', 'YYYY-Qn' (n = 1..4), 'YYYY-H1', 'YYYY-H2', 'YYYY-9M' or 'YYYY-MM'"


@dataclass(frozen=True)
class Period:
    """A named period; ``start`` and ``end`` are both inclusive."""

    key: str
    label: str
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"period {self.key}: start {self.start} is after end {self.end}")

    def __contains__(self, d: object) -> bool:
        if isinstance(d, datetime):
            d = d.date()
        return isinstance(d, date) and self.start <= d <= self.end


def _quarter_label(year: int, q: int) -> str:
    return f"Quý {ROMAN[q - 1]}/{year}"


def _parse_key(key: str) -> tuple[int, str]:
    """ "2026-q2" -> (2026, "Q2"); "2026" -> (2026, "")."""
    m = _KEY.fullmatch(key.strip().upper()) if isinstance(key, str) else None
    if m is None or int(m[1]) < 1:
        raise ValueError(f"invalid period key {key!r}: {_KEY_HELP}")
    return int(m[1]), m[2] or ""


# --- CCHC reporting windows -------------------------------------------------------------------


def _window(year: int, key: str, label: str, first_q: int, last_q: int) -> Period:
    start = date(year - 1, 12, 15) if first_q == 1 else date(year, 3 * first_q - 3, 15)
    return Period(f"{year}-{key}", label, start, date(year, 3 * last_q, 14))


def reporting_windows(year: int) -> list[Period]:
    """The four quarterly CCHC data windows of ``year`` (quý I starts 15/12 of year - 1)."""
    return [_window(year, f"Q{q}", _quarter_label(year, q), q, q) for q in range(1, 5)]


def reporting_window(d: date) -> Period:
    """The quarterly CCHC window containing ``d``; e.g. 15/12/2025 -> quý I/2026."""
    d = d.date() if isinstance(d, datetime) else d
    year = d.year + 1 if (d.month, d.day) >= (12, 15) else d.year
    return next(w for w in reporting_windows(year) if d in w)


def reporting_period(key: str) -> Period:
    """A CCHC window by key: "YYYY-Qn", "YYYY-H1" (6 tháng), "YYYY-9M" or "YYYY-Y"/"YYYY" (năm)."""
    year, part = _parse_key(key)
    if part.startswith("Q"):
        q = int(part[1])
        return _window(year, part, _quarter_label(year, q), q, q)
    labels = {
        "H1": (f"6 tháng đầu năm {year}", 2),
        "9M": (f"9 tháng năm {year}", 3),
        "Y": (f"Năm {year}", 4),
        "": (f"Năm {year}", 4),
    }
    if part not in labels:
        raise ValueError(
            f"invalid reporting period key {key!r}: expected 'YYYY-Qn', 'YYYY-H1', 'YYYY-9M' or 'YYYY-Y'"
        )
    label, last_q = labels[part]
    return _window(year, part or "Y", label, 1, last_q)


def report_due_dates(year: int) -> dict[str, date]:
    """Due dates of the quarter-I, 6-month, 9-month (quý III) and annual reports of ``year``."""
    return {key: date(year, month, 20) for key, month in (("Q1", 3), ("H1", 6), ("Q3", 9), ("Y", 12))}


# --- calendar periods -----------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def calendar_month(year: int, month: int) -> Period:
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month!r}")
    label = f"Tháng {month}/{year}"
    return Period(f"{year}-{month:02d}", label, date(year, month, 1), _month_end(year, month))


def calendar_quarter(year: int, q: int) -> Period:
    if q not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1..4, got {q!r}")
    label = _quarter_label(year, q)
    return Period(f"{year}-Q{q}", label, date(year, 3 * q - 2, 1), _month_end(year, 3 * q))


def calendar_half(year: int, half: int) -> Period:
    if half not in (1, 2):
        raise ValueError(f"half must be 1 or 2, got {half!r}")
    label = f"6 tháng {'đầu' if half == 1 else 'cuối'} năm {year}"
    return Period(f"{year}-H{half}", label, date(year, 6 * half - 5, 1), _month_end(year, 6 * half))


def calendar_nine_months(year: int) -> Period:
    return Period(f"{year}-9M", f"9 tháng năm {year}", date(year, 1, 1), date(year, 9, 30))


def calendar_year(year: int) -> Period:
    return Period(f"{year}-Y", f"Năm {year}", date(year, 1, 1), date(year, 12, 31))


def calendar_period(key: str) -> Period:
    """Parse "2026"/"2026-Y", "2026-Q2", "2026-H1"/"2026-H2", "2026-9M" or "2026-03" (case-insensitive)."""
    year, part = _parse_key(key)
    if part in ("", "Y"):
        return calendar_year(year)
    if part == "9M":
        return calendar_nine_months(year)
    if part[0] in "QH":
        return (calendar_quarter if part[0] == "Q" else calendar_half)(year, int(part[1]))
    if not 1 <= int(part) <= 12:
        raise ValueError(f"invalid period key {key!r}: month must be 01..12")
    return calendar_month(year, int(part))
