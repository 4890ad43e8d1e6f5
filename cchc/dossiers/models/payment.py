from __future__ import annotations

from django.db import models

from ..choices import RatingValue


class PaymentMethod(models.TextChoices):
    ONLINE = "truc_tuyen", "Trực tuyến (qua cổng thanh toán)"
    DESK = "tai_quay", "Tại bộ phận một cửa"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Đang chờ thanh toán"
    PAID = "paid", "Đã thanh toán"
    FAILED = "failed", "Không thành công"


class Payment(models.Model):
    """A fee payment for a dossier. Online payments go through a `PaymentGateway`
    (cchc.dossiers.gateways); `reference` is the gateway's transaction reference."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="payments")
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    method = models.CharField("hình thức", max_length=16, choices=PaymentMethod.choices)
    gateway = models.CharField("cổng thanh toán", max_length=64, blank=True)
    reference = models.CharField("mã giao dịch", max_length=128, null=True, blank=True, unique=True)
    status = models.CharField(
        "trạng thái", max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    created_at = models.DateTimeField("tạo lúc")
    paid_at = models.DateTimeField("thanh toán lúc", null=True, blank=True)

    class Meta:
        ordering = ["dossier", "created_at", "id"]
        verbose_name = "thanh toán"

    def __str__(self) -> str:
        return f"{self.reference or self.pk}: {self.amount} ({self.get_status_display()})"


class Rating(models.Model):
    """The applicant's rating of how the dossier was handled — one per dossier."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="rating_entry")
    value = models.CharField("mức đánh giá", max_length=16, choices=RatingValue.choices)
    comment = models.TextField("ý kiến", blank=True)
    at = models.DateTimeField("đánh giá lúc")

    class Meta:
        verbose_name = "đánh giá của người nộp"

    def __str__(self) -> str:
        return self.get_value_display()
