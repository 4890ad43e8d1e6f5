"""Which CCHC reporting windows a manual indicator is reported for (the windows themselves are
`cchc.core.periods.ReportingWindow`).

Units file CCHC reports for quý I, 6 tháng, 9 tháng (quý III) and the year, each over a data
window that starts on 15/12 of the year before: BC-2026-Q1 15/12/2025–14/3/2026, BC-2026-H1
…–14/6, BC-2026-9M …–14/9, BC-2026-Y …–14/12. A manual indicator is reported in the same reports,
so its periods are these windows and its figures are cumulative from 15/12 — exactly as a CCHC
report states them ("6 tháng đầu năm, 98% văn bản được ký số"):

* quarterly (`Periodicity.QUARTER`): BC-YYYY-Q1, BC-YYYY-H1, BC-YYYY-9M, BC-YYYY-Y;
* half-yearly: BC-YYYY-H1, BC-YYYY-Y;
* yearly: BC-YYYY-Y.

Every periodicity has BC-YYYY-Y, so a yearly plan target can always read the year's figure.

A period may be reported once its last quarterly window has begun (`ReportingWindow.opens_on`:
Q1 from 15/12, H1 from 15/3, 9M from 15/6, Y from 15/9): before that it is "in the future". The
*current* period is the one whose report is due next (`ReportingWindow.due_on`: 20/3, 20/6, 20/9,
20/12), so between 15/12 and 20/12 it is still the year that ends, not the new quý I.
"""

from __future__ import annotations

import datetime as dt

from cchc.core.errors import ServiceError
from cchc.core.periods import REPORTING_PREFIX, PeriodError, ReportingWindow, parse_reporting_window

from .models import Periodicity

FIRST_YEAR = 2000
PARTS: dict[str, tuple[str, ...]] = {
    Periodicity.QUARTER: ("Q1", "H1", "9M", "Y"),
    Periodicity.HALF_YEAR: ("H1", "Y"),
    Periodicity.YEAR: ("Y",),
}


def periods_of_year(periodicity: str, year: int) -> list[ReportingWindow]:
    return [parse_reporting_window(f"{REPORTING_PREFIX}{year}-{part}") for part in PARTS[periodicity]]


def current_period(periodicity: str, today: dt.date) -> ReportingWindow:
    """The period whose report is due next (on or after today)."""
    for year in (today.year, today.year + 1):
        for period in periods_of_year(periodicity, year):
            if period.due_on >= today:
                return period
    raise AssertionError("unreachable: every year has a period due on 20/12")


def open_periods(periodicity: str, today: dt.date, years: int = 2) -> list[ReportingWindow]:
    """Periods that may be reported today, newest first, over the last `years` years."""
    newest = current_period(periodicity, today)
    out = [
        p
        for year in range(newest.year - years + 1, newest.year + 1)
        for p in periods_of_year(periodicity, year)
        if p.opens_on <= today
    ]
    return sorted(out, key=lambda p: (p.end, p.key), reverse=True)


def check_period(periodicity: str, key: str, today: dt.date) -> ReportingWindow:
    """The period of `key` if a definition of `periodicity` may be reported for it today."""
    allowed = ", ".join(f"{REPORTING_PREFIX}YYYY-{p}" for p in PARTS[periodicity])
    label = Periodicity(periodicity).label.lower()
    try:
        period = parse_reporting_window(key)
    except PeriodError:
        raise ServiceError(
            {"period": f"Kỳ báo cáo “{key}” không hợp lệ; chỉ số {label} dùng các kỳ {allowed}."},
            code="period_invalid",
        ) from None
    if period.part not in PARTS[periodicity]:
        raise ServiceError(
            {"period": f"Kỳ báo cáo {period.label} không thuộc chỉ số {label} (các kỳ: {allowed})."},
            code="period_not_of_indicator",
        )
    if period.year < FIRST_YEAR:
        raise ServiceError(
            {"period": f"Kỳ báo cáo phải từ năm {FIRST_YEAR} trở đi."}, code="period_too_early"
        )
    if period.opens_on > today:
        raise ServiceError(
            {"period": f"Kỳ báo cáo {period.label} chưa đến: được báo cáo từ {period.opens_on:%d/%m/%Y}."},
            code="period_in_future",
        )
    return period
