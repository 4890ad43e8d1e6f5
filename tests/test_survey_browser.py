"""The public survey form on a phone (360 × 740, JavaScript off — a slow line, an old phone):
a respondent opens their link, answers, sends, and cannot send twice; then the coordinator reads
the figure on the results page. Set CCHC_SCREENSHOTS=<directory> to keep screenshots."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from cchc.surveys.models import Questionnaire, Response
from cchc.surveys.services import campaigns as campaign_services

from .test_browser import CHROMIUM, CHROMIUM_FLAGS, login, playwright_api
from .test_dossier_browser import shot

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


def test_a_respondent_answers_on_a_phone(browser, live_server, tree, users):
    # The live server's tests run without the per-test transaction, and the database is emptied
    # after each of them — the questionnaires seeded by migration too: seed them again.
    from cchc.surveys.services.questionnaires import load_seeded

    load_seeded()
    stp = tree.agency("STP")
    campaign = campaign_services.campaign_create(
        actor=users.coordinator, owner=tree.province, name="Khảo sát quý III",
        questionnaire=Questionnaire.objects.get(code="SIPAS-HCC"), period_start=dt.date(2026, 7, 1),
        period_end=dt.date(2026, 9, 30), mode="chon_mau", sample_sizes={stp: 5},
    )  # fmt: skip
    ((_, token),) = campaign_services.links_issue(
        actor=users.coordinator, campaign=campaign, unit=stp, extra=1
    )
    phone = browser.new_context(
        locale="vi-VN", viewport={"width": 360, "height": 740}, is_mobile=True, java_script_enabled=False
    )
    page = phone.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server.url}/y-kien/{token}/")
        assert page.get_by_role("heading", level=1).inner_text().startswith("Phiếu khảo sát sự hài lòng")
        # nothing wider than the phone
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        statement = page.get_by_role("group", name="Công chức có thái độ giao tiếp lịch sự")
        statement.get_by_label("5 – Rất hài lòng").check()
        page.get_by_role("group", name="Nơi ngồi chờ tại Bộ phận Một cửa có đủ chỗ ngồi").get_by_label(
            "3 – Bình thường"
        ).check()
        page.get_by_role("group", name="Ông/Bà nộp hồ sơ bằng hình thức nào?").get_by_label(
            "Trực tuyến trên Cổng dịch vụ công"
        ).check()
        page.get_by_label("Ông/Bà có đề xuất gì").fill("Cán bộ rất nhiệt tình.")
        shot(page, "khao-sat-dien-thoai")
        page.get_by_role("button", name="Gửi phiếu").click()
        page.wait_for_url("**/y-kien/cam-on/")
        assert "Cảm ơn" in page.get_by_role("heading", level=1).inner_text()
        response = Response.objects.get()
        assert sorted(response.answers.values_list("question__code", "score")) == [
            ("1.1", 3), ("3.1", 5), ("TT1", None), ("YK", None),
        ]  # fmt: skip
        page.goto(f"{live_server.url}/y-kien/{token}/")  # the same link again
        assert "đã được gửi" in page.content()
    finally:
        phone.close()

    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        login(page, live_server, users.coordinator.username)
        page.wait_for_url("**/ke-hoach/")
        page.goto(f"{live_server.url}/khao-sat/{campaign.pk}/")
        assert "⚠ mẫu nhỏ" in page.content()  # two answers: far too few to compare
        page.get_by_role("link", name=stp.name).click()
        page.wait_for_url("**/don-vi/*/")
        assert "Cán bộ rất nhiệt tình." in page.content()
    finally:
        context.close()


def test_a_form_shown_again_with_an_error_keeps_the_answers(browser, live_server, tree, users):
    """A refused form comes back with its reason and with every answer already given: the public
    open-link form sent without the unit (an old phone's browser does not check `required`),
    and an officer's paper form with a form number already entered."""
    from cchc.surveys.services.questionnaires import load_seeded
    from cchc.surveys.services.responses import response_enter_paper

    load_seeded()
    stp = tree.agency("STP")
    sipas = Questionnaire.objects.get(code="SIPAS-HCC")
    open_campaign = campaign_services.campaign_create(
        actor=users.coordinator, owner=tree.province, name="Khảo sát mở", questionnaire=sipas,
        period_start=dt.date(2026, 7, 1), period_end=dt.date(2026, 9, 30), mode="mo",
        sample_sizes={stp: 5},
    )  # fmt: skip
    phone = browser.new_context(
        locale="vi-VN", viewport={"width": 360, "height": 740}, is_mobile=True, java_script_enabled=False
    )
    page = phone.new_page()
    page.set_default_timeout(15000)
    polite = "Công chức có thái độ giao tiếp lịch sự"
    channel = "Ông/Bà nộp hồ sơ bằng hình thức nào?"
    try:
        page.goto(f"{live_server.url}/y-kien/dot/{open_campaign.public_key}/")
        page.get_by_role("group", name=polite).get_by_label("4 – Hài lòng").check()
        page.get_by_role("group", name=channel).get_by_label("Qua dịch vụ bưu chính công ích").check()
        page.get_by_label("Ông/Bà có đề xuất gì").fill("Nên có thêm ghế chờ.")
        page.locator("form.survey").evaluate("f => { f.noValidate = true; }")
        page.get_by_role("button", name="Gửi phiếu").click()
        page.wait_for_load_state()
        assert "Chọn cơ quan, đơn vị" in page.get_by_role("alert").inner_text()
        assert page.get_by_role("group", name=polite).get_by_label("4 – Hài lòng").is_checked()
        assert (
            page.get_by_role("group", name=channel)
            .get_by_label("Qua dịch vụ bưu chính công ích")
            .is_checked()
        )
        assert page.get_by_label("Ông/Bà có đề xuất gì").input_value() == "Nên có thêm ghế chờ."
        assert not Response.objects.exists()
        # the unit chosen now, the same answers sent as they were kept
        page.get_by_label("Cơ quan, đơn vị Ông/Bà đã đến").select_option(label=stp.name)
        page.get_by_role("button", name="Gửi phiếu").click()
        page.wait_for_url("**/y-kien/cam-on/")
        response = Response.objects.get()
        assert sorted(response.answers.values_list("question__code", "score", "text")) == [
            ("3.1", 4, ""), ("TT1", None, "Qua dịch vụ bưu chính công ích"), ("YK", None, "Nên có thêm ghế chờ."),
        ]  # fmt: skip
    finally:
        phone.close()

    sampled = campaign_services.campaign_create(
        actor=users.coordinator, owner=tree.province, name="Khảo sát quý III", questionnaire=sipas,
        period_start=dt.date(2026, 7, 1), period_end=dt.date(2026, 9, 30), mode="chon_mau",
        sample_sizes={stp: 5},
    )  # fmt: skip
    response_enter_paper(
        actor=users.coordinator, campaign=sampled, unit=stp, answers={"3.1": "5"}, form_code="P-7"
    )
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        login(page, live_server, users.coordinator.username)
        page.wait_for_url("**/ke-hoach/")
        page.goto(f"{live_server.url}/khao-sat/{sampled.pk}/nhap-phieu/")
        page.get_by_label("Mã phiếu").fill("P-7")
        page.get_by_role("group", name=polite).get_by_label("2 – Không hài lòng").check()
        page.get_by_label("Ông/Bà có đề xuất gì").fill("Chờ lâu.")
        page.get_by_role("button", name="Lưu phiếu").click()
        page.wait_for_load_state()
        assert "đã được nhập" in page.content()
        assert page.get_by_label("Mã phiếu").input_value() == "P-7"
        assert page.get_by_role("group", name=polite).get_by_label("2 – Không hài lòng").is_checked()
        assert page.get_by_label("Ông/Bà có đề xuất gì").input_value() == "Chờ lâu."
        page.get_by_label("Mã phiếu").fill("P-8")
        page.get_by_role("button", name="Lưu phiếu").click()
        page.wait_for_url("**/nhap-phieu/?unit=*")
        assert sampled.responses.filter(form_code="P-8").get().answers.get(question__code="3.1").score == 2
    finally:
        context.close()
