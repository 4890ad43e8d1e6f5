"""The processing desk (issue 14): each step is done by the role it names and by the officer it
was handed to; the result only at the last step, by its performer after the signer's approval;
sending back one step with a reason; the last step closes with the return (staff page and
public lookup); the apology only when it is due; and what the page offers next, in order."""

from __future__ import annotations

import pytest

from cchc.core.actors import SYSTEM
from cchc.core.errors import PermissionDenied
from cchc.dossiers import services
from cchc.dossiers.apology import apology_status
from cchc.dossiers.choices import EventKind, State
from cchc.dossiers.desk import desk_view
from cchc.dossiers.exchange import exchange_record
from cchc.dossiers.lifecycle import dossier_replay
from cchc.dossiers.models import Dossier
from cchc.dossiers.selectors import dossier_get, dossier_public_lookup
from cchc.dossiers.services._common import state_of
from cchc.dossiers.steps import DESK, LEADER, SPECIALIST, holder, performer_of, progress
from cchc.indicators import live
from cchc.indicators.rebuild import rebuild
from cchc.orgs.models import Role
from cchc.orgs.services import user_create

from .conftest import PASSWORD, raises_code
from .test_dossiers_flow import refused
from .test_dossiers_support import APPLICANT, local, make_world


@pytest.fixture
def w(tree, users):
    return make_world(tree, users)


@pytest.fixture
def d(w):
    """Received Monday 2/3/2026 09:00; due Monday 9/3 09:00; B1 (desk, 0.5 day) due 14:30,
    B2 (specialist, 3.5 days), B3 (the agency's leader, 1 day)."""
    return w.receive(at=local(2026, 3, 2, 9, 0))


# --- who does a step ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "words, performer",
    [
        ("Bộ phận một cửa", DESK),
        ("Bộ phận Tiếp nhận và Trả kết quả", DESK),
        ("Trung tâm Phục vụ hành chính công tỉnh", DESK),
        ("Chuyên viên phòng chuyên môn", SPECIALIST),
        ("Công chức tư pháp - hộ tịch", SPECIALIST),
        ("Cơ quan trung ương có thẩm quyền (tại địa phương)", SPECIALIST),
        ("Lãnh đạo phòng chuyên môn", LEADER),
        ("Lãnh đạo cơ quan", LEADER),
        ("Chủ tịch hoặc Phó Chủ tịch UBND cấp xã", LEADER),
        ("Giám đốc Sở", LEADER),
        ("Trưởng phòng Hộ tịch", LEADER),
    ],
)
def test_the_step_words_name_the_performer(words, performer):
    assert performer_of(words) == performer


def test_each_step_is_done_by_the_role_it_names(w, users, d):
    # B1 is the desk's: not the specialist's, not the signer's
    for who in (users.officer, w.signer):
        refused(
            lambda who=who: services.dossier_handover(actor=who, dossier=d, to_step=2),
            d,
            error=PermissionDenied,
        )
    services.dossier_handover(actor=w.desk_officer, dossier=d, to_step=2, at=local(2026, 3, 2, 10))
    assert holder(d).unit == w.agency and holder(d).performer == SPECIALIST
    # B2 is the specialist's: the desk, the province's leader and coordinator-less strangers cannot
    for who in (w.desk_officer, w.signer, users.leader, users.officer_other):
        refused(
            lambda who=who: services.dossier_handover(actor=who, dossier=d, to_step=3),
            d,
            error=PermissionDenied,
        )
    services.dossier_handover(actor=users.officer, dossier=d, to_step=3, at=local(2026, 3, 4, 10))
    # B3 is the agency leader's: the specialist cannot record the result, the signer can
    refused(
        lambda: services.dossier_decide(actor=users.officer, dossier=d, granted=True),
        d,
        error=PermissionDenied,
    )
    services.dossier_decide(actor=w.signer, dossier=d, granted=True, at=local(2026, 3, 5, 9))
    assert d.state == State.RESULT_READY


def test_a_step_handed_to_a_named_officer_is_theirs(w, users, d):
    colleague = user_create(
        actor=SYSTEM, username="canbo2.tuphap", password=PASSWORD, roles=[(w.agency, Role.OFFICER)]
    )
    h = services.dossier_handover(
        actor=w.desk_officer, dossier=d, to_step=2, to_user=users.officer, at=local(2026, 3, 2, 10)
    )
    assert h.to_user == users.officer and holder(d).user == users.officer
    assert d.events.get(kind=EventKind.HANDED_OVER).data["to_user"] == users.officer.pk
    refused(
        lambda: services.dossier_handover(actor=colleague, dossier=d, to_step=3), d, error=PermissionDenied
    )
    # the next step asks for a leader of the agency: neither a specialist nor the province's leader
    refused(
        lambda: services.dossier_handover(actor=users.officer, dossier=d, to_step=3, to_user=colleague),
        d,
        "user_not_in_role",
    )
    refused(
        lambda: services.dossier_handover(actor=users.officer, dossier=d, to_step=3, to_user=users.leader),
        d,
        "user_not_in_role",
    )
    services.dossier_handover(
        actor=users.officer, dossier=d, to_step=3, to_user=w.signer, at=local(2026, 3, 4, 10)
    )
    assert holder(d).user == w.signer and holder(d).performer == LEADER


def test_the_result_only_at_the_last_step(w, users, d):
    refused(
        lambda: services.dossier_decide(actor=w.desk_officer, dossier=d, granted=True),
        d,
        "result_before_last_step",
    )
    services.dossier_handover(actor=w.desk_officer, dossier=d, to_step=2, at=local(2026, 3, 2, 10))
    with raises_code("result_before_last_step") as exc:
        services.dossier_decide(actor=users.officer, dossier=d, granted=True)
    assert "bước cuối B3 (Phê duyệt kết quả), sau khi lãnh đạo phê duyệt" in exc.value.messages[0]
    services.dossier_handover(actor=users.officer, dossier=d, to_step=3, at=local(2026, 3, 4, 10))
    services.dossier_decide(actor=w.signer, dossier=d, granted=False, reason="Không đủ điều kiện")
    assert d.state == State.RESULT_READY and d.current_step == 3


# --- sending back ------------------------------------------------------------------------------------


def test_send_back_one_step_with_a_reason_to_who_held_it(w, users, d):
    services.dossier_handover(
        actor=w.desk_officer, dossier=d, to_step=2, to_user=users.officer, at=local(2026, 3, 2, 10)
    )
    services.dossier_handover(actor=users.officer, dossier=d, to_step=3, at=local(2026, 3, 4, 10))
    refused(lambda: services.dossier_send_back(actor=w.signer, dossier=d, reason="  "), d, "text_required")
    refused(
        lambda: services.dossier_send_back(actor=users.officer, dossier=d, reason="X"),
        d,
        error=PermissionDenied,  # B3 is the signer's
    )
    back = services.dossier_send_back(
        actor=w.signer, dossier=d, reason="Dự thảo thiếu căn cứ pháp lý", at=local(2026, 3, 4, 14)
    )
    assert (back.from_step, back.to_step, back.to_user, back.from_user) == (3, 2, users.officer, w.signer)
    assert back.note == "Trả lại: Dự thảo thiếu căn cứ pháp lý"
    assert d.current_step == 2 and d.state == State.IN_PROGRESS and holder(d).user == users.officer
    assert d.step_due_at == local(2026, 3, 10, 8, 30)  # B2 restarts with its 3.5 working days
    event = d.events.filter(kind=EventKind.HANDED_OVER).last()
    assert event.data["back"] is True and event.data["reason"] == "Dự thảo thiếu căn cứ pháp lý"
    assert dossier_replay(d.events.order_by("sequence")) == state_of(Dossier.objects.get(pk=d.pk))
    # the process view: B3 pending again, B2 current, B1 done when it was last handed on
    fresh = dossier_get(user=w.signer, code=d.code)
    assert [s.status for s in progress(fresh)] == ["done", "current", "pending"]
    # the specialist may send it back to the desk, and the desk not further
    services.dossier_send_back(
        actor=users.officer, dossier=d, reason="Thiếu bản sao", at=local(2026, 3, 5, 9)
    )
    assert d.current_step == 1 and holder(d).unit == w.desk
    refused(
        lambda: services.dossier_send_back(actor=w.desk_officer, dossier=d, reason="X"),
        d,
        "send_back_from_first_step",
    )


def test_send_back_is_refused_after_the_result_and_when_stopped(w, users, d):
    w.decide(d, at=local(2026, 3, 4, 9))
    refused(
        lambda: services.dossier_send_back(actor=w.signer, dossier=d, reason="X"), d, "send_back_after_result"
    )
    other = w.receive(at=local(2026, 3, 2, 9, 5))
    services.dossier_stop(
        actor=w.desk_officer, dossier=other, reason="Người nộp đề nghị", at=local(2026, 3, 3, 9)
    )
    refused(
        lambda: services.dossier_send_back(actor=w.desk_officer, dossier=other, reason="X"),
        other,
        "dossier_wrong_state",
    )


def test_sending_back_changes_no_export_and_no_indicator(w, users, tree, d):
    """Hand-overs are internal: the exchange row and the live totals do not move."""
    services.dossier_handover(actor=w.desk_officer, dossier=d, to_step=2, at=local(2026, 3, 2, 10))
    services.dossier_handover(actor=users.officer, dossier=d, to_step=3, at=local(2026, 3, 4, 10))
    row = exchange_record(Dossier.objects.get(pk=d.pk))
    figures = {k: v.as_csv() for k, v in live.unit_values(tree.province, "2026").items()}
    services.dossier_send_back(actor=w.signer, dossier=d, reason="Xem lại", at=local(2026, 3, 4, 11))
    assert exchange_record(Dossier.objects.get(pk=d.pk)) == row
    assert {k: v.as_csv() for k, v in live.unit_values(tree.province, "2026").items()} == figures
    services.dossier_handover(actor=users.officer, dossier=d, to_step=3, at=local(2026, 3, 5, 9))
    services.dossier_decide(actor=w.signer, dossier=d, granted=True, at=local(2026, 3, 5, 10))
    assert live.unit_values(tree.province, "2026")["da_giai_quyet"].value == 1
    assert rebuild(check=True).differences == []


# --- the last step closes with the return ------------------------------------------------------------


def test_the_last_step_closes_when_the_result_is_returned(w, users, d):
    w.decide(d, at=local(2026, 3, 4, 9))
    public = dossier_public_lookup(code=d.code, phone_last_digits=APPLICANT.phone[-4:])
    assert [s.status for s in public.steps] == ["done", "done", "current"]  # result ready, not handed back
    services.dossier_return(actor=w.desk_officer, dossier=d, method="desk", at=local(2026, 3, 4, 15))
    public = dossier_public_lookup(code=d.code, phone_last_digits=APPLICANT.phone[-4:])
    assert [s.status for s in public.steps] == ["done", "done", "done"]
    last = public.steps[-1]
    assert last.finished_at == local(2026, 3, 4, 15) and last.on_time is True
    stopped = w.receive(at=local(2026, 3, 2, 9, 5))
    services.dossier_stop(
        actor=w.desk_officer, dossier=stopped, reason="Theo đề nghị", at=local(2026, 3, 3, 9)
    )
    public = dossier_public_lookup(code=stopped.code, phone_last_digits=APPLICANT.phone[-4:])
    assert [s.status for s in public.steps] == ["stopped", "pending", "pending"]


# --- the apology only when it is due -------------------------------------------------------------------


def test_no_apology_on_the_day_of_receipt(w, users, d):
    status = apology_status(d, local(2026, 3, 2, 9, 30))
    assert not status.due and "đúng tiến độ" in status.why
    refused(
        lambda: services.dossier_apologise(
            actor=users.officer,
            dossier=d,
            new_due_at=local(2026, 3, 13, 17),
            reason="Chờ xác minh",
            at=local(2026, 3, 2, 9, 30),
        ),
        d,
        "apology_not_due",
    )


def test_apology_due_when_a_step_is_late(w, users, d):
    status = apology_status(d, local(2026, 3, 3, 9))  # B1 was due 2/3 14:30
    assert status.due and "B1 đã quá hạn" in status.why and status.deadline == local(2026, 3, 6, 9)


def test_apology_due_when_the_remaining_steps_cannot_finish_in_time(w, users, d):
    services.dossier_handover(actor=w.desk_officer, dossier=d, to_step=2, at=local(2026, 3, 4, 9))
    # B2 (3.5 days from Wednesday 09:00) then B3 (1 day) end after Monday 9/3 09:00
    status = apology_status(d, local(2026, 3, 4, 10))
    assert status.due and "các bước còn lại" in status.why
    services.dossier_apologise(
        actor=users.officer,
        dossier=d,
        new_due_at=local(2026, 3, 13, 17),
        reason="Bước tiếp nhận bị chậm",
        at=local(2026, 3, 4, 10),
    )
    assert d.apologised and not apology_status(d, local(2026, 3, 4, 11)).due


def test_apology_due_on_the_last_working_day_before_its_deadline(w, users, d):
    services.dossier_handover(actor=w.desk_officer, dossier=d, to_step=2, at=local(2026, 3, 2, 11))
    assert not apology_status(d, local(2026, 3, 4, 10)).due  # on schedule, two days to the deadline
    status = apology_status(d, local(2026, 3, 5, 10))  # the deadline is Friday 6/3 09:00
    assert status.due and "không quá 01 ngày làm việc" in status.why
    assert not apology_status(d, local(2026, 3, 6, 9, 1)).due  # too late: the service refuses too


def test_no_apology_while_paused(w, users, d):
    services.dossier_request_supplement(
        actor=w.desk_officer, dossier=d, missing=["Tờ khai"], at=local(2026, 3, 3, 9)
    )
    assert not apology_status(d, local(2026, 3, 3, 10)).due


# --- what the page offers next -----------------------------------------------------------------------


def _next(w, user, d, now):
    return desk_view(dossier_get(user=user, code=d.code), user, now)


def test_next_actions_follow_the_work_in_order(w, users, d):
    at_receipt = _next(w, w.desk_officer, d, local(2026, 3, 2, 9, 30))
    assert at_receipt.main == ["ban-giao", "yeu-cau-bo-sung", "thu-phi"] and at_receipt.yours
    assert "xin-loi" not in at_receipt.main + at_receipt.more and "ket-qua" not in at_receipt.main
    assert _next(w, users.officer, d, local(2026, 3, 2, 9, 30)).main == []  # B1 is not theirs
    w.to_last_step(d, at=local(2026, 3, 4, 9))
    signer = _next(w, w.signer, d, local(2026, 3, 4, 9, 30))
    assert signer.main == ["ket-qua", "tra-lai"] and signer.more == []
    assert signer.holder_label == "Lãnh đạo cơ quan — Sở Tư pháp"
    desk = _next(w, w.desk_officer, d, local(2026, 3, 4, 9, 30))
    assert desk.main == ["thu-phi"] and not desk.yours
    services.dossier_decide(actor=w.signer, dossier=d, granted=True, at=local(2026, 3, 4, 10))
    after = _next(w, w.desk_officer, d, local(2026, 3, 4, 10, 30))
    assert after.main == ["thu-phi", "dinh-kem", "tra-ket-qua"]
    services.dossier_return(actor=w.desk_officer, dossier=d, method="desk", at=local(2026, 3, 4, 11))
    done = _next(w, w.desk_officer, d, local(2026, 3, 4, 11, 30))
    assert done.main == ["thu-phi"] and "dinh-kem" in done.more  # the fee is still unpaid
