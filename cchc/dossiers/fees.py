"""Fees (phí, lệ phí) of a dossier as people read them: the amount in figures and in words, and
where the payment stands (not charged, unpaid, waiting for the gateway, paid at the desk or
online). The amount is the procedure's, copied onto the dossier at receipt; payments are
written by `services.payments`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .models import Payment, PaymentMethod, PaymentStatus

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
SCALES = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"]


def money(amount: int | None) -> str:
    """ "50.000 đồng" (Vietnamese thousands separator)."""
    return f"{amount or 0:,} đồng".replace(",", ".")


def _three(n: int, *, full: bool) -> list[str]:
    """Words of 0 < n < 1000; `full` reads the hundreds even when 0 ("không trăm linh năm")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    out: list[str] = []
    if hundreds or full:
        out += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and out:
            out.append("linh")
    elif tens == 1:
        out.append("mười")
    else:
        out += [DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        out.append("mốt")
    elif units == 5 and tens >= 1:
        out.append("lăm")
    elif units:
        out.append(DIGITS[units])
    return out


def in_words(amount: int) -> str:
    """ "Một trăm linh năm nghìn đồng" — the amount as written on a receipt (đồng)."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    if amount == 0:
        return "Không đồng"
    groups: list[int] = []
    n = amount
    while n:
        groups.append(n % 1000)
        n //= 1000
    if len(groups) > len(SCALES):
        raise ValueError("amount too large")
    words: list[str] = []
    for i in range(len(groups) - 1, -1, -1):
        if groups[i]:
            words += _three(groups[i], full=i != len(groups) - 1)
            if SCALES[i]:
                words.append(SCALES[i])
    text = " ".join(words)
    return text[0].upper() + text[1:] + " đồng"


@dataclass(frozen=True)
class FeeState:
    key: str  # none / unpaid / pending / paid_desk / paid_online
    label: str

    @property
    def paid(self) -> bool:
        return self.key.startswith("paid")

    @property
    def owed(self) -> bool:
        return self.key in ("unpaid", "pending")


def paid_payment(payments: Iterable[Payment]) -> Payment | None:
    return next((p for p in payments if p.status == PaymentStatus.PAID), None)


def fee_state(dossier, payments: Iterable[Payment] | None = None) -> FeeState:
    """Where the dossier's fee stands; `payments` defaults to the dossier's (prefetched)."""
    if not dossier.fee_due:
        return FeeState("none", "Không thu phí, lệ phí")
    items = list(dossier.payments.all() if payments is None else payments)
    paid = paid_payment(items)
    if paid is not None:
        if paid.method == PaymentMethod.DESK:
            return FeeState("paid_desk", "Đã nộp tại Bộ phận Một cửa")
        return FeeState("paid_online", "Đã nộp trực tuyến")
    if any(p.status == PaymentStatus.PENDING for p in items):
        return FeeState("pending", "Đang chờ kết quả thanh toán trực tuyến")
    return FeeState("unpaid", "Chưa nộp phí, lệ phí")


RECEIPT_TITLE = "Biên lai thu phí, lệ phí"


def receipt_panel(d) -> dict:
    """What the dossier page shows of the receipt: the components received and the fee."""
    return {
        "components": list(d.received_components.all()),
        "fee": fee_state(d),
        "fee_label": money(d.fee_amount),
        "fee_words": in_words(d.fee_amount) if d.fee_amount else "",
        "receipt_title": RECEIPT_TITLE,
        "has_receipt": d.fee_due and paid_payment(d.payments.all()) is not None,
        "has_slip": d.received_at is not None,
    }
