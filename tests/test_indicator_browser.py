"""The drill-down journey in a real browser (Debian's headless Chromium driven by Playwright): a
coordinator opens the indicator dashboard of the province, goes down to Sở Tư pháp from the
table of units, then to the dossiers behind its on-time figure, and opens one of them.

Set CCHC_SCREENSHOTS=<directory> to keep screenshots of the pages."""

from __future__ import annotations

import os

import pytest

from cchc.indicators import live
from cchc.indicators.sources import dossiers_behind

from .test_browser import CHROMIUM, CHROMIUM_FLAGS, login, playwright_api
from .test_dossier_browser import shot
from .test_indicator_pages import PERIOD, make_dossiers

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser


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


def test_coordinator_drills_down_from_the_province_to_the_dossiers(browser, live_server, tree, users):
    make_dossiers(tree, users)
    agency = tree.agency("STP")
    on_time = sorted(dossiers_behind(agency, PERIOD, "dung_han", "numerator").values_list("code", flat=True))
    assert len(on_time) == live.unit_values(agency, PERIOD)["dung_han"].raw_numerator == 4

    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        login(page, live_server, users.coordinator.username)
        page.wait_for_url("**/ke-hoach/")
        page.goto(f"{live_server.url}/chi-so/?ky={PERIOD}")
        assert page.locator("h1").inner_text() == "Chỉ số giải quyết hồ sơ: Tỉnh Đồng Nai"
        assert page.locator("#chi-so-dung_han td[data-label='Giá trị']").inner_text() == "57,14%"
        assert page.locator("svg.chart.bars").count() == 1
        shot(page, "chi-so-tinh")

        # down to the agency, from the table of the province's units
        page.locator("#don-vi").get_by_role("link", name="Sở Tư pháp", exact=True).click()
        page.wait_for_url(f"**/chi-so/?don_vi={agency.pk}*")
        assert page.locator("h1").inner_text() == "Chỉ số giải quyết hồ sơ: Sở Tư pháp"
        assert "Tỉnh Đồng Nai" in page.locator("#duong-dan").inner_text()
        shot(page, "chi-so-so-tu-phap")

        # down to the dossiers behind the on-time figure (its numerator)
        page.locator("#chi-so-dung_han td[data-label='Tử số'] a").click()
        page.wait_for_url("**/chi-so/ho-so/**")
        assert "Tỷ lệ hồ sơ đúng hạn (%)" in page.locator("h1").inner_text()
        listed = sorted(page.locator("#ho-so code").all_inner_texts())
        assert listed == on_time
        assert page.locator("#ho-so .on-time").count() == 4 and page.locator("#ho-so .late").count() == 0
        shot(page, "chi-so-ho-so")

        page.locator("#ho-so").get_by_role("link", name=on_time[0]).click()
        page.wait_for_url(f"**/ho-so/{on_time[0]}/")
        assert on_time[0] in page.content()
    finally:
        context.close()
