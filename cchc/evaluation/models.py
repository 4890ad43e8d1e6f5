"""The CCHC index of units (Chỉ số CCHC, the PAR Index pattern): frameworks, assessment rounds,
self-assessment with evidence, appraisal (docs/par-index.md).

A *framework* (bộ chỉ số) of a year is issued by a province's coordinator: areas → criteria →
sub-criteria (`Criterion`, codes "1", "1.2", "1.2.3"), each leaf with its maximum, method, the
groups it applies to, guidance and the evidence required; a `du_lieu` leaf names an indicator
source (`cchc.core.indicator_sources`) and the value that earns full points. A *round* (đợt đánh
giá) applies a framework to units: each `Participant` self-scores every leaf that applies to its
group (`Score.self_points` with an explanation and evidence), submits, the appraisal council
scores beside it (`appraised_points` with a reason), may ask once for clarification, finalises;
the coordinator publishes. The arithmetic is `formulas.compute_results`, the same function
`cchc par compute` runs on files.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cchc.core.collation import vi
from cchc.orgs.models import UnitKind


class Group(models.TextChoices):
    AGENCY = "so", "Cấp sở (cơ quan, đơn vị thuộc tỉnh)"
    COMMUNE = "xa", "Cấp xã (xã, phường, đặc khu)"


def group_of(unit) -> str:
    """Communes are scored as communes; every other unit under a province as an agency."""
    return Group.COMMUNE if unit.kind == UnitKind.COMMUNE else Group.AGENCY


class Method(models.TextChoices):
    SELF = "tu_cham", "Tự chấm, thẩm định"
    DATA = "du_lieu", "Tính từ dữ liệu hệ thống"
    SURVEY = "khao_sat", "Điều tra xã hội học"
    BONUS = "diem_thuong", "Điểm thưởng"
    DEDUCTION = "diem_tru", "Điểm trừ"


class Framework(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        ISSUED = "issued", "Đã ban hành"

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="par_frameworks", verbose_name="đơn vị ban hành"
    )
    year = models.PositiveSmallIntegerField("năm đánh giá")
    # One framework may serve both groups (leaves say which they apply to) or one group only.
    group = models.CharField(
        "nhóm đơn vị",
        max_length=2,
        choices=Group.choices,
        blank=True,
        help_text="Để trống: cả cấp sở và cấp xã.",
    )
    name = models.CharField("tên bộ chỉ số", max_length=255)
    status = models.CharField("trạng thái", max_length=8, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField("căn cứ, ghi chú", blank=True)
    bands = models.CharField(
        "xếp loại",
        max_length=255,
        default="90: Xuất sắc; 80: Tốt; 70: Khá; 50: Trung bình; 0: Yếu",
        help_text="Ngưỡng chỉ số (%) và tên loại, cao xuống thấp, ngưỡng cuối là 0.",
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="sao từ"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "group", "id"]
        verbose_name = "bộ chỉ số CCHC"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "group"], name="par_framework_unit_year_group")
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """An area (depth 1), criterion (2) or sub-criterion (3) of a framework; leaves are scored."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField("mã", max_length=16)
    sort_key = models.CharField(max_length=64, editable=False)  # "001.002.003": code order
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    depth = models.PositiveSmallIntegerField()
    name = models.TextField("tên")
    max_points = models.DecimalField("điểm tối đa", max_digits=7, decimal_places=2, null=True, blank=True)
    is_leaf = models.BooleanField(default=True)
    method = models.CharField("phương pháp", max_length=12, choices=Method.choices, blank=True)
    applies_to = models.CharField("áp dụng", max_length=2, choices=Group.choices, blank=True)
    guidance = models.TextField("hướng dẫn chấm điểm", blank=True)
    evidence_required = models.TextField("tài liệu kiểm chứng", blank=True)
    source = models.CharField("chỉ số nguồn (du_lieu)", max_length=80, blank=True)
    full_at = models.DecimalField(
        "giá trị đạt điểm tối đa", max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["framework", "sort_key"]
        verbose_name = "tiêu chí"
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="par_criterion_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name[:60]}"

    @property
    def area_code(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def ordinary(self) -> bool:
        """Counts toward the maximum (not a bonus or a deduction)."""
        return self.method not in (Method.BONUS, Method.DEDUCTION)

    def applies(self, group: str) -> bool:
        return not self.applies_to or self.applies_to == group


class Round(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Đang tự đánh giá"
        APPRAISING = "appraising", "Đang thẩm định"
        FINALISED = "finalised", "Đã có kết quả"
        PUBLISHED = "published", "Đã công bố"

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="rounds")
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="par_rounds", verbose_name="đơn vị tổ chức"
    )
    title = models.CharField("tên đợt đánh giá", max_length=255)
    self_due = models.DateField("hạn tự đánh giá")
    appraisal_due = models.DateField("hạn thẩm định")
    state = models.CharField("trạng thái", max_length=12, choices=State.choices, default=State.OPEN)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-framework__year", "-id"]
        verbose_name = "đợt đánh giá chỉ số CCHC"

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """A unit assessed in a round, with where its assessment stands."""

    class State(models.TextChoices):
        DRAFT = "draft", "Đang tự chấm"
        SUBMITTED = "submitted", "Đã nộp, chờ thẩm định"
        CLARIFY = "clarify", "Hội đồng đề nghị giải trình"
        ANSWERED = "answered", "Đã giải trình"
        FINALISED = "finalised", "Đã thẩm định xong"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="par_participations")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", vi("unit__name")]
        verbose_name = "đơn vị được đánh giá"
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="par_participant_unit")]

    def __str__(self) -> str:
        return f"{self.unit} — {self.round}"


class Score(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    self_points = models.DecimalField("điểm tự chấm", max_digits=7, decimal_places=2, null=True, blank=True)
    explanation = models.TextField("giải trình, thuyết minh", blank=True)
    computed_value = models.DecimalField(  # du_lieu: the source's figure when the points were computed
        max_digits=14, decimal_places=4, null=True, blank=True
    )
    appraised_points = models.DecimalField(
        "điểm thẩm định", max_digits=7, decimal_places=2, null=True, blank=True
    )
    appraisal_reason = models.TextField("lý do điều chỉnh", blank=True)
    question = models.TextField("nội dung đề nghị giải trình", blank=True)
    answer = models.TextField("nội dung giải trình", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["participant", "criterion__sort_key"]
        verbose_name = "điểm tiêu chí"
        constraints = [models.UniqueConstraint(fields=["participant", "criterion"], name="par_score_leaf")]

    def __str__(self) -> str:
        return f"{self.participant_id}/{self.criterion_id}"

    @property
    def final_points(self):
        """Appraised if given, else self-assessed if given, else 0 (docs/specs/par-index.md)."""
        if self.appraised_points is not None:
            return self.appraised_points
        return self.self_points if self.self_points is not None else 0


class Evidence(models.Model):
    """A document proving a score: an uploaded file, a link, or something already in the system
    (a task's progress update with its own evidence) — reused, never uploaded twice."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    label = models.CharField("tên tài liệu", max_length=255)
    file = models.FileField(upload_to="par/%Y/", blank=True)
    url = models.URLField("đường dẫn", max_length=500, blank=True)
    progress = models.ForeignKey(
        "tracking.ProgressUpdate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["score", "id"]
        verbose_name = "tài liệu kiểm chứng"

    def __str__(self) -> str:
        return self.label
