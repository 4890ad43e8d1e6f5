"""The receipt side of the desk in a real browser (headless Chromium): the officer picks the
procedure, its components appear as a checklist, the officer ticks what was handed in (one as a
certified copy, two of them), receives the dossier, sees the components and the unpaid fee on the
dossier page, records the fee at the desk, and opens the slip whose QR code leads to the lookup."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from cchc.core.actors import SYSTEM
from cchc.procedures import services as procedure_services

from .test_browser import login
from .test_dossier_browser import browser, new_page, shot  # noqa: F401 — the module's browser fixture
from .test_dossiers_support import make_world

pytestmark = pytest.mark.browser


def test_checklist_at_receipt_and_the_qr_on_the_slip(browser, live_server, tree, users):  # noqa: F811
    cache.clear()
    w = make_world(tree, users)
    procedure_services.component_save(
        actor=SYSTEM, procedure=w.procedure, name="Giấy ủy quyền (nếu có)", mandatory=False
    )
    form, birth, optional = w.procedure.components.order_by("position", "id")
    context, page = new_page(browser)
    try:
        login(page, live_server, w.desk_officer.username)
        page.wait_for_url("**/theo-doi/cua-toi/")
        page.goto(f"{live_server.url}/ho-so/tiep-nhan/")
        assert "Chọn thủ tục để hiện danh mục" in page.locator("#checklist").inner_text()
        page.select_option("#id_procedure", str(w.procedure.pk))
        page.wait_for_selector("#checklist-table")  # swapped in by HTMX
        rows = page.locator("#checklist-table tbody tr")
        assert rows.count() == 3 and "Giấy chứng sinh" in rows.nth(1).inner_text()
        page.fill("#id_applicant_name", "Lê Thị Hoa")
        page.fill("#id_applicant_id_number", "079190001234")
        page.fill("#id_applicant_phone", "0987654321")
        # only the form ticked: the mandatory birth certificate is missing, the desk is told
        page.check(f"#tp-{form.pk}")
        page.get_by_role("button", name="Ghi nhận").click()
        page.wait_for_selector("text=Chưa nhận thành phần bắt buộc: Giấy chứng sinh")
        assert page.locator(f"#tp-{form.pk}").is_checked()  # the ticks are kept on the re-shown form
        page.check(f"#tp-{birth.pk}")
        page.select_option(f"select[name=hinh_thuc_{birth.pk}]", "ban_sao_chung_thuc")
        page.fill(f"input[name=so_luong_{birth.pk}]", "2")
        assert not page.locator(f"#tp-{optional.pk}").is_checked()
        shot(page, "10-thanh-phan")
        page.get_by_role("button", name="Ghi nhận").click()
        page.wait_for_selector("text=Đã tiếp nhận hồ sơ")
        code = page.locator("h1 code").inner_text()
        received = page.locator("#received-components").inner_text()
        assert "Giấy chứng sinh — Bản sao chứng thực, 2 bản" in received and "ủy quyền" not in received
        assert page.locator("#fee-state").inner_text() == "Chưa nộp phí, lệ phí"
        page.locator("#action-thu-phi").get_by_role("button").click()
        page.wait_for_selector("text=Đã ghi nhận")
        assert page.locator("#fee-state").inner_text() == "Đã nộp tại Bộ phận Một cửa"
        page.click("#slip-link")
        page.wait_for_url(f"**/ho-so/{code}/giay-hen/")
        qr = page.locator("#slip-qr svg.qr")
        box = qr.bounding_box()
        assert qr.is_visible() and box and box["width"] >= 80 and box["height"] >= 80
        assert "Giấy chứng sinh" in page.locator("#slip-components").inner_text()
        assert page.locator("#slip-fee").inner_text() == "Đã nộp tại Bộ phận Một cửa"
        shot(page, "11-giay-hen")
        href = page.locator("#lookup-url").get_attribute("href")
        assert href == f"{live_server.url}/tra-cuu/?ma={code}"
    finally:
        context.close()
    citizen, page = new_page(browser)
    try:  # what the QR opens: the lookup with the code filled in
        page.goto(href)
        assert page.locator("#id_code").input_value() == code
        page.fill("#id_phone_last_digits", "4321")
        page.get_by_role("button", name="Tra cứu").click()
        page.wait_for_url(f"**/tra-cuu/{code}/")
        assert page.locator("#public-state").inner_text() == "Đã tiếp nhận"
    finally:
        citizen.close()
