"""The procedure (thủ tục hành chính, TTHC) catalogue: what a citizen or business can ask for,
who decides it, how long it may take, what it costs, what to bring and how it is processed
inside the agency (steps B1…Bn). See docs/procedures.md."""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.db import models

from cchc.orgs.models import UnitKind

from .performers import Performer

# National code "1.001234"; a local variant adds the province suffix: "1.012753.H19".
CODE_RE = re.compile(r"^[1-9]\.\d{6}(?:\.H\d{2})?$")


class Level(models.TextChoices):
    """The level whose authority decides the procedure (cấp thực hiện)."""

    PROVINCE = "province", "Cấp tỉnh"
    COMMUNE = "commune", "Cấp xã"
    CENTRAL_LOCAL = "central_local", "Trung ương (tiếp nhận tại địa phương)"


class TimeUnit(models.TextChoices):
    WORKING_DAY = "working_day", "ngày làm việc"
    WORKING_HOUR = "working_hour", "giờ làm việc"
    CALENDAR_DAY = "calendar_day", "ngày"


class OnlineMode(models.TextChoices):
    """Dịch vụ công trực tuyến: fully online, partly online (some steps at the desk), or none."""

    FULL = "full", "Toàn trình"
    PARTIAL = "partial", "Một phần"
    NONE = "none", "Không trực tuyến"


class ApplicantType(models.TextChoices):
    """Who may ask for the procedure (đối tượng thực hiện); the 766 index needs it for "public in
    full" and for "procedures whose applicant is a citizen" (docs/index-766.md)."""

    CITIZEN = "citizen", "Công dân"
    ORGANISATION = "organisation", "Tổ chức, doanh nghiệp"
    BOTH = "both", "Công dân, tổ chức"


class Procedure(models.Model):
    """One procedure of the catalogue as the competent agency publishes it.

    `agency` is the unit that decides it. Commune-level procedures that every commune of a
    province carries out are recorded once, with `level` = commune and the province as agency
    (the People's Committees of its communes); a procedure only one commune handles names that
    commune. `search_text` is the folded code, name and field (`cchc.core.text.fold`) kept by the
    services, so that "dang ky khai sinh" finds "Đăng ký khai sinh".
    """

    code = models.CharField("mã thủ tục", max_length=20, db_index=True)
    name = models.CharField("tên thủ tục", max_length=1000)
    field = models.CharField("lĩnh vực", max_length=255, blank=True, db_index=True)
    level = models.CharField("cấp thực hiện", max_length=16, choices=Level.choices, default=Level.PROVINCE)
    agency = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="procedures", verbose_name="cơ quan thực hiện"
    )
    processing_time = models.DecimalField(
        "thời hạn giải quyết", max_digits=7, decimal_places=2, null=True, blank=True
    )
    time_unit = models.CharField(
        "đơn vị thời hạn", max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAY
    )
    fee_amount = models.PositiveBigIntegerField(
        "phí, lệ phí (đồng)", null=True, blank=True, help_text="0 nếu không thu phí, lệ phí."
    )
    fee_note = models.CharField("ghi chú phí, lệ phí", max_length=500, blank=True)
    online_mode = models.CharField(
        "dịch vụ công trực tuyến", max_length=16, choices=OnlineMode.choices, default=OnlineMode.NONE
    )
    result_type = models.CharField("kết quả thực hiện", max_length=500, blank=True)
    applicant_type = models.CharField(
        "đối tượng thực hiện",
        max_length=16,
        choices=ApplicantType.choices,
        blank=True,
        help_text="Để trống nếu chưa cập nhật.",
    )
    # Facts the service-quality index ("766") needs about publication.
    published_on = models.DateField("ngày công bố", null=True, blank=True, db_index=True)
    announcement_decision = models.CharField("quyết định công bố", max_length=100, blank=True)
    legal_basis = models.CharField("căn cứ pháp lý", max_length=500, blank=True)
    legal_basis_effective_on = models.DateField("căn cứ pháp lý có hiệu lực từ", null=True, blank=True)
    synced_to_national_portal = models.BooleanField("đã đồng bộ Cổng DVC quốc gia", default=False)
    made_public_on = models.DateField("ngày công khai trên CSDL quốc gia", null=True, blank=True)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code", "id"]
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        constraints = [
            models.UniqueConstraint(fields=["code", "agency"], name="procedure_code_agency_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="procedure_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("procedures:detail", args=[self.pk])

    @property
    def is_local_variant(self) -> bool:
        return ".H" in self.code

    @property
    def agency_label(self) -> str:
        """Who decides it, as people say it: "UBND cấp xã (Tỉnh Đồng Nai)" for the communes."""
        if self.level == Level.COMMUNE and self.agency.kind == UnitKind.PROVINCE:
            return f"UBND cấp xã ({self.agency.name})"
        return self.agency.body_name

    @property
    def processing_time_label(self) -> str:
        return format_duration(self.processing_time, self.time_unit)

    @property
    def fee_label(self) -> str:
        if self.fee_amount is None:
            return self.fee_note or "Chưa cập nhật"
        if self.fee_amount == 0:
            return "Không thu phí, lệ phí"
        return f"{self.fee_amount:,}".replace(",", ".") + " đồng"


def format_duration(amount: Decimal | None, unit: str) -> str:
    """ "15 ngày làm việc", "0,5 ngày làm việc", "4 giờ làm việc"."""
    if amount is None:
        return "Chưa cập nhật"
    value = (
        amount.normalize() if amount == amount.to_integral() else amount.quantize(Decimal("0.01")).normalize()
    )
    text = f"{value:f}".replace(".", ",")
    return f"{text} {TimeUnit(unit).label}"


class Component(models.Model):
    """A document the applicant brings (thành phần hồ sơ)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveIntegerField("thứ tự", default=0)
    name = models.CharField("tên giấy tờ", max_length=500)
    form_template = models.CharField(
        "mẫu đơn, tờ khai", max_length=255, blank=True, help_text="Ví dụ: Mẫu số 01 ban hành kèm Thông tư …"
    )
    copies = models.PositiveSmallIntegerField("số lượng bản", default=1)
    mandatory = models.BooleanField("bắt buộc", default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "thành phần hồ sơ"

    def __str__(self) -> str:
        return self.name


class Step(models.Model):
    """One step of the internal process (quy trình nội bộ): B1, B2, … with who acts and how long
    they have, in the procedure's time unit."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField("thứ tự", default=1)
    name = models.CharField("nội dung công việc", max_length=500)
    actor_role = models.CharField("người thực hiện", max_length=255)
    # Who acts, as the dossier engine enforces it (desk, specialist, leader); filled from
    # `actor_role`'s words unless chosen (procedures.performers), copied to a dossier at receipt.
    performer = models.CharField(
        "vai trò thực hiện", max_length=16, choices=Performer.choices, default=Performer.SPECIALIST
    )
    time_allowed = models.DecimalField("thời gian", max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "bước xử lý"

    def __str__(self) -> str:
        return f"{self.label}: {self.name}"

    @property
    def label(self) -> str:
        return f"B{self.position}"

    @property
    def time_label(self) -> str:
        return format_duration(self.time_allowed, self.procedure.time_unit)
