"""Sub-criteria the system already knows (method `du_lieu`): the points from a figure.

A `du_lieu` leaf names an indicator code of `cchc.core.indicator_sources` (`Criterion.source`:
"dung_han", "truc_tuyen", "766", "manual:…") and the value that earns its maximum
(`Criterion.full_at`). Points are proportional below it and capped at the maximum:

    more is better:  points = max × min(1, value / full_at)
    less is better:  points = max × min(1, full_at / value)   (0 → the maximum)

rounded half-up to 2 decimals. The figure is the unit's (its subtree's) for the assessed year:
the calendar year for calendar sources, the CCHC reporting year ("BC-YYYY-Y", 15/12–14/12) for
sources reported in reporting windows. No figure → no computed points (the council decides).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cchc.core import indicator_sources
from cchc.core.errors import ServiceError
from cchc.core.indicator_sources import REPORTING, Source

from .models import Criterion

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Computed:
    source: Source | None
    period_key: str
    value: Decimal | None
    points: Decimal | None
    why: str = ""


def year_key(source: Source, year: int) -> str:
    return f"BC-{year}-Y" if source.cadence == REPORTING else str(year)


def points_for(value: Decimal, max_points: Decimal, full_at: Decimal, higher_is_better: bool) -> Decimal:
    if full_at <= 0:
        ratio = Decimal(1)
    elif higher_is_better:
        ratio = min(Decimal(1), max(Decimal(0), value) / full_at)
    else:
        ratio = Decimal(1) if value <= 0 else min(Decimal(1), full_at / value)
    return (max_points * ratio).quantize(CENT, ROUND_HALF_UP)


def computed(criteria: list[Criterion], unit, year: int) -> dict[int, Computed]:
    """The computed points of each `du_lieu` leaf for ``unit`` in ``year``, every figure asked of
    its source in one batch (criterion id → Computed)."""
    asked: list[tuple[Criterion, Source, str]] = []
    out: dict[int, Computed] = {}
    for c in criteria:
        if not c.source:
            out[c.pk] = Computed(None, "", None, None, "Tiêu chí chưa gắn chỉ số nguồn.")
            continue
        try:
            source = indicator_sources.source_of(c.source, unit)
        except ServiceError:
            out[c.pk] = Computed(None, "", None, None, f"Mã chỉ số nguồn “{c.source}” không hợp lệ.")
            continue
        asked.append((c, source, year_key(source, year)))
    readings = indicator_sources.readings_many((src.code, unit, [key]) for _, src, key in asked)
    for (c, source, key), got in zip(asked, readings, strict=True):
        value = got[key].value
        if value is None or c.max_points is None:
            out[c.pk] = Computed(source, key, None, None, "Chưa có số liệu.")
            continue
        full_at = c.full_at if c.full_at is not None else Decimal(100)
        out[c.pk] = Computed(
            source, key, value, points_for(value, c.max_points, full_at, source.higher_is_better)
        )
    return out
