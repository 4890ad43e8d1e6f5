"""Local time of Việt Nam as the dossier exchange format and the indicators count it.

Việt Nam has kept UTC+07:00 since 1975, so for the years a dossier date may carry (1976–2100) local
time is UTC+07:00 throughout. File mode and the live indicators compare moments as integers:
microseconds since 1970-01-01 00:00 *local* time (`datetime_to_local_us`).

Plain Python, no Django: `cchc.exchange.formats` (which reads files without Django) re-exports
these names, and `cchc.core.periods` uses them for the bounds of a period.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

FIRST_YEAR, LAST_YEAR = 1976, 2100
LOCAL_OFFSET = dt.timedelta(hours=7)
TZ_LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")  # UTC+07:00 for every accepted year (see module doc)
EPOCH = dt.datetime(1970, 1, 1)


def local_us_to_datetime(us: int) -> dt.datetime:
    """The aware datetime (Asia/Ho_Chi_Minh) of a local-microseconds value."""
    return (EPOCH + dt.timedelta(microseconds=us)).replace(tzinfo=TZ_LOCAL)


def datetime_to_local_us(value: dt.datetime) -> int:
    """Local microseconds of a datetime (naive = local time)."""
    if value.tzinfo is not None:
        value = value.astimezone(TZ_LOCAL).replace(tzinfo=None)
    return (value - EPOCH) // dt.timedelta(microseconds=1)
