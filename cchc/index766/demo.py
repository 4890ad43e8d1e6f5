"""Demo values for the facts the 766 index reads that the demo catalogue and the imported demo
dossiers do not carry, so that the demo province shows meaningful scores.

`load_demo_facts(province)` — deterministic (every choice is seeded by the province code, the
year and the item's own code, never by database ids), and loading twice changes nothing:

- procedures: the applicant type (citizen / organisation / both; 1 in 25 left unrecorded) from
  words of the name; about 1 in 8 procedures amended this year — a legal basis taking effect
  this year, published on time 4 times in 5, made public within 5 working days 6 times in 7;
- communes: 7 in 10 issue electronic certified copies, from a date since July 2025;
- dossiers (the exchange format has no column for these): VNeID authentication (3 in 4 online
  citizen dossiers, 1 in 3 at the desk, 1 in 10 for organisations), a link to the personal data
  store (2 in 5 of those, 1 in 12 of the others), the sync to the national portal (93% in real
  time, 4% late, 3% never). The facts go where the dossier's events put them — the receipt
  event's data, a `synced` event — so that the events still explain every dossier;
- feedback (PAKN) on about 1 dossier in 200, through the feedback services, with the sender's
  rating once the answer is published, and a few complaints about the same dossier again;
- finally the index of this year, its quarters and months so far is computed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cchc.core.actors import CITIZEN, SYSTEM
from cchc.core.audit import audit_record
from cchc.core.text import fold
from cchc.dossiers import services
from cchc.dossiers.choices import Channel
from cchc.dossiers.choices import EventKind as E
from cchc.dossiers.models import Dossier, DossierEvent, Feedback
from cchc.dossiers.services import Sender
from cchc.orgs.models import Membership, Role, Unit, UnitKind
from cchc.procedures.models import ApplicantType, Procedure

from .catalogue import WorkingDays
from .compute import index766_compute
from .models import CertifiedCopyOffer

ORGANISATION_WORDS = ("doanh nghiep", "hop tac xa", "cong ty", "to chuc", "nha thau", "du an dau tu",
                      "chi nhanh", "van phong dai dien", "co so san xuat", "giay phep kinh doanh")  # fmt: skip
CITIZEN_WORDS = ("ho tich", "khai sinh", "ket hon", "khai tu", "giam ho", "cu tru", "chung thuc",
                 "nguoi co cong", "tro cap", "ca nhan", "ho kinh doanh", "hoc sinh", "nguoi lao dong")  # fmt: skip
SHIFT = 1_000_000  # sequences are moved out of the way first: (dossier, sequence) is unique


def _rng(*parts) -> random.Random:
    return random.Random("|".join(str(p) for p in ("index766", *parts)))


def applicant_type(name: str, rng: random.Random) -> str:
    text = fold(name)
    if rng.random() < 0.04:
        return ""  # not yet recorded in the catalogue
    if any(w in text for w in ORGANISATION_WORDS):
        return ApplicantType.ORGANISATION if rng.random() < 0.8 else ApplicantType.BOTH
    if any(w in text for w in CITIZEN_WORDS):
        return ApplicantType.CITIZEN
    return rng.choices([ApplicantType.BOTH, ApplicantType.CITIZEN, ApplicantType.ORGANISATION], [6, 3, 2])[0]


def _procedures(province: Unit, today: dt.date) -> dict:
    days = WorkingDays()
    changed = {"applicant": 0, "amended": 0}
    updates = []
    for p in Procedure.objects.filter(agency__path__startswith=province.path).select_related("agency"):
        rng = _rng(province.code, today.year, p.code, p.agency.code)
        fields = {}
        if not p.applicant_type:
            fields["applicant_type"] = applicant_type(p.name, rng)
        amended_year = (
            p.legal_basis_effective_on is not None and p.legal_basis_effective_on.year == today.year
        )
        if rng.random() < 0.125 and not amended_year and p.valid_to is None:
            start = dt.date(today.year, 1, 15)
            effective = start + dt.timedelta(days=rng.randrange(max(1, (today - start).days + 30)))
            lead = 5 + rng.randrange(0, 11) if rng.random() < 0.8 else rng.randrange(0, 5)
            published = days.shift(effective, -lead)
            public = days.shift(
                published, rng.randrange(1, 6) if rng.random() < 6 / 7 else rng.randrange(6, 13)
            )
            fields |= {
                "legal_basis_effective_on": effective,
                "published_on": published if published <= today else None,
                "made_public_on": public if published <= today and public <= today else None,
            }
        if fields:
            for key, value in fields.items():
                setattr(p, key, value)
            updates.append(p)
            changed["applicant"] += "applicant_type" in fields
            changed["amended"] += "published_on" in fields
    names = ["applicant_type", "legal_basis_effective_on", "published_on", "made_public_on"]
    Procedure.objects.bulk_update(updates, names, batch_size=500)
    return changed


def _certified_copies(province: Unit, today: dt.date) -> int:
    made = 0
    first = dt.date(2025, 7, 1)
    for commune in Unit.objects.current().filter(kind=UnitKind.COMMUNE, path__startswith=province.path):
        if CertifiedCopyOffer.objects.filter(unit=commune).exists():
            continue
        rng = _rng(province.code, commune.code, "copies")
        offered = rng.random() < 0.7
        since = (
            first + dt.timedelta(days=rng.randrange(max(1, (today - first).days - 30))) if offered else None
        )
        CertifiedCopyOffer.objects.create(unit=commune, offered=offered, since=since)
        made += 1
    return made


def _dossiers(province: Unit) -> dict:
    """VNeID, personal data store and portal sync, written into the dossiers' events."""
    citizen = dict(Procedure.objects.values_list("pk", "applicant_type"))
    rows = (
        Dossier.objects.filter(handling_unit__path__startswith=province.path, received_at__isnull=False)
        .filter(
            synced_to_national_portal=False, vneid_authenticated=False, linked_to_personal_data_store=False
        )
        .values("pk", "code", "channel", "procedure_id", "received_at", "last_event_at", "event_count")
    )
    flags: dict[int, dict] = {}
    realtime: list[dict] = []
    late: list[dict] = []
    for d in rows.iterator(chunk_size=5000):
        rng = _rng(d["code"])
        kind = citizen.get(d["procedure_id"]) or ApplicantType.BOTH
        if kind == ApplicantType.ORGANISATION:
            vneid = rng.random() < 0.1
        else:
            vneid = rng.random() < (0.75 if d["channel"] == Channel.ONLINE else 0.33)
        linked = rng.random() < (0.4 if vneid else 0.08)
        if vneid or linked:
            flags[d["pk"]] = {"vneid_authenticated": vneid, "linked_to_personal_data_store": linked}
        fate = rng.random()
        if fate < 0.93 or (fate < 0.97 and d["last_event_at"] - d["received_at"] < dt.timedelta(hours=2)):
            realtime.append(d)
        elif fate < 0.97:
            late.append(d)
    _set_receipt_facts(flags)
    _insert_sync_after_receipt(realtime)
    _append_sync(late)
    return {"vneid_or_linked": len(flags), "synced_realtime": len(realtime), "synced_late": len(late)}


def _chunks(items: list, size: int = 2000):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _set_receipt_facts(flags: dict[int, dict]) -> None:
    for ids in _chunks(list(flags)):
        events = list(DossierEvent.objects.filter(dossier_id__in=ids, kind=E.RECEIVED))
        for e in events:
            e.data = {**e.data, **flags[e.dossier_id]}
        DossierEvent.objects.bulk_update(events, ["data"], batch_size=1000)
        dossiers = list(Dossier.objects.filter(pk__in=ids).only("pk"))
        for d in dossiers:
            for key, value in flags[d.pk].items():
                setattr(d, key, value)
        Dossier.objects.bulk_update(
            dossiers, ["vneid_authenticated", "linked_to_personal_data_store"], batch_size=1000
        )


def _insert_sync_after_receipt(rows: list[dict]) -> None:
    """A `synced` event right after the receipt event, at the same moment (real time)."""
    for chunk in _chunks(rows):
        ids = [d["pk"] for d in chunk]
        receipts = dict(
            DossierEvent.objects.filter(dossier_id__in=ids, kind=E.RECEIVED).values_list(
                "dossier_id", "sequence"
            )
        )
        by_sequence: dict[int, list[int]] = defaultdict(list)
        for dossier_id, sequence in receipts.items():
            by_sequence[sequence].append(dossier_id)
        for sequence, group in by_sequence.items():
            DossierEvent.objects.filter(dossier_id__in=group, sequence__gt=sequence).update(
                sequence=F("sequence") + SHIFT
            )
        DossierEvent.objects.filter(dossier_id__in=ids, sequence__gt=SHIFT).update(
            sequence=F("sequence") - SHIFT + 1
        )
        at = {d["pk"]: d["received_at"] for d in chunk}
        DossierEvent.objects.bulk_create(
            [
                DossierEvent(dossier_id=i, sequence=s + 1, kind=E.SYNCED, at=at[i], data={})
                for i, s in receipts.items()
            ]
        )
        _mark_synced(chunk, at)


def _append_sync(rows: list[dict]) -> None:
    """A late sync: a `synced` event after the dossier's last event."""
    for chunk in _chunks(rows):
        at = {d["pk"]: d["last_event_at"] for d in chunk}
        DossierEvent.objects.bulk_create(
            [
                DossierEvent(
                    dossier_id=d["pk"],
                    sequence=d["event_count"] + 1,
                    kind=E.SYNCED,
                    at=d["last_event_at"],
                    data={},
                )
                for d in chunk
            ]
        )
        _mark_synced(chunk, at)


def _mark_synced(chunk: list[dict], at: dict) -> None:
    dossiers = list(Dossier.objects.filter(pk__in=[d["pk"] for d in chunk]).only("pk", "event_count"))
    for d in dossiers:
        d.synced_to_national_portal, d.synced_at, d.event_count = True, at[d.pk], d.event_count + 1
    Dossier.objects.bulk_update(
        dossiers, ["synced_to_national_portal", "synced_at", "event_count"], batch_size=1000
    )


def _feedback(province: Unit, now: dt.datetime, share: float) -> int:
    """Feedback through the services (deadlines, events, audit), handled by a coordinator."""
    if Feedback.objects.filter(unit__path__startswith=province.path).exists():
        return 0
    handler = (
        Membership.objects.filter(unit=province, role__in=[Role.COORDINATOR, Role.ADMIN])
        .select_related("user")
        .first()
    )
    chosen = []
    for d in Dossier.objects.filter(
        handling_unit__path__startswith=province.path, received_at__isnull=False
    ).order_by("code"):
        if _rng(d.code, "pakn").random() < share:
            chosen.append(d)
    made = 0
    for d in chosen:
        rng = _rng(d.code, "pakn-fate")
        received = d.received_at + dt.timedelta(days=rng.randrange(1, 20), hours=rng.randrange(0, 8))
        if received > now - dt.timedelta(hours=2):
            continue
        sender = Sender(name=f"Người phản ánh {d.code[-4:]}", phone=f"09{rng.randrange(10**7, 10**8)}")
        fb = services.feedback_receive(
            actor=CITIZEN,
            content="Đề nghị kiểm tra việc giải quyết hồ sơ.",
            sender=sender,
            dossier=d,
            received_at=received,
        )
        made += 1
        if handler is None:
            continue
        fate, actor = rng.random(), handler.user
        if fate < 0.1:
            at = received + dt.timedelta(days=rng.randrange(1, 4))
            if at < now:
                services.feedback_refuse(
                    actor=actor, feedback=fb, reason="Không thuộc thẩm quyền giải quyết.", at=at
                )
            continue
        answered = received + dt.timedelta(
            days=rng.randrange(3, 19) if fate < 0.85 else rng.randrange(22, 35)
        )
        if answered >= now:
            continue
        services.feedback_answer(
            actor=actor, feedback=fb, answer="Đã kiểm tra và trả lời người phản ánh.", at=answered
        )
        published = answered + dt.timedelta(days=rng.randrange(0, 4))
        if published >= now:
            continue
        services.feedback_publish(actor=actor, feedback=fb, at=published)
        rating = rng.choices(["rat_hai_long", "hai_long", "binh_thuong", "khong_hai_long"], [2, 11, 3, 4])[0]
        rated = min(now, published + dt.timedelta(hours=rng.randrange(1, 48)))
        services.feedback_rate(actor=CITIZEN, feedback=fb, rating=rating, at=rated)
        if rating == "khong_hai_long" and rng.random() < 0.5 and published + dt.timedelta(days=3) < now:
            services.feedback_receive(actor=CITIZEN, content="Tiếp tục phản ánh: chưa đồng ý với kết quả trả lời.", sender=sender,
                                      dossier=d, received_at=published + dt.timedelta(days=3))  # fmt: skip
            made += 1
    return made


def demo_periods(today: dt.date) -> list[str]:
    quarter = (today.month + 2) // 3
    return [str(today.year), *(f"{today.year}-Q{q}" for q in range(1, quarter + 1)),
            *(f"{today.year}-{m:02d}" for m in range(1, today.month + 1))]  # fmt: skip


def load_demo_facts(
    province: Unit, *, today: dt.date | None = None, compute: bool = True, feedback_share: float = 0.005
) -> dict:
    """Give the demo province the 766 facts (see the module docstring); returns what was done."""
    today = today or timezone.localdate()
    now = min(timezone.now(), timezone.make_aware(dt.datetime.combine(today, dt.time(17))))
    with transaction.atomic():
        report = _procedures(province, today)
        report["certified_copies"] = _certified_copies(province, today)
        report |= _dossiers(province)
        report["feedback"] = _feedback(province, now, feedback_share)
        audit_record(actor=SYSTEM, action="index766.demo_facts", obj=province, unit=province, after=report)
    if compute:
        report["computed"] = index766_compute(
            actor=SYSTEM, period_keys=demo_periods(today), root=province
        ).units
    return report
