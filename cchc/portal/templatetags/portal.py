"""The portal layout's one lookup: the province it speaks for (loaded only by portal/base.html,
so that the dossier and CCHC index public pages get the header without passing it)."""

from __future__ import annotations

from django import template
from django.http import Http404

from ..site import province

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_province_name(context) -> str:
    unit = context.get("province")
    if unit is None:
        try:
            unit = province()
        except Http404:
            return "Cổng thông tin cải cách hành chính"
    return unit.name
