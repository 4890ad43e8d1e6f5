"""A small registry of observers, for when a lower app must make something happen above it.

Apps depend one way (docs/architecture.md): the dossier services cannot import the indicators
that count dossiers, nor can issuing a plan import the tracking that assigns its tasks. So the
lower app owns a `Registry` of what it publishes, and the higher app registers itself from its
`AppConfig.ready()`. Observers run in the publisher's transaction, in registration order; an
observer that raises refuses the whole operation (nothing is half-done).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """The registered observers (or providers) of one kind, in registration order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: list[T] = []

    def register(self, item: T) -> T:
        """Add ``item`` once (registering again is a no-op, so `ready()` may run twice)."""
        if item not in self._items:
            self._items.append(item)
        return item

    def unregister(self, item: T) -> None:
        if item in self._items:
            self._items.remove(item)

    def __iter__(self) -> Iterator[T]:
        return iter(tuple(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Registry({self.name!r}, {self._items!r})"
