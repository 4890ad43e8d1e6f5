"""Who performs a step (desk, specialist, leader) is a field of the procedure's step: filled from
the step's words unless the catalogue chose it, copied to the dossier at receipt, and what the
dossier engine enforces; a dossier received before the field existed routes by the words, as
before (issue 14, "Steps and roles")."""

from __future__ import annotations

import importlib

import pytest

from cchc.core.actors import SYSTEM
from cchc.core.errors import PermissionDenied
from cchc.dossiers import services
from cchc.dossiers.models import Dossier
from cchc.dossiers.steps import DESK, LEADER, SPECIALIST, holder, performer_of, step_performer
from cchc.procedures import services as procedure_services
from cchc.procedures.models import Step

from .conftest import PASSWORD
from .test_dossiers_flow import refused
from .test_dossiers_support import local, make_world


@pytest.fixture
def w(tree, users):
    return make_world(tree, users)


def test_the_field_is_filled_from_the_words_unless_chosen(w):
    assert [s.performer for s in w.procedure.steps.order_by("position")] == [DESK, SPECIALIST, LEADER]
    step = procedure_services.step_save(
        actor=SYSTEM,
        procedure=w.procedure,
        step=w.procedure.steps.get(position=2),
        name="Thẩm định, trình ký",
        actor_role="Công chức tư pháp - hộ tịch",
        time_allowed="3.5",
        performer=LEADER,
    )
    assert step.performer == LEADER and performer_of(step.actor_role) == SPECIALIST


def test_catalogue_loads_fill_the_field(w):
    procedure_services.procedure_set_parts(
        actor=SYSTEM,
        procedure=w.procedure,
        steps=[
            {"name": "Tiếp nhận", "actor_role": "Bộ phận một cửa", "time_allowed": "0.5"},
            {"name": "Thẩm định", "actor_role": "Chuyên viên", "time_allowed": "1", "performer": LEADER},
            {"name": "Ký", "actor_role": "Giám đốc Sở", "time_allowed": "1"},
        ],
        components=[],
    )
    assert list(w.procedure.steps.values_list("performer", flat=True)) == [DESK, LEADER, LEADER]


def test_the_migration_fills_existing_steps_by_the_words(w):
    Step.objects.update(performer=SPECIALIST)  # as the new column left them
    migration = importlib.import_module("cchc.procedures.migrations.0003_step_performer")
    from django.apps import apps

    migration.fill(apps, None)
    assert [s.performer for s in w.procedure.steps.order_by("position")] == [DESK, SPECIALIST, LEADER]
    for words in (
        "Bộ phận Tiếp nhận và Trả kết quả",
        "Chủ tịch hoặc Phó Chủ tịch UBND cấp xã",
        "Chuyên viên",
    ):
        assert migration.performer_from_words(words) == performer_of(words)


def test_the_field_is_copied_at_receipt_and_enforced(w, users):
    """B2's words say a specialist, the catalogue says the leader signs there: the field rules."""
    Step.objects.filter(procedure=w.procedure, position=2).update(performer=LEADER)
    d = w.receive(at=local(2026, 3, 2, 9, 0))
    assert [s["performer"] for s in d.steps] == [DESK, LEADER, LEADER]
    services.dossier_handover(actor=w.desk_officer, dossier=d, to_step=2, at=local(2026, 3, 2, 10))
    assert holder(d).performer == LEADER
    refused(
        lambda: services.dossier_handover(actor=users.officer, dossier=d, to_step=3),
        d,
        error=PermissionDenied,
    )
    services.dossier_handover(actor=w.signer, dossier=d, to_step=3, at=local(2026, 3, 3, 10))
    # changing the catalogue later does not change a dossier already received
    Step.objects.filter(procedure=w.procedure, position=3).update(performer=SPECIALIST)
    assert step_performer(Dossier.objects.get(pk=d.pk).steps[2]) == LEADER


def test_a_dossier_received_before_the_field_routes_by_the_words(w, users):
    d = w.receive(at=local(2026, 3, 2, 9, 0))
    Dossier.objects.filter(pk=d.pk).update(
        steps=[{k: v for k, v in s.items() if k != "performer"} for s in d.steps]
    )
    d = Dossier.objects.get(pk=d.pk)
    assert [step_performer(s) for s in d.steps] == [DESK, SPECIALIST, LEADER]
    refused(
        lambda: services.dossier_handover(actor=users.officer, dossier=d, to_step=2),
        d,
        error=PermissionDenied,
    )
    services.dossier_handover(actor=w.desk_officer, dossier=d, to_step=2, at=local(2026, 3, 2, 10))
    assert holder(d).performer == SPECIALIST


def test_the_catalogue_step_form_offers_the_performer(client, w, users):
    step = w.procedure.steps.get(position=2)
    client.login(username=users.admin.username, password=PASSWORD)
    url = f"/thu-tuc/{w.procedure.pk}/buoc/{step.pk}/sua/"
    html = client.get(url).content.decode()
    assert "Vai trò khi xử lý hồ sơ" in html and 'value="specialist" selected' in html
    response = client.post(
        url,
        {"name": step.name, "actor_role": step.actor_role, "performer": "leader", "time_allowed": "3,5"},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.performer == LEADER
    detail = client.get(f"/thu-tuc/{w.procedure.pk}/").content.decode()
    assert "Lãnh đạo (phân công, xem xét, ký duyệt)" in detail
