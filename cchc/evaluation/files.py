"""Framework and score files (docs/specs/par-index.md): CSV as the contract writes it, and XLSX
with the same columns — one sheet, one row per criterion, the way provinces publish them.

Readers return ``(line, row)`` pairs for `formulas.build_framework` / `formulas.check_scores`
and raise `ParErrors` for what is wrong with the file itself (encoding, header). Lines are the
file's own: the CSV line where a record starts, the spreadsheet's row number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from cchc.core.tables import TableErrors, read_table

from .formulas import FRAMEWORK_COLUMNS, RESULT_COLUMNS, SCORE_COLUMNS, ParError, ParErrors, Row

# Columns the application adds to a framework beyond the contract (the CLI ignores them).
FRAMEWORK_EXTRA_COLUMNS = ("huong_dan", "tai_lieu_kiem_chung", "chi_so_nguon", "dat_toi_da")
FRAMEWORK_HEADERS = {
    "ma": "Mã",
    "ten": "Lĩnh vực, tiêu chí, tiêu chí thành phần",
    "diem_toi_da": "Điểm tối đa",
    "phuong_phap": "Phương pháp chấm",
    "ap_dung": "Áp dụng",
    "huong_dan": "Hướng dẫn chấm điểm",
    "tai_lieu_kiem_chung": "Tài liệu kiểm chứng",
    "chi_so_nguon": "Chỉ số nguồn",
    "dat_toi_da": "Giá trị đạt điểm tối đa",
}
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
Rows = list[tuple[int, Row]]


def read_rows(data: bytes, required: Sequence[str]) -> Rows:
    """The rows of a CSV or XLSX file (told apart by content), with their lines; every too wide
    CSV line is listed; at most MAX_BYTES and MAX_ROWS (`cchc.core.tables.read_table`).
    Provinces put a title above the table: a spreadsheet's header is the first row naming `ma`."""
    try:
        return read_table(
            data, required, header_key="ma", max_bytes=MAX_BYTES, max_rows=MAX_ROWS, every_error=True
        )
    except TableErrors as exc:
        raise ParErrors([ParError(e.line, e.reason) for e in exc.errors]) from None


def read_framework_rows(data: bytes) -> Rows:
    return read_rows(data, FRAMEWORK_COLUMNS)


def read_score_rows(data: bytes) -> Rows:
    return read_rows(data, SCORE_COLUMNS)


def write_csv(rows: Iterable[dict[str, str]], columns: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def results_csv(rows: Iterable[dict[str, str]]) -> str:
    return write_csv(rows, RESULT_COLUMNS)


def framework_xlsx(rows: Iterable[dict[str, str]], *, title: str) -> bytes:
    """One sheet: a title row, the columns in Vietnamese, the header (the file's column names,
    which import reads back) and one row per criterion; areas bold."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from cchc.core.spreadsheets import text_cells

    columns = FRAMEWORK_COLUMNS + FRAMEWORK_EXTRA_COLUMNS
    book = Workbook()
    sheet = book.create_sheet("Bo chi so", 0)
    book.remove(book.worksheets[1])  # the empty default sheet
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([FRAMEWORK_HEADERS[c] for c in columns])  # for people
    sheet.append(list(columns))  # the header import reads (the first row naming `ma`)
    for cell in sheet[2] + sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        values = [row.get(c, "") for c in columns]
        sheet.append([_spreadsheet_value(c, v) for c, v in zip(columns, values, strict=True)])
        line = sheet.max_row
        text_cells(sheet[line])  # text stays text: never read as a formula
        for cell in sheet[line]:
            if isinstance(cell.value, str):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if "." not in str(row.get("ma", "")):
            for cell in sheet[line]:
                cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHI", (9, 60, 10, 12, 8, 50, 40, 14, 12), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "C4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _spreadsheet_value(column: str, value: str) -> object:
    if column in ("diem_toi_da", "dat_toi_da") and value:
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)
    return value
