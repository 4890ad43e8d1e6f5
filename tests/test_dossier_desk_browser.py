"""The processing desk in a real browser (headless Chromium): what each officer sees on the
dossier page — the state and who holds the dossier at the top, then only their next actions, in
order — as the dossier goes B1 (desk) → B2 (a named specialist) → B3 (the agency's leader, who
sends it back once, then records the result) → returned; and the citizen's lookup showing the
last step closed after the return.

Set CCHC_SCREENSHOTS=<directory> to keep screenshots of the pages."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache

from .test_browser import login
from .test_dossier_browser import browser, new_page, shot  # noqa: F401  (the module's browser fixture)
from .test_dossiers_support import APPLICANT, make_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser


def next_actions(page) -> list[str]:
    """The ids of the next-action forms, in the order shown."""
    if not page.locator("#next-actions").count():
        return []
    return page.locator("#next-actions form").evaluate_all("forms => forms.map(f => f.id)")


def open_dossier(browser, live_server, user, code):  # noqa: F811
    context, page = new_page(browser)
    login(page, live_server, user.username)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/ho-so/{code}/")
    return context, page


def test_officers_see_the_state_the_holder_and_only_their_next_actions(browser, live_server, tree, users):  # noqa: F811
    cache.clear()
    w = make_world(tree, users)
    d = w.receive()
    code = d.code

    # B1 at the desk: the state and holder on top, then hand on / supplement / fee — no result,
    # no apology on the day of receipt, no return
    context, page = open_dossier(browser, live_server, w.desk_officer, code)
    try:
        status = page.locator("#desk-status").inner_text()
        assert "Đã tiếp nhận" in status and "B1. Tiếp nhận, kiểm tra và chuyển hồ sơ" in status
        assert (
            "Bộ phận một cửa — Trung tâm Phục vụ hành chính công" in page.locator("#desk-holder").inner_text()
        )
        assert next_actions(page) == ["action-ban-giao", "action-yeu-cau-bo-sung", "action-thu-phi"]
        for absent in ("ket-qua", "xin-loi", "tra-ket-qua", "tra-lai"):
            assert page.locator(f"#action-{absent}").count() == 0
        assert not page.locator("#more-actions").get_attribute("open")  # stop, withdraw… folded away
        box = page.locator("#desk-status").bounding_box()
        first = page.locator("#next-actions").bounding_box()
        assert box["y"] < first["y"]  # the state comes before the actions
        shot(page, "desk-1-tiep-nhan")
        # hand on to B2, to the named specialist
        form = page.locator("#action-ban-giao")
        form.locator("select[name=to_user]").select_option(str(users.officer.pk))
        form.locator("input[name=note]").fill("Đủ thành phần")
        form.get_by_role("button", name="Bàn giao bước tiếp theo").click()
        page.wait_for_selector("text=Đã bàn giao hồ sơ")
        assert "canbo.tuphap" in page.locator("#desk-holder").inner_text()
        assert page.locator("#desk-not-yours").is_visible()
        assert next_actions(page) == ["action-thu-phi"]  # only the fee is left to the desk now
    finally:
        context.close()

    # B2: the named specialist hands on to the signer
    context, page = open_dossier(browser, live_server, users.officer, code)
    try:
        assert "B2. Thẩm định hồ sơ, dự thảo kết quả" in page.locator("#desk-step").inner_text()
        assert next_actions(page) == ["action-ban-giao", "action-tra-lai", "action-yeu-cau-bo-sung"]
        form = page.locator("#action-ban-giao")
        form.locator("select[name=to_user]").select_option(str(w.signer.pk))
        form.get_by_role("button", name="Bàn giao bước tiếp theo").click()
        page.wait_for_selector("text=Đã bàn giao hồ sơ")
    finally:
        context.close()

    # B3: the signer sees the result and the send-back, sends it back once, then signs
    context, page = open_dossier(browser, live_server, w.signer, code)
    try:
        assert next_actions(page) == ["action-ket-qua", "action-tra-lai"]
        shot(page, "desk-2-ky-duyet")
        form = page.locator("#action-tra-lai")
        form.locator("textarea[name=reason]").fill("Dự thảo thiếu căn cứ pháp lý")
        form.get_by_role("button", name="Trả lại bước trước").click()
        page.wait_for_selector("text=Đã trả hồ sơ")
        assert "B2." in page.locator("#desk-step").inner_text()
        assert next_actions(page) == []
        assert "Trả lại: Dự thảo thiếu căn cứ pháp lý" in page.content()
    finally:
        context.close()
    d.refresh_from_db()
    from cchc.dossiers import services

    services.dossier_handover(actor=users.officer, dossier=d, to_step=3, to_user=w.signer)
    context, page = open_dossier(browser, live_server, w.signer, code)
    try:
        form = page.locator("#action-ket-qua")
        form.get_by_role("button", name="Ghi kết quả giải quyết").click()
        page.wait_for_selector("text=Đã ghi nhận")
        assert "Đã có kết quả" in page.locator("#desk-status").inner_text()
    finally:
        context.close()

    # the desk hands the result back; B3 closes
    context, page = open_dossier(browser, live_server, w.desk_officer, code)
    try:
        assert next_actions(page) == ["action-thu-phi", "action-dinh-kem", "action-tra-ket-qua"]
        form = page.locator("#action-tra-ket-qua")
        form.locator("select[name=method]").select_option("desk")
        form.get_by_role("button", name="Trả kết quả").click()
        page.wait_for_selector("text=Đã ghi nhận")
        assert "Đã trả kết quả" in page.locator("#desk-status").inner_text()
        assert "Đang xử lý" not in page.locator("ol.steps").inner_text()
        shot(page, "desk-3-da-tra")
    finally:
        context.close()

    # the citizen's lookup: every step done, the last one closed with the return
    citizen, page = new_page(browser)
    try:
        page.goto(f"{live_server.url}/tra-cuu/")
        page.fill("#id_code", code)
        page.fill("#id_phone_last_digits", APPLICANT.phone[-4:])
        page.get_by_role("button", name="Tra cứu").click()
        page.wait_for_url(f"**/tra-cuu/{code}/")
        steps = page.locator("ol.steps").inner_text()
        assert "Đang xử lý" not in steps and steps.count("xong") == 3
        shot(page, "desk-4-tra-cuu")
    finally:
        citizen.close()
