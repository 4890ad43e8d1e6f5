from __future__ import annotations

from django.conf import settings
from django.db import models

from ..choices import RatingValue

FEEDBACK_PERSONAL_FIELDS = ("sender_name", "sender_phone", "sender_email", "sender_address")


class FeedbackState(models.TextChoices):
    RECEIVED = "received", "Đã tiếp nhận, đang xử lý"
    INFO_REQUESTED = "info_requested", "Chờ người gửi bổ sung thông tin"
    REFUSED = "refused", "Từ chối xử lý"
    ANSWERED = "answered", "Đã có kết quả xử lý"
    PUBLISHED = "published", "Đã công khai kết quả"


class FeedbackEventKind(models.TextChoices):
    RECEIVED = "received", "Tiếp nhận phản ánh, kiến nghị"
    INFO_REQUESTED = "info_requested", "Đề nghị bổ sung thông tin"
    INFO_RECEIVED = "info_received", "Nhận thông tin bổ sung"
    REFUSED = "refused", "Từ chối xử lý"
    ANSWERED = "answered", "Có kết quả xử lý"
    PUBLISHED = "published", "Công khai kết quả xử lý"
    RATED = "rated", "Người gửi đánh giá kết quả xử lý"


class Feedback(models.Model):
    """A feedback (phản ánh, kiến nghị — PAKN) about a procedure or a dossier, with its deadlines
    in working days counted by the unit's policy: refuse within 2, ask for more information
    within 5, handle within 15 (moved by the time spent waiting for the information), publish
    the answer within 2 of answering. `late` records that some action missed its deadline."""

    code = models.CharField("mã phản ánh, kiến nghị", max_length=64, unique=True)
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="feedback", verbose_name="cơ quan xử lý"
    )
    procedure = models.ForeignKey(
        "procedures.Procedure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
        verbose_name="thủ tục",
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
        verbose_name="hồ sơ",
    )
    content = models.TextField("nội dung")
    sender_name = models.CharField("họ tên người gửi", max_length=255)
    sender_phone = models.CharField("số điện thoại", max_length=20, blank=True)
    sender_email = models.EmailField("thư điện tử", blank=True)
    sender_address = models.CharField("địa chỉ", max_length=500, blank=True)
    received_at = models.DateTimeField("tiếp nhận lúc")
    state = models.CharField("trạng thái", max_length=16, choices=FeedbackState.choices, db_index=True)
    refuse_due_at = models.DateTimeField("hạn từ chối")
    info_due_at = models.DateTimeField("hạn đề nghị bổ sung thông tin")
    handle_due_at = models.DateTimeField("hạn xử lý")
    info_requested_at = models.DateTimeField(null=True, blank=True)
    info_request = models.TextField("nội dung đề nghị bổ sung", blank=True)
    info_received_at = models.DateTimeField(null=True, blank=True)
    refused_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField("lý do từ chối", blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField("kết quả xử lý", blank=True)
    publish_due_at = models.DateTimeField("hạn công khai", null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField("có bước quá hạn", default=False)
    # The sender's opinion of the handling: the 766 index subtracts unsatisfied ones
    # (docs/index-766.md, satisfaction with feedback handling).
    sender_rating = models.CharField(
        "đánh giá của người gửi về kết quả xử lý", max_length=16, choices=RatingValue.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"

    def __str__(self) -> str:
        return self.code

    @property
    def closed(self) -> bool:
        return self.state in (FeedbackState.REFUSED, FeedbackState.PUBLISHED)

    @property
    def on_time(self) -> bool | None:
        """Handled within every limit; None while still open."""
        return (not self.late) if self.closed else None


class FeedbackEvent(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=32, choices=FeedbackEventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["feedback", "sequence"]
        verbose_name = "sự kiện phản ánh, kiến nghị"
        constraints = [
            models.UniqueConstraint(fields=["feedback", "sequence"], name="feedback_event_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.feedback_id}#{self.sequence} {self.kind}"
