"""Manual indicators: figures no data source holds, defined by a coordinator and reported by units.

A definition belongs to the unit of the coordinator who made it and applies to the units of that
unit's subtree (optionally only some kinds of unit). Each unit files at most one report per
definition and period; a report can be corrected, and every correction is in the audit log with
the figures before and after. Reports hold the unit's own figures (never its subunits'), so that
a parent's figure is a sum over its subtree (see `cchc.manual_indicators.rollup`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cchc.core.collation import vi
from cchc.orgs.models import UnitKind


class Kind(models.TextChoices):
    RATIO = "ratio", "Tỷ lệ (%) tính từ tử số / mẫu số"
    PERCENT = "percent", "Tỷ lệ (%) nhập trực tiếp"
    COUNT = "count", "Số lượng (số nguyên)"
    NUMBER = "number", "Số liệu có đơn vị tính"


class Periodicity(models.TextChoices):
    """The CCHC reports of guidance 581/BNV-CCHC; every period runs from 15/12 of the year before
    (see cchc.manual_indicators.periods); stored as reporting-window keys, BC-2026-Q1, …"""

    QUARTER = "quarter", "Hằng quý (quý I, 6 tháng, 9 tháng, năm)"
    HALF_YEAR = "half_year", "6 tháng và năm"
    YEAR = "year", "Hằng năm"


class Aggregation(models.TextChoices):
    """How a NUMBER indicator adds up over units (other kinds have a fixed rule)."""

    SUM = "sum", "Cộng các đơn vị"
    MEAN = "mean", "Bình quân các đơn vị"


class ManualIndicator(models.Model):
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="manual_indicators",
        verbose_name="đơn vị ban hành",
    )
    code = models.SlugField("mã chỉ số", max_length=64)
    name = models.CharField("tên chỉ số", max_length=255)
    guidance = models.TextField("hướng dẫn cách tính, thu thập số liệu", blank=True)
    kind = models.CharField("loại chỉ số", max_length=16, choices=Kind.choices)
    numerator_label = models.CharField("tên tử số", max_length=255, blank=True)
    denominator_label = models.CharField("tên mẫu số", max_length=255, blank=True)
    unit_of_measure = models.CharField("đơn vị tính", max_length=32, blank=True)
    aggregation = models.CharField(
        "cách tổng hợp", max_length=8, choices=Aggregation.choices, default=Aggregation.SUM
    )
    unit_kinds = models.JSONField("loại đơn vị báo cáo", default=list, blank=True)
    periodicity = models.CharField("kỳ báo cáo", max_length=16, choices=Periodicity.choices)
    active = models.BooleanField("đang áp dụng", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [vi("name"), "id"]
        verbose_name = "chỉ số báo cáo thủ công"
        verbose_name_plural = "chỉ số báo cáo thủ công"
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="manual_indicator_unit_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ratio(self) -> bool:
        return self.kind == Kind.RATIO

    @property
    def is_percentage(self) -> bool:
        return self.kind in (Kind.RATIO, Kind.PERCENT)

    @property
    def measure(self) -> str:
        """What the value is counted in: "%", or the unit of measure."""
        return "%" if self.is_percentage else self.unit_of_measure

    @property
    def unit_kinds_label(self) -> str:
        labels = dict(UnitKind.choices)
        return "; ".join(labels.get(k, k) for k in self.unit_kinds) or "Mọi đơn vị"

    def applies_to_kind(self, kind: str) -> bool:
        return not self.unit_kinds or kind in self.unit_kinds


class ManualReport(models.Model):
    """One unit's figures for one definition and period (its own, not its subunits')."""

    indicator = models.ForeignKey(
        ManualIndicator, on_delete=models.PROTECT, related_name="reports", verbose_name="chỉ số"
    )
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    period = models.CharField("kỳ báo cáo", max_length=16)
    numerator = models.BigIntegerField("tử số", null=True, blank=True)
    denominator = models.BigIntegerField("mẫu số", null=True, blank=True)
    value = models.DecimalField("giá trị", max_digits=18, decimal_places=2)
    note = models.TextField("ghi chú", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người báo cáo",
    )
    reported_at = models.DateTimeField("thời điểm báo cáo")
    corrections = models.PositiveIntegerField("số lần điều chỉnh", default=0)

    class Meta:
        ordering = ["indicator_id", "period", "unit__path"]
        verbose_name = "số liệu báo cáo"
        verbose_name_plural = "số liệu báo cáo"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "period"], name="manual_report_unique"),
            models.CheckConstraint(
                condition=models.Q(numerator__isnull=True) | models.Q(numerator__gte=0),
                name="manual_report_numerator_nonnegative",
            ),
            models.CheckConstraint(
                condition=models.Q(denominator__isnull=True) | models.Q(denominator__gt=0),
                name="manual_report_denominator_positive",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period"], name="manual_report_period")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.unit_id} {self.period}"
