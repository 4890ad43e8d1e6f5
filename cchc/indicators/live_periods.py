"""The periods of the live indicators: every calendar period of specs/dossier-exchange.md and the
CCHC reporting windows, both of `cchc.core.periods` (one vocabulary, docs/glossary.md).

Calendar keys are the spec's (`2026`, `2026-Q1`, `2026-H1`, `2026-9M`, `2026-03`). Reporting
windows — the data windows of the quarterly, 6-month, 9-month and annual CCHC reports, which start
on 15 December of the year before — are spelled `BC-…`:

    BC-2026-Q1  15/12/2025–14/03/2026     BC-2026-H1  15/12/2025–14/06/2026
    BC-2026-Q2  15/03/2026–14/06/2026     BC-2026-9M  15/12/2025–14/09/2026
    BC-2026-Q3  15/06/2026–14/09/2026     BC-2026-Y   15/12/2025–14/12/2026
    BC-2026-Q4  15/09/2026–14/12/2026

Every period is a half-open local-time interval [a, b), so the spec's rules (received in P,
finished in P, open dossiers judged at b) apply to reporting windows unchanged.
`keys_containing(moment)` lists the periods a moment falls in: a dossier's figures change only
in the periods that contain its receipt or its end, which is what makes incremental updates cheap.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from cchc.core import periods
from cchc.core.periods import REPORTING_PREFIX, Period, parse_period


@lru_cache(maxsize=4096)
def live_period(key: str) -> Period:
    """A calendar key or a `BC-` reporting-window key (`cchc.core.periods.parse_period`, cached);
    PeriodError otherwise."""
    return parse_period(key)


def keys_containing(moment: dt.datetime) -> tuple[str, ...]:
    """Every live period key whose interval contains ``moment`` (naive local time)."""
    return _keys_of_day(moment.date())


_keys_of_day = lru_cache(maxsize=8192)(periods.keys_containing)
year_keys = periods.year_keys  # every live period of a year


def year_of(key: str) -> int:
    return int(key.removeprefix(REPORTING_PREFIX)[:4])


def period_choices(year: int) -> list[tuple[str, str]]:
    """(key, label) for a period picker, in a civil servant's order: the year, its reporting
    windows, halves and quarters, then months."""
    order = (
        [str(year), f"BC-{year}-Y", f"BC-{year}-9M", f"BC-{year}-H1"]
        + [f"BC-{year}-Q{q}" for q in range(1, 5)]
        + [f"{year}-H1", f"{year}-H2", f"{year}-9M"]
        + [f"{year}-Q{q}" for q in range(1, 5)]
        + [f"{year}-{m:02d}" for m in range(1, 13)]
    )
    return [(key, live_period(key).long_label) for key in order]
