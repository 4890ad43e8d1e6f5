"""The 766 index (docs/specs/index-766.md, docs/index-766.md): every formula on hand-computed cases,
the facts gathered from the database for a small province, the roll-up, the progress group
against the reference `dung_han` definition, ranking, the service, the command, the selector."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import random
from dataclasses import asdict
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from cchc.core.actors import SYSTEM
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.models import AuditEntry
from cchc.core.periods import parse_calendar_period
from cchc.dossiers.exchange import exchange_record
from cchc.dossiers.models import Dossier, Feedback, Payment
from cchc.exchange.dossiers import iter_dossiers
from cchc.exchange.formats import DOSSIER_COLUMNS
from cchc.exchange.orgs import OrgTree, OrgUnit
from cchc.index766 import formulas as fm
from cchc.index766.catalogue import WorkingDays, paper_result
from cchc.index766.compute import index766_compute
from cchc.index766.conf import config
from cchc.index766.facts import gather
from cchc.index766.models import CertifiedCopyOffer, Snapshot
from cchc.index766.ranking import competition_ranks, level_ranking, rank_of
from cchc.index766.results import UnitFacts
from cchc.index766.selectors import unit_score
from cchc.index766.services import certified_copy_offer_save
from cchc.indicators.definitions import INDICATORS as DOSSIER_INDICATORS
from cchc.indicators.definitions import compute_reference, indicator_value
from cchc.orgs.models import Unit
from cchc.procedures.models import Component, Level, OnlineMode, Procedure, Step

from .conftest import raises_code

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D = Decimal
Q1 = "2026-Q1"


def local(y, m, d, h=0, mi=0, s=0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, s, tzinfo=TZ)


def points(result) -> Decimal | None:
    return result.points


# --- formulas, by hand ---------------------------------------------------------------------------


def test_share_capped_and_payment_arithmetic():
    assert fm.share(6, 1, 3) == D("2.00")
    assert fm.share(20, 2, 3) == D("13.33")
    assert fm.share(20, 1, 8) == D("2.50")
    assert fm.share(6, 1, 400) == D("0.02")  # 0.015 rounds half-up
    # min(2, 2 × ratio / 0.8)
    assert fm.capped(2, 3, 10, D("0.8")) == D("0.75")
    assert fm.capped(2, 8, 10, D("0.8")) == D("2.00")
    assert fm.capped(2, 9, 10, D("0.8")) == D("2.00")
    assert fm.capped(4, 1, 3, D("0.8")) == D("1.67")
    assert fm.capped(6, 2, 5, D("0.5")) == D("4.80")
    w = config()["payment"]
    # min(10, 6A + min(2, 2.5B) + 2.5C)
    assert fm.payment_points(10, Fraction(1, 2), Fraction(1, 4), Fraction(3, 4), w) == D("5.50")
    assert fm.payment_points(10, Fraction(0), Fraction(1), Fraction(0), w) == D("2.00")  # B capped at 2
    assert fm.payment_points(10, Fraction(1), Fraction(1), Fraction(1), w) == D("10.00")  # 10.5 capped
    assert fm.payment_points(10, Fraction(2, 3), Fraction(1, 2), Fraction(1, 3), w) == D("6.08")


FULL = UnitFacts(
    publish_due=4, publish_on_time=3, public_due=5, public_on_time=4, made_public=10, public_complete=7,
    procedures=20, procedures_online=12, citizen_procedures=8, citizen_procedures_connected=6,
    fee_procedures=5, fee_procedures_paid_online=2, fee_procedures_with_dossiers=4,
    communes=4, communes_offering=3,
    R=200, S=250, S_on_time=225, S_complaint_or_unsatisfied=10, R_synced_realtime=190,
    R_online_counted=80, F_paper_granted=100, F_paper_granted_electronic=45, R_digitised=150,
    R_reused=60, R_data_store=50, R_vneid=70, R_fee=40, R_fee_paid_online=10,
    feedback=8, feedback_on_time=6, feedback_bad=3,
)  # fmt: skip


def test_every_indicator_on_a_hand_computed_unit():
    s = fm.score(FULL, config())
    expected = {
        "published_on_time": "4.50",  # 6 × 3/4
        "made_public_on_time": "3.20",  # 4 × 4/5
        "public_in_full": "1.40",  # 2 × 7/10
        "synced_dossiers": "5.70",  # 6 × 190/200
        "on_time": "18.00",  # 20 × 225/250
        "online_procedures": "4.50",  # min(6, 6 × 0.6 / 0.8)
        "online_dossiers": "4.80",  # min(6, 6 × 0.4 / 0.5)
        "electronic_result": "2.70",  # 6 × 45/100
        "digitised": "3.75",  # min(4, 4 × 0.75 / 0.8)
        "certified_copies": "1.50",  # 2 × 3/4
        "data_reuse": "0.75",  # min(2, 2 × 0.3 / 0.8)
        "data_store": "1.00",  # 4 × 50/200
        "population_data": "0.70",  # 2 × 70/200
        "population_procedures": "1.50",  # 2 × 6/8
        "feedback_on_time": "4.50",  # 6 × 6/8
        "feedback_satisfaction": "3.75",  # 6 × (8 − 3)/8
        "dossier_satisfaction": "5.73",  # late 25, complaints 10: (250 − 35)/250 = 0.86 → 6 × 0.86/0.9
        "online_payment": "4.50",  # A = 10/40, B = 2/5, C = 4/5: 6 × 0.25 + min(2, 1) + 2.5 × 0.8
    }
    got = {code: str(r.points) for code, r in s.results.items()}
    assert got == expected
    assert s.groups == {
        "publicity": D("14.80"),
        "progress": D("18.00"),
        "online": D("9.30"),
        "digitisation": D("11.90"),
        "satisfaction": D("13.98"),
        "payment": D("4.50"),
    }
    assert s.total == D("72.48") == sum(s.groups.values())
    assert s.results["online_payment"].parts == {"A": [10, 40], "B": [2, 5], "C": [4, 5]}
    assert s.results["dossier_satisfaction"].parts == {"late": 25, "complaint_or_unsatisfied": 10}
    assert all(v == fm.GROUPS[i].max_points for i, v in enumerate(s.max_computable.values()))


def test_not_computable_indicators_say_why_and_the_rules_for_none():
    s = fm.score(UnitFacts(), config())
    r = s.results
    not_computable = {c for c, x in r.items() if not x.computable}
    assert not_computable == {
        "published_on_time",
        "made_public_on_time",
        "public_in_full",
        "synced_dossiers",
        "on_time",
        "online_procedures",
        "online_dossiers",
        "electronic_result",
        "digitised",
        "certified_copies",
        "data_reuse",
        "data_store",
        "population_data",
        "population_procedures",
        "online_payment",
    }
    assert "phải công bố trong kỳ" in r["published_on_time"].reason
    assert r["on_time"].reason == "Không có hồ sơ giải quyết trong kỳ."
    assert r["digitised"].reason == "Không có hồ sơ tiếp nhận trong kỳ."
    assert "cấp xã" in r["certified_copies"].reason
    assert "thu phí" in r["online_payment"].reason
    # no feedback: 6 + 6; no dossiers: 0 for dossier satisfaction (spec)
    assert (r["feedback_on_time"].points, r["feedback_satisfaction"].points) == (D("6.00"), D("6.00"))
    assert r["dossier_satisfaction"].points == D("0.00") and r["dossier_satisfaction"].computable
    assert s.total == D("12.00")
    assert s.max_computable["satisfaction"] == D(18) and s.max_computable["progress"] == 0


def test_payment_with_fee_procedures_but_no_fee_dossiers_scores_from_b_and_c_only():
    f = UnitFacts(fee_procedures=4, fee_procedures_paid_online=0, fee_procedures_with_dossiers=1)
    r = fm.score(f, config()).results["online_payment"]
    assert r.points == D("0.63")  # 6·0 + 0 + 2.5 × 1/4 = 0.625 → 0.63 (half-up)


def test_dossier_satisfaction_never_goes_below_zero():
    f = UnitFacts(S=10, S_on_time=2, S_complaint_or_unsatisfied=5)  # 8 late + 5 complaints > 10
    r = fm.score(f, config()).results["dossier_satisfaction"]
    assert (r.numerator, r.denominator, r.points) == (0, 10, D("0.00"))


def test_commune_gets_full_marks_for_publication_indicators():
    s = fm.score(UnitFacts(is_commune=True, publish_due=3, publish_on_time=0), config())
    for code, full in (
        ("published_on_time", "6.00"),
        ("made_public_on_time", "4.00"),
        ("public_in_full", "2.00"),
    ):
        assert str(s.results[code].points) == full
        assert "cấp xã" in s.results[code].note
    assert s.groups["publicity"] == D("12.00")


def test_thresholds_come_from_settings():
    f = UnitFacts(R=10, R_online_counted=3, procedures=10, procedures_online=6, S=4, S_on_time=4)
    with override_settings(
        CCHC_INDEX766={"online_split": {"procedures": 4, "dossiers": 8}, "online_dossiers_full_at": "0.3"}
    ):
        cfg = config()
        s = fm.score(f, cfg)
        assert s.results["online_dossiers"].points == D("8.00")  # 0.3 ≥ 0.3: full marks of 8
        assert s.results["online_procedures"].points == D("3.00")  # 4 × 0.6 / 0.8
        assert cfg["payment"]["a"] == D(6)  # untouched keys keep their defaults
    with override_settings(CCHC_INDEX766={"commune_full_marks": []}):
        assert not fm.score(UnitFacts(is_commune=True), config()).results["published_on_time"].computable
    with override_settings(CCHC_INDEX766={"sync_within": 5}), pytest.raises(ImproperlyConfigured):
        config()
    with override_settings(CCHC_INDEX766={"reuse_full_at": "1.5"}), pytest.raises(ImproperlyConfigured):
        config()


def test_paper_result_is_derived_from_the_catalogue_text():
    words = config()["non_document_result_words"]
    assert paper_result("Giấy chứng nhận đăng ký hộ kinh doanh", words)
    assert paper_result("Bản sao được chứng thực từ bản chính", words)
    assert not paper_result("Cập nhật thông tin vào Cơ sở dữ liệu quốc gia về dân cư", words)
    assert not paper_result("", words)


def test_working_days_skip_weekends_and_holidays(db):
    days = WorkingDays()
    assert days.shift(dt.date(2026, 3, 16), -5) == dt.date(2026, 3, 9)
    assert days.shift(dt.date(2026, 3, 10), 5) == dt.date(2026, 3, 17)
    # 30/4 and 1/5/2026 are holidays (Thursday, Friday): 29/4 + 1 working day = 4/5
    assert days.shift(dt.date(2026, 4, 29), 1) == dt.date(2026, 5, 4)


# --- a small province in the database ----------------------------------------------------------------

_codes = itertools.count(1)


def procedure(agency, code, *, level=Level.PROVINCE, parts=True, **fields) -> Procedure:
    p = Procedure.objects.create(
        code=code, name=f"Thủ tục {code}", agency=agency, level=level,
        processing_time=D(5), **fields,
    )  # fmt: skip
    if parts:
        Step.objects.create(
            procedure=p, position=1, name="Giải quyết", actor_role="Chuyên viên", time_allowed=D(5)
        )
        Component.objects.create(procedure=p, name="Tờ khai")
    return p


def dossier(
    unit, proc, received, due, *, finished=None, result="", paused=None, channel="truc_tiep", **flags
):
    """A dossier row with the facts given (the on-time rule reads on_time_until = due + pause)."""
    paused = paused or D(0)
    return Dossier.objects.create(
        code=f"HS-{next(_codes):06d}",
        procedure=proc,
        handling_unit=unit,
        receiving_unit=unit,
        channel=channel,
        applicant_name="(thử nghiệm)",
        state="returned" if finished else "in_progress",
        submitted_at=received,
        received_at=received,
        due_at=due,
        current_due_at=due,
        on_time_until=due + dt.timedelta(microseconds=int(paused * 3_600_000_000)),
        paused_elapsed_hours=paused,
        paused_hours=paused,
        finished_at=finished,
        result=result,
        **flags,
    )


def feedback(unit, received, handle_due, *, dossier=None, **fields) -> Feedback:
    return Feedback.objects.create(
        code=f"PA-{next(_codes):06d}", unit=unit, dossier=dossier, content="Phản ánh", sender_name="Người gửi",
        received_at=received, state=fields.pop("state", "received"), refuse_due_at=received + dt.timedelta(days=2),
        info_due_at=received + dt.timedelta(days=5), handle_due_at=handle_due, **fields,
    )  # fmt: skip


@pytest.fixture
def world(tree):
    return build_world(tree)


def build_world(tree):
    """The scenario of docs/index-766.md's worked example (figures checked below by hand)."""
    p75, stp, sct = tree.province, tree.agency("STP"), tree.agency("SCT")
    w1, w2, _ = tree.communes
    paper = "Giấy chứng nhận"
    pA = procedure(
        stp,
        "1.000001",
        fee_amount=50_000,
        online_mode=OnlineMode.FULL,
        result_type=paper,
        applicant_type="citizen",
        legal_basis_effective_on=dt.date(2026, 3, 16),
        published_on=dt.date(2026, 3, 9),
        made_public_on=dt.date(2026, 3, 16),
    )
    pB = procedure(
        sct,
        "1.000002",
        parts=False,
        fee_amount=0,
        online_mode=OnlineMode.NONE,
        result_type="Cập nhật thông tin vào cơ sở dữ liệu",
        applicant_type="organisation",
        legal_basis_effective_on=dt.date(2026, 3, 16),
        published_on=dt.date(2026, 3, 10),
        made_public_on=dt.date(2026, 3, 20),
    )
    procedure(
        stp,
        "1.000002",
        fee_amount=0,
        online_mode=OnlineMode.NONE,
        result_type=paper,
        applicant_type="citizen",
        legal_basis_effective_on=dt.date(2026, 3, 16),
        published_on=dt.date(2026, 3, 9),
        made_public_on=dt.date(2026, 3, 12),
    )
    pC = procedure(
        p75,
        "2.000003",
        level=Level.COMMUNE,
        fee_amount=10_000,
        online_mode=OnlineMode.PARTIAL,
        result_type="Bản sao được chứng thực từ bản chính",
        applicant_type="both",
        published_on=dt.date(2025, 6, 2),
        made_public_on=dt.date(2025, 6, 5),
    )
    procedure(w1, "2.000004", level=Level.COMMUNE, parts=False, valid_to=dt.date(2025, 12, 31))
    # dossiers of Sở Tư pháp (procedure A: paper result, fee)
    d1 = dossier(
        stp,
        pA,
        local(2026, 1, 5, 8),
        local(2026, 1, 12, 8),
        finished=local(2026, 1, 9, 10),
        result="chap_thuan",
        channel="truc_tuyen",
        electronic_result=True,
        synced_to_national_portal=True,
        synced_at=local(2026, 1, 5, 8, 10),
        fee_due=True,
        paid_online=True,
        digitised=True,
        vneid_authenticated=True,
    )
    d2 = dossier(
        stp,
        pA,
        local(2026, 2, 2, 8),
        local(2026, 2, 5, 8),
        finished=local(2026, 2, 10, 8),
        result="chap_thuan",
        channel="truc_tuyen",
        synced_to_national_portal=True,
        synced_at=local(2026, 2, 2, 10),
        fee_due=True,
        rating="khong_hai_long",
    )
    d3 = dossier(
        stp,
        pA,
        local(2025, 12, 20, 8),
        local(2026, 1, 2, 8),
        finished=local(2026, 1, 6, 10),
        result="chap_thuan",
        paused=D(100),
        supplement_count=1,
        electronic_result=True,
    )
    dossier(stp, pA, local(2026, 3, 25, 9), local(2026, 4, 5, 8), supplement_count=2)
    # Sở Công Thương (procedure B: no paper result, no fee)
    dossier(
        sct,
        pB,
        local(2026, 1, 15, 8),
        local(2026, 1, 20, 8),
        finished=local(2026, 1, 16, 8),
        result="chap_thuan",
        channel="truc_tuyen",
        data_reused=True,
        linked_to_personal_data_store=True,
    )
    # a commune, with the province's commune-level procedure C
    d6 = dossier(
        w1,
        pC,
        local(2026, 3, 2, 8),
        local(2026, 3, 2, 16),
        finished=local(2026, 3, 2, 11),
        result="chap_thuan",
        electronic_result=True,
        fee_due=True,
        paid_online=True,
        vneid_authenticated=True,
        synced_to_national_portal=True,
        synced_at=local(2026, 3, 2, 8),
    )
    for d, method, status in (
        (d1, "truc_tuyen", "paid"),
        (d6, "truc_tuyen", "paid"),
        (d2, "tai_quay", "paid"),
    ):
        Payment.objects.create(
            dossier=d,
            amount=50_000,
            method=method,
            status=status,
            created_at=d.received_at,
            paid_at=d.received_at + dt.timedelta(hours=1),
        )
    # feedback: f1 handled on time but complained about again (f2, same dossier); f2 overdue and
    # open; f3 open within its limit; f4 waiting for the sender's information, rated unsatisfied
    feedback(
        stp,
        local(2026, 1, 10, 9),
        local(2026, 1, 30, 17),
        dossier=d3,
        state="published",
        answered_at=local(2026, 1, 20, 9),
        publish_due_at=local(2026, 1, 22, 17),
        published_at=local(2026, 1, 21, 9),
        sender_rating="hai_long",
    )
    feedback(stp, local(2026, 2, 1, 9), local(2026, 2, 24, 17), dossier=d3)
    feedback(sct, local(2026, 3, 20, 9), local(2026, 4, 10, 17))
    feedback(
        sct,
        local(2026, 3, 2, 9),
        local(2026, 3, 23, 17),
        state="info_requested",
        info_requested_at=local(2026, 3, 4, 9),
        sender_rating="khong_hai_long",
    )
    CertifiedCopyOffer.objects.create(unit=w1, offered=True, since=dt.date(2026, 1, 1))
    CertifiedCopyOffer.objects.create(unit=w2, offered=True, since=dt.date(2026, 5, 1))  # after the period
    return tree  # fmt: skip


def facts_of(tree, root=None, key=Q1):
    return gather(root, parse_calendar_period(key), config()).facts


def test_catalogue_facts_of_province_agencies_and_communes(world):
    f = facts_of(world)
    p, stp, sct, w1, w2 = (
        f[u.pk] for u in (world.province, world.agency("STP"), world.agency("SCT"), *world.communes[:2])
    )
    # code 1.000002 is published late by Sở Công Thương and on time by Sở Tư pháp: late for the province
    assert (p.publish_due, p.publish_on_time, p.public_due, p.public_on_time) == (2, 1, 2, 1)
    assert (stp.publish_due, stp.publish_on_time, stp.public_due, stp.public_on_time) == (2, 2, 2, 2)
    assert (sct.publish_due, sct.publish_on_time, sct.public_due, sct.public_on_time) == (1, 0, 1, 0)
    assert (p.made_public, p.public_complete, p.procedures, p.procedures_online) == (4, 3, 4, 2)
    assert (p.citizen_procedures, p.fee_procedures, p.publish_unknown) == (3, 2, 1)
    # a commune carries out the province's commune-level procedure; its own expired one is out
    assert (w1.procedures, w1.procedures_online, w1.fee_procedures, w1.made_public, w1.public_complete) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert (w2.procedures, w2.fee_procedures_with_dossiers, w1.fee_procedures_with_dossiers) == (1, 0, 1)
    assert (stp.procedures, sct.procedures, sct.citizen_procedures) == (2, 1, 0)  # fmt: skip


def test_dossier_payment_feedback_and_commune_facts(world):
    f = facts_of(world)
    p, stp, sct, w1 = (
        f[u.pk] for u in (world.province, world.agency("STP"), world.agency("SCT"), world.communes[0])
    )
    assert (stp.R, stp.S, stp.S_on_time, stp.S_complaint_or_unsatisfied) == (3, 4, 2, 2)
    assert (
        stp.R_synced_realtime,
        stp.R_online_counted,
        stp.F_paper_granted,
        stp.F_paper_granted_electronic,
    ) == (1, 1, 3, 2)
    assert (stp.R_fee, stp.R_fee_paid_online, stp.R_vneid, stp.R_digitised) == (2, 1, 1, 1)
    assert (sct.R_online_counted, sct.F_paper_granted, sct.R_reused, sct.R_data_store) == (1, 0, 1, 1)
    assert (w1.R, w1.S_on_time, w1.R_synced_realtime, w1.F_paper_granted_electronic) == (1, 1, 1, 1)
    assert (stp.feedback, stp.feedback_on_time, stp.feedback_bad) == (2, 1, 2)
    assert (sct.feedback, sct.feedback_on_time, sct.feedback_bad) == (2, 2, 1)
    assert (p.fee_procedures_with_dossiers, p.fee_procedures_paid_online, p.citizen_procedures_connected) == (
        2,
        2,
        2,
    )
    assert (
        p.communes,
        p.communes_offering,
        w1.communes_offering,
        f[world.communes[1].pk].communes_offering,
    ) == (3, 1, 1, 0)
    # a parent's counts are its subtree's, summed (never an average)
    for name in ("R", "S", "S_on_time", "R_vneid", "feedback", "feedback_bad"):
        assert getattr(p, name) == sum(getattr(f[u.pk], name) for u in Unit.objects.filter(parent=world.province) if u.pk in f)  # fmt: skip


def test_online_payment_counts_the_payment_flag_of_imported_dossiers_too(world):
    # imported dossiers carry the flag (from the payment event) but no payment record
    Payment.objects.all().delete()
    assert facts_of(world)[world.province.pk].fee_procedures_paid_online == 2
    Dossier.objects.update(paid_online=False)
    assert facts_of(world)[world.province.pk].fee_procedures_paid_online == 0


def test_province_score_by_hand(world):
    index766_compute(actor=SYSTEM, period_keys=[Q1], root=world.province)
    s = Snapshot.objects.get(unit=world.province, period=Q1)
    pts = {code: r["points"] for code, r in s.indicators.items()}
    assert pts == {
        "published_on_time": "3.00", "made_public_on_time": "2.00", "public_in_full": "1.50",
        "synced_dossiers": "2.40", "on_time": "13.33", "online_procedures": "3.75", "online_dossiers": "4.80",
        "electronic_result": "4.50", "digitised": "1.00", "certified_copies": "0.67", "data_reuse": "0.50",
        "data_store": "0.80", "population_data": "0.80", "population_procedures": "1.33",
        "feedback_on_time": "4.50", "feedback_satisfaction": "1.50", "dossier_satisfaction": "2.22",
        "online_payment": "8.50",
    }  # fmt: skip
    assert (s.publicity, s.progress, s.online, s.digitisation, s.satisfaction, s.payment) == (
        D("8.90"), D("13.33"), D("8.55"), D("9.60"), D("8.22"), D("8.50"),
    )  # fmt: skip
    assert s.total == D("57.10")
    assert s.indicators["online_payment"]["parts"] == {"A": [2, 3], "B": [2, 2], "C": [2, 2]}
    # the average processing time of the busiest procedure: d1 4 days 2 h, d2 8 days, d3 17 days
    # 2 h − 100 h → (4.0833 + 8 + 12.9167) / 3 = 8.33 days
    top = s.details["procedures"][0]
    assert (top["code"], top["finished"], top["avg_days"]) == ("1.000001", 3, "8.33")
    commune = Snapshot.objects.get(unit=world.communes[0], period=Q1)
    assert commune.indicators["published_on_time"]["points"] == "6.00"
    assert "cấp xã" in commune.indicators["published_on_time"]["note"]
    copies = commune.indicators["certified_copies"]
    assert (copies["numerator"], copies["denominator"], copies["points"]) == (1, 1, "2.00")


def test_roll_up_equals_computing_over_the_subtree(world):
    everything = facts_of(world)
    for root in (world.province, world.agency("STP"), world.communes[0]):
        rooted = facts_of(world, root)
        for pk in rooted:
            assert asdict(rooted[pk]) == asdict(everything[pk]), Unit.objects.get(pk=pk).name
    # moving one dossier to a commune moves it between the children but not the province
    before = everything[world.province.pk]
    Dossier.objects.filter(handling_unit=world.agency("SCT")).update(handling_unit=world.communes[2])
    after = facts_of(world)
    assert after[world.province.pk].R == before.R and after[world.communes[2].pk].R == 1
    assert after[world.agency("SCT").pk].R == 0


# --- progress equals the reference definition ---------------------------------------------------------


def _random_dossiers(tree, seed: int, count: int) -> None:
    rng = random.Random(seed)
    units = [tree.agency("STP"), tree.agency("SCT"), *tree.communes, tree.province, tree.other_commune]
    procs = [procedure(u, f"1.{900000 + i:06d}") for i, u in enumerate(units)]
    for _ in range(count):
        i = rng.randrange(len(units))
        received = local(2025, 11, 1, 7) + dt.timedelta(minutes=rng.randrange(0, 240 * 24 * 60))
        due = received + dt.timedelta(hours=rng.choice([4, 8, 24, 72, 240]))
        paused = D(rng.choice([0, 0, 0, 1, 2.5, 17.25, 48]))
        finished = None
        if rng.random() < 0.8:
            finished = received + dt.timedelta(minutes=rng.randrange(1, 20 * 24 * 60))
        if rng.random() < 0.05:  # exactly at the limit: on time
            finished = due + dt.timedelta(microseconds=int(paused * 3_600_000_000))
        dossier(units[i], procs[i], received, due, finished=finished, result="chap_thuan" if finished else "",
                paused=paused, supplement_count=rng.choice([0, 0, 1, 2]))  # fmt: skip


def _reference(tmp_path, periods):
    units = list(Unit.objects.order_by("path"))
    orgs = OrgTree(
        OrgUnit(u.code, u.name, u.parent.code if u.parent else None, i) for i, u in enumerate(units, 2)
    )
    path = tmp_path / "dossiers.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=DOSSIER_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for d in Dossier.objects.select_related("procedure", "handling_unit").order_by("pk"):
            writer.writerow(exchange_record(d))
    rows = list(iter_dossiers(path, orgs))
    return compute_reference(orgs, rows, periods)


def test_progress_equals_the_reference_dung_han(tree, tmp_path):
    _random_dossiers(tree, seed=766, count=300)
    keys = ["2026", "2026-Q1", "2025-12", "2026-03", "2026-H1", "2025-Q4"]
    periods = [parse_calendar_period(k) for k in keys]
    reference = _reference(tmp_path, periods)
    points_indicator = next(i for i in DOSSIER_INDICATORS if i.code == "diem_766_tien_do")
    index766_compute(actor=SYSTEM, period_keys=keys)
    checked = 0
    for s in Snapshot.objects.select_related("unit"):
        measures = reference.get((s.unit.code, s.period), {})
        ref = indicator_value(points_indicator, s.unit.code, s.period, measures)
        mine = s.indicators["on_time"]
        assert (mine["numerator"], mine["denominator"]) == (
            measures.get("S_dung_han", 0),
            measures.get("S", 0),
        )
        assert (None if mine["points"] is None else D(mine["points"])) == ref.value, (s.unit.code, s.period)
        assert s.progress == (ref.value or 0)
        checked += bool(measures.get("S"))
    assert checked > 20


# --- ranking -----------------------------------------------------------------------------------------------


def test_competition_ranks_share_ties():
    ranked = competition_ranks(
        [("a", D("70.5")), ("b", D("80")), ("c", D("70.5")), ("d", D("60")), ("e", D("80"))]
    )
    assert [(k, r) for k, _, r in ranked] == [("b", 1), ("e", 1), ("a", 3), ("c", 3), ("d", 5)]
    assert competition_ranks([]) == []


def test_units_are_ranked_within_their_level(world):
    index766_compute(actor=SYSTEM, period_keys=[Q1])
    communes = level_ranking(world.province, "commune", Q1)
    assert len(communes) == 3
    # communes 2 and 3 have no dossiers and the same facts: they tie
    assert [r.rank for r in communes] == [1, 2, 2]
    assert communes[0].unit == world.communes[0]
    agencies = level_ranking(world.province, "agency", Q1)
    assert len(agencies) == Unit.objects.current().filter(kind="agency", parent=world.province).count()
    assert rank_of(world.communes[2], Q1) == (2, 3, "các xã, phường của tỉnh")
    assert rank_of(world.province, Q1)[1] == 2  # two provinces computed (the former one has ended)
    assert rank_of(world.agency("STP"), "2026-Q2") is None  # not computed for that period


# --- service, command, selector -------------------------------------------------------------------------------


def test_recompute_is_audited_and_replaces_snapshots(world, users):
    report = index766_compute(actor=users.coordinator, period_keys=[Q1, "2026-03", Q1], root=world.province)
    assert report.periods == [Q1, "2026-03"]
    entry = AuditEntry.objects.get(action="index766.compute")
    assert entry.actor == users.coordinator and entry.unit_id == world.province.pk
    assert entry.after["periods"] == [Q1, "2026-03"] and entry.after["root"] == "P75"
    count = Snapshot.objects.count()
    index766_compute(actor=users.coordinator, period_keys=[Q1], root=world.province)
    assert Snapshot.objects.count() == count
    assert AuditEntry.objects.filter(action="index766.compute").count() == 2


@pytest.mark.parametrize("who", ["officer", "leader", "foreign_coordinator", "commune_coordinator"])
def test_recompute_needs_a_coordinator_or_admin_of_the_unit(world, users, who):
    with pytest.raises(PermissionDenied):
        index766_compute(actor=getattr(users, who), period_keys=[Q1], root=world.province)
    with pytest.raises(PermissionDenied):
        index766_compute(actor=users.coordinator, period_keys=[Q1])  # everything: admins only
    assert not Snapshot.objects.exists() and not AuditEntry.objects.filter(action="index766.compute").exists()
    index766_compute(actor=users.commune_coordinator, period_keys=[Q1], root=world.communes[0])
    index766_compute(actor=users.admin, period_keys=[Q1])


@pytest.mark.parametrize("keys", [["2026-Q5"], [], ["  "], ["2026", "quý 1"]])
def test_bad_periods_leave_no_trace(world, keys):
    with pytest.raises(ServiceError) as exc:
        index766_compute(actor=SYSTEM, period_keys=keys, root=world.province)
    assert "kỳ" in " ".join(exc.value.messages).lower()
    assert not Snapshot.objects.exists() and not AuditEntry.objects.filter(action="index766.compute").exists()


def test_command_computes_and_prints_a_summary(world, capsys):
    call_command("index766_compute", period=[Q1], unit="P75")
    out = capsys.readouterr().out
    assert "P75\t2026-Q1\t57,10\tTỉnh Đồng Nai" in out
    assert "Đã tính 1 kỳ cho" in out


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--period", "2026-Q5"], "Kỳ không hợp lệ"),
        (["--period", Q1, "--unit", "KHONG-CO"], "Không có đơn vị mã “KHONG-CO”"),
    ],
)
def test_command_bad_input_exits_with_status_2(world, capsys, monkeypatch, argv, words):
    from django.db import connections

    from cchc.cli import main

    # run_from_argv closes every connection when it ends, the test database's one included
    monkeypatch.setattr(connections, "close_all", lambda: None)

    with pytest.raises(CommandError) as exc:
        call_command("index766_compute", *argv)
    assert exc.value.returncode == 2
    with pytest.raises(SystemExit) as stop:
        main(["index766", "compute", *argv])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert words in err and len(err.splitlines()) == 1
    assert not Snapshot.objects.exists()


def test_unit_score_selector(world):
    assert unit_score(world.province, Q1) is None
    index766_compute(actor=SYSTEM, period_keys=[Q1], root=world.province)
    score = unit_score(world.province, Q1)
    assert score["total"] == D("57.10")
    assert score["groups"] == {
        "publicity": D("8.90"), "progress": D("13.33"), "online": D("8.55"),
        "digitisation": D("9.60"), "satisfaction": D("8.22"), "payment": D("8.50"),
    }  # fmt: skip
    assert score["computed_at"] is not None


# --- electronic certified copies ------------------------------------------------------------------------------


def test_certified_copy_offer_is_audited_and_checked(tree, users):
    commune = tree.communes[0]
    offer = certified_copy_offer_save(
        actor=users.commune_coordinator, unit=commune, offered=True, since=dt.date(2026, 2, 1)
    )
    assert offer.offered and offer.since == dt.date(2026, 2, 1)
    entry = AuditEntry.objects.get(action="index766.certified_copy")
    assert entry.after == {"offered": True, "since": "2026-02-01"} and entry.before is None
    certified_copy_offer_save(
        actor=users.commune_coordinator, unit=commune, offered=True, since=dt.date(2026, 2, 1)
    )
    assert AuditEntry.objects.filter(action="index766.certified_copy").count() == 1  # unchanged: no row
    certified_copy_offer_save(actor=users.coordinator, unit=commune, offered=False, since=dt.date(2026, 2, 1))
    assert CertifiedCopyOffer.objects.get(unit=commune).since is None
    with pytest.raises(PermissionDenied):
        certified_copy_offer_save(actor=users.commune_officer, unit=commune, offered=True)
    with pytest.raises(PermissionDenied):
        certified_copy_offer_save(actor=users.commune_coordinator, unit=tree.communes[1], offered=True)
    with raises_code("not_a_commune"):
        certified_copy_offer_save(actor=users.coordinator, unit=tree.agency("STP"), offered=True)
    with raises_code("date_in_future"):
        certified_copy_offer_save(
            actor=users.coordinator, unit=commune, offered=True, since=dt.date(2999, 1, 1)
        )
    assert AuditEntry.objects.filter(action="index766.certified_copy").count() == 2  # fmt: skip
