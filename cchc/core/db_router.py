"""Reads that may come from a streaming replica (docs/scaling.md).

A province runs several application servers on one PostgreSQL primary; the heavy reads of the
dashboards can go to a streaming replica (``DATABASE_REPLICA_URL``, the alias ``replica``). Only
reads *marked* replica-tolerant go there — a selector wrapped in `replica_tolerant` (or code run
inside ``with replica_reads():``) — and only when the alias is configured. Everything else, every
write, and every read inside a transaction (which may need to see its own writes) stays on
``default``. A replica lags the primary by the time it takes to replay the WAL (milliseconds on
a local network): a dashboard may show a figure that moment old; the event → figure path (an
officer's own action) never reads from the replica.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_tolerant: ContextVar[bool] = ContextVar("cchc_replica_tolerant", default=False)

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads of the ORM inside the block may be served by the replica (when one is configured)."""
    token = _tolerant.set(True)
    try:
        yield
    finally:
        _tolerant.reset(token)


def replica_tolerant(func: Callable[P, R]) -> Callable[P, R]:
    """Mark a selector whose reads may be a few milliseconds old (dashboards, public figures)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with replica_reads():
            return func(*args, **kwargs)

    return wrapper


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    """Django database router: replica-tolerant reads to ``replica`` when configured, the rest to
    ``default``. Both aliases hold the same data, so relations between them are allowed; only
    ``default`` is ever migrated (the replica follows it by streaming)."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if not _tolerant.get() or not replica_configured():
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:  # read your own writes
            return None
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
