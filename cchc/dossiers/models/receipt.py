from __future__ import annotations

from django.db import models


class ComponentForm(models.TextChoices):
    """How a component was handed in (hình thức: bản chính, bản sao, …), as on form 01."""

    ORIGINAL = "ban_chinh", "Bản chính"
    COPY = "ban_sao", "Bản sao"
    CERTIFIED_COPY = "ban_sao_chung_thuc", "Bản sao chứng thực"
    ELECTRONIC = "ban_dien_tu", "Bản điện tử"


class ReceivedComponent(models.Model):
    """One component (thành phần hồ sơ) the desk ticked as received: what form 01 lists.

    Written with the receipt (or the later acceptance) by `services.receipt`, in the same
    transaction as the event whose data (and so the audit row) carries the same list. The name is
    copied: the catalogue may change after the receipt, the slip may not."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="received_components"
    )
    component = models.ForeignKey(
        "procedures.Component",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="thành phần trong danh mục",
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    name = models.CharField("tên giấy tờ", max_length=500)
    form = models.CharField("hình thức", max_length=24, choices=ComponentForm.choices)
    count = models.PositiveSmallIntegerField("số lượng")

    class Meta:
        ordering = ["dossier", "position", "id"]
        verbose_name = "thành phần hồ sơ đã nhận"
        verbose_name_plural = "thành phần hồ sơ đã nhận"

    def __str__(self) -> str:
        return f"{self.name} ({self.get_form_display()}, {self.count})"
