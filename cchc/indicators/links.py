"""Addresses of the indicator pages, with the site's query parameters (docs/glossary.md, "Query
parameters"): ``don_vi`` (unit id or code), ``ky`` (period key), ``sap_xep`` (the indicator the
children are sorted on), ``ma`` (indicator code) and ``phan`` (``tu_so`` numerator, ``mau_so``
denominator). Every link to these pages is built here or by the form of the dashboard."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

# the part of a figure, as the address writes it ↔ as the code names it
PART_OF_PARAM = {"tu_so": "numerator", "mau_so": "denominator"}
PARAM_OF_PART = {part: param for param, part in PART_OF_PARAM.items()}


def dashboard_query(unit_id: int | str, period_key: str, sort: str = "") -> str:
    params = {"don_vi": unit_id, "ky": period_key}
    return urlencode(params | {"sap_xep": sort} if sort else params)


def dossiers_url(
    unit_id: int | str, period_key: str, code: str, part: str = "numerator", base: str = ""
) -> str:
    """The dossiers behind a figure; ``base`` (the reversed path) saves a `reverse` per cell of a
    table."""
    query = urlencode({"don_vi": unit_id, "ky": period_key, "ma": code, "phan": PARAM_OF_PART[part]})
    return f"{base or reverse('indicators:dossiers')}?{query}"
