"""Writing built dossiers (`fast.Built`) and their events, in the caller's transaction.

Both stores write exactly the columns Django would: every concrete field, those an import does
not set with their model default (`constant_values`). ``prepare`` turns a built dossier into
what ``write`` sends; it touches no database, so it runs in the reading process ahead of the
writes. ``write`` stores a batch.

- PostgreSQL (`postgres.py`): binary COPY.
- SQLite: one `executemany` per table with explicit ids, taken above both the highest id and
  the AUTOINCREMENT counter (the write lock is held from the transaction's start, Django's
  IMMEDIATE mode, so nobody can take them meanwhile; ids of deleted dossiers are never reused).

`instance` makes the stored dossier as a `Dossier` object for the live indicators
(`cchc.indicators.live.dossiers_added`): with `__new__` and a filled `__dict__`, the state a
saved instance has, because `Model.__init__` costs 30 µs a dossier.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence

from django.core.exceptions import ImproperlyConfigured
from django.db.models.base import ModelState

from cchc.exchange import formats as f

from ..lifecycle import STATE_FIELDS
from ..models import Dossier, DossierEvent
from .events import IMPORTED_APPLICANT
from .fast import CONSTANT_STATE, DATETIMES, VARYING, Built, Clock

IDENTITY = ("id", "code", "procedure_id", "handling_unit_id", "receiving_unit_id", "channel", "import_digest")
FIELDS = {field.attname: field for field in Dossier._meta.concrete_fields}
CONSTANT = [name for name in FIELDS if name not in IDENTITY and name not in VARYING]
COLUMNS = [*IDENTITY, *VARYING, *CONSTANT]
EVENT_COLUMNS = ("dossier_id", "sequence", "kind", "at", "data", "recorded_at", "actor_id")
EPOCH_LOCAL = dt.datetime(1970, 1, 1, tzinfo=f.TZ_LOCAL)
DATETIME_POSITIONS = [i for i, name in enumerate(VARYING) if name in DATETIMES]
assert set(COLUMNS) == set(FIELDS) and set(VARYING) | set(CONSTANT_STATE) == set(STATE_FIELDS)
assert {f.attname for f in DossierEvent._meta.concrete_fields} == {"id", *EVENT_COLUMNS}


def constant_values(now: dt.datetime | None) -> dict[str, object]:
    """The fields an import sets the same for every dossier of a batch (in `CONSTANT` order)."""
    out: dict[str, object] = {}
    for name in CONSTANT:
        if name in CONSTANT_STATE:
            out[name] = CONSTANT_STATE[name]
        elif name == "applicant_name":
            out[name] = IMPORTED_APPLICANT
        elif name == "created_at":
            out[name] = now
        else:
            out[name] = FIELDS[name].get_default()
    return out


_TEMPLATE = constant_values(None)


def facts(b: Built) -> tuple:
    """What `instance` needs of a built dossier (small and quick to pickle)."""
    return (b.code, b.proc.id, b.unit_id, b.channel, b.digest, b.state)


def instance(pk: int, created_at: dt.datetime, alias: str, facts: tuple) -> Dossier:
    """The stored dossier as a `Dossier` object, every field set."""
    code, procedure_id, unit_id, channel, digest, state = facts
    values = _TEMPLATE.copy()
    state = list(state)
    for i in DATETIME_POSITIONS:
        if state[i] is not None:
            state[i] = EPOCH_LOCAL + dt.timedelta(0, 0, state[i])
    values.update(zip(VARYING, state, strict=True))
    values["id"], values["code"], values["procedure_id"], values["channel"] = pk, code, procedure_id, channel
    values["import_digest"] = digest
    values["handling_unit_id"] = values["receiving_unit_id"] = unit_id
    values["created_at"] = created_at
    d = Dossier.__new__(Dossier)
    d.__dict__ = values
    d._state = ModelState()
    d._state.adding, d._state.db = False, alias
    return d


class Store(ABC):
    """How one database writes a batch; `SqliteStore` here, `postgres.PostgresStore` (COPY)."""

    def __init__(self, connection):
        self.connection = connection
        self.clock = Clock()

    def table(self, model) -> str:
        return self.connection.ops.quote_name(model._meta.db_table)

    def columns(self, model, names: Iterable[str]) -> str:
        quote = self.connection.ops.quote_name
        return f"{self.table(model)} ({', '.join(quote(n) for n in names)})"

    @abstractmethod
    def prepare(self, b: Built) -> tuple:
        """The dossier row (without its id) and its event rows (without the dossier id)."""

    @abstractmethod
    def existing(self, codes: list[str]) -> dict[str, str]:
        """The codes of ``codes`` already in the database → their stored `import_digest`."""

    @abstractmethod
    def new_ids(self, n: int) -> list[int]:
        """``n`` fresh dossier ids, reserved for this batch."""

    @abstractmethod
    def write(self, ids: Sequence[int], prepared: Sequence[tuple], now: dt.datetime) -> int:
        """Store the batch (`prepare` results); returns the number of events written."""


class SqliteStore(Store):
    IN_CHUNK = 5000  # well under SQLite's limit of variables in one statement

    def __init__(self, connection):
        super().__init__(connection)
        # Django stores aware datetimes as naive text in the connection's time zone (UTC by default).
        if connection.timezone.utcoffset(dt.datetime(2000, 1, 1)) == dt.timedelta(0):
            self.stamp = self.clock.utc
        else:  # pragma: no cover - a DATABASES TIME_ZONE other than UTC
            adapt = connection.ops.adapt_datetimefield_value
            self.stamp = lambda us: adapt(EPOCH_LOCAL + dt.timedelta(microseconds=us))

    def prepare(self, b: Built) -> tuple:
        stamp = self.stamp
        state = list(b.state)
        for i in DATETIME_POSITIONS:
            if state[i] is not None:
                state[i] = stamp(state[i])
        return (
            (b.code, b.proc.id, b.unit_id, b.unit_id, b.channel, b.digest, *state),
            [(seq, kind, stamp(at), data) for seq, (kind, at, data) in enumerate(b.events, start=1)],
        )

    def existing(self, codes: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        with self.connection.cursor() as cursor:
            for i in range(0, len(codes), self.IN_CHUNK):
                part = codes[i : i + self.IN_CHUNK]
                cursor.execute(
                    f"SELECT code, import_digest FROM {self.table(Dossier)} WHERE code IN ({_marks(part)})",
                    part,
                )
                found.update(cursor.fetchall())
        return found

    def new_ids(self, n: int) -> list[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.table(Dossier)}")
            top = cursor.fetchone()[0]
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
            if cursor.fetchone():
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [Dossier._meta.db_table])
                row = cursor.fetchone()
                top = max(top, row[0] if row else 0)
        return list(range(top + 1, top + 1 + n))

    def write(self, ids: Sequence[int], prepared: Sequence[tuple], now: dt.datetime) -> int:
        tail = tuple(
            FIELDS[name].get_db_prep_save(value, self.connection)
            for name, value in constant_values(now).items()
        )
        recorded = self.connection.ops.adapt_datetimefield_value(now)
        dossiers, events = [], []
        for pk, (row, history) in zip(ids, prepared, strict=True):
            dossiers.append((pk, *row, *tail))
            events.extend([(pk, *e, recorded, None) for e in history])
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.columns(Dossier, COLUMNS)} VALUES ({_marks(COLUMNS)})", dossiers
            )
            cursor.executemany(
                f"INSERT INTO {self.columns(DossierEvent, EVENT_COLUMNS)} VALUES ({_marks(EVENT_COLUMNS)})",
                events,
            )
        return len(events)


def _marks(items) -> str:
    return ", ".join(["%s"] * len(items))


def store_for(connection, *, staged: bool = True) -> Store:
    """The database's store; on PostgreSQL the staged one (`staged.py`) unless ``staged=False``."""
    if connection.vendor == "postgresql":
        from .postgres import PostgresStore
        from .staged import StagedStore

        return StagedStore(connection) if staged else PostgresStore(connection)
    if connection.vendor == "sqlite":
        return SqliteStore(connection)
    # The project runs on these two (ARCHITECTURE.md); anything else is a set-up error.
    raise ImproperlyConfigured(
        f"Nhập hồ sơ chỉ hỗ trợ SQLite và PostgreSQL, không hỗ trợ cơ sở dữ liệu {connection.vendor}."
    )
