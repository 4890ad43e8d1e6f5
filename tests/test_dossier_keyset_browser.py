"""The dossier queue's pages in a real browser (headless Chromium): the desk officer sees how many
dossiers there are, walks "Trang sau" to the end and back with "Trang trước" and "Trang đầu",
each dossier seen once, a filter kept across the pages; the accepting desk ticks the components
the supplement brought on the dossier page."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from cchc.dossiers import views

from .test_browser import login
from .test_dossier_browser import browser, new_page, shot  # noqa: F401 — the module's browser fixture
from .test_dossiers_support import local, make_world

pytestmark = pytest.mark.browser


def codes(page) -> list[str]:
    return page.locator("#dossiers tbody td[data-label='Mã hồ sơ'] code").all_inner_texts()


def test_the_queue_pages_forward_and_back(browser, live_server, tree, users, monkeypatch):  # noqa: F811
    cache.clear()
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    w = make_world(tree, users)
    made = [w.receive(at=local(2026, 3, 2, 8 + i)).code for i in range(7)]
    context, page = new_page(browser)
    try:
        login(page, live_server, w.desk_officer.username)
        page.wait_for_url(lambda url: "/dang-nhap/" not in url)
        page.goto(f"{live_server.url}/ho-so/?kenh=truc_tiep")
        assert page.locator("#dossier-count").inner_text() == "7 hồ sơ phù hợp."
        first = codes(page)
        assert first == made[::-1][:3]
        assert page.locator("#pager-previous").count() == 0 and page.locator("#pager-first").count() == 0
        shot(page, "20-hang-doi-trang-dau")
        page.click("#pager-next")
        page.wait_for_url("**sau=*")
        second = codes(page)
        assert second == made[::-1][3:6] and "kenh=truc_tiep" in page.url
        page.click("#pager-next")
        page.wait_for_function("document.querySelectorAll('#dossiers tbody tr').length === 1")
        assert codes(page) == made[:1]
        assert page.locator("#pager-next").count() == 0
        shot(page, "21-hang-doi-trang-cuoi")
        page.click("#pager-previous")
        page.wait_for_url("**truoc=*")
        assert codes(page) == second
        page.click("#pager-first")
        page.wait_for_function("!location.search.includes('sau=') && !location.search.includes('truoc=')")
        assert codes(page) == first and "kenh=truc_tiep" in page.url
    finally:
        context.close()


def test_the_accepting_desk_ticks_what_the_supplement_brought(browser, live_server, tree, users):  # noqa: F811
    from cchc.dossiers.models import Dossier
    from cchc.dossiers.services import ReceivedItem

    cache.clear()
    w = make_world(tree, users)
    form, birth = list(w.procedure.components.order_by("position", "id"))[:2]
    d = w.receive(complete=False, components=[ReceivedItem(form)])
    context, page = new_page(browser)
    try:
        login(page, live_server, w.desk_officer.username)
        page.wait_for_url(lambda url: "/dang-nhap/" not in url)
        page.goto(f"{live_server.url}/ho-so/{d.code}/")
        box = page.locator("#action-tiep-nhan")
        assert box.locator(f"#tp-{form.pk}").is_checked() and not box.locator(f"#tp-{birth.pk}").is_checked()
        box.locator(f"#tp-{birth.pk}").check()
        box.locator(f"select[name=hinh_thuc_{birth.pk}]").select_option("ban_sao_chung_thuc")
        shot(page, "22-tiep-nhan-bo-sung")
        box.get_by_role("button").click()
        page.wait_for_selector("text=Đã tiếp nhận hồ sơ")
        assert "Giấy chứng sinh — Bản sao chứng thực" in page.locator("#received-components").inner_text()
        assert Dossier.objects.get(pk=d.pk).state == "received"
    finally:
        context.close()
