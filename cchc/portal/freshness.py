"""When the portal's figures last changed, for HTTP caching (ETag, Last-Modified) and for the
fragments kept in the shared cache.

Two signals, both cheap:

* a *version* in the shared cache, bumped (after commit) by observers registered with the
  dossier and plan registries: a dossier event or an issued plan changes a figure at once;
* the *last change* of the data: the newest audit entry and the newest dossier event, each read
  by its primary key (one indexed row each). Every service writes an audit row, so a published
  CCHC index, a computed 766 index or an edited procedure moves it too.

A fragment remembers the state it was built for and is rebuilt when the state moves (at most
once per `refresh_seconds`); the pages' ETag is the same state with the address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest

from cchc.core.models import AuditEntry
from cchc.dossiers.models import DossierEvent
from cchc.plans.observers import PlanObserver

VERSION_KEY = "cchc:portal:version"
FRAGMENT_SECONDS = 24 * 3600  # a fragment is rebuilt when the data changes, not when this expires
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 1, None)
        value = cache.get(VERSION_KEY) or 1
    return int(value)


def bump() -> None:
    """Invalidate every portal fragment (a new version makes new keys)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # never set, or evicted: any other value is new
        cache.set(VERSION_KEY, version() + 1, None)


def bump_after_commit() -> None:
    # After commit: bumping inside the transaction would let a request cache the old figures
    # again under the new version before the change is visible.
    # Once per transaction: a batch of 1,000 API events used to bump 2,000 times at its commit
    # (each bump a write to the shared cache). A bump still pending in this transaction covers
    # this change too; one in a savepoint rolled back is gone from the list, so a change after
    # it schedules its own.
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(func is bump for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(bump)


class DossierFiguresChanged:
    """A `cchc.dossiers.observers.DossierObserver`: any dossier change moves a figure."""

    def dossier_changed(self, before: Any, after: Any, *, unit_id: int, channel: str) -> None:
        bump_after_commit()

    def dossiers_added(self, dossiers: Sequence[Any]) -> None:
        bump_after_commit()

    def dossiers_changed(self, changes: Sequence[Any]) -> None:
        bump_after_commit()

    def dossiers_stored(self, ids: Sequence[int]) -> None:
        # by id (an import made by the server): without this method the import would load every
        # new dossier as an object only to say that figures moved
        bump_after_commit()


class PlanFiguresChanged(PlanObserver):
    """Plans published or their targets replaced change the reform progress page."""

    def plan_issued(self, *, actor: Any, plan: Any, tasks: Sequence[Any]) -> dict[str, Any]:
        bump_after_commit()
        return {}

    def task_units_changed(self, *, actor: Any, task: Any) -> None:
        bump_after_commit()

    def targets_imported(self, *, actor: Any, plan: Any) -> None:
        bump_after_commit()


DOSSIER_FIGURES_CHANGED = DossierFiguresChanged()
PLAN_FIGURES_CHANGED = PlanFiguresChanged()


def last_changed() -> dt.datetime:
    """The newest audit entry or dossier event (two primary-key lookups)."""
    audit = AuditEntry.objects.order_by("-pk").values_list("at", flat=True).first()
    event = DossierEvent.objects.order_by("-pk").values_list("recorded_at", flat=True).first()
    return max((t for t in (audit, event) if t is not None), default=_EPOCH)


def stamp(request: HttpRequest) -> str:
    """What a page's content depends on: the data's state and the address asked for."""
    cached = getattr(request, "_portal_stamp", None)
    if cached is None:
        raw = f"{version()}|{last_modified(request).isoformat()}|{request.get_full_path()}"
        cached = hashlib.sha256(raw.encode()).hexdigest()[:32]
        request._portal_stamp = cached  # type: ignore[attr-defined]
    return cached


def etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return stamp(request)


def last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> dt.datetime:
    cached = getattr(request, "_portal_changed", None)
    if cached is None:
        cached = last_changed()
        request._portal_changed = cached  # type: ignore[attr-defined]
    return cached


def refresh_seconds() -> int:
    return int(getattr(settings, "CCHC_PORTAL_REFRESH_SECONDS", 60))


def fragment(name: str, request: HttpRequest, build: Callable[[], str]) -> str:
    """A rendered piece of a page from the shared cache, rebuilt when the data has changed since
    it was built (its stamp differs) — but not more than once per `refresh_seconds`: a province's
    desks record dossier events every few seconds, and rebuilding the scoreboard reads every
    unit's figures (bench/portal.py), so under a stream of events the figures are at most that
    many seconds late instead of rebuilt on every request."""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:24]
    key = f"cchc:portal:{name}:{path}"
    current = stamp(request)
    held = cache.get(key)
    if held is not None:
        held_stamp, built_at, html = held
        if held_stamp == current or time.time() - built_at < refresh_seconds():
            return html
    html = build()
    cache.set(key, (current, time.time(), html), FRAGMENT_SECONDS)
    return html
