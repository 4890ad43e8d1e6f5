"""PostgreSQL: the batch goes in with two binary `COPY … FROM STDIN` (psycopg 3 `cursor.copy`).

Binary rather than text because the server then parses nothing — timestamps, numbers and
booleans arrive in its own representation — which took a third off its time per dossier
(docs/dossiers.md, "Import at scale"). The rows are encoded here with `struct`: psycopg's
`write_row` would want a Python object per value and adapt each one, five times slower. The
format (https://www.postgresql.org/docs/current/sql-copy.html, "Binary Format"): a header, then
per row the number of fields and each field as a 4-byte length (-1 for NULL) and its bytes.

`prepare` runs in the reading process and encodes everything but the dossier id, which `write`
adds once the ids are drawn from the table's sequence (one query a batch).
"""

from __future__ import annotations

import datetime as dt
import json
import struct
from collections.abc import Sequence
from decimal import Decimal

from ..models import Dossier, DossierEvent
from .fast import US, VARYING, Built
from .store import COLUMNS, EVENT_COLUMNS, FIELDS, Store, constant_values

HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
TRAILER = struct.pack(">h", -1)
NULL = struct.pack(">i", -1)
BOOL = {True: struct.pack(">ib", 1, 1), False: struct.pack(">ib", 1, 0)}
_LEN = struct.Struct(">i").pack
_INT8 = struct.Struct(">iq").pack
_INT4 = struct.Struct(">ii").pack
_INT2 = struct.Struct(">ih").pack
# timestamptz is microseconds since 2000-01-01 00:00 UTC; ours are local (UTC+07:00) µs since 1970
PG_EPOCH = (dt.datetime(2000, 1, 1) - dt.datetime(1970, 1, 1)) // dt.timedelta(microseconds=1)
SHIFT = PG_EPOCH + 7 * 3600 * US


def int8(v: int) -> bytes:
    return _INT8(8, v)


def timestamp(local_us: int | None) -> bytes:
    return NULL if local_us is None else _INT8(8, local_us - SHIFT)


def text(v: str) -> bytes:
    data = v.encode()
    return _LEN(len(data)) + data


def jsonb(v: str) -> bytes:
    data = v.encode()
    return _LEN(len(data) + 1) + b"\x01" + data


def numeric(value: Decimal) -> bytes:
    """PostgreSQL's numeric: base-10000 digit groups, a weight, a sign and the display scale."""
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        raise ValueError(f"không ghi được số {value}")
    scale = max(0, -exponent)
    digits = list(digits) + [0] * max(0, exponent)
    integer = len(digits) - scale
    left, right = (-integer) % 4, (-scale) % 4
    digits = [0] * left + digits + [0] * right
    groups = [
        digits[i] * 1000 + digits[i + 1] * 100 + digits[i + 2] * 10 + digits[i + 3]
        for i in range(0, len(digits), 4)
    ]
    weight = (integer + left) // 4 - 1
    while groups and groups[0] == 0:
        groups.pop(0)
        weight -= 1
    while groups and groups[-1] == 0:
        groups.pop()
    body = struct.pack(
        f">hhHh{len(groups)}H", len(groups), weight if groups else 0, 0x4000 if sign else 0, scale, *groups
    )
    return _LEN(len(body)) + body


class _Cache(dict):
    """Encoded values of a small vocabulary (states, event kinds, units' ids, …), made once."""

    def __init__(self, encode):
        super().__init__()
        self.encode = encode

    def __missing__(self, key):
        value = self.encode(key)
        if len(self) < 100_000:
            self[key] = value
        return value


WORD = _Cache(text)
NUMERIC = _Cache(numeric)
INT8 = _Cache(int8)
INT4 = _Cache(lambda v: _INT4(4, v))


def _constant(field, value) -> bytes:
    """Any value of a field an import does not vary (encoded once per batch)."""
    if value is None:
        return NULL
    kind = field.get_internal_type()
    if kind == "BooleanField":
        return BOOL[bool(value)]
    if kind == "DateTimeField":
        return int8((value - dt.datetime(2000, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1))
    if kind == "DecimalField":
        return numeric(Decimal(value))
    if kind == "JSONField":
        return jsonb(json.dumps(value))
    if kind in ("BigAutoField", "BigIntegerField", "PositiveBigIntegerField", "ForeignKey"):
        return int8(value)
    if kind in ("IntegerField", "PositiveIntegerField"):
        return _INT4(4, value)
    if kind in ("SmallIntegerField", "PositiveSmallIntegerField"):
        return _INT2(2, value)
    return text(str(value))


class PostgresStore(Store):
    # `prepare` encodes the state fields in this order (unpacked by position, for speed)
    assert VARYING == (
        *("state", "submitted_at", "received_at", "due_at", "current_due_at", "new_due_at", "apologised"),
        *("duration", "duration_unit", "fee_due", "supplement_count", "paused_hours", "paused_elapsed_hours"),
        *("on_time_until", "finished_at", "result", "returned_at", "return_method", "paid_online"),
        *("electronic_result", "digitised", "data_reused", "rating", "event_count", "last_event_at"),
    )
    assert COLUMNS[:7] == [
        *("id", "code", "procedure_id", "handling_unit_id", "receiving_unit_id", "channel", "import_digest")
    ]
    assert EVENT_COLUMNS == ("dossier_id", "sequence", "kind", "at", "data", "recorded_at", "actor_id")
    DOSSIER_FIELDS = struct.pack(">h", len(COLUMNS))
    EVENT_FIELDS = struct.pack(">h", len(EVENT_COLUMNS))

    def prepare(self, b: Built) -> tuple:
        history = [
            b"".join((INT4[seq], WORD[kind], timestamp(at), jsonb(data)))
            for seq, (kind, at, data) in enumerate(b.events, start=1)
        ]
        return self.prepare_row(b), history

    def prepare_row(self, b: Built) -> bytes:
        """The dossier's fields from its code to `last_event_at` (COLUMNS without the id and
        the constant ones), encoded."""
        (state, submitted, received, due, current_due, new_due, apologised, duration, unit, fee_due) = (
            b.state[:10]
        )
        (supplements, paused, elapsed, on_time, finished, result, returned, method) = b.state[10:18]
        (paid, electronic, digitised, reused, rating, count, last) = b.state[18:]
        unit_id = INT8[b.unit_id]
        return b"".join(
            (
                text(b.code),
                INT8[b.proc.id],
                unit_id,
                unit_id,
                WORD[b.channel],
                text(b.digest),
                WORD[state],
                timestamp(submitted),
                timestamp(received),
                timestamp(due),
                timestamp(current_due),
                timestamp(new_due),
                BOOL[apologised],
                NUMERIC[duration],
                WORD[unit],
                BOOL[fee_due],
                _INT2(2, supplements),
                NUMERIC[paused],
                NUMERIC[elapsed],
                timestamp(on_time),
                timestamp(finished),
                WORD[result],
                timestamp(returned),
                WORD[method],
                BOOL[paid],
                BOOL[electronic],
                BOOL[digitised],
                BOOL[reused],
                WORD[rating],
                _INT4(4, count),
                timestamp(last),
            )
        )

    def existing(self, codes: list[str]) -> dict[str, str]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT code, import_digest FROM {self.table(Dossier)} WHERE code = ANY(%s)", [codes]
            )
            return dict(cursor.fetchall())

    def new_ids(self, n: int) -> list[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Dossier._meta.db_table, n],
            )
            return [row[0] for row in cursor.fetchall()]

    def write(self, ids: Sequence[int], prepared: Sequence[tuple], now: dt.datetime) -> int:
        tail = b"".join(_constant(FIELDS[name], v) for name, v in constant_values(now).items())
        after = _constant(DossierEvent._meta.get_field("recorded_at"), now) + NULL
        dossiers, events = [HEADER], [HEADER]
        start, start_event = self.DOSSIER_FIELDS, self.EVENT_FIELDS
        for pk, (row, history) in zip(ids, prepared, strict=True):
            key = int8(pk)
            dossiers.append(b"".join((start, key, row, tail)))
            events.extend([b"".join((start_event, key, e, after)) for e in history])
        dossiers.append(TRAILER)
        events.append(TRAILER)
        with self.connection.cursor() as cursor:
            with cursor.copy(f"COPY {self.columns(Dossier, COLUMNS)} FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(b"".join(dossiers))
            with cursor.copy(
                f"COPY {self.columns(DossierEvent, EVENT_COLUMNS)} FROM STDIN (FORMAT BINARY)"
            ) as copy:
                copy.write(b"".join(events))
        return len(events) - 2
