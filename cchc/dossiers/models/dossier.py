from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..choices import ApplicantKind, Channel, EventKind, RatingValue, Result, ReturnMethod, State

# Personal data of the applicant: shown in clear only to those who handle the dossier
# (see `cchc.dossiers.personal`), never in the public lookup, the audit log or event data.
PERSONAL_FIELDS = (
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "applicant_search",
)


def result_file_path(instance: Dossier, filename: str) -> str:
    # The stored name is random: the original name is kept in the row, never used as a path.
    return f"dossier-results/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Dossier(models.Model):
    """One dossier (hồ sơ) from the first contact at the desk to the return of the result.

    The identity fields (code, procedure, units, channel, applicant) are set once at receipt.
    Every other field is a cache of the dossier's events (`DossierEvent`), computed by
    `cchc.dossiers.lifecycle.apply` and written by the services in the same transaction as the
    event; `lifecycle.STATE_FIELDS` lists them. Procedure facts that must not change under the
    dossier (processing time, fee, the internal steps) are copied at receipt.
    """

    code = models.CharField("mã số hồ sơ", max_length=64, unique=True)
    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.PROTECT, related_name="dossiers", verbose_name="thủ tục"
    )
    # No index of their own: (handling_unit, received_at/finished_at) and (receiving_unit,
    # received_at) below start with them (fewer indexes to maintain per imported dossier).
    handling_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="handled_dossiers",
        verbose_name="cơ quan giải quyết",
        db_index=False,
    )
    receiving_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        verbose_name="nơi tiếp nhận",
        db_index=False,
    )
    channel = models.CharField("kênh nộp", max_length=16, choices=Channel.choices)
    # Digest of the exchange-file row a dossier was imported from ("" for a dossier received here):
    # a re-import compares it to tell "the same row again" from "the same code, other content".
    import_digest = models.CharField("dấu vân tay dòng nhập", max_length=16, blank=True, default="")
    applicant_kind = models.CharField(
        "loại người nộp", max_length=16, choices=ApplicantKind.choices, default=ApplicantKind.CITIZEN
    )
    applicant_name = models.CharField("họ tên người nộp / tên tổ chức", max_length=255)
    applicant_id_number = models.CharField("số định danh cá nhân / mã số thuế", max_length=20, blank=True)
    applicant_phone = models.CharField("số điện thoại", max_length=20, blank=True)
    applicant_email = models.EmailField("thư điện tử", blank=True)
    applicant_address = models.CharField("địa chỉ", max_length=500, blank=True)
    # the name folded (`cchc.core.text.fold`): the staff search by name ignores accents and case
    applicant_search = models.CharField(max_length=255, blank=True, default="", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # indexed where set only (Meta): imported dossiers have none
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # --- cache of the events (lifecycle.DossierState) ---------------------------------------
    state = models.CharField("trạng thái", max_length=24, choices=State.choices)  # indexed in Meta
    submitted_at = models.DateTimeField("ngày nộp", null=True, blank=True)
    received_at = models.DateTimeField("tiếp nhận lúc (bắt đầu tính thời hạn)", null=True, blank=True)
    due_at = models.DateTimeField("hẹn trả kết quả", null=True, blank=True)
    current_due_at = models.DateTimeField("hạn giải quyết hiện hành", null=True, blank=True, db_index=True)
    new_due_at = models.DateTimeField("hẹn trả mới (sau thư xin lỗi)", null=True, blank=True)
    apologised = models.BooleanField("đã xin lỗi", default=False)
    duration = models.DecimalField(
        "thời hạn giải quyết", max_digits=7, decimal_places=2, null=True, blank=True
    )
    duration_unit = models.CharField("đơn vị thời hạn", max_length=16, blank=True)
    fee_amount = models.PositiveBigIntegerField("phí, lệ phí (đồng)", default=0)
    fee_due = models.BooleanField("có nghĩa vụ tài chính", default=False)
    steps = models.JSONField("quy trình nội bộ khi tiếp nhận", default=list, blank=True)
    current_step = models.PositiveSmallIntegerField("bước hiện tại", null=True, blank=True)
    current_unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="đơn vị đang xử lý",
    )
    step_started_at = models.DateTimeField("bắt đầu bước lúc", null=True, blank=True)
    step_due_at = models.DateTimeField("hạn của bước", null=True, blank=True)
    paused_since = models.DateTimeField("tạm dừng từ", null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField("số lần yêu cầu bổ sung", default=0)
    paused_hours = models.DecimalField(
        "giờ làm việc tạm dừng", max_digits=12, decimal_places=4, default=Decimal(0)
    )
    paused_elapsed_hours = models.DecimalField(
        "thời gian tạm dừng (giờ đồng hồ)", max_digits=12, decimal_places=4, default=Decimal(0)
    )
    on_time_until = models.DateTimeField(
        "đúng hạn nếu kết thúc trước", null=True, blank=True, help_text="hẹn trả + thời gian tạm dừng"
    )
    finished_at = models.DateTimeField("kết thúc xử lý lúc", null=True, blank=True)
    result = models.CharField("kết quả", max_length=16, choices=Result.choices, blank=True)
    returned_at = models.DateTimeField("trả kết quả lúc", null=True, blank=True)
    return_method = models.CharField(
        "hình thức trả kết quả", max_length=16, choices=ReturnMethod.choices, blank=True
    )
    paid_online = models.BooleanField("thanh toán trực tuyến", default=False)
    electronic_result = models.BooleanField("có kết quả điện tử", default=False)
    digitised = models.BooleanField("đã số hóa", default=False)
    data_reused = models.BooleanField("tái sử dụng dữ liệu", default=False)
    vneid_authenticated = models.BooleanField("xác thực VNeID", default=False)
    linked_to_personal_data_store = models.BooleanField("liên kết kho dữ liệu cá nhân", default=False)
    synced_to_national_portal = models.BooleanField("đã đồng bộ Cổng DVC quốc gia", default=False)
    synced_at = models.DateTimeField("đồng bộ lúc", null=True, blank=True)
    rating = models.CharField("đánh giá", max_length=16, choices=RatingValue.choices, blank=True)
    event_count = models.PositiveIntegerField("số sự kiện", default=0)
    last_event_at = models.DateTimeField("sự kiện gần nhất lúc", null=True, blank=True)

    # --- the electronic result file (written with the result_file_attached event) ----------
    result_file = models.FileField("tệp kết quả", upload_to=result_file_path, max_length=255, blank=True)
    result_file_name = models.CharField("tên tệp kết quả", max_length=255, blank=True)
    result_file_type = models.CharField(max_length=100, blank=True)
    result_file_size = models.PositiveIntegerField(null=True, blank=True)
    result_file_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        indexes = [
            models.Index(fields=["handling_unit", "received_at"], name="dossier_unit_received"),
            models.Index(fields=["receiving_unit", "received_at"], name="dossier_desk_received"),
            models.Index(fields=["handling_unit", "finished_at"], name="dossier_unit_finished"),
            # the queue's order (selectors.dossier_list): a page is read from the index, not sorted
            models.Index(fields=["-submitted_at", "-id"], name="dossier_queue_order"),
            # the staff search by ID number (cchc.dossiers.search)
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_id"),
            # the open dossiers, judged when the live indicators are read (indicators.live)
            models.Index(
                fields=["handling_unit", "received_at"],
                condition=models.Q(finished_at__isnull=True, received_at__isnull=False),
                name="dossier_unit_open",
            ),
            models.Index(
                fields=["created_by"], condition=models.Q(created_by__isnull=False), name="dossier_created_by"
            ),
            # a plain index: `db_index` on a CharField also makes a LIKE index on PostgreSQL, and
            # nothing searches states by pattern
            models.Index(fields=["state"], name="dossier_state"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def step(self) -> dict | None:
        """The current step of the internal process as copied at receipt."""
        if self.current_step is None:
            return None
        return next((s for s in self.steps if s["position"] == self.current_step), None)


class DossierEvent(models.Model):
    """One thing that happened to a dossier. `sequence` counts from 1 per dossier; `data` holds
    what changed (never personal data)."""

    # dossier: no index of its own, the unique (dossier, sequence) starts with it; actor: indexed
    # where set only (imported events have none) — fewer indexes to maintain per imported event
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events", db_index=False)
    sequence = models.PositiveIntegerField("số thứ tự")
    kind = models.CharField("loại", max_length=32, choices=EventKind.choices)
    at = models.DateTimeField("thời điểm", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người thực hiện",
        db_index=False,
    )
    data = models.JSONField("nội dung", default=dict, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier", "sequence"]
        verbose_name = "sự kiện hồ sơ"
        constraints = [
            models.UniqueConstraint(fields=["dossier", "sequence"], name="dossier_event_sequence_unique")
        ]
        indexes = [
            models.Index(
                fields=["actor"], condition=models.Q(actor__isnull=False), name="dossier_event_actor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.sequence} {self.kind}"


class Handover(models.Model):
    """A hand-over between two steps of the internal process: one line of the processing
    control slip (phiếu kiểm soát quá trình giải quyết hồ sơ, mẫu 06)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="handovers")
    from_step = models.PositiveSmallIntegerField("từ bước")
    from_step_name = models.CharField("nội dung bước giao", max_length=500)
    from_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị giao"
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người giao",
    )
    to_step = models.PositiveSmallIntegerField("đến bước")
    to_step_name = models.CharField("nội dung bước nhận", max_length=500)
    to_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị nhận"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người nhận",
    )
    at = models.DateTimeField("thời điểm giao")
    step_due_at = models.DateTimeField("hạn của bước giao")
    on_time = models.BooleanField("đúng hạn")
    to_step_due_at = models.DateTimeField("hạn của bước nhận")
    note = models.CharField("ghi chú", max_length=1000, blank=True)

    class Meta:
        ordering = ["dossier", "at", "id"]
        verbose_name = "bàn giao (phiếu kiểm soát quá trình)"

    def __str__(self) -> str:
        return f"B{self.from_step} → B{self.to_step}"


class DossierSequence(models.Model):
    """The last number issued per scope (a unit's dossiers or feedback) and local day."""

    scope = models.CharField(max_length=80)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "day"], name="dossier_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.scope} {self.day}: {self.last}"
