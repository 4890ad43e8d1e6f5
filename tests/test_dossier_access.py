"""Role × page × own/other unit for the one-stop pages, in the style of test_access_matrix:
a dossier of Sở Tư pháp received at the provincial service centre, one of a commune, and the
public pages that anyone may open without an account."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cchc.core.actors import CITIZEN, SYSTEM
from cchc.dossiers import services
from cchc.orgs.models import Role
from cchc.orgs.services import user_create
from cchc.procedures.models import Level

from .access_helpers import ROLES as BASE_ROLES
from .access_helpers import assert_read_row, assert_row_access, assert_sent_to_login, reads, row_ids, writes
from .conftest import PASSWORD
from .test_dossiers_support import APPLICANT, make_procedure, make_world

# Sở Tư pháp (officer) is the handling unit; the desk, the provincial public administration service
# centre, is the receiving unit
# the signer: a leader of Sở Tư pháp, who signs at the last step (B3 "Phê duyệt kết quả")
ROLES = [*BASE_ROLES, "desk", "signer"]
EVERYONE = set(ROLES)
PROVINCE = {"admin", "coordinator", "leader"}
HANDLERS = {"admin", "coordinator", "officer", "desk"}  # may act on the STP dossier
STP_READERS = PROVINCE | HANDLERS | {"signer"}
DESKS = EVERYONE - {"leader", "signer"}  # anyone who may report for some unit may receive

# (name, method, url builder, allowed roles, success status)
MATRIX = [
    ("dossier list", "get", lambda o: reverse("dossiers:list"), EVERYONE, 200),
    ("receipt form", "get", lambda o: reverse("dossiers:receive"), DESKS, 200),
    (
        "dossier (own unit)",
        "get",
        lambda o: reverse("dossiers:detail", args=[o.d.code]),
        STP_READERS,
        200,
    ),
    (
        "form 01 (own unit)",
        "get",
        lambda o: reverse("dossiers:form", args=[o.d.code, "01", "docx"]),
        STP_READERS,
        200,
    ),
    (
        "form 06 (own unit)",
        "get",
        lambda o: reverse("dossiers:form", args=[o.d.code, "06", "docx"]),
        STP_READERS,
        200,
    ),
    # a refused action answers with the service's message (302 back to the page) for handlers
    (
        "mark digitised (own unit)",
        "post",
        lambda o: reverse("dossiers:action", args=[o.d.code, "so-hoa"]),
        HANDLERS,
        302,
    ),
    # at B1 the desk's step: its performers may post (the result is refused with a message:
    # not yet the last step); nobody else acts on B1
    (
        "decide at B1 (own unit)",
        "post",
        lambda o: reverse("dossiers:action", args=[o.d.code, "ket-qua"]),
        {"admin", "coordinator", "desk"},
        302,
    ),
    # the result at the last step is the signer's (the agency's leader), not the province's
    # leader or coordinator, not the specialist
    (
        "decide at the last step (own unit)",
        "post",
        lambda o: reverse("dossiers:action", args=[o.last.code, "ket-qua"]),
        {"admin", "signer"},
        302,
    ),
    (
        "send back from the last step (own unit)",
        "post",
        lambda o: reverse("dossiers:action", args=[o.last.code, "tra-lai"]),
        {"admin", "signer"},
        302,
    ),
    (
        "dossier (commune)",
        "get",
        lambda o: reverse("dossiers:detail", args=[o.commune_dossier.code]),
        PROVINCE | {"commune_officer", "commune_coordinator"},
        200,
    ),
    (
        "form 01 (commune)",
        "get",
        lambda o: reverse("dossiers:form", args=[o.commune_dossier.code, "01", "docx"]),
        PROVINCE | {"commune_officer", "commune_coordinator"},
        200,
    ),
    (
        "mark digitised (commune)",
        "post",
        lambda o: reverse("dossiers:action", args=[o.commune_dossier.code, "so-hoa"]),
        {"admin", "coordinator", "commune_officer", "commune_coordinator"},
        302,
    ),
    # the register of one's own unit (admin: a superuser without membership names a unit)
    (
        "register of the desk",
        "get",
        lambda o: reverse("dossiers:register") + f"?tu={o.today}&den={o.today}&don_vi={o.desk.pk}",
        PROVINCE | {"desk"},
        200,
    ),
    # the checklist of a procedure's components (the receipt form's partial)
    (
        "receipt checklist",
        "get",
        lambda o: reverse("dossiers:receipt_components") + f"?procedure={o.d.procedure_id}",
        DESKS,
        200,
    ),
    # the search by personal data: those who may handle some dossier (leaders never)
    (
        "search by the applicant",
        "get",
        lambda o: reverse("dossiers:personal_search") + "?ten=nguyen",
        DESKS,
        200,
    ),
    (
        "receipt slip (own unit)",
        "get",
        lambda o: reverse("dossiers:slip", args=[o.d.code]),
        STP_READERS,  # who reads the dossier (personal data masked for leaders)
        200,
    ),
    (
        "fee receipt (own unit)",
        "get",
        lambda o: reverse("dossiers:fee_receipt", args=[o.d.code, "docx"]),
        STP_READERS,  # who reads the dossier (personal data masked for leaders)
        200,
    ),
    ("feedback list", "get", lambda o: reverse("dossiers:feedback_list"), EVERYONE, 200),
    (
        "feedback (own unit)",
        "get",
        lambda o: reverse("dossiers:feedback", args=[o.fb.pk]),
        PROVINCE | {"officer", "signer"},
        200,
    ),
    (
        "feedback answer (own unit)",
        "post",
        lambda o: reverse("dossiers:feedback_action", args=[o.fb.pk, "tra-loi"]),
        {"admin", "coordinator", "officer"},
        302,
    ),
]

PUBLIC = [
    ("lookup", lambda o: reverse("lookup")),
    ("feedback form", lambda o: reverse("feedback_public")),
]


class Objects:
    pass


@pytest.fixture
def objects(tree, users):
    cache.clear()
    w = make_world(tree, users)
    users.desk = w.desk_officer
    users.signer = w.signer
    o = Objects()
    o.desk = w.desk
    o.d = w.receive()
    services.payment_record_at_desk(actor=w.desk_officer, dossier=o.d)  # so that it has a fee receipt
    o.last = w.to_last_step(w.receive())
    commune = tree.communes[0]
    commune_procedure = make_procedure(
        tree.province, code="2.000986", name="Chứng thực bản sao", level=Level.COMMUNE, steps=False
    )
    o.commune_dossier = services.dossier_receive(
        actor=users.commune_officer,
        procedure=commune_procedure,
        handling_unit=commune,
        receiving_unit=commune,
        channel="truc_tiep",
        applicant=APPLICANT,
    )
    o.fb = services.feedback_receive(
        actor=CITIZEN, content="Góp ý", sender=services.Sender(name="A", phone="0911222333"), unit=w.agency
    )
    o.today = timezone.localdate().strftime("%d/%m/%Y")
    return o


@pytest.mark.parametrize("row", reads(MATRIX), ids=row_ids(reads(MATRIX)))
def test_read_access(client, users, objects, row):
    assert_read_row(client, users, row, objects, roles=ROLES)


@pytest.mark.parametrize("row", writes(MATRIX), ids=row_ids(writes(MATRIX)))
@pytest.mark.parametrize("role", ROLES)
def test_access(client, users, objects, row, role):
    data = {"granted": "0", "reason": "Không đủ điều kiện"} if "decide" in row[0] else {"text": "Đã xử lý"}
    if "send back" in row[0]:
        data = {"reason": "Dự thảo kết quả còn thiếu căn cứ"}
    assert_row_access(client, users, role, row, objects, data)


@pytest.mark.parametrize("row", writes(MATRIX), ids=row_ids(writes(MATRIX)))
def test_anonymous_is_sent_to_login(client, objects, row):
    assert_sent_to_login(client, row, objects)


@pytest.mark.parametrize("row", PUBLIC, ids=[r[0] for r in PUBLIC])
def test_public_pages_open_without_an_account(client, objects, row):
    _name, url_of = row
    assert client.get(url_of(objects)).status_code == 200


def test_the_receipt_form_offers_only_the_users_own_units(client, tree, users, objects):
    other = user_create(
        actor=SYSTEM, username="motcua.xa2", password=PASSWORD, roles=[(tree.communes[1], Role.OFFICER)]
    )
    client.login(username=other.username, password=PASSWORD)
    response = client.get(reverse("dossiers:receive"))
    assert list(response.context["form"].fields["receiving_unit"].queryset) == [tree.communes[1]]
