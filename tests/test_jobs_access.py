"""Role × page for the background-job pages: a job is seen by its owner and by those who may see
its unit (its progress page, the status its script polls, the file it made); the plan import's
reading job is taken up for review by its owner only. Same shape as tests/test_access_matrix.py."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.jobs.models import JobState
from cchc.jobs.registry import register
from cchc.jobs.services import job_start
from cchc.plans.jobs import IMPORT

from .access_helpers import PROVINCE_OVERSEERS, assert_read_row, reads, row_ids
from .test_plan_import_web import FIXTURES

# the officer of Sở Tư pháp made a file about Sở Tư pháp: they, and who oversees the province
STP_READERS = PROVINCE_OVERSEERS | {"officer"}

# (name, method, url builder, allowed roles, success status)
MATRIX = [
    (
        "my jobs",
        "get",
        lambda o: reverse("jobs:list"),
        set(PROVINCE_OVERSEERS)
        | {"officer", "officer_other", "commune_officer", "commune_coordinator", "foreign_coordinator"},
        200,
    ),
    ("job page", "get", lambda o: reverse("jobs:detail", args=[o.job.pk]), STP_READERS, 200),
    ("job status (polled)", "get", lambda o: reverse("jobs:status", args=[o.job.pk]), STP_READERS, 200),
    ("job file", "get", lambda o: reverse("jobs:download", args=[o.job.pk]), STP_READERS, 200),
    # the coordinator's reading of a plan document: only they review it (it becomes their draft)
    (
        "plan import job taken up",
        "get",
        lambda o: reverse("plans:import_job", args=[o.reading.pk]),
        {"coordinator"},
        302,
    ),
]


def write_note(ctx) -> None:
    ctx.progress(50, "Đang ghi…")
    ctx.save_file("ghi-chu.txt", "text/plain", "Ghi chú của Sở Tư pháp".encode())
    ctx.finish(message="Đã ghi.")


class Objects:
    pass


@pytest.fixture
def objects(users, tree):
    register("tests.note", write_note)
    o = Objects()
    o.job = job_start(actor=users.officer, kind="tests.note", label="Ghi chú", unit=tree.agency("STP"))
    assert o.job.state == JobState.SUCCEEDED, o.job.message
    data = (FIXTURES / "ubnd-binhphuoc-2023.txt").read_bytes()
    o.reading = job_start(
        actor=users.coordinator,
        kind=IMPORT,
        label="Đọc văn bản",
        unit=tree.province,
        params={"filename": "kh.txt", "issuer_id": tree.province.pk, "parent_id": None},
        upload=SimpleUploadedFile("kh.txt", data),
    )
    assert o.reading.state == JobState.SUCCEEDED, o.reading.message
    return o


@pytest.mark.parametrize("row", reads(MATRIX), ids=row_ids(reads(MATRIX)))
def test_read_access(client, users, objects, row):
    assert_read_row(client, users, row, objects)
