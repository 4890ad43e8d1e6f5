from django.conf import settings
from django.db import models

from .actors import ActorKind


class AuditEntry(models.Model):
    """One write to the system: who, when, what, and the values before and after.

    Written by services inside the same transaction as the change, so a change without its
    audit row cannot exist. `unit` is the organisation unit the change belongs to; it scopes who
    may read the entry (coordinators of that unit's subtree). `actor_kind` says who acted: a
    user (then `actor` is that user, or null once the account is deleted), the system, or a
    citizen on the public pages, or a client of the REST API (then `client_id`/`client_name`
    name it: an id of `cchc.api`'s clients, kept as a plain number because core knows no model
    above it, and the name at the time, which stays readable after the client is deleted)
    (`cchc.core.actors`).
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_kind = models.CharField(max_length=8, choices=ActorKind.choices)
    client_id = models.PositiveIntegerField(null=True, blank=True)
    client_name = models.CharField(max_length=128, blank=True, default="")
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=255, blank=True)
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = "nhật ký thay đổi"

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_type}#{self.object_id}"


class CalendarDay(models.Model):
    """An administrator's change to the working calendar: a day off or a worked day announced for
    civil servants, or the switching-off of a shipped entry. Rows here take precedence over the
    schedules shipped with the project (cchc/core/workingtime/data/vn_announced.json)."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", "Ngày nghỉ"
        WORKING_DAY = "working_day", "Ngày làm việc (làm bù)"

    date = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    name = models.CharField("nội dung", max_length=255)
    legal_reference = models.CharField("căn cứ", max_length=255)
    enabled = models.BooleanField("áp dụng", default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "ngày điều chỉnh lịch làm việc"

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.name}"


class WorkSchedule(models.Model):
    """Working hours and the receipt cut-off of a unit; units without one use their nearest
    ancestor's, and the default (07:30–11:30, 13:00–17:00, cut-off 15:00) at the top."""

    unit = models.OneToOneField("orgs.Unit", on_delete=models.CASCADE, related_name="work_schedule")
    hours = models.CharField("giờ làm việc", max_length=64, default="07:30-11:30,13:00-17:00")
    cutoff = models.TimeField("giờ chốt nhận hồ sơ trong ngày", null=True, blank=True, default="15:00")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "giờ làm việc của đơn vị"

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.hours}"
