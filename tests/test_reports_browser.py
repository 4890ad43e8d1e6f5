"""Periodic reports in a real browser (Debian's headless Chromium, Playwright): an agency and a
commune open their quarterly reports (drafted from their progress), complete and send them; the
province's coordinator returns one, accepts it once fixed, accepts the other, opens the
province's consolidated report and downloads it as DOCX and its annex as XLSX (each made by a
background job, whose page offers the file)."""

from __future__ import annotations

import io
import os

import pytest
from docx import Document
from openpyxl import load_workbook

from cchc.reports.models import Report
from cchc.reports.outline import OUTLINE

from .test_browser import CHROMIUM, CHROMIUM_FLAGS, login, playwright_api
from .test_dossier_browser import shot
from .test_reports import QUARTER, TODAY, make_progress

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


def logout(page):
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/dang-nhap/**")


def open_and_send(page, live_server, unit, number, extra=""):
    page.goto(f"{live_server.url}/bao-cao/")
    form = page.locator(f'[id="mo-{unit.code}"]')
    form.locator("select[name=loai]").select_option("quy")
    form.locator("input[name=nam]").fill(str(QUARTER["year"]))
    form.locator("input[name=so]").fill(str(QUARTER["number"]))
    form.get_by_role("button", name="Mở báo cáo").click()
    page.wait_for_url("**/bao-cao/*/")
    for h in OUTLINE:
        box = page.locator(f"#muc-{h.key}")
        if h.required and not box.input_value().strip():
            box.fill(f"{h.title} của {unit.name} trong kỳ.{extra}")
    page.locator("input[name=so_van_ban]").fill(number)
    page.locator("input[name=ngay_van_ban]").fill(TODAY.strftime("%d/%m/%Y"))
    page.locator("input[name=nguoi_ky]").fill("Nguyễn Văn An")
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_url("**/bao-cao/*/")
    assert page.locator("#trang-thai").inner_text() == "Đã gửi, chờ tiếp nhận"


def test_units_send_the_province_reviews_and_consolidates(browser, live_server, issued_plan, tree, users):
    stp = make_progress(issued_plan, users, tree)
    commune = tree.communes[0]
    context = browser.new_context(locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        login(page, live_server, users.officer.username)
        page.wait_for_url(lambda url: "dang-nhap" not in url)
        open_and_send(page, live_server, stp, "15/BC-STP")
        shot(page, "bao-cao-da-gui")
        logout(page)

        login(page, live_server, users.commune_officer.username)
        page.wait_for_url(lambda url: "dang-nhap" not in url)
        open_and_send(page, live_server, commune, "7/BC-UBND", " Tổ chức 3 hội nghị tuyên truyền.")
        logout(page)

        # the province: returns Sở Tư pháp's report with a reason
        login(page, live_server, users.coordinator.username)
        page.wait_for_url(lambda url: "dang-nhap" not in url)
        page.goto(f"{live_server.url}/bao-cao/tiep-nhan/")
        stp_report = Report.objects.get(unit=stp)
        page.locator(f"#bao-cao-{stp_report.pk}").get_by_role("link").click()
        page.wait_for_url("**/bao-cao/*/")
        page.locator("#xem-xet textarea[name=y_kien]").fill("Bổ sung kết quả tuyên truyền.")
        page.get_by_role("button", name="Trả lại").click()
        page.wait_for_url("**/bao-cao/*/")
        assert page.locator("#trang-thai").inner_text() == "Bị trả lại để hoàn thiện"
        logout(page)

        # the agency fixes and sends again
        login(page, live_server, users.officer.username)
        page.wait_for_url(lambda url: "dang-nhap" not in url)
        page.goto(f"{live_server.url}/bao-cao/{stp_report.pk}/")
        assert "Bổ sung kết quả tuyên truyền." in page.content()
        page.locator("#muc-tuyen_truyen").fill("Đăng 12 tin bài về CCHC trên cổng thông tin.")
        page.get_by_role("button", name="Gửi báo cáo").click()
        page.wait_for_url("**/bao-cao/*/")
        assert page.locator("#trang-thai").inner_text() == "Đã gửi, chờ tiếp nhận"
        logout(page)

        # the province accepts both, sees the register, opens its consolidated report
        login(page, live_server, users.coordinator.username)
        page.wait_for_url(lambda url: "dang-nhap" not in url)
        for report in Report.objects.filter(state="submitted"):
            page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
            page.get_by_role("button", name="Tiếp nhận").click()
            page.wait_for_url("**/bao-cao/*/")
            assert page.locator("#trang-thai").inner_text() == "Đã tiếp nhận"
        page.goto(
            f"{live_server.url}/bao-cao/tinh-hinh-nop/?don_vi={tree.province.pk}&loai=quy"
            f"&nam={QUARTER['year']}&so={QUARTER['number']}"
        )
        assert page.locator(f'[id="don-vi-{stp.code}"] .badge').inner_text() == "Đúng hạn"
        shot(page, "bao-cao-tinh-hinh-nop")
        page.goto(f"{live_server.url}/bao-cao/")
        form = page.locator(f'[id="mo-{tree.province.code}"]')
        form.locator("select[name=loai]").select_option("quy")
        form.locator("input[name=nam]").fill(str(QUARTER["year"]))
        form.locator("input[name=so]").fill(str(QUARTER["number"]))
        form.get_by_role("button", name="Mở báo cáo").click()
        page.wait_for_url("**/bao-cao/*/")
        assert "Đăng 12 tin bài về CCHC" in page.locator("#muc-tuyen_truyen").input_value()
        report_url = page.url
        # the documents are made by a background job: its page, then the file
        page.get_by_role("button", name="Tải DOCX").click()
        page.wait_for_url("**/tac-vu/*/")
        with page.expect_download() as got:
            page.get_by_role("link", name="Tải tệp kết quả").click()
        text = "\n".join(p.text for p in Document(io.BytesIO(got.value.path().read_bytes())).paragraphs)
        assert f"{stp.name}: Đăng 12 tin bài về CCHC" in text
        assert f"{commune.name}:" in text and "Đơn vị chưa gửi báo cáo" in text
        page.goto(report_url)
        page.get_by_role("button", name="Phụ lục số liệu (XLSX)").click()
        page.wait_for_url("**/tac-vu/*/")
        with page.expect_download() as got:
            page.get_by_role("link", name="Tải tệp kết quả").click()
        sheet = load_workbook(io.BytesIO(got.value.path().read_bytes())).active
        assert "Tổng hợp từ báo cáo: giá trị" in [c.value for c in sheet[4]]
        shot(page, "bao-cao-tong-hop")
    finally:
        context.close()
