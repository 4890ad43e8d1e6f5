"""The CCHC index in the database: frameworks, a round from opening to publication, access, and
the results pages' numbers equal to `cchc par compute` on the round's own files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from cchc.core.errors import PermissionDenied
from cchc.core.models import AuditEntry
from cchc.evaluation import files, formulas, selectors, services
from cchc.evaluation.models import Criterion, Framework, Participant, Round, Score

from .conftest import raises_code

FRAMEWORK = """ma,ten,diem_toi_da,phuong_phap,ap_dung,huong_dan,tai_lieu_kiem_chung,chi_so_nguon,dat_toi_da
1,Công tác chỉ đạo điều hành,10,,,,,,
1.1,Ban hành kế hoạch CCHC đúng hạn,4,tu_cham,,Đúng hạn: 4 điểm,Quyết định ban hành kế hoạch,,
1.2,Báo cáo định kỳ,3,tu_cham,,,,,
1.3,Tỷ lệ hồ sơ đúng hạn,3,du_lieu,,,,dung_han,100
1.4,Sáng kiến CCHC,1,diem_thuong,,,Văn bản công nhận sáng kiến,,
2,Cải cách TTHC,,,,,,,
2.1,Công khai TTHC,5,tu_cham,so,,,,
2.2,Mức độ hài lòng,3,khao_sat,,,,,
2.3,Một cửa cấp xã,5,tu_cham,xa,,,,
2.4,Để hồ sơ trễ hạn,2,diem_tru,,,,,
"""


@pytest.fixture
def framework(tree, users):
    frame = services.framework_import(
        actor=users.coordinator,
        unit=tree.province,
        year=2026,
        name="Bộ chỉ số CCHC 2026",
        data=FRAMEWORK.encode(),
    )
    return services.framework_issue(actor=users.coordinator, framework=frame)


def test_import_keeps_every_column_and_exports_the_same_file(framework):
    criteria = {c.code: c for c in framework.criteria.all()}
    assert len(criteria) == 10 and sum(c.is_leaf for c in criteria.values()) == 8
    assert criteria["2"].max_points == D(13) and criteria["1.3"].source == "dung_han"
    assert criteria["1.1"].parent == criteria["1"] and criteria["1.1"].guidance == "Đúng hạn: 4 điểm"
    rows = selectors.framework_rows(framework)
    again = files.read_framework_rows(files.write_csv(rows, list(rows[0])).encode())
    assert [r for _, r in again] == rows
    assert AuditEntry.objects.filter(action="par.framework_import").count() == 1


def test_a_bad_framework_leaves_no_trace_and_says_where(tree, users):
    bad = FRAMEWORK.replace("1,Công tác chỉ đạo điều hành,10", "1,Công tác chỉ đạo điều hành,12").replace(
        "dung_han,100", "khong_co_chi_so,100"
    )
    with raises_code("framework_file_invalid") as caught:
        services.framework_import(
            actor=users.coordinator, unit=tree.province, year=2026, name="X", data=bad.encode()
        )
    messages = caught.value.message_dict["file"]
    assert any(m.startswith("Dòng 2:") for m in messages)
    assert not Framework.objects.exists() and not Criterion.objects.exists()
    with raises_code("framework_file_invalid") as caught:
        services.framework_import(
            actor=users.coordinator,
            unit=tree.province,
            year=2026,
            name="X",
            data=FRAMEWORK.replace("dung_han,100", "khong_co,100").encode(),
        )
    assert any(m.startswith("Dòng 5:") for m in caught.value.message_dict["file"])
    assert not Framework.objects.exists()


def test_only_the_units_coordinators_manage_frameworks(tree, users, framework):
    for actor in (users.officer, users.leader, users.foreign_coordinator):
        with pytest.raises(PermissionDenied):
            services.framework_import(
                actor=actor, unit=tree.province, year=2027, name="X", data=FRAMEWORK.encode()
            )
    with raises_code("framework_issued"):  # issued: no change
        services.framework_replace(actor=users.coordinator, framework=framework, data=FRAMEWORK.encode())


def test_copy_to_a_new_year_then_change_from_a_file(framework, users):
    copy = services.framework_copy(actor=users.coordinator, framework=framework, year=2027)
    assert copy.status == Framework.Status.DRAFT and copy.copied_from == framework
    assert copy.criteria.count() == framework.criteria.count()
    changed = FRAMEWORK.replace("1.2,Báo cáo định kỳ,3", "1.2,Báo cáo định kỳ đúng hạn,3")
    services.framework_replace(actor=users.coordinator, framework=copy, data=changed.encode())
    assert copy.criteria.get(code="1.2").name == "Báo cáo định kỳ đúng hạn"
    assert framework.criteria.get(code="1.2").name == "Báo cáo định kỳ"
    with raises_code("framework_exists"):
        services.framework_copy(actor=users.coordinator, framework=framework, year=2027)


def open_round(tree, users, framework) -> Round:
    return services.round_open(
        actor=users.coordinator,
        framework=framework,
        title="Đánh giá Chỉ số CCHC năm 2026",
        units=[tree.agency("STP"), tree.agency("SCT"), tree.communes[0]],
        self_due=dt.date(2026, 12, 15),
        appraisal_due=dt.date(2027, 1, 15),
    )


def leaf(framework, code) -> Criterion:
    return framework.criteria.get(code=code)


def test_a_full_round_and_its_results_equal_the_command(tree, users, framework, tmp_path):
    round_ = open_round(tree, users, framework)
    stp = round_.participants.get(unit=tree.agency("STP"))
    assert round_.participants.filter(unit=tree.agency("SCT")).exists()
    xa = round_.participants.get(unit=tree.communes[0])
    assert stp.scores.count() == 7 and xa.scores.count() == 7  # 2.1 for agencies, 2.3 for communes

    # the survey's share arrives from the survey file
    survey = [(2, tree.agency("STP").code, "2.2", "2.5"), (3, tree.communes[0].code, "2.2", "3")]
    assert services.survey_scores_import(actor=users.coordinator, round_=round_, rows=survey) == 2

    # the unit self-scores; a draft is only its own
    with pytest.raises(PermissionDenied):
        services.score_save(
            actor=users.coordinator, participant=stp, criterion=leaf(framework, "1.1"), self_points="4"
        )
    with pytest.raises(PermissionDenied):
        services.score_save(
            actor=users.officer_other, participant=stp, criterion=leaf(framework, "1.1"), self_points="4"
        )
    with raises_code("points_out_of_range") as caught:
        services.score_save(
            actor=users.officer, participant=stp, criterion=leaf(framework, "1.1"), self_points="4.5"
        )
    assert "từ 0 đến 4" in str(caught.value)  # and the message says the range
    with raises_code("criterion_not_self_scored"):  # computed: not self-scored
        services.score_save(
            actor=users.officer, participant=stp, criterion=leaf(framework, "1.3"), self_points="3"
        )
    for code, points in (("1.1", "4"), ("1.2", "2,5"), ("1.4", "1"), ("2.1", "5")):
        services.score_save(
            actor=users.officer,
            participant=stp,
            criterion=leaf(framework, code),
            self_points=points,
            explanation="Có",
        )
    problems = services.missing_for_submission(stp)
    assert problems == [
        "1.1: thiếu tài liệu kiểm chứng (Quyết định ban hành kế hoạch).",
        "1.4: thiếu tài liệu kiểm chứng (Văn bản công nhận sáng kiến).",
    ]
    with raises_code("assessment_incomplete"):
        services.participant_submit(actor=users.officer, participant=stp)
    services.evidence_add(
        actor=users.officer,
        score=stp.scores.get(criterion__code="1.1"),
        upload=SimpleUploadedFile(
            "qd.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf"
        ),
    )
    services.evidence_add(
        actor=users.officer,
        score=stp.scores.get(criterion__code="1.4"),
        url="https://stp.example.vn/sang-kien",
    )
    services.participant_submit(actor=users.officer, participant=stp)
    with raises_code("assessment_submitted"):  # submitted: frozen
        services.score_save(
            actor=users.officer, participant=stp, criterion=leaf(framework, "1.2"), self_points="3"
        )

    # the council appraises beside the unit's score, asks once, the unit answers once
    with raises_code("appraisal_reason_required"):  # a change needs a reason
        services.score_appraise(
            actor=users.coordinator, participant=stp, criterion=leaf(framework, "1.2"), points="2"
        )
    services.score_appraise(
        actor=users.coordinator,
        participant=stp,
        criterion=leaf(framework, "1.2"),
        points="2",
        reason="Trễ 1 báo cáo",
    )
    services.clarification_request(
        actor=users.coordinator,
        participant=stp,
        questions={leaf(framework, "2.1"): "Bổ sung đường dẫn công khai."},
    )
    with raises_code("clarification_once"):
        services.clarification_request(
            actor=users.coordinator, participant=stp, questions={leaf(framework, "1.1"): "Lần hai?"}
        )
    with raises_code("clarification_pending"):  # still waiting for the answer
        services.participant_finalise(actor=users.coordinator, participant=stp)
    services.clarification_answer(
        actor=users.officer, participant=stp, answers={leaf(framework, "2.1"): "https://stp.example.vn/tthc"}
    )
    services.participant_finalise(actor=users.coordinator, participant=stp)

    # the commune submits without the optional points; SCT never submits
    services.score_save(
        actor=users.commune_officer, participant=xa, criterion=leaf(framework, "1.1"), self_points="0"
    )
    for code in ("1.2", "2.3"):
        services.score_save(
            actor=users.commune_officer,
            participant=xa,
            criterion=leaf(framework, code),
            self_points="3",
            explanation="Đạt",
        )
    services.participant_submit(actor=users.commune_officer, participant=xa)
    services.participant_finalise(actor=users.coordinator, participant=xa)

    round_ = services.round_finalise(actor=users.coordinator, round_=round_)
    assert round_.participants.filter(state=Participant.State.FINALISED).count() == 3

    results = selectors.round_results(round_)
    got = {r.unit: r for r in results.results}
    stp_code, sct_code, xa_code = tree.agency("STP").code, tree.agency("SCT").code, tree.communes[0].code
    # STP: 4 + 2 (appraised) + 0 (no dossier figure) + 1 bonus + 5 + 2.5 survey = 14.5 of 4+3+3+5+3 = 18
    assert (got[stp_code].points, got[stp_code].maximum, got[stp_code].index, got[stp_code].rank) == (
        D("14.5"),
        D(18),
        D("80.56"),
        1,
    )
    assert (got[sct_code].points, got[sct_code].index, got[sct_code].rank) == (D(0), D("0.00"), 2)
    # commune: 0 + 3 + 3 + 3 survey = 9 of 4+3+3+5+3 = 18
    assert (got[xa_code].points, got[xa_code].index, got[xa_code].rank) == (D(9), D("50.00"), 1)

    # the command on the round's own files gives the same numbers
    (tmp_path / "framework.csv").write_text(
        files.write_csv(
            selectors.framework_rows(framework), files.FRAMEWORK_COLUMNS + files.FRAMEWORK_EXTRA_COLUMNS
        ),
        encoding="utf-8",
    )
    (tmp_path / "scores.csv").write_text(
        files.write_csv(selectors.scores_rows(round_), formulas.SCORE_COLUMNS), encoding="utf-8"
    )
    out = tmp_path / "results.csv"
    call_command(
        "par_compute",
        framework=str(tmp_path / "framework.csv"),
        scores=str(tmp_path / "scores.csv"),
        out=str(out),
    )
    from_command = out.read_text(encoding="utf-8")
    from_pages = files.results_csv(formulas.result_rows(results.results))
    assert sorted(from_command.splitlines()) == sorted(from_pages.splitlines())

    with pytest.raises(PermissionDenied):
        services.round_publish(actor=users.officer, round_=round_)
    services.round_publish(actor=users.coordinator, round_=round_)
    actions = set(AuditEntry.objects.filter(action__startswith="par.").values_list("action", flat=True))
    assert {
        "par.round_open",
        "par.score_save",
        "par.submit",
        "par.appraise",
        "par.clarify_request",
        "par.clarify_answer",
        "par.finalise",
        "par.survey_import",
        "par.round_finalise",
        "par.publish",
    } <= actions


def test_drafts_are_private_and_the_council_sees_what_was_submitted(tree, users, framework):
    from cchc.evaluation.permissions import can_read_participant

    round_ = open_round(tree, users, framework)
    stp = round_.participants.get(unit=tree.agency("STP"))
    assert can_read_participant(users.officer, stp)
    assert not can_read_participant(users.coordinator, stp)
    assert not can_read_participant(users.officer_other, stp)
    assert not can_read_participant(users.leader, stp)
    Participant.objects.filter(pk=stp.pk).update(state=Participant.State.SUBMITTED)
    stp.refresh_from_db()
    assert can_read_participant(users.coordinator, stp) and can_read_participant(users.leader, stp)
    assert not can_read_participant(users.officer_other, stp)
    assert not can_read_participant(users.foreign_coordinator, stp)


def test_survey_import_is_all_or_nothing(tree, users, framework):
    round_ = open_round(tree, users, framework)
    stp_code = tree.agency("STP").code
    with raises_code("survey_file_invalid") as caught:
        services.survey_scores_import(
            actor=users.coordinator,
            round_=round_,
            rows=[
                (2, stp_code, "2.2", "2"),
                (3, stp_code, "2.2", "9"),
                (4, "KHONG", "2.2", "1"),
                (5, stp_code, "1.1", "1"),
            ],
        )
    assert [m.split(":")[0] for m in caught.value.message_dict["file"]] == ["dòng 3", "dòng 4", "dòng 5"]
    assert not Score.objects.filter(criterion__code="2.2", appraised_points__isnull=False).exists()


def test_round_units_must_belong_to_the_framework_unit(tree, users, framework):
    with raises_code("round_invalid"):
        services.round_open(
            actor=users.coordinator,
            framework=framework,
            title="X",
            units=[tree.other_commune],
            self_due=dt.date(2026, 12, 15),
            appraisal_due=dt.date(2027, 1, 15),
        )
    assert not Round.objects.exists()


def test_reminders_go_to_units_still_drafting_near_the_deadline(
    tree, users, framework, mailoutbox, django_capture_on_commit_callbacks
):
    from cchc.core.actors import SYSTEM
    from cchc.evaluation.reminders import reminders_due, reminders_send

    users.officer.email = "tuphap@dongnai.gov.vn"
    users.officer.save()
    today = dt.date(2026, 12, 7)
    round_ = services.round_open(
        actor=users.coordinator,
        framework=framework,
        title="Đánh giá 2026",
        units=[tree.agency("STP"), tree.agency("SCT"), tree.communes[0]],
        self_due=dt.date(2026, 12, 20),
        appraisal_due=dt.date(2027, 1, 31),
    )
    assert reminders_due(round_, today) == []  # 13 days before: not yet
    later = dt.date(2026, 12, 18)
    with django_capture_on_commit_callbacks(execute=True):
        sent, without = reminders_send(actor=SYSTEM, round_=round_, today=later)
    assert (sent, without) == (1, 2)  # Sở Tư pháp has an address; the others do not
    (mail,) = mailoutbox
    assert mail.to == ["tuphap@dongnai.gov.vn"] and "Sắp đến hạn" in mail.subject
    assert "1.1: chưa tự chấm điểm." in mail.body
    with pytest.raises(PermissionDenied):
        reminders_send(actor=users.officer, round_=round_, today=later)
    assert AuditEntry.objects.filter(action="par.remind").count() == 1
