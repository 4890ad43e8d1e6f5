"""What a first-time user sees (issue 14), in a real browser (Debian's headless Chromium driven
by Playwright): long operations disable their button and show progress; a download shows how
much has arrived; the leader lands on a dashboard; dashboards and charts fit a 390 px phone; a
citizen sends feedback to an agency without any code."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cchc.dossiers.models import Feedback

from .test_browser import CHROMIUM, CHROMIUM_FLAGS, login, playwright_api
from .test_dossiers_support import make_world
from .test_indicator_pages import PERIOD, make_dossiers

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser
PLANS = Path(__file__).resolve().parent / "fixtures" / "plans"


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


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert not blocked, f"blocked by the Content-Security-Policy: {blocked}"


RECORD_WHILE_BUSY = """
() => {
  const seen = [];
  document.addEventListener("submit", (e) => {
    seen.push(e.defaultPrevented ? "refused" : "sent");
    sessionStorage.setItem("submits", JSON.stringify(seen));
    if (seen.length > 1) return;
    const form = e.target;
    setTimeout(() => {
      const button = form.querySelector("button[type=submit]");
      sessionStorage.setItem("busy", JSON.stringify({
        disabled: button.disabled, text: button.textContent, ariaBusy: form.getAttribute("aria-busy"),
        bar: !!form.querySelector("progress.busy-progress"),
      }));
      form.requestSubmit();  // a second submission while the first runs
    }, 50);
  });
}
"""


def test_plan_import_disables_its_button_and_shows_progress(page, live_server, tree, users):
    login(page, live_server, users.coordinator.username)
    page.wait_for_url("**/ke-hoach/")
    page.goto(f"{live_server.url}/ke-hoach/nhap/")
    page.evaluate(RECORD_WHILE_BUSY)  # what the page looked like while the upload ran, kept for later
    page.set_input_files("input[type=file]", str(PLANS / "xa-locninh-2025-2026.docx"))
    page.get_by_role("button", name="Đọc văn bản").click()
    page.wait_for_url("**/ke-hoach/nhap/xem-lai/")
    busy = page.evaluate("JSON.parse(sessionStorage.getItem('busy'))")
    assert busy == {"disabled": True, "text": "Đang đọc văn bản…", "ariaBusy": "true", "bar": True}
    assert page.evaluate("JSON.parse(sessionStorage.getItem('submits'))") == ["sent", "refused"]
    assert page.locator("#import-review").count() == 1


def test_an_export_shows_what_has_arrived_and_downloads_once(page, live_server, issued_plan, users):
    """A direct download (the officer's own tasks as Excel; a plan's dashboard goes through a
    background job instead): the button waits, shows what has arrived, and is clicked once."""
    held = []
    page.route("**/theo-doi/cua-toi/?xuat=xlsx", lambda route: held.append(route))
    login(page, live_server, users.officer.username)
    page.goto(f"{live_server.url}/theo-doi/cua-toi/")
    link = page.locator("a[data-busy][href='?xuat=xlsx']")
    link.click(no_wait_after=True)
    page.wait_for_selector("progress.busy-progress")
    assert link.get_attribute("aria-disabled") == "true" and link.inner_text() == "Đang tạo tệp Excel…"
    with page.expect_download() as download_info:
        held[0].continue_()
    download = download_info.value
    assert download.suggested_filename.startswith("nhiem-vu-cua-toi-")
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert book.sheetnames == ["Nhiệm vụ"]
    page.wait_for_selector("text=Đã tải xong")
    assert link.get_attribute("aria-disabled") is None and link.inner_text() == "Xuất Excel"
    assert len(held) == 1


def _no_horizontal_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide on a 390 px phone"


def test_the_leader_lands_on_the_dashboard_and_charts_fit_a_phone(
    browser, live_server, tree, users, issued_plan
):
    make_dossiers(tree, users)
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        login(page, live_server, users.leader.username)
        page.wait_for_url("**/chi-so/")
        assert page.locator("h1").inner_text().startswith("Chỉ số giải quyết hồ sơ")
        for path in (
            f"/chi-so/?ky={PERIOD}",
            f"/chi-so/?ky={PERIOD}&don_vi={tree.agency('STP').pk}",
            f"/theo-doi/ke-hoach/{issued_plan.pk}/",
            "/ke-hoach/",
        ):
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state()
            _no_horizontal_overflow(page)
            for chart in page.locator("svg.chart").all():
                box = chart.bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    finally:
        context.close()


def test_a_citizen_sends_feedback_to_an_agency_without_any_code(page, live_server, tree, users):
    world = make_world(tree, users)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/gop-y/")
    _no_horizontal_overflow(page)
    page.select_option("#id_agency", label=world.agency.name)
    page.fill("#id_content", "Đề nghị niêm yết rõ mức lệ phí tại bộ phận một cửa.")
    page.fill("#id_sender_name", "Trần Văn D")
    page.fill("#id_sender_phone", "0977000111")
    page.get_by_role("button", name="Gửi").click()
    page.wait_for_url("**/gop-y/da-gui/")
    fb = Feedback.objects.get()
    assert fb.unit == world.agency and fb.code in page.content()
