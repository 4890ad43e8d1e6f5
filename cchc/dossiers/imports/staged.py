"""PostgreSQL, staged: the dossier rows go into a temporary table by binary COPY, and the server
makes the dossiers and their events with one `INSERT … SELECT` (docs/dossiers.md, "Import at scale").

Python no longer builds, encodes and sends the events (about four a dossier, two thirds of the
bytes): `EVENTS_SQL` derives them from the new dossier's own columns — the received moment, the
appointment, the supplement count and pause, the result, the return, the rating — exactly as
`events.events_for` places them (same kinds, sequence, moments rounded half to even, same JSON).
`fast.Verifier` still picks a sample of every batch (the first row of each shape, one in 500),
and `verify_stored` compares what the server stored for it with the reference replay.

The stage holds the batch's rows with their line numbers, so the codes already stored (unchanged
or a conflict) are found by one join and skipped by the insert itself.

`BulkLoad` is for an import large against the table (`bulk_wanted`): the whole import is one
transaction that drops the secondary indexes and the foreign keys of the dossiers and events,
loads, then creates them again — a sort per index and one join per key instead of a B-tree
insertion per row and a key lookup per row. DDL is transactional in PostgreSQL: a killed bulk
import leaves the tables, indexes and keys as they were.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from cchc.exchange import formats as f

from ..choices import EventKind as E
from ..lifecycle import STATE_FIELDS, dossier_replay
from ..models import Dossier, DossierEvent
from .events import RESULT_EVENT, events_for, row_of
from .fast import CONSTANT_STATE, VARYING, Built, FastPathMismatch, Proc
from .postgres import HEADER, INT4, TRAILER, PostgresStore, _constant
from .store import COLUMNS, FIELDS, constant_values

if TYPE_CHECKING:
    from cchc.procedures.models import Procedure

STAGE = "cchc_import_stage"
PROCS = "cchc_import_procs"
STAGE_COLUMNS = ["line", *COLUMNS[1:]]  # the dossier's columns but its id, which the insert draws
# An import this large, and at least as large as the dossiers already stored, loads in bulk
# (docs/decisions.md, "Dossier import in bulk (issue 16)").
BULK_MIN_ROWS = 100_000

# The helpers are written into the statement (Python functions giving SQL text), not created as
# SQL functions: PostgreSQL inlines a SQL function only when its body is as immutable as it is
# declared and its arguments cheap, else calls it per row — several times slower per event.


def us(t: str) -> str:
    """A timestamptz as microseconds since 1970 (exact: extract gives a numeric)."""
    return f"(extract(epoch FROM {t}) * 1000000)::bigint"


def ts(v: str) -> str:
    """Microseconds since 1970 as a timestamptz."""
    return f"(timestamptz '1970-01-01 00:00:00+00' + ({v}) * interval '1 microsecond')"


def between(a: str, b: str, k: str, n: str) -> str:
    """a + (b - a) * k / (n + 1), rounded half to even like `timedelta / int` (`events._between`),
    a when b ≤ a. Every operand is non-negative: integer division and remainder are floor's.
    The text goes into a statement with parameters: its modulo is written ``%%``."""
    x, d = f"(({b}) - ({a})) * ({k})", f"(({n}) + 1)"
    return (
        f"(CASE WHEN ({b}) > ({a}) THEN ({a}) + {x} / {d} + CASE WHEN 2 * ({x} %% {d}) > {d} THEN 1 "
        f"WHEN 2 * ({x} %% {d}) = {d} AND ({x} / {d}) %% 2 = 1 THEN 1 ELSE 0 END ELSE ({a}) END)"
    )


def iso(t: str) -> str:
    """`datetime.isoformat()` of the local moment (UTC+07:00 for every moment the reader accepts)."""
    local = f"(({t}) AT TIME ZONE INTERVAL '+07:00')"
    return (
        f"(to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN date_trunc('second', {local}) = {local} "
        f"THEN '' ELSE to_char({local}, '.US') END || '+07:00')"
    )


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def events_sql(dossiers: str, events_table: str) -> str:
    """INSERT of the events of the rows of ``dossiers`` (a relation with the dossier's columns),
    in the order and with the data of `events.events_for`. Parameter: recorded_at."""
    # the moment of the event before the apology: the last supplement's return, else receipt
    last = (
        "CASE WHEN d.supplement_count > 0 THEN "
        + between("t.a", "u.half", "2 * d.supplement_count", "2 * d.supplement_count")
        + " ELSE t.a END"
    )
    result_kind = "CASE d.result " + " ".join(
        f"WHEN {_lit(result)} THEN {_lit(kind)}" for result, kind in RESULT_EVENT.items()
    )
    return f"""
INSERT INTO {events_table} (dossier_id, sequence, kind, at, data, recorded_at, actor_id)
SELECT d.id, e.seq, e.kind, e.at, e.data, %(recorded)s::timestamptz, NULL
FROM {dossiers} d
JOIN {PROCS} p ON p.id = d.procedure_id
CROSS JOIN LATERAL (
  SELECT {us("d.received_at")} AS a,
         {us("coalesce(d.finished_at, greatest(d.received_at, d.due_at))")} AS b,
         1 + d.paid_online::int AS p0,
         (d.paused_hours / greatest(d.supplement_count, 1))::numeric(12, 2) AS each
) t
CROSS JOIN LATERAL (
  SELECT {between("t.a", "t.b", "1", "1")} AS half,
         t.p0 + 2 * d.supplement_count + d.apologised::int AS r,
         t.each::text AS each_text,
         (t.each * 3600000000)::bigint AS each_us
) u
CROSS JOIN LATERAL (
  SELECT 1 AS seq, {_lit(E.RECEIVED)} AS kind, d.received_at AS at,
         jsonb_build_object('due_at', {iso("d.due_at")}, 'duration', p.duration,
           'duration_unit', p.unit, 'steps', '[]'::jsonb, 'fee_due', d.fee_due,
           'digitised', d.digitised, 'data_reused', d.data_reused) AS data
  UNION ALL
  SELECT 2, {_lit(E.PAYMENT_MADE)}, d.received_at, '{{"online": true}}'::jsonb WHERE d.paid_online
  UNION ALL
  SELECT t.p0 + 2 * i + 1 + s.nth, s.kind,
         {ts(between("t.a", "u.half", "2 * i + 1 + s.nth", "2 * d.supplement_count"))},
         CASE WHEN s.nth = 0 THEN '{{"missing": []}}'::jsonb
           ELSE jsonb_build_object(
             'due_at', {iso("d.due_at + (u.each_us * (i + 1)) * interval '1 microsecond'")},
             'paused_hours', u.each_text, 'paused_elapsed_hours', u.each_text) END
  FROM generate_series(0, d.supplement_count - 1) AS i,
       (VALUES (0, {_lit(E.SUPPLEMENT_REQUESTED)}), (1, {_lit(E.SUPPLEMENT_RECEIVED)})) AS s (nth, kind)
  UNION ALL
  SELECT u.r, {_lit(E.APOLOGY_SENT)},
         {ts(between(last, "t.b", "1", "1"))},
         jsonb_build_object('new_due_at', {iso("d.new_due_at")}, 'reason', '')
  WHERE d.apologised
  UNION ALL
  SELECT u.r + 1, {result_kind} END, d.finished_at, '{{}}'::jsonb WHERE d.result <> ''
  UNION ALL
  SELECT u.r + 2, {_lit(E.RESULT_FILE_ATTACHED)}, d.finished_at, '{{}}'::jsonb WHERE d.electronic_result
  UNION ALL
  SELECT u.r + 2 + d.electronic_result::int, {_lit(E.RETURNED)}, d.returned_at,
         jsonb_build_object('method', d.return_method)
  WHERE d.returned_at IS NOT NULL
  UNION ALL
  SELECT d.event_count, {_lit(E.RATED)}, d.last_event_at, jsonb_build_object('rating', d.rating)
  WHERE d.rating <> ''
) e
"""


@dataclass
class Stored:
    ids: list[int]  # the new dossiers, in file order
    codes: list[str]
    events: int


class StagedStore(PostgresStore):
    """`PostgresStore` whose batches go through the stage (see the module docstring)."""

    staged = True
    STAGE_FIELDS = len(STAGE_COLUMNS).to_bytes(2, "big")

    def prepare(self, b: Built) -> tuple:
        return (INT4[b.line] + self.prepare_row(b),)

    def begin(self, procs: dict[str, Proc]) -> None:
        """Once per import, on the import's connection: the stage, the procedures' texts, the helpers."""
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{STAGE}, pg_temp.{PROCS}")
            # LIKE copies the columns and NOT NULL only; the id is drawn by the insert
            cursor.execute(f"CREATE TEMP TABLE {STAGE} (LIKE {self.table(Dossier)})")
            cursor.execute(f"ALTER TABLE {STAGE} DROP COLUMN {quote('id')}, ADD COLUMN line integer NOT NULL")
            cursor.execute(f"CREATE TEMP TABLE {PROCS} (id bigint PRIMARY KEY, duration text, unit text)")
            seen = {p.id: p for p in procs.values()}
            if seen:
                cursor.executemany(
                    f"INSERT INTO {PROCS} VALUES (%s, %s, %s)",
                    [(p.id, str(p.duration), p.unit) for p in seen.values()],
                )
            cursor.execute(f"ANALYZE {PROCS}")

    def end(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{STAGE}, pg_temp.{PROCS}")

    def stage(self, prepared: Sequence[tuple], now: dt.datetime) -> dict[str, tuple[int, str]]:
        """The batch into the stage; returns its codes already stored → (line, stored digest),
        with the digest of the row in the file as the stored one when equal."""
        tail = b"".join(_constant(FIELDS[name], v) for name, v in constant_values(now).items())
        start = self.STAGE_FIELDS
        data = b"".join([HEADER, *(b"".join((start, row[0], tail)) for row in prepared), TRAILER])
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {STAGE}")
            columns = ", ".join(quote(c) for c in STAGE_COLUMNS)
            with cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(data)
            cursor.execute(
                f"SELECT s.code, s.line, d.import_digest FROM {STAGE} s "
                f"JOIN {self.table(Dossier)} d ON d.code = s.code"
            )
            return {code: (line, digest) for code, line, digest in cursor.fetchall()}

    def insert(self, now: dt.datetime) -> Stored:
        """The staged rows whose code is not stored yet become dossiers, in file order, and the
        server makes their events."""
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(c) for c in COLUMNS[1:])
        dossiers = (
            f"INSERT INTO {self.table(Dossier)} ({columns}) SELECT {columns} FROM {STAGE} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {self.table(Dossier)} x WHERE x.code = s.code) "
            f"ORDER BY s.line RETURNING *"
        )
        sql = (
            f"WITH d AS ({dossiers}), ev AS ({events_sql('d', self.table(DossierEvent))} RETURNING 1) "
            "SELECT d.id, d.code, d.event_count, (SELECT count(*) FROM ev) FROM d ORDER BY d.id"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, {"recorded": now})
            rows = cursor.fetchall()
        stored = Stored([r[0] for r in rows], [r[1] for r in rows], rows[0][3] if rows else 0)
        expected = sum(r[2] for r in rows)
        if stored.events != expected:  # the fast path's count and the server's events disagree
            raise FastPathMismatch(self._miscounted(stored.ids))
        return stored

    def _miscounted(self, ids: list[int]) -> str:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.code, d.event_count, (SELECT count(*) FROM {self.table(DossierEvent)} e "
                f"WHERE e.dossier_id = d.id) AS n FROM {self.table(Dossier)} d WHERE d.id = ANY(%s) "
                "ORDER BY d.id",
                [ids],
            )
            for code, counted, made in cursor.fetchall():
                if counted != made:
                    return f"{code}: máy chủ tạo {made} sự kiện, cách tính nhanh đếm {counted}"
        return "số sự kiện máy chủ tạo khác với cách tính nhanh"


def verify_stored(sample: Sequence[tuple[int, tuple]], procs: dict[str, Proc], new: set[str]) -> int:
    """The sampled rows' dossiers as stored (fields and events) against the reference
    (`events_for` + `dossier_replay`); raises `FastPathMismatch` on the smallest difference.
    Only the rows stored by this batch (codes ``new``) are compared."""
    sample = [(line, v) for line, v in sample if v[0] in new]
    if not sample:
        return 0
    codes = [v[0] for _, v in sample]
    found = {d.code: d for d in Dossier.objects.filter(code__in=codes)}
    events: dict[int, list] = {}
    for e in DossierEvent.objects.filter(dossier__in=found.values()).order_by("dossier_id", "sequence"):
        events.setdefault(e.dossier_id, []).append(e)
    for line, v in sample:
        dossier = found[v[0]]
        where = f"dòng {line} ({dossier.code})"
        row = row_of(line, v)
        reference = events_for(row, cast("Procedure", procs[v[1]].source))
        got = [(e.sequence, e.kind, f.datetime_to_local_us(e.at), e.data) for e in events.get(dossier.pk, [])]
        want = [
            (i, e.kind, f.datetime_to_local_us(e.at), json.loads(json.dumps(e.data)))
            for i, e in enumerate(reference, start=1)
        ]
        if got != want:
            first = next(
                (f"{g} ≠ {w}" for g, w in zip(got, want, strict=False) if g != w), f"{len(got)} ≠ {len(want)}"
            )
            raise FastPathMismatch(f"{where}: sự kiện khác với cách tính chuẩn (events_for): {first}")
        expected = dossier_replay(reference)
        for name in STATE_FIELDS:
            want = getattr(expected, name)
            got = getattr(dossier, name) if name in VARYING else CONSTANT_STATE[name]
            if want != got or isinstance(want, bool) is not isinstance(got, bool):
                raise FastPathMismatch(f"{where}: trường {name} = {got!r}, cách tính chuẩn cho {want!r}")
    return len(sample)


def bulk_wanted(connection, lines: int) -> bool:
    """Load in bulk when the file holds at least `BULK_MIN_ROWS` rows and at least twice as many
    as the dossiers already stored: rebuilding the indexes then sorts at most about 1.5 times
    what the import may add, against a B-tree insertion per row and index; the same file
    imported again (rows ≈ stored) is not bulk (docs/decisions.md)."""
    if connection.vendor != "postgresql" or lines < BULK_MIN_ROWS:
        return False
    # counted, not estimated (an ANALYZE of a rolled-back load stays in pg_class), and no further
    # than needed: the cost is bounded by the file's size, not the table's
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Dossier._meta.db_table)
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT %s) s", [lines // 2 + 1])
        stored = cursor.fetchone()[0]
    return lines >= 2 * stored


class BulkLoad:
    """The secondary indexes and foreign keys of the dossiers and events, dropped for a bulk load
    and made again after it, in the load's transaction (the caller's `transaction.atomic`).
    Kept: the primary keys and every unique index (the code's finds the codes already stored).
    The tables are locked (ACCESS EXCLUSIVE) until the load commits: nobody reads a dossier
    meanwhile, which is why only a load large against the table is done this way."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.indexes: list[str] = []
        self.keys: list[tuple[str, str, str]] = []
        self.tables = [Dossier._meta.db_table, DossierEvent._meta.db_table]

    def drop(self) -> None:
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            # checks still pending in this transaction run now: a table with pending trigger
            # events cannot be altered
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"LOCK TABLE {', '.join(quote(t) for t in self.tables)} IN ACCESS EXCLUSIVE MODE")
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary "
                "ORDER BY 1",
                [self.tables],
            )
            found = cursor.fetchall()
            cursor.execute(
                "SELECT c.conrelid::regclass::text, format('%%I', c.conname), pg_get_constraintdef(c.oid) "
                "FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
                [self.tables],
            )
            self.keys = cursor.fetchall()
            for table, name, _definition in self.keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            for name, definition in found:
                cursor.execute(f"DROP INDEX {name}")
                self.indexes.append(definition)

    def restore(self) -> None:
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # the indexes' sorts in memory
            for definition in self.indexes:
                cursor.execute(definition)
            for table, name, definition in self.keys:  # one join each validates every row
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
            cursor.execute(f"ANALYZE {', '.join(quote(t) for t in self.tables)}")
        self.indexes, self.keys = [], []
