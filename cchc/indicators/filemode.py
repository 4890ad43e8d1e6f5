"""File mode of the dossier indicators: orgs.csv + dossiers.csv → indicators per unit × period,
computed with DuckDB (`cchc indicators compute`, contract in specs/dossier-exchange.md).

How 5 million rows stay fast (docs/indicators.md has the figures):

1. **One pass over the CSV**, by DuckDB, every column read as text (``all_varchar``): the value
   rules of `cchc.exchange.formats` are written in SQL — a cheap exact fast path for the common
   form of each value (``2026-01-05 08:00:00``, ``0``, ``truc_tuyen``) and the full grammar only for
   the rest — and the row's first broken rule becomes its reason, exactly as the Python reader
   words it. The pass writes a compact typed table (numbers, small codes, the dossier code and the
   reason; not the text of the row). Unit codes become a DuckDB ENUM, so unknown units need no join.
   The table keeps the file's order, so ``rowid`` is the record number (joins would reorder).
2. **Duplicates**: one GROUP BY on a 64-bit hash of the dossier code of the valid rows; the few
   rows whose hashes meet are compared on the code itself.
3. **Measures** (`definitions.MEASURES`) per handling unit × period: the valid rows joined to the
   periods they touch (received or finished in them), counted with ``count_if``, in one query.
4. **Roll-up**: the per-unit measures joined to the closure table (unit, ancestor-or-self) of
   orgs.csv and summed — integers only; rates are derived afterwards in Python from the exact sums
   (`definitions.indicator_value`, rounding half-up with fractions, never binary floats).
5. **Line numbers** are worked out only for bad rows: when the file has exactly one line per
   record (checked by counting newlines) the record number gives the line; otherwise (quoted line
   breaks, blank lines) one Python pass over the file maps records to lines.

Run as ``cchc indicators compute …`` (management command ``indicators_compute``) or
``python -m cchc.indicators.filemode …``.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from cchc.exchange import formats as f
from cchc.exchange.dossiers import read_header
from cchc.exchange.errors import ExchangeError
from cchc.exchange.orgs import OrgTree, read_orgs

from .definitions import MEASURES, OUTPUT_COLUMNS, IndicatorValue, Measure, indicator_rows
from .periods import IndicatorPeriod, PeriodError, parse_periods

EXIT_OK, EXIT_BAD_INPUT = 0, 2
PROGRESS_AFTER = 2.0  # seconds before progress is shown on stderr


# --- SQL for the value rules (mirrors cchc.exchange.dossiers.RowChecker) -------------------------


def _q(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _msg(kind: str, column: str, raw_sql: str | None = None) -> str:
    """The reason of `formats.message` as a SQL expression (the value spliced in)."""
    marker = "\x00VALUE\x00"
    text = f.MESSAGES[kind].format(
        c=column, v=marker, allowed=f.enum_allowed(column) if kind == "enum" else ""
    )
    if marker not in text or raw_sql is None:
        return _q(text)
    before, after = text.split(marker)
    return f"({_q(before)} || left({raw_sql}, {f.VALUE_SHOWN}) || {_q(after)})"


TRIM_SQL = "' \t'"
LO_US = (f.dt.datetime(f.FIRST_YEAR, 1, 1) - f.EPOCH) // f.dt.timedelta(microseconds=1)
HI_US = (f.dt.datetime(f.LAST_YEAR + 1, 1, 1) - f.EPOCH) // f.dt.timedelta(microseconds=1)
LOCAL_SHIFT_US = 7 * 3600 * 10**6
BAD_DATETIME, BAD_YEAR = -1, -2  # sentinels of a parsed datetime (real values are positive)


def _blank(raw: str) -> str:
    """SQL: the value is empty once spaces and tabs around it are removed (the trim only runs
    for values that start with a space, a tab or a control character: those sort before '!')."""
    return f"({raw} IS NULL OR ({raw} < '!' AND trim({raw}, {TRIM_SQL}) = ''))"


def _datetime_fast(raw: str) -> str:
    """SQL TIMESTAMP: DuckDB's (lenient) reading of the value; `_datetime_expr` keeps it only when
    printing it back gives the value exactly, i.e. the value is already in canonical form
    ``YYYY-MM-DD HH:MM:SS[.f]`` — a cheap exact fast path (any other form takes the full grammar)."""
    return f"try_cast({raw} AS TIMESTAMP)"


def _datetime_canonical(raw: str, fast: str) -> str:
    """SQL BIGINT: local microseconds when the value is canonical and in range, else NULL."""
    us = f"epoch_us({fast})"
    return f"(CASE WHEN CAST({fast} AS VARCHAR) = {raw} AND {us} >= {LO_US} AND {us} < {HI_US} THEN {us} END)"


def _datetime_parts(raw: str, canonical: str) -> str:
    """SQL STRUCT: the full grammar's groups (``regexp_extract``, evaluated once per value, only for
    the values that are neither canonical nor empty); NULL otherwise."""
    t = f"trim({raw}, {TRIM_SQL})"
    pattern = _q("^" + f.DATETIME_RE + "$")
    return (
        f"(CASE WHEN {canonical} IS NULL AND NOT {_blank(raw)} "
        f"THEN regexp_extract({t}, {pattern}, ['d', 'h', 'mi', 'se', 'fr', 'tz']) END)"
    )


def _datetime_expr(canonical: str, parts: str) -> str:
    """SQL BIGINT: local microseconds, NULL when empty, BAD_DATETIME / BAD_YEAR when invalid."""
    return f"(CASE WHEN {canonical} IS NOT NULL THEN {canonical} WHEN {parts} IS NULL THEN NULL ELSE cchc_dt_us({parts}) END)"


SLOW_DATETIME_MACROS = f"""
CREATE OR REPLACE TEMP MACRO cchc_dt_us(m) AS (
  CASE
    WHEN m.d = '' THEN {BAD_DATETIME}
    WHEN left(m.d, 4) = '0000' OR try_cast(m.d AS DATE) IS NULL THEN {BAD_DATETIME}
    WHEN CAST(left(m.d, 4) AS INTEGER) NOT BETWEEN {f.FIRST_YEAR - 1} AND {f.LAST_YEAR + 1} THEN {BAD_YEAR}
    ELSE cchc_dt_range(
      epoch_us(CAST(try_cast(m.d AS DATE) AS TIMESTAMP))
      + (CAST(m.h AS BIGINT) * 3600 + CAST(m.mi AS BIGINT) * 60 + coalesce(CAST(nullif(m.se, '') AS BIGINT), 0)) * 1000000
      + CAST(rpad(left(m.fr, 6), 6, '0') AS BIGINT)
      + CASE
          WHEN m.tz = '' THEN 0
          WHEN m.tz = 'Z' THEN {LOCAL_SHIFT_US}
          ELSE {LOCAL_SHIFT_US} - (CASE WHEN left(m.tz, 1) = '-' THEN -1 ELSE 1 END) * (
            CAST(substr(m.tz, 2, 2) AS BIGINT) * 3600
            + coalesce(CAST(nullif(substr(replace(m.tz, ':', ''), 4, 2), '') AS BIGINT), 0) * 60) * 1000000
        END)
  END
);
CREATE OR REPLACE TEMP MACRO cchc_dt_range(us) AS (
  CASE WHEN us >= {LO_US} AND us < {HI_US} THEN us ELSE {BAD_YEAR} END
);
CREATE OR REPLACE TEMP MACRO cchc_hours_scaled(whole, frac) AS (
  coalesce(CAST(nullif(whole, '') AS BIGINT), 0) * {f.HOURS_SCALE}
  + CAST(rpad(left(frac, 9), 9, '0') AS BIGINT)
  + CASE WHEN substr(frac, 10, 1) >= '5' THEN 1 ELSE 0 END
);
CREATE OR REPLACE TEMP MACRO cchc_hours_check(scaled) AS (
  CASE WHEN scaled < {10**6 * f.HOURS_SCALE} THEN scaled END
);
CREATE OR REPLACE TEMP MACRO cchc_hours_slow(t) AS (
  CASE WHEN regexp_full_match(t, {_q(f.HOURS_RE)})
    THEN cchc_hours_check(cchc_hours_scaled(split_part(t, '.', 1), split_part(t, '.', 2))) END
);
"""


def _enum_expr(raw: str, values: tuple[str, ...]) -> str:
    """SQL TINYINT: 1.. for the values, 0 when empty, NULL when not allowed."""
    cases = " ".join(f"WHEN {_q(v)} THEN {i}" for i, v in enumerate(values, start=1))
    t = f"trim({raw}, {TRIM_SQL})"
    return f"(CASE {raw} {cases} ELSE (CASE WHEN {_blank(raw)} THEN 0 ELSE (CASE {t} {cases} END) END) END)"


def _flag_expr(raw: str) -> str:
    """SQL TINYINT: 0/1, -1 when empty, NULL when not allowed."""
    t = f"trim({raw}, {TRIM_SQL})"
    return (
        f"(CASE {raw} WHEN '0' THEN 0 WHEN '1' THEN 1 ELSE "
        f"(CASE WHEN {_blank(raw)} THEN -1 ELSE (CASE {t} WHEN '0' THEN 0 WHEN '1' THEN 1 END) END) END)"
    )


def _count_expr(raw: str) -> str:
    """SQL BIGINT: the count, -1 when empty, NULL when not a count."""
    t = f"trim({raw}, {TRIM_SQL})"
    return (
        f"(CASE {raw} WHEN '0' THEN 0 WHEN '1' THEN 1 ELSE (CASE WHEN {_blank(raw)} THEN -1 "
        f"WHEN regexp_full_match({t}, {_q(f.COUNT_RE)}) THEN CAST({t} AS BIGINT) END) END)"
    )


HOURS_FAST_RE = r"\d{1,6}(?:\.\d{1,9})?"  # no rounding needed: exact in 1e-9 hours


def _hours_expr(raw: str) -> str:
    """SQL BIGINT: tam_dung_gio in 1e-9 hours, -1 when empty, NULL when invalid."""
    fast = (
        f"CAST(split_part({raw}, '.', 1) AS BIGINT) * {f.HOURS_SCALE}"
        f" + CAST(rpad(split_part({raw}, '.', 2), 9, '0') AS BIGINT)"
    )
    return (
        f"(CASE {raw} WHEN '0' THEN 0 ELSE (CASE WHEN regexp_full_match({raw}, {_q(HOURS_FAST_RE)}) THEN {fast} "
        f"WHEN {_blank(raw)} THEN -1 ELSE cchc_hours_slow(trim({raw}, {TRIM_SQL})) END) END)"
    )


def _text_expr(raw: str) -> str:
    """SQL VARCHAR: the value trimmed and in NFC (NULL when empty); ASCII without spaces or tabs
    at either end is taken as is (byte length = character length means ASCII)."""
    t = f"trim({raw}, {TRIM_SQL})"
    plain = f"{raw} >= '!' AND {raw} NOT LIKE '% ' AND {raw} NOT LIKE '%\t' AND strlen({raw}) = length({raw})"
    return f"(CASE WHEN {plain} THEN {raw} WHEN {_blank(raw)} THEN NULL ELSE nfc_normalize({t}) END)"


def _unit_expr(raw: str, fast: str) -> str:
    """SQL: the unit's index in orgs.csv (0-based), NULL when unknown or empty. ``fast`` holds
    ``try_cast(raw AS cchc_unit)``."""
    t = f"trim({raw}, {TRIM_SQL})"
    return (
        f"(CASE WHEN {fast} IS NOT NULL THEN enum_code({fast}) WHEN {raw} IS NULL THEN NULL "
        f"ELSE enum_code(try_cast(nfc_normalize({t}) AS cchc_unit)) END)"
    )


def check_sql(source: str, columns: dict[str, str]) -> str:
    """SELECT over ``source`` giving the compact typed row and ``err`` (NULL for a valid row).

    ``columns`` maps each exchange column present in the file to its SQL column name."""

    def raw(column: str) -> str:
        return _ident(columns[column]) if column in columns else "CAST(NULL AS VARCHAR)"

    # level 1: DuckDB's lenient readings, each computed once; the raw values under fixed names
    pre = {f"fast_{c}": _datetime_fast(raw(c)) for c in f.DATETIME_COLUMNS}
    pre["fast_unit"] = f"try_cast({raw('ma_don_vi')} AS cchc_unit)"
    level1 = ",\n    ".join(
        [f"{expr} AS {name}" for name, expr in pre.items()]
        + [f"{raw(c)} AS {_ident('raw_' + c)}" for c in f.DOSSIER_COLUMNS]
    )

    def r(c: str) -> str:
        return _ident("raw_" + c)

    # level 2: typed values (NULL / sentinels for empty or invalid); datetimes: canonical or not
    parsed = {
        "ma_ho_so": _text_expr(r("ma_ho_so")),
        "tthc_blank": _blank(r("ma_tthc")),
        "uid": _unit_expr(r("ma_don_vi"), "fast_unit"),
        "kenh": _enum_expr(r("kenh"), f.CHANNELS),
        "kq": _enum_expr(r("ket_qua"), f.RESULTS),
        "rating": _enum_expr(r("danh_gia"), f.RATINGS),
        "so_lan": _count_expr(r("so_lan_bo_sung")),
        "pause": _hours_expr(r("tam_dung_gio")),
    }
    for column in f.DATETIME_COLUMNS:
        parsed[f"canon_{column}"] = _datetime_canonical(r(column), f"fast_{column}")
    for column in f.FLAG_COLUMNS:
        parsed[f"fl_{column}"] = _flag_expr(r(column))
    level2 = ",\n    ".join(f"{expr} AS {name}" for name, expr in parsed.items())
    level2 += ",\n    " + ", ".join(r(c) for c in f.DOSSIER_COLUMNS)
    # level 3: the full datetime grammar's groups, only for the other values
    level3 = ",\n  ".join(f"{_datetime_parts(r(c), f'canon_{c}')} AS parts_{c}" for c in f.DATETIME_COLUMNS)
    # level 4: datetimes as local microseconds (or sentinels)
    level4 = ",\n  ".join(
        f"{_datetime_expr(f'canon_{c}', f'parts_{c}')} AS dt_{c}" for c in f.DATETIME_COLUMNS
    )

    checks: list[tuple[str, str]] = []
    for column in f.CHECK_ORDER:
        required, kind = f.COLUMN_RULES[column]
        if kind == "text":
            blank = "ma_ho_so IS NULL" if column == "ma_ho_so" else "tthc_blank"
            checks.append((blank, _msg("missing", column)))
        elif kind == "unit":
            checks.append((f"uid IS NULL AND {_blank(r(column))}", _msg("missing", column)))
            checks.append(("uid IS NULL", _msg("unit", column, r(column))))
        elif kind == "enum":
            name = {"kenh": "kenh", "ket_qua": "kq", "danh_gia": "rating"}[column]
            if required:
                checks.append((f"{name} = 0", _msg("missing", column)))
            checks.append((f"{name} IS NULL", _msg("enum", column, r(column))))
        elif kind == "datetime":
            name = f"dt_{column}"
            if required:
                checks.append((f"{name} IS NULL", _msg("missing", column)))
            checks.append((f"{name} = {BAD_DATETIME}", _msg("datetime", column, r(column))))
            checks.append((f"{name} = {BAD_YEAR}", _msg("year", column, r(column))))
        elif kind == "count":
            checks.append(("so_lan = -1", _msg("missing", column)))
            checks.append(("so_lan IS NULL", _msg("count", column, r(column))))
        elif kind == "hours":
            checks.append(("pause = -1", _msg("missing", column)))
            checks.append(("pause IS NULL", _msg("hours", column, r(column))))
        else:  # flag
            name = f"fl_{column}"
            checks.append((f"{name} = -1", _msg("missing", column)))
            checks.append((f"{name} IS NULL", _msg("flag", column, r(column))))
    recv, due, new_due = "dt_tiep_nhan_luc", "dt_han_tra", "dt_han_tra_moi"
    end, returned = "dt_ket_thuc_luc", "dt_tra_kq_luc"
    cross = {
        "end_before_receipt": f"{end} < {recv}",
        "due_before_receipt": f"{due} < {recv}",
        "new_due_not_later": f"{new_due} <= {due}",
        "returned_while_open": f"{returned} IS NOT NULL AND {end} IS NULL",
        "returned_before_end": f"{returned} < {end}",
        "result_while_open": f"kq > 0 AND {end} IS NULL",
        "end_without_result": f"{end} IS NOT NULL AND kq = 0",
    }
    for key, _ in f.CROSS_RULES:
        checks.append((cross[key], _q(f.CROSS_MESSAGES[key])))
    err = "CASE\n    " + "\n    ".join(f"WHEN {cond} THEN {msg}" for cond, msg in checks) + "\n  END"
    flags = ", ".join(f"fl_{c} = 1 AS {c}" for c in f.FLAG_COLUMNS)
    return f"""
SELECT ma_ho_so AS code, CAST(uid AS INTEGER) AS uid,
  dt_tiep_nhan_luc AS recv, dt_han_tra AS due, dt_ket_thuc_luc AS fin, pause,
  CAST(so_lan AS INTEGER) AS so_lan, CAST(kenh AS TINYINT) AS kenh, CAST(kq AS TINYINT) AS kq,
  CAST(rating AS TINYINT) AS rating, {flags},
  {err} AS err
FROM (
SELECT *,
  {level4}
FROM (
SELECT *,
  {level3}
FROM (
  SELECT
    {level2}
  FROM (
    SELECT
    {level1}
    FROM {source}
  )
)))"""


# --- measures in SQL (from the data in definitions.MEASURES) -----------------------------------------

_ENUM_SQL = {"kenh": ("kenh", f.CHANNELS), "ket_qua": ("kq", f.RESULTS), "danh_gia": ("rating", f.RATINGS)}


def _cond_sql(cond: tuple[str, str, object]) -> str:
    name, op, value = cond
    if name == "dung_han":
        return "on_time" if value else "NOT on_time"
    if name in f.FLAG_COLUMNS:
        if op != "eq":
            raise ValueError(f"unsupported condition {cond!r}")
        return name if value else f"NOT {name}"
    if name in _ENUM_SQL:
        column, values = _ENUM_SQL[name]
        if op == "eq":
            return f"{column} = {values.index(value) + 1}"
        if op == "in":
            return f"{column} IN ({', '.join(str(values.index(v) + 1) for v in value)})"  # type: ignore[union-attr]
        if op == "set":
            return f"{column} > 0"
    raise ValueError(f"unsupported condition {cond!r}")


def measure_sql(measure: Measure) -> str:
    conds = [{"R": "in_r", "F": "in_f", "S": "TRUE"}[measure.base], *(_cond_sql(c) for c in measure.where)]
    where = " AND ".join(conds)
    if measure.sum_of == "thoi_gian_ns":
        # fits in BIGINT for years 1976–2100 and pauses < 10^6 h; sum() widens to HUGEINT
        value = "(fin - recv) * 1000 - pause * 3600"
        return f"coalesce(sum(CASE WHEN {where} THEN {value} END), 0) AS {_ident(measure.code)}"
    if measure.sum_of is not None:
        raise ValueError(f"unsupported sum {measure.sum_of!r}")
    return f"count_if({where}) AS {_ident(measure.code)}"  # twice as fast as count(*) FILTER


def measures_sql(table: str, periods_table: str) -> str:
    cols = ",\n  ".join(measure_sql(m) for m in MEASURES)
    return f"""
SELECT uid, pid,
  {cols}
FROM (
  SELECT d.*, p.pid,
    (d.recv >= p.a AND d.recv < p.b) AS in_r,
    coalesce(d.fin >= p.a AND d.fin < p.b, FALSE) AS in_f,
    d.so_lan <= 1 AND (CASE WHEN d.fin < p.b THEN d.fin ELSE p.b END - d.due) * 1000 <= d.pause * 3600 AS on_time
  FROM {table} d JOIN {periods_table} p
    ON (d.recv >= p.a AND d.recv < p.b) OR (d.fin >= p.a AND d.fin < p.b)
  WHERE d.err IS NULL
)
GROUP BY uid, pid"""


def rollup_sql(measures_table: str, closure_table: str) -> str:
    cols = ", ".join(f"sum({_ident(m.code)}) AS {_ident(m.code)}" for m in MEASURES)
    return f"""
SELECT c.anc, m.pid, {cols}
FROM {measures_table} m JOIN {closure_table} c ON c.uid = m.uid
GROUP BY c.anc, m.pid"""


# --- the engine -------------------------------------------------------------------------------------


@dataclass
class BadLine:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"dòng {self.line}: {self.reason}"


@dataclass
class FileResult:
    rows: list[IndicatorValue]
    records: int  # data records read (valid + bad), blank lines not counted
    valid: int
    bad: list[BadLine] = field(default_factory=list)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)


class Progress:
    """Stage messages and a percentage on stderr, only once a run has taken `PROGRESS_AFTER` s."""

    def __init__(self, stream, enabled: bool = True):
        self.stream = stream
        self.enabled = enabled
        self.started = time.perf_counter()
        self.shown = False

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def say(self, text: str, *, force: bool = False) -> None:
        if self.enabled and (force or self.shown or self.elapsed() >= PROGRESS_AFTER):
            self.shown = True
            self.stream.write(f"[{self.elapsed():6.1f} s] {text}\n")
            self.stream.flush()


def _run_with_progress(con, sql: str, progress: Progress, label: str):
    """Run a statement, printing DuckDB's progress for it while it lasts."""
    box: dict[str, object] = {}

    def work():
        try:
            box["result"] = con.execute(sql).fetchall()
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    last = -1.0
    while thread.is_alive():
        thread.join(0.5)
        if not thread.is_alive():
            break
        try:
            pct = float(con.query_progress())
        except Exception:  # noqa: BLE001 - progress is best effort
            pct = -1
        if pct >= 0 and pct - last >= 5:
            progress.say(f"{label}: {pct:.0f}%")
            last = pct
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("result")


def _count_lines(path: str) -> tuple[int, bool]:
    """(number of lines, whether any line is empty) — bytes counted in 8 MiB blocks."""
    lines = 0
    last = b"\n"
    blank = False
    with open(path, "rb") as fh:
        while block := fh.read(8 << 20):
            lines += block.count(b"\n")
            if not blank and (
                b"\n\n" in block or b"\n\r\n" in block or (last == b"\n" and block[:1] in (b"\n", b"\r"))
            ):
                blank = True
            last = block[-1:]
    if last != b"\n":
        lines += 1
    return lines, blank


def _line_numbers(
    path: str, kept_wanted: list[int], rejected_logical: list[int], kept_total: int
) -> tuple[dict[int, int], dict[int, int]]:
    """Physical line numbers of kept records (by 0-based index among the records DuckDB kept) and
    of rejected records (by DuckDB's logical line: records counted with blank lines, header = 1)."""
    wanted = set(kept_wanted)
    rejected = set(rejected_logical)
    lines, blank = _count_lines(path)
    kept_map: dict[int, int] = {}
    rej_map: dict[int, int] = {}
    if not blank and lines == 1 + kept_total + len(rejected):
        # one record per line: logical line == physical line
        rej_map = {r: r for r in rejected}
        rej_sorted = sorted(rejected)
        j = 0
        line = 1
        k = -1
        targets = sorted(wanted)
        t = 0
        # walk lines 2.. skipping rejected ones until every wanted index is placed
        while t < len(targets):
            line += 1
            if j < len(rej_sorted) and rej_sorted[j] == line:
                j += 1
                continue
            k += 1
            if k == targets[t]:
                kept_map[k] = line
                t += 1
        return kept_map, rej_map
    # general case: Python's csv reader gives each record's first line
    with open(path, encoding="utf-8-sig", newline="", errors="surrogateescape") as fh:
        reader = csv.reader(fh)
        previous = 0
        logical = 0
        k = -1
        for record in reader:
            start, previous = previous + 1, reader.line_num
            logical += 1
            if logical == 1 or not record:
                continue
            if logical in rejected:
                rej_map[logical] = start
                continue
            k += 1
            if k in wanted:
                kept_map[k] = start
    return kept_map, rej_map


def _duplicates(con) -> list[tuple[int, str, int]]:
    """(rowid, code, rowid of the first valid row with that code) for every valid row whose
    dossier code repeats an earlier valid row's. Grouping on a 64-bit hash of the code is twice
    as fast as on the text; the few rows whose hashes meet are then compared on the code itself."""
    rows = con.execute(
        """
        SELECT rowid, code FROM cchc_d
        WHERE err IS NULL AND hash(code) IN (
          SELECT hash(code) FROM cchc_d WHERE err IS NULL GROUP BY hash(code) HAVING count(*) > 1)
        ORDER BY rowid
        """
    ).fetchall()
    out = []
    first: dict[str, int] = {}
    for rid, code in rows:
        if code in first:
            out.append((rid, code, first[code]))
        else:
            first[code] = rid
    return out


_REJECT_REASONS = {
    "MISSING COLUMNS": "fields",
    "TOO MANY COLUMNS": "fields",
    "INVALID ENCODING": "encoding",
    "INVALID UNICODE": "encoding",
}


def compute_file(
    orgs: OrgTree | str | os.PathLike,
    dossiers: str | os.PathLike,
    periods: list[IndicatorPeriod],
    *,
    progress: Progress | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> FileResult:
    """Compute every indicator for every unit of ``orgs`` and every period from dossiers.csv.

    Raises `ExchangeError` for unusable files (orgs.csv errors, missing columns, unreadable CSV)."""
    import duckdb

    progress = progress or Progress(sys.stderr, enabled=False)
    tree = orgs if isinstance(orgs, OrgTree) else read_orgs(orgs)
    path = str(dossiers)
    header = read_header(path)
    stages: dict[str, float] = {}
    t0 = time.perf_counter()

    con = duckdb.connect(config={"preserve_insertion_order": True})
    try:
        con.execute(f"SET temp_directory = {_q(tempfile.gettempdir())}")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            con.execute(f"SET memory_limit = {_q(memory_limit)}")
        con.execute("SET enable_progress_bar = true")
        con.execute("SET enable_progress_bar_print = false")
        con.execute(SLOW_DATETIME_MACROS)
        codes = tree.codes()
        con.execute("CREATE TEMP TABLE cchc_units (code VARCHAR, idx INTEGER)")
        if codes:
            con.execute(
                "INSERT INTO cchc_units SELECT unnest(?), unnest(?)", [codes, list(range(len(codes)))]
            )
            con.execute("CREATE TYPE cchc_unit AS ENUM (SELECT code FROM cchc_units ORDER BY idx)")
        else:
            con.execute("CREATE TYPE cchc_unit AS ENUM ('')")  # no units: every unit code is unknown

        # positional column names: c0, c1, … (the file's names may repeat or be odd)
        sql_names = {f"c{i}": name for i, name in enumerate(header)}
        columns = {}
        for i, name in enumerate(header):
            if name in f.DOSSIER_COLUMNS and name not in columns:
                columns[name] = f"c{i}"
        spec = "{" + ", ".join(f"{_q(n)}: 'VARCHAR'" for n in sql_names) + "}"
        source = (
            f"read_csv({_q(path)}, header = true, auto_detect = false, columns = {spec}, delim = ',', "
            f"quote = '\"', escape = '\"', store_rejects = true, "
            f"rejects_table = 'cchc_rejects', rejects_scan = 'cchc_reject_scans', max_line_size = 10000000)"
        )
        progress.say(f"Đọc và kiểm tra {path}…")
        try:
            _run_with_progress(
                con, f"CREATE TEMP TABLE cchc_d AS {check_sql(source, columns)}", progress, "đọc và kiểm tra"
            )
        except duckdb.Error as exc:
            raise ExchangeError(0, f"không đọc được tệp CSV: {str(exc).splitlines()[0]}", path=path) from None
        stages["read_check"] = time.perf_counter() - t0

        t1 = time.perf_counter()
        kept, valid = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE err IS NULL) FROM cchc_d"
        ).fetchone()
        bad_kept = con.execute(
            "SELECT rowid, err FROM cchc_d WHERE err IS NOT NULL ORDER BY rowid"
        ).fetchall()
        rejects = con.execute(
            "SELECT line, min(error_type::VARCHAR) FROM cchc_rejects GROUP BY line ORDER BY line"
        ).fetchall()
        dups = _duplicates(con)
        if dups:
            con.execute("CREATE TEMP TABLE cchc_dups (rid BIGINT)")
            con.execute("INSERT INTO cchc_dups SELECT unnest(?)", [[rowid for rowid, _, _ in dups]])
            con.execute("UPDATE cchc_d SET err = 'dup' WHERE rowid IN (SELECT rid FROM cchc_dups)")
            valid -= len(dups)
        stages["duplicates"] = time.perf_counter() - t1

        bad: list[BadLine] = []
        if bad_kept or rejects or dups:
            wanted = (
                [rid for rid, _ in bad_kept] + [rid for rid, _, _ in dups] + [first for _, _, first in dups]
            )
            kept_map, rej_map = _line_numbers(path, wanted, [line for line, _ in rejects], kept)
            bad.extend(BadLine(kept_map[rid], reason) for rid, reason in bad_kept)
            for rid, code, first in dups:
                reason = f.MESSAGES["duplicate"].format(v=code[: f.VALUE_SHOWN], first=kept_map[first])
                bad.append(BadLine(kept_map[rid], reason))
            for line, kind in rejects:
                bad.append(BadLine(rej_map.get(line, line), f.MESSAGES[_REJECT_REASONS.get(kind, "csv")]))
            bad.sort(key=lambda b: b.line)

        t2 = time.perf_counter()
        progress.say("Tính các chỉ số…")
        con.execute("CREATE TEMP TABLE cchc_periods (pid INTEGER, a BIGINT, b BIGINT)")
        if periods:
            con.execute(
                "INSERT INTO cchc_periods SELECT unnest(?), unnest(?), unnest(?)",
                [list(range(len(periods))), [p.a_us for p in periods], [p.b_us for p in periods]],
            )
        con.execute("CREATE TEMP TABLE cchc_closure (uid INTEGER, anc INTEGER)")
        index = {c: i for i, c in enumerate(codes)}
        pairs = [(index[u], index[a]) for u, a in tree.closure()]
        if pairs:
            con.execute(
                "INSERT INTO cchc_closure SELECT unnest(?), unnest(?)",
                [[u for u, _ in pairs], [a for _, a in pairs]],
            )
        _run_with_progress(
            con,
            f"CREATE TEMP TABLE cchc_m AS {measures_sql('cchc_d', 'cchc_periods')}",
            progress,
            "tính chỉ số",
        )
        rolled = con.execute(rollup_sql("cchc_m", "cchc_closure")).fetchall()
        stages["measures"] = time.perf_counter() - t2
    finally:
        con.close()

    names = [m.code for m in MEASURES]
    totals: dict[tuple[str, str], dict[str, int]] = {}
    for anc, pid, *values in rolled:
        totals[(codes[anc], periods[pid].key)] = {n: int(v) for n, v in zip(names, values, strict=True)}
    rows = list(indicator_rows(codes, [p.key for p in periods], totals))
    records = kept + len(rejects)
    return FileResult(rows, records, valid, bad, time.perf_counter() - t0, stages)


# --- command line ---------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--orgs", required=True, help="cây đơn vị (orgs.csv)")
    parser.add_argument("--dossiers", required=True, help="hồ sơ (dossiers.csv)")
    parser.add_argument(
        "--period",
        action="append",
        required=True,
        help="kỳ: YYYY, YYYY-Qn, YYYY-H1, YYYY-H2, YYYY-9M hoặc YYYY-MM (lặp lại được)",
    )
    parser.add_argument("--out", help="tệp kết quả CSV (mặc định: ra stdout)")
    parser.add_argument("--strict", action="store_true", help="dừng ở dòng lỗi đầu tiên (mã thoát 2)")
    parser.add_argument("--quiet", action="store_true", help="không in tiến độ")


def _fmt_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def run(options: dict, stdout=None, stderr=None) -> int:
    """The command: returns the exit status (0, or 2 for bad input with one line on stderr)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr

    def fail(message: str) -> int:
        stderr.write("cchc indicators compute: " + " ".join(str(message).split()) + "\n")
        stderr.flush()
        return EXIT_BAD_INPUT

    try:
        periods = parse_periods(list(options["period"]))
    except PeriodError as exc:
        return fail(str(exc))
    progress = Progress(stderr, enabled=not options.get("quiet"))
    try:
        tree = read_orgs(options["orgs"])
    except ExchangeError as exc:
        for line, reason in exc.errors:
            stderr.write(f"{exc.path}: dòng {line}: {reason}\n" if line else f"{exc.path}: {reason}\n")
        return EXIT_BAD_INPUT
    try:
        result = compute_file(tree, options["dossiers"], periods, progress=progress)
    except ExchangeError as exc:
        return fail(str(exc))

    if result.bad and options.get("strict"):
        first = result.bad[0]
        return fail(f"{options['dossiers']}: {first} (--strict: dừng ở dòng lỗi đầu tiên)")
    for bad in result.bad:
        stderr.write(f"{options['dossiers']}: {bad}\n")
    out_path = options.get("out")
    if out_path:
        try:
            target = open(out_path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as exc:
            return fail(f"không ghi được {out_path}: {exc.strerror or exc}")
    else:
        target = stdout
    try:
        write_result(target, result.rows)
    finally:
        if out_path:
            target.close()
    if result.bad:
        stderr.write(
            f"Đã bỏ qua {_fmt_int(len(result.bad))} dòng lỗi trên {_fmt_int(result.records)} dòng hồ sơ; "
            f"tính trên {_fmt_int(result.valid)} hồ sơ hợp lệ.\n"
        )
    progress.say(
        f"Xong: {_fmt_int(result.valid)} hồ sơ hợp lệ, {_fmt_int(len(result.rows))} dòng kết quả, "
        f"{result.seconds:.1f} giây."
    )
    stderr.flush()
    return EXIT_OK


def write_result(target, rows: Iterable[IndicatorValue]) -> None:
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    writer.writerows(row.as_csv() for row in rows)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, fail: Callable[[str], None], **kwargs):
        super().__init__(*args, **kwargs)
        self._fail = fail

    def error(self, message: str):  # one line on stderr, exit 2 (argparse prints usage too)
        self._fail(message)


def main(argv: list[str] | None = None) -> int:
    def fail(message: str) -> None:
        sys.stderr.write("cchc indicators compute: " + " ".join(message.split()) + "\n")
        sys.exit(EXIT_BAD_INPUT)

    parser = _Parser(prog="cchc indicators compute", description=__doc__.splitlines()[0], fail=fail)
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run(vars(args))


if __name__ == "__main__":
    sys.exit(main())
