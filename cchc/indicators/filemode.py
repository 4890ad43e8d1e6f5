"""File mode of the dossier indicators: orgs.csv + dossiers.csv → indicators per unit × period,
computed with DuckDB (`cchc indicators compute`, contract in docs/specs/dossier-exchange.md).

How 5 million rows stay fast (docs/indicators.md has the figures):

1. **One pass over the CSV**, by DuckDB, every column read as text (``all_varchar``): the value
   rules of `cchc.exchange.formats` are written in SQL (`filemode_sql.py`) — a cheap exact fast path for the common
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
import datetime as dt
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from cchc.core.localtime import datetime_to_local_us
from cchc.core.periods import CalendarPeriod, PeriodError, parse_calendar_periods
from cchc.exchange import formats as f
from cchc.exchange.dossiers import read_header
from cchc.exchange.errors import ExchangeError
from cchc.exchange.orgs import OrgTree, read_orgs

from .definitions import MEASURES, OUTPUT_COLUMNS, IndicatorValue, cut_us, indicator_rows
from .filemode_sql import SLOW_DATETIME_MACROS, check_sql, fast_sql, measures_sql, rollup_sql, sql_str

EXIT_OK, EXIT_BAD_INPUT = 0, 2
PROGRESS_AFTER = 2.0  # seconds before progress is shown on stderr


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
    dossier code repeats an earlier valid row's. Grouping on a 64-bit hash of the code (computed
    once, while reading) is twice as fast as on the text; the few rows whose hashes meet are then
    compared on the code itself."""
    rows = con.execute(
        """
        SELECT rowid, code FROM cchc_d
        WHERE err IS NULL AND h IN (SELECT h FROM cchc_d WHERE err IS NULL GROUP BY h HAVING count(*) > 1)
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


def _fast_pass(con, source: str, columns: dict[str, str], progress: Progress) -> int | None:
    """The common case in one pass: every value in its usual exact form (`filemode_sql.fast_sql`),
    no code repeated, no row DuckDB's reader refuses. Leaves table ``cchc_f`` (the typed rows,
    in any order) and returns the number of rows; None (and no table) when any row needs a closer
    look — the file is then read again by `_full_pass`, which finds and words every reason, so the
    output does not depend on which pass ran. Insertion order is not kept: nothing here needs the
    row's position, and DuckDB's threads then write without waiting for each other."""
    import duckdb

    try:
        _run_with_progress(
            con, f"CREATE TEMP TABLE cchc_f AS {fast_sql(source, columns)}", progress, "đọc và kiểm tra"
        )
    except duckdb.Error:  # a row the reader refuses (fields, quotes, encoding): the full pass words it
        return None
    # distinct hashes prove distinct codes (equal codes hash alike); equal hashes prove nothing
    rows, not_ok, codes = con.execute(
        "SELECT count(*), count_if(ok IS NOT TRUE), count(DISTINCT h) FROM cchc_f"
    ).fetchone()
    if not_ok or codes != rows:
        con.execute("DROP TABLE cchc_f")
        return None
    return rows


def _full_pass(
    con, path: str, source: str, columns: dict[str, str], progress: Progress
) -> tuple[int, int, list, list[BadLine]]:
    """Every rule with its reason, every row in file order: table ``cchc_d``; returns (records kept
    by the reader, valid rows, the reader's rejects, the bad lines sorted by line)."""
    import duckdb

    con.execute("SET preserve_insertion_order = true")  # rowid = record number
    try:
        _run_with_progress(
            con, f"CREATE TEMP TABLE cchc_d AS {check_sql(source, columns)}", progress, "kiểm tra từng dòng"
        )
    except duckdb.Error as exc:
        raise ExchangeError(0, f"không đọc được tệp CSV: {str(exc).splitlines()[0]}", path=path) from None
    finally:
        con.execute("SET preserve_insertion_order = false")
    kept, valid = con.execute("SELECT count(*), count(*) FILTER (WHERE err IS NULL) FROM cchc_d").fetchone()
    bad_kept = con.execute("SELECT rowid, err FROM cchc_d WHERE err IS NOT NULL ORDER BY rowid").fetchall()
    rejects = con.execute(
        "SELECT line, min(error_type::VARCHAR) FROM cchc_rejects GROUP BY line ORDER BY line"
    ).fetchall()
    dups = _duplicates(con)
    if dups:
        con.execute("CREATE TEMP TABLE cchc_dups (rid BIGINT)")
        con.execute("INSERT INTO cchc_dups SELECT unnest(?)", [[rowid for rowid, _, _ in dups]])
        con.execute("UPDATE cchc_d SET err = 'dup' WHERE rowid IN (SELECT rid FROM cchc_dups)")
        valid -= len(dups)
    bad: list[BadLine] = []
    if bad_kept or rejects or dups:
        wanted = [rid for rid, _ in bad_kept] + [rid for rid, _, _ in dups] + [first for _, _, first in dups]
        kept_map, rej_map = _line_numbers(path, wanted, [line for line, _ in rejects], kept)
        bad.extend(BadLine(kept_map[rid], reason) for rid, reason in bad_kept)
        for rid, code, first in dups:
            reason = f.MESSAGES["duplicate"].format(v=code[: f.VALUE_SHOWN], first=kept_map[first])
            bad.append(BadLine(kept_map[rid], reason))
        for line, kind in rejects:
            bad.append(BadLine(rej_map.get(line, line), f.MESSAGES[_REJECT_REASONS.get(kind, "csv")]))
        bad.sort(key=lambda b: b.line)
    return kept, valid, rejects, bad


def compute_file(
    orgs: OrgTree | str | os.PathLike,
    dossiers: str | os.PathLike,
    periods: list[CalendarPeriod],
    *,
    progress: Progress | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
    as_of_us: int | None = None,
    fast_pass: bool = True,
) -> FileResult:
    """Compute every indicator for every unit of ``orgs`` and every period from dossiers.csv,
    each period read up to its cut min(end, ``as_of_us``) (local µs; None: the period's end).
    ``fast_pass=False`` reads every row with the full rules at once (the benchmark's "before").

    Raises `ExchangeError` for unusable files (orgs.csv errors, missing columns, unreadable CSV)."""
    import duckdb

    progress = progress or Progress(sys.stderr, enabled=False)
    tree = orgs if isinstance(orgs, OrgTree) else read_orgs(orgs)
    path = str(dossiers)
    header = read_header(path)
    stages: dict[str, float] = {}
    t0 = time.perf_counter()

    # insertion order only matters where rowid is the record number (`_full_pass` turns it on)
    con = duckdb.connect(config={"preserve_insertion_order": False})
    try:
        con.execute(f"SET temp_directory = {sql_str(tempfile.gettempdir())}")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            con.execute(f"SET memory_limit = {sql_str(memory_limit)}")
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
        spec = "{" + ", ".join(f"{sql_str(n)}: 'VARCHAR'" for n in sql_names) + "}"
        reader = (
            f"read_csv({sql_str(path)}, header = true, auto_detect = false, columns = {spec}, delim = ',', "
            f"quote = '\"', escape = '\"', max_line_size = 10000000"
        )
        progress.say(f"Đọc và kiểm tra {path}…")
        table, valid_only = "cchc_f", False
        counted = _fast_pass(con, reader + ")", columns, progress) if fast_pass else None
        stages["read_check"] = time.perf_counter() - t0
        if counted is not None:
            kept = valid = counted
            rejects: list = []
            bad: list[BadLine] = []
        else:
            table, valid_only = "cchc_d", True
            t1 = time.perf_counter()
            source = (
                reader
                + ", store_rejects = true, rejects_table = 'cchc_rejects', rejects_scan = 'cchc_reject_scans')"
            )
            kept, valid, rejects, bad = _full_pass(con, path, source, columns, progress)
            stages["look_closer"] = time.perf_counter() - t1

        t2 = time.perf_counter()
        progress.say("Tính các chỉ số…")
        con.execute("CREATE TEMP TABLE cchc_periods (pid INTEGER, a BIGINT, b BIGINT)")
        if periods:
            con.execute(
                "INSERT INTO cchc_periods SELECT unnest(?), unnest(?), unnest(?)",
                [
                    list(range(len(periods))),
                    [p.a_us for p in periods],
                    [cut_us(p.b_us, as_of_us) for p in periods],
                ],
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
            f"CREATE TEMP TABLE cchc_m AS {measures_sql(table, 'cchc_periods', valid_only=valid_only)}",
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
    parser.add_argument(
        "--as-of",
        dest="as_of",
        help="thời điểm xét, giờ địa phương 'YYYY-MM-DD HH:MM' (mặc định: cuối kỳ); kỳ đang diễn ra "
        "được xét như tại thời điểm này",
    )
    parser.add_argument("--out", help="tệp kết quả CSV (mặc định: ra stdout)")
    parser.add_argument("--strict", action="store_true", help="dừng ở dòng lỗi đầu tiên (mã thoát 2)")
    parser.add_argument("--quiet", action="store_true", help="không in tiến độ")


_AS_OF = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?", re.ASCII)


def parse_as_of(text: str) -> int:
    """``--as-of "YYYY-MM-DD HH:MM"`` (seconds optional), local time → local µs; ValueError."""
    m = _AS_OF.fullmatch(text.strip())
    try:
        if m is None:
            raise ValueError
        moment = dt.datetime(*(int(g) for g in m.groups(default="0")))
    except ValueError:
        raise ValueError(
            f"--as-of không hợp lệ: {text!r} (dùng dạng 'YYYY-MM-DD HH:MM', giờ địa phương)"
        ) from None
    return datetime_to_local_us(moment)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # the output does not exist yet (or the input does not): not the same file
        return os.path.abspath(a) == os.path.abspath(b)


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

    out_path = options.get("out")
    if out_path and any(_same_file(out_path, options[k]) for k in ("dossiers", "orgs")):
        return fail(f"--out {out_path} là tệp đầu vào: ghi kết quả ra tệp khác để không mất dữ liệu.")
    try:
        periods = parse_calendar_periods(list(options["period"]))
    except PeriodError as exc:
        return fail(str(exc))
    as_of_us = None
    if options.get("as_of"):
        try:
            as_of_us = parse_as_of(options["as_of"])
        except ValueError as exc:
            return fail(str(exc))
    progress = Progress(stderr, enabled=not options.get("quiet"))
    try:
        tree = read_orgs(options["orgs"])
    except ExchangeError as exc:
        for line, reason in exc.errors:
            stderr.write(f"{exc.path}: dòng {line}: {reason}\n" if line else f"{exc.path}: {reason}\n")
        return EXIT_BAD_INPUT
    try:
        result = compute_file(tree, options["dossiers"], periods, progress=progress, as_of_us=as_of_us)
    except ExchangeError as exc:
        return fail(str(exc))

    if result.bad and options.get("strict"):
        first = result.bad[0]
        return fail(f"{options['dossiers']}: {first} (--strict: dừng ở dòng lỗi đầu tiên)")
    for bad in result.bad:
        stderr.write(f"{options['dossiers']}: {bad}\n")
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
    from cchc.core.commands import fail  # imports Django: only for the command line, not the engine

    parser = _Parser(
        prog="cchc indicators compute",
        description=__doc__.splitlines()[0],
        fail=partial(fail, "indicators compute"),
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run(vars(args))


if __name__ == "__main__":
    sys.exit(main())
