"""Stored results of the 766 index, and the one unit fact it needs that no other model holds."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cchc.orgs.models import Unit

SCORE = {"max_digits": 6, "decimal_places": 2}


class Snapshot(models.Model):
    """The index of one unit (over its whole subtree) for one period, as last computed, so that
    pages and the plan targets read it instantly. `indicators` holds, per indicator code, the
    numerator, denominator and points — or the reason it is not computable (`Result.as_json`);
    `details` the figures shown beside the score (points reachable per group, the average
    processing time of the busiest procedures, counts)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name="đơn vị")
    period = models.CharField("kỳ", max_length=16)
    total = models.DecimalField("tổng điểm", **SCORE)
    publicity = models.DecimalField("công khai, minh bạch", **SCORE)
    progress = models.DecimalField("tiến độ giải quyết", **SCORE)
    online = models.DecimalField("dịch vụ công trực tuyến", **SCORE)
    digitisation = models.DecimalField("số hóa hồ sơ", **SCORE)
    satisfaction = models.DecimalField("mức độ hài lòng", **SCORE)
    payment = models.DecimalField("thanh toán trực tuyến", **SCORE)
    indicators = models.JSONField("chỉ tiêu thành phần", default=dict)
    details = models.JSONField("số liệu kèm theo", default=dict)
    computed_at = models.DateTimeField("tính lúc")
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "kết quả Chỉ số 766"
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="index766_snapshot_unit_period")
        ]
        indexes = [models.Index(fields=["period", "unit"], name="index766_snapshot_period")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period}: {self.total}"


class CertifiedCopyOffer(models.Model):
    """Whether a commune issues electronic certified copies (chứng thực bản sao điện tử từ bản
    chính), and since when: the digitisation group counts communes that do. Kept by the
    commune's (or the province's) coordinators on the 766 page of the commune."""

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="certified_copy_offer", verbose_name="xã, phường"
    )
    offered = models.BooleanField("cung cấp chứng thực bản sao điện tử", default=False)
    since = models.DateField("từ ngày", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "chứng thực bản sao điện tử của xã"

    def __str__(self) -> str:
        return f"{self.unit}: {'có' if self.offered else 'không'}"
