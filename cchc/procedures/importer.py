"""Read a procedure catalogue from CSV or XLSX and say, row by row, what importing it would do.

The columns (Vietnamese headers, any order, unknown columns ignored; header names are matched
without accents or case, so "Mã TTHC" is `ma_tthc`) are documented in docs/procedures.md.
Only `ma_tthc` and `ten_tthc` are required. A blank cell leaves the stored value as it is (an
import adds what it knows, it never erases). Rows are matched to the catalogue by code and
competent agency, so importing the same file twice changes nothing the second time.

`preview()` only reads; `cchc.procedures.services.catalogue_import` writes what it returns.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Sum

from cchc.core.actors import SYSTEM, Actor
from cchc.core.errors import ServiceError
from cchc.core.numbers import format_count as _n
from cchc.core.text import fold, nfc
from cchc.orgs.access import Access
from cchc.orgs.models import Unit

from .models import ApplicantType, Level, OnlineMode, Procedure, TimeUnit, format_duration
from .services import EDITABLE_FIELDS, check_procedure, default_level, normalise, validate_code

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

# column → (model field, label shown in messages)
COLUMNS: dict[str, tuple[str, str]] = {
    "ma_tthc": ("code", "mã thủ tục"),
    "ten_tthc": ("name", "tên thủ tục"),
    "linh_vuc": ("field", "lĩnh vực"),
    "cap_thuc_hien": ("level", "cấp thực hiện"),
    "co_quan": ("agency", "cơ quan thực hiện (mã đơn vị)"),
    "thoi_han": ("processing_time", "thời hạn giải quyết"),
    "don_vi_thoi_han": ("time_unit", "đơn vị thời hạn"),
    "phi_le_phi": ("fee_amount", "phí, lệ phí"),
    "muc_do": ("online_mode", "mức độ trực tuyến"),
    "ket_qua": ("result_type", "kết quả thực hiện"),
    "doi_tuong": ("applicant_type", "đối tượng thực hiện"),
    "ngay_cong_bo": ("published_on", "ngày công bố"),
    "quyet_dinh_cong_bo": ("announcement_decision", "quyết định công bố"),
    # optional extras
    "can_cu_phap_ly": ("legal_basis", "căn cứ pháp lý"),
    "dong_bo_quoc_gia": ("synced_to_national_portal", "đã đồng bộ Cổng DVC quốc gia"),
    "hieu_luc_tu": ("valid_from", "hiệu lực từ"),
    "hieu_luc_den": ("valid_to", "hiệu lực đến"),
}
REQUIRED = ("ma_tthc", "ten_tthc")
FIELD_LABELS = {model_field: label for model_field, label in COLUMNS.values()}

LEVEL_WORDS = {
    "tinh": Level.PROVINCE,
    "cap tinh": Level.PROVINCE,
    "province": Level.PROVINCE,
    "xa": Level.COMMUNE,
    "cap xa": Level.COMMUNE,
    "commune": Level.COMMUNE,
    "trung uong": Level.CENTRAL_LOCAL,
    "trung_uong": Level.CENTRAL_LOCAL,
    "cap trung uong": Level.CENTRAL_LOCAL,
    "central_local": Level.CENTRAL_LOCAL,
}
UNIT_WORDS = {
    "ngay_lam_viec": TimeUnit.WORKING_DAY,
    "ngay lam viec": TimeUnit.WORKING_DAY,
    "working_day": TimeUnit.WORKING_DAY,
    "gio_lam_viec": TimeUnit.WORKING_HOUR,
    "gio lam viec": TimeUnit.WORKING_HOUR,
    "gio": TimeUnit.WORKING_HOUR,
    "working_hour": TimeUnit.WORKING_HOUR,
    "ngay": TimeUnit.CALENDAR_DAY,
    "ngay lich": TimeUnit.CALENDAR_DAY,
    "calendar_day": TimeUnit.CALENDAR_DAY,
}
MODE_WORDS = {
    "toan_trinh": OnlineMode.FULL,
    "toan trinh": OnlineMode.FULL,
    "full": OnlineMode.FULL,
    "mot_phan": OnlineMode.PARTIAL,
    "mot phan": OnlineMode.PARTIAL,
    "partial": OnlineMode.PARTIAL,
    "khong": OnlineMode.NONE,
    "none": OnlineMode.NONE,
}
APPLICANT_WORDS = {
    "cong_dan": ApplicantType.CITIZEN,
    "cong dan": ApplicantType.CITIZEN,
    "ca nhan": ApplicantType.CITIZEN,
    "citizen": ApplicantType.CITIZEN,
    "to_chuc": ApplicantType.ORGANISATION,
    "to chuc": ApplicantType.ORGANISATION,
    "doanh nghiep": ApplicantType.ORGANISATION,
    "to chuc, doanh nghiep": ApplicantType.ORGANISATION,
    "organisation": ApplicantType.ORGANISATION,
    "ca_hai": ApplicantType.BOTH,
    "ca hai": ApplicantType.BOTH,
    "cong dan, to chuc": ApplicantType.BOTH,
    "ca nhan, to chuc": ApplicantType.BOTH,
    "both": ApplicantType.BOTH,
}
YES = {"1", "co", "x", "true", "yes", "da dong bo", "da"}
NO = {"0", "khong", "false", "no", "chua", "chua dong bo"}
FREE = {"khong", "mien phi", "khong thu", "khong co", "khong thu phi", "khong thu phi, le phi"}
_NUMBER = re.compile(r"^\s*(\d{1,3}(?:[.\s]\d{3})+|\d+)(?:,(\d+))?")


class ImportFileError(ServiceError):
    """The file as a whole cannot be read (format, encoding, missing columns)."""


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"dòng {self.line}" + (f", cột {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class Change:
    """What one good row does: create a procedure, update some of its fields, or nothing."""

    line: int
    action: str  # "create" | "update" | "unchanged"
    code: str
    name: str
    agency: Unit
    data: dict[str, Any]
    procedure: Procedure | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)


@dataclass
class ImportPreview:
    filename: str
    rows: int = 0
    changes: list[Change] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False

    @property
    def created(self) -> list[Change]:
        return [c for c in self.changes if c.action == "create"]

    @property
    def updated(self) -> list[Change]:
        return [c for c in self.changes if c.action == "update"]

    @property
    def unchanged(self) -> list[Change]:
        return [c for c in self.changes if c.action == "unchanged"]

    @property
    def to_apply(self) -> int:
        return len(self.created) + len(self.updated)

    @property
    def bad_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})

    def summary(self) -> str:
        verb = "đã" if self.applied else "sẽ"
        return (
            f"{_n(self.rows)} dòng dữ liệu: {verb} tạo {_n(len(self.created))}, "
            f"cập nhật {_n(len(self.updated))}, giữ nguyên {_n(len(self.unchanged))}; "
            f"{_n(len(self.bad_lines))} dòng lỗi bị bỏ qua."
        )


# --- reading the table ------------------------------------------------------------------------


def _header_key(text: Any) -> str:
    return re.sub(r"[\s\-]+", "_", fold(str(text or "")).strip())


def _read_csv(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "Tệp CSV không ở mã UTF-8: khi lưu từ Excel, chọn “CSV UTF-8 (Comma delimited)”.",
            code="import_not_utf8",
        ) from exc
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") and "\t" not in sample else ","
    if sample.count("\t") > max(sample.count(","), sample.count(";")):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, start = [], 1
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(
            f"Tệp CSV hỏng ở dòng {reader.line_num}: {exc}.", code="import_csv_broken"
        ) from exc
    return rows


def _read_xlsx(content: bytes) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(
            "Không đọc được tệp Excel (.xlsx): tệp hỏng hoặc không phải định dạng XLSX.",
            code="import_xlsx_broken",
        ) from exc
    sheet = book.worksheets[0]
    rows = [
        (i, ["" if v is None else v for v in values])
        for i, values in enumerate(sheet.iter_rows(values_only=True), start=1)
    ]
    book.close()
    return rows


def read_table(filename: str, content: bytes) -> list[tuple[int, dict[str, Any]]]:
    """The data rows as (line, {column: cell}) with canonical column names; raises
    ImportFileError when the file cannot be used at all."""
    if not content:
        raise ImportFileError("Tệp rỗng.", code="import_file_empty")
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            f"Tệp quá lớn (tối đa {MAX_BYTES // (1024 * 1024)} MB).", code="import_file_too_large"
        )
    name = (filename or "").lower()
    if name.endswith(".xlsx") or content[:2] == b"PK":
        table = _read_xlsx(content)
    elif name.endswith((".csv", ".txt")) or not name:
        table = _read_csv(content)
    else:
        raise ImportFileError(
            f"Không đọc được “{filename}”: chỉ nhận tệp .csv hoặc .xlsx.", code="import_file_type"
        )
    table = [(line, cells) for line, cells in table if any(str(c).strip() for c in cells)]
    if not table:
        raise ImportFileError("Tệp không có dữ liệu.", code="import_file_empty")
    header_line, header = table[0]
    keys = [_header_key(h) for h in header]
    missing = [c for c in REQUIRED if c not in keys]
    if missing:
        raise ImportFileError(
            f"Dòng tiêu đề (dòng {header_line}) thiếu cột bắt buộc: {', '.join(missing)}. "
            "Các cột: " + ", ".join(COLUMNS) + ".",
            code="import_columns_missing",
        )
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(
            f"Tệp có quá nhiều dòng (tối đa {MAX_ROWS:,}).".replace(",", "."), code="import_too_many_rows"
        )
    rows = []
    for line, cells in table[1:]:
        row = {}
        for key, cell in zip(keys, cells, strict=False):
            if key in COLUMNS and key not in row:
                row[key] = cell.strip() if isinstance(cell, str) else cell
        rows.append((line, row))
    return rows


# --- parsing cells ----------------------------------------------------------------------------


class CellError(ValueError):
    pass


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_number(value: Any) -> Decimal:
    """ "15", "0,5", "1.500.000", 15.0 → Decimal; the first number of a phrase ("15 ngày làm việc")."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value))
    match = _NUMBER.match(str(value))
    if not match:
        raise CellError("không phải là số")
    whole = re.sub(r"[.\s]", "", match.group(1))
    try:
        return Decimal(f"{whole}.{match.group(2)}" if match.group(2) else whole)
    except InvalidOperation as exc:
        raise CellError("không phải là số") from exc


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(f"“{text}” không phải là ngày (dùng dd/mm/yyyy, ví dụ 15/03/2025)")


def parse_time(value: Any) -> tuple[Decimal, str | None]:
    """ "15" → (15, None); "15 ngày làm việc" → (15, working_day); "4 giờ" → (4, working_hour)."""
    number = parse_number(value)
    rest = fold(str(value))
    unit = None
    if "gio" in rest:
        unit = TimeUnit.WORKING_HOUR
    elif "ngay lam viec" in rest:
        unit = TimeUnit.WORKING_DAY
    elif "ngay" in rest:
        unit = TimeUnit.CALENDAR_DAY
    return number, unit


def parse_fee(value: Any) -> tuple[int | None, str]:
    """(amount in đồng, note): "0"/"Không" → (0, ""); "50.000" → (50000, ""); "50.000 đồng/bản"
    → (50000, "50.000 đồng/bản"); a phrase without an amount is kept as a note."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if value < 0:
            raise CellError("số tiền không được âm")
        if value != int(value):
            raise CellError("số tiền phải là số đồng nguyên")
        return int(value), ""
    text = nfc(str(value))
    folded = fold(text).strip(" .")
    if folded in FREE or folded.startswith("khong thu") or folded.startswith("mien "):
        return 0, "" if folded in FREE else text
    if text.startswith("-"):
        raise CellError("số tiền không được âm")
    try:
        amount = parse_number(text)
    except CellError:
        return None, text
    if amount != amount.to_integral():
        raise CellError("số tiền phải là số đồng nguyên (dấu chấm ngăn cách hàng nghìn: 50.000)")
    rest = re.sub(r"^\s*[\d.\s,]+", "", text).strip()
    note = "" if fold(rest).strip(" .") in {"", "d", "dong", "vnd", "vnđ"} else text
    return int(amount), note


def _choice(value: Any, words: dict[str, str], expected: str) -> str:
    key = fold(str(value)).strip()
    if key in words:
        return words[key]
    raise CellError(f"“{value}” không hợp lệ; dùng {expected}")


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    key = fold(str(value)).strip()
    if key in YES:
        return True
    if key in NO:
        return False
    raise CellError(f"“{value}” không hợp lệ; dùng 1 (có) hoặc 0 (không)")


def _text(value: Any, limit: int) -> str:
    text = nfc(str(value))
    if len(text) > limit:
        raise CellError(f"quá dài (tối đa {limit} ký tự)")
    return text


def parse_row(row: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]], str | None]:
    """The model values of one row ({field: value}, blank cells left out), the cell errors as
    (column, message), and the agency code."""
    data: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    agency_code = None
    for column, value in row.items():
        if _blank(value):
            continue
        try:
            if column == "ma_tthc":
                data["code"] = validate_code(str(value))
            elif column == "ten_tthc":
                data["name"] = _text(value, 1000)
            elif column == "linh_vuc":
                data["field"] = _text(value, 255)
            elif column == "cap_thuc_hien":
                data["level"] = _choice(value, LEVEL_WORDS, "tinh, xa hoặc trung_uong")
            elif column == "co_quan":
                agency_code = nfc(str(value))
            elif column == "thoi_han":
                number, unit = parse_time(value)
                if number <= 0:
                    raise CellError("thời hạn phải lớn hơn 0")
                data["processing_time"] = number
                if unit:  # an explicit don_vi_thoi_han wins over the words in this cell
                    data.setdefault("time_unit", unit)
            elif column == "don_vi_thoi_han":
                data["time_unit"] = _choice(value, UNIT_WORDS, "ngay_lam_viec, gio_lam_viec hoặc ngay")
            elif column == "phi_le_phi":
                amount, note = parse_fee(value)
                if amount is not None:
                    data["fee_amount"] = amount
                if note:
                    data["fee_note"] = _text(note, 500)
            elif column == "muc_do":
                data["online_mode"] = _choice(value, MODE_WORDS, "toan_trinh, mot_phan hoặc khong")
            elif column == "ket_qua":
                data["result_type"] = _text(value, 500)
            elif column == "doi_tuong":
                data["applicant_type"] = _choice(value, APPLICANT_WORDS, "cong_dan, to_chuc hoặc ca_hai")
            elif column == "ngay_cong_bo":
                data["published_on"] = parse_date(value)
            elif column == "quyet_dinh_cong_bo":
                data["announcement_decision"] = _text(value, 100)
            elif column == "can_cu_phap_ly":
                data["legal_basis"] = _text(value, 500)
            elif column == "dong_bo_quoc_gia":
                data["synced_to_national_portal"] = _bool(value)
            elif column == "hieu_luc_tu":
                data["valid_from"] = parse_date(value)
            elif column == "hieu_luc_den":
                data["valid_to"] = parse_date(value)
        except ServiceError as exc:  # the code
            errors.append((column, exc.message_dict["code"][0]))
        except CellError as exc:
            errors.append((column, f"{COLUMNS[column][1].capitalize()} {exc}."))
    for column in REQUIRED:
        if _blank(row.get(column)):
            errors.append((column, f"Thiếu {COLUMNS[column][1]}."))
    return data, errors, agency_code


# --- the preview ------------------------------------------------------------------------------


def _shown(field_name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, Unit):
        return value.name
    if field_name == "processing_time":
        return format_duration(value, "working_day").split(" ")[0]
    choices = {"level": Level, "time_unit": TimeUnit, "online_mode": OnlineMode}.get(field_name)
    if choices is not None:
        return str(choices(value).label)
    if field_name == "fee_amount":
        return f"{value:,}".replace(",", ".") + " đồng"
    return str(value)


def preview(
    *, actor: Actor, filename: str, content: bytes, default_agency: Unit | None = None
) -> ImportPreview:
    """Read the file and compare it with the catalogue; writes nothing."""
    rows = read_table(filename, content)
    result = ImportPreview(filename=filename, rows=len(rows))
    parsed = [(line, *parse_row(row)) for line, row in rows]

    codes = {a for _, _, _, a in parsed if a}
    units = {u.code.upper(): u for u in Unit.objects.filter(code__in=codes | {c.upper() for c in codes})}
    wanted = {d["code"] for _, d, _, _ in parsed if "code" in d}
    existing = {
        (p.code, p.agency_id): p
        for p in Procedure.objects.filter(code__in=wanted)
        .select_related("agency")
        .annotate(steps_total=Sum("steps__time_allowed"))
    }
    access = None if actor is SYSTEM else Access.for_user(actor)
    seen: dict[tuple[str, int], int] = {}

    for line, data, cell_errors, agency_code in parsed:
        errors = [RowError(line, column, message) for column, message in cell_errors]
        agency = default_agency
        if agency_code:
            agency = units.get(agency_code.upper())
            if agency is None:
                errors.append(RowError(line, "co_quan", f"Không có đơn vị mã “{agency_code}”."))
        elif agency is None:
            errors.append(
                RowError(
                    line, "co_quan", "Thiếu cơ quan thực hiện: điền cột co_quan hoặc chọn cơ quan mặc định."
                )
            )
        if agency is not None and access is not None and not access.can_manage_unit(agency):
            errors.append(
                RowError(line, "co_quan", f"Bạn không có quyền quản lý thủ tục của {agency.body_name}.")
            )
        if errors:
            result.errors += errors
            continue
        key = (data["code"], agency.pk)
        if key in seen:
            result.errors.append(
                RowError(line, "ma_tthc", f"Mã {data['code']} của {agency.name} đã có ở dòng {seen[key]}.")
            )
            continue
        seen[key] = line
        procedure = existing.get(key)
        data = normalise(data | {"agency": agency})
        if procedure is None:
            state = {
                "time_unit": TimeUnit.WORKING_DAY,
                "online_mode": OnlineMode.NONE,
                "level": default_level(agency),
            } | data
            problems = check_procedure(state, check_unique=False)
            action = "create"
            changes = []
        else:
            state = {f: getattr(procedure, f) for f in EDITABLE_FIELDS} | data
            problems = check_procedure(
                state, existing=procedure, steps_total=procedure.steps_total, check_unique=False
            )
            changes = [
                (FIELD_LABELS.get(f, f), _shown(f, getattr(procedure, f)), _shown(f, v))
                for f, v in data.items()
                if getattr(procedure, f) != v
            ]
            action = "update" if changes else "unchanged"
        if problems:
            column_of = {model_field: col for col, (model_field, _) in COLUMNS.items()}
            result.errors += [RowError(line, column_of.get(f, ""), m) for f, m in problems.items()]
            continue
        result.changes.append(
            Change(
                line=line,
                action=action,
                code=data["code"],
                name=data.get("name", procedure.name if procedure else ""),
                agency=agency,
                data={k: v for k, v in data.items() if procedure is None or getattr(procedure, k) != v},
                procedure=procedure,
                changes=changes,
            )
        )
    result.errors.sort(key=lambda e: e.line)
    return result
