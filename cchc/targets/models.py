"""How a plan target is measured: the indicator bound to it (docs/targets.md).

A target belongs to its plan (`cchc.plans.models.Target`: what the document says); which figure
tells whether it is met is a separate decision, taken by a coordinator after the plan exists and
sometimes after it is closed. So it lives here, one row per target that has a binding or a
suggestion. The code names a source of `cchc.core.indicator_sources` ("dung_han", "766:online",
"manual:VB_DIEN_TU").
"""

from django.conf import settings
from django.db import models


class TargetBinding(models.Model):
    target = models.OneToOneField(
        "plans.Target", on_delete=models.CASCADE, primary_key=True, related_name="binding"
    )
    indicator = models.CharField("chỉ số đo", max_length=80, blank=True)
    suggested = models.CharField("chỉ số hệ thống đề xuất", max_length=80, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người xác nhận chỉ số",
    )
    confirmed_at = models.DateTimeField("xác nhận chỉ số lúc", null=True, blank=True)
    measured_unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="đơn vị lấy số liệu",
        help_text="Để trống: cơ quan ban hành kế hoạch.",
    )

    class Meta:
        verbose_name = "chỉ số đo chỉ tiêu"

    def __str__(self) -> str:
        return f"{self.target_id}: {self.indicator or '—'}"


def binding_of(target) -> TargetBinding:
    """The target's binding, or an unsaved empty one (no row until there is something to keep).
    Reads ``target.binding`` so that `select_related("binding")` makes it free."""
    try:
        return target.binding
    except TargetBinding.DoesNotExist:
        return TargetBinding(target=target)
