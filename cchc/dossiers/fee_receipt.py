"""The fee receipt (biên lai thu phí, lệ phí) of a dossier whose fee was paid: who paid, for which
procedure, the amount in figures and in words, how (at the desk or online, with the gateway's
transaction reference), when, and the QR code of the public lookup. Built as DOCX by the
official-document builder; the PDF is LibreOffice's conversion of that DOCX, as for forms 01–07.
"""

from __future__ import annotations

from cchc.core.documents import OfficialDocument
from cchc.core.workingtime import to_local

from .documents import FormUnavailable, _person, _place, _superior
from .fees import RECEIPT_TITLE, in_words, money, paid_payment
from .models import PaymentMethod
from .personal import ApplicantView

TITLE = RECEIPT_TITLE


def receipt_number(payment) -> str:
    return f"{payment.pk:07d}"


def build_fee_receipt(
    dossier, applicant: ApplicantView, *, qr_png: bytes | None = None, lookup_url: str = ""
):
    """The receipt of the dossier's paid fee, or FormUnavailable (no fee, not paid yet)."""
    if not dossier.fee_due:
        raise FormUnavailable(f"Hồ sơ {dossier.code} không có phí, lệ phí phải nộp.")
    payment = paid_payment(dossier.payments.all())
    if payment is None:
        raise FormUnavailable(f"Phí, lệ phí của hồ sơ {dossier.code} chưa được nộp nên chưa có biên lai.")
    desk = dossier.receiving_unit
    paid_at = to_local(payment.paid_at or payment.created_at)
    event = next(
        (e for e in dossier.events.all() if e.kind == "payment_made" and e.data.get("payment") == payment.pk),
        None,
    )
    collector = _person(event.actor) if event is not None and event.actor_id else ""
    doc = OfficialDocument()
    doc.header(
        superior=_superior(desk),
        body=desk.body_name,
        number=None,
        place=_place(desk.province()),
        day=paid_at.date(),
    )
    doc.title(TITLE, subtitle=f"Số: {receipt_number(payment)}\n(Liên: Giao người nộp tiền)")
    doc.field("Họ tên người nộp tiền", applicant.name)
    doc.field("Địa chỉ", applicant.address)
    doc.field("Số định danh cá nhân / mã số thuế", applicant.id_number)
    doc.field("Mã hồ sơ", dossier.code)
    doc.field("Thủ tục hành chính", f"{dossier.procedure.name} ({dossier.procedure.code})")
    doc.field("Cơ quan giải quyết", dossier.handling_unit.body_name)
    doc.table(
        ["STT", "Nội dung thu", "Số tiền (đồng)"],
        [("1", f"Phí, lệ phí giải quyết thủ tục hành chính, hồ sơ {dossier.code}", money(payment.amount))],
        widths_mm=(12, 118, 40),
    )
    doc.field("Tổng số tiền", money(payment.amount))
    doc.field("Số tiền viết bằng chữ", in_words(payment.amount))
    if payment.method == PaymentMethod.DESK:
        how = "Nộp trực tiếp tại Bộ phận tiếp nhận và trả kết quả"
    else:
        how = "Thanh toán trực tuyến" + (f", mã giao dịch {payment.reference}" if payment.reference else "")
    doc.field("Hình thức thanh toán", how)
    doc.field("Thời điểm thu", f"{paid_at:%H} giờ {paid_at:%M} phút, ngày {paid_at:%d/%m/%Y}")
    if qr_png:
        doc.picture(
            qr_png,
            width_mm=28,
            caption=f"Quét mã để tra cứu tình trạng hồ sơ {dossier.code}"
            + (f": {lookup_url}" if lookup_url else ""),
        )
    doc.signatures(
        ("Người nộp tiền", "(Ký và ghi rõ họ tên)", applicant.name),
        (
            "Người thu tiền",
            "(Ký và ghi rõ họ tên)",
            collector if payment.method == PaymentMethod.DESK else "Thu qua cổng thanh toán",
        ),
    )
    return doc
