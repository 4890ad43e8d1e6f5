from __future__ import annotations

from django.conf import settings
from django.db import models


class ReformArea(models.TextChoices):
    """The six reform areas of Nghị quyết 76/NQ-CP, plus direction and communication."""

    THE_CHE = "the_che", "Cải cách thể chế"
    THU_TUC_HANH_CHINH = "thu_tuc_hanh_chinh", "Cải cách thủ tục hành chính"
    TO_CHUC_BO_MAY = "to_chuc_bo_may", "Cải cách tổ chức bộ máy hành chính nhà nước"
    CONG_VU = "cong_vu", "Cải cách chế độ công vụ"
    TAI_CHINH_CONG = "tai_chinh_cong", "Cải cách tài chính công"
    CHINH_QUYEN_SO = "chinh_quyen_so", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"
    CHI_DAO_DIEU_HANH = "chi_dao_dieu_hanh", "Công tác chỉ đạo, điều hành và thông tin, tuyên truyền CCHC"


AREA_ORDER = {key: i for i, key in enumerate([a.value for a in ReformArea])}


class PlanKind(models.TextChoices):
    ANNUAL = "annual", "Kế hoạch năm"
    MULTI_YEAR = "multi_year", "Kế hoạch nhiều năm"
    ONE_OFF = "one_off", "Kế hoạch chuyên đề"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ISSUED = "issued", "Đã ban hành"
    CLOSED = "closed", "Đã kết thúc"


class Plan(models.Model):
    issuer = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="plans", verbose_name="cơ quan ban hành"
    )
    number = models.CharField("số, ký hiệu", max_length=64, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    title = models.CharField("trích yếu", max_length=500)
    summary = models.TextField("mục đích, yêu cầu", blank=True)
    kind = models.CharField("loại kế hoạch", max_length=16, choices=PlanKind.choices, default=PlanKind.ANNUAL)
    from_year = models.PositiveSmallIntegerField("từ năm")
    to_year = models.PositiveSmallIntegerField("đến năm")
    status = models.CharField(
        "trạng thái", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name="thực hiện kế hoạch cấp trên",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)  # optimistic versioning (cchc.core.versioning)

    class Meta:
        ordering = ["-from_year", "-issued_on", "-id"]
        verbose_name = "kế hoạch"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_year__gte=models.F("from_year")), name="plan_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("plans:detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return str(self.from_year) if self.from_year == self.to_year else f"{self.from_year}–{self.to_year}"

    @property
    def is_editable(self) -> bool:
        return self.status != PlanStatus.CLOSED


class Comparator(models.TextChoices):
    GT = ">", "trên"
    GE = ">=", "từ … trở lên / tối thiểu"
    EQ = "=", "đạt"
    LE = "<=", "không quá"
    LT = "<", "dưới"


class Target(models.Model):
    """A quantified goal of the plan ("Trên 95% hồ sơ … đúng hạn")."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveIntegerField("thứ tự", default=0)
    text = models.TextField("nội dung chỉ tiêu")
    area = models.CharField(
        "lĩnh vực",
        max_length=32,
        choices=ReformArea.choices,
        blank=True,
        help_text="Để trống với chỉ tiêu chung (kinh tế - xã hội).",
    )
    comparator = models.CharField("so sánh", max_length=2, choices=Comparator.choices, default=Comparator.GE)
    value = models.DecimalField("giá trị", max_digits=14, decimal_places=2)
    unit_of_measure = models.CharField("đơn vị tính", max_length=32, default="%")
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    reduction = models.BooleanField("chỉ tiêu giảm", default=False)
    section = models.CharField("mục trong văn bản", max_length=255, blank=True)
    source = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="taken_up_by",
        verbose_name="chỉ tiêu của kế hoạch cấp trên",
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "chỉ tiêu"

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def goal_label(self) -> str:
        """The level as a person says it: "Trên 95%", "Tối thiểu 30 cuộc/năm", "Giảm tối thiểu 10%"."""
        from django.utils.formats import number_format

        value = number_format(
            self.value.normalize() if self.value == self.value.to_integral() else self.value, use_l10n=True
        )
        amount = f"{value}%" if self.unit_of_measure == "%" else f"{value} {self.unit_of_measure}".strip()
        words = {">": "Trên", ">=": "Tối thiểu", "=": "Đạt", "<=": "Không quá", "<": "Dưới"}[self.comparator]
        return f"Giảm {words.lower()} {amount}" if self.reduction else f"{words} {amount}"


class DeadlineKind(models.TextChoices):
    FIXED = "fixed", "Thời hạn cụ thể"
    RECURRING = "recurring", "Định kỳ"
    CONTINUOUS = "continuous", "Thường xuyên"
    CONDITIONAL = "conditional", "Theo điều kiện"
    UNKNOWN = "unknown", "Chưa xác định"


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField("thứ tự", default=0)
    number = models.CharField("STT", max_length=16, blank=True)
    area = models.CharField("lĩnh vực", max_length=32, choices=ReformArea.choices)
    group = models.CharField("nhóm nhiệm vụ", max_length=255, blank=True)
    content = models.TextField("nội dung nhiệm vụ")
    output = models.TextField("kết quả, sản phẩm", blank=True)
    note = models.TextField("ghi chú", blank=True)
    lead_text = models.TextField("cơ quan chủ trì (như văn bản)", blank=True)
    coordinating_text = models.TextField("cơ quan phối hợp (như văn bản)", blank=True)
    deadline_text = models.CharField("thời gian hoàn thành (như văn bản)", max_length=255, blank=True)
    deadline_kind = models.CharField(
        "loại thời hạn", max_length=16, choices=DeadlineKind.choices, default=DeadlineKind.UNKNOWN
    )
    deadline_explanation = models.CharField("cách hiểu thời hạn", max_length=500, blank=True)
    due_dates = models.JSONField("các mốc thời hạn", default=list, blank=True)
    final_due = models.DateField("hạn hoàn thành", null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1)  # optimistic versioning (cchc.core.versioning)
    units = models.ManyToManyField("orgs.Unit", through="TaskUnit", related_name="tasks")
    source = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="taken_up_by",
        verbose_name="nhiệm vụ của kế hoạch cấp trên",
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "nhiệm vụ"

    def __str__(self) -> str:
        prefix = f"{self.number}. " if self.number else ""
        return f"{prefix}{self.content[:100]}"


class TaskRole(models.TextChoices):
    LEAD = "lead", "Chủ trì"
    COORDINATING = "coordinating", "Phối hợp"


class TaskUnit(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="task_units")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="task_roles")
    role = models.CharField(max_length=16, choices=TaskRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "unit", "role"], name="task_unit_role_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.unit_id} — nhiệm vụ {self.task_id}"
