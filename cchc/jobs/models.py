"""A job: one long piece of work run by the worker, with the progress its page polls."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class JobState(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang chạy"
    SUCCEEDED = "succeeded", "Hoàn thành"
    FAILED = "failed", "Không thành công"


FINISHED = (JobState.SUCCEEDED, JobState.FAILED)


class Job(models.Model):
    """Who asked (`owner`, null for a scheduled run), for which unit (who else may follow it),
    what (`kind`, one of `registry`'s, and its `params`), how far (`state`, `progress` 0–100,
    `message`), and what came of it: `result` (JSON a page reads back), `result_file` (a file to
    download), `next_url` (where the page goes once it is done). `input_file` keeps an upload
    until the job has read it. `worker` and `heartbeat_at` let a restarted worker take up a job
    its crashed predecessor left running."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField("loại", max_length=64)
    label = models.CharField("nội dung", max_length=255)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField("trạng thái", max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    message = models.CharField("thông báo", max_length=500, blank=True, default="")
    attempts = models.PositiveSmallIntegerField("số lần chạy", default=0)
    result = models.JSONField(null=True, blank=True)
    input_file = models.FileField(upload_to="jobs/in/%Y/%m/", blank=True, max_length=255)
    result_file = models.FileField(upload_to="jobs/out/%Y/%m/", blank=True, max_length=255)
    result_name = models.CharField(max_length=255, blank=True, default="")
    result_type = models.CharField(max_length=128, blank=True, default="")
    next_url = models.CharField(max_length=500, blank=True, default="")
    worker = models.CharField(max_length=128, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "heartbeat_at"])]
        verbose_name = "tác vụ nền"

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED
