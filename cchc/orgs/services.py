"""Writes to the organisation tree and to users. Every function is one transaction and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from cchc.core.actors import Actor
from cchc.core.audit import audit_record, snapshot
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.text import nfc

from .access import Access, require_manager
from .data.agencies import AGENCIES_REORGANISED_ON, AGENCY_SUBUNITS, OTHER_BODIES, PROVINCIAL_AGENCIES
from .data.historical_provinces import FORMER_PROVINCES, MERGED_ON
from .models import Membership, Role, Unit, UnitKind, User


def _set_path(unit: Unit) -> None:
    parent_path = unit.parent.path if unit.parent is not None else ""
    unit.path = f"{parent_path}{unit.pk}/"
    unit.depth = parent_path.count("/")


@transaction.atomic
def unit_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    parent: Unit | None = None,
    code: str = "",
    short_name: str = "",
    aliases: Iterable[str] = (),
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    successor: Unit | None = None,
    gso_code: str = "",
) -> Unit:
    name = nfc(name)
    if not name:
        raise ServiceError({"name": "Tên đơn vị không được để trống."}, code="unit_name_required")
    if kind not in UnitKind.values:
        raise ServiceError({"kind": f"Loại đơn vị không hợp lệ: {kind}."}, code="unit_kind_invalid")
    code = code or f"U{Unit.objects.count() + 1:06d}"
    if Unit.objects.filter(code=code).exists():
        raise ServiceError({"code": f"Mã đơn vị {code} đã tồn tại."}, code="unit_code_taken")
    unit = Unit(
        code=code,
        gso_code=gso_code,
        name=name,
        short_name=nfc(short_name),
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        successor=successor,
        aliases=[nfc(a) for a in aliases],
        path="",
    )
    unit.save()
    _set_path(unit)
    unit.save(update_fields=["path", "depth"])
    audit_record(actor=actor, action="unit.create", obj=unit, unit=unit, after=snapshot(unit))
    return unit


@transaction.atomic
def units_load_administrative(*, actor: Actor) -> dict[str, int]:
    """Load the 34 provinces and 3,321 communes of `vietnam-provinces`, and the 29 former
    provinces as historical units with their successors. Idempotent: existing units (by code)
    keep their ids and get the current name."""
    import vietnam_provinces as vp

    existing = {u.code: u for u in Unit.objects.filter(kind__in=[UnitKind.PROVINCE, UnitKind.COMMUNE])}
    created = updated = 0

    provinces: dict[int, Unit] = {}
    new_provinces = []
    for p in vp.Province.iter_all():
        code = f"P{int(p.code):02d}"
        unit = existing.get(code)
        if unit is None:
            unit = Unit(
                code=code,
                gso_code=f"{int(p.code):02d}",
                name=p.name,
                kind=UnitKind.PROVINCE,
                path="",
                valid_from=dt.date(2025, 7, 1),
            )
            new_provinces.append(unit)
        elif unit.name != p.name:
            unit.name = p.name
            unit.save(update_fields=["name"])
            updated += 1
        provinces[int(p.code)] = unit
    Unit.objects.bulk_create(new_provinces)
    for unit in new_provinces:
        _set_path(unit)
    Unit.objects.bulk_update(new_provinces, ["path", "depth"])
    created += len(new_provinces)

    new_communes = []
    for w in vp.Ward.iter_all():
        code = f"W{int(w.code):05d}"
        unit = existing.get(code)
        if unit is None:
            new_communes.append(
                Unit(
                    code=code,
                    gso_code=f"{int(w.code):05d}",
                    name=w.name,
                    kind=UnitKind.COMMUNE,
                    parent=provinces[int(w.province_code)],
                    path="",
                    valid_from=dt.date(2025, 7, 1),
                )
            )
        elif unit.name != w.name:
            unit.name = w.name
            unit.save(update_fields=["name"])
            updated += 1
    Unit.objects.bulk_create(new_communes, batch_size=1000)
    for unit in new_communes:
        _set_path(unit)
    Unit.objects.bulk_update(new_communes, ["path", "depth"], batch_size=1000)
    created += len(new_communes)

    merged_on = dt.date.fromisoformat(MERGED_ON)
    for gso, name, successor_code in FORMER_PROVINCES:
        code = f"P{gso}-2025"
        if Unit.objects.filter(code=code).exists():
            continue
        unit_create(
            actor=actor,
            name=f"Tỉnh {name}",
            kind=UnitKind.PROVINCE,
            code=code,
            gso_code=gso,
            short_name=name,
            aliases=[name, f"UBND tỉnh {name}"],
            valid_to=merged_on - dt.timedelta(days=1),
            successor=provinces[int(successor_code)],
        )
        created += 1
    audit_record(
        actor=actor,
        action="units.load_administrative",
        obj=next(iter(provinces.values())),
        after={"created": created, "updated": updated},
    )
    return {"created": created, "updated": updated}


@transaction.atomic
def province_agencies_create(*, actor: Actor, province: Unit) -> list[Unit]:
    """Create the standard post-2025 agencies of a province (idempotent by code), the units
    under them, and the former agencies as historical units pointing at their successors."""
    if province.kind != UnitKind.PROVINCE:
        raise ServiceError(f"{province} không phải là tỉnh, thành phố.", code="not_a_province")
    reorganised = dt.date.fromisoformat(AGENCIES_REORGANISED_ON)
    by_suffix: dict[str, Unit] = {}
    made: list[Unit] = []

    def ensure(code: str, **kwargs) -> Unit:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            unit = unit_create(actor=actor, code=code, **kwargs)
            made.append(unit)
        return unit

    base = province.code
    for suffix, name, short, aliases, former in PROVINCIAL_AGENCIES:
        agency = ensure(
            f"{base}.{suffix}",
            name=name,
            short_name=short,
            kind=UnitKind.AGENCY,
            parent=province,
            aliases=aliases,
        )
        by_suffix[suffix] = agency
        for i, old_name in enumerate(former, start=1):
            ensure(
                f"{base}.{suffix}.OLD{i}",
                name=old_name,
                kind=UnitKind.AGENCY,
                parent=province,
                valid_to=reorganised - dt.timedelta(days=1),
                successor=agency,
            )
    for parent_suffix, suffix, name, aliases in AGENCY_SUBUNITS:
        by_suffix[suffix] = ensure(
            f"{base}.{suffix}",
            name=name,
            kind=UnitKind.SUBUNIT,
            parent=by_suffix[parent_suffix],
            aliases=aliases,
        )
    for suffix, name, aliases in OTHER_BODIES:
        ensure(f"{base}.{suffix}", name=name, kind=UnitKind.OTHER, parent=province, aliases=aliases)
    return made


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
    position: str = "",
    roles: Iterable[tuple[Unit, str]] = (),
) -> User:
    username = nfc(username)
    if User.objects.filter(username=username).exists():
        raise ServiceError({"username": f"Tên đăng nhập {username} đã được dùng."}, code="username_taken")
    user = User(username=username, full_name=nfc(full_name), email=email, position=nfc(position))
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(
        actor=actor,
        action="user.create",
        obj=user,
        after=snapshot(user, ["username", "full_name", "email", "position"]),
    )
    for unit, role in roles:
        membership_grant(actor=actor, user=user, unit=unit, role=role)
    return user


@transaction.atomic
def membership_grant(*, actor: Actor, user: User, unit: Unit, role: str) -> Membership:
    if role not in Role.values:
        raise ServiceError({"role": f"Vai trò không hợp lệ: {role}."}, code="role_invalid")
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        audit_record(
            actor=actor, action="membership.grant", obj=membership, unit=unit, after=snapshot(membership)
        )
    return membership


ADDABLE_KINDS = (UnitKind.AGENCY, UnitKind.SUBUNIT, UnitKind.OTHER)


@transaction.atomic
def unit_add(*, actor: Actor, parent: Unit, name: str, kind: str, short_name: str = "") -> Unit:
    """A coordinator or administrator adds an agency, a unit under an agency, or another body.
    Provinces and communes come only from the national list (`units_load_administrative`)."""
    require_manager(actor, parent)
    if kind not in ADDABLE_KINDS:
        raise ServiceError(
            {"kind": "Chỉ thêm được cơ quan, phòng/đơn vị trực thuộc hoặc tổ chức khác."},
            code="unit_kind_invalid",
        )
    if parent.valid_to is not None:
        raise ServiceError("Đơn vị cấp trên đã hết hiệu lực.", code="unit_dissolved")
    name = nfc(name)
    if parent.children.filter(name__iexact=name, valid_to__isnull=True).exists():
        raise ServiceError({"name": f"{parent.name} đã có đơn vị “{name}”."}, code="unit_name_taken")
    return unit_create(
        actor=actor,
        name=name,
        kind=kind,
        parent=parent,
        code=f"{parent.code}.{Unit.objects.count() + 1}",
        short_name=short_name,
    )


@transaction.atomic
def user_add(
    *,
    actor: Actor,
    unit: Unit,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    email: str = "",
    position: str = "",
) -> User:
    """Create an account with a role at `unit`. Coordinators may create officers and leaders of
    their subtree; creating coordinators and administrators needs an administrator."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    require_manager(actor, unit)
    access = Access.for_user(actor)
    if (
        role in (Role.COORDINATOR, Role.ADMIN)
        and not access.is_superuser
        and not access.covers(unit, (Role.ADMIN,))
    ):
        raise PermissionDenied("Chỉ quản trị hệ thống được cấp vai trò điều phối hoặc quản trị.")
    if not nfc(username) or not nfc(username).replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise ServiceError(
            {"username": "Tên đăng nhập chỉ gồm chữ, số và các dấu . _ -"}, code="username_invalid"
        )
    try:
        validate_password(password, User(username=username, full_name=full_name, email=email))
    except ValidationError as exc:
        raise ServiceError({"password": exc.messages}, code="password_invalid") from exc
    return user_create(
        actor=actor,
        username=username,
        password=password,
        full_name=full_name,
        email=email,
        position=position,
        roles=[(unit, role)],
    )


@transaction.atomic
def membership_revoke(*, actor: Actor, membership: Membership) -> None:
    require_manager(actor, membership.unit)
    access = Access.for_user(actor)
    if membership.user_id == actor.pk and membership.role in (Role.COORDINATOR, Role.ADMIN):
        raise ServiceError(
            "Không thể tự thu hồi vai trò điều phối, quản trị của chính mình.", code="own_role_revoke"
        )
    if (
        membership.role in (Role.COORDINATOR, Role.ADMIN)
        and not access.is_superuser
        and not access.covers(membership.unit, (Role.ADMIN,))
    ):
        raise PermissionDenied("Chỉ quản trị hệ thống được thu hồi vai trò điều phối hoặc quản trị.")
    audit_record(
        actor=actor,
        action="membership.revoke",
        obj=membership,
        unit=membership.unit,
        before=snapshot(membership),
    )
    membership.delete()
