"""Periodic CCHC reports (docs/reports.md).

A `Report` is one unit's report of one kind and period (quarter I/2026 of Sở Tư pháp). It is
opened as a draft written from the data (`builder.py`); its narrative (`sections`, one text per
heading of the standard outline, `outline.py`) is edited by the unit, its figures (`annex`) and
the facts behind the narrative (`facts`) are a snapshot taken when it is opened, refreshed and
finally frozen at submission: a submitted report never changes when the data does.
`ReportSchedule` says which kinds a province (or one plan) requires and when they are due;
`ReportReview` keeps every decision of the receiving coordinator.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .windows import period_label


class ReportKind(models.TextChoices):
    MONTH = "thang", "Báo cáo tháng"
    QUARTER = "quy", "Báo cáo quý"
    HALF = "6thang", "Báo cáo 6 tháng"
    NINE = "9thang", "Báo cáo 9 tháng"
    YEAR = "nam", "Báo cáo năm"


class ReportSchedule(models.Model):
    """Whether a kind of report is required and when it is due, for a province (or, more
    narrowly, for the units of one plan). No row: the defaults of `windows.DEFAULTS`."""

    province = models.ForeignKey(
        "orgs.Unit", on_delete=models.CASCADE, related_name="report_schedules", verbose_name="tỉnh"
    )
    plan = models.ForeignKey(
        "plans.Plan",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_schedules",
        verbose_name="kế hoạch (nếu chỉ áp dụng cho một kế hoạch)",
    )
    kind = models.CharField("loại báo cáo", max_length=8, choices=ReportKind.choices)
    required = models.BooleanField("bắt buộc", default=True)
    due_after_days = models.PositiveSmallIntegerField("hạn nộp: số ngày sau ngày cuối kỳ số liệu", default=6)
    remind_days_before = models.PositiveSmallIntegerField("nhắc trước hạn (ngày)", default=3)

    class Meta:
        verbose_name = "lịch báo cáo"
        constraints = [
            models.UniqueConstraint(fields=["province", "plan", "kind"], name="report_schedule_unique"),
            models.UniqueConstraint(
                fields=["province", "kind"],
                condition=models.Q(plan__isnull=True),
                name="report_schedule_province_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.province}"


class Report(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        SUBMITTED = "submitted", "Đã gửi, chờ tiếp nhận"
        RETURNED = "returned", "Bị trả lại để hoàn thiện"
        ACCEPTED = "accepted", "Đã tiếp nhận"

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="reports")
    receiver = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_reports",
        verbose_name="nơi nhận",
    )
    kind = models.CharField("loại báo cáo", max_length=8, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveSmallIntegerField("tháng/quý", default=0)  # 0: the kind has none
    period_key = models.CharField("kỳ số liệu", max_length=16)
    period_start = models.DateField("số liệu từ ngày")
    period_end = models.DateField("số liệu đến ngày")
    due_on = models.DateField("hạn nộp")
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT, db_index=True)
    sections = models.JSONField("nội dung theo đề mục", default=dict)
    annex = models.JSONField("phụ lục số liệu", default=list)
    facts = models.JSONField("dữ liệu làm căn cứ", default=dict)
    consolidated = models.BooleanField("báo cáo tổng hợp", default=False)
    doc_number = models.CharField("số, ký hiệu", max_length=64, blank=True)
    doc_date = models.DateField("ngày văn bản", null=True, blank=True)
    signer = models.CharField("người ký", max_length=150, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=150, blank=True)
    first_submitted_at = models.DateTimeField("gửi lần đầu", null=True, blank=True)
    submitted_at = models.DateTimeField("gửi lần cuối", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "báo cáo định kỳ"
        ordering = ["-year", "-period_end", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "year", "number"], name="report_one_per_period"),
            models.UniqueConstraint(
                fields=["unit", "year", "doc_number"],
                condition=~models.Q(doc_number=""),
                name="report_doc_number_unique",
            ),
        ]
        indexes = [models.Index(fields=["receiver", "kind", "year", "number"], name="report_register_idx")]

    def __str__(self) -> str:
        return f"{self.title} — {self.unit}"

    @property
    def title(self) -> str:
        return f"Báo cáo kết quả CCHC {period_label(self.kind, self.year, self.number)}"

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    @property
    def on_time(self) -> bool | None:
        if self.first_submitted_at is None:
            return None
        return timezone.localdate(self.first_submitted_at) <= self.due_on


class ReportReview(models.Model):
    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Tiếp nhận"
        RETURNED = "returned", "Trả lại"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(max_length=12, choices=Decision.choices)
    comment = models.TextField("ý kiến", blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "ý kiến tiếp nhận báo cáo"

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.report}"
