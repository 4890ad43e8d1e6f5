"""Campaigns: create, draw the sample, issue the respondents' links, close."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping

from django.db import transaction

from cchc.core.actors import Actor
from cchc.core.audit import audit_record, snapshot
from cchc.core.errors import ServiceError
from cchc.core.localtime import TZ_LOCAL
from cchc.core.text import nfc
from cchc.orgs.access import require_manager
from cchc.orgs.models import Unit, user_of

from .. import drawing, tallies
from ..models import Campaign, CampaignUnit, Questionnaire, SampleEntry

MAX_SAMPLE = 100_000  # per unit: more than any survey needs, less than a mistyped 10⁹


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256 (a token is 192 random bits, so no salt is needed:
    nobody can search that space from the hash)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits


@transaction.atomic
def campaign_create(
    *,
    actor: Actor,
    owner: Unit,
    name: str,
    questionnaire: Questionnaire,
    period_start: dt.date,
    period_end: dt.date,
    mode: str,
    sample_sizes: Mapping[Unit, int],
    seed: int | None = None,
) -> Campaign:
    require_manager(actor, owner, "Chỉ cán bộ điều phối CCHC của đơn vị được tổ chức đợt khảo sát.")
    name = " ".join(nfc(name).split())
    if not name:
        raise ServiceError({"name": "Nhập tên đợt khảo sát."}, code="survey_campaign_invalid")
    if period_end < period_start:
        raise ServiceError(
            {"period_end": "Ngày kết thúc phải sau hoặc cùng ngày bắt đầu."}, code="survey_campaign_invalid"
        )
    if mode not in Campaign.Mode.values:
        raise ServiceError({"mode": "Chọn cách chọn người trả lời."}, code="survey_campaign_invalid")
    if not sample_sizes:
        raise ServiceError(
            {"units": "Chọn ít nhất một đơn vị được khảo sát."}, code="survey_campaign_invalid"
        )
    for unit, size in sample_sizes.items():
        if not unit.path.startswith(owner.path):
            raise ServiceError(
                {"units": f"{unit} không thuộc {owner}: chỉ khảo sát các đơn vị trực thuộc."},
                code="survey_unit_outside",
            )
        if not 0 <= size <= MAX_SAMPLE:
            raise ServiceError(
                {"units": f"Cỡ mẫu của {unit} phải từ 0 đến {MAX_SAMPLE:,}.".replace(",", ".")},
                code="survey_campaign_invalid",
            )
    campaign = Campaign.objects.create(
        owner=owner,
        name=name,
        questionnaire=questionnaire,
        period_start=period_start,
        period_end=period_end,
        mode=mode,
        seed=secrets.randbits(48) if seed is None else seed,
        public_key=secrets.token_urlsafe(12) if mode == Campaign.Mode.OPEN else None,
        created_by=user_of(actor),
    )
    CampaignUnit.objects.bulk_create(
        CampaignUnit(campaign=campaign, unit=unit, sample_size=size) for unit, size in sample_sizes.items()
    )
    tallies.create(campaign, sample_sizes)
    audit_record(
        actor=actor,
        action="survey.campaign_create",
        obj=campaign,
        unit=owner,
        after={**snapshot(campaign), "units": {u.code: s for u, s in sample_sizes.items()}},
    )
    return campaign


@transaction.atomic
def campaign_close(*, actor: Actor, campaign: Campaign) -> Campaign:
    require_manager(actor, campaign.owner, "Chỉ cán bộ điều phối CCHC của đơn vị tổ chức được kết thúc đợt.")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == Campaign.Status.CLOSED:
        raise ServiceError("Đợt khảo sát đã kết thúc.", code="survey_campaign_closed")
    campaign.status = Campaign.Status.CLOSED
    campaign.save(update_fields=["status"])
    audit_record(actor=actor, action="survey.campaign_close", obj=campaign, unit=campaign.owner)
    return campaign


def _window(campaign: Campaign) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(campaign.period_start, dt.time.min, tzinfo=TZ_LOCAL)
    end = dt.datetime.combine(campaign.period_end + dt.timedelta(days=1), dt.time.min, tzinfo=TZ_LOCAL)
    return start, end


@transaction.atomic
def sample_draw(*, actor: Actor, campaign: Campaign) -> int:
    """Draw (or draw again, while no link has been answered) the campaign's sample; the number
    of dossiers drawn."""
    require_manager(actor, campaign.owner, "Chỉ cán bộ điều phối CCHC của đơn vị tổ chức được chọn mẫu.")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.mode != Campaign.Mode.SAMPLED:
        raise ServiceError("Đợt khảo sát mở cho mọi người, không chọn mẫu.", code="survey_not_sampled")
    if campaign.status == Campaign.Status.CLOSED:
        raise ServiceError("Đợt khảo sát đã kết thúc.", code="survey_campaign_closed")
    if campaign.sample.filter(used_at__isnull=False).exists():
        raise ServiceError(
            "Đã có người trả lời theo mẫu đã chọn: không chọn lại mẫu được nữa.", code="survey_sample_locked"
        )
    campaign.sample.all().delete()
    start, end = _window(campaign)
    targets = list(campaign.targets.select_related("unit").order_by("unit__code"))
    # Each handling unit belongs to the deepest campaign unit above it (or at it): one read of the
    # frame for the whole campaign, stratified here, instead of one scan per campaign unit.
    stratum_of: dict[int, int] = {}
    deepest_first = sorted(targets, key=lambda t: -len(t.unit.path))
    for unit_id, path in Unit.objects.filter(path__startswith=campaign.owner.path).values_list("id", "path"):
        target = next((t for t in deepest_first if path.startswith(t.unit.path)), None)
        if target is not None:
            stratum_of[unit_id] = target.unit_id
    # counted, ranked and inserted in the database (`drawing`): no dossier row comes to Python
    drawn = drawing.draw_sample(
        campaign_id=campaign.pk,
        seed=campaign.seed,
        mapping=stratum_of,
        sizes={t.unit_id: t.sample_size for t in targets},
        start=start,
        end=end,
    )
    audit_record(
        actor=actor,
        action="survey.sample_draw",
        obj=campaign,
        unit=campaign.owner,
        after={"seed": campaign.seed, "drawn": drawn},
    )
    return drawn


@transaction.atomic
def links_issue(
    *, actor: Actor, campaign: Campaign, unit: Unit | None = None, extra: int = 0
) -> list[tuple[SampleEntry, str]]:
    """A token for every respondent who has none yet, plus ``extra`` new respondents without a
    dossier for ``unit`` (cards handed out at the counter). A token is shown this once — only its
    hash is kept — so the links are given out from what this returns: (entry, token)."""
    require_manager(
        actor, campaign.owner, "Chỉ cán bộ điều phối CCHC của đơn vị tổ chức được phát đường dẫn."
    )
    if campaign.status == Campaign.Status.CLOSED:
        raise ServiceError("Đợt khảo sát đã kết thúc.", code="survey_campaign_closed")
    if extra:
        if unit is None or not campaign.targets.filter(unit=unit).exists():
            raise ServiceError(
                "Chọn một đơn vị của đợt khảo sát để phát thêm đường dẫn.", code="survey_unit_outside"
            )
        if not 0 < extra <= MAX_SAMPLE:
            raise ServiceError("Số đường dẫn phát thêm không hợp lệ.", code="survey_campaign_invalid")
        SampleEntry.objects.bulk_create(SampleEntry(campaign=campaign, unit=unit) for _ in range(extra))
    entries = list(
        campaign.sample.filter(token_hash__isnull=True)
        .select_related("unit", "dossier", "procedure")
        .order_by("unit__code", "id")
    )
    issued: list[tuple[SampleEntry, str]] = []
    for entry in entries:
        token = new_token()
        entry.token_hash = token_hash(token)
        issued.append((entry, token))
    SampleEntry.objects.bulk_update(entries, ["token_hash"], batch_size=5000)
    audit_record(
        actor=actor,
        action="survey.links_issue",
        obj=campaign,
        unit=campaign.owner,
        after={"links": len(issued)},
    )
    return issued


@transaction.atomic
def tallies_recompute(*, actor: Actor, campaign: Campaign) -> int:
    """Rebuild the campaign's answer counts from the answers (after a repair, or to check them);
    the number of 1–5 answers counted."""
    require_manager(
        actor, campaign.owner, "Chỉ cán bộ điều phối CCHC của đơn vị tổ chức được tính lại kết quả."
    )
    counted = tallies.recount(Campaign.objects.select_for_update().get(pk=campaign.pk))
    audit_record(
        actor=actor,
        action="survey.tallies_recompute",
        obj=campaign,
        unit=campaign.owner,
        after={"answers": counted},
    )
    return counted
