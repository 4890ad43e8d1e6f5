"""Checks of what people type into definitions and reports; each message names its field."""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from fractions import Fraction

from cchc.core.text import nfc
from cchc.orgs.models import UnitKind

from .models import Aggregation, Kind, ManualIndicator, Periodicity
from .rollup import round_half_up

CODE_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*", re.ASCII)
# Figures stay far below 2^63 even when a whole country's reports are added up.
MAX_FIGURE = 10**15
UNIT_KIND_ORDER = [k.value for k in UnitKind]


def clean_definition(data: dict) -> tuple[dict, dict[str, str]]:
    """Normalised definition fields and the errors found (field → message)."""
    errors: dict[str, str] = {}
    out = dict(data)
    code = (data.get("code") or "").strip().lower()
    out["code"] = code
    if not code:
        errors["code"] = "Mã chỉ số không được để trống."
    elif len(code) > 64 or not CODE_RE.fullmatch(code):
        errors["code"] = (
            "Mã chỉ số chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang, tối đa 64 ký tự "
            "(ví dụ: ty-le-van-ban-ky-so)."
        )
    out["name"] = nfc(data.get("name"))
    if not out["name"]:
        errors["name"] = "Tên chỉ số không được để trống."
    elif len(out["name"]) > 255:
        errors["name"] = "Tên chỉ số dài quá 255 ký tự."
    out["guidance"] = "\n".join(nfc(line) for line in (data.get("guidance") or "").splitlines()).strip()
    kind = data.get("kind")
    if kind not in Kind.values:
        errors["kind"] = "Chọn loại chỉ số."
    if data.get("periodicity") not in Periodicity.values:
        errors["periodicity"] = "Chọn kỳ báo cáo của chỉ số."
    for name in ("numerator_label", "denominator_label", "unit_of_measure"):
        out[name] = nfc(data.get(name))
    if kind == Kind.RATIO:
        if not out["numerator_label"]:
            errors["numerator_label"] = "Chỉ số tỷ lệ cần tên tử số (ví dụ: Số văn bản được ký số)."
        if not out["denominator_label"]:
            errors["denominator_label"] = "Chỉ số tỷ lệ cần tên mẫu số (ví dụ: Tổng số văn bản đi)."
    else:
        out["numerator_label"] = out["denominator_label"] = ""
    if kind in (Kind.RATIO, Kind.PERCENT):
        out["unit_of_measure"] = ""
    elif kind == Kind.NUMBER and not out["unit_of_measure"]:
        errors["unit_of_measure"] = "Số liệu cần đơn vị tính (ví dụ: triệu đồng, giờ)."
    if len(out["unit_of_measure"]) > 32:
        errors["unit_of_measure"] = "Đơn vị tính dài quá 32 ký tự."
    for name in ("numerator_label", "denominator_label"):
        if len(out[name]) > 255:
            errors[name] = "Tên dài quá 255 ký tự."
    aggregation = data.get("aggregation") or Aggregation.SUM
    if aggregation not in Aggregation.values:
        errors["aggregation"] = "Chọn cách tổng hợp: cộng hoặc bình quân."
    out["aggregation"] = aggregation if kind == Kind.NUMBER else Aggregation.SUM
    kinds = list(data.get("unit_kinds") or [])
    unknown = [k for k in kinds if k not in UNIT_KIND_ORDER]
    if unknown:
        errors["unit_kinds"] = f"Loại đơn vị không hợp lệ: {', '.join(map(str, unknown))}."
    out["unit_kinds"] = [k for k in UNIT_KIND_ORDER if k in kinds]
    out["active"] = bool(data.get("active", True))
    return out, errors


def _integer(raw, label: str, errors: dict, field: str) -> int | None:
    if raw is None or raw == "":
        errors[field] = f"{label}: chưa nhập số liệu."
        return None
    if isinstance(raw, bool):
        raw = "x"  # True is not a figure
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        errors[field] = f"{label} phải là số nguyên (không có phần thập phân)."
        return None
    if number < 0:
        errors[field] = f"{label} không được âm."
        return None
    if number > MAX_FIGURE:
        errors[field] = f"{label} quá lớn (tối đa {MAX_FIGURE:,}).".replace(",", ".")
        return None
    return int(number)


def _decimal(raw, label: str, errors: dict, field: str) -> Decimal | None:
    if raw is None or raw == "":
        errors[field] = f"{label}: chưa nhập số liệu."
        return None
    try:
        number = None if isinstance(raw, bool | float) else Decimal(str(raw).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        errors[field] = f"{label} phải là một số."
        return None
    if number < 0:
        errors[field] = f"{label} không được âm."
        return None
    if number > MAX_FIGURE:
        errors[field] = f"{label} quá lớn."
        return None
    if number != number.quantize(Decimal("0.01"), rounding=ROUND_DOWN):
        errors[field] = f"{label} chỉ được có tối đa 2 chữ số thập phân."
        return None
    return number.quantize(Decimal("0.01"))


def value_label(definition: ManualIndicator) -> str:
    if definition.is_percentage:
        return "Tỷ lệ (%)"
    if definition.kind == Kind.COUNT:
        return f"Số lượng ({definition.unit_of_measure})" if definition.unit_of_measure else "Số lượng"
    return f"Giá trị ({definition.unit_of_measure})"


def clean_figures(
    definition: ManualIndicator, numerator, denominator, value
) -> tuple[int | None, int | None, Decimal, dict[str, str]]:
    """(numerator, denominator, value, errors) for a report of `definition`.

    Ratio: two integers ≥ 0, denominator > 0, numerator ≤ denominator; the value is computed.
    Plain percentage: a number from 0 to 100. Count: an integer ≥ 0. Number: a number ≥ 0.
    """
    errors: dict[str, str] = {}
    if definition.kind == Kind.RATIO:
        n_label = f"Tử số ({definition.numerator_label})"
        d_label = f"Mẫu số ({definition.denominator_label})"
        n = _integer(numerator, n_label, errors, "numerator")
        d = _integer(denominator, d_label, errors, "denominator")
        if d == 0:
            errors["denominator"] = f"{d_label} phải lớn hơn 0."
        if n is not None and d and n > d:
            errors["numerator"] = f"{n_label} không được lớn hơn mẫu số ({n:,} > {d:,}).".replace(",", ".")
        if errors:
            return None, None, Decimal(0), errors
        return n, d, round_half_up(Fraction(100 * n, d)), errors
    label = value_label(definition)
    if definition.kind == Kind.COUNT:
        v = _integer(value, label, errors, "value")
        return None, None, Decimal(v or 0).quantize(Decimal("0.01")), errors
    v = _decimal(value, label, errors, "value")
    if v is not None and definition.kind == Kind.PERCENT and v > 100:
        errors["value"] = f"{label} phải trong khoảng từ 0 đến 100."
    return None, None, v if v is not None else Decimal(0), errors
