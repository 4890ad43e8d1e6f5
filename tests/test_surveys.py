"""Surveys: the seeded questionnaires, campaigns, answers by token / open link / paper / file,
the results (the same numbers as `cchc survey results`), the indicator source, the sample."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from contextlib import redirect_stdout
from decimal import Decimal as D

import pytest

from cchc.core.audit import AuditEntry
from cchc.core.errors import PermissionDenied
from cchc.core.indicator_sources import readings, source_of
from cchc.core.localtime import TZ_LOCAL
from cchc.dossiers.models import Dossier
from cchc.procedures.models import Level, Procedure
from cchc.surveys import files, formulas, sampling
from cchc.surveys.exports import questionnaire_csv, responses_csv
from cchc.surveys.models import Answer, Campaign, Questionnaire, Response, SampleEntry
from cchc.surveys.selectors import campaign_results, comparable
from cchc.surveys.services import campaigns as campaign_services
from cchc.surveys.services import responses as response_services
from cchc.surveys.services.questionnaires import load_seeded
from tests.conftest import raises_code

ELEMENT_1 = ["1.1", "1.2", "1.3", "1.4"]


@pytest.fixture
def sipas(db):
    return Questionnaire.objects.get(code="SIPAS-HCC")


def make_campaign(users, tree, sipas, *, mode=Campaign.Mode.SAMPLED, sizes=None, seed=7):
    units = sizes or {tree.agency("STP"): 3, tree.agency("SCT"): 3}
    return campaign_services.campaign_create(
        actor=users.coordinator,
        owner=tree.province,
        name="Khảo sát sự hài lòng quý III",
        questionnaire=sipas,
        period_start=dt.date(2026, 7, 1),
        period_end=dt.date(2026, 9, 30),
        mode=mode,
        sample_sizes=units,
        seed=seed,
    )


def test_the_seeded_questionnaires_hold_the_five_elements_and_load_again_unchanged(sipas):
    assert set(Questionnaire.objects.values_list("code", flat=True)) >= {"SIPAS-HCC", "SIPAS-GD", "SIPAS-YT"}
    scale = sipas.questions.filter(kind="thang_5")
    assert sorted({q.section.code for q in scale}) == ["1", "2", "3", "4", "5"]
    assert scale.count() == 22 and sipas.questions.filter(kind="van_ban").count() == 1
    assert sipas.sections.get(code="3").name == "Công chức trực tiếp giải quyết công việc"
    before = list(sipas.questions.values_list("id", "code", "text"))
    load_seeded()  # idempotent
    assert list(sipas.questions.values_list("id", "code", "text")) == before
    # each data file is a valid questionnaire.csv of the contract
    for code in ("SIPAS-HCC", "SIPAS-GD", "SIPAS-YT"):
        q = Questionnaire.objects.get(code=code)
        built = formulas.build_questionnaire(files.read_questionnaire_rows(questionnaire_csv(q).encode()))
        assert built.elements == ["1", "2", "3", "4", "5"]


def test_campaign_rules(users, tree, sipas):
    with raises_code("survey_unit_outside"):
        make_campaign(users, tree, sipas, sizes={tree.other_commune: 5})
    with pytest.raises(PermissionDenied):
        campaign_services.campaign_create(
            actor=users.officer, owner=tree.province, name="x", questionnaire=sipas,
            period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 3, 31), mode="mo",
            sample_sizes={tree.agency("STP"): 1},
        )  # fmt: skip
    with raises_code("survey_campaign_invalid"):
        campaign_services.campaign_create(
            actor=users.coordinator, owner=tree.province, name="x", questionnaire=sipas,
            period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 1, 31), mode="mo",
            sample_sizes={tree.agency("STP"): 1},
        )  # fmt: skip
    campaign = make_campaign(users, tree, sipas)
    assert AuditEntry.objects.filter(action="survey.campaign_create", object_id=str(campaign.pk)).exists()


def test_a_token_answers_once_and_keeps_no_link_to_the_response(users, tree, sipas):
    campaign = make_campaign(users, tree, sipas)
    issued = campaign_services.links_issue(
        actor=users.coordinator, campaign=campaign, unit=tree.agency("STP"), extra=2
    )
    (entry, token), (_, other) = issued
    assert len(token) >= 32  # 192 random bits, URL-safe
    stored = SampleEntry.objects.get(pk=entry.pk)
    assert stored.token_hash == campaign_services.token_hash(token) and token not in stored.token_hash
    response_services.response_submit_by_token(token=token, answers={"1.1": "5", "1.2": "4", "YK": "Rất tốt"})
    with raises_code("survey_token_used"):
        response_services.response_submit_by_token(token=token, answers={"1.1": "1"})
    with raises_code("survey_token_invalid"):
        response_services.response_submit_by_token(
            token=other[:-1] + ("A" if other[-1] != "A" else "B"), answers={"1.1": "1"}
        )
    with raises_code("survey_value_invalid"):
        response_services.response_submit_by_token(token=other, answers={"1.1": "6"})
    with raises_code("survey_value_invalid"):
        response_services.response_submit_by_token(token=other, answers={"TT1": "Không có lựa chọn này"})
    with raises_code("survey_response_empty"):
        response_services.response_submit_by_token(token=other, answers={"1.1": ""})
    assert (
        SampleEntry.objects.get(token_hash=campaign_services.token_hash(other)).used_at is None
    )  # nothing half-saved
    assert Response.objects.count() == 1 and Answer.objects.count() == 3
    field_names = {f.name for f in Response._meta.get_fields()}
    assert not field_names & {"token", "token_hash", "sample_entry", "dossier"}
    assert AuditEntry.objects.filter(action="survey.response_submit", actor_kind="citizen").count() == 1


def test_paper_entry_is_for_the_units_officers(users, tree, sipas):
    campaign = make_campaign(users, tree, sipas)
    response_services.response_enter_paper(
        actor=users.officer,
        campaign=campaign,
        unit=tree.agency("STP"),
        answers={"2.1": "3"},
        form_code="G-01",
    )
    with pytest.raises(PermissionDenied):
        response_services.response_enter_paper(
            actor=users.officer_other, campaign=campaign, unit=tree.agency("STP"), answers={"2.1": "3"}
        )
    with raises_code("survey_form_duplicate"):
        response_services.response_enter_paper(
            actor=users.coordinator,
            campaign=campaign,
            unit=tree.agency("STP"),
            answers={"2.1": "3"},
            form_code="G-01",
        )
    campaign_services.campaign_close(actor=users.coordinator, campaign=campaign)
    with raises_code("survey_campaign_closed"):
        response_services.response_enter_paper(
            actor=users.officer, campaign=campaign, unit=tree.agency("STP"), answers={"2.1": "3"}
        )


def import_file(rows: str) -> bytes:
    return ("ma_phieu,ma_don_vi,ma_cau,gia_tri\n" + rows).encode()


def test_import_refuses_the_whole_file_on_any_bad_row(users, tree, sipas):
    campaign = make_campaign(users, tree, sipas)
    bad = import_file("A1,P75.STP,1.1,5\nA1,P75.STP,1.2,7\nA2,P75.XYZ,1.1,4\nA3,P75.STP,9.9,4\n")
    with raises_code("survey_import_invalid") as exc:
        response_services.responses_import(actor=users.coordinator, campaign=campaign, data=bad)
    text = " ".join(exc.value.messages)
    assert "dòng 3" in text and "1 đến 5" in text
    assert "dòng 4" in text and "P75.XYZ" in text
    assert "dòng 5" in text and "9.9" in text
    assert Response.objects.count() == 0  # nothing half-saved
    good = import_file(
        "A1,P75.STP,1.1,5\nA1,P75.STP,1.2,\nA1,P75.STP,TT1,Trực tuyến trên Cổng dịch vụ công\nA2,P75.SCT,1.1,2\n"
    )
    assert response_services.responses_import(actor=users.coordinator, campaign=campaign, data=good) == 2
    with raises_code("survey_import_invalid") as exc:  # the same forms again
        response_services.responses_import(actor=users.coordinator, campaign=campaign, data=good)
    assert "đã có trong đợt" in " ".join(exc.value.messages)
    with pytest.raises(PermissionDenied):
        response_services.responses_import(actor=users.officer, campaign=campaign, data=good)


def seed_answers(users, tree, campaign):
    """Element 1: STP [5,4,2,5] + element 2 [3,4]; SCT element 1 [4]: hand-computed below."""
    stp, sct = tree.agency("STP"), tree.agency("SCT")
    for unit, answers in (
        (stp, {"1.1": "5", "1.2": "4", "2.1": "3", "YK": "Nên có thêm chỗ ngồi"}),
        (stp, {"1.1": "2", "1.2": "5", "2.1": "4"}),
        (sct, {"1.1": "4"}),
    ):
        response_services.response_enter_paper(
            actor=users.coordinator, campaign=campaign, unit=unit, answers=answers
        )


def test_results_by_hand_and_the_same_as_the_command(users, tree, sipas, tmp_path):
    campaign = make_campaign(users, tree, sipas)
    seed_answers(users, tree, campaign)
    elements, rows = campaign_results(campaign)
    assert elements == ["1", "2", "3", "4", "5"]
    sct, stp = rows  # code order: P75.SCT < P75.STP
    assert (sct.unit.code, stp.unit.code) == ("P75.SCT", "P75.STP")
    e1, e2 = stp.result.elements[:2]
    assert (e1.n, e1.rate, e1.mean, e1.margin) == (4, D("75.00"), D("4.00"), D("42.44"))
    assert (e2.n, e2.rate, e2.mean, e2.margin) == (2, D("50.00"), D("3.50"), D("69.30"))
    assert (stp.result.total.n, stp.result.total.rate, stp.result.total.mean) == (6, D("62.50"), D("3.75"))
    assert sct.result.total.rate == D("100.00")
    assert not comparable(stp.result) and stp.rank is None  # margins far above 10 points

    # the command on the same answers exported as files gives the very same rows
    (tmp_path / "q.csv").write_text(questionnaire_csv(sipas), encoding="utf-8")
    (tmp_path / "r.csv").write_text(responses_csv(campaign), encoding="utf-8")
    from django.core.management import call_command

    out = io.StringIO()
    with redirect_stdout(out):
        call_command(
            "survey_results", questionnaire=str(tmp_path / "q.csv"), responses=str(tmp_path / "r.csv")
        )
    expected = files.results_csv(formulas.result_rows([r.result for r in rows]))
    assert out.getvalue() == expected
    assert "P75.STP,TONG,6,62.50,3.75," in expected


def test_the_indicator_source(users, tree, sipas):
    campaign = make_campaign(users, tree, sipas)
    seed_answers(users, tree, campaign)
    assert source_of("khao_sat:hai_long").is_percent
    with raises_code("indicator_code_invalid"):
        source_of("khao_sat:yeu_to_9")
    # the province's subtree pools STP and SCT: e1 [5,4,2,5,4] → 4/5 = 80%, e2 [3,4] → 50%
    got = readings("khao_sat:yeu_to_1", tree.province, ["2026", "2026-Q3", "2025"])
    assert (got["2026"].value, got["2026"].numerator, got["2026"].denominator) == (D("80.00"), 4, 5)
    assert got["2026-Q3"].value == D("80.00") and got["2025"].value is None
    total = readings("khao_sat:hai_long", tree.province, ["2026"])["2026"]
    assert (total.value, total.numerator, total.denominator) == (D("65.00"), 5, 7)  # (80 + 50)/2
    assert readings("khao_sat:hai_long", tree.agency("SCT"), ["2026"])["2026"].value == D("100.00")
    assert readings("khao_sat:y_te:hai_long", tree.province, ["2026"])["2026"].value is None


_codes = itertools.count(1)


def test_the_sample_is_stratified_and_the_same_seed_gives_the_same_sample(users, tree, sipas):
    stp = tree.agency("STP")
    procs = [
        Procedure.objects.create(code=f"1.00{i}", name=f"Thủ tục {i}", agency=stp, level=Level.PROVINCE)
        for i in range(2)
    ]
    finished = dt.datetime(2026, 8, 1, 9, tzinfo=TZ_LOCAL)
    for i in range(40):  # 30 of the first procedure, 10 of the second, + 5 outside the window
        for when in [finished] + ([finished.replace(year=2025)] if i < 5 else []):
            Dossier.objects.create(
                code=f"HS-{next(_codes):06d}", procedure=procs[0 if i < 30 else 1], handling_unit=stp,
                receiving_unit=stp, channel="truc_tiep", applicant_name="(thử)", state="returned",
                finished_at=when,
            )  # fmt: skip
    campaign = make_campaign(users, tree, sipas, sizes={stp: 8}, seed=2026)
    assert campaign_services.sample_draw(actor=users.coordinator, campaign=campaign) == 8
    first = sorted(campaign.sample.values_list("dossier_id", "procedure_id"))
    assert sum(1 for _, p in first if p == procs[0].pk) == 6  # 8 × 30/40
    assert all(Dossier.objects.get(pk=d).finished_at.year == 2026 for d, _ in first)
    campaign_services.sample_draw(actor=users.coordinator, campaign=campaign)
    assert sorted(campaign.sample.values_list("dossier_id", "procedure_id")) == first  # drawn again: same
    other = make_campaign(users, tree, sipas, sizes={stp: 8}, seed=2027)
    campaign_services.sample_draw(actor=users.coordinator, campaign=other)
    assert sorted(other.sample.values_list("dossier_id", "procedure_id")) != first
    # once a sampled respondent answers, the sample is locked
    (entry, token), *_ = campaign_services.links_issue(actor=users.coordinator, campaign=campaign)
    response_services.response_submit_by_token(token=token, answers={"1.1": "4"})
    with raises_code("survey_sample_locked"):
        campaign_services.sample_draw(actor=users.coordinator, campaign=campaign)


def test_allocation_and_draw_by_hand():
    assert sampling.allocate({1: 30, 2: 10}, 8) == {1: 6, 2: 2}
    assert sampling.allocate({1: 5, 2: 5, 3: 5}, 4) == {1: 2, 2: 1, 3: 1}  # remainders tie: lower id first
    assert sampling.allocate({1: 2}, 10) == {1: 2}  # never more than the frame
    frame = [(i, i % 3) for i in range(100)]
    a = sampling.draw(frame, 10, seed=1)
    assert a == sampling.draw(list(reversed(frame)), 10, seed=1)  # order-free
    assert a != sampling.draw(frame, 10, seed=2) and len(a) == 10


def test_the_kept_counts_are_the_answers_counted_again(users, tree, sipas):
    campaign = make_campaign(users, tree, sipas)
    seed_answers(users, tree, campaign)
    response_services.responses_import(
        actor=users.coordinator,
        campaign=campaign,
        data=import_file("A1,P75.STP,1.1,5\nA1,P75.STP,3.2,1\nA2,P75.SCT,1.1,2\nA2,P75.SCT,5.4,4\n"),
    )
    live = sorted(campaign.tallies.filter(count__gt=0).values_list("unit__code", "element", "score", "count"))
    _, before = campaign_results(campaign)
    assert [r.responses for r in before] == [2, 3]  # SCT: 1 paper + 1 imported; STP: 2 + 1
    campaign.tallies.update(count=0)  # lose them …
    assert (
        campaign_services.tallies_recompute(actor=users.coordinator, campaign=campaign) == 11
    )  # 3 + 3 + 1 typed in, 4 imported
    assert (
        sorted(campaign.tallies.filter(count__gt=0).values_list("unit__code", "element", "score", "count"))
        == live
    )
    _, after = campaign_results(campaign)
    assert [r.result for r in after] == [r.result for r in before]
    with pytest.raises(PermissionDenied):
        campaign_services.tallies_recompute(actor=users.officer, campaign=campaign)


def test_the_demo_campaigns(users, tree, sipas):
    """The demo's two finished campaigns, on a small province: results, trend and the figures."""
    from cchc.surveys.demo import load_demo
    from cchc.surveys.selectors import unit_trend

    stp, sct = tree.agency("STP"), tree.agency("SCT")
    proc = Procedure.objects.create(code="1.009", name="Thủ tục thử", agency=stp, level=Level.PROVINCE)
    for i in range(60):
        unit = stp if i % 2 else sct
        Dossier.objects.create(
            code=f"HS-D{i:04d}", procedure=proc, handling_unit=unit, receiving_unit=unit, channel="truc_tiep",
            applicant_name="(thử)", state="returned", finished_at=dt.datetime(2026, 3, 2, 9, tzinfo=TZ_LOCAL),
        )  # fmt: skip
    report = load_demo(tree.province, users.coordinator, today=dt.date(2026, 12, 7))
    assert report["campaigns"] == 2 and report["responses"] > 40
    current, last = Campaign.objects.order_by("-period_end")
    assert {current.status, last.status} == {Campaign.Status.CLOSED}
    assert current.sample.count() == 60 and current.sample.filter(used_at__isnull=False).count() > 10
    _, rows = campaign_results(current)
    assert {r.unit.code for r in rows} == {"P75.STP", "P75.SCT"}
    assert all(r.result.total.rate is not None for r in rows)
    trend = unit_trend(current, stp)
    assert [c.pk for c, _ in trend] == [last.pk, current.pk] and all(r.total.n for _, r in trend)
    assert readings("khao_sat:hai_long", tree.province, ["2026"])["2026"].value is not None


def test_the_migration_fills_the_answers_campaign_unit_and_element(users, tree):
    """Migration 0004 fills the columns the recount groups by for the answers stored before it
    (run here on answers whose columns were emptied, through the migration's own function)."""
    import importlib

    from django.apps import apps as current_apps

    from cchc.surveys import tallies
    from cchc.surveys.models import Answer, Campaign, Questionnaire
    from cchc.surveys.services import campaigns as campaign_services
    from cchc.surveys.services.responses import response_enter_paper

    migration = importlib.import_module("cchc.surveys.migrations.0004_answer_campaign_unit_element")
    stp = tree.agency("STP")
    campaign = campaign_services.campaign_create(
        actor=users.coordinator, owner=tree.province, name="Đợt cũ",
        questionnaire=Questionnaire.objects.get(code="SIPAS-HCC"), period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31), mode=Campaign.Mode.SAMPLED, sample_sizes={stp: 5},
    )  # fmt: skip
    response_enter_paper(
        actor=users.coordinator, campaign=campaign, unit=stp, answers={"1.1": "4", "3.1": "2", "YK": "Tốt"}
    )
    expected = sorted(Answer.objects.values_list("campaign_id", "unit_id", "element", "question__code"))
    Answer.objects.update(
        element=""
    )  # as stored before the migration (the ids: only the element can be emptied)
    migration.fill(current_apps, None)
    assert (
        sorted(Answer.objects.values_list("campaign_id", "unit_id", "element", "question__code")) == expected
    )
    assert {(q, e) for _, _, e, q in expected} >= {("1.1", "1"), ("3.1", "3")}
    assert {(c, u) for c, u, _, _ in expected} == {(campaign.pk, stp.pk)}
    assert tallies.recount(campaign) == 2
