"""An inspection from the plan to the closed remediation in a real browser (Debian's headless
Chromium, Playwright): the coordinator creates the year's plan, schedules Sở Tư pháp, names the
team, records results and a finding with a deadline phrase, concludes and downloads the notice;
Sở Tư pháp's officer reports the remedy with a file; the coordinator accepts and the finding is
closed. Set CCHC_SCREENSHOTS=<directory> to keep screenshots."""

from __future__ import annotations

import io
import os

import pytest
from docx import Document

from cchc.inspections.models import Finding, Inspection

from .test_browser import CHROMIUM, CHROMIUM_FLAGS, login, playwright_api
from .test_dossier_browser import shot

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser
YEAR = 2026


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


def test_an_inspection_from_plan_to_closed_remediation(browser, live_server, tree, users, tmp_path):
    evidence = tmp_path / "Quyet-dinh-khac-phuc.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% quyet dinh\n%%EOF\n")
    stp = tree.agency("STP")
    context = browser.new_context(locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        login(page, live_server, users.coordinator.username)
        page.wait_for_url("**/ke-hoach/")
        page.get_by_role("link", name="Kiểm tra", exact=True).click()
        page.wait_for_url("**/kiem-tra/")
        form = page.locator("#tao-ke-hoach")
        form.locator("select[name=don_vi]").select_option(label=tree.province.name)
        form.locator("input[name=nam]").fill(str(YEAR))
        form.locator("input[name=number]").fill("15/KH-SNV")
        form.get_by_role("button", name="Tạo kế hoạch").click()
        page.wait_for_url("**/kiem-tra/ke-hoach/*/")
        add = page.locator("#them-cuoc")
        add.locator("select[name=don_vi]").select_option(label=stp.name)
        add.locator("input[name=start_date]").fill(f"12/05/{YEAR}")
        add.locator("select[name=mode]").select_option("truc_tuyen")
        add.get_by_role("button", name="Thêm").click()
        page.get_by_role("link", name=stp.name).click()
        page.wait_for_url("**/kiem-tra/cuoc/*/")
        team = page.locator("#form-doan")
        team.locator("select[name=truong_doan]").select_option(label=str(users.coordinator))
        team.get_by_role("button", name="Lưu thành phần đoàn").click()
        page.get_by_role("button", name="Bắt đầu kiểm tra").click()
        page.wait_for_selector("#ket-qua")
        rows = page.locator("#ket-qua tbody tr")
        assert rows.count() == 9
        for n in range(rows.count()):
            rows.nth(n).locator("select").select_option("chua_dat" if n == 0 else "dat")
        rows.nth(0).locator("textarea").fill("Báo cáo CCHC quý I gửi chậm.")
        page.get_by_role("button", name="Lưu kết quả").click()
        finding = page.locator("#form-ton-tai")
        finding.locator("select[name=result]").select_option(index=1)
        finding.locator("textarea[name=content]").fill("Báo cáo CCHC định kỳ còn chậm.")
        finding.locator("input[name=deadline]").fill("Thường xuyên")
        finding.get_by_role("button", name="Ghi tồn tại").click()
        assert "Không hiểu thời hạn" in page.locator(".messages").inner_text()
        finding = page.locator("#form-ton-tai")
        finding.locator("select[name=result]").select_option(index=1)
        finding.locator("textarea[name=content]").fill("Báo cáo CCHC định kỳ còn chậm.")
        finding.locator("input[name=deadline]").fill(f"trong tháng 9/{YEAR}")
        finding.get_by_role("button", name="Ghi tồn tại").click()
        assert "30/09/2026" in page.locator("#ton-tai").inner_text()
        conclude = page.locator("#form-ket-luan")
        conclude.locator("textarea[name=summary]").fill("Sở Tư pháp thực hiện tốt; còn chậm báo cáo.")
        conclude.locator("input[name=number]").fill("25/TB-SNV")
        conclude.locator("input[name=concluded_on]").fill(f"15/05/{YEAR}")
        conclude.get_by_role("button", name="Kết luận").click()
        assert page.locator("#trang-thai").inner_text() == "Đã có kết luận"
        with page.expect_download() as download:
            page.get_by_role("link", name="Tải thông báo kết luận (DOCX)").click()
        doc = Document(io.BytesIO(open(download.value.path(), "rb").read()))
        assert "Báo cáo CCHC định kỳ còn chậm." in [
            c.text for t in doc.tables for r in t.rows for c in r.cells
        ]
        shot(page, "kiem-tra-ket-luan")
        logout(page)

        # the inspected unit reports the remedy with a file
        login(page, live_server, users.officer.username)
        page.goto(f"{live_server.url}/kiem-tra/")
        page.get_by_role("link", name=stp.name).click()
        page.get_by_role("link", name="Báo cáo CCHC định kỳ còn chậm.").click()
        report = page.locator("#form-bao-cao")
        report.locator("textarea[name=text]").fill("Đã ban hành quy chế báo cáo định kỳ.")
        report.locator("input[name=files]").set_input_files(str(evidence))
        report.get_by_role("button", name="Gửi báo cáo").click()
        assert "chờ xác nhận" in page.locator("#trang-thai").inner_text().lower()
        logout(page)

        # the team accepts: closed
        login(page, live_server, users.coordinator.username)
        page.goto(f"{live_server.url}/kiem-tra/ton-tai/?trang_thai=cho_xac_nhan")
        page.get_by_role("link", name="Báo cáo CCHC định kỳ còn chậm.").click()
        assert page.get_by_role("link", name="Quyet-dinh-khac-phuc.pdf").count() == 1
        page.get_by_role("button", name="Chấp nhận, đóng").click()
        assert page.locator("#trang-thai").inner_text() == "Đã khắc phục"
        shot(page, "kiem-tra-khac-phuc")
    finally:
        context.close()
    assert Inspection.objects.get().state == Inspection.State.CONCLUDED
    assert Finding.objects.get().state == Finding.State.CLOSED
