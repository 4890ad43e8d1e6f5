"""Figures as Vietnamese readers write them: 1.234 cuộc, 97,50%.

Django's "vi" locale has no NUMBER_GROUPING, so `number_format` would print 1234; the grouping
is done here instead (thousands with ".", decimals with ",").
"""

from decimal import Decimal

from django import template

from ..models import Kind

register = template.Library()


def vn_number(value, decimals: int) -> str:
    text = f"{Decimal(value):,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


@register.filter
def integer(value) -> str:
    return "" if value is None or value == "" else vn_number(value, 0)


@register.filter
def figure(value, definition) -> str:
    """A value of `definition` with its measure; "—" when there is none."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    if definition.is_percentage:
        return f"{vn_number(value, 2)}%"
    decimals = 0 if definition.kind == Kind.COUNT or value == value.to_integral_value() else 2
    return f"{vn_number(value, decimals)} {definition.unit_of_measure}".strip()
