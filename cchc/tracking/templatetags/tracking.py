from django import template

from ..status import Status

register = template.Library()
_LABELS = dict(Status.choices)


@register.filter
def status_label(value: str) -> str:
    return _LABELS.get(value, value)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, 0) if mapping else 0
