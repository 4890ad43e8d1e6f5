"""Receipt of dossiers: complete (clock, appointment, code, B1), incomplete (one request, no
clock, accepted later), not eligible (refusal), validation and permissions."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import replace
from decimal import Decimal

import pytest

from cchc.core.actors import SYSTEM
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.models import AuditEntry
from cchc.dossiers import services
from cchc.dossiers.choices import EventKind, State
from cchc.dossiers.models import Dossier
from cchc.orgs.models import Role
from cchc.orgs.services import user_create
from cchc.orgs.services_calendar import work_schedule_save
from cchc.procedures.models import Level, OnlineMode

from .conftest import raises_code
from .test_dossiers_support import APPLICANT, local, make_procedure, make_world


@pytest.fixture
def w(tree, users):
    return make_world(tree, users)


def test_complete_dossier_is_received_with_appointment_code_and_first_step(w):
    d = w.receive(at=local(2026, 3, 2, 9, 0), data_reused=True, vneid_authenticated=True)
    assert re.fullmatch(r"P75\.STP-260302-0001", d.code)
    assert d.state == State.RECEIVED
    assert d.received_at == local(2026, 3, 2, 9, 0) == d.submitted_at
    assert d.due_at == local(2026, 3, 9, 9, 0) == d.current_due_at  # spec example: +5 working days
    assert d.new_due_at is None and d.finished_at is None and d.result == ""
    assert d.current_step == 1 and d.current_unit == w.desk
    assert d.step_due_at == local(2026, 3, 2, 14, 30)  # B1 = 0.5 day = 4 working hours
    assert [s["name"] for s in d.steps][0] == "Tiếp nhận, kiểm tra và chuyển hồ sơ"
    assert d.duration == Decimal(5) and d.duration_unit == "working_day"
    assert d.fee_amount == 50_000 and d.fee_due and not d.paid_online
    assert d.data_reused and d.vneid_authenticated and not d.digitised
    assert [e.kind for e in d.events.all()] == [EventKind.RECEIVED, EventKind.STEP_STARTED]
    assert [e.sequence for e in d.events.all()] == [1, 2]
    entry = AuditEntry.objects.filter(action="dossier.received").get()
    assert entry.actor == w.desk_officer and entry.unit == w.agency
    assert APPLICANT.phone not in str(entry.after) and APPLICANT.id_number not in str(entry.after)


def test_received_after_the_cutoff_before_tet_follows_the_policy(w):
    """The spec's example: Friday 13/2/2026 16:05, 5 working days → Friday 27/2/2026 17:00."""
    d = w.receive(at=local(2026, 2, 13, 16, 5))
    assert d.due_at == local(2026, 2, 27, 17, 0)
    assert d.step_due_at == local(2026, 2, 23, 11, 30)  # B1 starts 07:30 on Monday after Tết
    assert d.code.endswith("-260213-0001")


def test_the_handling_units_own_schedule_is_used(w, users):
    work_schedule_save(
        actor=users.admin, unit=w.agency, hours="07:00-11:00,13:00-17:00", cutoff=dt.time(16, 0)
    )
    d = w.receive(at=local(2026, 3, 2, 15, 30))  # before this unit's 16:00 cut-off: counts today
    assert d.due_at == local(2026, 3, 9, 15, 30)


def test_codes_count_per_unit_and_day(w):
    a = w.receive(at=local(2026, 3, 2, 8, 0))
    b = w.receive(at=local(2026, 3, 2, 10, 0))
    c = w.receive(at=local(2026, 3, 3, 8, 0))
    assert [a.code, b.code, c.code] == ["P75.STP-260302-0001", "P75.STP-260302-0002", "P75.STP-260303-0001"]


def test_incomplete_dossier_gets_one_request_listing_everything_and_no_clock(w):
    tokhai = w.procedure.components.first()
    d = w.receive(at=local(2026, 3, 2, 9), complete=False, missing=[tokhai, "Bản sao giấy đăng ký kết hôn"])
    assert d.state == State.INCOMPLETE_AT_RECEIPT
    assert d.received_at is None and d.due_at is None and d.submitted_at == local(2026, 3, 2, 9)
    event = d.events.get()
    assert event.kind == EventKind.RECEIPT_INCOMPLETE
    assert event.data["missing"] == ["Tờ khai đăng ký khai sinh", "Bản sao giấy đăng ký kết hôn"]
    # all at once: no second request before acceptance
    with raises_code("dossier_wrong_state"):
        services.dossier_request_supplement(
            actor=w.desk_officer, dossier=d, missing=["Giấy chứng sinh"], at=local(2026, 3, 3, 9)
        )
    # the applicant comes back with everything: the clock starts then
    d = services.dossier_accept(
        actor=w.desk_officer, dossier=d, received_at=local(2026, 3, 4, 9), digitised=True
    )
    assert d.state == State.RECEIVED and d.received_at == local(2026, 3, 4, 9)
    assert d.due_at == local(2026, 3, 11, 9) and d.digitised
    assert d.supplement_count == 0  # the request at receipt is not a supplement after receipt
    assert d.code.endswith("-260302-0001")  # the code given at the first contact stays


def test_incomplete_and_complete_need_a_consistent_missing_list(w):
    with pytest.raises(ServiceError) as exc:
        w.receive(complete=False, missing=[])
    assert "missing" in exc.value.message_dict
    with pytest.raises(ServiceError) as exc:
        w.receive(complete=True, missing=["Giấy chứng sinh"])
    assert "missing" in exc.value.message_dict
    assert not Dossier.objects.exists()


def test_a_component_of_another_procedure_is_refused(w):
    other = make_procedure(w.agency, code="1.000001", name="Thủ tục khác", steps=False)
    with raises_code("missing_item_unknown"):
        w.receive(complete=False, missing=[other.components.first()])


def test_not_eligible_is_refused_with_its_reason(w):
    d = w.receive(
        at=local(2026, 3, 2, 9), eligible=False, reason="Không thuộc thẩm quyền giải quyết của Sở Tư pháp."
    )
    assert d.state == State.REFUSED_AT_RECEIPT and d.received_at is None
    assert d.events.get().data["reason"].startswith("Không thuộc thẩm quyền")
    with raises_code("dossier_wrong_state"):
        services.dossier_accept(actor=w.desk_officer, dossier=d, received_at=local(2026, 3, 2, 10))
    with pytest.raises(ServiceError) as exc:
        w.receive(eligible=False, reason="  ")
    assert "reason" in exc.value.message_dict


def test_applicant_data_is_checked_and_normalised(w):
    decomposed = unicodedata.normalize("NFD", "Lê Thị Hồng")
    d = w.receive(
        at=local(2026, 3, 2, 9),
        applicant=replace(APPLICANT, name=decomposed, phone="+84 912.345.678", email="AN@Example.VN"),
    )
    assert d.applicant_name == "Lê Thị Hồng" and unicodedata.is_normalized("NFC", d.applicant_name)
    assert d.applicant_phone == "0912345678" and d.applicant_email == "an@example.vn"
    with pytest.raises(ServiceError) as exc:
        w.receive(applicant=replace(APPLICANT, name=" ", id_number="12345", phone="12", email="x@"))
    assert set(exc.value.message_dict) == {
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "applicant_email",
    }
    organisation = replace(
        APPLICANT, kind="organisation", name="Công ty TNHH An Bình", id_number="3600123456-001"
    )
    assert w.receive(applicant=organisation).applicant_kind == "organisation"


def test_procedure_and_units_must_fit(w, tree):
    offline = make_procedure(
        w.agency, code="1.000002", name="Thủ tục không trực tuyến", online_mode=OnlineMode.NONE
    )
    with raises_code("dossier_receipt_invalid"):
        w.receive(procedure=offline, channel="truc_tuyen")
    with raises_code("dossier_receipt_invalid"):
        w.receive(handling_unit=tree.agency("SCT"))
    with pytest.raises(ServiceError) as exc:
        w.receive(channel="fax")
    assert "channel" in exc.value.message_dict
    untimed = make_procedure(
        w.agency, code="1.000003", name="Chưa có thời hạn", steps=False, processing_time=None
    )
    with raises_code("dossier_receipt_invalid"):
        w.receive(procedure=untimed)


def test_receipt_in_the_future_is_refused(w):
    with pytest.raises(ServiceError) as exc:
        w.receive(at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    assert "received_at" in exc.value.message_dict


@pytest.mark.parametrize("who", ["officer", "leader", "commune_officer", "foreign_coordinator"])
def test_only_the_desk_and_its_coordinators_receive(w, users, who):
    with pytest.raises(PermissionDenied):
        w.receive(actor=getattr(users, who))
    assert not Dossier.objects.exists()


def test_coordinator_of_the_province_may_receive(w, users):
    assert w.receive(actor=users.coordinator).state == State.RECEIVED


def test_a_commune_receives_and_handles_its_commune_level_procedure(w, tree, users):
    commune_level = make_procedure(
        tree.province, code="1.001194", name="Đăng ký kết hôn", level=Level.COMMUNE, fee_amount=0
    )
    commune = tree.communes[0]
    d = services.dossier_receive(
        actor=users.commune_officer,
        procedure=commune_level,
        handling_unit=commune,
        receiving_unit=commune,
        channel="truc_tuyen",
        applicant=APPLICANT,
        received_at=local(2026, 3, 2, 9),
    )
    assert d.code.startswith("W00001-260302-") and not d.fee_due
    other_commune_officer = user_create(
        actor=SYSTEM, username="canbo.xa2", password=None, roles=[(tree.communes[1], Role.OFFICER)]
    )
    with pytest.raises(PermissionDenied):
        services.dossier_handover(actor=other_commune_officer, dossier=d, to_step=2)
