"""The dossier indicators as a source of figures (`cchc.core.indicator_sources`), registered from
`IndicatorsConfig.ready()`: every indicator of the live engine (`definitions.INDICATORS`:
"dung_han", "truc_tuyen", …) and `tre_han`, the late share — S_tre_han / S, the complement of
`dung_han` from the same measures, so that "giảm tỷ lệ hồ sơ quá hạn" has a figure of its own.

Figures are read from the live aggregates (`MeasureTotal`), one grouped query per unit for any
number of targets and periods, plus one over the dossiers still open — judged at min(period end,
now), as the spec's cut wants (`live.open_judged`, by a partial index): never a scan of the dossiers.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q, Sum

from cchc.core.indicator_sources import CALENDAR, Reading, Source
from cchc.core.numbers import to_decimal
from cchc.dossiers.models import Dossier
from cchc.orgs.models import Unit

from . import live
from .definitions import AVERAGE, COUNT, INDICATORS, PERCENT, POINTS, Indicator, indicator_value
from .links import dossiers_url
from .live_periods import live_period
from .models import FIELD_OF, FIELDS, NS_PER_US, MeasureTotal

LATE = Indicator("tre_han", "Tỷ lệ hồ sơ trễ hạn (%)", "S_tre_han", "S", PERCENT)
DOSSIER_INDICATORS: dict[str, Indicator] = {i.code: i for i in (*INDICATORS, LATE)}
LOWER_IS_BETTER = frozenset({"tre_han", "tg_giai_quyet_tb"})
UNIT_LABELS = {PERCENT: "%", COUNT: "hồ sơ", AVERAGE: "ngày", POINTS: "điểm"}


def dossier_source(code: str) -> Source:
    ind = DOSSIER_INDICATORS[code]
    return Source(
        code,
        ind.name,
        "dossier",
        ind.kind,
        code not in LOWER_IS_BETTER,
        UNIT_LABELS[ind.kind],
        cadence=CALENDAR,
        drillable=True,
    )


def period_totals(unit: Unit, keys: list[str]) -> dict[str, dict[str, int]]:
    """The measures of ``unit``'s subtree per period: one grouped query on the live aggregates,
    and one for the open dossiers, judged now (`live.open_judged`)."""
    rows = (
        MeasureTotal.objects.filter(period__in=keys, unit__path__startswith=unit.path)
        .values("period")
        .annotate(**{name: Sum(name) for name in FIELDS})
        .order_by()
    )
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        measures = {code: int(row[field] or 0) for code, field in FIELD_OF.items()}
        measures["F_thoi_gian_ns"] *= NS_PER_US
        out[row["period"]] = measures
    where = Q(handling_unit__path__startswith=unit.path)
    for (_, key), judged in live.open_judged({k: live_period(k) for k in keys}, where).items():
        bucket = out.setdefault(key, dict.fromkeys(FIELD_OF, 0))
        for code, amount in judged.items():
            bucket[code] += amount
    return out


def dossier_reading(
    code: str, measures: dict[str, int] | None, unit_code: str = "", key: str = ""
) -> Reading:
    value = indicator_value(DOSSIER_INDICATORS[code], unit_code, key, measures or {})
    return Reading(to_decimal(value.value), value.numerator, value.denominator)


class DossierIndicators:
    """The `SourceProvider` of the dossier indicators."""

    family = "dossier"
    group_label = "Chỉ số hồ sơ (tự động)"
    code_help = "mã chỉ số hồ sơ (ví dụ dung_han)"

    def owns(self, code: str) -> bool:
        return code in DOSSIER_INDICATORS

    def source(self, code: str, unit: Unit | None = None) -> Source:
        return dossier_source(code)

    def choices(self, unit: Unit) -> list[tuple[str, str]]:
        return [(code, ind.name) for code, ind in DOSSIER_INDICATORS.items()]

    def check_bindable(self, code: str, unit: Unit) -> None:
        return None

    def drill_url(self, code: str, unit: Unit, period_key: str) -> str:
        return dossiers_url(unit.pk, period_key, code)

    def readings(self, requests: Sequence[tuple[str, Unit, Sequence[str]]]) -> list[dict[str, Reading]]:
        """One grouped query per measured unit, whatever the number of targets measured there."""
        wanted: dict[int, set[str]] = {}
        units: dict[int, Unit] = {}
        for _, unit, keys in requests:
            wanted.setdefault(unit.pk, set()).update(keys)
            units[unit.pk] = unit
        if len(units) > 2:
            totals = _batched_totals(units, wanted)
        else:
            totals = {pk: period_totals(units[pk], sorted(keys)) for pk, keys in wanted.items()}
        return [
            {k: dossier_reading(code, totals[unit.pk].get(k), unit.code, k) for k in keys}
            for code, unit, keys in requests
        ]


def _batched_totals(
    units: dict[int, Unit], wanted: dict[int, set[str]]
) -> dict[int, dict[str, dict[str, int]]]:
    """`period_totals` of many units at once (a scoreboard of a province's agencies and communes):
    `live.subtree_totals` of each requested unit that no other requested unit contains — two
    queries per such root, the sums up the tree done in Python — instead of two per unit."""
    roots = [
        u
        for u in units.values()
        if not any(o.pk != u.pk and u.path.startswith(o.path) for o in units.values())
    ]
    out: dict[int, dict[str, dict[str, int]]] = {pk: {} for pk in units}
    for root in roots:
        members = [pk for pk, u in units.items() if u.path.startswith(root.path)]
        keys = sorted(set().union(*(wanted[pk] for pk in members)))
        totals = live.subtree_totals(root, keys)
        for pk in members:
            out[pk] = {k: totals[(pk, k)] for k in wanted[pk] if (pk, k) in totals}
    return out


DOSSIER_SOURCE = DossierIndicators()


def dossiers_behind(unit: Unit, period_key: str, code: str, part: str = "denominator"):
    """The dossiers behind a dossier indicator's numerator or denominator (`live.dossiers_behind`,
    extended to `tre_han`)."""
    if code in {i.code for i in INDICATORS}:
        return live.dossiers_behind(unit, period_key, code, part)
    ind = DOSSIER_INDICATORS[code]
    measure = ind.numerator if part == "numerator" or ind.denominator is None else ind.denominator
    return Dossier.objects.filter(
        live.measure_q(measure, period_key), handling_unit__path__startswith=unit.path
    )
