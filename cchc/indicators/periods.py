"""Indicator periods (specs/dossier-exchange.md, "Periods"): half-open local-time intervals [a, b).

    parse_period("2026-Q1")  → IndicatorPeriod("2026-Q1", a=2026-01-01 00:00, b=2026-04-01 00:00)

Accepted keys, exactly as the spec writes them: ``YYYY`` (year), ``YYYY-Qn`` (n = 1..4),
``YYYY-H1``/``YYYY-H2``, ``YYYY-9M`` (1 January–30 September) and ``YYYY-MM`` (month 01..12), for
years 1976–2100 (the years a dossier date may carry). Anything else — ``2026-Y``, ``2026-q1``,
``2026-Q5``, ``2026-13`` — is an error (`PeriodError`). These are calendar periods, not the CCHC
reporting windows of `cchc.core.periods` (which start on 15 December).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from cchc.core.periods import calendar_period
from cchc.exchange.formats import FIRST_YEAR, LAST_YEAR, datetime_to_local_us

_KEY = re.compile(r"(\d{4})(?:-(Q[1-4]|H[12]|9M|0[1-9]|1[0-2]))?", re.ASCII)
KEY_HELP = "YYYY, YYYY-Qn (n = 1..4), YYYY-H1, YYYY-H2, YYYY-9M hoặc YYYY-MM"


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class IndicatorPeriod:
    """``key`` as given; ``a`` and ``b`` naive local datetimes, ``a`` included, ``b`` excluded."""

    key: str
    label: str
    a: dt.datetime
    b: dt.datetime

    @property
    def a_us(self) -> int:
        """``a`` in microseconds since 1970-01-01 00:00 local time (the unit of file mode)."""
        return datetime_to_local_us(self.a)

    @property
    def b_us(self) -> int:
        return datetime_to_local_us(self.b)

    def __contains__(self, moment: object) -> bool:
        if not isinstance(moment, dt.datetime):
            return False
        if moment.tzinfo is not None:
            return self.a_us <= datetime_to_local_us(moment) < self.b_us
        return self.a <= moment < self.b


def parse_period(key: str) -> IndicatorPeriod:
    m = _KEY.fullmatch(key) if isinstance(key, str) else None
    if m is None:
        raise PeriodError(f"kỳ không hợp lệ: {key!r} (dùng {KEY_HELP})")
    year = int(m[1])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"kỳ không hợp lệ: {key!r} (năm phải trong khoảng {FIRST_YEAR}–{LAST_YEAR})")
    period = calendar_period(key)
    a = dt.datetime.combine(period.start, dt.time())
    b = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time())
    return IndicatorPeriod(key, period.label, a, b)


def parse_periods(keys: list[str]) -> list[IndicatorPeriod]:
    """Parse keys in order, dropping repeats of the same key (first one kept)."""
    out: dict[str, IndicatorPeriod] = {}
    for key in keys:
        if key not in out:
            out[key] = parse_period(key)
    return list(out.values())
