"""The one-stop journey in a real browser (Debian's headless Chromium driven by Playwright): a
desk officer receives a dossier, then a citizen — another browser context, not signed in —
looks it up by its code and the last 4 digits of the phone and sees its state and due date,
never the applicant's ID number or address.

Set CCHC_SCREENSHOTS=<directory> to keep screenshots of the pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.cache import cache

from .test_browser import CHROMIUM, CHROMIUM_FLAGS, login, playwright_api
from .test_dossiers_support import make_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser

SHOTS = os.environ.get("CCHC_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


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


def new_page(browser, **kw):
    context = browser.new_context(locale="vi-VN", accept_downloads=True, **kw)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


ID_NUMBER = "079190001234"
ADDRESS = "25 Hùng Vương, Phường Đồng Xoài"


def test_desk_receives_and_citizen_looks_it_up(browser, live_server, tree, users):
    cache.clear()
    w = make_world(tree, users)
    staff, page = new_page(browser)
    try:
        login(page, live_server, w.desk_officer.username)
        page.wait_for_url("**/theo-doi/cua-toi/")
        page.locator("header nav").get_by_role("link", name="Hồ sơ", exact=True).click()
        page.wait_for_url("**/ho-so/")
        page.get_by_role("link", name="+ Tiếp nhận hồ sơ").click()
        page.wait_for_url("**/ho-so/tiep-nhan/")
        page.fill("#procedure-filter", "khai sinh")
        page.select_option("#id_procedure", str(w.procedure.pk))
        page.fill("#id_applicant_name", "Lê Thị Hoa")
        page.fill("#id_applicant_id_number", ID_NUMBER)
        page.fill("#id_applicant_phone", "0987 654 321")
        page.fill("#id_applicant_address", ADDRESS)
        page.check("#id_vneid_authenticated")
        for component in w.procedure.components.all():  # the checklist: both handed in
            page.check(f"#tp-{component.pk}")
        shot(page, "1-tiep-nhan")
        page.get_by_role("button", name="Ghi nhận").click()
        page.wait_for_selector("text=Đã tiếp nhận hồ sơ")
        code = page.locator("h1 code").inner_text()
        appointment = page.locator("#appointment").inner_text()
        assert code.startswith("P75.STP-") and appointment
        assert page.locator("#dossier-state").inner_text() == "Đã tiếp nhận"
        assert ID_NUMBER in page.locator("#applicant").inner_text()  # the desk handles it
        with page.expect_download() as download:
            page.locator("#documents").get_by_role("link", name="DOCX").first.click()
        assert download.value.suggested_filename == f"mau-01-{code}.docx"
        shot(page, "2-ho-so")
        page.locator("header nav").get_by_role("link", name="Hồ sơ", exact=True).click()
        assert code in page.locator("#dossiers").inner_text()
        shot(page, "4-danh-sach")
    finally:
        staff.close()

    citizen, page = new_page(browser, viewport={"width": 390, "height": 844})
    try:
        page.goto(f"{live_server.url}/dang-nhap/")
        page.get_by_role("link", name="Tra cứu hồ sơ").click()
        page.wait_for_url("**/tra-cuu/")
        # wrong digits first: the generic answer
        page.fill("#id_code", code)
        page.fill("#id_phone_last_digits", "1111")
        page.get_by_role("button", name="Tra cứu").click()
        assert "Không tìm thấy hồ sơ" in page.locator("#lookup-error").inner_text()
        page.fill("#id_code", code)
        page.fill("#id_phone_last_digits", "4321")
        page.get_by_role("button", name="Tra cứu").click()
        page.wait_for_url(f"**/tra-cuu/{code}/")
        assert page.locator("#public-state").inner_text() == "Đã tiếp nhận"
        assert appointment.split(" ")[-1] in page.locator("#public-due").inner_text()
        html = page.content()
        for secret in (ID_NUMBER, ADDRESS, "Lê Thị Hoa", "0987654321"):
            assert secret not in html
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"page overflows a phone screen: {width}px"
        shot(page, "3-tra-cuu")
        # the fee is paid through the simulated gateway, clearly labelled as such
        page.get_by_role("button", name="Thanh toán trực tuyến").click()
        page.wait_for_url("**/thanh-toan-mo-phong/*/")
        assert (
            "Cổng thanh toán mô phỏng — chỉ dùng cho trình diễn"
            in page.locator(".simulated-banner").inner_text()
        )
        shot(page, "5-cong-thanh-toan")
        page.get_by_role("button", name="Thanh toán thành công").click()
        page.wait_for_selector("text=Đã thanh toán phí, lệ phí.")
    finally:
        citizen.close()
