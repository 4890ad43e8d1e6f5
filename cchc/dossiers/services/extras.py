"""The applicant's rating and the facts the service-quality index (766) counts: digitised
components, sync to the national portal, link to the personal data store. Marking a fact
already recorded changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cchc.core.actors import CITIZEN, Actor
from cchc.core.errors import ServiceError
from cchc.core.text import nfc

from ..choices import EventKind as E
from ..choices import RatingValue
from ..models import Dossier, Rating
from ..permissions import require
from ._common import check, copy_back, lock, record, when


@transaction.atomic
def dossier_rate(
    *, dossier: Dossier, rating: str, comment: str = "", at: dt.datetime | None = None
) -> Rating:
    """The applicant rates the handling, once, after the result. Called by the public site,
    which has authenticated the applicant (dossier code and second factor)."""
    d = lock(dossier)
    at = when(d, at)
    check(d, E.RATED)
    if d.rating:
        raise ServiceError(
            f"Hồ sơ {d.code} đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần.", code="dossier_already_rated"
        )
    if rating not in RatingValue.values:
        raise ServiceError(
            {"rating": "Chọn mức: rất hài lòng, hài lòng, bình thường hoặc không hài lòng."},
            code="rating_invalid",
        )
    comment = "\n".join(nfc(line) for line in (comment or "").splitlines()).strip()[:4000]
    entry = Rating.objects.create(dossier=d, value=rating, comment=comment, at=at)
    record(d, actor=CITIZEN, kind=E.RATED, at=at, data={"rating": rating})
    copy_back(dossier, d)
    return entry


def _mark(
    *,
    actor: Actor,
    dossier: Dossier,
    kind: str,
    flag: str,
    what: str,
    at: dt.datetime | None,
    system_ok: bool = False,
) -> Dossier:
    d = lock(dossier)
    require(actor, d, what=what, system_ok=system_ok)
    at = when(d, at)
    check(d, kind)
    if getattr(d, flag):
        return copy_back(dossier, d)
    record(d, actor=actor, kind=kind, at=at)
    return copy_back(dossier, d)


@transaction.atomic
def dossier_mark_digitised(*, actor: Actor, dossier: Dossier, at: dt.datetime | None = None) -> Dossier:
    """The dossier's components and result are digitised."""
    return _mark(
        actor=actor, dossier=dossier, kind=E.DIGITISED, flag="digitised", what="ghi nhận số hóa", at=at
    )


@transaction.atomic
def dossier_mark_linked_to_data_store(
    *, actor: Actor, dossier: Dossier, at: dt.datetime | None = None
) -> Dossier:
    """A component was taken from, or the result linked to, the applicant's personal data store."""
    return _mark(
        actor=actor,
        dossier=dossier,
        kind=E.DATA_STORE_LINKED,
        flag="linked_to_personal_data_store",
        what="ghi nhận liên kết kho dữ liệu cá nhân cho",
        at=at,
    )


@transaction.atomic
def dossier_mark_synced(*, actor: Actor, dossier: Dossier, at: dt.datetime | None = None) -> Dossier:
    """The dossier reached the national public service portal (`SYSTEM`: the sync job)."""
    return _mark(
        actor=actor,
        dossier=dossier,
        kind=E.SYNCED,
        flag="synced_to_national_portal",
        what="ghi nhận đồng bộ",
        at=at,
        system_ok=True,
    )
