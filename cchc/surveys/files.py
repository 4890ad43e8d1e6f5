"""Questionnaire and response files (docs/specs/survey-results.md): CSV as the contract writes it,
and XLSX with the same columns (one sheet; a title may sit above the header row) for responses
collected elsewhere.

Readers return ``(line, row)`` pairs for `formulas.build_questionnaire` /
`formulas.check_responses` and raise `SurveyErrors` for what is wrong with the file itself
(encoding, header). Lines are the file's own: the CSV line where a record starts, the
spreadsheet's row number.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal

from .formulas import QUESTION_COLUMNS, RESPONSE_COLUMNS, RESULT_COLUMNS, Row, SurveyError, SurveyErrors

# Columns the application's questionnaires add beyond the contract (the command ignores them).
QUESTION_EXTRA_COLUMNS = ("ten_yeu_to", "noi_dung", "lua_chon")
Rows = list[tuple[int, Row]]


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def read_rows(data: bytes, required: Sequence[str]) -> Rows:
    """The rows of a CSV or XLSX file (told apart by content), with their lines."""
    return _xlsx_rows(data, required) if is_xlsx(data) else _csv_rows(data, required)


def _csv_rows(data: bytes, required: Sequence[str]) -> Rows:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SurveyErrors(
            [SurveyError(line, "tệp không phải UTF-8 (hãy lưu lại dạng CSV UTF-8).")]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise SurveyErrors([SurveyError(1, f"dòng tiêu đề không đọc được ({exc}).")]) from None
    if header is None:
        raise SurveyErrors([SurveyError(1, "tệp rỗng, thiếu dòng tiêu đề.")])
    names = _header(header, required, line=1)
    rows: Rows = []
    width = len(names)
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise SurveyErrors([SurveyError(start, f"dòng CSV không đọc được ({exc}).")]) from None
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > width:
            raise SurveyErrors(
                [SurveyError(start, f"dòng có {len(record)} cột, nhiều hơn dòng tiêu đề ({width}).")]
            )
        if len(record) < width:
            record = record + [""] * (width - len(record))
        rows.append((start, dict(zip(names, record, strict=True))))
    return rows


def _header(cells: Sequence[object], required: Sequence[str], *, line: int) -> list[str]:
    names = [str(c or "").strip().lstrip("\ufeff").lower() for c in cells]
    missing = [c for c in required if c not in names]
    if missing:
        raise SurveyErrors([SurveyError(line, f"thiếu cột: {', '.join(missing)}.")])
    duplicated = sorted({n for n in names if n and names.count(n) > 1})
    if duplicated:
        raise SurveyErrors([SurveyError(line, f"cột lặp lại: {', '.join(duplicated)}.")])
    return names


def _xlsx_rows(data: bytes, required: Sequence[str]) -> Rows:
    from openpyxl import load_workbook  # heavy; only for spreadsheets

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SurveyErrors([SurveyError(0, f"không mở được tệp Excel ({exc.__class__.__name__}).")]) from None
    try:
        sheet = book.worksheets[0]
        names: list[str] | None = None
        rows: Rows = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if names is None:
                lowered = [str(c or "").strip().lower() for c in cells]
                if required[0] in lowered:
                    names = _header(cells, required, line=number)
                elif number >= 20:
                    break
                continue
            values = ["" if c is None else _cell_text(c) for c in cells]
            if not any(v.strip() for v in values):
                continue
            rows.append((number, {n: values[i] if i < len(values) else "" for i, n in enumerate(names) if n}))
        if names is None:
            raise SurveyErrors(
                [SurveyError(1, f"không tìm thấy dòng tiêu đề có các cột {', '.join(required)}.")]
            )
        return rows
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if isinstance(value, float):  # a spreadsheet stores 4 as 4.0
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def read_questionnaire_rows(data: bytes) -> Rows:
    return read_rows(data, QUESTION_COLUMNS)


def read_response_rows(data: bytes) -> Rows:
    return read_rows(data, RESPONSE_COLUMNS)


def write_csv(rows: Iterable[Row], columns: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def results_csv(rows: Iterable[Row]) -> str:
    return write_csv(rows, RESULT_COLUMNS)
