"""Inspections as a source of figures (`cchc.core.indicator_sources`), registered from
`InspectionsConfig.ready()`, so that targets such as "Từ 30% trở lên cơ quan, đơn vị được kiểm
tra", "100% tồn tại, hạn chế được khắc phục", "02 cuộc/năm", "50% hoạt động kiểm tra thực hiện
trên môi trường điện tử" get a status like any other. For the measured unit U and a calendar
period ("2026", "2026-Q3", "2026-05"; a running period counts up to today):

* ``kiem_tra:ty_le_don_vi`` — of U's current direct units (its agencies and communes, or an
  agency's departments: `INSPECTED_KINDS`), the share with at least one inspection carried out (started) whose
  inspection date falls in the period;
* ``kiem_tra:khac_phuc_dung_han`` — of the findings owned in U's subtree that are due in the
  period and already due (or closed early), the share remedied on or before the deadline;
* ``kiem_tra:truc_tuyen`` — of the inspections carried out in the period by U or a unit under it,
  the share done online;
* ``kiem_tra:so_cuoc`` — the number of those inspections.

An inspection counts once carried out (state not "chưa kiểm tra"), on its inspection date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.utils import timezone

from cchc.core.errors import ServiceError
from cchc.core.indicator_sources import CALENDAR, COUNT, EMPTY, PERCENT, Reading, Source
from cchc.core.periods import PeriodError, parse_calendar_period
from cchc.orgs.models import Unit, UnitKind

from .models import Finding, Inspection, Mode

UNITS, ON_TIME, ONLINE, COUNT_CODE = (
    "kiem_tra:ty_le_don_vi",
    "kiem_tra:khac_phuc_dung_han",
    "kiem_tra:truc_tuyen",
    "kiem_tra:so_cuoc",
)
# The units a unit inspects: a province's agencies and communes, an agency's departments (not the
# other bodies listed under a province, such as its police, nor historical units).
INSPECTED_KINDS = (UnitKind.AGENCY, UnitKind.COMMUNE, UnitKind.SUBUNIT)
CODES = {
    UNITS: "Tỷ lệ cơ quan, đơn vị được kiểm tra công tác CCHC",
    ON_TIME: "Tỷ lệ tồn tại, hạn chế sau kiểm tra được khắc phục đúng hạn",
    ONLINE: "Tỷ lệ cuộc kiểm tra CCHC thực hiện trực tuyến",
    COUNT_CODE: "Số cuộc kiểm tra công tác CCHC",
}


def _percent(numerator: int, denominator: int) -> Reading:
    if not denominator:
        return EMPTY
    value = (Decimal(100) * numerator / denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Reading(value, numerator, denominator)


class InspectionSource:
    family = "kiem_tra"
    group_label = "Kiểm tra công tác CCHC"
    code_help = ", ".join(CODES)

    def owns(self, code: str) -> bool:
        return code.startswith("kiem_tra:")

    def source(self, code: str, unit: Unit | None = None) -> Source:
        if code not in CODES:
            raise ServiceError(
                {"indicator": f"Không có chỉ số kiểm tra “{code}” (dùng: {self.code_help})."},
                code="indicator_code_invalid",
            )
        if code == COUNT_CODE:
            return Source(code, CODES[code], self.family, COUNT, True, "cuộc", cadence=CALENDAR)
        return Source(code, CODES[code], self.family, PERCENT, True, "%", cadence=CALENDAR)

    def choices(self, unit: Unit) -> list[tuple[str, str]]:
        return list(CODES.items())

    def check_bindable(self, code: str, unit: Unit) -> None:
        self.source(code, unit)

    def drill_url(self, code: str, unit: Unit, period_key: str) -> str:
        return ""

    def readings(self, requests: Sequence[tuple[str, Unit, Sequence[str]]]) -> list[dict[str, Reading]]:
        today = timezone.localdate()
        return [{k: reading(code, unit, k, today) for k in keys} for code, unit, keys in requests]


def reading(code: str, unit: Unit, key: str, today: dt.date) -> Reading:
    """The figure of ``code`` at ``unit`` in the calendar period ``key`` (EMPTY for a reporting
    window, a period not begun, or nothing to count)."""
    try:
        period = parse_calendar_period(key)
    except PeriodError:
        return EMPTY
    end = min(period.end, today)
    if end < period.start:
        return EMPTY
    carried_out = Inspection.objects.exclude(state=Inspection.State.PLANNED).filter(
        start_date__gte=period.start, start_date__lte=end
    )
    if code == UNITS:
        children = Unit.objects.current().filter(parent=unit, kind__in=INSPECTED_KINDS)
        inspected = children.filter(inspections__in=carried_out).distinct().count()
        return _percent(inspected, children.count())
    if code == ON_TIME:
        counts = (
            Finding.objects.filter(
                owner__path__startswith=unit.path,
                due_date__gte=period.start,
                due_date__lte=period.end,
            )
            .exclude(state=Finding.State.DRAFT)
            .filter(Q(due_date__lte=end) | Q(state=Finding.State.CLOSED))
            .aggregate(
                due=Count("id"),
                on_time=Count("id", filter=Q(state=Finding.State.CLOSED, remediated_on__lte=F("due_date"))),
            )
        )
        return _percent(counts["on_time"], counts["due"])
    counts = carried_out.filter(plan__unit__path__startswith=unit.path).aggregate(
        n=Count("id"), online=Count("id", filter=Q(mode=Mode.ONLINE))
    )
    if code == ONLINE:
        return _percent(counts["online"], counts["n"])
    if code == COUNT_CODE:
        return Reading(Decimal(counts["n"]), counts["n"], None)  # none carried out is a figure: 0
    return EMPTY


INSPECTION_SOURCE = InspectionSource()
