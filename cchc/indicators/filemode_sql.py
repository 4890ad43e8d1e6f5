"""SQL of the file mode (`filemode`): the value rules of the exchange format, the measures and
the roll-up, written as DuckDB SQL from the same data the Python side uses
(`cchc.exchange.formats`, `definitions.MEASURES`), so that both read a file alike.

- `check_sql`: one SELECT over the CSV read as text giving the compact typed row and the first
  broken rule of the row, worded as `cchc.exchange.dossiers.RowChecker` words it;
- `measures_sql`: the measures per handling unit × period (also used by the live rebuild);
- `rollup_sql`: the measures summed over each unit's subtree.
"""

from __future__ import annotations

from cchc.exchange import formats as f

from .definitions import MEASURES, Measure

# --- SQL for the value rules (mirrors cchc.exchange.dossiers.RowChecker) -------------------------


def sql_str(text: str) -> str:
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
        return sql_str(text)
    before, after = text.split(marker)
    return f"({sql_str(before)} || left({raw_sql}, {f.VALUE_SHOWN}) || {sql_str(after)})"


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
    pattern = sql_str("^" + f.DATETIME_RE + "$")
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
  CASE WHEN regexp_full_match(t, {sql_str(f.HOURS_RE)})
    THEN cchc_hours_check(cchc_hours_scaled(split_part(t, '.', 1), split_part(t, '.', 2))) END
);
"""


def _enum_expr(raw: str, values: tuple[str, ...]) -> str:
    """SQL TINYINT: 1.. for the values, 0 when empty, NULL when not allowed."""
    cases = " ".join(f"WHEN {sql_str(v)} THEN {i}" for i, v in enumerate(values, start=1))
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
        f"WHEN regexp_full_match({t}, {sql_str(f.COUNT_RE)}) THEN CAST({t} AS BIGINT) END) END)"
    )


HOURS_FAST_RE = r"\d{1,6}(?:\.\d{1,9})?"  # no rounding needed: exact in 1e-9 hours


def _hours_expr(raw: str) -> str:
    """SQL BIGINT: tam_dung_gio in 1e-9 hours, -1 when empty, NULL when invalid."""
    fast = (
        f"CAST(split_part({raw}, '.', 1) AS BIGINT) * {f.HOURS_SCALE}"
        f" + CAST(rpad(split_part({raw}, '.', 2), 9, '0') AS BIGINT)"
    )
    return (
        f"(CASE {raw} WHEN '0' THEN 0 ELSE (CASE WHEN regexp_full_match({raw}, {sql_str(HOURS_FAST_RE)}) THEN {fast} "
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
        checks.append((cross[key], sql_str(f.CROSS_MESSAGES[key])))
    err = "CASE\n    " + "\n    ".join(f"WHEN {cond} THEN {msg}" for cond, msg in checks) + "\n  END"
    flags = ", ".join(f"fl_{c} = 1 AS {c}" for c in f.FLAG_COLUMNS)
    return f"""
SELECT ma_ho_so AS code, hash(ma_ho_so) AS h, CAST(uid AS INTEGER) AS uid,
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


# --- the fast path: the common form of every value, or "look closer" ---------------------------------


def fast_sql(source: str, columns: dict[str, str]) -> str:
    """SELECT over ``source`` giving the typed row of `check_sql` (same names; no ``err``; instead
    of the code, ``h``: a 64-bit hash of it for the duplicate test — DuckDB's string hash alone
    meets on several pairs of such structured codes per million, mixed with the hash of the last 8
    characters none in 5 million; a meeting only sends the file to the full pass) and ``ok``: TRUE only when every value of the row is in its common exact form and the row keeps
    every rule — a *sufficient* test (``2026-01-05T08:00+07:00`` or `` 1`` are valid but not
    ``ok``). The caller uses the pass only when every row is ``ok`` (and no code repeats): the
    typed values are then exactly those of `check_sql`; otherwise it reads the file again with
    `check_sql`, which words every reason. Cheaper than `check_sql` because no value takes the
    slow grammar and no reason is built."""

    def raw(column: str) -> str:
        return _ident(columns[column]) if column in columns else "CAST(NULL AS VARCHAR)"

    level1 = {f"ts_{c}": _datetime_fast(raw(c)) for c in f.DATETIME_COLUMNS}
    level1["fast_unit"] = f"try_cast({raw('ma_don_vi')} AS cchc_unit)"
    for c in f.DOSSIER_COLUMNS:
        level1[f"raw_{c}"] = raw(c)

    def r(c: str) -> str:
        return f"raw_{c}"

    code = r("ma_ho_so")
    typed = {
        "code": code,
        # plain ASCII, nothing to trim: the code as written is the code compared (NFC of ASCII is itself)
        "code_ok": f"({code} >= '!' AND NOT suffix({code}, ' ') AND NOT suffix({code}, '\t') "
        f"AND strlen({code}) = length({code}))",
        "tthc_ok": f"{r('ma_tthc')} >= '!'",
        # as `check_sql` reads it; using the text here also keeps DuckDB from pushing the ENUM cast
        # into the CSV reader, where a failed cast stops the scan instead of giving NULL
        "uid": f"CAST({_unit_expr(r('ma_don_vi'), 'fast_unit')} AS INTEGER)",
        # the cheap columns read exactly as `check_sql` reads them (sentinels for empty or invalid)
        "kenh": _enum_expr(r("kenh"), f.CHANNELS),
        "kq": _enum_expr(r("ket_qua"), f.RESULTS),
        "rating": _enum_expr(r("danh_gia"), f.RATINGS),
        "so_lan": _count_expr(r("so_lan_bo_sung")),
        "pause": _hours_expr(r("tam_dung_gio")),
    }
    for c in f.DATETIME_COLUMNS:
        typed[f"dt_{c}"] = _datetime_canonical(r(c), f"ts_{c}")
        typed[f"raw_{c}"] = r(c)
    for c in f.FLAG_COLUMNS:
        typed[f"fl_{c}"] = _flag_expr(r(c))

    recv, due, new_due = "dt_tiep_nhan_luc", "dt_han_tra", "dt_han_tra_moi"
    end, returned = "dt_ket_thuc_luc", "dt_tra_kq_luc"
    conds = [
        "code_ok",
        "tthc_ok",
        "uid IS NOT NULL",
        "kenh > 0",
        "kq >= 0",
        "rating >= 0",
        "so_lan >= 0",
        "pause >= 0",
        f"{recv} IS NOT NULL",
        f"{due} IS NOT NULL",
        *(f"(raw_{c} IS NULL OR dt_{c} IS NOT NULL)" for c in f.DATETIME_COLUMNS),
        *(f"fl_{c} >= 0" for c in f.FLAG_COLUMNS),
        # the cross-column rules (`check_sql`), negated (a rule on an empty datetime does not apply)
        f"({end} IS NULL OR {end} >= {recv})",
        f"{due} >= {recv}",
        f"({new_due} IS NULL OR {new_due} > {due})",
        f"({returned} IS NULL OR {end} IS NOT NULL)",
        f"({returned} IS NULL OR {returned} >= {end})",
        f"(kq = 0) = ({end} IS NULL)",
    ]
    l1 = ",\n    ".join(f"{expr} AS {_ident(name)}" for name, expr in level1.items())
    l2 = ",\n    ".join(f"{expr} AS {_ident(name)}" for name, expr in typed.items())
    flags = ", ".join(f"fl_{c} = 1 AS {c}" for c in f.FLAG_COLUMNS)
    ok = " AND ".join(conds)  # NULL (an unknown part) counts as not ok: the caller tests IS NOT TRUE
    return f"""
SELECT xor(hash(code), hash(right(code, 8), 0)) AS h, uid, {recv} AS recv, {due} AS due, {end} AS fin, pause,
  CAST(so_lan AS INTEGER) AS so_lan, CAST(kenh AS TINYINT) AS kenh, CAST(kq AS TINYINT) AS kq,
  CAST(rating AS TINYINT) AS rating, {flags},
  {ok} AS ok
FROM (
  SELECT
    {l2}
  FROM (
    SELECT
    {l1}
    FROM {source}
  )
)"""


# --- measures in SQL (from the data in definitions.MEASURES) -----------------------------------------

_ENUM_SQL = {"kenh": ("kenh", f.CHANNELS), "ket_qua": ("kq", f.RESULTS), "danh_gia": ("rating", f.RATINGS)}


def _cond_sql(cond: tuple[str, str, object]) -> str:
    name, op, value = cond
    if name == "dung_han":
        return "on_time" if value else "late"
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


def measures_sql(
    table: str, periods_table: str, *, open_judged_later: bool = False, valid_only: bool = True
) -> str:
    """Measures per (unit, period) over the periods table (pid, a, b), ``b`` being each period's
    cut; with ``open_judged_later`` open dossiers are neither on time nor late (the live totals,
    `definitions.measures_for`)."""
    cols = ",\n  ".join(measure_sql(m) for m in MEASURES)
    judged = "d.fin IS NOT NULL" if open_judged_later else "TRUE"
    rule = (
        "d.so_lan <= 1 AND (CASE WHEN d.fin < p.b THEN d.fin ELSE p.b END - d.due) * 1000 <= d.pause * 3600"
    )
    return f"""
SELECT uid, pid,
  {cols}
FROM (
  SELECT d.*, p.pid,
    (d.recv >= p.a AND d.recv < p.b) AS in_r,
    coalesce(d.fin >= p.a AND d.fin < p.b, FALSE) AS in_f,
    ({judged}) AND ({rule}) AS on_time,
    ({judged}) AND NOT ({rule}) AS late
  FROM {table} d JOIN {periods_table} p
    ON (d.recv >= p.a AND d.recv < p.b) OR (d.fin >= p.a AND d.fin < p.b)
  {"WHERE d.err IS NULL" if valid_only else ""}
)
GROUP BY uid, pid"""


def rollup_sql(measures_table: str, closure_table: str) -> str:
    cols = ", ".join(f"sum({_ident(m.code)}) AS {_ident(m.code)}" for m in MEASURES)
    return f"""
SELECT c.anc, m.pid, {cols}
FROM {measures_table} m JOIN {closure_table} c ON c.uid = m.uid
GROUP BY c.anc, m.pid"""
