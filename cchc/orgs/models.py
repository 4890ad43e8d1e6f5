from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from cchc.core.actors import Actor, actor_kind


class UnitKind(models.TextChoices):
    PROVINCE = "province", "Tỉnh, thành phố"
    COMMUNE = "commune", "Xã, phường, đặc khu"
    AGENCY = "agency", "Cơ quan chuyên môn, đơn vị thuộc tỉnh"
    SUBUNIT = "subunit", "Phòng, đơn vị trực thuộc"
    DISTRICT = "district", "Huyện, thị xã, thành phố thuộc tỉnh (trước 7/2025)"
    OTHER = "other", "Cơ quan, tổ chức khác"


# Children of a unit as people list them: agencies, their sub-units, then communes, then others.
KIND_ORDER = models.Case(
    models.When(kind=UnitKind.AGENCY, then=0),
    models.When(kind=UnitKind.SUBUNIT, then=1),
    models.When(kind=UnitKind.COMMUNE, then=2),
    default=3,
    output_field=models.IntegerField(),
)


class UnitQuerySet(models.QuerySet):
    def current(self) -> UnitQuerySet:
        return self.filter(valid_to__isnull=True)

    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    """A node of the organisation tree: province, commune, agency, or a unit under an agency.

    `path` is a materialised path of ids ("12/57/") so that a whole subtree is one indexed
    prefix query on both SQLite and PostgreSQL; it is maintained by the services in
    `cchc.orgs.services`, never by hand. Units abolished by the 2025 reorganisation stay, with
    `valid_to` and a `successor`, because old plans name them.
    """

    code = models.CharField("mã", max_length=32, unique=True)
    gso_code = models.CharField("mã thống kê", max_length=10, blank=True, db_index=True)
    name = models.CharField("tên", max_length=255)
    short_name = models.CharField("tên ngắn", max_length=120, blank=True)
    kind = models.CharField("loại", max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="đơn vị cấp trên",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
        verbose_name="đơn vị kế thừa",
    )
    aliases = models.JSONField("tên gọi khác", default=list, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"

    def __str__(self) -> str:
        return self.name

    @property
    def body_name(self) -> str:
        """The People's Committee of a province or commune ("UBND tỉnh Đồng Nai"); other units
        are bodies already and keep their name."""
        if self.kind not in (UnitKind.PROVINCE, UnitKind.COMMUNE, UnitKind.DISTRICT):
            return self.name
        name = self.name
        for prefix in ("Tỉnh ", "Thành phố ", "Phường ", "Xã ", "Đặc khu ", "Huyện ", "Thị xã "):
            if name.startswith(prefix):
                return f"UBND {prefix.lower()}{name[len(prefix) :]}"
        return f"UBND tỉnh {name}" if self.kind == UnitKind.PROVINCE else f"UBND {name}"

    def is_in_subtree_of(self, other: Unit) -> bool:
        return self.path.startswith(other.path)

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]

    def province(self) -> Unit | None:
        """The unit itself if it is a province, else its nearest province ancestor (one query at
        most, through the stored path); None when no province is above it."""
        if self.kind == UnitKind.PROVINCE:
            return self
        ids = self.ancestor_ids()[:-1]
        if not ids:
            return None
        return Unit.objects.filter(pk__in=ids, kind=UnitKind.PROVINCE).order_by("-depth").first()


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị hệ thống"
    COORDINATOR = "coordinator", "Cán bộ đầu mối CCHC (điều phối)"
    OFFICER = "officer", "Cán bộ đơn vị"
    LEADER = "leader", "Lãnh đạo"


class User(AbstractUser):
    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    position = models.CharField("chức vụ", max_length=150, blank=True)

    class Meta:
        verbose_name = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username


def user_of(actor: Actor) -> User | None:
    """The user to store in a foreign key ("created by", "acted by"): None for `SYSTEM` and
    `CITIZEN`. Refuses what is not an actor (`TypeError`), like the audit log."""
    actor_kind(actor)
    return actor if isinstance(actor, User) else None


class Membership(models.Model):
    """A user's role for a unit. Coordinators, leaders and admins act on the unit's subtree;
    officers act for the unit itself."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("vai trò", max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role")
        ]
        verbose_name = "phân quyền"

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"
