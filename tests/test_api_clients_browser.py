"""The API clients page (/ung-dung-ket-noi/) as an administrator uses it, in a real browser
(Debian's headless Chromium, Playwright, under the strict Content-Security-Policy): register a
client, see its token once — and it works — then revoke it, and the token no longer opens the API."""

from __future__ import annotations

import os

import pytest

from cchc.api.models import ApiClient

from . import test_browser
from .test_browser import login
from .test_dossier_browser import shot

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser
browser = test_browser.browser  # the shared fixtures: Debian's Chromium, and a page that fails
page = test_browser.page  # the test on anything the Content-Security-Policy blocks


def _api(page, live_server, token: str, path: str = "/api/v1/units"):
    return page.request.get(f"{live_server.url}{path}", headers={"Authorization": f"Bearer {token}"})


def test_register_a_client_see_the_token_once_and_revoke_it(page, live_server, tree, users):
    login(page, live_server, users.admin.username)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/ung-dung-ket-noi/")
    assert page.locator("h1").inner_text() == "Ứng dụng kết nối (API)"
    assert "Chưa có ứng dụng nào." in page.content()

    page.get_by_text("Đăng ký ứng dụng mới").click()
    page.get_by_label("Tên ứng dụng").fill("Một cửa điện tử tỉnh")
    page.get_by_label("Mã đơn vị", exact=False).fill("P75")
    page.get_by_label("Đọc và ghi", exact=False).check()
    page.get_by_role("button", name="Đăng ký và tạo mã truy cập").click()
    page.wait_for_load_state()

    # the token, once, on the page that answers the registration
    card = page.locator("#ma-truy-cap")
    assert "Đã đăng ký “Một cửa điện tử tỉnh”" in card.inner_text()
    assert "chỉ hiện một lần" in card.inner_text()
    token = page.locator("#token").input_value()
    assert len(token) >= 32
    client = ApiClient.objects.get()
    assert client.unit == tree.province and client.can_write
    assert token not in (client.token_hash or "")  # only its hash is stored
    shot(page, "ung-dung-ket-noi-ma-truy-cap")
    assert _api(page, live_server, token).status == 200

    # never again: the list shows the first characters only
    page.goto(f"{live_server.url}/ung-dung-ket-noi/")
    assert page.locator("#token").count() == 0
    assert token not in page.content()
    row = page.locator("tr", has_text="Một cửa điện tử tỉnh")
    assert f"{client.token_prefix}…" in row.inner_text()
    assert "Đang hoạt động" in row.inner_text()

    # revoked: asked to confirm, then the token opens nothing
    page.once("dialog", lambda d: d.accept())
    row.get_by_role("button", name="Thu hồi").click()
    page.wait_for_url("**/ung-dung-ket-noi/")
    assert "Đã thu hồi quyền truy cập của “Một cửa điện tử tỉnh”" in page.content()
    assert "Đã thu hồi" in page.locator("tr", has_text="Một cửa điện tử tỉnh").inner_text()
    assert (
        page.locator("tr", has_text="Một cửa điện tử tỉnh").get_by_role("button", name="Thu hồi").count() == 0
    )
    client.refresh_from_db()
    assert client.revoked_at is not None
    assert _api(page, live_server, token).status == 401
