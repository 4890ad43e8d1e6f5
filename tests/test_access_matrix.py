"""Role × page × own/other unit: every page answers exactly who may see or change it.

Each row: a page (GET, or POST for actions), and the users allowed; everyone else must get
403 (signed in) or a redirect to the login page (anonymous). Modelled on Read the Docs'
test_privacy_urls.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cchc.surveys.models import Questionnaire
from cchc.surveys.services.campaigns import campaign_create
from cchc.tracking.models import Assignment
from cchc.tracking.services import progress_post

from .access_helpers import (
    EVERYONE,
    PROVINCE_MANAGERS,
    PROVINCE_OVERSEERS,
    ROLES,
    assert_row_access,
    assert_sent_to_login,
    row_ids,
)
from .conftest import PASSWORD

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
    o.survey_unit = tree.agency("STP")
    o.survey = campaign_create(
        actor=users.coordinator, owner=tree.province, name="Khảo sát quý III",
        questionnaire=Questionnaire.objects.get(code="SIPAS-HCC"), period_start=timezone.localdate(),
        period_end=timezone.localdate(), mode="chon_mau", sample_sizes={o.survey_unit: 5, tree.agency("SCT"): 5},
    )  # fmt: skip
    return o


def _progress_data() -> dict:
    return {
        "percent": "30",
        "reported_on": timezone.localdate().isoformat(),
        "narrative": "Tiếp tục thực hiện",
    }


@pytest.mark.parametrize("row", MATRIX, ids=row_ids(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_access(client, users, objects, row, role):
    assert_row_access(client, users, role, row, objects, _progress_data() if "progress" in row[0] else None)


@pytest.mark.parametrize("row", MATRIX, ids=row_ids(MATRIX))
def test_anonymous_is_sent_to_login(client, objects, row):
    assert_sent_to_login(client, row, objects)


def test_refused_progress_changes_nothing(client, users, objects):
    client.login(username=users.officer_other.username, password=PASSWORD)
    before = Assignment.objects.get(pk=objects.stp.pk).updates_count
    response = client.post(reverse("tracking:assignment", args=[objects.stp.pk]), _progress_data())
    assert response.status_code == 403
    assert Assignment.objects.get(pk=objects.stp.pk).updates_count == before
