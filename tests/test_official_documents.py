"""Forms 01–07 open as real documents: DOCX read back by python-docx, PDF made by LibreOffice."""

import datetime as dt
import io
import shutil

import pytest
from docx import Document

from cchc.core.documents import docx_to_pdf
from cchc.dossiers.tt03_forms import (
    Component,
    DossierFacts,
    Handover,
    RegisterRow,
    form_01_receipt,
    form_02_supplement,
    form_03_refusal,
    form_04_apology,
    form_05_stop,
    form_06_control_slip,
    form_07_register,
)

FACTS = DossierFacts(
    code="000.00.75.H19-260302-0001",
    procedure_name="Đăng ký khai sinh",
    processing_time="03 ngày làm việc",
    applicant_name="Nguyễn Văn An",
    applicant_address="Phường Đồng Xoài, tỉnh Đồng Nai",
    applicant_phone="0912345678",
    superior_body="UBND tỉnh Đồng Nai",
    receiving_body="Trung tâm Phục vụ hành chính công",
    handling_body="UBND phường Đồng Xoài",
    place="Đồng Nai",
    received_at=dt.datetime(2026, 3, 2, 9, 0),
    due_at=dt.datetime(2026, 3, 5, 9, 0),
    components=[Component("Tờ khai đăng ký khai sinh"), Component("Giấy chứng sinh", "Bản chính")],
    officer_name="Trần Thị Bình",
)


def _text(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


FORMS = {
    "01": lambda: form_01_receipt(FACTS),
    "02": lambda: form_02_supplement(
        FACTS, missing=["Bản sao giấy chứng nhận kết hôn"], reason="Thiếu giấy tờ", day=dt.date(2026, 3, 2)
    ),
    "03": lambda: form_03_refusal(FACTS, reason="Không thuộc thẩm quyền", day=dt.date(2026, 3, 2)),
    "04": lambda: form_04_apology(
        FACTS, reason="Cần xác minh", new_due_at=dt.datetime(2026, 3, 9, 9, 0), day=dt.date(2026, 3, 4)
    ),
    "05": lambda: form_05_stop(
        FACTS, reason="Người nộp đề nghị dừng", requested_on=dt.date(2026, 3, 3), day=dt.date(2026, 3, 3)
    ),
    "06": lambda: form_06_control_slip(
        FACTS,
        handovers=[
            Handover(
                "Trung tâm PVHCC",
                "Công chức tư pháp - hộ tịch",
                dt.datetime(2026, 3, 2, 10, 0),
                outcome="Đúng hạn",
            )
        ],
    ),
    "07": lambda: form_07_register(
        superior_body="UBND tỉnh Đồng Nai",
        receiving_body="Trung tâm Phục vụ hành chính công",
        place="Đồng Nai",
        day=dt.date(2026, 3, 31),
        rows=[
            RegisterRow(
                FACTS.code,
                FACTS.procedure_name,
                FACTS.applicant_name,
                FACTS.applicant_phone,
                FACTS.handling_body,
                FACTS.received_at,
                FACTS.due_at,
            )
        ],
    ),
}
TITLES = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "04": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    "05": "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
    "06": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    "07": "SỔ THEO DÕI HỒ SƠ",
}


@pytest.mark.parametrize("number", sorted(FORMS))
def test_form_docx_has_the_national_title_and_the_facts(number):
    docx = FORMS[number]().to_bytes()
    text = _text(docx)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert TITLES[number] in text
    assert FACTS.code in text
    doc = Document(io.BytesIO(docx))
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_form_01_carries_receipt_and_appointment():
    text = _text(form_01_receipt(FACTS).to_bytes())
    assert "09 giờ 00 phút, ngày 02/03/2026" in text and "09 giờ 00 phút, ngày 05/03/2026" in text
    assert "Giấy chứng sinh" in text and "Đồng Nai, ngày 02 tháng 3 năm 2026" in text


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is installed by `make test` (scripts/ensure-libreoffice.sh)",
)
@pytest.mark.parametrize("number", ["01", "06", "07"])
def test_forms_convert_to_pdf_with_libreoffice(number):
    pdf = docx_to_pdf(FORMS[number]().to_bytes())
    assert pdf.startswith(b"%PDF")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and TITLES[number] in text


def test_body_paragraphs_copied_from_a_template_equal_those_python_docx_builds():
    """`OfficialDocument.paragraph` copies the first paragraph of each kind (the fast way for a
    report of thousands): the XML must be exactly what python-docx writes for the same call."""
    from cchc.core.documents.builder import OfficialDocument

    texts = [
        "  lề trái và phải  ",  # the first of each kind: the copies must not keep its spaces rule
        "Đầu tiên.",
        "Kết quả cải cách thủ tục hành chính: 98,5% hồ sơ đúng hạn.",
        "có\ttab",
        "hai\ndòng",
        "không\xa0ngắt",
        "=SUM(A1)",
        "",
    ]
    calls = [
        (t, kind) for t in texts for kind in ((False, False, True), (True, False, False), (False, True, True))
    ]

    def build(fast: bool) -> list[str]:
        doc = built[fast] = OfficialDocument()
        if not fast:
            doc._templates = _NeverKeeps()  # every paragraph through python-docx
        for text, (bold, italic, indent) in calls:
            doc.paragraph(text, bold=bold, italic=italic, indent=indent)
        doc.doc.add_table(rows=1, cols=1)  # something after the paragraphs, then more of them
        doc.paragraph("Sau bảng.")
        return [p._p.xml for p in doc.doc.paragraphs]

    built: dict[bool, OfficialDocument] = {}
    fast, slow = build(True), build(False)
    assert len(fast) == len(calls) + 1
    assert fast == slow
    saved = Document(io.BytesIO(built[True].to_bytes()))  # saved and read back
    assert [p.text for p in saved.paragraphs][-2:] == ["", "Sau bảng."]
    assert [p.text for p in saved.paragraphs][3:5] == ["Đầu tiên."] * 2


class _NeverKeeps(dict):
    def __setitem__(self, key, value) -> None:
        pass
