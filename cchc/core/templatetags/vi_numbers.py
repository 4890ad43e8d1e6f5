"""`{{ n|so }}`: a count or figure a person reads, as Vietnamese readers write it (1.993 hồ sơ,
96,50). Settings keep NUMBER_GROUPING = 0 so that identifiers a template prints (keys in option
values, anchors) stay plain (docs/decisions.md): grouping is asked for where a figure is shown,
with this filter, never on ids, years or codes. A builtin (config/settings), so no template
needs to load it."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django import template

from cchc.core.numbers import format_count, format_number

register = template.Library()


@register.filter(name="so")
def so(value: object, places: int | str | None = None) -> object:
    """An int → 1.993; a decimal figure → 2 places (or `places`: `{{ x|so:1 }}` → 96,5); None →
    "—"; text (a figure already written out, "—") is shown as it is."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if isinstance(value, int) and places is None:
        return format_count(value)
    if isinstance(value, int | float | Decimal | Fraction):
        return format_number(value, 2 if places is None else int(places))
    return value
