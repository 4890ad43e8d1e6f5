"""The applicant is told of status changes by e-mail and SMS, after the commit only."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.test import override_settings

from cchc.core.actors import CITIZEN
from cchc.dossiers import services
from cchc.dossiers.notify import LoggingSmsBackend, Message, deliver, sms_backend

from .conftest import raises_code
from .test_dossiers_support import APPLICANT, local, make_world

SENT: list[tuple[str, str]] = []


class ListSms:
    def send(self, phone: str, text: str) -> None:
        SENT.append((phone, text))


class BrokenSms:
    def send(self, phone: str, text: str) -> None:
        raise ConnectionError("nhà mạng không trả lời")


@pytest.fixture
def w(tree, users):
    return make_world(tree, users)


def test_receipt_is_notified_after_commit_by_email_and_logged_sms(
    w, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="cchc.dossiers.notify")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        d = w.receive(at=local(2026, 3, 2, 9))
    assert mail.outbox == [] and callbacks  # nothing leaves before the commit
    for callback in callbacks:  # the notification, and other apps' after-commit work (portal)
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [APPLICANT.email] and d.code in message.subject
    assert "Hẹn trả kết quả: 09:00 ngày 09/03/2026" in message.body and message.body.startswith(
        "Kính gửi Nguyễn Văn An"
    )
    assert "09******78" in caplog.text and APPLICANT.phone not in caplog.text
    assert isinstance(sms_backend(), LoggingSmsBackend)


@override_settings(CCHC_SMS_BACKEND="tests.test_dossiers_notify.ListSms")
def test_status_changes_reach_the_configured_sms_backend(w, users, django_capture_on_commit_callbacks):
    SENT.clear()
    with django_capture_on_commit_callbacks(execute=True):
        d = w.receive(at=local(2026, 3, 2, 9))
        services.dossier_handover(
            actor=w.desk_officer, dossier=d, to_step=2, at=local(2026, 3, 2, 10)
        )  # internal
        services.dossier_request_supplement(
            actor=users.officer, dossier=d, missing=["Giấy chứng sinh"], at=local(2026, 3, 3, 9)
        )
        services.dossier_supplement_received(actor=CITIZEN, dossier=d, at=local(2026, 3, 4, 9))
        w.decide(d, granted=True, at=local(2026, 3, 5, 9))
        services.dossier_return(actor=w.desk_officer, dossier=d, method="desk", at=local(2026, 3, 5, 10))
    assert [phone for phone, _ in SENT] == [APPLICANT.phone] * 5
    assert "cần bổ sung" in SENT[1][1] and "đã có kết quả" in SENT[3][1]
    assert len(mail.outbox) == 5


def test_a_refused_operation_notifies_nobody(w, users, django_capture_on_commit_callbacks):
    d = w.receive(at=local(2026, 3, 2, 9))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with raises_code("dossier_wrong_state"):
            services.dossier_return(actor=w.desk_officer, dossier=d, method="desk")
    assert callbacks == []


@override_settings(CCHC_SMS_BACKEND="tests.test_dossiers_notify.BrokenSms")
def test_a_failing_channel_does_not_stop_the_others(caplog):
    deliver(Message(subject="S", text="T", sms="T", email="a@example.vn", phone="0912345678"))
    assert len(mail.outbox) == 1
    assert "Không gửi được thông báo qua SmsNotifier" in caplog.text
