"""The fast path of the import: a checked row (the reader's tuple, datetimes as local
microseconds) → the dossier's stored fields and the events that explain it, with integers and
ready-made JSON text instead of datetimes, `Event` objects and a fold over 40-field dataclasses.

It computes exactly what `events.events_for` followed by `lifecycle.dossier_replay` computes —
the reference, which costs about 65 µs a row against some 13 µs here. The reference stays the
truth: `Verifier` replays, in every import, the first row of each shape (which events, which
optional values) and one row in `SAMPLE_EVERY` through it and stops the import (the batch is
rolled back) on the smallest difference, so a change to `lifecycle.apply` that this module does
not follow cannot slip imported dossiers past their events. The tests compare every field and
event of tens of thousands of generated rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from cchc.exchange import formats as f

from ..choices import EventKind as E
from ..choices import State
from ..lifecycle import STATE_FIELDS, DossierState, dossier_replay
from .events import RESULT_EVENT, events_for, row_of

US = 1_000_000
US_DAY = 86_400 * US
US_HOUR = 3_600 * US
# Local time is UTC+07:00 for every moment the reader accepts (formats: years 1976–2100).
UTC_SHIFT = 7 * US_HOUR
ONE_US = dt.timedelta(microseconds=1)
EPOCH_DATE = dt.date(1970, 1, 1)
CENT = Decimal("0.01")
ZERO = Decimal(0)
DECIDED = ("chap_thuan", "tu_choi")  # results that have a result document (file, return, rating)
JSON_BOOL = {True: "true", False: "false"}

# Fields the fast path computes per row, in the order of `Built.state`; every other state
# field keeps its `DossierState` default for an imported dossier (the verifier checks that too).
VARYING = (
    "state",
    "submitted_at",
    "received_at",
    "due_at",
    "current_due_at",
    "new_due_at",
    "apologised",
    "duration",
    "duration_unit",
    "fee_due",
    "supplement_count",
    "paused_hours",
    "paused_elapsed_hours",
    "on_time_until",
    "finished_at",
    "result",
    "returned_at",
    "return_method",
    "paid_online",
    "electronic_result",
    "digitised",
    "data_reused",
    "rating",
    "event_count",
    "last_event_at",
)
DATETIMES = frozenset(
    {
        "submitted_at",
        "received_at",
        "due_at",
        "current_due_at",
        "new_due_at",
        "on_time_until",
        "finished_at",
        "returned_at",
        "last_event_at",
    }
)
CONSTANT_STATE = {n: getattr(DossierState(), n) for n in STATE_FIELDS if n not in VARYING}
SAMPLE_EVERY = 500
LONG_PAUSE = 100_000 * f.HOURS_SCALE  # see `Verifier.wants`


class FastPathMismatch(RuntimeError):
    """The fast path and the reference disagree on a row: a bug, never bad input."""


def _div_round(a: int, b: int) -> int:
    """a / b rounded half to even — what `timedelta / int` does (datetime._divide_and_round)."""
    q, r = divmod(a, b)
    r *= 2
    if r > b or (r == b and q % 2 == 1):
        q += 1
    return q


def _between(a: int, b: int, k: int, n: int) -> int:
    """`events._between` in microseconds."""
    return a + _div_round((b - a) * k, n + 1) if b > a else a


class Clock:
    """Text of local-microsecond moments, cached per day: ISO 8601 for event data (what
    `datetime.isoformat()` gives) and Django's naive UTC text for SQLite."""

    def __init__(self) -> None:
        self._days: dict[int, str] = {}
        self._hms = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86_400)]

    def _parts(self, us: int) -> tuple[str, str, int]:
        d, rem = divmod(us, US_DAY)
        s, micro = divmod(rem, US)
        day = self._days.get(d)
        if day is None:
            day = self._days[d] = (EPOCH_DATE + dt.timedelta(days=d)).isoformat()
        return day, self._hms[s], micro

    def iso(self, us: int) -> str:
        day, hms, micro = self._parts(us)
        return f"{day}T{hms}.{micro:06d}+07:00" if micro else f"{day}T{hms}+07:00"

    def utc(self, us: int) -> str:
        day, hms, micro = self._parts(us - UTC_SHIFT)
        return f"{day} {hms}.{micro:06d}" if micro else f"{day} {hms}"


@dataclass(frozen=True, slots=True)
class Proc:
    """What the import needs of a procedure, computed once per import."""

    id: int
    code: str
    duration: Decimal
    unit: str
    received_json: str  # the "received" event's data from "duration" to "fee_due": (JSON text)
    source: object  # the Procedure (for the reference)

    @classmethod
    def of(cls, procedure) -> Proc:
        duration = str(procedure.processing_time or 0)
        unit = procedure.time_unit or "working_day"
        middle = "".join(
            f", {json.dumps(key)}: {json.dumps(value)}"
            for key, value in (("duration", duration), ("duration_unit", unit), ("steps", []), ("fee_due", 0))
        )
        return cls(procedure.pk, procedure.code, Decimal(duration), unit, middle[: -len("0")], procedure)


@dataclass(slots=True)
class Built:
    """One dossier ready to store: identity, the `VARYING` state fields (datetimes as local µs)
    and its events as (kind, at in local µs, data as JSON text), in sequence order."""

    line: int
    code: str
    proc: Proc
    unit_id: int
    channel: str
    state: tuple
    events: list[tuple[str, int, str]]
    digest: str  # `row_digest` of the checked row


def row_digest(v: tuple) -> str:
    """16 hex digits identifying a checked row's content (the reader's tuple: codes, datetimes as
    local µs, numbers, flags), stored with the dossier: a re-import of the same code compares it."""
    return hashlib.blake2b(repr(v).encode(), digest_size=8).hexdigest()


class Builder:
    def __init__(self, procs: dict[str, Proc], units: dict[str, int], clock: Clock | None = None):
        self.procs = procs
        self.units = units
        self.clock = clock or Clock()

    def build(self, line: int, v: tuple) -> Built:
        (code, proc_code, unit, kenh, start, due, new_due, end_at, back, result, n, pause) = v[:12]
        fee, paid, e_res, digitised, reused, sorry, rating = v[12:19]
        p = self.procs[proc_code]
        iso = self.clock.iso
        end = end_at if end_at is not None else (start if start > due else due)
        received = (
            f'{{"due_at": "{iso(due)}"{p.received_json}{JSON_BOOL[fee]}, '
            f'"digitised": {JSON_BOOL[digitised]}, "data_reused": {JSON_BOOL[reused]}}}'
        )
        events = [(E.RECEIVED, start, received)]
        if paid:
            events.append((E.PAYMENT_MADE, start, '{"online": true}'))
        state = State.RECEIVED
        current_due = due
        paused = ZERO
        if n:
            half = _between(start, end, 1, 1)
            each = (f.hours_from_scaled(pause) / n).quantize(CENT)
            tail = f'", "paused_hours": "{each}", "paused_elapsed_hours": "{each}"}}'
            hours = float(each)
            for i in range(n):
                events.append(
                    (E.SUPPLEMENT_REQUESTED, _between(start, half, 2 * i + 1, 2 * n), '{"missing": []}')
                )
                current_due = due + dt.timedelta(hours=hours * (i + 1)) // ONE_US
                events.append(
                    (
                        E.SUPPLEMENT_RECEIVED,
                        _between(start, half, 2 * i + 2, 2 * n),
                        f'{{"due_at": "{iso(current_due)}{tail}',
                    )
                )
                paused += each
            state = State.IN_PROGRESS
        new_due_at = None
        if sorry:
            new_due_at = current_due = new_due if new_due is not None else due
            at = _between(events[-1][1], end, 1, 1)
            events.append((E.APOLOGY_SENT, at, f'{{"new_due_at": "{iso(new_due_at)}", "reason": ""}}'))
        decided = result in DECIDED
        electronic = returned = False
        if result is not None:
            events.append((RESULT_EVENT[result], end_at, "{}"))
            state = State.RESULT_READY if decided else State.STOPPED if result == "dung" else State.WITHDRAWN
            if e_res and decided:
                events.append((E.RESULT_FILE_ATTACHED, end_at, "{}"))
                electronic = True
        method = ""
        if back is not None and decided:
            method = "online" if kenh == "truc_tuyen" else "desk"
            events.append((E.RETURNED, back, f'{{"method": "{method}"}}'))
            state = State.RETURNED
            returned = True
        rated = ""
        if rating is not None and decided:
            events.append((E.RATED, max(e[1] for e in events), f'{{"rating": "{rating}"}}'))
            rated = rating
        state_values = (
            state,
            start,
            start,
            due,
            current_due,
            new_due_at,
            sorry,
            p.duration,
            p.unit,
            fee,
            n,
            paused,
            paused,
            due + int(paused * US_HOUR),
            end_at if result is not None else None,
            result or "",
            back if returned else None,
            method,
            paid,
            electronic,
            digitised,
            reused,
            rated,
            len(events),
            events[-1][1],
        )
        return Built(line, code, p, self.units[unit], kenh, state_values, events, row_digest(v))


def shape(v: tuple) -> tuple:
    """Which events and optional values a row has: rows of one shape take the same branches."""
    return (
        v[3] == "truc_tuyen",
        v[6] is None,
        v[7] is None,
        v[8] is None,
        v[9],
        min(v[10], 2),
        v[11] == 0,
        *v[12:18],
        v[18] is None,
    )


class Verifier:
    """Checks the fast path against the reference on the first row of every shape and on one
    row in `SAMPLE_EVERY`; `checked` counts the rows replayed."""

    def __init__(self, every: int = SAMPLE_EVERY):
        self.every = every
        self.shapes: set[tuple] = set()
        self.seen = 0
        self.checked = 0

    def maybe_check(self, v: tuple, built: Built) -> None:
        if self.wants(v):
            self.check(v, built)

    def wants(self, v: tuple) -> bool:
        """Whether this row is in the sample (counted in `seen`). A pause of 100,000 hours or more
        always is: the reference places the supplements' due dates with float hours
        (`timedelta(hours=float)`), exact to the microsecond only below about 300,000 hours, and
        the server computes them exactly (`staged.py`)."""
        self.seen += 1
        key = shape(v)
        if key in self.shapes and self.seen % self.every and v[11] < LONG_PAUSE:
            return False
        self.shapes.add(key)
        return True

    def check(self, v: tuple, built: Built) -> None:
        self.checked += 1
        row = row_of(built.line, v)
        reference = events_for(row, built.proc.source)
        where = f"dòng {built.line} ({built.code})"
        if [(e.kind, f.datetime_to_local_us(e.at), json.loads(json.dumps(e.data))) for e in reference] != [
            (kind, at, json.loads(data)) for kind, at, data in built.events
        ]:
            raise FastPathMismatch(f"{where}: sự kiện khác với cách tính chuẩn (events_for)")
        expected = dossier_replay(reference)
        mine = dict(zip(VARYING, built.state, strict=True)) | CONSTANT_STATE
        for name in STATE_FIELDS:
            want, got = getattr(expected, name), mine[name]
            if name in DATETIMES and want is not None:
                want = f.datetime_to_local_us(want)
            if want != got or isinstance(want, bool) is not isinstance(got, bool):
                raise FastPathMismatch(f"{where}: trường {name} = {got!r}, cách tính chuẩn cho {want!r}")
