from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBase

from .http import HtmxRequest

PUBLIC_PREFIXES = (
    "/dang-nhap/",
    "/static/",
    "/favicon.ico",
    "/tra-cuu/",
    "/gop-y/",
    "/thanh-toan-mo-phong/",
    "/cong-khai/",
    "/api/",  # the REST API: every endpoint authenticates its client's token itself (cchc.api.auth)
)


class LoginRequiredMiddleware:
    """Every page needs a signed-in user unless it is explicitly public (secure by default:
    a new view cannot be left open by forgetting a decorator)."""

    def __init__(self, get_response: Callable[[HtmxRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HtmxRequest) -> HttpResponseBase:
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            if request.htmx:
                from django.http import HttpResponse

                response = HttpResponse(status=401)
                response["HX-Redirect"] = settings.LOGIN_URL
                return response
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
