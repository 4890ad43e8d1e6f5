"""Scoreboards: the province, its agencies and its communes side by side on the figures people
ask about — dossiers settled on time, the share filed online, satisfaction, the 766 index — ranked
within each level, with the monthly trend; and one unit's months.

Every figure is read through `cchc.core.indicator_sources` (never from the producing apps), so a
producer that registers later shows up: a provider may name the codes fit for the public with
an optional ``public_codes`` attribute (a surveys app: its satisfaction index). Only figures of
units are shown — no dossier, no person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils.safestring import SafeString

from cchc.core import indicator_sources
from cchc.core.charts import bar_chart, sparkline
from cchc.core.errors import ServiceError
from cchc.core.indicator_sources import CALENDAR, EMPTY, Reading, Source, SourceUnavailable, format_value
from cchc.core.periods import CalendarPeriod, PeriodError, parse_calendar_period
from cchc.core.text import vi_sort_key
from cchc.orgs.models import Unit, UnitKind

from .site import BadParameter

# On time, online, satisfied (the dossier ratings), the 766 index — in this order.
BASE_CODES = ("dung_han", "truc_tuyen", "hai_long", "766")
GROUPS = ((UnitKind.AGENCY, "Sở, ban, ngành"), (UnitKind.COMMUNE, "Xã, phường, đặc khu"))


def columns(province: Unit) -> list[Source]:
    """The sources shown: the base codes, then those registered providers offer the public;
    a code whose provider is not installed is left out, as are non-calendar figures."""
    codes = list(BASE_CODES)
    for provider in indicator_sources.providers:
        codes += [c for c in getattr(provider, "public_codes", ()) if c not in codes]
    out = []
    for code in codes:
        try:
            source = indicator_sources.source_of(code, province)
        except ServiceError:
            continue
        if source.cadence == CALENDAR:
            out.append(source)
    return out


def parse_period(raw: str | None, today: dt.date) -> CalendarPeriod:
    key = raw or str(today.year)
    try:
        period = parse_calendar_period(key)
    except PeriodError:
        raise BadParameter(
            f"Kỳ “{key[:20]}” không hợp lệ: viết năm (2026), quý (2026-Q1) hoặc tháng (2026-03)."
        ) from None
    if period.start > today:
        raise BadParameter(f"Kỳ “{period.label}” chưa bắt đầu, chưa có số liệu.")
    return period


def month_keys(year: int, today: dt.date) -> list[str]:
    last = 12 if year < today.year else today.month
    return [f"{year}-{m:02d}" for m in range(1, last + 1)]


@dataclass
class Cell:
    source: Source
    value: Decimal | None
    rank: int | None = None

    @property
    def shown(self) -> str:
        return format_value(self.source, self.value)


@dataclass
class Row:
    unit: Unit
    cells: list[Cell]
    rank: int | None = None


@dataclass
class Group:
    title: str
    rows: list[Row]
    chart: SafeString | None = None


@dataclass
class Board:
    period: CalendarPeriod
    columns: list[Source]
    sort: Source
    province: Row
    groups: list[Group]
    trends: list[tuple[Source, SafeString]] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)


def ranked_units(province: Unit, kind: str) -> QuerySet[Unit]:
    return Unit.objects.current().filter(path__startswith=province.path, kind=kind).exclude(pk=province.pk)


def _read(
    sources: list[Source], units: list[Unit], keys: list[str], unavailable: list[str]
) -> dict[tuple[str, int], dict[str, Reading]]:
    """{(code, unit id): {key: reading}}, one batch per family of sources (the dossier figures
    of a unit then cost one grouped query whatever the number of columns); a family that cannot
    answer now leaves its columns empty and says so, instead of failing the page."""
    out: dict[tuple[str, int], dict[str, Reading]] = {}
    families: dict[str, list[Source]] = {}
    for source in sources:
        families.setdefault(source.family, []).append(source)
    for members in families.values():
        requests = [(s.code, u, keys) for s in members for u in units]
        try:
            got = indicator_sources.readings_many(requests)
        except SourceUnavailable as exc:
            unavailable += [f"{s.name}: {exc}" for s in members]
            continue
        for (code, unit, _), readings in zip(requests, got, strict=True):
            out[(code, unit.pk)] = readings
    return out


def competition_rank(cells: list[Cell], higher_is_better: bool) -> None:
    """Rank the cells that have a value, best first; equal values share a rank (1, 2, 2, 4)."""
    valued = [(c.value if higher_is_better else -c.value, c) for c in cells if c.value is not None]
    valued.sort(key=lambda item: -item[0])
    cells_in_order = [c for _, c in valued]
    previous: Cell | None = None
    for position, cell in enumerate(cells_in_order, start=1):
        cell.rank = previous.rank if previous is not None and previous.value == cell.value else position
        previous = cell


def board(province: Unit, period: CalendarPeriod, sort_code: str | None, today: dt.date) -> Board:
    sources = columns(province)
    if not sources:
        raise Http404("Chưa có nguồn số liệu nào để công khai.")
    by_code = {s.code: s for s in sources}
    if sort_code and sort_code not in by_code:
        raise BadParameter(f"Không có chỉ số “{sort_code[:30]}” để xếp hạng trên trang này.")
    sort = by_code[sort_code] if sort_code else sources[0]
    members = {
        kind: sorted(ranked_units(province, kind), key=lambda u: vi_sort_key(u.name)) for kind, _ in GROUPS
    }
    units = [province] + [u for kind, _ in GROUPS for u in members[kind]]
    unavailable: list[str] = []
    got = _read(sources, units, [period.key], unavailable)

    def row(unit: Unit) -> Row:
        return Row(
            unit,
            [Cell(s, got.get((s.code, unit.pk), {}).get(period.key, EMPTY).value) for s in sources],
        )

    groups = []
    sort_index = sources.index(sort)
    for kind, title in GROUPS:
        rows = [row(u) for u in members[kind]]
        for i, source in enumerate(sources):
            competition_rank([r.cells[i] for r in rows], source.higher_is_better)
        for r in rows:
            r.rank = r.cells[sort_index].rank
        rows.sort(key=lambda r: (r.rank is None, r.rank or 0, vi_sort_key(r.unit.name)))
        chart = None
        if rows:
            chart = bar_chart(
                [(r.unit.name, r.cells[sort_index].value, r.cells[sort_index].shown) for r in rows],
                label=f"{sort.name} — {title}, {period.label}",
                scale_max=Decimal(100) if sort.is_percent else None,
            )
        groups.append(Group(title, rows, chart))
    result = Board(period, sources, sort, row(province), groups, unavailable=unavailable)
    result.trends = trends(province, sources, period.year, today, unavailable)
    return result


def trends(
    unit: Unit, sources: list[Source], year: int, today: dt.date, unavailable: list[str]
) -> list[tuple[Source, SafeString]]:
    """A sparkline per source over the months of ``year`` (up to this month)."""
    keys = month_keys(year, today)
    return sparklines(unit, sources, year, keys, _read(sources, [unit], keys, unavailable))


def sparklines(
    unit: Unit,
    sources: list[Source],
    year: int,
    keys: list[str],
    got: dict[tuple[str, int], dict[str, Reading]],
) -> list[tuple[Source, SafeString]]:
    out = []
    for s in sources:
        readings = got.get((s.code, unit.pk), {})
        values = [(k, readings.get(k, EMPTY).value) for k in keys]
        points = [(f"Tháng {int(k[-2:])}", v, format_value(s, v)) for k, v in values]
        out.append((s, sparkline(points, label=f"{s.name} theo tháng, năm {year}", width=160, height=36)))
    return out


@dataclass
class UnitMonths:
    unit: Unit
    year: int
    columns: list[Source]
    months: list[tuple[str, list[Cell]]]
    year_cells: list[Cell]
    trends: list[tuple[Source, SafeString]]
    unavailable: list[str]


def public_unit(province: Unit, code: str) -> Unit:
    """A current unit of the province shown on the scoreboard (by its code); 404 otherwise."""
    unit = (
        Unit.objects.current()
        .filter(
            code=code,
            path__startswith=province.path,
            kind__in=[UnitKind.PROVINCE, UnitKind.AGENCY, UnitKind.COMMUNE],
        )
        .first()
    )
    if unit is None:
        raise Http404(f"Không có cơ quan, đơn vị mã “{code[:30]}” trên bảng xếp hạng của tỉnh.")
    return unit


def unit_months(province: Unit, unit: Unit, year: int, today: dt.date) -> UnitMonths:
    sources = columns(province)
    keys = month_keys(year, today)
    unavailable: list[str] = []
    got = _read(sources, [unit], [str(year), *keys], unavailable)

    def cells(key: str) -> list[Cell]:
        return [Cell(s, got.get((s.code, unit.pk), {}).get(key, EMPTY).value) for s in sources]

    months = [(f"Tháng {int(k[-2:])}/{year}", cells(k)) for k in keys]
    return UnitMonths(
        unit,
        year,
        sources,
        months,
        cells(str(year)),
        sparklines(unit, sources, year, keys, got),
        unavailable,
    )
