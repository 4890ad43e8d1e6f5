"""Many dossier operations through the same services, written at once: the unit of work behind
the API's batches of dossier events (`cchc.api.events_batch`).

Inside ``with batch.running(b):`` the dossier services run exactly as for a desk officer — the
same checks, the same refusals, the same state machine (`lifecycle.apply` in `_common.record`),
the same events, audit rows and notifications — but what they would write one row at a time is
kept here instead, and `Batch.write` stores it in a few bulk statements:

- `_common.lock` returns the batch's copy of the dossier (loaded, under a row lock, with every
  other dossier the batch names — `Batch.load`), so an event sees what the previous ones did;
- `_common.record` keeps the dossier, its event, its audit row and its notification here, and
  the dossier's state before the batch's first event on it: the live indicators are moved once
  per batch by the difference (`observers.publish_changes`), which is the sum of what each
  event would have moved;
- the hand-over rows, the dossier codes (`codes.dossier_code`), the due-date policies and
  "does this unit carry out this procedure" are taken or cached here.

An operation refused midway leaves nothing: `begin` marks where each operation starts and
`undo` puts back everything it changed (the dossier's fields, the rows kept, the numbers taken),
as the savepoint of the one-by-one path would.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import DateTimeField, DecimalField, Model, Prefetch, Q

from cchc.core.models import AuditEntry
from cchc.core.working_calendar import policy_for_unit
from cchc.core.workingtime import DuePolicy, to_local
from cchc.orgs.models import Unit
from cchc.procedures.models import Procedure
from cchc.procedures.selectors import procedures_for_unit

from .lifecycle import DossierState
from .models import Dossier, DossierEvent, DossierSequence, Handover
from .notify import Message, notify_on_commit
from .observers import Change, publish_changes

_current: ContextVar[Batch | None] = ContextVar("cchc_dossier_batch", default=None)
STORED = [f.attname for f in Dossier._meta.concrete_fields]
DECIMALS = [
    (f.attname, Decimal(1).scaleb(-f.decimal_places))
    for f in Dossier._meta.concrete_fields
    if isinstance(f, DecimalField)
]
DATETIMES = [f.attname for f in Dossier._meta.concrete_fields if isinstance(f, DateTimeField)]


def current() -> Batch | None:
    """The batch the services are running in, if any."""
    return _current.get()


@contextlib.contextmanager
def running(batch: Batch) -> Iterator[Batch]:
    """Run services in ``batch`` (inside the caller's transaction). Their own `atomic` blocks
    make no savepoints meanwhile: nothing is written before `Batch.write`, so a savepoint would
    guard nothing and only cost two round trips per operation; a refused one is undone in
    memory (`Batch.undo`), which also clears the rollback mark its `atomic` left."""
    if not connection.in_atomic_block:
        raise RuntimeError("a batch runs inside the caller's transaction")
    token = _current.set(batch)
    connection._savepoint_allowed = _no_savepoint  # type: ignore[attr-defined]  # this connection only
    try:
        yield batch
    finally:
        del connection._savepoint_allowed  # type: ignore[attr-defined]  # the backend's own method again
        _current.reset(token)


def _no_savepoint() -> bool:
    return False


def _handover_list(d: Dossier) -> list[Handover]:
    """The dossier's hand-overs as `steps.holder` reads them (``d.handovers.all()``), kept in
    Django's prefetch cache so that reading them costs no query; the list is the cache itself."""
    cache = getattr(d, "_prefetched_objects_cache", None)
    if cache is None:
        cache = d._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    qs = cache.get("handovers")
    if qs is None:
        qs = Handover.objects.none()
        qs._result_cache = []
        qs._prefetch_done = True  # type: ignore[attr-defined]
        cache["handovers"] = qs
    return qs._result_cache  # type: ignore[return-value]


class Batch:
    def __init__(self) -> None:
        self.by_id: dict[int, Dossier] = {}
        self.by_code: dict[str, Dossier] = {}
        self.units: dict[int, Unit] = {}
        self.new: list[Dossier] = []
        self.dirty: dict[int, Dossier] = {}
        self.events: list[DossierEvent] = []
        self.audits: list[AuditEntry] = []
        self.handovers: list[Handover] = []
        self.messages: list[Message] = []
        self.rows: dict[str, list[Model]] = defaultdict(list)  # the caller's own rows (`keep`)
        self.first: dict[int, tuple[DossierState | None, int, str]] = {}
        self._ids: dict[type[Model], deque[int]] = defaultdict(deque)
        self._high: dict[type[Model], int] = {}
        self._policies: dict[int, DuePolicy] = {}
        self._carries: dict[tuple[int, int], bool] = {}
        self._steps: dict[int, list[dict]] = {}
        self._sequences: dict[tuple[str, dt.date], list[Any]] = {}  # key → [last, stored?, taken codes]
        self._mark: tuple | None = None
        self._saved: dict[int, tuple[dict[str, Any], list[Handover], tuple | None, bool]] = {}

    # --- loading ----------------------------------------------------------------------------

    def load(self, ids: Iterable[int]) -> None:
        """The dossiers with these ids, under a row lock, with what the services read of them."""
        ids = [i for i in set(ids) if i not in self.by_id]
        if not ids:
            return
        found = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure", "handling_unit", "receiving_unit", "current_unit")
            .prefetch_related(
                Prefetch("handovers", queryset=Handover.objects.select_related("to_unit", "to_user"))
            )
            .filter(pk__in=ids)
            .order_by("pk")
        )
        for d in found:
            self.by_id[d.pk] = d
            self.by_code[d.code] = d
            for unit in (d.handling_unit, d.receiving_unit, d.current_unit):
                if unit is not None:
                    self.units.setdefault(unit.pk, unit)

    def add_units(self, units: Iterable[Unit]) -> None:
        for unit in units:
            self.units.setdefault(unit.pk, unit)

    def reserve(self, model: type[Model], n: int) -> None:
        """Take ``n`` ids of ``model`` for the rows the batch will create (a row's id goes into
        event data before anything is written: a hand-over's, a dossier's). Ids of an operation
        undone are not given back: a gap, as a rolled-back insert leaves one."""
        if n <= 0:
            return
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
                )
                self._ids[model].extend(row[0] for row in cursor.fetchall())
                return
            # SQLite: the write lock is held since the transaction began (IMMEDIATE), nobody
            # else takes ids meanwhile; above the highest id and the AUTOINCREMENT counter.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
            top = cursor.fetchone()[0]
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
            if cursor.fetchone():
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                top = max(top, row[0] if row else 0)
        top = max(top, self._high.get(model, 0))
        self._ids[model].extend(range(top + 1, top + 1 + n))
        self._high[model] = top + n

    def _new_id(self, model: type[Model]) -> int:
        if not self._ids[model]:
            self.reserve(model, 16)
        return self._ids[model].popleft()

    def sequences(self, keys: Iterable[tuple[str, dt.date]]) -> None:
        """The dossier numbers of these (unit code, local day), under a row lock, and the codes
        already taken there (by imported dossiers): `issue_code` then costs no query."""
        keys = [k for k in set(keys) if k not in self._sequences]
        if not keys:
            return
        where = Q(pk__in=[])
        taken = Q(pk__in=[])
        for scope, day in keys:
            where |= Q(scope=scope, day=day)
            taken |= Q(code__startswith=f"{scope}-{day:%y%m%d}-")
        rows = {
            (s, d): last
            for s, d, last in DossierSequence.objects.select_for_update()
            .filter(where)
            .values_list("scope", "day", "last")
        }
        codes = set(Dossier.objects.filter(taken).values_list("code", flat=True))
        for key in keys:
            self._sequences[key] = [rows.get(key, 0), key in rows, codes]
            if self._mark is not None:  # loaded within an operation: undone to what was stored
                self._mark[6][key] = rows.get(key, 0)

    # --- what the services call ----------------------------------------------------------------

    def lock(self, dossier: Dossier) -> Dossier:
        d = self.by_id.get(dossier.pk)
        if d is None:  # not named by the batch (a caller's own lookup): load it now
            self.load([dossier.pk])
            d = self.by_id[dossier.pk]
        self._touch(d)
        # As the one-by-one path reads it back from the database: datetimes in UTC, decimals
        # with the column's places (the same values; the audit row's "before" shows them as read).
        values = d.__dict__
        for name in DATETIMES:
            value = values[name]
            if value is not None and value.utcoffset():
                values[name] = value.astimezone(dt.UTC)
        for name, places in DECIMALS:
            value = values[name]
            if value is not None:
                values[name] = value.quantize(places)
        return d

    def policy(self, unit: Unit) -> DuePolicy:
        policy = self._policies.get(unit.pk)
        if policy is None:
            policy = self._policies[unit.pk] = policy_for_unit(unit)
        return policy

    def carries(self, unit: Unit, procedure: Procedure) -> bool:
        key = (unit.pk, procedure.pk)
        found = self._carries.get(key)
        if found is None:
            found = self._carries[key] = procedures_for_unit(unit).filter(pk=procedure.pk).exists()
        return found

    def steps(self, procedure: Procedure) -> list[dict]:
        """`receipt.process_of`, once per procedure (each dossier gets its own copy)."""
        from .services.receipt import process_of

        found = self._steps.get(procedure.pk)
        if found is None:
            found = self._steps[procedure.pk] = process_of(procedure)
        return [dict(s) for s in found]

    def issue_code(self, unit: Unit, at: dt.datetime) -> str:
        """`codes.dossier_code`: the next number of the unit and day, skipping numbers taken."""
        day = to_local(at).date()
        key = (unit.code, day)
        if key not in self._sequences:
            self.sequences([key])
        entry = self._sequences[key]
        while True:
            entry[0] += 1
            code = f"{unit.code}-{day:%y%m%d}-{entry[0]:04d}"
            if code not in entry[2]:
                return code

    def stored(self, d: Dossier, before: DossierState | None, after: DossierState) -> None:
        """`_common.record` applied an event to ``d``: keep the dossier (new or changed)."""
        if d.pk is None:
            d.pk = self._new_id(Dossier)
            self.new.append(d)
            self.by_id[d.pk] = d
            self.by_code[d.code] = d
            _handover_list(d)  # none yet: `steps.holder` must not look in the database
        elif d.pk not in self.dirty and not d._state.adding:
            self._touch(d)
            self.dirty[d.pk] = d
        if d.pk not in self.first:
            self.first[d.pk] = (before, d.handling_unit_id, d.channel)
        unit_id = d.current_unit_id
        if unit_id is not None and unit_id in self.units:
            d.current_unit = self.units[unit_id]

    def handover(self, d: Dossier, handover: Handover) -> Handover:
        handover.pk = self._new_id(Handover)
        self.handovers.append(handover)
        _handover_list(d).append(handover)
        return handover

    def keep(self, kind: str, row: Model) -> None:
        """A row of the caller's own (e.g. the API's received event ids), written by the caller
        after `write`; dropped with its operation by `undo`."""
        self.rows[kind].append(row)

    # --- one operation at a time ---------------------------------------------------------------

    def begin(self) -> None:
        self._saved = {}
        self._mark = (
            len(self.new),
            len(self.events),
            len(self.audits),
            len(self.handovers),
            len(self.messages),
            {k: len(v) for k, v in self.rows.items()},
            {k: v[0] for k, v in self._sequences.items()},
        )

    def _touch(self, d: Dossier) -> None:
        if self._mark is not None and d.pk not in self._saved:
            self._saved[d.pk] = (
                {name: getattr(d, name) for name in STORED},
                list(_handover_list(d)),
                self.first.get(d.pk),
                d.pk in self.dirty,
            )

    def undo(self) -> None:
        """Put back everything the operation begun last changed."""
        assert self._mark is not None
        new, events, audits, handovers, messages, rows, sequences = self._mark
        for d in self.new[new:]:
            del self.by_id[d.pk]
            self.by_code.pop(d.code, None)
            self.first.pop(d.pk, None)
            d.pk = None
        del self.new[new:], self.events[events:], self.audits[audits:]
        del self.handovers[handovers:], self.messages[messages:]
        for kind, rows_kept in self.rows.items():
            del rows_kept[rows.get(kind, 0) :]
        for key, last in sequences.items():
            self._sequences[key][0] = last
        for pk, (values, handover_list, first, was_dirty) in self._saved.items():
            d = self.by_id[pk]
            for name, value in values.items():
                setattr(d, name, value)
            _handover_list(d)[:] = handover_list
            if d.current_unit_id in self.units:
                d.current_unit = self.units[d.current_unit_id]
            if first is None:
                self.first.pop(pk, None)
            else:
                self.first[pk] = first
            if not was_dirty:
                self.dirty.pop(pk, None)
        self._saved = {}
        self._mark = None
        # The service's `atomic` found no savepoint to roll back to and marked the transaction;
        # nothing was written (see `running`), so there is nothing to roll back.
        connection.needs_rollback = False

    def commit(self) -> None:
        """The operation begun last is kept."""
        self._saved = {}
        self._mark = None

    # --- writing ------------------------------------------------------------------------------

    def write(self) -> None:
        """Store everything kept, in the caller's transaction, and move the live indicators."""
        insert(Dossier, self.new)
        update(Dossier, list(self.dirty.values()), _state_columns())
        insert(Handover, self.handovers)
        insert(DossierEvent, self.events)
        insert(AuditEntry, self.audits)
        self._write_sequences()
        publish_changes(
            [
                Change(before, _state(self.by_id[pk]), unit_id, channel)
                for pk, (before, unit_id, channel) in self.first.items()
            ]
        )
        for message in self.messages:
            notify_on_commit(message)

    def _write_sequences(self) -> None:
        for (scope, day), (last, stored, _) in self._sequences.items():
            if stored:
                DossierSequence.objects.filter(scope=scope, day=day, last__lt=last).update(last=last)
            elif last:
                DossierSequence.objects.create(scope=scope, day=day, last=last)


def _state_columns() -> list[str]:
    from .lifecycle import STATE_FIELDS

    return [n.removesuffix("_id") for n in STATE_FIELDS]


def _state(d: Dossier) -> DossierState:
    from .services._common import state_of

    state = state_of(d)
    assert state is not None
    return state


# --- bulk statements ---------------------------------------------------------------------------------
# What `bulk_create` and `bulk_update` store, as one parametrised statement run for every row
# (`executemany`: pipelined by psycopg, native in SQLite): Django's compiler spends most of a
# batch's time writing out a thousand-row VALUES list value by value.


def insert(model: type[Model], objs: list) -> None:
    """Insert unsaved ``objs`` of ``model`` (ids set beforehand, or all left to the database),
    each field prepared by the field itself (`pre_save`: `auto_now_add`; `get_db_prep_save`)."""
    if not objs:
        return
    with_pk = objs[0].pk is not None
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def update(model: type[Model], objs: list, names: list[str]) -> None:
    """Store the fields ``names`` of saved ``objs``."""
    if not objs:
        return
    by_name = {f.name: f for f in model._meta.concrete_fields}
    fields = [by_name[name] for name in names]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {quote(model._meta.pk.column)} = %s"
    rows = [
        [*(f.get_db_prep_save(f.pre_save(obj, False), connection) for f in fields), obj.pk] for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
