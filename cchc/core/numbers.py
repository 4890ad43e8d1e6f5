"""Numbers as Vietnamese readers write them: 1.234 hồ sơ, 96,50%."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

_VN = str.maketrans(",.", ".,")


def to_decimal(value: object) -> Decimal | None:
    """A figure (int, float, Decimal, Fraction, numeric text) as a Decimal; None stays None."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(str(value))


def format_number(value: object, places: int = 2) -> str:
    """Vietnamese separators: 1.234 hồ sơ, 96,50 (—, never 0, when there is no figure). Done by
    hand, not with `django.utils.formats.number_format`: a province's table formats thousands of
    numbers and the locale lookups would cost more than the figures themselves."""
    if value is None:
        return "—"
    if isinstance(value, int) and places == 0:
        return f"{value:,}".translate(_VN)
    number = to_decimal(value)
    assert number is not None
    number = number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return format(number, f",.{places}f").translate(_VN)


def format_count(value: int) -> str:
    """A count in a sentence: "Đã nhập 1.993 thủ tục" (an f-string would write 1993)."""
    return format_number(int(value), 0)
