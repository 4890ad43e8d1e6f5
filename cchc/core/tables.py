"""One reader for the tables people upload — CSV (UTF-8, as the contracts write it) or XLSX with
the same columns (first sheet; a title may sit above the header row) — told apart by content.

`read_table` returns ``(line, row)`` pairs (row: column name, lower-cased → text) and raises
`TableErrors` for what is wrong with the file itself (encoding, header, too big, a broken or too
wide CSV line). Lines are the file's own: the CSV line where a record starts, the spreadsheet's
row number; 0 when the file cannot be opened at all. Each app turns the errors into its own
(`surveys.files`, `evaluation.files`)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

Rows = list[tuple[int, Mapping[str, str]]]
HEADER_SEARCH_ROWS = 20  # a spreadsheet's header row is looked for among its first rows


@dataclass(frozen=True)
class TableError:
    line: int
    reason: str


class TableErrors(ValueError):
    def __init__(self, errors: list[TableError]) -> None:
        super().__init__("; ".join(f"dòng {e.line}: {e.reason}" for e in errors))
        self.errors = errors


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def read_table(
    data: bytes,
    required: Sequence[str],
    *,
    header_key: str | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
    every_error: bool = False,
) -> Rows:
    """The rows of a CSV or XLSX file with their lines.

    ``required``: the columns the header must have. ``header_key``: the column that marks a
    spreadsheet's header row (default the first required one). ``every_error``: a CSV line that
    is wider than the header is listed and reading goes on (else the first one stops it)."""
    if max_bytes is not None and len(data) > max_bytes:
        raise TableErrors([TableError(0, f"tệp quá lớn (tối đa {max_bytes // (1024 * 1024)} MB).")])
    key = header_key or required[0]
    if is_xlsx(data):
        return _xlsx_rows(data, required, key, max_rows)
    return _csv_rows(data, required, max_rows, every_error)


def _too_many(line: int, max_rows: int) -> TableError:
    return TableError(line, f"quá {max_rows:,} dòng.".replace(",", "."))


def _csv_rows(data: bytes, required: Sequence[str], max_rows: int | None, every_error: bool) -> Rows:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TableErrors([TableError(line, "tệp không phải UTF-8 (hãy lưu lại dạng CSV UTF-8).")]) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise TableErrors([TableError(1, f"dòng tiêu đề không đọc được ({exc}).")]) from None
    if header is None:
        raise TableErrors([TableError(1, "tệp rỗng, thiếu dòng tiêu đề.")])
    names = header_names(header, required, line=1)
    width = len(names)
    rows: Rows = []
    errors: list[TableError] = []
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(TableError(start, f"dòng CSV không đọc được ({exc})."))
            break
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > width:
            errors.append(TableError(start, f"dòng có {len(record)} cột, nhiều hơn dòng tiêu đề ({width})."))
            if not every_error:
                break
            continue
        rows.append((start, {name: record[i] if i < len(record) else "" for i, name in enumerate(names)}))
        if max_rows is not None and len(rows) > max_rows:
            errors.append(_too_many(start, max_rows))
            break
    if errors:
        raise TableErrors(errors)
    return rows


def header_names(cells: Sequence[object], required: Sequence[str], *, line: int) -> list[str]:
    names = [str(c or "").strip().lstrip("\ufeff").lower() for c in cells]
    missing = [c for c in required if c not in names]
    if missing:
        raise TableErrors([TableError(line, f"thiếu cột: {', '.join(missing)}.")])
    duplicated = sorted({n for n in names if n and names.count(n) > 1})
    if duplicated:
        raise TableErrors([TableError(line, f"cột lặp lại: {', '.join(duplicated)}.")])
    return names


def _xlsx_rows(data: bytes, required: Sequence[str], key: str, max_rows: int | None) -> Rows:
    from openpyxl import load_workbook  # heavy; only for spreadsheets

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableErrors([TableError(0, f"không mở được tệp Excel ({exc.__class__.__name__}).")]) from None
    try:
        sheet = book.worksheets[0]
        names: list[str] | None = None
        rows: Rows = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if names is None:
                lowered = [str(c or "").strip().lower() for c in cells]
                if key in lowered:
                    names = header_names(cells, required, line=number)
                elif number >= HEADER_SEARCH_ROWS:
                    break
                continue
            values = ["" if c is None else cell_text(c) for c in cells]
            if not any(v.strip() for v in values):
                continue
            rows.append((number, {n: values[i] if i < len(values) else "" for i, n in enumerate(names) if n}))
            if max_rows is not None and len(rows) > max_rows:
                raise TableErrors([_too_many(number, max_rows)])
        if names is None:
            raise TableErrors(
                [TableError(1, f"không tìm thấy dòng tiêu đề có các cột {', '.join(required)}.")]
            )
        return rows
    finally:
        book.close()


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV would hold: 2.5 stays 2.5, 4.0 (every number is a
    float there) becomes 4."""
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)
