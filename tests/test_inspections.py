"""CCHC inspections, the services: the yearly plan and its checklist, scheduling (inside the
inspecting unit's subtree, once per plan), conducting (results, evidence, findings with deadline
phrases), the conclusion, and remediation to closure — who may do each step, every refusal with
its code and nothing saved, every write audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.core.errors import PermissionDenied
from cchc.core.models import AuditEntry
from cchc.inspections import services
from cchc.inspections.models import (
    ChecklistItem,
    Evidence,
    Finding,
    Inspection,
    InspectionPlan,
    Kind,
    RemediationReport,
    TeamMember,
    TeamRole,
    Verdict,
)
from cchc.inspections.permissions import can_read, sees_work_in_progress

from .conftest import raises_code
from .inspections_support import YEAR, conduct, make_inspection, make_plan, pdf, team_user


@pytest.fixture
def plan(tree, users):
    return make_plan(tree, users)


def test_plan_with_the_standard_checklist_once_per_unit_and_year(tree, users, plan):
    assert plan.checklist.count() == len(services.STANDARD_CHECKLIST) == 9
    assert {i.area for i in plan.checklist.all()} >= {"the_che", "thu_tuc_hanh_chinh", "chinh_quyen_so"}
    assert AuditEntry.objects.filter(action="inspection.plan_create", object_id=str(plan.pk)).count() == 1
    with raises_code("inspection_plan_exists"):
        make_plan(tree, users)
    with raises_code("inspection_plan_invalid"):
        services.plan_create(actor=users.coordinator, unit=tree.province, year="20x6", title="Kế hoạch")
    with raises_code("inspection_plan_invalid"):
        services.plan_create(actor=users.coordinator, unit=tree.province, year=YEAR + 1, title="  ")
    for who in (users.officer, users.leader, users.foreign_coordinator, users.commune_coordinator):
        with pytest.raises(PermissionDenied):
            services.plan_create(actor=who, unit=tree.province, year=YEAR + 1, title="Kế hoạch")
    assert InspectionPlan.objects.count() == 1


def test_the_checklist_is_copied_from_year_to_year(tree, users, plan):
    services.checklist_item_add(
        actor=users.coordinator, plan=plan, area="cong_vu", content="Thực hiện  quy tắc ứng xử của CBCCVC."
    )
    with raises_code("inspection_checklist_item_invalid"):
        services.checklist_item_add(actor=users.coordinator, plan=plan, area="khac", content="x")
    with raises_code("inspection_text_required"):
        services.checklist_item_add(actor=users.coordinator, plan=plan, area="cong_vu", content=" ")
    next_year = services.plan_create(
        actor=users.coordinator,
        unit=tree.province,
        year=YEAR + 1,
        title="Kế hoạch năm sau",
        standard_checklist=False,
    )
    assert next_year.checklist.count() == 0
    assert services.checklist_copy(actor=users.coordinator, plan=next_year, source=plan) == 10
    copied = list(next_year.checklist.order_by("position"))
    assert [c.position for c in copied] == list(range(1, 11))
    assert copied[-1].content == "Thực hiện quy tắc ứng xử của CBCCVC."  # NFC, spaces folded
    with raises_code("inspection_checklist_copy_invalid"):
        services.checklist_copy(actor=users.coordinator, plan=next_year, source=next_year)
    foreign = services.plan_create(
        actor=users.foreign_coordinator, unit=tree.other_province, year=YEAR, title="Kế hoạch Tây Ninh"
    )
    with raises_code("inspection_checklist_copy_invalid"):  # another province's plan is not readable
        services.checklist_copy(actor=users.coordinator, plan=next_year, source=foreign)
    assert next_year.checklist.count() == 10


def test_inspections_stay_inside_the_subtree_and_once_per_plan(tree, users, plan):
    stp = tree.agency("STP")
    first = services.inspection_add(
        actor=users.coordinator, plan=plan, unit=stp, start_date=dt.date(YEAR, 4, 2)
    )
    assert first.end_date == first.start_date and first.kind == Kind.PLANNED
    with raises_code("inspection_duplicate"):
        services.inspection_add(actor=users.coordinator, plan=plan, unit=stp, start_date=dt.date(YEAR, 9, 2))
    for outside in (tree.other_commune, tree.province, tree.other_province):
        with raises_code("inspection_unit_outside"):
            services.inspection_add(
                actor=users.coordinator, plan=plan, unit=outside, start_date=dt.date(YEAR, 4, 2)
            )
    with raises_code("inspection_invalid"):
        services.inspection_add(
            actor=users.coordinator, plan=plan, unit=tree.communes[0], start_date=dt.date(YEAR + 1, 1, 5)
        )
    with raises_code("inspection_invalid"):
        services.inspection_add(
            actor=users.coordinator,
            plan=plan,
            unit=tree.communes[0],
            start_date=dt.date(YEAR, 4, 5),
            end_date=dt.date(YEAR, 4, 4),
        )
    # a one-stop spot check of the same unit is another inspection, any number of times
    spot = services.inspection_add(
        actor=users.coordinator, plan=plan, unit=stp, start_date=dt.date(YEAR, 6, 3), kind=Kind.ONE_STOP
    )
    assert spot.kind == Kind.ONE_STOP
    assert plan.inspections.count() == 2
    with pytest.raises(PermissionDenied):
        services.inspection_add(actor=users.officer, plan=plan, unit=stp, start_date=dt.date(YEAR, 7, 1))


def test_the_team_has_one_leader_and_works_in_the_subtree(tree, users, plan):
    inspection = services.inspection_add(
        actor=users.coordinator, plan=plan, unit=tree.agency("STP"), start_date=dt.date(YEAR, 4, 2)
    )
    secretary = team_user(tree)
    with raises_code("inspection_team_invalid"):
        services.team_set(
            actor=users.coordinator,
            inspection=inspection,
            members=[(users.coordinator, TeamRole.LEAD), (secretary, TeamRole.LEAD)],
        )
    with raises_code("inspection_team_invalid"):
        services.team_set(
            actor=users.coordinator,
            inspection=inspection,
            members=[(users.coordinator, TeamRole.LEAD), (users.foreign_coordinator, TeamRole.MEMBER)],
        )
    with raises_code("inspection_team_invalid"):
        services.team_set(
            actor=users.coordinator, inspection=inspection, members=[(secretary, TeamRole.SECRETARY)]
        )
    assert TeamMember.objects.count() == 0
    with raises_code("inspection_team_missing"):
        services.inspection_start(actor=users.coordinator, inspection=inspection)
    services.team_set(
        actor=users.coordinator,
        inspection=inspection,
        members=[(users.coordinator, TeamRole.LEAD), (secretary, TeamRole.SECRETARY)],
    )
    assert {(m.user_id, m.role) for m in inspection.team.all()} == {
        (users.coordinator.pk, "truong_doan"),
        (secretary.pk, "thu_ky"),
    }


def test_deadline_phrases_are_read_as_plans_read_them(tree, users, plan):
    read = services.read_deadline
    assert read("trong tháng 9/2025", year=YEAR) == ("trong tháng 9/2025", dt.date(2025, 9, 30))
    assert read("Trước ngày 30/6/2025", year=YEAR)[1] == dt.date(2025, 6, 30)
    assert read("Quý III/2025", year=YEAR)[1] == dt.date(2025, 9, 30)
    assert read("Quy III/2025", year=YEAR)[1] == dt.date(2025, 9, 30)  # without diacritics
    assert read("15/01/2026", year=YEAR)[1] == dt.date(2026, 1, 15)  # into the next year
    for bad in ("Thường xuyên", "khi có hướng dẫn", "sớm nhất có thể", ""):
        with raises_code("finding_deadline_not_understood"):
            read(bad, year=YEAR)
    with raises_code("finding_deadline_too_early"):
        read("Quý I/2025", year=YEAR, not_before=dt.date(2025, 5, 1))


def test_an_inspection_from_plan_to_closed_remediation(tree, users, plan):
    stp = tree.agency("STP")
    secretary = team_user(tree)
    inspection = make_inspection(tree, users, plan, stp, secretary=secretary)
    with raises_code("inspection_wrong_state"):
        services.results_save(actor=secretary, inspection=inspection, results={})
    with pytest.raises(PermissionDenied):  # the inspected unit does not inspect itself
        services.inspection_start(actor=users.officer, inspection=inspection)
    services.inspection_start(actor=secretary, inspection=inspection)
    results = list(inspection.results.order_by("position"))
    assert len(results) == 9 and results[0].content == plan.checklist.get(position=1).content
    # a later change of the plan's checklist does not rewrite a started inspection
    services.checklist_item_add(actor=users.coordinator, plan=plan, area="the_che", content="Mới thêm.")
    assert inspection.results.count() == 9

    with raises_code("inspection_result_invalid"):
        services.results_save(actor=secretary, inspection=inspection, results={results[0].pk: ("tot", "")})
    with pytest.raises(PermissionDenied):
        services.results_save(
            actor=users.officer, inspection=inspection, results={results[0].pk: ("dat", "")}
        )
    changed = services.results_save(
        actor=secretary,
        inspection=inspection,
        results={
            results[0].pk: (Verdict.FAIL, "Báo cáo CCHC quý II nộp chậm 10 ngày."),
            results[1].pk: (Verdict.PASS, ""),
            results[2].pk: (Verdict.NOT_APPLICABLE, "Năm 2025 không ban hành VBQPPL."),
        },
    )
    assert changed == 3
    ev = services.result_evidence_add(actor=secretary, result=results[0], files=[pdf()])
    assert ev[0].size > 0 and len(ev[0].sha256) == 64
    with raises_code("upload_content_mismatch"):
        services.result_evidence_add(
            actor=secretary, result=results[0], files=[pdf(), SimpleUploadedFile("gia.pdf", b"MZ not a pdf")]
        )
    assert Evidence.objects.count() == 1  # the refused batch saved nothing

    with raises_code("inspection_results_incomplete"):
        services.inspection_conclude(actor=users.coordinator, inspection=inspection, summary="Tốt.")
    services.results_save(
        actor=secretary,
        inspection=inspection,
        results={r.pk: (Verdict.PASS, "") for r in results[3:]},
    )
    with raises_code("inspection_fail_without_finding"):
        services.inspection_conclude(actor=users.coordinator, inspection=inspection, summary="Tốt.")
    with raises_code("finding_deadline_not_understood"):
        services.finding_add(
            actor=secretary, inspection=inspection, result=results[0], content="Báo cáo chậm.", deadline="sớm"
        )
    with raises_code("inspection_unit_outside"):
        services.finding_add(
            actor=secretary,
            inspection=inspection,
            content="Báo cáo chậm.",
            deadline="Quý III/2025",
            owner=tree.agency("SCT"),
        )
    assert Finding.objects.count() == 0
    finding = services.finding_add(
        actor=secretary,
        inspection=inspection,
        result=results[0],
        content="Báo cáo CCHC định kỳ còn chậm.",
        requirement="Bảo đảm thời hạn báo cáo.",
        deadline="trong tháng 9/2025",
    )
    assert (finding.due_date, finding.state, finding.owner) == (
        dt.date(2025, 9, 30),
        Finding.State.DRAFT,
        stp,
    )
    with pytest.raises(PermissionDenied):  # only the leader or a coordinator concludes
        services.inspection_conclude(actor=secretary, inspection=inspection, summary="Tốt.")
    assert not sees_work_in_progress(users.officer, inspection) and can_read(users.officer, inspection)
    services.inspection_conclude(
        actor=users.coordinator,
        inspection=inspection,
        summary="Sở Tư pháp thực hiện tốt; còn chậm báo cáo.",
        number="25/TB-SNV",
        concluded_on=dt.date(2025, 5, 20),
    )
    finding.refresh_from_db()
    inspection.refresh_from_db()
    assert finding.state == Finding.State.OPEN
    assert sees_work_in_progress(users.officer, inspection)
    with raises_code("inspection_wrong_state"):
        services.finding_add(actor=secretary, inspection=inspection, content="x", deadline="Quý III/2025")

    # remediation: the team cannot close what the unit has not reported
    with raises_code("finding_not_reported"):
        services.remediation_accept(actor=secretary, finding=finding)
    for outsider in (users.officer_other, users.coordinator, users.commune_officer):
        with pytest.raises(PermissionDenied):
            services.remediation_report(actor=outsider, finding=finding, text_="Đã khắc phục.")
    services.remediation_report(
        actor=users.officer, finding=finding, text_="Đã ban hành quy chế.", reported_on=dt.date(2025, 9, 10)
    )
    with raises_code("finding_wrong_state"):  # one report waits at a time
        services.remediation_report(actor=users.officer, finding=finding, text_="Lần nữa.")
    with raises_code("inspection_text_required"):
        services.remediation_return(actor=secretary, finding=finding, comment="")
    services.remediation_return(actor=secretary, finding=finding, comment="Chưa có văn bản kèm theo.")
    finding.refresh_from_db()
    assert finding.state == Finding.State.RETURNED
    services.remediation_report(
        actor=users.officer,
        finding=finding,
        text_="Bổ sung Quyết định ban hành quy chế.",
        files=[pdf("quyet-dinh.pdf")],
        reported_on=dt.date(2025, 9, 25),
    )
    services.remediation_accept(actor=secretary, finding=finding, comment="Đạt yêu cầu.")
    finding.refresh_from_db()
    assert finding.state == Finding.State.CLOSED
    assert finding.remediated_on == dt.date(2025, 9, 25) and finding.on_time is True
    assert [r.verdict for r in finding.reports.order_by("id")] == ["returned", "accepted"]
    assert RemediationReport.objects.get(verdict="accepted").evidence.count() == 1
    actions = set(
        AuditEntry.objects.filter(action__startswith="inspection.").values_list("action", flat=True)
    )
    assert actions >= {
        "inspection.plan_create",
        "inspection.add",
        "inspection.team_set",
        "inspection.start",
        "inspection.results_save",
        "inspection.evidence_add",
        "inspection.finding_add",
        "inspection.conclude",
        "inspection.remediation_report",
        "inspection.remediation_return",
        "inspection.remediation_accept",
    }


def test_a_late_remedy_is_closed_late_and_a_removed_finding_leaves_an_audit_row(tree, users, plan):
    inspection = make_inspection(tree, users, plan, tree.communes[0])
    services.inspection_start(actor=users.coordinator, inspection=inspection)
    extra = services.finding_add(
        actor=users.coordinator, inspection=inspection, content="Trùng.", deadline="Quý III/2025"
    )
    services.finding_remove(actor=users.coordinator, finding=extra)
    assert AuditEntry.objects.filter(action="inspection.finding_remove").count() == 1
    inspection.refresh_from_db()
    services.results_save(
        actor=users.coordinator,
        inspection=inspection,
        results={r.pk: (Verdict.PASS, "") for r in inspection.results.all()},
    )
    finding = services.finding_add(
        actor=users.coordinator,
        inspection=inspection,
        content="Chưa niêm yết TTHC tại bộ phận một cửa.",
        deadline="trước ngày 30/6/2025",
    )
    services.inspection_conclude(
        actor=users.coordinator,
        inspection=inspection,
        summary="Còn tồn tại.",
        concluded_on=dt.date(2025, 5, 13),
    )
    services.remediation_report(
        actor=users.commune_officer, finding=finding, text_="Đã niêm yết.", reported_on=dt.date(2025, 7, 3)
    )
    closed = services.remediation_accept(actor=users.coordinator, finding=finding)
    assert closed.on_time is False and closed.remediated_on == dt.date(2025, 7, 3)


def test_conduct_helper_and_states(tree, users, plan):
    inspection = conduct(users, make_inspection(tree, users, plan, tree.communes[1]), fail_positions=(2, 5))
    assert inspection.state == Inspection.State.CONCLUDED
    assert inspection.findings.filter(state=Finding.State.OPEN).count() == 2
    with raises_code("inspection_wrong_state"):
        services.inspection_reschedule(
            actor=users.coordinator, inspection=inspection, start_date=dt.date(YEAR, 6, 1)
        )
    assert ChecklistItem.objects.filter(plan=plan).count() == 9
