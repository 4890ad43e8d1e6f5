"""Feedback (PAKN): deadlines in working days from the unit's policy, the state machine, late
marks, permissions and the sender's notifications."""

from __future__ import annotations

import pytest
from django.core import mail

from cchc.core.actors import CITIZEN
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.dossiers import services
from cchc.dossiers.models import Feedback, FeedbackState
from cchc.dossiers.selectors import feedback_get, feedback_list
from cchc.dossiers.services import Sender

from .conftest import raises_code
from .test_dossiers_support import local, make_world

SENDER = Sender(name="Phạm Thị Cúc", phone="0987654321", email="cuc@example.vn", address="Xã Lộc Ninh")


@pytest.fixture
def w(tree, users):
    return make_world(tree, users)


@pytest.fixture
def fb(w):
    """About the procedure, from the public site, Monday 2/3/2026 09:00."""
    return services.feedback_receive(
        actor=CITIZEN,
        content="Thủ tục yêu cầu bản sao không cần thiết.",
        sender=SENDER,
        procedure=w.procedure,
        received_at=local(2026, 3, 2, 9),
    )


def test_deadlines_are_counted_in_working_days(w, fb):
    assert fb.unit == w.agency and fb.state == FeedbackState.RECEIVED
    assert fb.code.startswith("PAKN-P75.STP-260302-")
    assert fb.refuse_due_at == local(2026, 3, 4, 9)
    assert fb.info_due_at == local(2026, 3, 9, 9)
    assert fb.handle_due_at == local(2026, 3, 23, 9)
    assert fb.on_time is None  # still open


def test_information_request_moves_the_handling_deadline_then_answer_and_publish(w, users, fb):
    services.feedback_request_info(
        actor=users.officer, feedback=fb, request="Nêu rõ giấy tờ nào.", at=local(2026, 3, 3, 9)
    )
    assert fb.state == FeedbackState.INFO_REQUESTED and not fb.late
    with raises_code("feedback_wrong_state"):
        services.feedback_answer(actor=users.officer, feedback=fb, answer="X")
    services.feedback_info_received(
        actor=CITIZEN, feedback=fb, content="Bản sao giấy khai sinh của cha mẹ.", at=local(2026, 3, 5, 9)
    )
    assert fb.handle_due_at == local(2026, 3, 25, 9)  # 16 working hours waited
    with raises_code("feedback_info_already_requested"):
        services.feedback_request_info(actor=users.officer, feedback=fb, request="Lần hai")
    services.feedback_answer(
        actor=users.officer, feedback=fb, answer="Đã bỏ yêu cầu bản sao.", at=local(2026, 3, 24, 10)
    )
    assert fb.state == FeedbackState.ANSWERED and fb.publish_due_at == local(2026, 3, 26, 10) and not fb.late
    services.feedback_publish(actor=users.officer, feedback=fb, at=local(2026, 3, 27, 9))
    assert fb.state == FeedbackState.PUBLISHED and fb.late and fb.on_time is False
    assert list(fb.events.values_list("kind", flat=True)) == [
        "received",
        "info_requested",
        "info_received",
        "answered",
        "published",
    ]
    with raises_code("feedback_wrong_state"):
        services.feedback_publish(actor=users.officer, feedback=fb)


def test_refusal_within_two_working_days(users, fb):
    services.feedback_refuse(
        actor=users.officer, feedback=fb, reason="Không thuộc thẩm quyền.", at=local(2026, 3, 4, 9)
    )
    assert fb.state == FeedbackState.REFUSED and fb.on_time is True
    with raises_code("feedback_wrong_state"):
        services.feedback_answer(actor=users.officer, feedback=fb, answer="X")


def test_a_late_refusal_is_allowed_but_marked(users, fb):
    services.feedback_refuse(
        actor=users.officer, feedback=fb, reason="Trùng nội dung.", at=local(2026, 3, 4, 9, 1)
    )
    assert fb.on_time is False


def test_sender_and_content_are_checked(w):
    with pytest.raises(ServiceError) as exc:
        services.feedback_receive(actor=CITIZEN, content=" ", sender=Sender(name=""), procedure=w.procedure)
    assert set(exc.value.message_dict) == {"content", "sender_name", "sender_phone"}
    with raises_code("feedback_unit_required"):
        services.feedback_receive(actor=CITIZEN, content="X", sender=SENDER)
    assert not Feedback.objects.exists()


def test_only_the_unit_handles_its_feedback_and_readers_are_scoped(w, users, fb):
    for actor in (users.officer_other, users.leader, None):
        with pytest.raises(PermissionDenied):
            services.feedback_answer(actor=actor, feedback=fb, answer="X")
    with pytest.raises(PermissionDenied):
        services.feedback_receive(actor=users.officer_other, content="X", sender=SENDER, unit=w.agency)
    assert list(feedback_list(user=users.officer)) == [fb]
    assert list(feedback_list(user=users.leader)) == [fb]
    assert list(feedback_list(user=users.officer_other)) == []
    assert feedback_get(user=users.officer, pk=fb.pk).can_handle
    assert not feedback_get(user=users.leader, pk=fb.pk).can_handle
    with pytest.raises(PermissionDenied):
        feedback_get(user=users.foreign_coordinator, pk=fb.pk)


def test_feedback_about_a_dossier_goes_to_its_handling_unit_and_the_sender_is_told(
    w, users, django_capture_on_commit_callbacks
):
    d = w.receive(at=local(2026, 3, 2, 9))
    with django_capture_on_commit_callbacks(execute=True):
        fb = services.feedback_receive(
            actor=CITIZEN, content="Hồ sơ chậm.", sender=SENDER, dossier=d, received_at=local(2026, 3, 3, 9)
        )
    assert fb.unit == w.agency and fb.procedure == w.procedure and fb.dossier == d
    assert mail.outbox[-1].to == ["cuc@example.vn"] and fb.code in mail.outbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_answer(
            actor=users.officer, feedback=fb, answer="Đã trả kết quả.", at=local(2026, 3, 4, 9)
        )
    assert "Đã trả kết quả." in mail.outbox[-1].body


def test_the_sender_rates_the_handling_once_after_it_is_closed(w, users, fb):
    from cchc.core.models import AuditEntry

    with raises_code("feedback_wrong_state"):
        services.feedback_rate(actor=CITIZEN, feedback=fb, rating="hai_long")
    services.feedback_answer(actor=users.officer, feedback=fb, answer="Đã sửa.", at=local(2026, 3, 10, 9))
    with raises_code("feedback_wrong_state"):
        services.feedback_rate(actor=CITIZEN, feedback=fb, rating="hai_long")
    services.feedback_publish(actor=users.officer, feedback=fb, at=local(2026, 3, 10, 10))
    with pytest.raises(ServiceError) as exc:
        services.feedback_rate(actor=CITIZEN, feedback=fb, rating="tuyet_voi", at=local(2026, 3, 11, 9))
    assert exc.value.message_dict == {"rating": ["Chọn một mức độ hài lòng."]}
    services.feedback_rate(actor=CITIZEN, feedback=fb, rating="khong_hai_long", at=local(2026, 3, 11, 9))
    fb.refresh_from_db()
    assert fb.sender_rating == "khong_hai_long"
    assert fb.events.order_by("-sequence").first().kind == "rated"
    assert AuditEntry.objects.filter(action="feedback.rated", object_id=str(fb.pk)).exists()
    with raises_code("feedback_already_rated"):
        services.feedback_rate(actor=CITIZEN, feedback=fb, rating="hai_long")
    fb.refresh_from_db()
    assert fb.sender_rating == "khong_hai_long"


def test_an_officer_of_another_unit_cannot_record_a_rating(w, users, fb):
    services.feedback_refuse(actor=users.officer, feedback=fb, reason="Trùng.", at=local(2026, 3, 3, 9))
    with pytest.raises(PermissionDenied):
        services.feedback_rate(actor=users.commune_officer, feedback=fb, rating="hai_long")
    services.feedback_rate(actor=users.officer, feedback=fb, rating="binh_thuong")  # told by phone
    assert Feedback.objects.get(pk=fb.pk).sender_rating == "binh_thuong"
