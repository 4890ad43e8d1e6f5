"""Columns, value grammars and messages of the dossier exchange format (docs/specs/dossier-exchange.md).

Everything here is plain data and small parsers shared by the Python reader (`dossiers.py`), the
DuckDB file mode (`cchc.indicators.filemode`, which builds the same checks in SQL from these
constants) and the generator. No Django.

Value rules (both readers apply them identically, in the order of `CHECK_ORDER`):

* A value is compared as written; when it does not match, the same value with spaces and tabs
  around it removed is tried (so ``" 1"`` is the flag 1) — nothing else is normalised, except unit
  and dossier codes, which are compared in Unicode NFC.
* Datetime: ``YYYY-MM-DD HH:MM[:SS]`` local time (Asia/Ho_Chi_Minh), or the same with ``T``
  instead of the space, optional fraction of a second (1–9 digits, truncated to microseconds) and
  an offset ``Z``, ``±HH``, ``±HHMM`` or ``±HH:MM`` (ISO 8601). Years 1976–2100: Việt Nam has kept
  UTC+07:00 since 1975, so local time is UTC+07:00 for every accepted value, and the working-day
  calendar covers up to 2100.
* Flag: ``0`` or ``1``. Count (``so_lan_bo_sung``): digits only, at most 9. Hours
  (``tam_dung_gio``): a non-negative decimal with a point, at most 6 digits before it; more than
  9 decimals are rounded half-up to 9 (1e-9 hour = 3.6 µs).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

# Local time (UTC+07:00), the epoch of "local microseconds" and the accepted years live in core;
# re-exported here because every reader of the format uses them.
from cchc.core.localtime import (  # noqa: F401
    EPOCH,
    FIRST_YEAR,
    LAST_YEAR,
    LOCAL_OFFSET,
    TZ_LOCAL,
    datetime_to_local_us,
    local_us_to_datetime,
)

# --- columns ---------------------------------------------------------------------------------------

ORG_COLUMNS = ("ma_don_vi", "ten_don_vi", "ma_don_vi_cha")

DOSSIER_COLUMNS = (
    "ma_ho_so",
    "ma_tthc",
    "ma_don_vi",
    "kenh",
    "tiep_nhan_luc",
    "han_tra",
    "han_tra_moi",
    "ket_thuc_luc",
    "tra_kq_luc",
    "ket_qua",
    "so_lan_bo_sung",
    "tam_dung_gio",
    "co_nghia_vu_tai_chinh",
    "thanh_toan_truc_tuyen",
    "ket_qua_dien_tu",
    "so_hoa",
    "tai_su_dung",
    "xin_loi",
    "danh_gia",
)
# Columns a file may leave out (their values are then empty): neither is used by an indicator.
OPTIONAL_DOSSIER_COLUMNS = frozenset({"han_tra_moi", "tra_kq_luc"})
REQUIRED_DOSSIER_COLUMNS = tuple(c for c in DOSSIER_COLUMNS if c not in OPTIONAL_DOSSIER_COLUMNS)

DATETIME_COLUMNS = ("tiep_nhan_luc", "han_tra", "han_tra_moi", "ket_thuc_luc", "tra_kq_luc")
FLAG_COLUMNS = (
    "co_nghia_vu_tai_chinh",
    "thanh_toan_truc_tuyen",
    "ket_qua_dien_tu",
    "so_hoa",
    "tai_su_dung",
    "xin_loi",
)

# --- enumerations (order = the small integer code used by file mode: index + 1; 0 = empty) ---------

CHANNELS = ("truc_tiep", "truc_tuyen", "buu_chinh")
RESULTS = ("chap_thuan", "tu_choi", "dung", "rut")
RATINGS = ("rat_hai_long", "hai_long", "binh_thuong", "khong_hai_long")
SATISFIED = ("rat_hai_long", "hai_long")

ENUMS: dict[str, tuple[str, ...]] = {"kenh": CHANNELS, "ket_qua": RESULTS, "danh_gia": RATINGS}

# Per column: (required, kind). Kinds: text, unit, enum, datetime, count, hours, flag.
COLUMN_RULES: dict[str, tuple[bool, str]] = {
    "ma_ho_so": (True, "text"),
    "ma_tthc": (True, "text"),
    "ma_don_vi": (True, "unit"),
    "kenh": (True, "enum"),
    "tiep_nhan_luc": (True, "datetime"),
    "han_tra": (True, "datetime"),
    "han_tra_moi": (False, "datetime"),
    "ket_thuc_luc": (False, "datetime"),
    "tra_kq_luc": (False, "datetime"),
    "ket_qua": (False, "enum"),
    "so_lan_bo_sung": (True, "count"),
    "tam_dung_gio": (True, "hours"),
    "co_nghia_vu_tai_chinh": (True, "flag"),
    "thanh_toan_truc_tuyen": (True, "flag"),
    "ket_qua_dien_tu": (True, "flag"),
    "so_hoa": (True, "flag"),
    "tai_su_dung": (True, "flag"),
    "xin_loi": (True, "flag"),
    "danh_gia": (False, "enum"),
}
CHECK_ORDER = DOSSIER_COLUMNS  # columns are checked in this order, then the cross-column rules

# Cross-column rules, checked in this order after every column is valid (key, message).
CROSS_RULES = (
    ("end_before_receipt", "ket_thuc_luc trước tiep_nhan_luc (kết thúc trước khi tiếp nhận)"),
    ("due_before_receipt", "han_tra trước tiep_nhan_luc (hạn trả trước khi tiếp nhận)"),
    ("new_due_not_later", "han_tra_moi không sau han_tra (hạn mới phải sau hạn cũ)"),
    ("returned_while_open", "có tra_kq_luc nhưng chưa có ket_thuc_luc (trả kết quả khi chưa kết thúc)"),
    ("returned_before_end", "tra_kq_luc trước ket_thuc_luc (trả kết quả trước khi kết thúc)"),
    ("result_while_open", "có ket_qua nhưng chưa có ket_thuc_luc (hồ sơ chưa kết thúc)"),
    ("end_without_result", "có ket_thuc_luc nhưng thiếu ket_qua"),
)
CROSS_MESSAGES = dict(CROSS_RULES)

# --- messages (the same text from both readers; `{v}` is the value as written) ---------------------

VALUE_SHOWN = 60  # characters of a bad value repeated in a message

MESSAGES = {
    "missing": "{c}: thiếu giá trị",
    "unit": "{c}: đơn vị «{v}» không có trong orgs.csv",
    "enum": "{c}: giá trị «{v}» không hợp lệ (chỉ nhận {allowed})",
    "datetime": "{c}: ngày giờ «{v}» không hợp lệ (cần YYYY-MM-DD HH:MM[:SS] giờ Việt Nam hoặc ISO 8601 có múi giờ)",
    "year": "{c}: năm ngoài khoảng 1976–2100 «{v}»",
    "count": "{c}: «{v}» không phải số nguyên ≥ 0",
    "hours": "{c}: «{v}» không phải số thập phân ≥ 0 (tối đa 6 chữ số phần nguyên)",
    "flag": "{c}: «{v}» không hợp lệ (chỉ nhận 0 hoặc 1)",
    "duplicate": "ma_ho_so: mã hồ sơ «{v}» trùng với dòng {first}",
    "fields": "số trường không khớp với dòng tiêu đề",
    "encoding": "dòng không phải văn bản UTF-8",
    "csv": "lỗi cú pháp CSV (dấu ngoặc kép)",
}


def enum_allowed(column: str) -> str:
    values = ENUMS[column]
    return ", ".join(values) + (" hoặc để trống" if not COLUMN_RULES[column][0] else "")


def message(kind: str, column: str, value: str = "", **extra) -> str:
    """The one-line reason for a bad value (value cut to `VALUE_SHOWN` characters)."""
    allowed = enum_allowed(column) if kind == "enum" else ""
    return MESSAGES[kind].format(c=column, v=value[:VALUE_SHOWN], allowed=allowed, **extra)


# --- value grammars ------------------------------------------------------------------------------

TRIM = " \t"

# The full grammar (anchored); groups: date, hour, minute, second, fraction, offset.
DATETIME_RE = (
    r"(\d{4}-\d{2}-\d{2})[T ]([01]\d|2[0-3]):([0-5]\d)"
    r"(?::([0-5]\d)(?:\.(\d{1,9}))?)?"
    r"(Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)?"
)
COUNT_RE = r"\d{1,9}"
HOURS_RE = r"(?:\d{1,6}(?:\.\d*)?|\.\d+)"
HOURS_SCALE = 10**9  # tam_dung_gio is kept as an integer number of 1e-9 hours

_DATETIME = re.compile(DATETIME_RE, re.ASCII)
_COUNT = re.compile(COUNT_RE, re.ASCII)
_HOURS = re.compile(HOURS_RE, re.ASCII)


def nfc(value: str) -> str:
    return value if value.isascii() else unicodedata.normalize("NFC", value)


def parse_local_us(value: str) -> int | None | str:
    """Microseconds since 1970-01-01 00:00 *local* time, or an error kind ("datetime"/"year").

    Callers pass the value already checked non-empty."""
    m = _DATETIME.fullmatch(value)
    if m is None:
        return "datetime"
    day, hour, minute, second, fraction, offset = m.groups()
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        return "datetime"
    if not FIRST_YEAR - 1 <= date.year <= LAST_YEAR + 1:
        return "year"
    micro = int((fraction or "")[:6].ljust(6, "0"))
    moment = dt.datetime(date.year, date.month, date.day, int(hour), int(minute), int(second or 0), micro)
    if offset is not None and offset != "+07:00":
        if offset == "Z":
            shift = dt.timedelta(0)
        else:
            sign = -1 if offset[0] == "-" else 1
            digits = offset[1:].replace(":", "")
            shift = sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        moment = moment - shift + LOCAL_OFFSET
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        return "year"
    return (moment - EPOCH) // dt.timedelta(microseconds=1)


def parse_hours_scaled(value: str) -> int | None:
    """``tam_dung_gio`` as an integer number of 1e-9 hours (half-up beyond 9 decimals), or None."""
    if _HOURS.fullmatch(value) is None:
        return None
    whole, _, fraction = value.partition(".")
    scaled = int(whole or "0") * HOURS_SCALE + int(fraction[:9].ljust(9, "0"))
    if len(fraction) > 9 and fraction[9] >= "5":
        scaled += 1
    return scaled


def hours_from_scaled(scaled: int) -> Decimal:
    return (Decimal(scaled) / HOURS_SCALE).normalize() if scaled else Decimal(0)


def parse_count(value: str) -> int | None:
    return int(value) if _COUNT.fullmatch(value) else None


def format_local(value: dt.datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS`` local time (the writer's form), ``.ffffff`` added when not zero."""
    if value.tzinfo is not None:
        value = value.astimezone(TZ_LOCAL)
    text = f"{value:%Y-%m-%d %H:%M:%S}"
    return f"{text}.{value.microsecond:06d}" if value.microsecond else text


def format_hours(value: Decimal | int | float) -> str:
    """Hours without exponent or trailing zeros: 0, 12.5, 36.25."""
    d = Decimal(str(value)).normalize()
    text = format(d, "f")
    return text if text != "-0" else "0"
