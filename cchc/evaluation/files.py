"""Framework and score files (docs/specs/par-index.md): CSV as the contract writes it, and XLSX
with the same columns — one sheet, one row per criterion, the way provinces publish them.

Readers return ``(line, row)`` pairs for `formulas.build_framework` / `formulas.check_scores`
and raise `ParErrors` for what is wrong with the file itself (encoding, header). Lines are the
file's own: the CSV line where a record starts, the spreadsheet's row number.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal

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


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def read_rows(data: bytes, required: Sequence[str]) -> Rows:
    """The rows of a CSV or XLSX file (told apart by content), with their lines."""
    if len(data) > MAX_BYTES:
        raise ParErrors([ParError(0, f"tệp quá lớn (tối đa {MAX_BYTES // (1024 * 1024)} MB).")])
    return _xlsx_rows(data, required) if is_xlsx(data) else _csv_rows(data, required)


def _csv_rows(data: bytes, required: Sequence[str]) -> Rows:
    lines = data.split(b"\n")
    for number, raw in enumerate(lines, start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ParErrors(
                [ParError(number, "tệp không phải UTF-8 (hãy lưu lại dạng CSV UTF-8).")]
            ) from None
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ParErrors([ParError(1, f"dòng tiêu đề không đọc được ({exc}).")]) from None
    if header is None:
        raise ParErrors([ParError(1, "tệp rỗng, thiếu dòng tiêu đề.")])
    names = _header(header, required, line=1)
    rows: Rows = []
    errors: list[ParError] = []
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(ParError(start, f"dòng CSV không đọc được ({exc})."))
            break
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(names):
            errors.append(
                ParError(start, f"dòng có {len(record)} cột, nhiều hơn dòng tiêu đề ({len(names)}).")
            )
            continue
        rows.append((start, {name: record[i] if i < len(record) else "" for i, name in enumerate(names)}))
        if len(rows) > MAX_ROWS:
            errors.append(ParError(start, f"quá {MAX_ROWS:,} dòng.".replace(",", ".")))
            break
    if errors:
        raise ParErrors(errors)
    return rows


def _header(cells: Sequence[object], required: Sequence[str], *, line: int) -> list[str]:
    names = [str(c or "").strip().lstrip("\ufeff").lower() for c in cells]
    missing = [c for c in required if c not in names]
    if missing:
        raise ParErrors([ParError(line, f"thiếu cột: {', '.join(missing)}.")])
    duplicated = sorted({n for n in names if n and names.count(n) > 1})
    if duplicated:
        raise ParErrors([ParError(line, f"cột lặp lại: {', '.join(duplicated)}.")])
    return names


def _xlsx_rows(data: bytes, required: Sequence[str]) -> Rows:
    from openpyxl import load_workbook  # heavy; only for spreadsheets

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ParErrors([ParError(0, f"không mở được tệp Excel ({exc.__class__.__name__}).")]) from None
    try:
        sheet = book.worksheets[0]
        names: list[str] | None = None
        rows: Rows = []
        # Provinces put a title above the table: the header is the first row naming `ma`.
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if names is None:
                lowered = [str(c or "").strip().lower() for c in cells]
                if "ma" in lowered:
                    names = _header(cells, required, line=number)
                elif number >= 20:
                    break
                continue
            values = ["" if c is None else _cell_text(c) for c in cells]
            if not any(v.strip() for v in values):
                continue
            rows.append(
                (number, {name: values[i] if i < len(values) else "" for i, name in enumerate(names) if name})
            )
            if len(rows) > MAX_ROWS:
                raise ParErrors([ParError(number, f"quá {MAX_ROWS:,} dòng.".replace(",", "."))])
        if names is None:
            raise ParErrors([ParError(1, f"không tìm thấy dòng tiêu đề có các cột {', '.join(required)}.")])
        return rows
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if isinstance(value, float):
        # 2.5 stays 2.5; 10.0 becomes 10 (a spreadsheet stores every number as a float)
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


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
