"""The national view: 34 provinces rolled up from each province's indicator *totals*, never from
dossiers or personal data (docs/scaling.md).

Each province runs its own CCHC. It exports, per period, the integers its indicators are derived
from — the measures of `definitions.MEASURES`, summed over its whole tree — in a small exchange
file (CSV, UTF-8, one row per province and period):

    ma_tinh,ten_tinh,ky,R,F,S,S_dung_han,…,F_thoi_gian_ns

Because measures add up (they are counts and sums, never rates), the nation's measures are the
sum of the provinces' rows, and every national indicator is derived from them exactly as a
province's is (`definitions.indicator_value`). No name, number or code of a dossier ever leaves
a province: the file has no column for one, and the reader refuses any column it does not know.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cchc.core.periods import PeriodError
from cchc.exchange.errors import ExchangeError
from cchc.orgs.models import Unit

from . import live
from .definitions import INDICATORS, MEASURE_CODES, IndicatorValue, indicator_value
from .live_periods import live_period

HEADER = ("ma_tinh", "ten_tinh", "ky", *MEASURE_CODES)
NATION = "VN"


@dataclass(frozen=True)
class ProvinceTotals:
    province: str  # the unit code, e.g. P75
    name: str
    period: str
    measures: dict[str, int]


def province_totals(province: Unit, period_keys: Iterable[str]) -> list[ProvinceTotals]:
    """What a province sends for the national view: its whole tree's measures per period, as its
    live figures stand now (the open dossiers judged now, like its own dashboard)."""
    return [
        ProvinceTotals(province.code, province.name, key, live.unit_totals(province, key))
        for key in period_keys
    ]


def write_totals(rows: Iterable[ProvinceTotals], out: Path) -> int:
    n = 0
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow([row.province, row.name, row.period, *(row.measures[c] for c in MEASURE_CODES)])
            n += 1
    return n


def read_totals(path: Path) -> list[ProvinceTotals]:
    """One province's (or several provinces') totals file; refuses what is not exactly the format."""
    rows: list[ProvinceTotals] = []
    try:
        fh = open(path, encoding="utf-8", newline="")
    except OSError as exc:
        raise ExchangeError(0, f"không mở được tệp: {exc.strerror}", path=str(path)) from exc
    with fh:
        reader = csv.reader(fh)
        header = tuple(next(reader, ()))
        if header != HEADER:
            unknown = sorted(set(header) - set(HEADER))
            missing = [c for c in HEADER if c not in header]
            detail = (
                f"cột không được phép: {', '.join(unknown)}"
                if unknown
                else f"thiếu cột: {', '.join(missing)}"
            )
            if not unknown and not missing:
                detail = "các cột không đúng thứ tự"
            raise ExchangeError(1, f"tiêu đề không đúng định dạng tổng hợp tỉnh ({detail})", path=str(path))
        for line, values in enumerate(reader, start=2):
            if len(values) != len(HEADER):
                raise ExchangeError(line, f"cần {len(HEADER)} giá trị, có {len(values)}", path=str(path))
            code, name, period = values[0].strip(), values[1].strip(), values[2].strip()
            if not code:
                raise ExchangeError(line, "thiếu mã tỉnh (ma_tinh)", path=str(path))
            try:
                live_period(period)
            except PeriodError as exc:
                raise ExchangeError(line, f"kỳ không hợp lệ: {period!r} ({exc})", path=str(path)) from exc
            measures = {}
            for column, text in zip(MEASURE_CODES, values[3:], strict=True):
                if not text.strip().isdigit():
                    raise ExchangeError(
                        line, f"cột {column}: cần một số nguyên không âm, có {text!r}", path=str(path)
                    )
                measures[column] = int(text)
            rows.append(ProvinceTotals(code, name, period, measures))
    return rows


@dataclass
class NationalView:
    period: str
    provinces: list[tuple[ProvinceTotals, dict[str, IndicatorValue]]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    values: dict[str, IndicatorValue] = field(default_factory=dict)


def national_rollup(rows: Iterable[ProvinceTotals], period: str) -> NationalView:
    """The nation's figures for ``period``: the sum of the provinces' measures, and every
    indicator derived from it. A province sending the same period twice is refused."""
    view = NationalView(period, totals=dict.fromkeys(MEASURE_CODES, 0))
    seen: set[str] = set()
    for row in rows:
        if row.period != period:
            continue
        if row.province in seen:
            raise ExchangeError(0, f"tỉnh {row.province} gửi hai lần số liệu kỳ {period}")
        seen.add(row.province)
        view.provinces.append((row, values_of(row.measures, row.province, period)))
        for code in MEASURE_CODES:
            view.totals[code] += row.measures[code]
    view.provinces.sort(key=lambda p: p[0].province)
    view.values = values_of(view.totals, NATION, period)
    return view


def values_of(measures: Mapping[str, int], unit: str, period: str) -> dict[str, IndicatorValue]:
    return {i.code: indicator_value(i, unit, period, dict(measures)) for i in INDICATORS}


def simulated_feed(
    template: ProvinceTotals, provinces: Iterable[tuple[str, str]], seed: int = 1
) -> list[ProvinceTotals]:
    """A feed of every province for a demonstration or a benchmark: each province's measures are
    the template province's scaled by its own factor (0.2–3×, floored, so every "part ≤ whole"
    between measures still holds). ``provinces``: (code, name) pairs."""
    rng = random.Random(seed)
    out = []
    for code, name in provinces:
        factor = rng.uniform(0.2, 3.0)
        measures = {c: int(v * factor) for c, v in template.measures.items()}
        out.append(ProvinceTotals(code, name, template.period, measures))
    return out


def all_provinces() -> list[tuple[str, str]]:
    """The 34 provinces (vietnam-provinces), as (unit code, name), codes as `units_load_administrative` makes them."""
    import vietnam_provinces as vp

    return [(f"P{int(p.code):02d}", p.name) for p in vp.Province.iter_all()]
