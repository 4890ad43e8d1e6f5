"""Manual indicators as a source of figures (`cchc.core.indicator_sources`), registered from
`ManualIndicatorsConfig.ready()`: "manual:<code>" is the figure units report for the definition
with that code that applies to the measured unit (`rollup.definition_for_unit`: active first,
then the nearest), cumulative over the CCHC reporting windows: its periods are the reporting-window
keys of `cchc.core.periods` ("BC-2026-Q1", "BC-2026-H1", "BC-2026-9M", "BC-2026-Y"), exactly as the
reports are stored; a calendar key ("2026", "2026-05") has no manual figure."""

from __future__ import annotations

import re
from collections.abc import Sequence

from cchc.core.collation import vi
from cchc.core.errors import ServiceError
from cchc.core.indicator_sources import EMPTY, NUMBER, PERCENT, REPORTING, Reading, Source
from cchc.core.numbers import to_decimal
from cchc.core.periods import REPORTING_PREFIX
from cchc.orgs.models import Unit

from .models import Aggregation, Kind, ManualIndicator
from .rollup import definition_for_unit, manual_value_by_code

_CODE = re.compile(r"manual:([A-Za-z0-9_-]{1,64})")


def definitions_for(unit: Unit) -> list[ManualIndicator]:
    """Manual indicators a target measured at ``unit`` may use: defined at the unit or above."""
    return list(
        ManualIndicator.objects.filter(unit_id__in=unit.ancestor_ids(), active=True).order_by(vi("name"))
    )


class ManualSource:
    family = "manual"
    group_label = "Chỉ số báo cáo thủ công"
    code_help = "manual:<mã chỉ số báo cáo thủ công>"
    named_by_people = True  # a target's text may name one (cchc.targets.suggest)

    def owns(self, code: str) -> bool:
        return _CODE.fullmatch(code) is not None

    def source(self, code: str, unit: Unit | None = None) -> Source:
        name = code.split(":", 1)[1]
        if unit is not None:
            definition = definition_for_unit(name, unit)
        else:
            definition = ManualIndicator.objects.filter(code=name).order_by("-active", "unit__depth").first()
        label = definition.name if definition else name
        measure = definition.measure if definition else ""
        kind = PERCENT if measure == "%" else NUMBER
        # counts, and numbers that add up over units (rollup: "sum"), are summed by a superior
        additive = definition is not None and (
            definition.kind == Kind.COUNT
            or (definition.kind == Kind.NUMBER and definition.aggregation == Aggregation.SUM)
        )
        return Source(
            code,
            f"{label} (báo cáo thủ công)",
            self.family,
            kind,
            True,
            measure,
            cadence=REPORTING,
            additive=additive,
        )

    def choices(self, unit: Unit) -> list[tuple[str, str]]:
        return [(f"manual:{m.code}", m.name) for m in definitions_for(unit)]

    def check_bindable(self, code: str, unit: Unit) -> None:
        name = code.split(":", 1)[1]
        if not ManualIndicator.objects.filter(code=name, unit_id__in=unit.ancestor_ids()).exists():
            raise ServiceError(
                {"indicator": f"Không có chỉ số báo cáo thủ công mã “{name}” áp dụng cho {unit.name}."},
                code="indicator_not_applicable",
            )

    def drill_url(self, code: str, unit: Unit, period_key: str) -> str:
        return ""

    def readings(self, requests: Sequence[tuple[str, Unit, Sequence[str]]]) -> list[dict[str, Reading]]:
        return [{k: _reading(code, unit, k) for k in keys} for code, unit, keys in requests]


def _reading(code: str, unit: Unit, key: str) -> Reading:
    if not key.startswith(REPORTING_PREFIX):  # a calendar period: not what units report
        return EMPTY
    try:
        found = manual_value_by_code(code.split(":", 1)[1], unit, key)
    except ValueError:  # not a reporting window (PeriodError), or not one of this periodicity
        return EMPTY
    if found is None:
        return EMPTY
    return Reading(to_decimal(found.value), found.numerator, found.denominator)


MANUAL_SOURCE = ManualSource()
