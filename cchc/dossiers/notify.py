"""Notifying applicants and feedback senders: e-mail through Django's mail backends, SMS through
a pluggable backend (setting `CCHC_SMS_BACKEND`, a dotted path; default `LoggingSmsBackend`,
which only writes a log line with the number masked).

Services call `notify_on_commit(message)`: nothing is sent for a transaction that rolls back,
and a failing channel after the commit is logged, never raised into the request.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.module_loading import import_string

from .personal import mask_phone

log = logging.getLogger("cchc.dossiers.notify")

DEFAULT_SMS_BACKEND = "cchc.dossiers.notify.LoggingSmsBackend"


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    sms: str
    email: str = ""
    phone: str = ""


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LoggingSmsBackend:
    """Writes the SMS to the log instead of sending it (no SMS provider configured)."""

    def send(self, phone: str, text: str) -> None:
        log.info("SMS tới %s: %s", mask_phone(phone), text)


class Notifier(Protocol):
    def send(self, message: Message) -> None: ...


class EmailNotifier:
    def send(self, message: Message) -> None:
        if message.email:
            send_mail(message.subject, message.text, settings.DEFAULT_FROM_EMAIL, [message.email])


class SmsNotifier:
    def __init__(self, backend: SmsBackend | None = None):
        self.backend = backend or sms_backend()

    def send(self, message: Message) -> None:
        if message.phone:
            self.backend.send(message.phone, message.sms)


def sms_backend() -> SmsBackend:
    return import_string(getattr(settings, "CCHC_SMS_BACKEND", DEFAULT_SMS_BACKEND))()


def notifiers() -> list[Notifier]:
    return [EmailNotifier(), SmsNotifier()]


def deliver(message: Message) -> None:
    for notifier in notifiers():
        try:
            notifier.send(message)
        except Exception:  # one channel failing must not stop the others, nor the request
            log.exception("Không gửi được thông báo qua %s", type(notifier).__name__)


def notify_on_commit(message: Message | None) -> None:
    if message is not None and (message.email or message.phone):
        transaction.on_commit(lambda: deliver(message))
