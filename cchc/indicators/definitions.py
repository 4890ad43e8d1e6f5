"""The dossier indicators of docs/specs/dossier-exchange.md ("Indicators for a unit u and a period P"),
defined once, as data, for every engine (file mode in DuckDB, live mode in the database).

Two layers:

* **Measures** — integers counted (or summed) per unit and period over one base set of dossiers:
  R (received in P), F (finished in P) or S = R ∪ F, with simple conditions on the row. Every
  engine computes measures per handling unit, then adds them over each unit's subtree (a roll-up
  is a sum of integers, never an average of rates), then derives the indicators.
* **Indicators** — a numerator measure, a denominator measure (none for counts) and how the value
  is derived: count, % (100 × n / d), points (20 × n / d) or average (n / d, here days per dossier).
  Values are rounded half-up to 2 decimals from the exact integers, and are empty when d = 0.

The on-time rule (spec, S): end(d) = ket_thuc_luc if it is before b, else b; e(d) = end(d) −
tam_dung_gio hours; on time ⇔ so_lan_bo_sung ≤ 1 and e(d) ≤ han_tra. It is evaluated exactly on
integers: datetimes as microseconds of local time, tam_dung_gio as 1e-9 hours, so that
    on time ⇔ so_lan_bo_sung ≤ 1 and (end − han_tra) [µs] × 1000 ≤ tam_dung_gio [1e-9 h] × 3600.
Processing time (tg_giai_quyet_tb) is summed in nanoseconds: (ket_thuc_luc − tiep_nhan_luc) × 1000 −
tam_dung_gio × 3600, and divided by 86,400 × 10^12 for days.

`compute_reference` is the plain-Python implementation used to cross-check the engines in tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

from cchc.exchange.formats import FLAG_COLUMNS, SATISFIED, datetime_to_local_us

SPEC = "docs/specs/dossier-exchange.md"
NS_PER_DAY = 86_400 * 10**9  # nanoseconds in a day
PAUSE_NS_PER_UNIT = 3600  # tam_dung_gio is held in 1e-9 hours: × 3600 = nanoseconds

# A condition: (field, op, value). Fields are exchange columns, plus "dung_han" (the on-time
# rule above, which depends on the period's end b). Ops: "eq" (equal), "in" (one of), "set"
# (not empty).
Cond = tuple[str, str, Any]


@dataclass(frozen=True)
class Measure:
    code: str
    base: str  # "R", "F" or "S"
    where: tuple[Cond, ...] = ()
    sum_of: str | None = None  # None: count rows; "thoi_gian_ns": sum the processing time
    doc: str = ""


MEASURES: tuple[Measure, ...] = (
    Measure("R", "R", doc="|R|: tiep_nhan_luc in P"),
    Measure("F", "F", doc="|F|: ket_thuc_luc in P"),
    Measure("S", "S", doc="|S| = |R ∪ F|"),
    Measure("S_dung_han", "S", (("dung_han", "eq", True),), doc="on time in S"),
    Measure("S_tre_han", "S", (("dung_han", "eq", False),), doc="late in S"),
    Measure("S_tre_han_xin_loi", "S", (("dung_han", "eq", False), ("xin_loi", "eq", True))),
    Measure("R_truc_tuyen", "R", (("kenh", "eq", "truc_tuyen"),)),
    Measure("R_buu_chinh", "R", (("kenh", "eq", "buu_chinh"),)),
    Measure("R_co_phi", "R", (("co_nghia_vu_tai_chinh", "eq", True),)),
    Measure(
        "R_co_phi_tt", "R", (("co_nghia_vu_tai_chinh", "eq", True), ("thanh_toan_truc_tuyen", "eq", True))
    ),
    Measure("F_chap_thuan", "F", (("ket_qua", "eq", "chap_thuan"),)),
    Measure("F_chap_thuan_dien_tu", "F", (("ket_qua", "eq", "chap_thuan"), ("ket_qua_dien_tu", "eq", True))),
    Measure("R_so_hoa", "R", (("so_hoa", "eq", True),)),
    Measure("R_tai_su_dung", "R", (("tai_su_dung", "eq", True),)),
    Measure("F_danh_gia", "F", (("danh_gia", "set", None),)),
    Measure("F_hai_long", "F", (("danh_gia", "in", SATISFIED),)),
    Measure("F_thoi_gian_ns", "F", sum_of="thoi_gian_ns", doc="Σ (ket_thuc − tiep_nhan − tam_dung) in ns"),
)
MEASURE_CODES = tuple(m.code for m in MEASURES)
MEASURE_BY_CODE = {m.code: m for m in MEASURES}

COUNT, PERCENT, POINTS, AVERAGE = "count", "percent", "points", "average"


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    numerator: str
    denominator: str | None
    kind: str
    numerator_divisor: int = 1  # the numerator as reported = measure / divisor (ns → days)
    spec: str = f"{SPEC} § Indicators"

    @property
    def scale(self) -> int:
        return {COUNT: 1, PERCENT: 100, POINTS: 20, AVERAGE: 1}[self.kind]


# In the order of the spec's table — also the order of the output rows.
INDICATORS: tuple[Indicator, ...] = (
    Indicator("tiep_nhan", "Số hồ sơ tiếp nhận", "R", None, COUNT),
    Indicator("da_giai_quyet", "Số hồ sơ đã giải quyết", "F", None, COUNT),
    Indicator("dung_han", "Tỷ lệ hồ sơ đúng hạn (%)", "S_dung_han", "S", PERCENT),
    Indicator(
        "qua_han_co_xin_loi",
        "Tỷ lệ hồ sơ quá hạn có văn bản xin lỗi (%)",
        "S_tre_han_xin_loi",
        "S_tre_han",
        PERCENT,
    ),
    Indicator("truc_tuyen", "Tỷ lệ hồ sơ trực tuyến (%)", "R_truc_tuyen", "R", PERCENT),
    Indicator("buu_chinh", "Tỷ lệ hồ sơ qua bưu chính công ích (%)", "R_buu_chinh", "R", PERCENT),
    Indicator("thanh_toan_truc_tuyen", "Tỷ lệ thanh toán trực tuyến (%)", "R_co_phi_tt", "R_co_phi", PERCENT),
    Indicator(
        "ket_qua_dien_tu", "Tỷ lệ cấp kết quả điện tử (%)", "F_chap_thuan_dien_tu", "F_chap_thuan", PERCENT
    ),
    Indicator("so_hoa", "Tỷ lệ số hóa hồ sơ (%)", "R_so_hoa", "R", PERCENT),
    Indicator("tai_su_dung", "Tỷ lệ tái sử dụng dữ liệu (%)", "R_tai_su_dung", "R", PERCENT),
    Indicator("hai_long", "Tỷ lệ hài lòng (%)", "F_hai_long", "F_danh_gia", PERCENT),
    Indicator(
        "tg_giai_quyet_tb",
        "Thời gian giải quyết trung bình (ngày)",
        "F_thoi_gian_ns",
        "F",
        AVERAGE,
        NS_PER_DAY,
    ),
    Indicator(
        "diem_766_tien_do", "Điểm tiến độ giải quyết (Chỉ số 766, tối đa 20)", "S_dung_han", "S", POINTS
    ),
)
INDICATOR_CODES = tuple(i.code for i in INDICATORS)
OUTPUT_COLUMNS = ("ma_don_vi", "ky", "chi_so", "tu_so", "mau_so", "gia_tri")


# --- exact arithmetic and formatting ---------------------------------------------------------------


def round_ratio(n: int, d: int, places: int = 2) -> int:
    """n / d (d > 0) rounded half-up — away from zero at exactly half — to ``places`` decimals,
    as an integer count of 10^-places: 2/3 → 67 (0.67), 1/8 → 13 (0.13), 100/8 → 1250 (12.50)."""
    r: int = (2 * abs(n) * 10**places + d) // (2 * d)
    return -r if n < 0 else r


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """Round an exact fraction half-up (away from zero at the half) to ``places`` decimals."""
    return Decimal(round_ratio(value.numerator, value.denominator, places)).scaleb(-places)


def fixed(units: int, places: int) -> str:
    """An integer count of 10^-places written with exactly ``places`` decimals (1250, 2 → 12.50)."""
    digits = str(abs(units)).rjust(places + 1, "0")
    return ("-" if units < 0 else "") + digits[:-places] + "." + digits[-places:]


def plain_number(value: Fraction | int, places: int = 6) -> str:
    """An integer as is; a fraction rounded half-up to ``places`` decimals, trailing zeros dropped."""
    if isinstance(value, int) or value.denominator == 1:
        return str(int(value))
    text = fixed(round_ratio(value.numerator, value.denominator, places), places).rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class IndicatorValue:
    """One output row: the measures behind it as exact integers, the value in hundredths."""

    __slots__ = ("unit", "period", "code", "raw_numerator", "divisor", "denominator", "units", "kind")

    def __init__(
        self,
        unit: str,
        period: str,
        code: str,
        raw_numerator: int,
        divisor: int,
        denominator: int | None,
        units: int | None,
        kind: str,
    ) -> None:
        self.unit = unit
        self.period = period
        self.code = code
        self.raw_numerator = raw_numerator  # the measure (nanoseconds for the average time)
        self.divisor = divisor  # numerator as reported = raw_numerator / divisor
        self.denominator = denominator  # None for counts
        self.units = units  # count, or the value × 100 (rounded half-up); None when d = 0
        self.kind = kind

    @property
    def numerator(self) -> Fraction | int:
        return self.raw_numerator if self.divisor == 1 else Fraction(self.raw_numerator, self.divisor)

    @property
    def value(self) -> Decimal | int | None:
        if self.units is None or self.kind == COUNT:
            return self.units
        return Decimal(self.units).scaleb(-2)

    def as_csv(self) -> tuple[str, str, str, str, str, str]:
        if self.units is None:
            shown = ""
        elif self.kind == COUNT:
            shown = str(self.units)
        else:
            shown = fixed(self.units, 2)
        if self.divisor == 1:
            numerator = str(self.raw_numerator)
        else:
            numerator = plain_number(Fraction(self.raw_numerator, self.divisor))
        den = "" if self.denominator is None else str(self.denominator)
        return (self.unit, self.period, self.code, numerator, den, shown)

    def __repr__(self) -> str:
        return f"IndicatorValue{self.as_csv()!r}"


def indicator_value(indicator: Indicator, unit: str, period: str, totals: dict[str, int]) -> IndicatorValue:
    """Derive one indicator from the rolled-up measures of a unit and period (exact integers)."""
    raw = int(totals.get(indicator.numerator, 0))
    if indicator.kind == COUNT:
        return IndicatorValue(unit, period, indicator.code, raw, 1, None, raw, COUNT)
    denominator = int(totals.get(indicator.denominator or "", 0))
    divisor = indicator.numerator_divisor
    units = round_ratio(raw * indicator.scale, denominator * divisor, 2) if denominator else None
    return IndicatorValue(unit, period, indicator.code, raw, divisor, denominator, units, indicator.kind)


def indicator_rows(
    unit_codes: Sequence[str], period_keys: Sequence[str], totals: dict[tuple[str, str], dict[str, int]]
) -> Iterator[IndicatorValue]:
    """Every unit × period × indicator, in that order (the output contract)."""
    empty: dict[str, int] = {}
    for unit in unit_codes:
        for period in period_keys:
            measures = totals.get((unit, period), empty)
            for indicator in INDICATORS:
                yield indicator_value(indicator, unit, period, measures)


# --- the reference implementation ------------------------------------------------------------------

# A dossier as the measures read it: field name → value (datetimes as local microseconds).
Facts = dict[str, Any]


class _Tree(Protocol):
    """The organisation tree of a file (`cchc.exchange.OrgTree`)."""

    def codes(self) -> list[str]: ...

    def ancestors(self, code: str, *, include_self: bool = False) -> list[str]: ...


class _Period(Protocol):
    """A period in file mode (`cchc.indicators.periods.IndicatorPeriod`)."""

    @property
    def key(self) -> str: ...

    @property
    def a_us(self) -> int: ...

    @property
    def b_us(self) -> int: ...


def _local_us(value: Any) -> int | None:
    if value is None:
        return None
    return value if isinstance(value, int) else datetime_to_local_us(value)


def _pause_units(value: Any) -> int:
    if isinstance(value, int):
        return value
    return int(Decimal(value) * 10**9)


def dossier_facts(row: Any) -> Facts:
    """A row (a `cchc.exchange.DossierRow` or a mapping of the same fields) as the values the
    measures read: datetimes in local microseconds, tam_dung_gio in 1e-9 hours."""
    get = row.get if isinstance(row, dict) else (lambda name: getattr(row, name))
    facts: Facts = {
        name: get(name)
        for name in ("ma_don_vi", "kenh", "ket_qua", "so_lan_bo_sung", *FLAG_COLUMNS, "danh_gia")
    }
    facts["tiep_nhan_luc"] = _local_us(get("tiep_nhan_luc"))
    facts["han_tra"] = _local_us(get("han_tra"))
    facts["ket_thuc_luc"] = _local_us(get("ket_thuc_luc"))
    facts["tam_dung_gio"] = _pause_units(get("tam_dung_gio"))
    return facts


def _holds(cond: Cond, facts: Facts, on_time: bool | None) -> bool:
    name, op, expected = cond
    actual = on_time if name == "dung_han" else facts[name]
    if op == "eq":
        return bool(actual == expected)
    if op == "in":
        return actual in expected
    if op == "set":
        return actual not in (None, "")
    raise ValueError(f"unknown condition op {op!r}")


# The measures that depend on whether a dossier is on time: for a dossier still open they
# depend on the moment it is judged, so the live totals leave them to be counted when read.
ON_TIME_MEASURES = tuple(m.code for m in MEASURES if any(c[0] == "dung_han" for c in m.where))


def measures_for(
    facts: Facts, a_us: int, b_us: int, *, open_judged_later: bool = False
) -> dict[str, int] | None:
    """The measure contributions of one dossier to one period [a, b) — ``b`` being the cut
    min(period end, as-of) of the spec — or None when it is not in S. With ``open_judged_later``
    a dossier still open contributes nothing to `ON_TIME_MEASURES` (the live totals judge open
    dossiers when they are read, at the moment of reading)."""
    receipt, end = facts["tiep_nhan_luc"], facts["ket_thuc_luc"]
    in_r = a_us <= receipt < b_us
    in_f = end is not None and a_us <= end < b_us
    if not (in_r or in_f):
        return None
    pause = facts["tam_dung_gio"]
    judged_at = end if end is not None and end < b_us else b_us
    on_time: bool | None = (
        facts["so_lan_bo_sung"] <= 1 and (judged_at - facts["han_tra"]) * 1000 <= pause * PAUSE_NS_PER_UNIT
    )
    if open_judged_later and end is None:
        on_time = None  # neither on time nor late here
    bases = {"R": in_r, "F": in_f, "S": True}
    out: dict[str, int] = {}
    for measure in MEASURES:
        if not bases[measure.base] or not all(_holds(c, facts, on_time) for c in measure.where):
            continue
        if measure.sum_of == "thoi_gian_ns":
            out[measure.code] = (end - receipt) * 1000 - pause * PAUSE_NS_PER_UNIT
        else:
            out[measure.code] = 1
    return out


def compute_reference(
    orgs: _Tree, rows: Iterable[Any], periods: Iterable[_Period], *, as_of_us: int | None = None
) -> dict[tuple[str, str], dict[str, int]]:
    """Rolled-up measures per (unit code, period key), straight from the spec's definitions:
    every dossier counts for its unit and for every ancestor of it. ``orgs`` is an
    `cchc.exchange.OrgTree`; ``periods`` `cchc.core.periods.CalendarPeriod` objects; each is read
    up to its cut min(end, ``as_of_us``)."""
    bounds = [(p.key, p.a_us, cut_us(p.b_us, as_of_us)) for p in periods]
    ancestors: dict[str, list[str]] = {}
    totals: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        facts = dossier_facts(row)
        unit = facts["ma_don_vi"]
        chain = ancestors.get(unit)
        if chain is None:
            chain = ancestors[unit] = orgs.ancestors(unit, include_self=True)
        for key, a_us, b_us in bounds:
            found = measures_for(facts, a_us, b_us)
            if found is None:
                continue
            for code in chain:
                bucket = totals.setdefault((code, key), {})
                for name, amount in found.items():
                    bucket[name] = bucket.get(name, 0) + amount
    return totals


def cut_us(b_us: int, as_of_us: int | None) -> int:
    """The cut c = min(b, as-of) of a period (docs/specs/dossier-exchange.md)."""
    return b_us if as_of_us is None else min(b_us, as_of_us)


def reference_rows(
    orgs: _Tree, rows: Iterable[Any], periods: Sequence[_Period], *, as_of_us: int | None = None
) -> list[IndicatorValue]:
    totals = compute_reference(orgs, rows, periods, as_of_us=as_of_us)
    return list(indicator_rows(orgs.codes(), [p.key for p in periods], totals))
