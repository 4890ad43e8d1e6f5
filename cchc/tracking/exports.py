"""XLSX exports of tracking pages (openpyxl, write-only mode so large plans stay cheap)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from cchc.core.spreadsheets import write_only_row

from .status import Status

STATUS_LABELS = dict(Status.choices)


def _fmt(d) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


TITLE_ROWS = 3  # title, "as of" line, a blank row; the table's header comes next


@dataclass(frozen=True)
class Sheet:
    title: str  # the tab's name
    heading: list[str]  # the lines above the table: what it is, whose, as of which date
    header: list[str]
    rows: Iterable[list]
    widths: list[int]


def _workbook(*sheets: Sheet) -> bytes:
    wb = Workbook(write_only=True)
    bold, big = Font(bold=True), Font(bold=True, size=13)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title[:31])
        for i, w in enumerate(sheet.widths):
            ws.column_dimensions[chr(65 + i)].width = w
        for n, line in enumerate([*sheet.heading, ""][:TITLE_ROWS]):
            cell = WriteOnlyCell(ws, value=line)
            if n == 0:
                cell.font = big
            ws.append([cell])
        cells = []
        for h in sheet.header:
            cell = WriteOnlyCell(ws, value=h)
            cell.font = bold
            cells.append(cell)
        ws.append(cells)
        for row in sheet.rows:
            ws.append(write_only_row(ws, row))  # text stays text: never a formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


TASK_HEADER = [
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
TASK_WIDTHS = [20, 6, 70, 30, 24, 12, 10, 20, 16]


def _task_rows(assignments: Iterable) -> Iterable[list]:
    return (
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


def assignments_xlsx(assignments: Iterable, *, today: dt.date | None = None, who: str = "") -> bytes:
    today = today or timezone.localdate()
    heading = ["Nhiệm vụ của tôi" + (f" — {who}" if who else ""), f"Số liệu đến ngày {_fmt(today)}"]
    return _workbook(Sheet("Nhiệm vụ", heading, TASK_HEADER, _task_rows(assignments), TASK_WIDTHS))


def dashboard_xlsx(dashboard, assignments: Iterable = ()) -> bytes:
    """The plan's progress by unit, then one row per task and unit (`assignments`, the same scope
    as the dashboard), each sheet under the plan's title and the date of the figures."""
    plan = dashboard.plan
    name = f"{plan.number} — {plan.title}" if plan.number else plan.title
    heading = [
        f"Tiến độ thực hiện kế hoạch: {name}",
        f"{plan.issuer.name} · số liệu đến ngày {_fmt(dashboard.today)}",
    ]
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
    return _workbook(
        Sheet("Tiến độ theo đơn vị", heading, header, rows, [40, 12, 14, 14, 14, 12, 12, 18, 16]),
        Sheet("Nhiệm vụ", heading, TASK_HEADER, _task_rows(assignments), TASK_WIDTHS),
    )
