"""Role × catalogue page × own/other unit: who may read and who may change the catalogue.

Everyone signed in reads the whole catalogue (it is public information); changes belong to the
coordinators and administrators of the competent agency's subtree. Same shape as
tests/test_access_matrix.py.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from cchc.core.actors import SYSTEM
from cchc.procedures import services
from cchc.procedures.models import Level, Procedure

from .access_helpers import (
    EVERYONE,
    PROVINCE_MANAGERS,
    ROLES,
    assert_read_row,
    assert_row_access,
    assert_sent_to_login,
    reads,
    row_ids,
    writes,
)
from .conftest import PASSWORD

ANY_MANAGER = PROVINCE_MANAGERS | {"commune_coordinator", "foreign_coordinator"}

# (name, method, url builder, allowed roles, success status)
MATRIX = [
    ("catalogue", "get", lambda o: reverse("procedures:list"), EVERYONE, 200),
    (
        "catalogue search",
        "get",
        lambda o: reverse("procedures:list") + "?q=khai+sinh&cap=commune",
        EVERYONE,
        200,
    ),
    ("agency procedure", "get", lambda o: reverse("procedures:detail", args=[o.stp.pk]), EVERYONE, 200),
    (
        "other province's procedure",
        "get",
        lambda o: reverse("procedures:detail", args=[o.foreign.pk]),
        EVERYONE,
        200,
    ),
    ("create", "get", lambda o: reverse("procedures:create"), ANY_MANAGER, 200),
    ("import", "get", lambda o: reverse("procedures:import"), ANY_MANAGER, 200),
    # a procedure of Sở Tư pháp: the province's coordinators and administrators
    ("edit (agency)", "get", lambda o: reverse("procedures:edit", args=[o.stp.pk]), PROVINCE_MANAGERS, 200),
    (
        "add component (agency)",
        "get",
        lambda o: reverse("procedures:component_add", args=[o.stp.pk]),
        PROVINCE_MANAGERS,
        200,
    ),
    (
        "add step (agency)",
        "get",
        lambda o: reverse("procedures:step_add", args=[o.stp.pk]),
        PROVINCE_MANAGERS,
        200,
    ),
    (
        "edit step (agency)",
        "get",
        lambda o: reverse("procedures:step_edit", args=[o.stp.pk, o.step.pk]),
        PROVINCE_MANAGERS,
        200,
    ),
    (
        "move step (agency)",
        "post",
        lambda o: reverse("procedures:step_move", args=[o.stp.pk, o.step.pk]),
        PROVINCE_MANAGERS,
        302,
    ),
    (
        "delete (agency)",
        "post",
        lambda o: reverse("procedures:delete", args=[o.stp.pk]),
        PROVINCE_MANAGERS,
        302,
    ),
    # commune-level procedures recorded for every commune: the province manages them
    (
        "edit (all communes)",
        "get",
        lambda o: reverse("procedures:edit", args=[o.communes.pk]),
        PROVINCE_MANAGERS,
        200,
    ),
    # a procedure only one commune handles: that commune's coordinator too
    (
        "edit (own commune)",
        "get",
        lambda o: reverse("procedures:edit", args=[o.commune.pk]),
        PROVINCE_MANAGERS | {"commune_coordinator"},
        200,
    ),
    (
        "edit (other province)",
        "get",
        lambda o: reverse("procedures:edit", args=[o.foreign.pk]),
        {"admin", "foreign_coordinator"},
        200,
    ),
    # an empty form: managers get it back with errors (400), others are refused
    ("upload nothing", "post", lambda o: reverse("procedures:import"), ANY_MANAGER, 400),
]


class Objects:
    pass


@pytest.fixture
def objects(tree, users):
    def make(agency, code, level=Level.PROVINCE):
        return services.procedure_save(
            actor=SYSTEM,
            code=code,
            name=f"Thủ tục {code}",
            agency=agency,
            level=level,
            processing_time=Decimal(5),
        )

    o = Objects()
    o.stp = make(tree.agency("STP"), "1.000001")
    o.communes = make(tree.province, "1.001193", Level.COMMUNE)
    o.commune = make(tree.communes[0], "1.000002", Level.COMMUNE)
    o.foreign = make(tree.other_province, "1.000003")
    o.step = services.step_save(
        actor=SYSTEM, procedure=o.stp, name="Thẩm định", actor_role="Chuyên viên", time_allowed=2
    )
    services.step_save(actor=SYSTEM, procedure=o.stp, name="Ký", actor_role="Lãnh đạo", time_allowed=1)
    return o


@pytest.mark.parametrize("row", reads(MATRIX), ids=row_ids(reads(MATRIX)))
def test_read_access(client, users, objects, row):
    assert_read_row(client, users, row, objects)


@pytest.mark.parametrize("row", writes(MATRIX), ids=row_ids(writes(MATRIX)))
@pytest.mark.parametrize("role", ROLES)
def test_access(client, users, objects, row, role):
    assert_row_access(client, users, role, row, objects)


@pytest.mark.parametrize("row", writes(MATRIX), ids=row_ids(writes(MATRIX)))
def test_anonymous_is_sent_to_login(client, objects, row):
    assert_sent_to_login(client, row, objects)


def test_refused_changes_change_nothing(client, users, objects):
    client.login(username=users.officer.username, password=PASSWORD)  # Sở Tư pháp's own officer
    response = client.post(
        reverse("procedures:edit", args=[objects.stp.pk]), {"name": "Đổi tên", "code": "1.000001"}
    )
    assert response.status_code == 403
    assert Procedure.objects.get(pk=objects.stp.pk).name == "Thủ tục 1.000001"
    client.login(username=users.foreign_coordinator.username, password=PASSWORD)
    assert client.post(reverse("procedures:delete", args=[objects.stp.pk])).status_code == 403
    assert Procedure.objects.filter(pk=objects.stp.pk).exists()


def test_lists_offer_edit_links_only_where_allowed(client, users, objects):
    client.login(username=users.commune_coordinator.username, password=PASSWORD)
    page = client.get(reverse("procedures:list")).content.decode()
    assert reverse("procedures:edit", args=[objects.commune.pk]) in page
    assert reverse("procedures:edit", args=[objects.stp.pk]) not in page
    page = client.get(reverse("procedures:create")).content.decode()
    assert f'value="{objects.commune.agency_id}"' in page and f'value="{objects.stp.agency_id}"' not in page
