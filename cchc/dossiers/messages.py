"""What the applicant is told when the status of their dossier changes (e-mail and SMS texts).
Built inside the transaction from the committed values, sent after the commit."""

from __future__ import annotations

import datetime as dt

from cchc.core.workingtime import to_local

from .choices import EventKind as E
from .notify import Message

E_MAIL_FOOTER = "\n\n(Thư gửi tự động từ hệ thống một cửa điện tử, không trả lời thư này.)"


def moment(value: dt.datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return f"{to_local(value):%H:%M ngày %d/%m/%Y}"


def _listing(items) -> str:
    return "\n".join(f"- {item}" for item in items)


def dossier_message(dossier, kind: str, data: dict) -> Message | None:
    """The message for an event that changes what the applicant should know, else None."""
    code, name = dossier.code, dossier.procedure.name
    due = moment(dossier.current_due_at)
    texts: dict[str, tuple[str, str]] = {
        E.RECEIVED: (
            "Đã tiếp nhận hồ sơ",
            f"Hồ sơ {code} ({name}) đã được tiếp nhận. Hẹn trả kết quả: {due}.",
        ),
        E.RECEIPT_INCOMPLETE: (
            "Đề nghị bổ sung, hoàn thiện hồ sơ",
            f"Hồ sơ {code} ({name}) chưa đủ thành phần. Đề nghị bổ sung:\n{_listing(data.get('missing', []))}",
        ),
        E.REFUSED_AT_RECEIPT: (
            "Từ chối tiếp nhận hồ sơ",
            f"Hồ sơ {code} ({name}) không được tiếp nhận. Lý do: {data.get('reason', '')}",
        ),
        E.SUPPLEMENT_REQUESTED: (
            "Đề nghị bổ sung hồ sơ",
            f"Hồ sơ {code} cần bổ sung; thời hạn giải quyết tạm dừng đến khi nhận đủ:\n"
            f"{_listing(data.get('missing', []))}",
        ),
        E.SUPPLEMENT_RECEIVED: (
            "Đã nhận hồ sơ bổ sung",
            f"Hồ sơ {code} đã được bổ sung và tiếp tục giải quyết. Hẹn trả kết quả: {due}.",
        ),
        E.APOLOGY_SENT: (
            "Thư xin lỗi và hẹn lại ngày trả kết quả",
            f"Cơ quan giải quyết xin lỗi vì hồ sơ {code} chưa có kết quả đúng hẹn. "
            f"Lý do: {data.get('reason', '')}. Hẹn trả kết quả mới: {moment(data.get('new_due_at'))}.",
        ),
        E.RESULT_GRANTED: ("Hồ sơ đã có kết quả", f"Hồ sơ {code} ({name}) đã có kết quả. Mời nhận kết quả."),
        E.RESULT_REFUSED: (
            "Hồ sơ đã có kết quả",
            f"Hồ sơ {code} ({name}) không được giải quyết. Lý do: {data.get('reason', '')}",
        ),
        E.RETURNED: ("Đã trả kết quả", f"Kết quả hồ sơ {code} đã được trả."),
        E.STOPPED: ("Thông báo dừng giải quyết", f"Hồ sơ {code} đã dừng giải quyết theo đề nghị của Quý vị."),
        E.WITHDRAWN: ("Đã rút hồ sơ", f"Hồ sơ {code} đã được rút theo đề nghị của Quý vị."),
    }
    if kind not in texts:
        return None
    subject, text = texts[kind]
    return Message(
        subject=f"[Một cửa] {subject}: {code}",
        text=f"Kính gửi {dossier.applicant_name},\n\n{text}{E_MAIL_FOOTER}",
        sms=text.split("\n")[0][:300],
        email=dossier.applicant_email,
        phone=dossier.applicant_phone,
    )


def feedback_message(feedback, subject: str, text: str) -> Message:
    return Message(
        subject=f"[PAKN] {subject}: {feedback.code}",
        text=f"Kính gửi {feedback.sender_name},\n\n{text}{E_MAIL_FOOTER}",
        sms=f"{subject}: {feedback.code}"[:300],
        email=feedback.sender_email,
        phone=feedback.sender_phone,
    )
