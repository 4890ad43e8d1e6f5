"""A report as an official document (DOCX in the layout of Nghị định 30/2020/NĐ-CP, PDF from it)
and its numeric annex as XLSX — the same numbers, from the report's own snapshot."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from cchc.core.documents.builder import OfficialDocument
from cchc.core.numbers import to_decimal
from cchc.core.spreadsheets import append_row

from . import figures, outline
from .models import Report

HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")


def place_of(report: Report) -> str:
    unit = report.unit.province() or report.unit
    name = unit.short_name or unit.name
    for prefix in ("Tỉnh ", "Thành phố "):
        name = name.removeprefix(prefix)
    return name


def annex_table(report: Report) -> tuple[list[str], list[list[str]]]:
    """The annex as text (for the document and the page): header, rows."""
    header = ["STT", "Chỉ số", "Kỳ số liệu", "Giá trị", "Tử số/Mẫu số"]
    rolled = report.facts.get("rollup") or {}
    if rolled:
        header += ["Tổng hợp từ báo cáo đơn vị", "Số báo cáo"]
    rows = []
    for i, row in enumerate(report.annex, start=1):
        line = [
            str(i),
            row["name"],
            row["period_key"] or "—",
            figures.shown(row),
            figures.parts_shown(row["numerator"], row["denominator"]),
        ]
        if rolled:
            r = rolled.get(row["code"], {})
            line += [figures.shown(row, r.get("value"), use=True), str(r.get("reports", 0))]
        rows.append(line)
    return header, rows


def report_docx(report: Report) -> bytes:
    doc = OfficialDocument()
    unit = report.unit
    superior = unit.parent.body_name if unit.parent is not None else ""
    doc.header(
        superior=superior if unit.kind != "province" else "",
        body=unit.body_name,
        number=report.doc_number or "…/BC-…",
        place=place_of(report),
        day=report.doc_date,
    )
    doc.title("Báo cáo", subtitle=report.title.removeprefix("Báo cáo "))
    for part, number, h in outline.numbered():
        if number == "1.":
            doc.paragraph(f"{part}. {outline.PARTS[part]}", bold=True, indent=False)
        text = report.sections.get(h.key, "")
        if part in ("I", "II"):  # parts III and IV have one heading each: their text directly
            doc.paragraph(f"{number} {h.title}", bold=True, indent=False)
        for line in text.splitlines() or ["…"]:
            if line.strip():
                doc.paragraph(line)
    doc.paragraph("PHỤ LỤC SỐ LIỆU", bold=True, indent=False)
    header, rows = annex_table(report)
    doc.table(header, rows, size=10)
    if report.facts.get("not_reported"):
        doc.paragraph(
            "Đơn vị chưa gửi báo cáo: " + ", ".join(report.facts["not_reported"]) + ".", italic=True
        )
    receiver = report.receiver.body_name if report.receiver else "Bộ Nội vụ"
    doc.recipients([receiver, "Lưu: VT"])
    doc.signatures(
        (report.signer_title or "Thủ trưởng cơ quan", "(Ký, ghi rõ họ tên và đóng dấu)", report.signer)
    )
    return doc.to_bytes()


def annex_xlsx(report: Report) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])  # the default sheet, replaced by a named one
    sheet = book.create_sheet("Phu luc so lieu")
    sheet.append([f"PHỤ LỤC SỐ LIỆU — {report.title.upper()}"])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(
        sheet,
        [f"{report.unit.name} · kỳ số liệu {report.period_start:%d/%m/%Y}–{report.period_end:%d/%m/%Y}"],
    )
    sheet.append([])
    rolled = report.facts.get("rollup") or {}
    header = ["STT", "Mã chỉ số", "Chỉ số", "Nhóm", "Kỳ số liệu", "Giá trị", "Tử số", "Mẫu số", "Đơn vị tính"]
    if rolled:
        header += ["Tổng hợp từ báo cáo: giá trị", "Tử số", "Mẫu số", "Số báo cáo"]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(report.annex, start=1):
        values: list[object] = [
            i,
            row["code"],
            row["name"],
            row["group"],
            row["period_key"],
            _num(row["value"]),
            _num(row["numerator"]),
            row["denominator"],
            row["unit_label"],
        ]
        if rolled:
            r = rolled.get(row["code"], {})
            values += [
                _num(r.get("value")),
                _num(r.get("numerator")),
                r.get("denominator"),
                r.get("reports", 0),
            ]
        append_row(sheet, values)
    sheet.column_dimensions["C"].width = 55
    sheet.freeze_panes = "D5"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _num(value: object) -> float | int | None:
    d = to_decimal(value)
    if d is None:
        return None
    return int(d) if d == d.to_integral() else float(d)
