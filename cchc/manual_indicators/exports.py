"""XLSX of an overview: the rolled-up figure on top, then one row per unit (figures as numbers,
so they can be added up again in Excel; missing reports on a yellow background)."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from cchc.core.spreadsheets import append_row

from .models import Kind
from .selectors import Overview

MISSING_FILL = PatternFill("solid", fgColor="FFF3B0")
HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")
PERCENT_FORMAT = "0.00"
INTEGER_FORMAT = "#,##0"
NUMBER_FORMAT = "#,##0.00"


def _figure_columns(kind: str) -> list[str]:
    return ["Tử số", "Mẫu số", "Tỷ lệ (%)"] if kind == Kind.RATIO else ["Giá trị"]


def overview_xlsx(ov: Overview) -> bytes:
    d = ov.definition
    v = ov.value
    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu theo đơn vị"
    bold = Font(bold=True)
    value_format = (
        PERCENT_FORMAT if d.is_percentage else (INTEGER_FORMAT if d.kind == Kind.COUNT else NUMBER_FORMAT)
    )

    append_row(ws, [d.name])
    ws["A1"].font = Font(bold=True, size=13)
    append_row(ws, [f"Mã: {d.code} · Đơn vị ban hành: {d.unit.name} · Đơn vị tính: {d.measure or '—'}"])
    append_row(
        ws, [f"Kỳ: {v.period.label} (số liệu từ {v.period.start:%d/%m/%Y} đến {v.period.end:%d/%m/%Y})"]
    )
    append_row(ws, [f"Phạm vi: {v.unit.name} · Đã báo cáo {v.reported_expected}/{len(v.expected)} đơn vị"])
    summary = ["Tổng hợp", v.basis_label]
    if d.kind == Kind.RATIO:
        summary += [v.numerator, v.denominator]
    summary.append(v.value)
    append_row(ws, summary)
    for cell in ws[5]:
        cell.font = bold
    if d.kind == Kind.RATIO:
        ws.cell(5, 3).number_format = INTEGER_FORMAT
        ws.cell(5, 4).number_format = INTEGER_FORMAT
    ws.cell(5, len(summary)).number_format = value_format
    append_row(ws, [f"Xuất lúc {timezone.localtime():%H:%M %d/%m/%Y}"])
    append_row(ws, [])

    header = [
        "STT",
        "Đơn vị",
        *_figure_columns(d.kind),
        "Tổng hợp cả đơn vị trực thuộc",
        "Tình trạng",
        "Người báo cáo",
        "Thời điểm báo cáo",
        "Số lần điều chỉnh",
        "Ghi chú",
    ]
    append_row(ws, header)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = bold
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    nfig = len(_figure_columns(d.kind))
    for i, row in enumerate(ov.rows, start=1):
        r = row.report
        if d.kind == Kind.RATIO:
            figures = [r.numerator, r.denominator, r.value] if r else [None, None, None]
        else:
            figures = [r.value if r else None]
        status = "Đã báo cáo" if r else ("Chưa báo cáo" if row.expected else "Không thuộc phạm vi")
        if r and not row.expected:
            status = "Đã báo cáo (ngoài phạm vi hiện tại)"
        append_row(
            ws,
            [
                i,
                "  " * row.indent + row.unit.name,
                *figures,
                row.figure.value if row.figure else None,
                status,
                str(r.reported_by) if r and r.reported_by else "",
                timezone.localtime(r.reported_at).strftime("%H:%M %d/%m/%Y") if r else "",
                r.corrections if r else None,
                r.note if r else "",
            ],
        )
        n = ws.max_row
        for col in range(3, 3 + nfig + 1):
            ws.cell(n, col).number_format = value_format
        if d.kind == Kind.RATIO:
            ws.cell(n, 3).number_format = INTEGER_FORMAT
            ws.cell(n, 4).number_format = INTEGER_FORMAT
        if not r and row.expected:
            for cell in ws[n]:
                cell.fill = MISSING_FILL
    for col, width in zip("ABCDEFGHIJKL", [6, 45, 14, 14, 14, 16, 18, 24, 18, 10, 40, 40], strict=False):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(header_row + 1, 3)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
