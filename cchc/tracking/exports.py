"""XLSX exports of tracking pages (openpyxl, write-only mode so large plans stay cheap)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from cchc.core.spreadsheets import write_only_row

from .status import Status

STATUS_LABELS = dict(Status.choices)


def _fmt(d) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def _workbook(title: str, header: list[str], rows: Iterable[list], widths: list[int]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(65 + i)].width = w
    bold = Font(bold=True)
    cells = []
    for h in header:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    for row in rows:
        ws.append(write_only_row(ws, row))  # text stays text: never a formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def assignments_xlsx(assignments: Iterable) -> bytes:
    header = [
        "Kế hoạch",
        "STT",
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Thời gian hoàn thành",
        "Hạn",
        "Tiến độ (%)",
        "Trạng thái",
        "Cập nhật gần nhất",
    ]
    rows = (
        [
            a.task.plan.number or a.task.plan.title,
            a.task.number,
            a.task.content,
            a.unit.name,
            a.task.deadline_text,
            _fmt(a.task.final_due),
            a.percent,
            STATUS_LABELS[a.status],
            _fmt(a.last_reported_on),
        ]
        for a in assignments
    )
    return _workbook("Nhiệm vụ", header, rows, [20, 6, 70, 30, 24, 12, 10, 20, 16])


def dashboard_xlsx(dashboard) -> bytes:
    header = [
        "Đơn vị",
        "Số nhiệm vụ",
        "Tiến độ bình quân (%)",
        *[s.label for s in Status],
        "Cập nhật gần nhất",
    ]
    rows = (
        [
            u.name,
            u.total,
            round(u.percent, 1),
            *[u.by_status.get(s.value, 0) for s in Status],
            _fmt(u.last_reported_on),
        ]
        for u in dashboard.units
    )
    return _workbook("Tiến độ theo đơn vị", header, rows, [40, 12, 14, 14, 14, 12, 12, 18, 16])
