"""Reads for the indicator pages, scoped to the user (`cchc.orgs.access`): who may see a unit's
figures is who may read the unit — coordinators, leaders and administrators their subtree,
officers their own unit.

The unit dashboard reads only the live aggregates, in a fixed number of queries whatever the
number of children: the unit, its ancestors, its children, the picker's units, and one
`live.subtree_totals` over the period and the months of its year, from which the unit's figures,
its monthly trends and every child's figures are all derived.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from cchc.core.actors import Actor
from cchc.core.collation import vi
from cchc.core.db_router import replica_tolerant
from cchc.core.numbers import format_number
from cchc.orgs.access import Access
from cchc.orgs.models import KIND_ORDER, Unit, UnitKind

from . import live
from .definitions import COUNT, INDICATORS, MEASURE_CODES, PERCENT, IndicatorValue
from .live_periods import live_period, period_choices, year_of
from .sources import LOWER_IS_BETTER, UNIT_LABELS

SORT_DEFAULT = "dung_han"


def shown(value: IndicatorValue) -> str:
    """A value as people read it: "96,50%", "1.234", "3,25 ngày", "—" when empty."""
    if value.value is None:
        return "—"
    if value.kind == COUNT:
        return format_number(int(value.value), 0)
    text = format_number(value.value)
    return f"{text}%" if value.kind == PERCENT else f"{text} {UNIT_LABELS[value.kind]}"


def numerator_shown(value: IndicatorValue) -> str:
    if value.divisor != 1:  # processing time: days
        return format_number(Decimal(value.raw_numerator) / Decimal(value.divisor))
    return format_number(value.raw_numerator, 0)


def default_unit(user: Actor) -> Unit | None:
    """The user's top readable unit (the shortest path among their roles)."""
    access = Access.for_user(user)
    if access.grants:
        top = min(access.grants, key=lambda g: (g.path.count("/"), g.path))
        return Unit.objects.get(pk=top.unit_id)
    if access.is_superuser:
        return Unit.objects.current().filter(kind=UnitKind.PROVINCE).order_by("path").first()
    return None


def unit_for(user: Actor, unit_id) -> Unit:
    """The unit asked for by id ("12") or by code ("P75", "P75.STP": codes always hold a letter),
    if the user may read its figures (404 unknown, 403 not allowed)."""
    given = str(unit_id or "").strip()
    unit = get_object_or_404(Unit, **({"pk": int(given)} if given.isdigit() else {"code": given}))
    if not Access.for_user(user).can_read_unit(unit):
        raise PermissionDenied("Bạn không có quyền xem số liệu của đơn vị này.")
    return unit


def picker_units(user: Actor, unit: Unit) -> list[Unit]:
    """Units offered by the picker: the user's readable current units down to one level below
    their top units (deeper units are reached through the children table)."""
    access = Access.for_user(user)
    if access.is_superuser and not access.grants:
        qs = Unit.objects.current().filter(depth=0) | Unit.objects.filter(parent=unit)
    else:
        top = min((g.path.count("/") for g in access.grants), default=1)
        qs = access.readable_units().current().filter(depth__lte=top)  # depth = slashes − 1
    units = list(qs.only("id", "name", "kind", "depth", "path").order_by("path"))
    if unit.pk not in {u.pk for u in units}:
        units.append(unit)
    return units


def period_options(today: dt.date) -> list[tuple[int, list[tuple[str, str]]]]:
    return [(year, period_choices(year)) for year in (today.year, today.year - 1)]


def month_keys(year: int, today: dt.date) -> list[str]:
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    return [f"{year}-{m:02d}" for m in range(1, last + 1)]


def _sort_key(code: str):
    lower_better = code in LOWER_IS_BETTER

    def key(row):
        value = row.values[code].value
        if value is None:
            return (1, 0)
        return (0, -value if lower_better else value)

    return key


@dataclass
class Line:
    indicator: object
    value: IndicatorValue
    trend: list[tuple[str, Decimal | None, str]]


@dataclass
class ChildRow:
    unit: Unit
    values: dict[str, IndicatorValue]
    key_value: IndicatorValue  # the value sorted on

    @property
    def cells(self) -> list[IndicatorValue]:
        return [self.values[i.code] for i in INDICATORS]


@dataclass
class UnitDashboard:
    unit: Unit
    period_key: str
    period_label: str
    sort: str
    ancestors: list[tuple[Unit, bool]] = field(default_factory=list)  # (unit, readable)
    lines: list[Line] = field(default_factory=list)
    children: list[ChildRow] = field(default_factory=list)
    months: list[str] = field(default_factory=list)


@replica_tolerant  # its reads may be a replica's (milliseconds behind): cchc.core.db_router
def unit_dashboard(*, user: Actor, unit: Unit, period_key: str, sort: str, today: dt.date) -> UnitDashboard:
    """Every indicator of ``unit`` for the period with its monthly trend, and the children's
    figures sorted worst first on ``sort`` (the caller checked access with `unit_for`)."""
    period = live_period(period_key)  # PeriodError for a bad key
    access = Access.for_user(user)
    sort = sort if sort in {i.code for i in INDICATORS} else SORT_DEFAULT
    months = month_keys(year_of(period_key), today)
    totals = live.subtree_totals(unit, [period_key, *months])
    empty = dict.fromkeys(MEASURE_CODES, 0)
    own = live.values_from(totals.get((unit.pk, period_key), empty), unit.code, period_key)
    monthly = {m: live.values_from(totals.get((unit.pk, m), empty), unit.code, m) for m in months}
    lines = [
        Line(
            indicator,
            own[indicator.code],
            [
                (f"T{int(m[-2:])}", monthly[m][indicator.code].value, shown(monthly[m][indicator.code]))
                for m in months
            ],
        )
        for indicator in INDICATORS
    ]
    kids = Unit.objects.filter(parent=unit).order_by(KIND_ORDER, vi("name"))
    rows = []
    for kid in kids:
        if kid.valid_to is not None and (kid.pk, period_key) not in totals:
            continue  # a former unit appears only while it has figures
        values = live.values_from(totals.get((kid.pk, period_key), empty), kid.code, period_key)
        rows.append(ChildRow(kid, values, values[sort]))
    rows.sort(key=_sort_key(sort))
    ancestors = [
        (a, access.can_read_unit(a))
        for a in Unit.objects.filter(pk__in=unit.ancestor_ids()[:-1]).order_by("depth")
    ]
    return UnitDashboard(unit, period_key, period.long_label, sort, ancestors, lines, rows, months)
