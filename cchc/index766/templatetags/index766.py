"""Numbers as Vietnamese readers write them: 23.475 hồ sơ, 57,10 điểm. Django's "vi" locale has no
NUMBER_GROUPING, so its own formatting would print 23475."""

from decimal import Decimal

from django import template

register = template.Library()


def vn_number(value, decimals: int = 0) -> str:
    text = f"{Decimal(value):,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


@register.filter
def count(value) -> str:
    """An integer with "." between thousands; "—" when there is none."""
    return "—" if value is None or value == "" else vn_number(value, 0)


@register.filter
def points(value) -> str:
    """A score with 2 decimals after a comma; "—" when there is none."""
    return "—" if value is None or value == "" else vn_number(value, 2)


@register.filter
def maximum(value) -> str:
    """A maximum as written in the spec: 6, 2,5."""
    return (
        vn_number(value, 0) if Decimal(value) == Decimal(value).to_integral_value() else vn_number(value, 1)
    )
