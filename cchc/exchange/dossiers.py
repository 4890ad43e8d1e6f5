"""dossiers.csv — one row per dossier (docs/specs/dossier-exchange.md), read as a stream.

    tree = read_orgs("orgs.csv")
    for item in iter_dossiers("dossiers.csv", tree):      # or any container of unit codes
        if isinstance(item, BadRow):
            print(item)                                   # "dòng 17: han_tra: thiếu giá trị"
        else:
            item.ma_ho_so, item.tiep_nhan_luc, item.tam_dung_gio, ...

Nothing is held but the current row (and, unless ``check_duplicates=False``, the set of dossier
codes seen, to report a repeated code as a bad row: the first valid occurrence is kept). File
problems (cannot open, missing columns, repeated column names) raise `ExchangeError`; row problems
become `BadRow` items with the line where the record starts and one reason — the first broken rule
in the order of `formats.CHECK_ORDER` and then `formats.CROSS_RULES` (the file mode of
`cchc indicators compute` reports exactly the same reason for the same row).

`write_dossiers` writes rows in the same format (``YYYY-MM-DD HH:MM:SS`` local time).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from os import PathLike

from . import formats as f
from .errors import ExchangeError, refuse_other_encodings


@dataclass(frozen=True, slots=True)
class DossierRow:
    """A valid row. Datetimes are aware (Asia/Ho_Chi_Minh); empty optional values are None."""

    line: int
    ma_ho_so: str
    ma_tthc: str
    ma_don_vi: str
    kenh: str
    tiep_nhan_luc: datetime
    han_tra: datetime
    han_tra_moi: datetime | None
    ket_thuc_luc: datetime | None
    tra_kq_luc: datetime | None
    ket_qua: str | None
    so_lan_bo_sung: int
    tam_dung_gio: Decimal
    co_nghia_vu_tai_chinh: bool
    thanh_toan_truc_tuyen: bool
    ket_qua_dien_tu: bool
    so_hoa: bool
    tai_su_dung: bool
    xin_loi: bool
    danh_gia: str | None

    def as_record(self) -> dict[str, str]:
        """The row as exchange-format strings (for `write_dossiers`)."""
        out: dict[str, str] = {}
        for name in f.DOSSIER_COLUMNS:
            value = getattr(self, name)
            if value is None:
                out[name] = ""
            elif isinstance(value, bool):
                out[name] = "1" if value else "0"
            elif isinstance(value, datetime):
                out[name] = f.format_local(value)
            elif isinstance(value, Decimal):
                out[name] = f.format_hours(value)
            else:
                out[name] = str(value)
        return out


DOSSIER_FIELDS = tuple(field.name for field in fields(DossierRow))


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row that breaks a rule: where it starts, why, and the column at fault (if one)."""

    line: int
    reason: str
    column: str | None = None
    ma_ho_so: str | None = None

    def __str__(self) -> str:
        return f"dòng {self.line}: {self.reason}"


def read_header(path: str | PathLike) -> list[str]:
    """The column names of a dossiers.csv (BOM and surrounding spaces removed)."""
    name = str(path)
    refuse_other_encodings(path)
    try:
        with open(path, encoding="utf-8-sig", newline="", errors="surrogateescape") as fh:
            header = next(csv.reader(fh), None)
    except OSError as exc:
        raise ExchangeError(0, f"không mở được tệp: {exc.strerror or exc}", path=name) from None
    except csv.Error as exc:
        raise ExchangeError(1, f"lỗi cú pháp CSV ở dòng tiêu đề: {exc}", path=name) from None
    if header is None:
        raise ExchangeError(0, "tệp rỗng (thiếu dòng tiêu đề)", path=name)
    return check_header(header, name)


def check_header(header: list[str], path: str = "") -> list[str]:
    header = [h.strip(f.TRIM) for h in header]
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    seen: set[str] = set()
    for column in header:
        if column in f.DOSSIER_COLUMNS and column in seen:
            raise ExchangeError(1, f"cột {column} xuất hiện hai lần", path=path)
        seen.add(column)
    missing = [c for c in f.REQUIRED_DOSSIER_COLUMNS if c not in seen]
    if missing:
        raise ExchangeError(1, "thiếu cột " + ", ".join(missing), path=path)
    return header


class RowChecker:
    """Checks one record (a list of strings in header order) — the rules of `formats`.

    ``check(record, line)`` returns a tuple of typed values in `DOSSIER_COLUMNS` order (datetimes
    as local microseconds, tam_dung_gio as 1e-9 hours) or a `BadRow`.
    """

    def __init__(self, header: list[str], units: Container[str]):
        self.width = len(header)
        self.units = units
        self.index = [header.index(c) if c in header else -1 for c in f.DOSSIER_COLUMNS]

    def check(self, record: list[str], line: int) -> tuple | BadRow:
        joined = "".join(record)
        if not joined.isascii():
            try:
                joined.encode("utf-8")
            except UnicodeEncodeError:
                return BadRow(line, f.MESSAGES["encoding"])
        if len(record) != self.width:
            return BadRow(line, f.MESSAGES["fields"])
        out = []
        code = None
        for column, i in zip(f.DOSSIER_COLUMNS, self.index, strict=True):
            raw = record[i] if i >= 0 else ""
            required, kind = f.COLUMN_RULES[column]
            value = raw if not raw or (raw[0] not in f.TRIM and raw[-1] not in f.TRIM) else raw.strip(f.TRIM)
            if not value:
                if required:
                    return BadRow(line, f.message("missing", column), column, code)
                out.append(None)
                continue
            if kind == "text":
                value = f.nfc(value)
                if column == "ma_ho_so":
                    code = value
                out.append(value)
            elif kind == "unit":
                value = f.nfc(value)
                if value not in self.units:
                    return BadRow(line, f.message("unit", column, raw), column, code)
                out.append(value)
            elif kind == "enum":
                if value not in f.ENUMS[column]:
                    return BadRow(line, f.message("enum", column, raw), column, code)
                out.append(value)
            elif kind == "datetime":
                us = f.parse_local_us(value)
                if isinstance(us, str):
                    return BadRow(line, f.message(us, column, raw), column, code)
                out.append(us)
            elif kind == "count":
                n = f.parse_count(value)
                if n is None:
                    return BadRow(line, f.message("count", column, raw), column, code)
                out.append(n)
            elif kind == "hours":
                h = f.parse_hours_scaled(value)
                if h is None or h >= 10**6 * f.HOURS_SCALE:
                    return BadRow(line, f.message("hours", column, raw), column, code)
                out.append(h)
            else:  # flag
                if value == "1":
                    out.append(True)
                elif value == "0":
                    out.append(False)
                else:
                    return BadRow(line, f.message("flag", column, raw), column, code)
        rule = cross_rule(out[4], out[5], out[6], out[7], out[8], out[9])
        if rule is not None:
            return BadRow(line, f.CROSS_MESSAGES[rule], None, code)
        return tuple(out)


def cross_rule(receipt, due, new_due, end, returned, result) -> str | None:
    """The first cross-column rule a row breaks (values as local microseconds), or None."""
    if end is not None and end < receipt:
        return "end_before_receipt"
    if due < receipt:
        return "due_before_receipt"
    if new_due is not None and new_due <= due:
        return "new_due_not_later"
    if returned is not None and end is None:
        return "returned_while_open"
    if returned is not None and returned < end:
        return "returned_before_end"
    if result is not None and end is None:
        return "result_while_open"
    if end is not None and result is None:
        return "end_without_result"
    return None


def iter_checked(
    path: str | PathLike, units: Container[str], *, check_duplicates: bool = True
) -> Iterator[tuple[int, tuple] | BadRow]:
    """Like `iter_dossiers`, but valid rows come as (line, values) with datetimes in local
    microseconds and tam_dung_gio in 1e-9 hours (`formats.DOSSIER_COLUMNS` order)."""
    header = read_header(path)
    with open(path, encoding="utf-8-sig", newline="", errors="surrogateescape") as fh:
        reader = csv.reader(fh, strict=True)
        next(reader)
        yield from checked_records(reader, RowChecker(header, units), check_duplicates=check_duplicates)


def checked_records(
    reader, checker: RowChecker, *, check_duplicates: bool = True
) -> Iterator[tuple[int, tuple] | BadRow]:
    """The rows after the header of a `csv.reader`: (line, values) per valid row or a `BadRow`
    (lines counted as the file has them, a row broken over lines reported at its first). The
    codes seen are kept to report a repeated code with the line of its first occurrence."""
    seen: dict[str, int] | None = {} if check_duplicates else None
    previous = reader.line_num
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:
            start, previous = previous + 1, reader.line_num
            yield BadRow(start, f.MESSAGES["csv"])
            continue
        start, previous = previous + 1, reader.line_num
        if not record:
            continue  # a blank line
        result = checker.check(record, start)
        if isinstance(result, BadRow):
            yield result
            continue
        if seen is not None:
            first = seen.get(result[0])
            if first is not None:
                reason = f.MESSAGES["duplicate"].format(v=result[0][: f.VALUE_SHOWN], first=first)
                yield BadRow(start, reason, "ma_ho_so", result[0])
                continue
            seen[result[0]] = start
        yield start, result


def _row(line: int, v: tuple) -> DossierRow:
    dtv = f.local_us_to_datetime
    return DossierRow(
        line,
        v[0],
        v[1],
        v[2],
        v[3],
        dtv(v[4]),
        dtv(v[5]),
        None if v[6] is None else dtv(v[6]),
        None if v[7] is None else dtv(v[7]),
        None if v[8] is None else dtv(v[8]),
        v[9],
        v[10],
        f.hours_from_scaled(v[11]),
        *v[12:18],
        v[18],
    )


def iter_dossiers(
    path: str | PathLike, units: Container[str], *, check_duplicates: bool = True
) -> Iterator[DossierRow | BadRow]:
    """Stream dossiers.csv: a `DossierRow` per valid row, a `BadRow` per bad one, in file order.

    ``units``: the known unit codes (an `OrgTree` or any container). Raises `ExchangeError` for a
    file that cannot be read at all (missing columns, not found)."""
    for item in iter_checked(path, units, check_duplicates=check_duplicates):
        if isinstance(item, BadRow):
            yield item
        else:
            yield _row(*item)


def write_dossiers(
    path: str | PathLike | io.TextIOBase, rows: Iterable[DossierRow | Mapping[str, object]]
) -> int:
    """Write dossiers.csv (all columns, header first); returns the number of rows written.

    Mappings may hold strings or typed values (datetime, bool, Decimal, int, None)."""
    own = isinstance(path, (str, PathLike))
    fh = open(path, "w", encoding="utf-8", newline="") if own else path  # noqa: SIM115
    try:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(f.DOSSIER_COLUMNS)
        count = 0
        for row in rows:
            record = row.as_record() if isinstance(row, DossierRow) else _record(row)
            writer.writerow([record.get(c, "") for c in f.DOSSIER_COLUMNS])
            count += 1
        return count
    finally:
        if own:
            fh.close()


def _record(row: Mapping[str, object]) -> dict[str, str]:
    out = {}
    for column in f.DOSSIER_COLUMNS:
        value = row.get(column)
        if value is None:
            out[column] = ""
        elif isinstance(value, bool):
            out[column] = "1" if value else "0"
        elif isinstance(value, datetime):
            out[column] = f.format_local(value)
        elif isinstance(value, Decimal):
            out[column] = f.format_hours(value)
        else:
            out[column] = str(value)
    return out
