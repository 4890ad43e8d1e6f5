"""What the dossier app publishes: every change of a dossier's state, inside its transaction.

The live indicators (`cchc.indicators`) register themselves here from their `AppConfig.ready()`:
the dossier services and the importer do not know who counts their dossiers. An observer runs in
the event's transaction, so a figure never disagrees with the dossiers it counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

from cchc.core.observers import Registry

if TYPE_CHECKING:
    from .lifecycle import DossierState
    from .models import Dossier


class Change(NamedTuple):
    """One dossier's move in a batch: its state before the batch's first event on it and after
    the last (``before`` None for a dossier the batch created)."""

    before: DossierState | None
    after: DossierState | None
    unit_id: int
    channel: str


class DossierObserver(Protocol):
    def dossier_changed(
        self, before: DossierState | None, after: DossierState | None, *, unit_id: int, channel: str
    ) -> None:
        """One event moved a dossier from ``before`` to ``after`` (either may be None)."""

    def dossiers_added(self, dossiers: Sequence[Dossier]) -> None:
        """A batch of new dossiers (an import), with all their events applied."""

    def dossiers_changed(self, changes: Sequence[Change]) -> None:
        """A batch of dossiers each moved by one or more events (a batch of API events): the
        sum of the `dossier_changed` calls of those events, told once — a dossier's state
        before its first event and after its last."""


observers: Registry[DossierObserver] = Registry("dossiers")


def publish_changed(
    before: DossierState | None, after: DossierState | None, *, unit_id: int, channel: str
) -> None:
    for observer in observers:
        observer.dossier_changed(before, after, unit_id=unit_id, channel=channel)


def publish_added(dossiers: Sequence[Dossier]) -> None:
    for observer in observers:
        observer.dossiers_added(dossiers)


def publish_stored(ids: Sequence[int]) -> None:
    """A batch of new dossiers already written (an import made by the server, `imports/staged.py`),
    by id. An observer with a ``dossiers_stored(ids)`` method reads them itself (the live totals
    count them in SQL); any other gets the `Dossier` objects through ``dossiers_added``."""
    loaded: list[Dossier] | None = None
    for observer in observers:
        by_id = getattr(observer, "dossiers_stored", None)
        if by_id is not None:
            by_id(ids)
            continue
        if loaded is None:
            from .models import Dossier

            loaded = list(Dossier.objects.filter(pk__in=ids).order_by("pk"))
        observer.dossiers_added(loaded)


def publish_changes(changes: Sequence[Change]) -> None:
    if changes:
        for observer in observers:
            observer.dossiers_changed(changes)
