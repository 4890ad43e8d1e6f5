"""Plan tasks as a source of figures (`cchc.core.indicator_sources`), registered from
`TrackingConfig.ready()`, so that a target or a CCHC index sub-criterion can be measured by how a
unit carries out the tasks it is assigned:

* ``nhiem_vu:dung_han`` — of the assignments of the unit's subtree whose task fell due in the
  period (and is already due), the share completed on or before the due date;
* ``nhiem_vu:hoan_thanh`` — of the same assignments, the share completed at all.

Periods are calendar periods ("2026", "2026-Q2", "2026-05"); a period still running counts the
tasks due up to today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.utils import timezone

from cchc.core.errors import ServiceError
from cchc.core.indicator_sources import CALENDAR, EMPTY, PERCENT, Reading, Source
from cchc.core.periods import PeriodError, parse_calendar_period
from cchc.orgs.models import Unit

from .models import Assignment

CODES = {
    "nhiem_vu:dung_han": "Tỷ lệ nhiệm vụ được giao hoàn thành đúng hạn",
    "nhiem_vu:hoan_thanh": "Tỷ lệ nhiệm vụ đến hạn đã hoàn thành",
}


class TaskSource:
    family = "nhiem_vu"
    group_label = "Thực hiện nhiệm vụ được giao (theo dõi kế hoạch)"
    code_help = "nhiem_vu:dung_han, nhiem_vu:hoan_thanh"

    def owns(self, code: str) -> bool:
        return code.startswith("nhiem_vu:")

    def source(self, code: str, unit: Unit | None = None) -> Source:
        if code not in CODES:
            raise ServiceError(
                {"indicator": f"Không có chỉ số nhiệm vụ “{code}” (dùng: {self.code_help})."},
                code="indicator_code_invalid",
            )
        return Source(code, CODES[code], self.family, PERCENT, True, "%", cadence=CALENDAR)

    def choices(self, unit: Unit) -> list[tuple[str, str]]:
        return list(CODES.items())

    def check_bindable(self, code: str, unit: Unit) -> None:
        self.source(code, unit)

    def drill_url(self, code: str, unit: Unit, period_key: str) -> str:
        return ""

    def readings(self, requests: Sequence[tuple[str, Unit, Sequence[str]]]) -> list[dict[str, Reading]]:
        today = timezone.localdate()
        return [{k: _reading(code, unit, k, today) for k in keys} for code, unit, keys in requests]


def _reading(code: str, unit: Unit, key: str, today: dt.date) -> Reading:
    try:
        period = parse_calendar_period(key)
    except PeriodError:  # a reporting window: tasks are counted by calendar periods only
        return EMPTY
    end = min(period.end, today)
    if end < period.start:
        return EMPTY
    counts = Assignment.objects.filter(
        unit__path__startswith=unit.path, task__final_due__gte=period.start, task__final_due__lte=end
    ).aggregate(
        due=Count("id"),
        done=Count("id", filter=Q(completed_on__isnull=False)),
        on_time=Count("id", filter=Q(completed_on__lte=F("task__final_due"))),
    )
    if not counts["due"]:
        return EMPTY
    numerator = counts["on_time"] if code == "nhiem_vu:dung_han" else counts["done"]
    value = (Decimal(100) * numerator / counts["due"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Reading(value, numerator, counts["due"])


TASK_SOURCE = TaskSource()
