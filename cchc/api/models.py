"""API clients (another system of the province, registered by an administrator) and the events
they sent, remembered by the sender's event id so that a repeated delivery changes nothing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cchc.core.actors import ApiClientActor


class Scope(models.TextChoices):
    READ = "read", "chỉ đọc"
    WRITE = "write", "đọc và ghi"


class ApiClient(models.Model):
    """A system allowed to call the API: it sees its unit's subtree, and with the write scope it
    may also send dossier events and progress reports there. The token is shown once, when it is
    made; only its SHA-256 is kept (the token is 256 random bits, so a fast hash is enough — a
    slow one protects guessable passwords, not random keys)."""

    name = models.CharField("tên ứng dụng", max_length=128, unique=True)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    scope = models.CharField("quyền", max_length=8, choices=Scope.choices, default=Scope.READ)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField("đầu mã truy cập", max_length=16, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField("hết hạn lúc", null=True, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    rate_per_minute = models.PositiveIntegerField("số yêu cầu tối đa mỗi phút", default=600)

    class Meta:
        ordering = ["name"]
        verbose_name = "ứng dụng kết nối"

    def __str__(self) -> str:
        return self.name

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def as_actor(self) -> ApiClientActor:
        return ApiClientActor(
            client_id=self.pk,
            name=self.name,
            unit_id=self.unit_id,
            unit_path=self.unit.path,
            can_write=self.can_write,
        )


class ReceivedEvent(models.Model):
    """A dossier event a client sent, by the client's own event id: the second delivery of the
    same id is answered "duplicate" with the first answer and changes nothing."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="events")
    event_id = models.CharField(max_length=128)
    kind = models.CharField(max_length=32)
    dossier_code = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)
    result = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "event_id"], name="api_event_once_per_client")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} ({self.kind} {self.dossier_code})"


class ExternalDossier(models.Model):
    """The sender's dossier code ↔ CCHC's dossier: CCHC numbers a dossier at receipt by its own
    rule (`dossiers.codes`), the one-stop system keeps its code and uses it in every later event.
    One code names one dossier whichever client sent it (a client replaced by a new one goes on
    with the same dossiers); `client` says who sent the receipt."""

    code = models.CharField(max_length=64, unique=True)
    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(ApiClient, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.code} → {self.dossier_id}"
