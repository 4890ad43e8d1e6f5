from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Assignment(models.Model):
    """A task of an issued plan assigned to one of its lead units.

    `percent`, `last_reported_on`, `completed_on` and `updates_count` summarise the unit's progress
    updates; they are written only by `progress_post` in the same transaction as the update, so
    that dashboards over thousands of assignments never scan the updates themselves. The
    status shown to people is derived from them (see `cchc.tracking.status`), never stored.
    """

    task = models.ForeignKey("plans.Task", on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="assignments")
    assigned_at = models.DateTimeField(auto_now_add=True)
    percent = models.PositiveSmallIntegerField(default=0)
    last_reported_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    updates_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="assignment_task_unit_unique")]
        verbose_name = "nhiệm vụ được giao"

    def __str__(self) -> str:
        return f"{self.task} — {self.unit}"


class ReviewStatus(models.TextChoices):
    """The coordinator's decision on a progress update (issue: progress review)."""

    PENDING = "pending", "Chờ xem xét"
    ACCEPTED = "accepted", "Đã chấp nhận"
    RETURNED = "returned", "Bị trả lại"


class ReviewPolicy(models.Model):
    """How the issuing unit reviews a plan's progress. Without a row: no acceptance needed.

    With `acceptance_required`, a task counts as done only once its 100 % update is accepted
    by a coordinator of the issuing unit; otherwise the unit's word is enough and review is
    advice (a returned update still no longer counts)."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE, primary_key=True, related_name="+")
    acceptance_required = models.BooleanField("chỉ tính hoàn thành khi được chấp nhận", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "chế độ xem xét tiến độ"

    def __str__(self) -> str:
        return f"{self.plan_id}: {'cần chấp nhận' if self.acceptance_required else 'không cần chấp nhận'}"


class ProgressUpdate(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reported_on = models.DateField("ngày báo cáo")
    percent = models.PositiveSmallIntegerField("tỷ lệ hoàn thành (%)")
    narrative = models.TextField("kết quả thực hiện")
    review_status = models.CharField(
        "xem xét", max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_comment = models.TextField("ý kiến của cơ quan điều phối", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["review_status", "assignment"], name="progress_review_queue")]
        verbose_name = "cập nhật tiến độ"
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="progress_percent_max_100")
        ]

    def __str__(self) -> str:
        return f"{self.reported_on:%d/%m/%Y}: {self.percent}%"


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name is random: the original name is kept in the row, never used as a path.
    return f"evidence/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = "tài liệu kiểm chứng"

    def __str__(self) -> str:
        return self.original_name
