"""The published results table of a round: XLSX (figures as numbers, one sheet per group) and
DOCX in the official document layout (Nghị định 30/2020/NĐ-CP: the issuing body's header, the
title, one table per group, the signature block)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from cchc.core.documents.builder import OfficialDocument
from cchc.core.numbers import format_number
from cchc.core.spreadsheets import append_row

from .models import Group
from .selectors import RoundResults

HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _text(value: Decimal | None) -> str:
    return "—" if value is None else format_number(value, 2)


def results_xlsx(res: RoundResults) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])  # the empty default sheet
    areas = res.framework.areas
    for group in Group:
        members = res.group(group.value)
        if not members:
            continue
        sheet = book.create_sheet("Cap so" if group == Group.AGENCY else "Cap xa")
        sheet.append(
            [f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {res.round.framework.year} — {group.label.upper()}"]
        )
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append(
            [f"{res.round.title} · {res.round.unit.name} · xuất lúc {timezone.localtime():%H:%M %d/%m/%Y}"]
        )
        sheet.append([])
        header = ["Xếp hạng", "Mã đơn vị", "Đơn vị", *[f"Lĩnh vực {a.code} (điểm)" for a in areas]]
        header += ["Tổng điểm", "Điểm tối đa", "Chỉ số (%)", "Xếp loại"]
        sheet.append(header)
        for cell in sheet[4]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for r in members:
            unit = res.units[r.unit]
            row = [r.rank, r.unit, unit.name, *[_num(a.points) for a in r.areas]]
            row += [_num(r.points), _num(r.maximum), _num(r.index), res.band(r)]
            append_row(sheet, row)  # names stay text, never a formula
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, float):
                    cell.number_format = "0.00"
        sheet.column_dimensions["C"].width = 45
        sheet.freeze_panes = "D5"
    if not book.worksheets:
        book.create_sheet("Ket qua").append(["Đợt đánh giá chưa có đơn vị nào."])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def results_docx(res: RoundResults, *, place: str) -> bytes:
    round_ = res.round
    doc = OfficialDocument(landscape=True)
    parent = round_.unit.parent
    superior = parent.name if parent is not None else ""
    doc.header(superior=superior, body=round_.unit.name, number="", place=place, day=timezone.localdate())
    doc.title(
        f"Kết quả Chỉ số cải cách hành chính năm {round_.framework.year}",
        subtitle=f"({round_.title}; bộ chỉ số: {round_.framework.name})",
    )
    areas = res.framework.areas
    for group in Group:
        members = res.group(group.value)
        if not members:
            continue
        doc.paragraph(f"{group.label}: {len(members)} đơn vị", bold=True, indent=False)
        header = ["Hạng", "Đơn vị", *[f"LV {a.code}" for a in areas], "Tổng điểm", "Chỉ số (%)", "Xếp loại"]
        rows = [
            [
                "" if r.rank is None else str(r.rank),
                res.units[r.unit].name,
                *[_text(a.points) for a in r.areas],
                f"{_text(r.points)}/{_text(r.maximum)}",
                _text(r.index),
                res.band(r),
            ]
            for r in members
        ]
        doc.table(header, rows, size=10)
    doc.paragraph(
        "Lĩnh vực: " + "; ".join(f"{a.code}. {a.name}" for a in areas) + ".", italic=True, indent=False
    )
    doc.signatures(("Thủ trưởng cơ quan", "(Ký, ghi rõ họ tên và đóng dấu)", ""))
    return doc.to_bytes()
