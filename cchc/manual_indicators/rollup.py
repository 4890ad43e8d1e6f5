"""The figure of a unit for a manual indicator and period, rolled up over its subtree.

Each report holds one unit's own figures. The figure of a unit u is computed from the reports
filed in u's subtree (u included) — whoever is allowed to read it:

* ratio (% from numerator/denominator): Σ numerators / Σ denominators over the units that
  reported, × 100 — never an average of the units' rates, so a unit of 2,000 staff weighs
  a hundred times one of 20;
* count, and numbers added up (`Aggregation.SUM`): the sum;
* plain percentage, and numbers averaged (`Aggregation.MEAN`): the unit's own report if it
  filed one, otherwise the mean of the units that reported, labelled as a mean.

Values are exact until the end: sums of integers, means as fractions, then rounded half-up to
2 decimals. Nothing reported → value None.

These functions are not scoped to a user (plan targets call them for their own unit); code that
shows the result to a person checks `Access.can_read_unit(unit)` first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Q

from cchc.core.periods import ReportingWindow, parse_reporting_window
from cchc.orgs.models import Unit

from .models import Aggregation, Kind, ManualIndicator, ManualReport
from .periods import PARTS

CENT = Decimal("0.01")
UNIT_FIELDS = ("id", "name", "short_name", "kind", "path", "depth", "parent_id", "valid_from", "valid_to")


def round_half_up(x: Fraction) -> Decimal:
    """Round an exact fraction half away from zero to 2 decimals (0.125 → 0.13)."""
    sign = -1 if x < 0 else 1
    hundredths = (abs(x) * 100 * 2 + 1) // 2
    return (Decimal(sign * int(hundredths)) * CENT).quantize(CENT)


@dataclass
class Figure:
    """A unit's figure: from its own report ("own"), a sum, a ratio of sums, or a mean."""

    numerator: int | None = None
    denominator: int | None = None
    value: Decimal | None = None
    basis: str = "none"  # "none", "own", "sum", "ratio", "mean"
    reports: int = 0

    @property
    def is_mean(self) -> bool:
        return self.basis == "mean"


@dataclass
class _Acc:
    numerator: int = 0
    denominator: int = 0
    total: Fraction = Fraction(0)
    count: int = 0

    def add(self, report: ManualReport) -> None:
        self.numerator += report.numerator or 0
        self.denominator += report.denominator or 0
        self.total += Fraction(report.value)
        self.count += 1


def _uses_mean(definition: ManualIndicator) -> bool:
    return definition.kind == Kind.PERCENT or (
        definition.kind == Kind.NUMBER and definition.aggregation == Aggregation.MEAN
    )


def figure_of(definition: ManualIndicator, acc: _Acc | None, own: ManualReport | None) -> Figure:
    if not acc or not acc.count:
        return Figure()
    if definition.kind == Kind.RATIO:
        value = round_half_up(Fraction(100 * acc.numerator, acc.denominator)) if acc.denominator else None
        basis = "own" if own and acc.count == 1 else "ratio"
        return Figure(acc.numerator, acc.denominator, value, basis, acc.count)
    if _uses_mean(definition):
        if own is not None:
            return Figure(value=own.value, basis="own", reports=acc.count)
        return Figure(value=round_half_up(acc.total / acc.count), basis="mean", reports=acc.count)
    basis = "own" if own and acc.count == 1 else "sum"
    return Figure(value=round_half_up(acc.total), basis=basis, reports=acc.count)


def rollup_all(definition: ManualIndicator, reports: list[ManualReport]) -> dict[int, Figure]:
    """The figure of every unit on the path of a report: unit id → Figure (one pass, O(n·depth))."""
    accs: dict[int, _Acc] = {}
    own = {r.unit_id: r for r in reports}
    for r in reports:
        for unit_id in r.unit.ancestor_ids():
            accs.setdefault(unit_id, _Acc()).add(r)
    return {unit_id: figure_of(definition, acc, own.get(unit_id)) for unit_id, acc in accs.items()}


def scope_units(definition: ManualIndicator, period: ReportingWindow, within: Unit | None = None):
    """Units expected to report: in the definition's subtree (and `within`'s), of the chosen
    kinds, in existence during the period (units abolished in 2025 drop out on their own)."""
    qs = Unit.objects.filter(path__startswith=definition.unit.path).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=period.end),
        Q(valid_to__isnull=True) | Q(valid_to__gte=period.start),
    )
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    if definition.unit_kinds:
        qs = qs.filter(kind__in=definition.unit_kinds)
    return qs


def in_scope(definition: ManualIndicator, unit: Unit, period: ReportingWindow) -> bool:
    return (
        unit.path.startswith(definition.unit.path)
        and definition.applies_to_kind(unit.kind)
        and (unit.valid_from is None or unit.valid_from <= period.end)
        and (unit.valid_to is None or unit.valid_to >= period.start)
    )


@dataclass
class ManualValue:
    definition: ManualIndicator
    unit: Unit
    period: ReportingWindow
    figure: Figure
    own: ManualReport | None
    reports: dict[int, ManualReport] = field(default_factory=dict)  # unit id → report, subtree
    expected: list[Unit] = field(default_factory=list)  # in scope, in the subtree, by path

    numerator = property(lambda self: self.figure.numerator)
    denominator = property(lambda self: self.figure.denominator)
    value = property(lambda self: self.figure.value)
    is_mean = property(lambda self: self.figure.is_mean)

    @property
    def reported(self) -> list[Unit]:
        return [r.unit for r in sorted(self.reports.values(), key=lambda r: r.unit.path)]

    @property
    def missing(self) -> list[Unit]:
        return [u for u in self.expected if u.pk not in self.reports]

    @property
    def reported_expected(self) -> int:
        return sum(1 for u in self.expected if u.pk in self.reports)

    @property
    def basis_label(self) -> str:
        n = self.figure.reports
        return {
            "none": "Chưa có đơn vị báo cáo",
            "own": "Số liệu đơn vị báo cáo",
            "sum": f"Tổng của {n} đơn vị đã báo cáo",
            "ratio": f"Tổng tử số / tổng mẫu số của {n} đơn vị đã báo cáo",
            "mean": f"Bình quân của {n} đơn vị đã báo cáo",
        }[self.figure.basis]


def _checked_period(definition: ManualIndicator, period_key: str) -> ReportingWindow:
    """The reporting window of ``period_key`` (PeriodError, a ValueError, for any other key);
    ValueError when the definition is not reported for it."""
    period = parse_reporting_window(period_key)
    if period.part not in PARTS[definition.periodicity]:
        raise ValueError(
            f"period {period.key} is not a period of {definition.code} ({definition.periodicity})"
        )
    return period


def manual_value(definition: ManualIndicator, unit: Unit, period_key: str) -> ManualValue:
    """The figure of `unit` for `definition` in `period_key`, rolled up over the unit's subtree,
    with the units below that have and have not reported. Two queries."""
    period = _checked_period(definition, period_key)
    reports = list(
        ManualReport.objects.filter(indicator=definition, period=period.key, unit__path__startswith=unit.path)
        .select_related("unit", "reported_by")
        .order_by("unit__path")
    )
    expected = list(scope_units(definition, period, within=unit).only(*UNIT_FIELDS).order_by("path"))
    by_unit = {r.unit_id: r for r in reports}
    acc = _Acc()
    for r in reports:
        acc.add(r)
    own = by_unit.get(unit.pk)
    figure = figure_of(definition, acc, own)
    return ManualValue(definition, unit, period, figure, own, by_unit, expected)


def definition_for_unit(code: str, unit: Unit) -> ManualIndicator | None:
    """The definition with this code that applies to the unit: defined by the unit itself or an
    ancestor. An active definition wins over a deactivated one, then the nearest (a commune's
    own definition over the province's)."""
    candidates = (
        ManualIndicator.objects.filter(code=code, unit_id__in=unit.ancestor_ids())
        .select_related("unit")
        .order_by("-active", "-unit__depth")
    )
    return candidates.first()


def manual_value_by_code(code: str, unit: Unit, period_key: str) -> ManualValue | None:
    """`manual_value` of the definition `code` visible to `unit`; None if there is none."""
    definition = definition_for_unit(code, unit)
    return manual_value(definition, unit, period_key) if definition else None
