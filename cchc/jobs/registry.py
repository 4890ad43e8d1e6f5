"""The kinds of job: an app above registers what it runs from its `AppConfig.ready()`, the worker
finds it here by name (this app imports none of them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .runner import JobContext


class JobFailed(Exception):
    """A failure that trying again cannot mend (a document that cannot be read, a report that is
    gone): the job stops at once, its message shown to the person as it is."""


@dataclass(frozen=True)
class JobKind:
    name: str
    run: Callable[[JobContext], None]


_KINDS: dict[str, JobKind] = {}


def register(name: str, run: Callable[[JobContext], None]) -> JobKind:
    """Register (again: replace) the function that runs jobs of kind `name`."""
    kind = JobKind(name, run)
    _KINDS[name] = kind
    return kind


def get(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise JobFailed(f"Không có loại tác vụ “{name}”.") from None
