"""Reporting periods of manual indicators: the CCHC reports of guidance 581/BNV-CCHC.

Units file CCHC reports for quý I, 6 tháng, 9 tháng (quý III) and the year, each over a data
window that starts on 15/12 of the year before (`cchc.core.periods.reporting_period`): 2026-Q1
15/12/2025–14/3/2026, 2026-H1 …–14/6, 2026-9M …–14/9, 2026-Y …–14/12. A manual indicator is
reported in the same reports, so its periods are these keys and its figures are cumulative from
15/12 — exactly as a CCHC report states them ("6 tháng đầu năm, 98% văn bản được ký số"):

* quarterly (`Periodicity.QUARTER`): YYYY-Q1, YYYY-H1, YYYY-9M, YYYY-Y;
* half-yearly: YYYY-H1, YYYY-Y;
* yearly: YYYY-Y.

Every periodicity has YYYY-Y, so a yearly plan target can always read the year's figure.

A period may be reported once its last quarterly window has begun (Q1 from 15/12, H1 from 15/3,
9M from 15/6, Y from 15/9): before that it is "in the future". The *current* period is the one
whose report is due next (20/3, 20/6, 20/9, 20/12), so between 15/12 and 20/12 it is still the
year that ends, not the new quý I.
"""

from __future__ import annotations

import datetime as dt

from cchc.core.errors import ServiceError
from cchc.core.periods import Period, reporting_period, reporting_windows

from .models import Periodicity

FIRST_YEAR = 2000
PARTS: dict[str, tuple[str, ...]] = {
    Periodicity.QUARTER: ("Q1", "H1", "9M", "Y"),
    Periodicity.HALF_YEAR: ("H1", "Y"),
    Periodicity.YEAR: ("Y",),
}
# the quarter whose window a period ends with (and whose report it is)
_LAST_QUARTER = {"Q1": 1, "H1": 2, "9M": 3, "Y": 4}


def normalise_key(key: str) -> str:
    """ "2026-y" → "2026-Y", "2026" → "2026-Y"; ValueError for anything that is not a CCHC key."""
    return reporting_period(key).key


def period_of(key: str) -> Period:
    return reporting_period(key)


def _part(key: str) -> tuple[int, str]:
    year, part = key.split("-", 1)
    return int(year), part


def opens_on(key: str) -> dt.date:
    """The first day a period may be reported: the start of its last quarterly window."""
    year, part = _part(key)
    return reporting_windows(year)[_LAST_QUARTER[part] - 1].start


def due_on(key: str) -> dt.date:
    """The report's due date: the 20th of the period's last month."""
    year, part = _part(key)
    return dt.date(year, 3 * _LAST_QUARTER[part], 20)


def periods_of_year(periodicity: str, year: int) -> list[Period]:
    return [reporting_period(f"{year}-{part}") for part in PARTS[periodicity]]


def current_period(periodicity: str, today: dt.date) -> Period:
    """The period whose report is due next (on or after today)."""
    for year in (today.year, today.year + 1):
        for period in periods_of_year(periodicity, year):
            if due_on(period.key) >= today:
                return period
    raise AssertionError("unreachable: every year has a period due on 20/12")


def open_periods(periodicity: str, today: dt.date, years: int = 2) -> list[Period]:
    """Periods that may be reported today, newest first, over the last `years` years."""
    newest = current_period(periodicity, today)
    first = int(newest.key[:4]) - years + 1
    out = [
        p
        for year in range(first, int(newest.key[:4]) + 1)
        for p in periods_of_year(periodicity, year)
        if opens_on(p.key) <= today
    ]
    return sorted(out, key=lambda p: (p.end, p.key), reverse=True)


def check_period(periodicity: str, key: str, today: dt.date) -> Period:
    """The period of `key` if a definition of `periodicity` may be reported for it today."""
    allowed = ", ".join(f"YYYY-{p}" for p in PARTS[periodicity])
    label = Periodicity(periodicity).label.lower()
    try:
        period = reporting_period(key)
    except (ValueError, AttributeError):
        raise ServiceError(
            {"period": f"Kỳ báo cáo “{key}” không hợp lệ; chỉ số {label} dùng các kỳ {allowed}."},
            code="period_invalid",
        ) from None
    year, part = _part(period.key)
    if part not in PARTS[periodicity]:
        raise ServiceError(
            {"period": f"Kỳ báo cáo {period.label} không thuộc chỉ số {label} (các kỳ: {allowed})."},
            code="period_not_of_indicator",
        )
    if year < FIRST_YEAR:
        raise ServiceError(
            {"period": f"Kỳ báo cáo phải từ năm {FIRST_YEAR} trở đi."}, code="period_too_early"
        )
    if opens_on(period.key) > today:
        raise ServiceError(
            {
                "period": f"Kỳ báo cáo {period.label} chưa đến: được báo cáo từ "
                f"{opens_on(period.key):%d/%m/%Y}."
            },
            code="period_in_future",
        )
    return period
