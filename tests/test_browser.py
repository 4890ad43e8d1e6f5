"""The main journey in a real browser (Debian's headless Chromium driven by Playwright):
an officer signs in, opens a task, posts progress with an evidence file; the coordinator
then sees it on the plan dashboard and downloads the evidence."""

from __future__ import annotations

import os
import shutil

import pytest

from .conftest import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
# here are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CCHC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


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


def csp_violations(page) -> list[str]:
    """Collects what the Content-Security-Policy blocked on the page (the list fills as it runs)."""
    blocked: list[str] = []
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return blocked


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    blocked = csp_violations(page)
    yield page
    context.close()
    assert not blocked, f"blocked by the Content-Security-Policy: {blocked}"


def test_confirmations_work_under_the_content_security_policy(page, live_server, plan, users):
    """`data-confirm` buttons (no inline handlers): cancelling keeps the draft, accepting issues."""
    login(page, live_server, users.coordinator.username)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    page.once("dialog", lambda d: d.dismiss())
    page.get_by_role("button", name="Ban hành").click()
    page.wait_for_timeout(300)
    plan.refresh_from_db()
    assert plan.status == "draft"
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Ban hành").click()
    page.wait_for_selector("text=Kết thúc kế hoạch")
    plan.refresh_from_db()
    assert plan.status == "issued"


def login(page, live_server, username):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_officer_reports_progress_and_coordinator_sees_it(page, live_server, issued_plan, users, tmp_path):
    evidence = tmp_path / "Bao-cao-ket-qua-ra-soat.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% bao cao\n%%EOF\n")

    login(page, live_server, users.officer.username)
    page.wait_for_url("**/theo-doi/cua-toi/")
    assert page.locator("h1").inner_text() == "Nhiệm vụ của tôi"
    page.get_by_role("link", name="2. Công khai thủ tục hành chính.").click()
    page.wait_for_url("**/theo-doi/giao/*/")

    page.fill("#id_percent", "100")
    page.fill("#id_narrative", "Đã công khai đầy đủ 125 thủ tục hành chính trên Cổng dịch vụ công.")
    page.set_input_files("#id_files", str(evidence))
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_selector("text=Đã ghi nhận tiến độ.")
    assert page.locator("#assignment-status").inner_text() == "Hoàn thành"
    assert page.get_by_role("link", name="Bao-cao-ket-qua-ra-soat.pdf").is_visible()

    # a wrong file type is refused with a message next to the field, nothing is recorded
    bad = tmp_path / "ghi-chu.exe"
    bad.write_bytes(b"MZ\x90\x00")
    page.fill("#id_narrative", "Bổ sung")
    page.set_input_files("#id_files", str(bad))
    page.get_by_role("button", name="Gửi báo cáo").click()
    assert "không được chấp nhận" in page.locator("#f-files .errorlist").inner_text()

    page.get_by_role("button", name="Đăng xuất").click()
    login(page, live_server, users.coordinator.username)
    page.goto(f"{live_server.url}/theo-doi/ke-hoach/{issued_plan.pk}/")
    assert page.locator("h1").inner_text() == "Bảng theo dõi tiến độ"
    assert page.locator("svg.chart").count() == 1
    # Sở Tư pháp has two tasks: the one just completed (100 %) and one not started → 50 %
    row = page.locator("#theo-don-vi tr", has=page.locator("td[data-label='Đơn vị']", has_text="Sở Tư pháp"))
    assert "50%" in row.inner_text()
    done = page.locator(".stat", has=page.locator(".badge.s-done"))
    assert done.locator("b").inner_text() == "1"

    # the coordinator opens the officer's report and downloads the evidence
    from cchc.tracking.models import Assignment

    stp = Assignment.objects.get(
        task__plan=issued_plan, task__number="2", unit=users.officer.memberships.get().unit
    )
    page.goto(f"{live_server.url}/theo-doi/giao/{stp.pk}/")
    assert "Đã công khai đầy đủ 125 thủ tục" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Bao-cao-ket-qua-ra-soat.pdf").click()
    assert download.value.suggested_filename == "Bao-cao-ket-qua-ra-soat.pdf"
    assert open(download.value.path(), "rb").read() == evidence.read_bytes()


def test_phone_layout_and_deadline_preview(page, live_server, plan, users):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, users.coordinator.username)
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/nhiem-vu/them/")
    page.fill("#id_deadline_text", f"Quý I/{plan.from_year}")
    page.wait_for_selector(f"#deadline-preview:has-text('31/03/{plan.from_year}')")
    # the form reports errors next to the fields, in Vietnamese
    page.fill("#id_content", "")
    page.get_by_role("button", name="Lưu").click()
    assert page.locator("#f-lead_units .errorlist").inner_text() != ""
    assert page.locator("#f-content .errorlist").inner_text() != ""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"page overflows a phone screen: {width}px"
    # the menu folds behind a button on a phone
    menu = page.get_by_role("navigation", name="Chức năng chính")
    assert not menu.is_visible()
    page.locator(".menu-button").click()
    assert menu.get_by_role("link", name="Kế hoạch").is_visible()

    # choose the lead units from the grouped checklist: filter, then "select all" in a group
    page.fill("#id_content", "Rà soát quy trình nội bộ giải quyết thủ tục hành chính.")
    lead = page.locator("#f-lead_units")
    lead.locator(".checklist-filter").fill("tu phap")  # accent-insensitive filter
    lead.locator(".checklist-item:visible").first.locator("input").check()
    assert "Đã chọn 1 đơn vị" in lead.locator(".checklist-count").inner_text()
    lead.locator(".checklist-filter").fill("")
    lead.locator("fieldset", has_text="Xã, phường, đặc khu").get_by_role("button", name="Chọn tất cả").click()
    assert "Đã chọn 4 đơn vị" in lead.locator(".checklist-count").inner_text()
    page.fill("#id_deadline_text", "Trước 15/11 hàng năm")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_selector("text=Đã lưu nhiệm vụ.")
    task = plan.tasks.get(content__startswith="Rà soát quy trình nội bộ")
    assert {u.name for u in task.units.all()} == {
        "Sở Tư pháp",
        "Phường Đồng Xoài",
        "Phường Biên Hòa",
        "Xã Lộc Ninh",
    }
    assert task.final_due.strftime("%d/%m") == "15/11"


def test_coordinator_imports_a_plan_document(page, live_server, tree, users):
    from pathlib import Path

    from cchc.plans.models import Plan

    login(page, live_server, users.coordinator.username)
    page.goto(f"{live_server.url}/ke-hoach/")
    page.get_by_role("link", name="Nhập từ văn bản (DOCX, PDF)").click()
    page.set_input_files(
        "#id_file", str(Path(__file__).parent / "fixtures" / "plans" / "ubnd-binhphuoc-2023.txt")
    )
    page.select_option("#id_issuer", str(tree.province.pk))
    page.get_by_role("button", name="Đọc văn bản").click()
    page.wait_for_url("**/ke-hoach/nhap/xem-lai/")
    assert "19 chỉ tiêu và 41 nhiệm vụ" in page.content()
    # jump from a task to where it is printed in the source
    page.locator("#nv-35 a.jump").click()
    assert page.evaluate("location.hash").startswith("#dong-")
    target_line = page.locator(page.evaluate("location.hash"))
    assert "Tự đánh giá" in target_line.inner_text() or target_line.is_visible()
    # leave one task out and correct another
    page.locator("#nv-41 input[name$='-include']").uncheck()
    page.locator("#id_task-0-deadline").fill("Quý II/2023")
    page.get_by_role("button", name="Lưu thành dự thảo kế hoạch").click()
    page.wait_for_selector("text=Đã lưu dự thảo kế hoạch")
    plan = Plan.objects.get()
    assert plan.status == "draft" and plan.tasks.count() == 40 and plan.targets.count() == 19
    assert plan.tasks.get(number="1").deadline_text == "Quý II/2023"
    # the body nobody can resolve is reported for a person to fix
    assert page.locator(".messages .warning").count() >= 1


def test_import_review_on_a_phone_puts_the_text_below_and_links_warnings_to_it(
    page, live_server, tree, users, tmp_path
):
    from .test_plan_import_web import _docx_plan

    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(_docx_plan())
    page.set_viewport_size({"width": 390, "height": 800})
    login(page, live_server, users.coordinator.username)
    page.goto(f"{live_server.url}/ke-hoach/nhap/")
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_issuer", str(tree.province.pk))
    page.get_by_role("button", name="Đọc văn bản").click()
    page.wait_for_url("**/ke-hoach/nhap/xem-lai/")
    # least sure first: the task with no lead body heads the list
    assert page.locator(".review-found .review-item").first.get_attribute("id") == "nv-2"
    last_task = page.locator(".review-found .review-item").last.bounding_box()
    source = page.locator(".review-source").bounding_box()
    assert last_task and source and source["y"] >= last_task["y"] + last_task["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # the warning's link takes the reader to its highlighted lines, no script needed
    page.locator(".import-warnings a.jump").click()
    target = page.locator(page.evaluate("location.hash"))
    assert "warned" in (target.get_attribute("class") or "") and target.is_visible()
    assert target.locator(".line-note").is_visible()
    page.get_by_role("link", name="Xếp theo thứ tự trong văn bản").click()
    page.wait_for_url("**/xem-lai/?thu_tu=van_ban")
    assert page.locator(".review-found .review-item").first.get_attribute("id") == "nv-1"
