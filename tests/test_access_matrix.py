"""Role × page × own/other unit: every page answers exactly who may see or change it.

Each row: a page (GET, or POST for actions), and the users allowed; everyone else must get
403 (signed in) or a redirect to the login page (anonymous). Modelled on Read the Docs'
test_privacy_urls.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cchc.core.periods import reporting_window
from cchc.inspections import services as inspection_services
from cchc.inspections.models import Evidence as InspectionEvidence
from cchc.reports.outline import OUTLINE
from cchc.reports.services import report_open, report_save, report_submit
from cchc.surveys.models import Questionnaire
from cchc.surveys.services.campaigns import campaign_create
from cchc.tracking.models import Assignment
from cchc.tracking.services import progress_post, progress_review

from .access_helpers import (
    EVERYONE,
    PROVINCE_MANAGERS,
    PROVINCE_OVERSEERS,
    ROLES,
    assert_read_row,
    assert_row_access,
    assert_sent_to_login,
    reads,
    row_ids,
    writes,
)
from .conftest import PASSWORD
from .inspections_support import conduct, make_inspection, make_plan

# (name, method, url builder, allowed roles, success status)
MATRIX = [
    ("plan list", "get", lambda o: reverse("plans:list"), EVERYONE, 200),
    ("my tasks", "get", lambda o: reverse("tracking:my_tasks"), EVERYONE, 200),
    ("my tasks xlsx", "get", lambda o: reverse("tracking:my_tasks") + "?xuat=xlsx", EVERYONE, 200),
    ("units", "get", lambda o: reverse("orgs:tree"), EVERYONE, 200),
    (
        "plan create",
        "get",
        lambda o: reverse("plans:create"),
        PROVINCE_MANAGERS | {"commune_coordinator", "foreign_coordinator"},
        200,
    ),
    # the provincial plan: overseers, and units that have work in it (STP, SCT, the commune)
    (
        "plan detail",
        "get",
        lambda o: reverse("plans:detail", args=[o.plan.pk]),
        PROVINCE_OVERSEERS | {"officer", "officer_other", "commune_officer", "commune_coordinator"},
        200,
    ),
    ("plan edit", "get", lambda o: reverse("plans:edit", args=[o.plan.pk]), PROVINCE_MANAGERS, 200),
    ("task add", "get", lambda o: reverse("plans:task_add", args=[o.plan.pk]), PROVINCE_MANAGERS, 200),
    (
        "task edit",
        "get",
        lambda o: reverse("plans:task_edit", args=[o.plan.pk, o.task.pk]),
        PROVINCE_MANAGERS,
        200,
    ),
    ("target add", "get", lambda o: reverse("plans:target_add", args=[o.plan.pk]), PROVINCE_MANAGERS, 200),
    ("plan close", "post", lambda o: reverse("plans:close", args=[o.plan.pk]), PROVINCE_MANAGERS, 302),
    (
        "dashboard",
        "get",
        lambda o: reverse("tracking:dashboard", args=[o.plan.pk]),
        PROVINCE_OVERSEERS | {"commune_coordinator"},
        200,
    ),
    (
        "dashboard xlsx",
        "get",
        lambda o: reverse("tracking:dashboard", args=[o.plan.pk]) + "?xuat=xlsx",
        PROVINCE_OVERSEERS | {"commune_coordinator"},
        200,
    ),
    (
        "dashboard xlsx (background job)",
        "post",
        lambda o: reverse("tracking:dashboard_export", args=[o.plan.pk]),
        PROVINCE_OVERSEERS | {"commune_coordinator"},
        302,
    ),
    # an assignment of Sở Tư pháp: its officer, and those overseeing the province
    (
        "assignment (own unit)",
        "get",
        lambda o: reverse("tracking:assignment", args=[o.stp.pk]),
        PROVINCE_OVERSEERS | {"officer"},
        200,
    ),
    (
        "post progress (own unit)",
        "post",
        lambda o: reverse("tracking:assignment", args=[o.stp.pk]),
        PROVINCE_MANAGERS | {"officer"},
        302,
    ),
    (
        "evidence download",
        "get",
        lambda o: reverse("tracking:evidence", args=[o.evidence.pk]),
        PROVINCE_OVERSEERS | {"officer"},
        200,
    ),
    # the coordinator's review of progress: the issuing unit's managers only
    (
        "review queue",
        "get",
        lambda o: reverse("tracking:review_queue", args=[o.plan.pk]),
        PROVINCE_MANAGERS,
        200,
    ),
    (
        "review policy",
        "post",
        lambda o: reverse("tracking:review_policy", args=[o.plan.pk]),
        PROVINCE_MANAGERS,
        302,
    ),
    (
        "review an update",
        "post",
        lambda o: reverse("tracking:review", args=[o.evidence.update_id]),
        PROVINCE_MANAGERS,
        302,
    ),
    # an assignment of the commune
    (
        "assignment (commune)",
        "get",
        lambda o: reverse("tracking:assignment", args=[o.commune_assignment.pk]),
        PROVINCE_OVERSEERS | {"commune_officer", "commune_coordinator"},
        200,
    ),
    (
        "audit log",
        "get",
        lambda o: reverse("audit_log"),
        PROVINCE_MANAGERS | {"commune_coordinator", "foreign_coordinator"},
        200,
    ),
    (
        "unit: own commune",
        "get",
        lambda o: reverse("orgs:detail", args=[o.commune.pk]),
        PROVINCE_OVERSEERS | {"commune_officer", "commune_coordinator"},
        200,
    ),
    (
        "unit: other commune",
        "get",
        lambda o: reverse("orgs:detail", args=[o.other_commune.pk]),
        PROVINCE_OVERSEERS,
        200,
    ),
    ("working calendar", "get", lambda o: reverse("calendar"), EVERYONE, 200),
    ("change the calendar", "post", lambda o: reverse("calendar"), {"admin"}, 200),
    (
        "commune working hours",
        "post",
        lambda o: reverse("orgs:work_schedule", args=[o.commune.pk]),
        PROVINCE_MANAGERS | {"commune_coordinator"},
        302,
    ),
    # an empty form: managers get it back with errors (400), others are refused
    (
        "add a unit to the commune",
        "post",
        lambda o: reverse("orgs:unit_add", args=[o.commune.pk]),
        PROVINCE_MANAGERS | {"commune_coordinator"},
        400,
    ),
    # periodic reports: Sở Tư pháp's sent report (o.report) and its draft (o.report_draft)
    ("reports mine", "get", lambda o: reverse("reports:mine"), EVERYONE, 200),
    ("report open (no form data)", "post", lambda o: reverse("reports:open"), EVERYONE, 302),
    (
        "report sent",
        "get",
        lambda o: reverse("reports:detail", args=[o.report.pk]),
        PROVINCE_OVERSEERS | {"officer"},
        200,
    ),
    (
        "report docx",
        "get",
        lambda o: reverse("reports:download", args=[o.report.pk, "docx"]),
        PROVINCE_OVERSEERS | {"officer"},
        200,
    ),
    (
        "report xlsx",
        "get",
        lambda o: reverse("reports:download", args=[o.report.pk, "xlsx"]),
        PROVINCE_OVERSEERS | {"officer"},
        200,
    ),
    (
        "report export (background job)",
        "post",
        lambda o: reverse("reports:export", args=[o.report.pk, "xlsx"]),
        PROVINCE_OVERSEERS | {"officer"},
        302,
    ),
    (
        "report draft",
        "get",
        lambda o: reverse("reports:detail", args=[o.report_draft.pk]),
        {"admin", "officer"},
        200,
    ),
    (
        "report save",
        "post",
        lambda o: reverse("reports:detail", args=[o.report_draft.pk]),
        {"admin", "officer"},
        302,
    ),
    (
        "report review",
        "post",
        lambda o: reverse("reports:review", args=[o.report.pk]),
        PROVINCE_MANAGERS,
        302,
    ),
    (
        "report queue",
        "get",
        lambda o: reverse("reports:queue"),
        PROVINCE_MANAGERS | {"commune_coordinator", "foreign_coordinator"},
        200,
    ),
    (
        "report schedule",
        "get",
        lambda o: reverse("reports:schedule") + f"?don_vi={o.plan.issuer_id}",
        PROVINCE_MANAGERS,
        200,
    ),
    (
        "report register",
        "get",
        lambda o: reverse("reports:register") + f"?don_vi={o.plan.issuer_id}",
        PROVINCE_OVERSEERS,
        200,
    ),
    # surveys (cchc.surveys): a campaign of the province about Sở Tư pháp and Sở Công Thương
    ("survey list", "get", lambda o: reverse("surveys:index"), EVERYONE, 200),
    (
        "survey campaign new",
        "get",
        lambda o: reverse("surveys:campaign_new"),
        PROVINCE_MANAGERS | {"foreign_coordinator"},
        200,
    ),
    (
        "survey campaign",
        "get",
        lambda o: reverse("surveys:campaign", args=[o.survey.pk]),
        PROVINCE_OVERSEERS | {"officer", "officer_other"},
        200,
    ),
    (
        "survey results csv",
        "get",
        lambda o: reverse("surveys:results_csv", args=[o.survey.pk]),
        PROVINCE_OVERSEERS | {"officer", "officer_other"},
        200,
    ),
    (
        "survey results xlsx",
        "get",
        lambda o: reverse("surveys:results_xlsx", args=[o.survey.pk]),
        PROVINCE_OVERSEERS | {"officer", "officer_other"},
        200,
    ),
    (
        "survey unit (STP)",
        "get",
        lambda o: reverse("surveys:unit", args=[o.survey.pk, o.survey_unit.pk]),
        PROVINCE_OVERSEERS | {"officer", "officer_other"},
        200,
    ),
    (
        "survey paper entry",
        "get",
        lambda o: reverse("surveys:paper", args=[o.survey.pk]),
        PROVINCE_MANAGERS | {"officer", "officer_other"},
        200,
    ),
    (
        "survey issue links",
        "post",
        lambda o: reverse("surveys:campaign_action", args=[o.survey.pk, "phat-lien-ket"]),
        PROVINCE_MANAGERS,
        200,
    ),
    (
        "survey close",
        "post",
        lambda o: reverse("surveys:campaign_action", args=[o.survey.pk, "ket-thuc"]),
        PROVINCE_MANAGERS,
        302,
    ),
]


class Objects:
    pass


@pytest.fixture
def objects(issued_plan, users, tree):
    o = Objects()
    o.plan = issued_plan
    o.task = issued_plan.tasks.get(number="2")
    o.stp = Assignment.objects.get(task=o.task, unit__code="P75.STP")
    o.commune_assignment = Assignment.objects.get(task=o.task, unit=tree.communes[0])
    update = progress_post(
        actor=users.officer,
        assignment=o.stp,
        percent=20,
        narrative="Bắt đầu",
        files=[SimpleUploadedFile("kq.pdf", b"%PDF-1.4 test")],
    )
    o.evidence = update.evidence.get()
    o.commune, o.other_commune = tree.communes[0], tree.communes[1]
    o.report, o.report_draft = _reports(users, o.stp.unit, issued_plan)
    o.survey_unit = tree.agency("STP")
    o.survey = campaign_create(
        actor=users.coordinator, owner=tree.province, name="Khảo sát quý III",
        questionnaire=Questionnaire.objects.get(code="SIPAS-HCC"), period_start=timezone.localdate(),
        period_end=timezone.localdate(), mode="chon_mau", sample_sizes={o.survey_unit: 5, tree.agency("SCT"): 5},
    )  # fmt: skip
    return o


def _reports(users, unit, plan):
    """A sent quarterly report of the unit and its yearly draft, from an accepted progress update
    on task 1 (the update above stays pending for the review rows)."""
    task1 = Assignment.objects.get(task__plan=plan, task__number="1", unit=unit)
    accepted = progress_post(actor=users.officer, assignment=task1, percent=50, narrative="Đã rà soát.")
    progress_review(actor=users.coordinator, update=accepted, accept=True)
    window = reporting_window(timezone.localdate())
    quarter = report_open(
        actor=users.officer, unit=unit, kind="quy", year=window.year, number=int(window.part[1])
    )
    report_save(actor=users.officer, report=quarter, sections={h.key: "Nội dung." for h in OUTLINE})
    sent = report_submit(
        actor=users.officer, report=quarter, doc_number="9/BC-STP", doc_date=timezone.localdate(), signer="A"
    )
    return sent, report_open(actor=users.officer, unit=unit, kind="nam", year=window.year)


def _progress_data() -> dict:
    return {
        "percent": "30",
        "reported_on": timezone.localdate().isoformat(),
        "narrative": "Tiếp tục thực hiện",
    }


@pytest.mark.parametrize("row", reads(MATRIX), ids=row_ids(reads(MATRIX)))
def test_read_access(client, users, objects, row):
    assert_read_row(client, users, row, objects)


@pytest.mark.parametrize("row", writes(MATRIX), ids=row_ids(writes(MATRIX)))
@pytest.mark.parametrize("role", ROLES)
def test_access(client, users, objects, row, role):
    assert_row_access(client, users, role, row, objects, _progress_data() if "progress" in row[0] else None)


@pytest.mark.parametrize("row", writes(MATRIX), ids=row_ids(writes(MATRIX)))
def test_anonymous_is_sent_to_login(client, objects, row):
    assert_sent_to_login(client, row, objects)


def test_refused_progress_changes_nothing(client, users, objects):
    client.login(username=users.officer_other.username, password=PASSWORD)
    before = Assignment.objects.get(pk=objects.stp.pk).updates_count
    response = client.post(reverse("tracking:assignment", args=[objects.stp.pk]), _progress_data())
    assert response.status_code == 403
    assert Assignment.objects.get(pk=objects.stp.pk).updates_count == before


# --- the public portal (cchc/portal): open to everyone, signed in or not ----------------------

PUBLIC_PORTAL = [
    ("portal home", lambda o: reverse("portal:home")),
    ("portal catalogue", lambda o: reverse("portal:procedures") + "?q=khai+sinh"),
    ("portal procedure", lambda o: reverse("portal:procedure", args=[o.procedure.pk])),
    ("portal scoreboard", lambda o: reverse("portal:scoreboard")),
    ("portal scoreboard unit", lambda o: reverse("portal:scoreboard_unit", args=[o.commune.code])),
    ("portal progress", lambda o: reverse("portal:progress")),
]


@pytest.fixture
def public_objects(objects, tree):
    from .test_dossiers_support import make_procedure

    objects.procedure = make_procedure(tree.agency("STP"))
    return objects


@pytest.mark.parametrize("row", PUBLIC_PORTAL, ids=[r[0] for r in PUBLIC_PORTAL])
@pytest.mark.parametrize("role", [None, *ROLES])
def test_public_portal_pages_are_open_to_everyone(client, users, public_objects, row, role):
    if role is not None:
        assert client.login(username=getattr(users, role).username, password=PASSWORD)
    _name, url_of = row
    response = client.get(url_of(public_objects))
    assert response.status_code == 200, f"{role or 'anonymous'} {url_of(public_objects)}"


# --- inspections (kiểm tra công tác CCHC): the province inspects Sở Tư pháp (concluded, one open
# finding) and a commune (under way); the coordinator leads both teams --------------------------
INSPECTION_MATRIX = [
    ("inspections index", "get", lambda o: reverse("inspections:index"), EVERYONE, 200),
    ("inspection findings", "get", lambda o: reverse("inspections:findings"), EVERYONE, 200),
    (
        "inspection plan",
        "get",
        lambda o: reverse("inspections:plan", args=[o.plan.pk]),
        PROVINCE_OVERSEERS,
        200,
    ),
    (
        "inspection plan xlsx",
        "get",
        lambda o: reverse("inspections:plan", args=[o.plan.pk]) + "?xuat=xlsx",
        PROVINCE_OVERSEERS,
        200,
    ),
    ("inspection plan create", "post", lambda o: reverse("inspections:plan_create"), PROVINCE_MANAGERS, 302),
    (
        "inspection plan add content",
        "post",
        lambda o: reverse("inspections:plan_action", args=[o.plan.pk, "them-noi-dung"]),
        PROVINCE_MANAGERS,
        302,
    ),
    (
        "inspection (concluded, STP)",
        "get",
        lambda o: reverse("inspections:inspection", args=[o.done.pk]),
        PROVINCE_OVERSEERS | {"officer"},
        200,
    ),
    (
        "inspection conclusion notice",
        "get",
        lambda o: reverse("inspections:conclusion", args=[o.done.pk]),
        PROVINCE_OVERSEERS | {"officer"},
        200,
    ),
    (
        "inspection evidence",
        "get",
        lambda o: reverse("inspections:evidence", args=[o.evidence.pk]),
        PROVINCE_OVERSEERS | {"officer"},
        200,
    ),
    (
        "inspection (under way, commune)",
        "get",
        lambda o: reverse("inspections:inspection", args=[o.running.pk]),
        PROVINCE_OVERSEERS | {"commune_officer", "commune_coordinator"},
        200,
    ),
    (
        "inspection results save",
        "post",
        lambda o: reverse("inspections:inspection_action", args=[o.running.pk, "ket-qua"]),
        PROVINCE_MANAGERS,
        302,
    ),
    (
        "inspection team",
        "post",
        lambda o: reverse("inspections:inspection_action", args=[o.running.pk, "doan"]),
        PROVINCE_MANAGERS,
        302,
    ),
    (
        "inspection finding",
        "get",
        lambda o: reverse("inspections:finding", args=[o.finding.pk]),
        PROVINCE_OVERSEERS | {"officer"},
        200,
    ),
    (
        "inspection remediation report",
        "post",
        lambda o: reverse("inspections:finding_action", args=[o.finding.pk, "bao-cao"]),
        {"admin", "officer"},
        302,
    ),
    (
        "inspection remediation accept",
        "post",
        lambda o: reverse("inspections:finding_action", args=[o.finding.pk, "chap-nhan"]),
        PROVINCE_MANAGERS,
        302,
    ),
]


@pytest.fixture
def inspection_objects(users, tree):
    o = Objects()
    o.plan = make_plan(tree, users)
    o.done = conduct(users, make_inspection(tree, users, o.plan, tree.agency("STP")))
    o.finding = o.done.findings.get()
    o.evidence = InspectionEvidence.objects.get(result__inspection=o.done)
    o.running = make_inspection(tree, users, o.plan, tree.communes[0], day=dt.date(2025, 6, 3))
    inspection_services.inspection_start(actor=users.coordinator, inspection=o.running)
    return o


def _inspection_data(row, o, users) -> dict:
    name = row[0]
    if name == "inspection plan create":
        return {"don_vi": o.plan.unit_id, "nam": "2030", "title": "Kế hoạch kiểm tra năm 2030"}
    if name == "inspection plan add content":
        return {"area": "cong_vu", "content": "Kỷ luật, kỷ cương hành chính."}
    if name == "inspection team":
        return {"truong_doan": users.coordinator.pk}
    if name == "inspection remediation report":
        return {"text": "Đã khắc phục, kèm quyết định."}
    return {}


@pytest.mark.parametrize("row", reads(INSPECTION_MATRIX), ids=row_ids(reads(INSPECTION_MATRIX)))
def test_inspection_read_access(client, users, inspection_objects, row):
    assert_read_row(client, users, row, inspection_objects)


@pytest.mark.parametrize("row", writes(INSPECTION_MATRIX), ids=row_ids(writes(INSPECTION_MATRIX)))
@pytest.mark.parametrize("role", ROLES)
def test_inspection_access(client, users, inspection_objects, row, role):
    assert_row_access(
        client, users, role, row, inspection_objects, _inspection_data(row, inspection_objects, users)
    )


@pytest.mark.parametrize("row", writes(INSPECTION_MATRIX), ids=row_ids(writes(INSPECTION_MATRIX)))
def test_inspection_anonymous_is_sent_to_login(client, inspection_objects, row):
    assert_sent_to_login(client, row, inspection_objects)
