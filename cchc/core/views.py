"""Error pages in the site's layout (handler400/403/404/500 in config/urls.py), in Vietnamese.

The 500 page is rendered without the request's context processors: those read the session and
the user's roles from the database, which may be the very thing that failed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {
            "title": "Yêu cầu không hợp lệ",
            "message": "Địa chỉ hoặc dữ liệu gửi lên không hợp lệ. Hãy kiểm tra lại rồi thử lại.",
        },
        status=400,
    )


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


def server_error(request: HttpRequest) -> HttpResponse:
    html = loader.get_template("core/error.html").render(
        {
            "title": "Hệ thống đang gặp sự cố",
            "message": (
                "Đã có lỗi ngoài ý muốn; thao tác vừa rồi không được lưu. Xin thử lại sau ít phút. "
                "Nếu lỗi còn lặp lại, hãy báo cho quản trị hệ thống kèm thời điểm xảy ra."
            ),
            "without_database": True,
        }
    )
    return HttpResponseServerError(html)
