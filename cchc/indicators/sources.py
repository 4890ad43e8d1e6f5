"""Where a bound target's figure comes from, by indicator code (docs/targets.md):

* a dossier indicator of the live engine (`live.py`, `definitions.INDICATORS`: "dung_han",
  "truc_tuyen", …) or `tre_han`, the late share — S_tre_han / S, the complement of `dung_han`
  from the same measures, so that "giảm tỷ lệ hồ sơ quá hạn" has a figure of its own;
* "766" (the total of the service-quality index) or "766:<group>" — `cchc.index766.selectors.
  unit_score`;
* "manual:<code>" — a manually reported indicator, `cchc.manual_indicators.selectors.
  manual_value_by_code`.

The two last sources are other apps; they are imported when a figure is asked for, so that a
missing app fails loudly there (`SourceUnavailable`) and nowhere else. Dossier figures are read
from the live aggregates only (`MeasureTotal`), one grouped query per unit for any number of
periods: never from the dossiers themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Sum

from cchc.core.errors import ServiceError
from cchc.orgs.models import Unit

from . import live
from .definitions import AVERAGE, COUNT, INDICATORS, PERCENT, POINTS, Indicator, indicator_value
from .live_periods import REPORTING_PREFIX
from .models import FIELD_OF, MeasureTotal

LATE = Indicator("tre_han", "Tỷ lệ hồ sơ trễ hạn (%)", "S_tre_han", "S", PERCENT)
DOSSIER_INDICATORS: dict[str, Indicator] = {i.code: i for i in (*INDICATORS, LATE)}
LOWER_IS_BETTER = frozenset({"tre_han", "tg_giai_quyet_tb"})
_766 = re.compile(r"766(?::([a-z0-9_]{1,40}))?")
_MANUAL = re.compile(r"manual:([A-Za-z0-9_-]{1,64})")
UNIT_LABELS = {PERCENT: "%", COUNT: "hồ sơ", AVERAGE: "ngày", POINTS: "điểm"}


class SourceUnavailable(RuntimeError):
    """The app that computes this kind of indicator is not installed or not ready."""


@dataclass(frozen=True)
class Source:
    code: str
    name: str
    family: str  # "dossier", "766" or "manual"
    kind: str  # definitions' kinds, or "number" for manual figures
    higher_is_better: bool = True
    unit_label: str = ""

    @property
    def drillable(self) -> bool:
        return self.family == "dossier"

    @property
    def is_percent(self) -> bool:
        return self.kind == PERCENT


@dataclass(frozen=True)
class Reading:
    value: Decimal | None
    numerator: Decimal | int | None = None
    denominator: int | None = None


EMPTY = Reading(None)


def source_of(code: str, unit: Unit | None = None) -> Source:
    """The source of an indicator code; ServiceError for a code that names nothing.

    A manual code may be defined by several units (each with its own name and measure): with
    ``unit`` the definition is the one whose values that unit reads (`definition_for_unit`:
    active first, then the nearest ancestor); without, the active one nearest the root."""
    code = (code or "").strip()
    if code in DOSSIER_INDICATORS:
        ind = DOSSIER_INDICATORS[code]
        return Source(code, ind.name, "dossier", ind.kind, code not in LOWER_IS_BETTER, UNIT_LABELS[ind.kind])
    m = _766.fullmatch(code)
    if m:
        name = "Chỉ số phục vụ người dân, doanh nghiệp (766): tổng điểm"
        if m[1]:
            groups = groups_766()
            if groups and m[1] not in groups:
                raise ServiceError({"indicator": f"Chỉ số 766 không có nhóm “{m[1]}”."})
            name = f"Chỉ số phục vụ người dân, doanh nghiệp (766): nhóm {groups.get(m[1], m[1])}"
        return Source(code, name, "766", POINTS, True, "điểm")
    m = _MANUAL.fullmatch(code)
    if m:
        definition = _manual_definition(m[1], unit)
        name = definition.name if definition else m[1]
        measure = definition.measure if definition else ""
        kind = PERCENT if measure == "%" else "number"
        return Source(code, f"{name} (báo cáo thủ công)", "manual", kind, True, measure)
    raise ServiceError(
        {
            "indicator": f"Mã chỉ số “{code}” không hợp lệ: dùng mã chỉ số hồ sơ (ví dụ dung_han), "
            "766, 766:<nhóm> hoặc manual:<mã chỉ số báo cáo thủ công>."
        }
    )


def dossier_choices() -> list[tuple[str, str]]:
    return [(code, ind.name) for code, ind in DOSSIER_INDICATORS.items()]


def groups_766() -> dict[str, str]:
    """The 766 index's groups, code → "name (tối đa N điểm)"; empty when the app is absent."""
    try:
        from cchc.index766.formulas import GROUPS
    except ImportError:
        return {}
    return {g.code: f"“{g.name}” (tối đa {g.max_points:f} điểm)" for g in GROUPS}


# --- the other apps, imported when used -----------------------------------------------------------


def _manual_definition(code: str, unit: Unit | None = None):
    try:
        from cchc.manual_indicators.models import ManualIndicator
        from cchc.manual_indicators.rollup import definition_for_unit
    except ImportError:
        return None
    if unit is not None:
        return definition_for_unit(code, unit)
    return ManualIndicator.objects.filter(code=code).order_by("-active", "unit__depth").first()


def manual_definitions_for(unit: Unit) -> list:
    """Manual indicators a target measured at ``unit`` may use: defined at the unit or above."""
    try:
        from cchc.manual_indicators.models import ManualIndicator
    except ImportError:
        return []
    return list(ManualIndicator.objects.filter(unit_id__in=unit.ancestor_ids(), active=True).order_by("name"))


def check_bindable(code: str, unit: Unit) -> Source:
    """The source, refusing a manual indicator that does not apply to ``unit``."""
    source = source_of(code, unit)
    if source.family == "manual":
        try:
            from cchc.manual_indicators.models import ManualIndicator
        except ImportError as exc:
            raise ServiceError({"indicator": "Chức năng chỉ số báo cáo thủ công chưa được cài đặt."}) from exc
        name = code.split(":", 1)[1]
        if not ManualIndicator.objects.filter(code=name, unit_id__in=unit.ancestor_ids()).exists():
            raise ServiceError(
                {"indicator": f"Không có chỉ số báo cáo thủ công mã “{name}” áp dụng cho {unit.name}."}
            )
    return source


def _unit_score(unit: Unit, period_key: str):
    try:
        from cchc.index766.selectors import unit_score
    except ImportError as exc:
        raise SourceUnavailable("Chỉ số 766 chưa sẵn sàng (thiếu cchc.index766.selectors).") from exc
    return unit_score(unit, period_key)


def _manual_value(code: str, unit: Unit, period_key: str):
    try:
        from cchc.manual_indicators.selectors import manual_value_by_code
    except ImportError:
        try:
            from cchc.manual_indicators.rollup import manual_value_by_code
        except ImportError as exc:
            raise SourceUnavailable("Chỉ số báo cáo thủ công chưa sẵn sàng.") from exc
    return manual_value_by_code(code, unit, period_key)


# --- readings ---------------------------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(str(value))


def period_totals(unit: Unit, keys: list[str]) -> dict[str, dict[str, int]]:
    """The measures of ``unit``'s subtree per period: one grouped query on the live aggregates."""
    rows = (
        MeasureTotal.objects.filter(period__in=keys, unit__path__startswith=unit.path)
        .values("period")
        .annotate(**{name: Sum(name) for name in live.FIELDS})
        .order_by()
    )
    out = {}
    for row in rows:
        measures = {code: int(row[field] or 0) for code, field in FIELD_OF.items()}
        measures["F_thoi_gian_ns"] *= live.NS_PER_US
        out[row["period"]] = measures
    return out


def dossier_reading(
    code: str, measures: dict[str, int] | None, unit_code: str = "", key: str = ""
) -> Reading:
    value = indicator_value(DOSSIER_INDICATORS[code], unit_code, key, measures or {})
    return Reading(_decimal(value.value), value.numerator, value.denominator)


def _766_reading(code: str, unit: Unit, key: str) -> Reading:
    score = _unit_score(unit, key)
    if not score:
        return EMPTY
    group = code.partition(":")[2]
    if not group:
        return Reading(_decimal(score.get("total")))
    part = (score.get("groups") or {}).get(group)
    if isinstance(part, dict):  # a group given with its detail: its points
        part = part.get("points", part.get("score", part.get("total")))
    return Reading(_decimal(part))


def manual_key(key: str) -> str | None:
    """The manual indicators' period for a live key: reporting windows only ("BC-2026-H1" →
    "2026-H1", "BC-2026" and the calendar year "2026" → "2026-Y"); None for the others."""
    inner = key.removeprefix(REPORTING_PREFIX)
    if inner.isdigit():
        return f"{inner}-Y"
    if key.startswith(REPORTING_PREFIX) and inner[5:] in ("Q1", "H1", "9M"):
        return inner
    return None


def _manual_reading(code: str, unit: Unit, key: str) -> Reading:
    mkey = manual_key(key)
    if mkey is None:
        return EMPTY
    try:
        found = _manual_value(code.split(":", 1)[1], unit, mkey)
    except ValueError:  # not a period of this indicator's periodicity
        return EMPTY
    if found is None:
        return EMPTY
    get = found.get if isinstance(found, dict) else (lambda name: getattr(found, name, None))
    return Reading(_decimal(get("value")), get("numerator"), get("denominator"))


def readings(code: str, unit: Unit, keys: list[str]) -> dict[str, Reading]:
    """The figure of ``code`` for ``unit`` in each period (EMPTY where there is none)."""
    source = source_of(code, unit)
    if source.family == "dossier":
        totals = period_totals(unit, keys)
        return {k: dossier_reading(code, totals.get(k), unit.code, k) for k in keys}
    if source.family == "766":
        return {k: _766_reading(code, unit, k) for k in keys}
    return {k: _manual_reading(code, unit, k) for k in keys}


def dossiers_behind(unit: Unit, period_key: str, code: str, part: str = "denominator"):
    """The dossiers behind a dossier indicator's numerator or denominator (`live.dossiers_behind`,
    extended to `tre_han`)."""
    if code in {i.code for i in INDICATORS}:
        return live.dossiers_behind(unit, period_key, code, part)
    from cchc.dossiers.models import Dossier

    ind = DOSSIER_INDICATORS[code]
    measure = ind.numerator if part == "numerator" or ind.denominator is None else ind.denominator
    return Dossier.objects.filter(
        live.measure_q(measure, period_key), handling_unit__path__startswith=unit.path
    )


# --- display -----------------------------------------------------------------------------------------


_VN = str.maketrans(",.", ".,")


def format_number(value, places: int = 2) -> str:
    """Vietnamese separators: 1.234 hồ sơ, 96,50 (—, never 0, when there is no figure). Done by
    hand, not with `django.utils.formats.number_format`: a province's table formats thousands of
    numbers and the locale lookups would cost more than the figures themselves."""
    if value is None:
        return "—"
    if isinstance(value, int) and places == 0:
        return f"{value:,}".translate(_VN)
    number = _decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return format(number, f",.{places}f").translate(_VN)


def format_value(source: Source, value) -> str:
    if value is None:
        return "—"
    if source.kind == COUNT:
        return format_number(int(value), 0)
    text = format_number(value)
    if source.kind == PERCENT:
        return f"{text}%"
    return f"{text} {source.unit_label}".strip()
