"""A background job as a person follows it, in a real browser (Debian's headless Chromium,
Playwright): the queue is not in immediate mode here, so the plan-import upload lands on the job's
page ("Đang chờ"); a real huey consumer (threads in this process, on the SQLite queue file) then
takes the job, and the page's script — polling the status under the strict CSP — moves on to the
review screen by itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connections
from huey.contrib.djhuey import HUEY

from cchc.jobs import tasks  # noqa: F401  (the job task and its start-up hook, as the worker loads them)
from cchc.jobs.models import Job, JobState

from . import test_browser
from .test_browser import login
from .test_dossier_browser import shot

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser
browser = test_browser.browser  # the shared fixtures: Debian's Chromium, and a page that fails
page = test_browser.page  # the test on anything the Content-Security-Policy blocks


@pytest.fixture
def queue():
    """The real queue (SQLite file of the test data folder) for this test, immediate mode after."""
    HUEY.immediate = False
    HUEY.storage.flush_queue()
    HUEY.storage.flush_schedule()
    # the consumer's threads close their connections after each task (as `cchc worker` does when
    # its connections age), so that none outlives the test and its database can be dropped
    conn_settings = connections.settings["default"]
    kept = conn_settings.get("CONN_MAX_AGE", 0)
    conn_settings["CONN_MAX_AGE"] = 0
    yield HUEY
    conn_settings["CONN_MAX_AGE"] = kept
    HUEY.storage.flush_queue()
    HUEY.immediate = True


def test_the_import_page_follows_its_job_to_the_review(page, live_server, tree, users, queue):
    login(page, live_server, users.coordinator.username)
    page.goto(f"{live_server.url}/ke-hoach/nhap/")
    page.set_input_files(
        "#id_file", str(Path(__file__).parent / "fixtures" / "plans" / "ubnd-binhphuoc-2023.txt")
    )
    page.select_option("#id_issuer", str(tree.province.pk))
    page.get_by_role("button", name="Đọc văn bản").click()
    page.wait_for_url("**/tac-vu/*/")
    job = Job.objects.get()
    assert job.state == JobState.QUEUED and queue.pending_count() == 1
    assert page.locator("[data-job-state]").inner_text() == "Đang chờ"
    assert page.locator("[data-job-progress]").get_attribute("value") == "0"
    assert not page.get_by_role("link", name="Tiếp tục").is_visible()
    assert not page.get_by_role("link", name="Tải tệp kết quả").is_visible()
    shot(page, "tac-vu-dang-cho")

    consumer = queue.create_consumer(workers=1, worker_type="thread", periodic=False, initial_delay=0.1)
    consumer.start()
    try:
        page.wait_for_url("**/ke-hoach/nhap/xem-lai/", timeout=60000)
    finally:
        consumer.stop(graceful=True)
    assert "19 chỉ tiêu và 41 nhiệm vụ" in page.content()
    job.refresh_from_db()
    assert (job.state, job.progress, job.attempts) == (JobState.SUCCEEDED, 100, 1)
    assert not job.input_file  # the upload is not kept past its job

    page.goto(f"{live_server.url}/tac-vu/")
    assert "Đọc văn bản kế hoạch “ubnd-binhphuoc-2023.txt”" in page.content()


def test_a_document_the_job_cannot_read_shows_why_and_the_way_back(
    page, live_server, tree, users, queue, tmp_path
):
    path = tmp_path / "ke-hoach.pdf"
    path.write_bytes(b"%PDF-1.4\n% only a header, no pages\n")
    login(page, live_server, users.coordinator.username)
    page.goto(f"{live_server.url}/ke-hoach/nhap/")
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_issuer", str(tree.province.pk))
    page.get_by_role("button", name="Đọc văn bản").click()
    page.wait_for_url("**/tac-vu/*/")
    assert not page.get_by_role("link", name="Quay lại").is_visible()
    assert not page.get_by_role("link", name="Tiếp tục").is_visible()
    consumer = queue.create_consumer(workers=1, worker_type="thread", periodic=False, initial_delay=0.1)
    consumer.start()
    try:
        page.wait_for_selector("[data-job-message][role=alert]", timeout=60000)
    finally:
        consumer.stop(graceful=True)
    assert page.locator("[data-job-state]").inner_text() == "Không thành công"
    job = Job.objects.get()
    assert job.state == JobState.FAILED and job.attempts == 1  # a refusal is not tried again
    assert page.locator("[data-job-message]").inner_text() == job.message
    shot(page, "tac-vu-khong-thanh-cong")
    page.get_by_role("link", name="Quay lại").click()
    page.wait_for_url("**/ke-hoach/nhap/")
