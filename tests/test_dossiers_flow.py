"""Routing, supplements and pauses, the apology, the result, its return, stop and withdrawal —
each transition and each refusal, and that a refusal leaves no trace."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.core.actors import CITIZEN
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.dossiers import services
from cchc.dossiers.choices import EventKind, Result, State
from cchc.dossiers.deadlines import dossier_due_explained
from cchc.dossiers.models import Handover

from .test_dossiers_support import local, make_world, pdf, trace


@pytest.fixture
def w(tree, users):
    return make_world(tree, users)


@pytest.fixture
def d(w):
    """Received Monday 2/3/2026 09:00 at the centre; due Monday 9/3 09:00; B1 due 14:30."""
    return w.receive(at=local(2026, 3, 2, 9, 0))


def refused(call, dossier, code=None, error=ServiceError):
    """The call is refused (by the rule `code`, for a ServiceError) and changes nothing."""
    before = trace(dossier)
    with pytest.raises(error) as excinfo:
        call()
    if code is not None:
        assert excinfo.value.code == code, f"refused with {excinfo.value.code!r}: {excinfo.value.messages}"
    assert trace(dossier) == before


# --- routing -------------------------------------------------------------------------------------


def test_handover_moves_step_by_step_with_due_times_and_the_control_slip(w, users, d):
    h1 = services.dossier_handover(
        actor=w.desk_officer, dossier=d, to_step=2, at=local(2026, 3, 2, 11), note="Đủ hồ sơ"
    )
    assert d.state == State.IN_PROGRESS and d.current_step == 2 and d.current_unit == w.agency
    assert (h1.from_step, h1.to_step, h1.from_unit, h1.to_unit, h1.from_user) == (
        1,
        2,
        w.desk,
        w.agency,
        w.desk_officer,
    )
    assert h1.on_time and h1.step_due_at == local(2026, 3, 2, 14, 30)
    assert h1.to_step_due_at == d.step_due_at == local(2026, 3, 5, 16, 30)  # 3.5 days from 11:00
    h2 = services.dossier_handover(
        actor=users.officer,
        dossier=d,
        to_step=w.procedure.steps.get(position=3),
        to_user=w.signer,
        at=local(2026, 3, 6, 10),
    )
    assert not h2.on_time and h2.to_user == w.signer  # B2 was due Thursday 16:30
    assert d.step_due_at == local(2026, 3, 9, 10, 0)
    assert list(d.handovers.values_list("to_step", flat=True)) == [2, 3]
    assert [e.kind for e in d.events.all()][-2:] == [EventKind.HANDED_OVER, EventKind.STEP_STARTED]


def test_handover_refuses_skipping_going_back_and_strangers(w, users, tree, d):
    refused(lambda: services.dossier_handover(actor=w.desk_officer, dossier=d, to_step=3), d, "step_skipped")
    refused(
        lambda: services.dossier_handover(actor=w.desk_officer, dossier=d, to_step=1), d, "step_is_current"
    )
    refused(
        lambda: services.dossier_handover(actor=w.desk_officer, dossier=d, to_step=9), d, "step_out_of_range"
    )
    refused(
        lambda: services.dossier_handover(
            actor=w.desk_officer, dossier=d, to_step=2, to_unit=tree.agency("SCT")
        ),
        d,
        "receiver_out_of_scope",
    )
    refused(
        lambda: services.dossier_handover(
            actor=w.desk_officer, dossier=d, to_step=2, to_user=users.officer_other
        ),
        d,
        "user_not_in_unit",
    )
    refused(
        lambda: services.dossier_handover(actor=users.leader, dossier=d, to_step=2), d, error=PermissionDenied
    )
    refused(
        lambda: services.dossier_handover(actor=users.officer_other, dossier=d, to_step=2),
        d,
        error=PermissionDenied,
    )
    services.dossier_handover(actor=w.desk_officer, dossier=d, to_step=2, at=local(2026, 3, 2, 11))
    refused(lambda: services.dossier_handover(actor=users.officer, dossier=d, to_step=1), d, "step_backwards")


def test_events_cannot_be_backdated_before_the_last_one(w, d):
    refused(
        lambda: services.dossier_handover(
            actor=w.desk_officer, dossier=d, to_step=2, at=local(2026, 3, 2, 8)
        ),
        d,
        "moment_before_last_event",
    )


# --- supplements: the clock pauses -----------------------------------------------------------------


def test_supplement_pauses_the_clock_and_moves_due_times_by_the_paused_working_time(w, users, d):
    services.dossier_handover(actor=w.desk_officer, dossier=d, to_step=2, at=local(2026, 3, 2, 11))
    services.dossier_request_supplement(
        actor=users.officer,
        dossier=d,
        missing=["Bản sao giấy tờ tùy thân của người đi đăng ký"],
        at=local(2026, 3, 3, 10),
    )
    assert (
        d.state == State.WAITING_SUPPLEMENT
        and d.paused_since == local(2026, 3, 3, 10)
        and d.supplement_count == 1
    )
    refused(
        lambda: services.dossier_request_supplement(actor=users.officer, dossier=d, missing=["X"]),
        d,
        "dossier_wrong_state",
    )
    refused(
        lambda: services.dossier_decide(actor=users.officer, dossier=d, granted=True),
        d,
        "dossier_wrong_state",
    )
    services.dossier_supplement_received(
        actor=CITIZEN, dossier=d, at=local(2026, 3, 5, 14)
    )  # online, by the applicant
    # Tue 10:00 → Thu 14:00 is 18.5 working hours; the appointment on the receipt does not move
    assert d.paused_hours == Decimal("18.5") and d.paused_elapsed_hours == Decimal(52)
    assert d.due_at == local(2026, 3, 9, 9) and d.current_due_at == local(2026, 3, 11, 11, 30)
    assert d.step_due_at == local(2026, 3, 10, 9, 30)  # B2 was due Thursday 16:30
    assert d.state == State.IN_PROGRESS and d.paused_since is None
    assert dossier_due_explained(d).due == d.current_due_at
    refused(lambda: services.dossier_supplement_received(actor=CITIZEN, dossier=d), d, "dossier_wrong_state")
    # a second request is allowed and counted (it makes the dossier late in the 766 index)
    services.dossier_request_supplement(
        actor=users.officer, dossier=d, missing=["Giấy chứng sinh"], at=local(2026, 3, 6, 9)
    )
    assert d.supplement_count == 2


def test_a_pause_over_a_weekend_adds_only_working_time(w, users, d):
    services.dossier_request_supplement(
        actor=users.officer, dossier=d, missing=["Tờ khai"], at=local(2026, 3, 6, 16)
    )
    services.dossier_supplement_received(actor=w.desk_officer, dossier=d, at=local(2026, 3, 9, 8, 30))
    assert d.paused_hours == Decimal(2)  # Friday 16–17, Monday 07:30–08:30
    assert d.current_due_at == local(2026, 3, 9, 11, 0)


def test_a_pause_after_the_due_time_adds_nothing(w, users, d):
    services.dossier_request_supplement(
        actor=users.officer, dossier=d, missing=["Tờ khai"], at=local(2026, 3, 10, 9)
    )
    services.dossier_supplement_received(actor=CITIZEN, dossier=d, at=local(2026, 3, 12, 9))
    assert d.current_due_at == local(2026, 3, 9, 9) and d.paused_hours == 0 and d.paused_elapsed_hours == 0


def test_supplement_needs_a_list_and_is_refused_after_the_result(w, users, d):
    refused(
        lambda: services.dossier_request_supplement(actor=users.officer, dossier=d, missing=[" "]),
        d,
        "supplement_items_required",
    )
    w.decide(d, at=local(2026, 3, 4, 9))
    refused(
        lambda: services.dossier_request_supplement(actor=users.officer, dossier=d, missing=["Tờ khai"]),
        d,
        "dossier_wrong_state",
    )


# --- apology -----------------------------------------------------------------------------------------


def test_apology_once_and_no_later_than_one_working_day_before_the_due_time(w, users, d):
    new_due = local(2026, 3, 13, 17)
    refused(
        lambda: services.dossier_apologise(
            actor=users.officer,
            dossier=d,
            new_due_at=new_due,
            reason="Chờ xác minh",
            at=local(2026, 3, 6, 9, 1),
        ),
        d,
        "apology_too_late",
    )
    refused(
        lambda: services.dossier_apologise(
            actor=w.desk_officer,
            dossier=d,
            new_due_at=new_due,
            reason="Chờ xác minh",
            at=local(2026, 3, 5, 9),
        ),
        d,
        error=PermissionDenied,  # the competent agency apologises, not the desk
    )
    refused(
        lambda: services.dossier_apologise(
            actor=users.officer,
            dossier=d,
            new_due_at=local(2026, 3, 9, 9),
            reason="X",
            at=local(2026, 3, 5, 9),
        ),
        d,
        "new_due_not_later",
    )
    refused(
        lambda: services.dossier_apologise(
            actor=users.officer, dossier=d, new_due_at=new_due, reason=" ", at=local(2026, 3, 5, 9)
        ),
        d,
        "text_required",
    )
    services.dossier_apologise(
        actor=users.officer,
        dossier=d,
        new_due_at=new_due,
        reason="Cần xác minh thông tin hộ tịch",
        at=local(2026, 3, 6, 9),
    )
    assert d.apologised and d.new_due_at == new_due == d.current_due_at and d.due_at == local(2026, 3, 9, 9)
    refused(
        lambda: services.dossier_apologise(
            actor=users.officer,
            dossier=d,
            new_due_at=local(2026, 3, 20, 17),
            reason="Lần hai",
            at=local(2026, 3, 9, 8),
        ),
        d,
        "apology_already_sent",
    )
    # a pause after the apology moves the new date; the explanation agrees with the stored date
    services.dossier_request_supplement(
        actor=users.officer, dossier=d, missing=["Tờ khai"], at=local(2026, 3, 10, 9)
    )
    services.dossier_supplement_received(actor=CITIZEN, dossier=d, at=local(2026, 3, 10, 11))
    assert d.current_due_at == local(2026, 3, 16, 9, 30) == dossier_due_explained(d).due


def test_apology_is_refused_while_paused(w, users, d):
    services.dossier_request_supplement(
        actor=users.officer, dossier=d, missing=["Tờ khai"], at=local(2026, 3, 3, 9)
    )
    refused(
        lambda: services.dossier_apologise(
            actor=users.officer,
            dossier=d,
            new_due_at=local(2026, 3, 20, 17),
            reason="X",
            at=local(2026, 3, 3, 10),
        ),
        d,
        "dossier_wrong_state",
    )


# --- result and return ------------------------------------------------------------------------------


def test_result_granted_with_an_electronic_file_then_returned_online(w, users, d):
    refused(
        lambda: services.dossier_return(actor=w.desk_officer, dossier=d, method="desk"),
        d,
        "dossier_wrong_state",
    )
    w.decide(d, result_file=pdf(), at=local(2026, 3, 6, 10))
    assert (
        d.state == State.RESULT_READY
        and d.result == Result.GRANTED
        and d.finished_at == local(2026, 3, 6, 10)
    )
    assert d.electronic_result and d.result_file_name == "ket-qua.pdf" and len(d.result_file_sha256) == 64
    assert "ket-qua" not in d.result_file.name  # stored under a random name
    assert [e.kind for e in d.events.all()][-2:] == [EventKind.RESULT_GRANTED, EventKind.RESULT_FILE_ATTACHED]
    refused(
        lambda: services.dossier_decide(actor=w.signer, dossier=d, granted=False, reason="X"),
        d,
        "dossier_wrong_state",
    )
    refused(
        lambda: services.dossier_return(actor=w.desk_officer, dossier=d, method="fax"),
        d,
        "return_method_invalid",
    )
    services.dossier_return(actor=w.desk_officer, dossier=d, method="online", at=local(2026, 3, 6, 11))
    assert (
        d.state == State.RETURNED and d.returned_at == local(2026, 3, 6, 11) and d.return_method == "online"
    )
    refused(
        lambda: services.dossier_return(actor=w.desk_officer, dossier=d, method="desk"),
        d,
        "dossier_wrong_state",
    )


def test_refusal_needs_a_reason_and_online_return_needs_the_electronic_result(w, users, d):
    w.to_last_step(d, at=local(2026, 3, 4, 9))
    refused(
        lambda: services.dossier_decide(actor=w.signer, dossier=d, granted=False),
        d,
        "refusal_reason_required",
    )
    services.dossier_decide(
        actor=w.signer, dossier=d, granted=False, reason="Không đủ điều kiện", at=local(2026, 3, 4, 9)
    )
    assert d.result == Result.REFUSED and not d.electronic_result
    refused(
        lambda: services.dossier_return(actor=w.desk_officer, dossier=d, method="online"),
        d,
        "online_return_without_file",
    )
    services.dossier_attach_result_file(
        actor=w.desk_officer, dossier=d, result_file=pdf("van-ban.pdf"), at=local(2026, 3, 4, 10)
    )
    assert d.electronic_result
    refused(
        lambda: services.dossier_attach_result_file(actor=w.desk_officer, dossier=d, result_file=pdf()),
        d,
        "result_file_exists",
    )
    services.dossier_return(actor=w.desk_officer, dossier=d, method="post", at=local(2026, 3, 4, 11))


def test_a_bad_result_file_is_refused_and_leaves_nothing(w, users, d):
    w.to_last_step(d, at=local(2026, 3, 4, 9))
    fake = SimpleUploadedFile("ket-qua.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused(
        lambda: services.dossier_decide(actor=w.signer, dossier=d, granted=True, result_file=fake),
        d,
        "result_file_refused",
    )
    exe = SimpleUploadedFile("ket-qua.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ServiceError) as exc:
        services.dossier_decide(actor=w.signer, dossier=d, granted=True, result_file=exe)
    assert "result_file" in exc.value.message_dict


@pytest.mark.parametrize(
    "who", ["desk_officer", "officer", "leader", "coordinator", "officer_other", "commune_officer"]
)
def test_only_the_signer_of_the_last_step_decides(w, users, d, who):
    """B3 "Phê duyệt kết quả" is the agency leader's: not the desk, the specialist, the province's
    leader or coordinator, nor strangers."""
    w.to_last_step(d, at=local(2026, 3, 3, 9))
    actor = w.desk_officer if who == "desk_officer" else getattr(users, who)
    refused(lambda: services.dossier_decide(actor=actor, dossier=d, granted=True), d, error=PermissionDenied)
    services.dossier_decide(actor=w.signer, dossier=d, granted=True, at=local(2026, 3, 3, 9))
    assert d.result == Result.GRANTED


# --- stop and withdrawal -------------------------------------------------------------------------------


def test_stop_on_request_closes_the_pause_and_freezes_the_dossier(w, users, d):
    services.dossier_request_supplement(
        actor=users.officer, dossier=d, missing=["Tờ khai"], at=local(2026, 3, 3, 9)
    )
    refused(lambda: services.dossier_stop(actor=w.desk_officer, dossier=d, reason=""), d, "text_required")
    services.dossier_stop(
        actor=w.desk_officer,
        dossier=d,
        reason="Người nộp đề nghị dừng để bổ sung sau.",
        requested_at=local(2026, 3, 4, 8),
        at=local(2026, 3, 4, 9),
    )
    assert d.state == State.STOPPED and d.result == Result.STOPPED and d.finished_at == local(2026, 3, 4, 9)
    assert d.paused_since is None and d.paused_hours == Decimal("8") and d.paused_elapsed_hours == Decimal(24)
    kinds = [e.kind for e in d.events.all()]
    assert kinds[-2:] == [EventKind.STOP_REQUESTED, EventKind.STOPPED]
    assert d.events.get(kind=EventKind.STOP_REQUESTED).at == local(2026, 3, 4, 8)
    for call in (
        lambda: services.dossier_handover(actor=w.desk_officer, dossier=d, to_step=2),
        lambda: services.dossier_supplement_received(actor=CITIZEN, dossier=d),
        lambda: services.dossier_request_supplement(actor=users.officer, dossier=d, missing=["X"]),
        lambda: services.dossier_decide(actor=users.officer, dossier=d, granted=True),
        lambda: services.dossier_apologise(
            actor=users.officer, dossier=d, new_due_at=local(2026, 3, 20, 17), reason="X"
        ),
        lambda: services.dossier_return(actor=w.desk_officer, dossier=d, method="desk"),
        lambda: services.dossier_stop(actor=w.desk_officer, dossier=d, reason="lần hai"),
        lambda: services.dossier_withdraw(actor=CITIZEN, dossier=d),
        lambda: services.dossier_rate(dossier=d, rating="hai_long"),
        lambda: services.dossier_mark_digitised(actor=w.desk_officer, dossier=d),
        lambda: services.payment_start(actor=CITIZEN, dossier=d),
    ):
        refused(call, d, "dossier_wrong_state")


def test_applicant_withdraws_online_even_before_acceptance(w, d):
    services.dossier_withdraw(actor=CITIZEN, dossier=d, reason="Không còn nhu cầu", at=local(2026, 3, 3, 9))
    assert (
        d.state == State.WITHDRAWN and d.result == Result.WITHDRAWN and d.finished_at == local(2026, 3, 3, 9)
    )
    pending = w.receive(at=local(2026, 3, 3, 9), complete=False, missing=["Giấy chứng sinh"])
    services.dossier_withdraw(actor=w.desk_officer, dossier=pending, at=local(2026, 3, 3, 10))
    assert pending.state == State.WITHDRAWN and pending.received_at is None
    refused(
        lambda: services.dossier_accept(actor=w.desk_officer, dossier=pending), pending, "dossier_wrong_state"
    )


def test_officer_of_another_unit_cannot_touch_the_dossier(w, users, d):
    other = users.officer_other
    for call in (
        lambda: services.dossier_request_supplement(actor=other, dossier=d, missing=["X"]),
        lambda: services.dossier_stop(actor=other, dossier=d, reason="X"),
        lambda: services.dossier_withdraw(actor=other, dossier=d),
        lambda: services.dossier_mark_digitised(actor=other, dossier=d),
    ):
        refused(call, d, error=PermissionDenied)
    refused(
        lambda: services.dossier_request_supplement(actor=CITIZEN, dossier=d, missing=["X"]),
        d,
        error=PermissionDenied,
    )


def test_handovers_are_only_written_by_the_service(w, d):
    assert not Handover.objects.exists()
    assert dt.timedelta(0) < d.step_due_at - d.received_at
