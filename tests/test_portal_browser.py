"""The public portal on a phone-sized screen in a real browser (Debian's headless Chromium,
Playwright): the skip link by keyboard, a search typed without accents, a procedure's page, the
scoreboard — and no page wider than the screen. Set CCHC_SCREENSHOTS=<directory> to keep
screenshots."""

from __future__ import annotations

import os

import pytest

from .test_browser import CHROMIUM, CHROMIUM_FLAGS, playwright_api
from .test_dossier_browser import shot
from .test_dossiers_support import make_procedure

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make test` (scripts/ensure-chromium.sh installs it)"
        )
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_citizen_finds_a_procedure_on_a_phone(browser, live_server, tree):
    p = make_procedure(tree.agency("STP"), code="1.000123", name="Cấp giấy phép kinh doanh rượu")
    make_procedure(tree.agency("SCT"), code="1.000124", name="Đăng ký dấu nghiệp vụ")
    context = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/cong-khai/")
        assert page.locator("html").get_attribute("lang") == "vi"
        assert "Tỉnh Đồng Nai" in page.locator("header").inner_text()
        # the first Tab reaches the skip link, Enter moves to the content
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        assert page.locator(".skip-link").is_visible()
        page.keyboard.press("Enter")
        page.wait_for_url("**#noi-dung")
        assert page.evaluate("document.activeElement.id") == "noi-dung"
        assert fits_the_screen(page)

        page.get_by_label("Tìm thủ tục hành chính (tên hoặc mã, gõ có dấu hoặc không dấu)").fill("cap giay")
        page.get_by_role("button", name="Tìm kiếm").click()
        page.wait_for_url("**/cong-khai/thu-tuc/?q=cap+giay")
        results = page.locator(".procedure-list li")
        assert results.count() == 1 and "Cấp giấy phép kinh doanh rượu" in results.first.inner_text()
        assert fits_the_screen(page)
        shot(page, "cong-khai-tim-thu-tuc")

        results.first.get_by_role("link").click()
        page.wait_for_url(f"**/cong-khai/thu-tuc/{p.pk}/")
        assert page.locator("#procedure-code").inner_text() == "1.000123"
        assert page.locator("#online-link").is_visible()
        assert fits_the_screen(page)
        shot(page, "cong-khai-thu-tuc")

        page.get_by_role("link", name="Kết quả giải quyết hồ sơ").click()
        page.wait_for_url("**/cong-khai/ket-qua-giai-quyet/")
        assert page.locator("#province-figures .stat").count() >= 4
        assert fits_the_screen(page)
        shot(page, "cong-khai-xep-hang")

        page.get_by_role("link", name="Tiến độ cải cách").click()
        page.wait_for_url("**/cong-khai/tien-do-cai-cach/")
        assert fits_the_screen(page)
    finally:
        context.close()
