"""The import loop: checked rows → batches → one transaction each (see the package docstring).

Reading, checking, building and encoding (pure Python, no database) run in a forked child
process, a batch ahead of the parent, which does only the database work; batches come back
pickled through a pipe, whose capacity keeps the child one batch ahead. The child's ~40 µs a
row then overlap the server's ~100 µs (docs/dossiers.md, "Import at scale"). A thread overlapped
almost nothing: it wanted the interpreter lock whenever the writing thread did, and psycopg hands
COPY data over in 128 KiB pieces, each a wait for that lock. The child holds no connection of
its own and never touches the database (nor the parent's connection: it ends with `os._exit`).

The cycle collector is off during an import, in both processes: the import makes millions of
small tuples, bytes and dicts and no reference cycles, and the collector, run every 700 new
containers, scanned them over and over — unpickling a batch took 7 times longer with it.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
import multiprocessing
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, connections, transaction
from django.utils import timezone

from cchc.core.actors import Actor
from cchc.core.audit import audit_record
from cchc.exchange.dossiers import BadRow
from cchc.exchange.errors import ExchangeError, refuse_other_encodings
from cchc.exchange.formats import datetime_to_local_us
from cchc.orgs.models import Unit
from cchc.procedures.models import Procedure

from ..models import Dossier
from ..observers import publish_added, publish_stored
from .fast import Builder, FastPathMismatch, Proc, Verifier
from .source import checked_rows
from .staged import BulkLoad, StagedStore, bulk_wanted, verify_stored
from .store import Store, facts, instance, store_for

BATCH_SIZE = 20_000


@dataclass
class ImportReport:
    created: int = 0
    unchanged: int = 0
    bad: list[BadRow] = field(default_factory=list)
    events: int = 0  # events written with the created dossiers
    verified: int = 0  # rows also replayed through the reference (fast.Verifier)

    @property
    def lines(self) -> int:
        return self.created + self.unchanged + len(self.bad)


def dossiers_import(
    *,
    actor: Actor,
    path: str | Path,
    batch_size: int = BATCH_SIZE,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
    as_of_time: dt.datetime | None = None,
    background: bool = True,
    bulk: bool | None = None,
    staged: bool | None = None,
) -> ImportReport:
    """Import the dossiers.csv at ``path``. Raises `ExchangeError` when the file cannot be read
    at all; bad rows are in the report (with ``strict``, the import stops at the first).
    ``bulk``: load in one transaction without the secondary indexes and keys (PostgreSQL;
    default: when the file is large against the table, `staged.bulk_wanted`). ``staged=False``:
    the former PostgreSQL path, events made in Python (kept to measure against)."""
    refuse_other_encodings(path)
    if bulk is None and connection.vendor == "postgresql" and staged is not False:
        bulk = bulk_wanted(connection, _count_lines(path))
    try:
        fh = open(path, encoding="utf-8-sig", newline="", errors="surrogateescape")  # noqa: SIM115
    except OSError as exc:
        raise ExchangeError(0, f"không mở được tệp: {exc.strerror or exc}", path=str(path)) from None
    with fh:
        return dossiers_import_lines(
            actor=actor,
            lines=fh,
            source=Path(path).name,
            batch_size=batch_size,
            strict=strict,
            progress=progress,
            as_of_time=as_of_time,
            background=background,
            bulk=bool(bulk),
            staged=staged,
        )


def _count_lines(path: str | Path) -> int:
    """Lines of the file (rows plus the header, about): what decides a bulk load."""
    count = 0
    with open(path, "rb") as fh:
        while block := fh.read(1 << 22):
            count += block.count(b"\n")
    return count


def dossiers_import_lines(
    *,
    actor: Actor,
    lines: Iterable[str],
    source: str,
    batch_size: int = BATCH_SIZE,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
    as_of_time: dt.datetime | None = None,
    background: bool = True,
    bulk: bool = False,
    staged: bool | None = None,
) -> ImportReport:
    """Import dossiers.csv given as lines (header first); ``source`` names it in the audit log.
    ``background=False`` reads in this process (same result, no overlap); ``bulk`` and
    ``staged`` as in `dossiers_import` (``bulk`` is never decided here: lines have no size)."""
    units = dict(Unit.objects.values_list("code", "pk"))
    procs: dict[str, Proc] = {}
    for p in Procedure.objects.order_by("pk"):  # a code listed twice: the first one, as before
        procs.setdefault(p.code, Proc.of(p))
    store = store_for(connection, staged=staged is not False)
    bulk = bulk and isinstance(store, StagedStore)
    cutoff = datetime_to_local_us(as_of_time) if as_of_time is not None else None

    def produce() -> Iterator[_Batch]:
        return _batches(
            lines, source, units, procs, store, batch_size=batch_size, strict=strict, cutoff=cutoff
        )

    report = ImportReport()
    if isinstance(store, StagedStore):
        store.begin(procs)
    reader = _Child(produce) if background and _can_fork() else _Inline(produce)
    collecting = gc.isenabled()
    gc.disable()  # see the module docstring
    try:
        # a bulk load is one transaction: DDL is transactional, a failure leaves the tables as they were
        with transaction.atomic() if bulk else nullcontext():
            loading = BulkLoad(connection) if bulk else None
            added: list[int] | None = None  # bulk: the live totals count the new dossiers once, at the end
            if loading:
                loading.drop()
                added = []
            for batch in reader:
                if not batch.rows:
                    conflicts = []
                elif isinstance(store, StagedStore):
                    conflicts = _write_staged(
                        actor, source, store, batch, procs, report, strict=strict, added=added
                    )
                else:
                    conflicts = _write(actor, source, store, batch.rows, report, strict=strict)
                report.bad += (
                    sorted(batch.bad + conflicts, key=lambda bad: bad.line) if conflicts else batch.bad
                )
                if not isinstance(store, StagedStore):
                    report.verified = batch.verified
                if strict and (batch.bad or conflicts):
                    break
                if progress:
                    progress(report.lines)
            if loading:
                loading.restore()
                if added:
                    publish_stored(added)
    finally:
        reader.close()
        if collecting:
            gc.enable()
        if isinstance(store, StagedStore):
            store.end()
    return report


@dataclass
class _Batch:
    rows: list[tuple]  # (code, digest, line, store.prepare(...), store.facts(...) or None) per dossier
    bad: list[BadRow]
    verified: int
    # staged: the rows the verifier picked, (line, values), checked once stored (`verify_stored`)
    sample: list[tuple[int, tuple]] = field(default_factory=list)


def _batches(lines, source, units, procs, store: Store, *, batch_size, strict, cutoff) -> Iterator[_Batch]:
    """Checked, built and encoded batches; the bad rows come with the batch they interrupt.
    With ``strict``, the first bad row ends the reading and its batch comes without rows."""
    builder = Builder(procs, units, store.clock)
    verifier = Verifier()
    staged = isinstance(store, StagedStore)
    rows: list[tuple] = []
    bad: list[BadRow] = []
    sample: list[tuple[int, tuple]] = []
    for item in checked_rows(lines, units, procs, name=source, cutoff=cutoff):
        if isinstance(item, BadRow):
            bad.append(item)
            if strict:
                yield _Batch([], bad, verifier.checked)
                return
            continue
        line, values = item
        built = builder.build(line, values)
        if staged:  # the events are the server's: the sample is checked once stored
            if verifier.wants(values):
                sample.append((line, values))
            rows.append((built.code, built.digest, line, store.prepare(built), None))
        else:
            verifier.maybe_check(values, built)
            rows.append((built.code, built.digest, line, store.prepare(built), facts(built)))
        if len(rows) >= batch_size:
            yield _Batch(rows, bad, verifier.checked, sample)
            rows, bad, sample = [], [], []
    if rows or bad:
        yield _Batch(rows, bad, verifier.checked, sample)


def _write(
    actor: Actor, source: str, store: Store, rows: list[tuple], report: ImportReport, *, strict: bool
) -> list[BadRow]:
    """One batch in one transaction: the dossiers not in the database yet, their events, the live
    indicator totals and one audit row. A code already stored from the same row (same digest) is
    left as it is; from another content, or from a dossier not imported, it is a conflict: kept
    as stored, reported by line (with ``strict``, the first one stops the import before the batch
    is written). Returns the conflicts."""
    with transaction.atomic():
        existing = store.existing([row[0] for row in rows])
        new, conflicts = rows, []
        if existing:
            new = []
            for row in rows:
                stored = existing.get(row[0])
                if stored is None:
                    new.append(row)
                elif stored != row[1]:
                    conflicts.append(BadRow(row[2], conflict_reason(row[0], stored), "ma_ho_so", row[0]))
                    if strict:
                        return conflicts[:1]
        if new:
            now = timezone.now()
            ids = store.new_ids(len(new))
            events = store.write(ids, [row[3] for row in new], now)
            alias = connection.alias
            dossiers = [instance(pk, now, alias, row[4]) for pk, row in zip(ids, new, strict=True)]
            # whoever counts dossiers (the live indicators) adds them, in this transaction
            publish_added(dossiers)
            audit_record(
                actor=actor,
                action="dossiers.import",
                obj=dossiers[0],
                after={
                    "file": source,
                    "created": len(new),
                    "events": events,
                    "first": new[0][0],
                    "last": new[-1][0],
                },
            )
    report.unchanged += len(rows) - len(new) - len(conflicts)
    if new:
        report.created += len(new)
        report.events += events
    return conflicts


def _write_staged(
    actor: Actor,
    source: str,
    store: StagedStore,
    batch: _Batch,
    procs: dict[str, Proc],
    report: ImportReport,
    *,
    strict: bool,
    added: list[int] | None = None,
) -> list[BadRow]:
    """`_write` through the stage (`staged.py`): the server skips the codes already stored and
    makes the events; the sample is compared with the reference before the batch commits.
    With ``added`` (a bulk load) the new ids are appended to it instead of published: the live
    totals count the whole load once, in its transaction."""
    rows = batch.rows
    with transaction.atomic():
        now = timezone.now()
        existing = store.stage([row[3] for row in rows], now)
        conflicts: list[BadRow] = []
        if existing:
            mine = {row[0]: row[1] for row in rows}
            conflicts = sorted(
                (
                    BadRow(line, conflict_reason(code, stored), "ma_ho_so", code)
                    for code, (line, stored) in existing.items()
                    if stored != mine[code]
                ),
                key=lambda bad: bad.line,
            )
            if strict and conflicts:
                return conflicts[:1]
        stored = store.insert(now)
        report.verified += verify_stored(batch.sample, procs, set(stored.codes))
        if stored.ids:
            # whoever counts dossiers (the live indicators) adds them, in this transaction
            if added is None:
                publish_stored(stored.ids)
            else:
                added += stored.ids
            audit_record(
                actor=actor,
                action="dossiers.import",
                obj=Dossier.objects.get(pk=stored.ids[0]),
                after={
                    "file": source,
                    "created": len(stored.ids),
                    "events": stored.events,
                    "first": stored.codes[0],
                    "last": stored.codes[-1],
                },
            )
    report.unchanged += len(existing) - len(conflicts)
    report.created += len(stored.ids)
    report.events += stored.events
    return conflicts


def conflict_reason(code: str, stored_digest: str) -> str:
    """Why a row whose code is already stored is not imported (docs/decisions.md, "Bulk import
    and file mode (issue 16)": a conflict is reported, never written over)."""
    if stored_digest:
        return (
            f"ma_ho_so: hồ sơ «{code[:60]}» đã nhập trước đây với nội dung khác; "
            "giữ nguyên hồ sơ đã lưu, không ghi đè (xung đột)"
        )
    return (
        f"ma_ho_so: mã hồ sơ «{code[:60]}» đã có trong cơ sở dữ liệu (không do nhập tệp); "
        "giữ nguyên, không ghi đè (xung đột)"
    )


# --- where the batches are made ---------------------------------------------------------------------


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to kill this child when its parent dies, even by SIGKILL (prctl
    PR_SET_PDEATHSIG), so a killed import leaves no reader holding memory and the file. Elsewhere
    the broken pipe ends the child at its next write."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent_pid:  # the parent died before the request above was made
        os._exit(0)


PR_SET_PDEATHSIG = 1


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class _Inline:
    def __init__(self, produce: Callable[[], Iterator[_Batch]]):
        self._items = produce()

    def __iter__(self) -> Iterator[_Batch]:
        return self._items

    def close(self) -> None:
        self._items.close()


class _Child:
    """The batches made by a forked child process; the pipe's capacity keeps it one batch ahead."""

    def __init__(self, produce: Callable[[], Iterator[_Batch]]):
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_child_main, args=(produce, send, self._receive, os.getpid()), daemon=True
        )
        self._process.start()
        send.close()

    def __iter__(self) -> Iterator[_Batch]:
        while True:
            try:
                kind, value = pickle.loads(self._receive.recv_bytes())
            except EOFError:
                raise RuntimeError("tiến trình đọc tệp hồ sơ dừng bất thường") from None
            if kind == "batch":
                yield value
            elif kind == "end":
                return
            elif kind == "exchange":
                line, reason, path = value
                raise ExchangeError(line, reason, path=path)
            elif kind == "mismatch":
                raise FastPathMismatch(value)
            else:
                raise RuntimeError(f"lỗi khi đọc tệp hồ sơ:\n{value}")

    def close(self) -> None:
        self._receive.close()  # a child still writing gets a broken pipe and ends
        self._process.join(timeout=10)
        if self._process.is_alive():  # pragma: no cover - stuck: never wait forever
            self._process.kill()
            self._process.join()


def _child_main(produce: Callable[[], Iterator[_Batch]], send, receive, parent_pid: int) -> None:
    def put(kind: str, value) -> None:
        send.send_bytes(pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL))

    # Only the parent reads: with the child's copy of the read end closed, the pipe breaks as soon
    # as the parent is gone, and the child's next write ends it.
    receive.close()
    _die_with_parent(parent_pid)
    # The parent's database connection was copied by the fork: forget it without closing it
    # (closing would end the parent's session); anything here that touched the database would
    # open a connection of its own.
    for wrapper in connections.all(initialized_only=True):
        wrapper.connection = None

    gc.disable()  # see the module docstring
    try:
        for batch in produce():
            put("batch", batch)
        put("end", None)
    except (BrokenPipeError, ConnectionResetError, KeyboardInterrupt):
        pass  # the parent stopped reading (strict, its own error, Ctrl+C): it reports, not us
    except ExchangeError as exc:
        put("exchange", (exc.line, exc.reason, exc.path))
    except FastPathMismatch as exc:
        put("mismatch", str(exc))
    except BaseException:
        put("error", traceback.format_exc())
    finally:
        send.close()
