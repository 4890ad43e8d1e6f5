"""The 400/403/404/500 pages: Vietnamese, in the site's layout; the 500 page needs no database."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from cchc.core import views

from .conftest import PASSWORD


def _in_layout(html: str) -> None:
    assert '<html lang="vi">' in html and "cchc/app.css" in html and "Về trang chính" in html


def test_500_page_renders_without_the_database():
    # No `db` fixture: pytest-django refuses any query here, as a database that is down would.
    response = views.server_error(RequestFactory().get("/ke-hoach/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in html and "không được lưu" in html
    _in_layout(html)


def test_bad_host_gets_the_vietnamese_400_page(client, db):
    response = client.get("/dang-nhap/", HTTP_HOST="ke-gian.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Yêu cầu không hợp lệ" in html
    _in_layout(html)


def test_unknown_address_and_forbidden_unit_in_vietnamese(client, tree, users):
    client.login(username="canbo.tuphap", password=PASSWORD)
    missing = client.get("/ke-hoach/999999/")
    assert missing.status_code == 404 and "Không tìm thấy" in missing.content.decode()
    _in_layout(missing.content.decode())
    other = client.get(f"/don-vi/{tree.other_province.pk}/")
    assert other.status_code == 403 and "Không có quyền truy cập" in other.content.decode()
    _in_layout(other.content.decode())


@pytest.mark.parametrize("handler", ["handler400", "handler403", "handler404", "handler500"])
def test_every_error_handler_is_ours(handler):
    import config.urls

    assert getattr(config.urls, handler).startswith("cchc.core.views.")
