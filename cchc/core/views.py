"""Error pages in the site's layout (handler403/handler404 in config/urls.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {
            "title": "Không có quyền truy cập",
            "message": str(exception or "") or "Bạn không có quyền xem trang này.",
        },
        status=403,
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"title": "Không tìm thấy", "message": "Trang hoặc dữ liệu bạn tìm không tồn tại."},
        status=404,
    )
