"""Forms 01–07 of the one-stop procedure (Thông tư 03/2025/TT-VPCP; same set and wording as the
forms of Thông tư 01/2018/TT-VPCP it replaced): built from plain facts, so that the dossier app
maps its models to `DossierFacts` and nothing here depends on them.

01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả        05 Thông báo dừng giải quyết hồ sơ
02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ         06 Phiếu kiểm soát quá trình giải quyết hồ sơ
03 Phiếu từ chối tiếp nhận giải quyết hồ sơ        07 Sổ theo dõi hồ sơ
04 Phiếu xin lỗi và hẹn lại ngày trả kết quả
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from cchc.core.documents import OfficialDocument


def _at(moment: dt.datetime | None) -> str:
    return (
        f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d/%m/%Y}"
        if moment
        else "…… giờ …… phút, ngày …/…/……"
    )


def _day(moment: dt.datetime | dt.date | None) -> str:
    return f"{moment:%d/%m/%Y}" if moment else "…/…/……"


@dataclass
class Component:
    name: str
    original: str = "Bản chính"  # "Bản chính" / "Bản sao" / "Bản sao chứng thực" / "Bản điện tử"
    copies: int = 1


@dataclass
class Handover:
    from_body: str
    to_body: str
    at: dt.datetime | None
    giver: str = ""
    receiver: str = ""
    outcome: str = ""  # "Trước hạn" / "Đúng hạn" / "Quá hạn"
    note: str = ""


@dataclass
class DossierFacts:
    code: str
    procedure_name: str
    processing_time: str  # as the procedure states it: "05 ngày làm việc"
    applicant_name: str
    applicant_address: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    superior_body: str = ""  # "UBND TỈNH ĐỒNG NAI"
    receiving_body: str = "Bộ phận tiếp nhận và trả kết quả"
    handling_body: str = ""
    place: str = ""  # the place in the date line: "Đồng Nai"
    received_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    return_method: str = "Tại Bộ phận tiếp nhận và trả kết quả"
    components: list[Component] = field(default_factory=list)
    officer_name: str = ""
    officer_phone: str = ""
    lookup_url: str = ""  # the public lookup of the dossier, printed under its QR code
    qr_png: bytes | None = None


def _header(doc: OfficialDocument, f: DossierFacts, *, number: str | None, day) -> None:
    doc.header(superior=f.superior_body, body=f.receiving_body, number=number, place=f.place, day=day)


def form_01_receipt(f: DossierFacts) -> OfficialDocument:
    doc = OfficialDocument()
    _header(doc, f, number=None, day=f.received_at)
    doc.title(
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        subtitle=f"Mã hồ sơ: {f.code}\n(Liên: Lưu / Giao khách hàng)",
    )
    doc.paragraph(f"{f.receiving_body} tiếp nhận hồ sơ của:")
    doc.field("Ông/Bà (tổ chức)", f.applicant_name)
    doc.field("Địa chỉ", f.applicant_address)
    doc.field("Số điện thoại", f.applicant_phone)
    doc.field("Thư điện tử", f.applicant_email)
    doc.field("Nội dung yêu cầu giải quyết", f.procedure_name)
    doc.paragraph("1. Thành phần hồ sơ nộp gồm:", indent=False)
    doc.table(
        ["STT", "Tên giấy tờ", "Hình thức (bản chính, bản sao, bản điện tử)", "Số lượng"],
        [(str(i), c.name, c.original, str(c.copies)) for i, c in enumerate(f.components, start=1)]
        or [("1", "", "", "")],
        widths_mm=(12, 95, 45, 20),
    )
    doc.paragraph("2. Số lượng hồ sơ: 01 (bộ)", indent=False)
    doc.paragraph(f"3. Thời gian giải quyết hồ sơ theo quy định là: {f.processing_time}", indent=False)
    doc.paragraph(f"4. Thời gian nhận hồ sơ: {_at(f.received_at)}", indent=False)
    doc.paragraph(f"5. Thời gian trả kết quả giải quyết hồ sơ: {_at(f.due_at)}", indent=False)
    doc.paragraph(f"6. Đăng ký nhận kết quả tại: {f.return_method}", indent=False)
    if f.qr_png:
        doc.picture(
            f.qr_png,
            width_mm=28,
            caption="Quét mã để tra cứu tình trạng hồ sơ và đánh giá sự hài lòng"
            + (f": {f.lookup_url}" if f.lookup_url else ""),
        )
    doc.signatures(
        ("Người nộp hồ sơ", "(Ký và ghi rõ họ tên)", f.applicant_name),
        ("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", f.officer_name),
    )
    return doc


def form_02_supplement(
    f: DossierFacts, *, missing: Sequence[str], reason: str, day: dt.date | None
) -> OfficialDocument:
    doc = OfficialDocument()
    _header(doc, f, number=None, day=day)
    doc.title("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", subtitle=f"Mã hồ sơ: {f.code}")
    doc.field("Hồ sơ của", f.applicant_name)
    doc.field("Nội dung yêu cầu giải quyết", f.procedure_name)
    doc.paragraph("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:", indent=False)
    for i, item in enumerate(missing, start=1):
        doc.paragraph(f"{i}. {item}")
    doc.field("Lý do", reason)
    doc.paragraph(
        "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, ông/bà liên hệ với "
        f"{f.officer_name or '…………'} (số điện thoại {f.officer_phone or '…………'}) để được hướng dẫn. "
        "Hồ sơ được bổ sung đầy đủ một lần theo các nội dung trên."
    )
    doc.signatures(("Người hướng dẫn", "(Ký và ghi rõ họ tên)", f.officer_name))
    return doc


def form_03_refusal(f: DossierFacts, *, reason: str, day: dt.date | None) -> OfficialDocument:
    doc = OfficialDocument()
    _header(doc, f, number=None, day=day)
    doc.title("Phiếu từ chối tiếp nhận giải quyết hồ sơ", subtitle=f"Mã hồ sơ: {f.code}" if f.code else None)
    doc.paragraph(f"{f.receiving_body} tiếp nhận hồ sơ của: {f.applicant_name}.")
    doc.field("Nội dung yêu cầu giải quyết", f.procedure_name)
    doc.paragraph(
        f"Qua nghiên cứu, đối chiếu với quy định hiện hành, hồ sơ không đủ điều kiện giải quyết vì lý do: {reason}"
    )
    doc.paragraph("Xin thông báo để Ông/Bà được biết và thực hiện.")
    doc.signatures(("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", f.officer_name))
    return doc


def form_04_apology(
    f: DossierFacts, *, reason: str, new_due_at: dt.datetime, day: dt.date | None, signer: str = ""
) -> OfficialDocument:
    doc = OfficialDocument()
    _header(doc, f, number="……/PXL", day=day)
    doc.title("Phiếu xin lỗi và hẹn lại ngày trả kết quả")
    doc.paragraph(f"Kính gửi: {f.applicant_name}", indent=False)
    doc.paragraph(
        f"Ngày {_day(f.received_at)}, {f.handling_body or f.receiving_body} tiếp nhận giải quyết hồ sơ của Ông/Bà "
        f"(mã hồ sơ {f.code}), nội dung: {f.procedure_name}. Thời hạn trả kết quả theo giấy hẹn là {_at(f.due_at)}."
    )
    doc.paragraph(f"Tuy nhiên đến nay, hồ sơ của Ông/Bà chưa được giải quyết xong. Lý do: {reason}")
    doc.paragraph(
        "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà. Chúng tôi thành thật xin lỗi Ông/Bà "
        f"và sẽ trả kết quả giải quyết hồ sơ vào {_at(new_due_at)}."
    )
    doc.paragraph("Kính mong nhận được sự thông cảm của Ông/Bà.")
    doc.signatures(("Thủ trưởng cơ quan", "(Ký, ghi rõ họ tên và đóng dấu)", signer))
    return doc


def form_05_stop(
    f: DossierFacts, *, reason: str, requested_on: dt.date | None, day: dt.date | None
) -> OfficialDocument:
    doc = OfficialDocument()
    _header(doc, f, number=None, day=day)
    doc.title("Thông báo dừng giải quyết hồ sơ", subtitle=f"Mã hồ sơ: {f.code}")
    doc.paragraph(f"Kính gửi: {f.applicant_name}", indent=False)
    doc.paragraph(
        f"Căn cứ đề nghị ngày {_day(requested_on)} của Ông/Bà, {f.receiving_body} thông báo dừng giải quyết hồ sơ "
        f"mã {f.code} (nội dung: {f.procedure_name}), tiếp nhận ngày {_day(f.received_at)}."
    )
    doc.field("Lý do", reason)
    doc.paragraph("Hồ sơ đã nộp được trả lại theo đề nghị của Ông/Bà.")
    doc.signatures(("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", f.officer_name))
    return doc


def form_06_control_slip(f: DossierFacts, *, handovers: Sequence[Handover]) -> OfficialDocument:
    doc = OfficialDocument()
    _header(doc, f, number=None, day=f.received_at)
    doc.title(
        "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        subtitle=f"Mã hồ sơ: {f.code}\n(Liên: Lưu tại Bộ phận tiếp nhận và trả kết quả)",
    )
    doc.field("Cơ quan (bộ phận) giải quyết hồ sơ", f.handling_body)
    doc.field("Thời gian nhận hồ sơ", _at(f.received_at))
    doc.field("Thời gian trả kết quả giải quyết hồ sơ", _at(f.due_at))
    rows = [
        (
            f"{i}. Giao: {h.from_body}\n{h.giver}\nNhận: {h.to_body}\n{h.receiver}",
            _at(h.at),
            h.outcome,
            h.note,
        )
        for i, h in enumerate(handovers, start=1)
    ]
    doc.table(
        [
            "Tên cơ quan",
            "Thời gian giao, nhận hồ sơ",
            "Kết quả giải quyết hồ sơ (trước hạn / đúng hạn / quá hạn)",
            "Ghi chú",
        ],
        rows or [("", "", "", "")],
        widths_mm=(70, 40, 35, 20),
        size=11,
    )
    doc.paragraph(
        "Ghi chú: Kết quả giải quyết hồ sơ do bên nhận ghi khi nhận bàn giao hồ sơ.",
        italic=True,
        indent=False,
    )
    return doc


@dataclass
class RegisterRow:
    code: str
    procedure_name: str
    applicant: str
    address_phone: str
    handling_body: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    sent_at: dt.datetime | None = None
    result_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    note: str = ""


def form_07_register(
    *, superior_body: str, receiving_body: str, place: str, day: dt.date | None, rows: Sequence[RegisterRow]
) -> OfficialDocument:
    doc = OfficialDocument(landscape=True, size=11)
    doc.header(superior=superior_body, body=receiving_body, number=None, place=place, day=day)
    doc.title("Sổ theo dõi hồ sơ")
    doc.table(
        [
            "STT",
            "Mã hồ sơ",
            "Tên thủ tục hành chính",
            "Số lượng hồ sơ (bộ)",
            "Tên người nộp hồ sơ",
            "Địa chỉ, số điện thoại",
            "Cơ quan chủ trì giải quyết",
            "Nhận hồ sơ",
            "Hẹn trả kết quả",
            "Chuyển hồ sơ đến cơ quan giải quyết",
            "Nhận kết quả từ cơ quan giải quyết",
            "Trả kết quả cho cá nhân, tổ chức",
            "Ghi chú",
        ],
        [
            (
                str(i),
                r.code,
                r.procedure_name,
                "01",
                r.applicant,
                r.address_phone,
                r.handling_body,
                _day(r.received_at),
                _day(r.due_at),
                _day(r.sent_at) if r.sent_at else "",
                _day(r.result_at) if r.result_at else "",
                _day(r.returned_at) if r.returned_at else "",
                r.note,
            )
            for i, r in enumerate(rows, start=1)
        ],
        widths_mm=(9, 26, 40, 12, 24, 30, 26, 16, 16, 18, 18, 18, 14),
        size=9,
    )
    return doc
