"""Payment gateways, pluggable: setting `CCHC_PAYMENT_GATEWAY` is the dotted path of a
`PaymentGateway` subclass (default: `SimulatedGateway`).

A gateway does two things:
- `start(payment)` — make a transaction for the payment and say where to send the payer
  (`GatewayStart(reference, redirect_url)`); it must be quick and local or idempotent, because it
  runs inside the transaction that records the pending payment (a failure leaves no trace);
- `confirm(reference, payload)` — check what the gateway reports for the reference (typically
  a signed callback or a status query) and answer `"paid"` or `"failed"`; a payload that cannot
  be trusted raises `GatewayError`.
A real gateway (PayGov, VNPay, …) is written against this interface in its own module.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string

DEFAULT_GATEWAY = "cchc.dossiers.gateways.SimulatedGateway"
PAID, FAILED = "paid", "failed"


class GatewayError(Exception):
    """The gateway refused or its answer cannot be trusted (message in Vietnamese)."""


@dataclass(frozen=True)
class GatewayStart:
    reference: str
    redirect_url: str


class PaymentGateway:
    name = "abstract"
    label = ""
    is_simulated = False

    def start(self, payment) -> GatewayStart:
        raise NotImplementedError

    def confirm(self, reference: str, payload: dict[str, Any] | None = None) -> str:
        raise NotImplementedError


class SimulatedGateway(PaymentGateway):
    """Cổng thanh toán mô phỏng — chỉ dùng cho trình diễn.

    No money moves. `start` issues a reference `SIM-…`; the "payment page" (or a test) obtains
    a signed callback from `callback(reference, paid=…)`, and `confirm` checks the signature as a
    real gateway's callback would be checked, so a forged answer is refused.
    """

    name = "simulated"
    label = "Cổng thanh toán mô phỏng — chỉ dùng cho trình diễn"
    is_simulated = True
    _salt = "cchc.dossiers.gateways.SimulatedGateway"

    def start(self, payment) -> GatewayStart:
        reference = f"SIM-{secrets.token_hex(8).upper()}"
        return GatewayStart(reference, f"/thanh-toan-mo-phong/{reference}/")

    def _signature(self, reference: str, outcome: str) -> str:
        return salted_hmac(self._salt, f"{reference}|{outcome}", algorithm="sha256").hexdigest()

    def callback(self, reference: str, *, paid: bool = True) -> dict[str, str]:
        outcome = PAID if paid else FAILED
        return {"reference": reference, "outcome": outcome, "signature": self._signature(reference, outcome)}

    def confirm(self, reference: str, payload: dict[str, Any] | None = None) -> str:
        payload = payload or {}
        outcome = str(payload.get("outcome", ""))
        if outcome not in (PAID, FAILED) or payload.get("reference") != reference:
            raise GatewayError("Phản hồi của cổng thanh toán không đúng giao dịch.")
        if not hmac.compare_digest(str(payload.get("signature", "")), self._signature(reference, outcome)):
            raise GatewayError("Chữ ký phản hồi của cổng thanh toán không hợp lệ.")
        return outcome


class NoGateway(PaymentGateway):
    """No online payment configured: fees are paid at the desk; an online attempt is refused with
    a message (the production default until a real gateway is plugged in)."""

    name = "none"
    label = "Chưa có cổng thanh toán trực tuyến — nộp phí tại Bộ phận Một cửa"

    def start(self, payment) -> GatewayStart:
        raise GatewayError(
            "Chưa có cổng thanh toán trực tuyến; vui lòng nộp phí, lệ phí tại Bộ phận Một cửa."
        )

    def confirm(self, reference: str, payload: dict[str, Any] | None = None) -> str:
        raise GatewayError("Chưa có cổng thanh toán trực tuyến.")


def get_gateway() -> PaymentGateway:
    return import_string(getattr(settings, "CCHC_PAYMENT_GATEWAY", DEFAULT_GATEWAY))()
