"""Writes of the 766 index: recomputing (`compute.index766_compute`, re-exported here) and the
communes' electronic certified copies. Keyword-only, one transaction, audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cchc.core.actors import SYSTEM, Actor
from cchc.core.audit import audit_record, snapshot
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.orgs.access import Access
from cchc.orgs.models import Unit, UnitKind, user_of

from .compute import ComputeReport, index766_compute
from .models import CertifiedCopyOffer

__all__ = ["ComputeReport", "certified_copy_offer_save", "index766_compute"]

OFFER_FIELDS = ["offered", "since"]


@transaction.atomic
def certified_copy_offer_save(
    *, actor: Actor, unit: Unit, offered: bool, since: dt.date | None = None
) -> CertifiedCopyOffer:
    """Record whether a commune issues electronic certified copies, and since when. The
    commune's coordinators and those of the units above it may change it."""
    if actor is not SYSTEM and not Access.for_user(actor).can_manage_unit(unit):
        raise PermissionDenied(f"Bạn không có quyền cập nhật thông tin chứng thực điện tử của {unit.name}.")
    if unit.kind != UnitKind.COMMUNE:
        raise ServiceError(
            "Chỉ xã, phường, đặc khu thực hiện chứng thực bản sao điện tử.", code="not_a_commune"
        )
    if unit.valid_to is not None:
        raise ServiceError(
            f"{unit.name} đã giải thể hoặc sáp nhập; không cập nhật được.", code="unit_dissolved"
        )
    if since is not None and since > timezone.localdate():
        raise ServiceError(
            {"since": "Ngày bắt đầu cung cấp không được sau ngày hôm nay."}, code="date_in_future"
        )
    if not offered:
        since = None
    offer = CertifiedCopyOffer.objects.select_for_update().filter(unit=unit).first()
    before = snapshot(offer, OFFER_FIELDS) if offer else None
    if offer is None:
        offer = CertifiedCopyOffer(unit=unit)
    offer.offered, offer.since = bool(offered), since
    after = snapshot(offer, OFFER_FIELDS)
    if before == after:
        return offer
    offer.updated_by = user_of(actor)
    offer.save()
    audit_record(
        actor=actor, action="index766.certified_copy", obj=offer, unit=unit, before=before, after=after
    )
    return offer
