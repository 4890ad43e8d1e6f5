"""A whole CCHC index round in a real browser (Debian's headless Chromium, Playwright): the
coordinator imports and issues a framework and opens the round; an agency's officer self-scores
with evidence and submits; the council appraises with a reason, finalises and publishes; a
citizen reads the public results. Set CCHC_SCREENSHOTS=<directory> to keep screenshots."""

from __future__ import annotations

import os

import pytest

from cchc.evaluation.models import Participant, Round

from .test_browser import CHROMIUM, CHROMIUM_FLAGS, login, playwright_api
from .test_dossier_browser import shot
from .test_par_rounds import FRAMEWORK

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


def test_a_round_from_opening_to_publication(browser, live_server, tree, users, tmp_path):
    framework_file = tmp_path / "bo-chi-so-2026.csv"
    framework_file.write_text(FRAMEWORK, encoding="utf-8")
    stp = tree.agency("STP")
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        # the coordinator: framework in, issued, round opened for two units
        login(page, live_server, users.coordinator.username)
        page.wait_for_url("**/ke-hoach/")
        page.get_by_role("link", name="Chỉ số CCHC").click()
        page.wait_for_url("**/chi-so-cchc/")
        form = page.locator("#nhap-bo-chi-so")
        form.locator("input[name=ten]").fill("Bộ Chỉ số CCHC các sở, xã năm 2026")
        form.locator("input[name=tep]").set_input_files(str(framework_file))
        form.get_by_role("button", name="Nhập bộ chỉ số").click()
        page.wait_for_url("**/chi-so-cchc/bo-chi-so/*/")
        assert page.locator("#tieu-chi tbody tr").count() == 10
        page.get_by_role("button", name="Ban hành bộ chỉ số").click()
        page.get_by_role("link", name="Mở đợt đánh giá").click()
        page.wait_for_url("**/mo-dot/")
        for box in page.locator("input[name=don_vi]").all():
            box.uncheck()
        page.get_by_label(stp.name).check()
        page.get_by_label(tree.communes[0].name).check()
        page.get_by_role("button", name="Mở đợt đánh giá").click()
        page.wait_for_url("**/chi-so-cchc/dot/*/")
        assert page.locator("#bang-don-vi tbody tr").count() == 2
        shot(page, "par-so-theo-doi")
        round_ = Round.objects.get()
        logout(page)

        # the agency: self-scores with an explanation, a link as evidence, submits
        login(page, live_server, users.officer.username)
        page.goto(f"{live_server.url}/chi-so-cchc/")
        page.locator("#cua-don-vi").locator("xpath=following-sibling::div[1]").get_by_role(
            "link", name=round_.title
        ).click()
        page.wait_for_url("**/don-vi/*/")
        for code, points, why in (
            ("1.1", "4", "Ban hành ngày 05/01"),
            ("1.2", "3", "Đủ 4 báo cáo"),
            ("2.1", "5", "Đã công khai"),
        ):
            page.get_by_label(f"Điểm tự chấm tiêu chí {code}").fill(points)
            page.get_by_label(f"Giải trình tiêu chí {code}").fill(why)
        page.get_by_role("button", name="Lưu điểm tự chấm").click()
        assert "Đã lưu 3 tiêu chí" in page.locator(".messages").inner_text()
        assert "thiếu tài liệu kiểm chứng" in page.locator("#con-thieu").inner_text()
        evidence = page.locator("#them-tai-lieu")
        evidence.locator("select[name=tieu_chi]").select_option(label="1.1. Ban hành kế hoạch CCHC đúng hạn")
        evidence.locator("input[name=duong_dan]").fill("https://stp.example.vn/ke-hoach-cchc-2026")
        evidence.get_by_role("button", name="Thêm tài liệu").click()
        assert (
            page.locator("#tc-1\\.1")
            .get_by_role("link", name="https://stp.example.vn/ke-hoach-cchc-2026")
            .count()
            == 1
        )
        page.get_by_role("button", name="Nộp cho hội đồng").click()
        assert "Đã nộp" in page.locator(".messages").inner_text()
        shot(page, "par-tu-danh-gia")
        logout(page)

        # the council: appraises one item down with a reason, finalises the unit and the round
        login(page, live_server, users.coordinator.username)
        participant = Participant.objects.get(unit=stp)
        page.goto(f"{live_server.url}/chi-so-cchc/dot/{round_.pk}/don-vi/{participant.pk}/")
        page.get_by_label("Điểm thẩm định tiêu chí 1.2").fill("2")
        page.get_by_label("Lý do điều chỉnh tiêu chí 1.2").fill("Báo cáo quý III gửi trễ hạn")
        page.get_by_role("button", name="Lưu điểm thẩm định").click()
        assert "Đã lưu điểm thẩm định 1 tiêu chí" in page.locator(".messages").inner_text()
        page.get_by_role("button", name="Chốt kết quả").click()
        page.goto(f"{live_server.url}/chi-so-cchc/dot/{round_.pk}/")
        page.get_by_role("button", name="Chốt kết quả").click()
        page.get_by_role("button", name="Công bố").click()
        assert "Đã công bố" in page.locator(".messages").inner_text()
        page.get_by_role("link", name="Kết quả, xếp hạng").click()
        assert page.locator("#xep-hang-so tbody tr").first.locator("td").nth(1).inner_text() == stp.name
        shot(page, "par-ket-qua")
        logout(page)

        # a citizen: the public results, without an account
        page.goto(f"{live_server.url}/cong-khai/chi-so-cchc/")
        page.get_by_role("link", name=round_.title).click()
        first = page.locator("#xep-hang-so tbody tr").first
        assert first.locator("td").nth(1).inner_text() == stp.name
        # 4 + 2 + 0 (no dossier figure) + 5 of 4 + 3 + 3 + 5 + 3 = 18 → 61,11
        assert first.locator("td[data-label='Chỉ số']").inner_text() == "61,11"
        shot(page, "par-cong-khai")
    finally:
        context.close()
