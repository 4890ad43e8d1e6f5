"""Role × page × own/other unit for the URLs tests/test_access_matrix.py does not list: plan
actions (issue, delete, cascade, coverage, import), targets, manual indicators, the dossier
indicators, the CCHC index, catalogue components and steps, unit memberships, and the pages
that are not about a unit (home, sign-out, password). Same shape as tests/test_access_matrix.py.

The CCHC index hides what a user may not read: a framework, round or assessment outside the
user's reach answers 404 (its existence is not revealed), one the user reads but may not change
answers 403. Its rows are listed in HIDDEN: refused roles get 403 or 404 there.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.core.actors import SYSTEM
from cchc.evaluation import services as par_services
from cchc.evaluation.models import Participant
from cchc.manual_indicators import services as manual_services
from cchc.manual_indicators.models import Kind, Periodicity
from cchc.orgs.models import Membership, UnitKind
from cchc.plans import services as plan_services
from cchc.plans.models import PlanKind
from cchc.procedures import services as procedure_services
from cchc.procedures.models import Level
from cchc.targets.services import target_bind

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
from .test_par_rounds import FRAMEWORK

ANY_MANAGER = PROVINCE_MANAGERS | {"commune_coordinator", "foreign_coordinator"}
# who sees the issued provincial plan: overseers, and units that have work in it
PLAN_READERS = PROVINCE_OVERSEERS | {"officer", "officer_other", "commune_officer", "commune_coordinator"}

# (name, method, url builder, allowed roles, success status)
MATRIX = [
    # --- pages that are not about a unit: every signed-in user
    (
        "home",
        "get",
        lambda o: reverse("home"),
        EVERYONE,
        302,
    ),  # to each role's landing page (cchc.portal.landing)
    ("logout", "post", lambda o: reverse("logout"), EVERYONE, 302),
    ("password change", "get", lambda o: reverse("password_change"), EVERYONE, 200),
    ("password changed", "get", lambda o: reverse("password_change_done"), EVERYONE, 200),
    ("due date preview", "get", lambda o: reverse("due_date_preview"), EVERYONE, 200),
    # --- plans: a draft of the province (issue, delete, its targets and tasks)
    ("plan issue", "post", lambda o: reverse("plans:issue", args=[o.draft.pk]), PROVINCE_MANAGERS, 302),
    ("plan delete", "post", lambda o: reverse("plans:delete", args=[o.draft.pk]), PROVINCE_MANAGERS, 302),
    (
        "target edit",
        "get",
        lambda o: reverse("plans:target_edit", args=[o.draft.pk, o.draft_target.pk]),
        PROVINCE_MANAGERS,
        200,
    ),
    (
        "target delete",
        "post",
        lambda o: reverse("plans:target_delete", args=[o.draft.pk, o.draft_target.pk]),
        PROVINCE_MANAGERS,
        302,
    ),
    (
        "task delete",
        "post",
        lambda o: reverse("plans:task_delete", args=[o.draft.pk, o.draft_task.pk]),
        PROVINCE_MANAGERS,
        302,
    ),
    # the issued plan: the deadline hint (HTMX) for whoever sees the plan
    (
        "deadline preview (htmx)",
        "get",
        lambda o: reverse("plans:deadline_preview", args=[o.plan.pk]) + "?deadline_text=Qu%C3%BD+II",
        PLAN_READERS,
        200,
    ),
    # a unit with work in the plan starts its own plan from it: the commune's managers
    (
        "plan cascade (commune)",
        "post",
        lambda o: reverse("plans:cascade", args=[o.plan.pk]),
        PROVINCE_MANAGERS | {"commune_coordinator"},
        302,
    ),
    ("plan coverage", "get", lambda o: reverse("plans:coverage", args=[o.plan.pk]), PROVINCE_OVERSEERS, 200),
    ("plan remind", "post", lambda o: reverse("tracking:remind", args=[o.plan.pk]), PROVINCE_MANAGERS, 302),
    # importing a plan document: whoever manages a unit
    ("plan import", "get", lambda o: reverse("plans:import"), ANY_MANAGER, 200),
    # nothing uploaded yet: back to the upload page
    ("plan import review", "get", lambda o: reverse("plans:import_review"), ANY_MANAGER, 302),
    # cancelling only clears the user's own pending import (in the session): anyone may
    ("plan import cancel", "post", lambda o: reverse("plans:import_cancel"), EVERYONE, 302),
    # --- targets of the issued plan: readers see them, the issuer's managers bind them
    ("plan targets", "get", lambda o: reverse("targets:plan_targets", args=[o.plan.pk]), PLAN_READERS, 200),
    (
        "target bind",
        "post",
        lambda o: reverse("targets:target_bind", args=[o.plan.pk, o.target.pk]),
        PROVINCE_MANAGERS,
        302,
    ),
    (
        "target unbind",
        "post",
        lambda o: reverse("targets:target_unbind", args=[o.plan.pk, o.bound.pk]),
        PROVINCE_MANAGERS,
        302,
    ),
    # --- indicators
    ("indicator dashboard", "get", lambda o: reverse("indicators:dashboard"), EVERYONE, 200),
    (
        "indicator dossiers (province)",
        "get",
        lambda o: (
            reverse("indicators:dossiers") + f"?don_vi={o.province.pk}&ma=dung_han&ky={o.year}&phan=tu_so"
        ),
        PROVINCE_OVERSEERS,
        200,
    ),
    # --- manual indicators: a definition of the province, reported by its agencies and communes
    ("manual indicators", "get", lambda o: reverse("manual_indicators:index"), EVERYONE, 200),
    ("manual indicator create", "get", lambda o: reverse("manual_indicators:create"), ANY_MANAGER, 200),
    (
        "manual indicator overview",
        "get",
        lambda o: reverse("manual_indicators:overview", args=[o.definition.pk]),
        PLAN_READERS,
        200,
    ),
    (
        "manual indicator edit",
        "get",
        lambda o: reverse("manual_indicators:edit", args=[o.definition.pk]),
        PROVINCE_MANAGERS,
        200,
    ),
    (
        "manual indicator delete",
        "post",
        lambda o: reverse("manual_indicators:delete", args=[o.definition.pk]),
        PROVINCE_MANAGERS,
        302,
    ),
    (
        "manual indicator report",
        "get",
        lambda o: reverse("manual_indicators:report", args=[o.definition.pk]),
        PLAN_READERS - {"leader"},  # units of the scope report; the province's leader does not
        200,
    ),
    # --- units: a commune's memberships and accounts, its managers
    (
        "revoke a commune membership",
        "post",
        lambda o: reverse("orgs:membership_revoke", args=[o.membership.pk]),
        PROVINCE_MANAGERS | {"commune_coordinator"},
        302,
    ),
    # an empty form: managers get it back with errors (400), others are refused
    (
        "add a user to the commune",
        "post",
        lambda o: reverse("orgs:user_add", args=[o.commune.pk]),
        PROVINCE_MANAGERS | {"commune_coordinator"},
        400,
    ),
    # --- catalogue: a procedure of Sở Tư pháp, the province's managers
    (
        "component edit",
        "get",
        lambda o: reverse("procedures:component_edit", args=[o.procedure.pk, o.component.pk]),
        PROVINCE_MANAGERS,
        200,
    ),
    (
        "component delete",
        "post",
        lambda o: reverse("procedures:component_delete", args=[o.procedure.pk, o.component.pk]),
        PROVINCE_MANAGERS,
        302,
    ),
    (
        "step delete",
        "post",
        lambda o: reverse("procedures:step_delete", args=[o.procedure.pk, o.step.pk]),
        PROVINCE_MANAGERS,
        302,
    ),
    # nothing previewed: back to the upload page
    ("catalogue import confirm", "post", lambda o: reverse("procedures:import_confirm"), ANY_MANAGER, 302),
    # --- the CCHC index: an issued framework of the province, a round of STP and a commune
    ("index", "get", lambda o: reverse("evaluation:index"), EVERYONE, 200),
    ("points at risk", "get", lambda o: reverse("evaluation:at_risk"), EVERYONE, 200),
    # nothing uploaded: back to the index with an error, for the provinces' coordinators
    (
        "framework import",
        "post",
        lambda o: reverse("evaluation:framework_import"),
        PROVINCE_MANAGERS | {"foreign_coordinator"},
        302,
    ),
    (
        "framework",
        "get",
        lambda o: reverse("evaluation:framework", args=[o.framework.pk]),
        PLAN_READERS,  # an issued framework: its unit's overseers and every unit below
        200,
    ),
    (
        "framework export",
        "get",
        lambda o: reverse("evaluation:framework_export", args=[o.framework.pk]),
        PLAN_READERS,
        200,
    ),
    (
        "framework copy",
        "post",
        lambda o: reverse("evaluation:framework_action", args=[o.framework.pk, "sao"]),
        PROVINCE_MANAGERS,
        302,
    ),
    (
        "round new",
        "get",
        lambda o: reverse("evaluation:round_new", args=[o.framework.pk]),
        PROVINCE_MANAGERS,
        200,
    ),
    # the round: its council and leaders; a participant unit sees its own line
    (
        "round",
        "get",
        lambda o: reverse("evaluation:round", args=[o.round.pk]),
        PROVINCE_OVERSEERS | {"officer", "commune_officer", "commune_coordinator"},
        200,
    ),
    (
        "round recompute",
        "post",
        lambda o: reverse("evaluation:round_action", args=[o.round.pk, "tinh-lai"]),
        PROVINCE_MANAGERS,
        302,
    ),
    (
        "round scores csv",
        "get",
        lambda o: reverse("evaluation:round_scores_csv", args=[o.round.pk]),
        PROVINCE_OVERSEERS,
        200,
    ),
    ("results", "get", lambda o: reverse("evaluation:results", args=[o.round.pk]), PROVINCE_OVERSEERS, 200),
    # Sở Tư pháp's draft self-assessment: its own officer (and the administrator) only
    (
        "participant (draft)",
        "get",
        lambda o: reverse("evaluation:participant", args=[o.round.pk, o.participant.pk]),
        {"admin", "officer"},
        200,
    ),
    (
        "participant self-score",
        "post",
        lambda o: reverse("evaluation:participant_action", args=[o.round.pk, o.participant.pk, "tu-cham"]),
        {"admin", "officer"},
        302,
    ),
    (
        "participant evidence",
        "get",
        lambda o: reverse("evaluation:evidence", args=[o.round.pk, o.participant.pk, o.evidence.pk]),
        {"admin", "officer"},
        200,
    ),
]

# rows of the CCHC index, which answers 404 to those who may not even read the object
HIDDEN = {row[0] for row in MATRIX if any("evaluation:" in str(c) for c in row[2].__code__.co_consts)}
HTMX = {"deadline preview (htmx)"}


class Objects:
    pass


@pytest.fixture
def objects(issued_plan, users, tree):
    o = Objects()
    o.year = dt.date.today().year
    o.province, o.commune = tree.province, tree.communes[0]
    o.plan = issued_plan
    o.target, o.bound = issued_plan.targets.order_by("pk")[:2]
    target_bind(actor=users.coordinator, target=o.bound, indicator="dung_han")
    o.draft = plan_services.plan_create(
        actor=users.coordinator,
        issuer=tree.province,
        title="Kế hoạch kiểm soát thủ tục hành chính",
        from_year=o.year,
        to_year=o.year,
        kind=PlanKind.ONE_OFF,
        number="13/KH-UBND",
    )
    o.draft_target = plan_services.target_save(
        actor=users.coordinator,
        plan=o.draft,
        text="100% thủ tục được công khai.",
        area="thu_tuc_hanh_chinh",
        comparator="=",
        value=100,
        unit_of_measure="%",
        year=o.year,
    )
    o.draft_task = plan_services.task_save(
        actor=users.coordinator,
        plan=o.draft,
        number="1",
        area="thu_tuc_hanh_chinh",
        content="Công khai thủ tục hành chính.",
        lead_units=[tree.agency("STP")],
        deadline_text=f"Quý II/{o.year}",
    )
    o.definition = manual_services.definition_create(
        actor=users.coordinator,
        unit=tree.province,
        code="ty-le-ky-so",
        name="Tỷ lệ văn bản được ký số",
        kind=Kind.RATIO,
        periodicity=Periodicity.QUARTER,
        numerator_label="Số văn bản ký số",
        denominator_label="Tổng số văn bản đi",
        unit_kinds=[UnitKind.AGENCY, UnitKind.COMMUNE],
    )
    o.membership = Membership.objects.get(user=users.commune_officer, unit=o.commune)
    o.procedure = procedure_services.procedure_save(
        actor=SYSTEM,
        code="1.000001",
        name="Thủ tục chứng thực",
        agency=tree.agency("STP"),
        level=Level.PROVINCE,
        processing_time=5,
    )
    o.component = procedure_services.component_save(
        actor=SYSTEM, procedure=o.procedure, name="Tờ khai", copies=1, mandatory=True
    )
    o.step = procedure_services.step_save(
        actor=SYSTEM, procedure=o.procedure, name="Thẩm định", actor_role="Chuyên viên", time_allowed=2
    )
    framework = par_services.framework_import(
        actor=users.coordinator,
        unit=tree.province,
        year=o.year,
        name=f"Bộ chỉ số CCHC {o.year}",
        data=FRAMEWORK.encode(),
    )
    o.framework = par_services.framework_issue(actor=users.coordinator, framework=framework)
    o.round = par_services.round_open(
        actor=users.coordinator,
        framework=o.framework,
        title=f"Đánh giá {o.year}",
        units=[tree.agency("STP"), o.commune],
        self_due=dt.date(o.year + 1, 1, 15),
        appraisal_due=dt.date(o.year + 1, 2, 28),
    )
    o.participant = Participant.objects.get(round=o.round, unit=tree.agency("STP"))
    score = o.participant.scores.select_related("criterion").get(criterion__code="1.1")
    o.evidence = par_services.evidence_add(
        actor=users.officer,
        score=score,
        upload=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 ke hoach", content_type="application/pdf"),
    )
    return o


def _data(name: str, o) -> dict | None:
    if name == "plan cascade (commune)":
        return {"unit": str(o.commune.pk)}
    if name == "framework copy":
        return {"nam": str(o.year + 1)}
    return None


@pytest.mark.parametrize("row", reads(MATRIX), ids=row_ids(reads(MATRIX)))
def test_read_access(client, users, objects, row):
    assert_read_row(client, users, row, objects, check=lambda c, role: _check(c, users, objects, row, role))


@pytest.mark.parametrize("row", writes(MATRIX), ids=row_ids(writes(MATRIX)))
@pytest.mark.parametrize("role", ROLES)
def test_access(client, users, objects, row, role):
    _check(client, users, objects, row, role)


def _check(client, users, objects, row, role):
    if row[0] in HTMX:
        client.defaults["HTTP_HX_REQUEST"] = "true"
    name, method, url_of, allowed, _success = row
    if name in HIDDEN and role not in allowed:
        # refused: 403 if the role may read the object, else 404 (its existence is not revealed)
        assert client.login(username=getattr(users, role).username, password=PASSWORD)
        url = url_of(objects)
        response = client.post(url, _data(name, objects) or {}) if method == "post" else client.get(url)
        assert response.status_code in (403, 404), f"{role} {method.upper()} {url}: {response.status_code}"
        if response.status_code == 403:
            assert "quyền" in response.content.decode()
        return
    assert_row_access(client, users, role, row, objects, _data(name, objects))


@pytest.mark.parametrize("row", writes(MATRIX), ids=row_ids(writes(MATRIX)))
def test_anonymous_is_sent_to_login(client, objects, row):
    assert_sent_to_login(client, row, objects)


def test_deadline_preview_only_from_the_form(client, users, objects):
    """Without the HTMX header the hint is refused, even to the plan's managers."""
    client.login(username=users.coordinator.username, password=PASSWORD)
    response = client.get(reverse("plans:deadline_preview", args=[objects.plan.pk]))
    assert response.status_code == 403 and "quyền" in response.content.decode()
