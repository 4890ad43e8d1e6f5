"""CCHC inspections (kiểm tra công tác cải cách hành chính), docs/inspections.md.

An inspecting unit (the province through its Sở Nội vụ, or an agency over its own units) issues a
yearly *plan* (`InspectionPlan`, kế hoạch kiểm tra CCHC năm) with its *checklist* (`ChecklistItem`,
nội dung kiểm tra, by reform area, copied from year to year) and the *inspections* it will carry
out (`Inspection`: which unit, when, how — on site or by online document review — and by whom,
`TeamMember`). Conducting one records a *result* per checklist item (`ItemResult`: đạt / chưa
đạt / không áp dụng, a note and evidence files); the conclusion notice (thông báo kết luận) lists
the *findings* (`Finding`, tồn tại, hạn chế), each with an owner unit and a deadline. The owner
reports what it did (`RemediationReport`, with evidence); the team accepts (the finding is closed)
or returns it with a comment.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from cchc.plans.models import ReformArea


class InspectionPlan(models.Model):
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="inspection_plans", verbose_name="đơn vị kiểm tra"
    )
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("trích yếu", max_length=255)
    number = models.CharField("số, ký hiệu", max_length=64, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    note = models.TextField("mục đích, yêu cầu", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit__path"]
        verbose_name = "kế hoạch kiểm tra CCHC"
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="inspection_plan_unit_year")]

    def __str__(self) -> str:
        return self.title


class ChecklistItem(models.Model):
    """One content to inspect, grouped by reform area; numbered inside the plan ("1", "2", …)."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="checklist")
    area = models.CharField("lĩnh vực", max_length=32, choices=ReformArea.choices)
    position = models.PositiveSmallIntegerField("thứ tự")
    content = models.TextField("nội dung kiểm tra")
    guidance = models.TextField("cách kiểm tra, tài liệu cần xem", blank=True)

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = "nội dung kiểm tra"

    def __str__(self) -> str:
        return f"{self.position}. {self.content[:60]}"


class Kind(models.TextChoices):
    PLANNED = "ke_hoach", "Theo kế hoạch"
    AD_HOC = "dot_xuat", "Đột xuất"
    ONE_STOP = "mot_cua", "Đột xuất bộ phận một cửa"


class Mode(models.TextChoices):
    ON_SITE = "truc_tiep", "Trực tiếp tại đơn vị"
    ONLINE = "truc_tuyen", "Trực tuyến (xem xét hồ sơ điện tử)"


class Inspection(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", "Chưa kiểm tra"
        CONDUCTING = "conducting", "Đang kiểm tra"
        CONCLUDED = "concluded", "Đã có kết luận"

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="inspections")
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="inspections", verbose_name="đơn vị được kiểm tra"
    )
    kind = models.CharField("loại", max_length=10, choices=Kind.choices, default=Kind.PLANNED)
    mode = models.CharField("hình thức", max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    start_date = models.DateField("ngày kiểm tra")
    end_date = models.DateField("ngày kết thúc")
    state = models.CharField("trạng thái", max_length=10, choices=State.choices, default=State.PLANNED)
    started_at = models.DateTimeField(null=True, blank=True)
    conclusion_number = models.CharField("số thông báo kết luận", max_length=64, blank=True)
    concluded_on = models.DateField("ngày kết luận", null=True, blank=True)
    summary = models.TextField("nhận xét, đánh giá chung", blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "start_date", "id"]
        verbose_name = "cuộc kiểm tra"
        constraints = [
            # a unit appears once among a plan's planned inspections; spot checks may repeat
            models.UniqueConstraint(
                fields=["plan", "unit"],
                condition=models.Q(kind="ke_hoach"),
                name="inspection_planned_once_per_plan",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="inspection_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Kiểm tra {self.unit} ({self.start_date:%d/%m/%Y})"

    @property
    def carried_out(self) -> bool:
        return self.state != self.State.PLANNED


class TeamRole(models.TextChoices):
    LEAD = "truong_doan", "Trưởng đoàn"
    MEMBER = "thanh_vien", "Thành viên"
    SECRETARY = "thu_ky", "Thư ký"


class TeamMember(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("vai trò", max_length=12, choices=TeamRole.choices, default=TeamRole.MEMBER)

    class Meta:
        ordering = ["inspection", "role", "id"]
        verbose_name = "thành viên đoàn kiểm tra"
        constraints = [models.UniqueConstraint(fields=["inspection", "user"], name="inspection_team_once")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Verdict(models.TextChoices):
    PASS = "dat", "Đạt"
    FAIL = "chua_dat", "Chưa đạt"
    NOT_APPLICABLE = "khong_ap_dung", "Không áp dụng"


class ItemResult(models.Model):
    """The result of one checklist item in one inspection. The item's area and content are copied
    when the inspection starts, so a later change of the plan's checklist does not rewrite it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(ChecklistItem, null=True, on_delete=models.SET_NULL, related_name="+")
    area = models.CharField("lĩnh vực", max_length=32, choices=ReformArea.choices)
    position = models.PositiveSmallIntegerField()
    content = models.TextField("nội dung kiểm tra")
    verdict = models.CharField("kết quả", max_length=14, choices=Verdict.choices, blank=True)
    note = models.TextField("ghi chú", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["inspection", "position", "id"]
        verbose_name = "kết quả nội dung kiểm tra"

    def __str__(self) -> str:
        return f"{self.position}. {self.content[:60]}"


class Finding(models.Model):
    """A shortcoming found (tồn tại, hạn chế) to be remedied by its owner unit by the deadline."""

    class State(models.TextChoices):
        DRAFT = "draft", "Dự thảo (chưa kết luận)"
        OPEN = "open", "Đang khắc phục"
        REPORTED = "reported", "Đơn vị đã báo cáo, chờ xác nhận"
        RETURNED = "returned", "Trả lại, khắc phục tiếp"
        CLOSED = "closed", "Đã khắc phục"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    result = models.ForeignKey(
        ItemResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )
    position = models.PositiveSmallIntegerField()
    content = models.TextField("tồn tại, hạn chế")
    requirement = models.TextField("yêu cầu khắc phục", blank=True)
    owner = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="inspection_findings",
        verbose_name="đơn vị khắc phục",
    )
    deadline_text = models.CharField("thời hạn khắc phục", max_length=120)
    due_date = models.DateField("hạn khắc phục")
    state = models.CharField("trạng thái", max_length=10, choices=State.choices, default=State.DRAFT)
    reported_on = models.DateField("ngày báo cáo gần nhất", null=True, blank=True)
    remediated_on = models.DateField("ngày khắc phục xong", null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["inspection", "position", "id"]
        verbose_name = "tồn tại, hạn chế"
        indexes = [models.Index(fields=["state", "due_date"], name="finding_state_due")]

    def __str__(self) -> str:
        return f"{self.position}. {self.content[:60]}"

    @property
    def on_time(self) -> bool | None:
        if self.remediated_on is None:
            return None
        return self.remediated_on <= self.due_date


class RemediationReport(models.Model):
    """What the owner unit did about a finding; the team accepts it or returns it."""

    class Verdict(models.TextChoices):
        PENDING = "pending", "Chờ xác nhận"
        ACCEPTED = "accepted", "Đã chấp nhận"
        RETURNED = "returned", "Trả lại"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField("kết quả khắc phục")
    reported_on = models.DateField("ngày báo cáo")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    verdict = models.CharField(max_length=10, choices=Verdict.choices, default=Verdict.PENDING)
    comment = models.TextField("ý kiến của đoàn kiểm tra", blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["finding", "submitted_at", "id"]
        verbose_name = "báo cáo khắc phục"

    def __str__(self) -> str:
        return f"Báo cáo ngày {self.reported_on:%d/%m/%Y}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name is random: the original name is kept in the row, never used as a path.
    return f"inspections/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A file proving a result (of the team) or a remediation (of the unit): exactly one of the two."""

    result = models.ForeignKey(
        ItemResult, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    report = models.ForeignKey(
        RemediationReport, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_path, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "tài liệu kiểm chứng"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(result__isnull=False, report__isnull=True)
                | models.Q(result__isnull=True, report__isnull=False),
                name="inspection_evidence_of_one",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def inspection_id(self) -> int:
        return self.result.inspection_id if self.result else self.report.finding.inspection_id  # type: ignore[union-attr]
