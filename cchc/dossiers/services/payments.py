"""Fee payments: online through the configured gateway (`cchc.dossiers.gateways`), or at the
desk. The gateway's answer is recorded whatever became of the dossier meanwhile (money moved)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from cchc.core.actors import SYSTEM, Actor
from cchc.core.errors import ServiceError

from ..choices import EventKind as E
from ..gateways import PAID, GatewayError, get_gateway
from ..models import Dossier, Payment, PaymentMethod, PaymentStatus
from ..permissions import require
from ._common import check, copy_back, lock, moment, record, when


@dataclass(frozen=True)
class PaymentStarted:
    payment: Payment
    redirect_url: str
    gateway_label: str


def _check_payable(d: Dossier, kind: str) -> None:
    check(d, kind)
    if not d.fee_due:
        raise ServiceError(f"Hồ sơ {d.code} không có phí, lệ phí phải nộp.", code="no_fee_due")
    if d.payments.filter(status=PaymentStatus.PAID).exists():
        raise ServiceError(f"Phí, lệ phí của hồ sơ {d.code} đã được thanh toán.", code="fee_already_paid")


@transaction.atomic
def payment_start(*, actor: Actor, dossier: Dossier, at: dt.datetime | None = None) -> PaymentStarted:
    """Open an online payment of the dossier's fee; the caller sends the payer to `redirect_url`."""
    d = lock(dossier)
    require(actor, d, what="thanh toán phí, lệ phí cho", applicant_ok=True)
    at = when(d, at)
    _check_payable(d, E.PAYMENT_STARTED)
    gateway = get_gateway()
    payment = Payment.objects.create(
        dossier=d, amount=d.fee_amount, method=PaymentMethod.ONLINE, gateway=gateway.name, created_at=at
    )
    try:
        started = gateway.start(payment)
    except GatewayError as exc:
        raise ServiceError(
            f"Không tạo được giao dịch thanh toán: {exc}", code="payment_start_failed"
        ) from exc
    payment.reference = started.reference
    payment.save(update_fields=["reference"])
    record(
        d,
        actor=actor,
        kind=E.PAYMENT_STARTED,
        at=at,
        data={"payment": payment.pk, "amount": payment.amount, "gateway": gateway.name},
    )
    copy_back(dossier, d)
    return PaymentStarted(payment, started.redirect_url, gateway.label)


@transaction.atomic
def payment_confirm(*, reference: str, payload: dict | None = None, at: dt.datetime | None = None) -> Payment:
    """Record the gateway's answer for `reference` (its callback or a status query). Repeated
    answers for a settled payment change nothing."""
    payment = Payment.objects.select_for_update().filter(reference=reference).first()
    if payment is None:
        raise ServiceError(
            {"reference": f"Không có giao dịch thanh toán mã {reference}."}, code="payment_unknown"
        )
    if payment.status != PaymentStatus.PENDING:
        return payment
    gateway = get_gateway()
    if payment.gateway != gateway.name:
        raise ServiceError(
            {"reference": f"Giao dịch {reference} được tạo qua cổng khác ({payment.gateway})."},
            code="payment_other_gateway",
        )
    try:
        outcome = gateway.confirm(reference, payload)
    except GatewayError as exc:
        raise ServiceError({"reference": str(exc)}, code="payment_callback_invalid") from exc
    d = lock(payment.dossier)
    at = moment(at)
    at = max(at, d.last_event_at) if d.last_event_at else at  # the callback may lag behind the desk
    kind = E.PAYMENT_MADE if outcome == PAID else E.PAYMENT_FAILED
    check(d, kind)
    payment.status = PaymentStatus.PAID if outcome == PAID else PaymentStatus.FAILED
    payment.paid_at = at if outcome == PAID else None
    payment.save(update_fields=["status", "paid_at"])
    record(
        d,
        actor=SYSTEM,
        kind=kind,
        at=at,
        data={"payment": payment.pk, "amount": payment.amount, "online": True},
    )
    return payment


@transaction.atomic
def payment_record_at_desk(*, actor: Actor, dossier: Dossier, at: dt.datetime | None = None) -> Payment:
    """The fee was paid at the desk (cash or card): it does not count as paid online."""
    d = lock(dossier)
    require(actor, d, what="ghi nhận thanh toán cho")
    at = when(d, at)
    _check_payable(d, E.PAYMENT_MADE)
    payment = Payment.objects.create(
        dossier=d,
        amount=d.fee_amount,
        method=PaymentMethod.DESK,
        status=PaymentStatus.PAID,
        created_at=at,
        paid_at=at,
    )
    record(
        d,
        actor=actor,
        kind=E.PAYMENT_MADE,
        at=at,
        data={"payment": payment.pk, "amount": payment.amount, "online": False},
    )
    copy_back(dossier, d)
    return payment
