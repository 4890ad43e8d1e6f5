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
    "/y-kien/",  # the survey answer form (cchc.surveys.views_public)
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


class ContentSecurityPolicyMiddleware:
    """Send `settings.CCHC_CONTENT_SECURITY_POLICY` on every response that has none: scripts only
    from our own static files (no inline script, no inline event handler — tests/test_templates_csp.py
    keeps the templates that way), nothing framed, forms posted only to us. Inline `style`
    attributes stay allowed: they cannot run code."""

    def __init__(self, get_response: Callable[[HtmxRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.policy = getattr(settings, "CCHC_CONTENT_SECURITY_POLICY", "")

    def __call__(self, request: HtmxRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


class RequestBodyLimitMiddleware:
    """Refuse, before reading it, a request body larger than `settings.CCHC_MAX_REQUEST_BYTES`
    (413 with a Vietnamese page). Uploads are checked file by file later (20 MB each), but by
    then a 2 GB body would already have been spooled to disk; the reverse proxy should cap
    bodies too (docs/operations.md), this is the application's own guard."""

    def __init__(self, get_response: Callable[[HtmxRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.limit = int(getattr(settings, "CCHC_MAX_REQUEST_BYTES", 0))

    def __call__(self, request: HtmxRequest) -> HttpResponseBase:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if self.limit and length > self.limit:
            from django.shortcuts import render

            megabytes = self.limit // (1024 * 1024)
            return render(
                request,
                "core/error.html",
                {"title": "Dữ liệu gửi lên quá lớn", "message": f"Mỗi lần gửi tối đa {megabytes} MB."},
                status=413,
            )
        return self.get_response(request)
