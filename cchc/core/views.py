"""Error pages in the site's layout (handler403/handler404 in config/urls.py)."""

from django.shortcuts import render


def forbidden(request, exception=None):
    return render(
        request,
        "core/error.html",
        {
            "title": "Không có quyền truy cập",
            "message": str(exception or "") or "Bạn không có quyền xem trang này.",
        },
        status=403,
    )


def not_found(request, exception=None):
    return render(
        request,
        "core/error.html",
        {"title": "Không tìm thấy", "message": "Trang hoặc dữ liệu bạn tìm không tồn tại."},
        status=404,
    )
