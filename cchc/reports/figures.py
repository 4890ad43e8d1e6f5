"""The numeric annex (phụ lục số liệu): the window's figures of a unit, read through
`cchc.core.indicator_sources` only (dossier indicators, the 766 index, task figures, the manual
indicators that apply to the unit), and the same figures rolled up from subordinates' reports.

Which period each figure is read for: the dossier indicators are computed by the live engine for
periods of either kind, so they are read for the report's own window (the same key the
indicators dashboard shows); the manual indicators are reported by CCHC windows (the window; a
month has none); the calendar-only families (766, tasks) for the calendar period the report
covers (`windows.calendar_key`). Each row keeps its period key so that the reader knows.

A row is plain JSON (it is stored in the report as its snapshot): values as decimal text.
Rolling up never averages: counts are summed (and the manual figures whose definition adds up over
units: a count, a number summed — the row's ``additive``), rates are recomputed from the summed
numerators and denominators, and a figure without them (766 points, a mean) is not rolled up.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from cchc.core import indicator_sources
from cchc.core.errors import ServiceError
from cchc.core.indicator_sources import COUNT, EMPTY, PERCENT, REPORTING, Reading, Source, SourceUnavailable
from cchc.core.numbers import format_number
from cchc.core.periods import REPORTING_PREFIX
from cchc.orgs.models import Unit

from . import windows

DOSSIER_CODES = (
    "tiep_nhan",
    "da_giai_quyet",
    "dung_han",
    "tre_han",
    "truc_tuyen",
    "thanh_toan_truc_tuyen",
    "so_hoa",
    "tai_su_dung",
    "hai_long",
)
OTHER_CODES = ("766", "nhiem_vu:hoan_thanh", "nhiem_vu:dung_han")
WINDOW_FAMILIES = frozenset({"dossier"})  # computed for any period, reporting windows included
MANUAL_FAMILY = "manual"
GROUPS = {"dossier": "Giải quyết thủ tục hành chính", "766": "Chỉ số 766", "nhiem_vu": "Thực hiện nhiệm vụ"}
Row = dict[str, Any]


def annex_codes(unit: Unit) -> list[str]:
    codes = list(DOSSIER_CODES) + list(OTHER_CODES)
    for provider in indicator_sources.providers:
        if provider.family == MANUAL_FAMILY:
            codes += [code for code, _ in provider.choices(unit)]
    return [c for c in codes if _known(c)]


def _known(code: str) -> bool:
    try:
        indicator_sources.provider_of(code)
    except ServiceError:  # a family not installed (a trimmed deployment): no row
        return False
    return True


def period_for(source: Source, kind: str, year: int, number: int) -> str | None:
    key = windows.window(kind, year, number).key
    if source.family in WINDOW_FAMILIES:
        return key
    if source.cadence == REPORTING:
        return key if key.startswith(REPORTING_PREFIX) else None
    return windows.calendar_key(kind, year, number)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def annex_rows(unit: Unit, kind: str, year: int, number: int) -> list[Row]:
    """The figures of ``unit``'s subtree for the report's window, in the annex's order."""
    wanted: list[tuple[Source, str | None]] = []
    for code in annex_codes(unit):
        source = indicator_sources.source_of(code, unit)
        wanted.append((source, period_for(source, kind, year, number)))
    asked = [(s.code, unit, [k]) for s, k in wanted if k is not None]
    got: dict[str, Reading] = {}
    by_family: dict[str, list[tuple[str, Unit, list[str]]]] = {}
    for request in asked:
        by_family.setdefault(indicator_sources.provider_of(request[0]).family, []).append(request)
    notes: dict[str, str] = {}
    for requests in by_family.values():
        try:
            results = indicator_sources.readings_many(requests)
        except SourceUnavailable as exc:  # one family down leaves its rows empty, with the reason
            for code, _, _ in requests:
                notes[code] = str(exc)
            continue
        for (code, _, keys), result in zip(requests, results, strict=True):
            got[code] = result.get(keys[0], EMPTY)
    rows = []
    for source, key in wanted:
        reading = got.get(source.code, EMPTY)
        rows.append(
            {
                "code": source.code,
                "name": source.name,
                "group": GROUPS.get(source.family, "Chỉ số báo cáo thủ công"),
                "kind": source.kind,
                "unit_label": source.unit_label,
                "period_key": key or "",
                "value": _text(reading.value),
                "numerator": _text(reading.numerator),
                "denominator": reading.denominator,
                "additive": source.sums,
                "note": notes.get(source.code, "" if key else "Không có số liệu cho loại kỳ này."),
            }
        )
    return rows


def _additive(row: Row) -> bool:
    """Summed when rolled up: counts, and the figures their source says add up (manual sums);
    a row stored before rows said so is a count or not."""
    return bool(row.get("additive", row["kind"] == COUNT))


def rollup(own: list[Row], annexes: Iterable[list[Row]]) -> dict[str, Row]:
    """The figures of the subordinates' reports summed code by code (see the module rules)."""
    sums: dict[str, dict[str, Any]] = {}
    for annex in annexes:
        for row in annex:
            s = sums.setdefault(
                row["code"],
                {"num": Decimal(0), "den": 0, "count": Decimal(0), "n": 0, "rate": True, "seen": False},
            )
            s["n"] += 1
            if _additive(row):
                s["count"] += Decimal(row["value"] or 0)
                s["seen"] = s["seen"] or row["value"] is not None
            elif row["numerator"] is not None and row["denominator"] is not None:
                s["num"] += Decimal(row["numerator"])
                s["den"] += int(row["denominator"])
            elif row["value"] is not None:
                s["rate"] = False  # a figure without its parts cannot be rolled up honestly
    out: dict[str, Row] = {}
    for row in own:
        found = sums.get(row["code"])
        if found is None:
            out[row["code"]] = {"value": None, "numerator": None, "denominator": None, "reports": 0}
            continue
        s = found
        value: Decimal | None = None
        if _additive(row):
            # a manual sum nobody reported is no figure; a dossier count is 0 when there were none
            value = s["count"] if s["seen"] or row["kind"] == COUNT else None
        elif s["rate"] and s["den"]:
            scale = Decimal(100) if row["kind"] == PERCENT else Decimal(1)
            value = (scale * s["num"] / s["den"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
        parts = s["rate"] and not _additive(row) and s["den"]
        out[row["code"]] = {
            "value": _text(value),
            "numerator": _text(s["num"]) if parts else None,
            "denominator": s["den"] if parts else None,
            "reports": s["n"],
        }
    return out


def shown(row: Row, value: object = None, *, use: bool = False) -> str:
    """A figure as its source reads ("96,50%", "1.234", "85,00 điểm", "—")."""
    v = value if use else row["value"]
    if v is None:
        return "—"
    d = Decimal(str(v))
    if row["kind"] == COUNT:
        return format_number(int(d), 0)
    text = format_number(d)
    if row["kind"] == PERCENT:
        return f"{text}%"
    return f"{text} {row['unit_label']}".strip()


def parts_shown(numerator: object, denominator: object) -> str:
    if numerator is None or denominator is None:
        return ""
    num = Decimal(str(numerator))
    num_text = format_number(int(num), 0) if num == num.to_integral() else format_number(num)
    return f"{num_text}/{format_number(int(str(denominator)), 0)}"
