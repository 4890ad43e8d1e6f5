from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key: str):
    """``mapping[key]`` in a template (an empty list when absent)."""
    return (mapping or {}).get(key, [])
