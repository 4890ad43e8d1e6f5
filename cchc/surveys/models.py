"""Satisfaction surveys (khảo sát sự hài lòng, the SIPAS method; docs/surveys.md).

A *questionnaire* (bộ câu hỏi) is data: sections, each an *element* (yếu tố: "1" access … "5"
feedback handling) or a section of information/choice questions, and questions of three kinds
(1–5 scale, choice, free text). A *campaign* (đợt khảo sát) applies one questionnaire to units
over a window, with a target sample per unit; its respondents are either drawn from the dossiers
finished in the window (`SampleEntry`, random with a fixed seed, stratified by unit and
procedure) and invited by a per-respondent link, or anyone through the campaign's open link.

Privacy: a `Response` carries no link to a person or to the token it came through — the token
(only its hash is stored) is marked used in the same transaction and keeps no pointer to the
response. The dossier rating of the one-click "đánh giá" (`dossiers.Dossier.rating`) is another
measure and is not read here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cchc.core.collation import vi


class Kind(models.TextChoices):
    SCALE = "thang_5", "Thang điểm 1–5"
    CHOICE = "lua_chon", "Lựa chọn"
    TEXT = "van_ban", "Ý kiến (văn bản)"


class Variant(models.TextChoices):
    PUBLIC_SERVICE = "hanh_chinh", "Dịch vụ hành chính công"
    EDUCATION = "giao_duc", "Dịch vụ giáo dục công"
    HEALTH = "y_te", "Dịch vụ y tế công"


class Questionnaire(models.Model):
    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên bộ câu hỏi", max_length=255)
    variant = models.CharField("loại dịch vụ", max_length=16, choices=Variant.choices)
    note = models.TextField("căn cứ, hướng dẫn", blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "bộ câu hỏi"

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField("mã yếu tố / phần", max_length=40)
    name = models.CharField("tên", max_length=255)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["questionnaire", "order"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="survey_section_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField("mã câu", max_length=40)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    text = models.TextField("nội dung câu hỏi")
    choices = models.TextField("các lựa chọn (cách nhau bởi ;)", blank=True)
    required = models.BooleanField("bắt buộc", default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["questionnaire", "order"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="survey_question_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"

    @property
    def element(self) -> str:
        return self.section.code

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.split(";") if c.strip()]


class Campaign(models.Model):
    class Mode(models.TextChoices):
        SAMPLED = "chon_mau", "Chọn mẫu từ hồ sơ đã giải quyết"
        OPEN = "mo", "Mở cho mọi người"

    class Status(models.TextChoices):
        OPEN = "open", "Đang khảo sát"
        CLOSED = "closed", "Đã kết thúc"

    owner = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="survey_campaigns", verbose_name="đơn vị tổ chức"
    )
    name = models.CharField("tên đợt khảo sát", max_length=255)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="campaigns")
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    mode = models.CharField("cách chọn người trả lời", max_length=10, choices=Mode.choices)
    seed = models.BigIntegerField("hạt giống chọn mẫu", default=0)
    status = models.CharField("trạng thái", max_length=8, choices=Status.choices, default=Status.OPEN)
    # the open link's key (secrets.token_urlsafe): not a secret, only not enumerable
    public_key = models.CharField(max_length=32, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", vi("name")]
        verbose_name = "đợt khảo sát"

    def __str__(self) -> str:
        return self.name


class CampaignUnit(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    sample_size = models.PositiveIntegerField("cỡ mẫu", default=0)
    responses = models.PositiveIntegerField("số phiếu đã nhận", default=0)  # kept with the tallies

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="survey_campaign_unit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: đơn vị {self.unit_id}, cỡ mẫu {self.sample_size}"


class SampleEntry(models.Model):
    """One respondent: a dossier drawn into the sample (or a link issued without one), its token
    as a SHA-256 hash, and when it was used. Never points at the response."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sample")
    # No database constraint on the unit, the dossier and the procedure (Django still refuses to
    # delete a unit with entries and sets the other two to NULL when theirs is deleted): the draw
    # inserts a quarter of a million entries at once, and PostgreSQL checks each constraint of
    # each row at commit — locking every drawn dossier row (FOR KEY SHARE, rewriting as many
    # pages of the dossier table), in all most of the draw's time. The draw writes only ids it
    # has just read from those tables (docs/decisions.md).
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", db_constraint=False)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    procedure = models.ForeignKey(
        "procedures.Procedure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["campaign", "unit"])]

    def __str__(self) -> str:
        return f"Mẫu khảo sát #{self.pk}"


class Response(models.Model):
    class Channel(models.TextChoices):
        LINK = "lien_ket", "Đường dẫn riêng"
        OPEN = "mo", "Đường dẫn chung"
        PAPER = "giay", "Phiếu giấy"
        IMPORT = "nhap_tep", "Nhập từ tệp"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField("kênh", max_length=10, choices=Channel.choices)
    form_code = models.CharField("mã phiếu", max_length=64, blank=True)
    submitted_at = models.DateTimeField("thời điểm", auto_now_add=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["campaign", "unit"])]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "form_code"],
                condition=~models.Q(form_code=""),
                name="survey_response_form_code_unique",
            )
        ]

    def __str__(self) -> str:
        return f"Phiếu khảo sát #{self.pk}"


class Answer(models.Model):
    """One answer. ``campaign``, ``unit`` and ``element`` repeat the response's campaign and unit
    and the question's section code (written with the answer, never changed after), so that the
    recount of the campaign's counts is one GROUP BY over one covering index, without joining
    millions of answers to their responses and questions (docs/decisions.md, "Survey recount")."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField("điểm 1–5", null=True, blank=True)
    text = models.TextField("trả lời", blank=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+", db_index=False)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    element = models.CharField(max_length=40, blank=True)

    class Meta:
        indexes = [
            # covers the recount: campaign → unit, element, score; only answers with a score
            models.Index(
                fields=["campaign", "unit", "element", "score"],
                condition=models.Q(score__isnull=False),
                name="survey_answer_tally_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="survey_answer_score_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Trả lời #{self.pk}"


class Tally(models.Model):
    """How many answers ``score`` the unit's responses gave to the element's 1–5 questions in the
    campaign: the counts the results are computed from (`formulas.element_figure_from_counts`),
    kept up to date with every response so that a results page reads a few thousand rows, not
    every answer. Created for every unit × element × score with the campaign (so that a
    concurrent first answer only ever updates); `tallies_recompute` rebuilds them from the answers."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tallies")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    element = models.CharField(max_length=40)
    score = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "element", "score"], name="survey_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.unit_id}/{self.element}/{self.score}: {self.count}"
