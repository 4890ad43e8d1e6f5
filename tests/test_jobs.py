"""Background jobs in the tests' immediate mode (config/settings/test.py): the runner records
progress, outcome and file; a failure is tried again, a refusal is not; a job a dead worker left
running is taken up again; the converted pages (report documents) go through a job; every
schedule runs its command. The real worker process is tested in tests/test_jobs_worker.py."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cchc.core.models import AuditEntry
from cchc.jobs import services
from cchc.jobs.models import Job, JobState
from cchc.jobs.registry import JobFailed, register
from cchc.jobs.runner import SYSTEM_ERROR, worker_id
from cchc.jobs.schedules import SCHEDULES, local_crontab
from cchc.jobs.tasks import SCHEDULED
from cchc.reports.services import report_open

from .conftest import PASSWORD
from .test_reports import QUARTER, make_progress

pytestmark = pytest.mark.django_db

CALLS: list[int] = []


def flaky(ctx) -> None:
    """Fails on its first run (a lost connection, say), then works."""
    CALLS.append(ctx.job.attempts)
    ctx.progress(30, "Bước một")
    if len(CALLS) == 1:
        raise ConnectionError("mất kết nối")
    ctx.save_file("ket-qua.txt", "text/plain", b"xong")
    ctx.finish(result={"dong": 3}, message="Đã xong 3 dòng.")


def broken(ctx) -> None:
    raise RuntimeError("lỗi lập trình")


def refused(ctx) -> None:
    raise JobFailed("Tệp không đọc được: dòng 3 thiếu cột “Nội dung”.")


@pytest.fixture(autouse=True)
def kinds():
    CALLS.clear()
    register("tests.flaky", flaky)
    register("tests.broken", broken)
    register("tests.refused", refused)


def test_a_failure_is_tried_again_and_the_job_completes(settings, tree, users):
    job = services.job_start(
        actor=users.officer, kind="tests.flaky", label="Thử lại", unit=tree.agency("STP")
    )
    assert CALLS == [1, 2]
    assert (job.state, job.attempts, job.progress, job.message) == (
        JobState.SUCCEEDED,
        2,
        100,
        "Đã xong 3 dòng.",
    )
    assert job.result == {"dong": 3} and job.result_file.read() == b"xong"
    assert job.finished_at and job.owner == users.officer
    assert AuditEntry.objects.filter(
        object_id=str(job.pk), action="Tạo tác vụ nền", actor=users.officer
    ).exists()


def test_a_failure_that_keeps_failing_ends_after_the_retries(settings, users):
    job = services.job_start(actor=users.officer, kind="tests.broken", label="Hỏng")
    assert job.state == JobState.FAILED
    assert job.attempts == 1 + settings.CCHC_JOB_RETRIES
    assert job.message == SYSTEM_ERROR.format(n=job.attempts)  # never the traceback


def test_a_refusal_is_not_tried_again(users):
    job = services.job_start(actor=users.officer, kind="tests.refused", label="Từ chối")
    assert (job.state, job.attempts) == (JobState.FAILED, 1)
    assert job.message == "Tệp không đọc được: dòng 3 thiếu cột “Nội dung”."


def test_an_unknown_kind_fails_with_a_message(users):
    job = services.job_start(actor=users.officer, kind="khong.co", label="?")
    assert job.state == JobState.FAILED and "khong.co" in job.message


def test_a_job_left_running_by_a_dead_worker_is_taken_up_again(users):
    """What a killed worker leaves: RUNNING, its pid gone. The next worker's start-up runs it."""
    job = services.job_start(actor=users.officer, kind="tests.refused", label="x")  # any finished row
    Job.objects.filter(pk=job.pk).update(
        kind="tests.flaky",
        state=JobState.RUNNING,
        worker=f"{_host()}:{_dead_pid()}:123",
        message="Đang xử lý…",
    )
    CALLS.append(0)  # the crashed run; the next one works
    assert [j.pk for j in services.jobs_recover()] == [job.pk]
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.result == {"dong": 3}
    assert AuditEntry.objects.filter(object_id=str(job.pk), action="Chạy lại tác vụ nền bị dừng").exists()


def test_a_live_workers_job_is_left_alone_however_long_it_runs(settings, users):
    job = services.job_start(actor=users.officer, kind="tests.refused", label="x")
    now = dt.datetime.now(dt.UTC)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, worker=worker_id(), heartbeat_at=now)
    later = now + dt.timedelta(seconds=settings.CCHC_JOB_STALE_SECONDS + 1)
    assert services.jobs_recover(now=now) == [] and services.jobs_recover(now=later) == []  # alive here
    Job.objects.filter(pk=job.pk).update(worker="may-khac:123:456")  # on another host, silent too long
    assert services.jobs_recover(now=now) == []
    assert [j.pk for j in services.jobs_recover(now=later)] == [job.pk]


def test_a_pid_used_again_is_not_the_same_worker(users):
    """After a restart (a container's), the dead worker's pid may be this live process's: the
    start time tells them apart."""
    job = services.job_start(actor=users.officer, kind="tests.refused", label="x")
    host, pid, _start = worker_id().split(":")
    Job.objects.filter(pk=job.pk).update(kind="tests.flaky", state=JobState.RUNNING, worker=f"{host}:{pid}:1")
    CALLS.append(0)
    assert [j.pk for j in services.jobs_recover()] == [job.pk]
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED


def test_a_queued_job_whose_message_was_lost_is_sent_again_once_per_period(settings, users):
    job = services.job_start(actor=users.officer, kind="tests.refused", label="x")
    Job.objects.filter(pk=job.pk).update(kind="tests.flaky", state=JobState.QUEUED)  # the queue lost it
    CALLS.append(0)
    now = dt.datetime.now(dt.UTC)
    assert services.jobs_recover(now=now) == []  # queued only just now: a worker may be busy
    later = now + dt.timedelta(seconds=settings.CCHC_JOB_STALE_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=None)
    assert [j.pk for j in services.jobs_recover(now=later)] == [job.pk]
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED


def test_old_finished_jobs_are_pruned_with_their_files(settings, users):
    job = services.job_start(actor=users.officer, kind="tests.flaky", label="x")
    CALLS.clear()
    path = job.result_file.path
    assert services.jobs_prune() == 0
    assert services.jobs_prune(now=job.finished_at + dt.timedelta(days=settings.CCHC_JOB_KEEP_DAYS + 1)) == 1
    assert not Job.objects.filter(pk=job.pk).exists()
    import os

    assert not os.path.exists(path)


def test_the_status_answers_small_json_and_the_page_shows_progress(client, users):
    job = services.job_start(actor=users.officer, kind="tests.flaky", label="Xuất tệp thử")
    client.login(username=users.officer.username, password=PASSWORD)
    status = client.get(reverse("jobs:status", args=[job.pk]))
    assert status["Cache-Control"] == "no-store"
    payload = status.json()
    assert payload == {
        "state": "succeeded",
        "state_label": "Hoàn thành",
        "progress": 100,
        "message": "Đã xong 3 dòng.",
        "finished": True,
        "download": reverse("jobs:download", args=[job.pk]),
    }
    assert len(status.content) < 300  # a slow line polls it every 1.5 s
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'data-job-status="' in page and "jobs/job.js" in page and "Tải tệp kết quả" in page
    assert "đã chạy 2 lần" in page
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"xong"
    assert "Xuất tệp thử" in client.get(reverse("jobs:list")).content.decode()


def test_a_failed_job_shows_its_message_and_no_file(client, users):
    job = services.job_start(
        actor=users.officer, kind="tests.refused", label="Đọc", params={"back_url": "/ke-hoach/nhap/"}
    )
    client.login(username=users.officer.username, password=PASSWORD)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'role="alert"' in page and "thiếu cột" in page and 'href="/ke-hoach/nhap/"' in page
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_report_documents_are_made_by_a_job(client, issued_plan, users, tree):
    unit = make_progress(issued_plan, users, tree)
    report = report_open(actor=users.officer, unit=unit, **QUARTER)
    client.login(username=users.officer.username, password=PASSWORD)
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("reports:export", args=[report.pk, "xlsx"]) in detail
    response = client.post(reverse("reports:export", args=[report.pk, "xlsx"]))
    job = Job.objects.get(kind="reports.export")
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.state, job.unit, job.owner) == (JobState.SUCCEEDED, report.unit, users.officer)
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Disposition"].endswith('-phu-luc.xlsx"')
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.active.max_row >= 2  # header and figures
    client.post(reverse("reports:export", args=[report.pk, "docx"]))
    docx = Job.objects.filter(kind="reports.export").order_by("-created_at").first()
    assert docx.state == JobState.SUCCEEDED and docx.result_name.endswith(".docx")
    assert client.post(reverse("reports:export", args=[report.pk, "odt"])).status_code == 404


def test_schedules_are_read_in_vietnam_time():
    monday_0030_utc = dt.datetime(2026, 12, 7, 0, 30)  # naive UTC, as huey hands it: 7:30 in Hà Nội
    remind = next(s for s in SCHEDULES if s.command == "remind")
    assert local_crontab(**remind.cron)(monday_0030_utc)
    assert not local_crontab(**remind.cron)(monday_0030_utc + dt.timedelta(hours=7))
    hourly = next(s for s in SCHEDULES if s.command == "dossiers_remind")
    saturday_9_local = dt.datetime(2026, 12, 12, 2, 0)
    assert not local_crontab(**hourly.cron)(saturday_9_local)
    assert local_crontab(**hourly.cron)(saturday_9_local - dt.timedelta(days=1))


def test_every_schedule_runs_its_command(tree, users):
    """Each scheduled entry calls a real command with the arguments of today (nothing mocked)."""
    assert {s.command for s in SCHEDULES} >= {
        "remind",
        "dossiers_remind",
        "report_remind",
        "par_remind",
        "inspection_remind",
        "index766_compute",
        "indicators_rebuild",
    }
    for task in SCHEDULED.values():
        task.call_local()  # raises if the command refuses its arguments


def _host() -> str:
    import socket

    return socket.gethostname()


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_the_dashboard_excel_is_made_by_a_job_in_the_owners_scope(client, issued_plan, users):
    client.login(username=users.leader.username, password=PASSWORD)
    page = client.get(reverse("tracking:dashboard", args=[issued_plan.pk])).content.decode()
    assert reverse("tracking:dashboard_export", args=[issued_plan.pk]) in page
    response = client.post(reverse("tracking:dashboard_export", args=[issued_plan.pk]))
    job = Job.objects.get(kind="tracking.dashboard_xlsx")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.state == JobState.SUCCEEDED and job.message.startswith("Đã xuất ")
    download = client.get(reverse("jobs:download", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    direct = client.get(reverse("tracking:dashboard", args=[issued_plan.pk]) + "?xuat=xlsx")
    same = load_workbook(io.BytesIO(direct.content))
    assert [[c.value for c in r] for r in book.active.iter_rows()] == [
        [c.value for c in r] for r in same.active.iter_rows()
    ]  # the same workbook as the direct download


def test_the_next_page_is_the_owners_only(client, tree, users):
    """The province's leader may follow the coordinator's reading of a document (its unit), but its
    review is the coordinator's: no next page for them, in the status or on the page."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cchc.plans.jobs import IMPORT

    from .test_plan_import_web import FIXTURES

    job = services.job_start(
        actor=users.coordinator,
        kind=IMPORT,
        label="Đọc văn bản",
        unit=tree.province,
        params={"filename": "kh.txt", "issuer_id": tree.province.pk, "parent_id": None},
        upload=SimpleUploadedFile("kh.txt", (FIXTURES / "ubnd-binhphuoc-2023.txt").read_bytes()),
    )
    client.login(username=users.leader.username, password=PASSWORD)
    assert "next" not in client.get(reverse("jobs:status", args=[job.pk])).json()
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    assert page.status_code == 200 and reverse("plans:import_job", args=[job.pk]) not in page.content.decode()
    client.login(username=users.coordinator.username, password=PASSWORD)
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["next"] == job.next_url
    assert client.get(reverse("jobs:detail", args=[job.pk]))["Location"] == job.next_url
