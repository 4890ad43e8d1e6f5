"""Which province the portal speaks for, and how bad query parameters are refused.

One installation serves one province (settings.CCHC_PORTAL_PROVINCE, a unit code; by default the
first current province of the tree). Every public figure and procedure is of its subtree."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404

from cchc.core.params import int_param
from cchc.orgs.models import Unit, UnitKind


class BadParameter(Exception):
    """A query parameter the page cannot use: answered 400 with this Vietnamese message."""


def province() -> Unit:
    code = getattr(settings, "CCHC_PORTAL_PROVINCE", "")
    units = Unit.objects.current().filter(kind=UnitKind.PROVINCE)
    found = units.filter(code=code).first() if code else units.order_by("pk").first()
    if found is None:
        raise Http404("Cổng công khai chưa được cấu hình: chưa có tỉnh, thành phố nào trong hệ thống.")
    return found


def page_number(params, name: str = "trang") -> int:
    """The page asked for: 1 when absent; a Vietnamese refusal for anything but a whole number ≥ 1."""
    raw = params.get(name)
    if raw in (None, ""):
        return 1
    number = int_param(params, name, minimum=1, maximum=100_000)
    if number is None:
        raise BadParameter(f"Số trang “{raw[:20]}” không hợp lệ: tham số “{name}” phải là số nguyên từ 1.")
    return number


# The national public service portal's page of a procedure: where its forms are downloaded and
# where it is submitted online. A province with its own portal sets CCHC_PORTAL_ONLINE_URL.
NATIONAL_PROCEDURE_URL = (
    "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc={code}"
)


def online_url(code: str) -> str:
    template = getattr(settings, "CCHC_PORTAL_ONLINE_URL", "") or NATIONAL_PROCEDURE_URL
    return template.replace("{code}", code)
