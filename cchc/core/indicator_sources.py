"""The registry of indicator sources: every app that produces figures a plan target (or, later,
a PAR Index sub-criterion or a report annex) can be measured by.

A *source* is named by an indicator code — "dung_han" (a dossier indicator), "766:tien_do" (a
group of the 766 index), "manual:VB_DIEN_TU" (a manually reported figure) — and gives a `Reading`
(value, numerator, denominator) for a unit's subtree in each period it is asked for. Each
producing app registers a `SourceProvider` from its `AppConfig.ready()`; the consumers (the
targets app, …) know sources only through this module, so a new producer (inspections, surveys)
becomes bindable by registering itself, and no consumer imports a producer.

Periods are keys of `cchc.core.periods`: a provider whose figures follow the calendar
(`cadence = CALENDAR`: the year and its months) or the CCHC reporting windows (`REPORTING`:
cumulative windows from 15/12, as the periodic reports state them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from .errors import ServiceError
from .numbers import format_number
from .observers import Registry

# what a figure is (the kinds of `cchc.indicators.definitions`, plus plain numbers)
COUNT, PERCENT, POINTS, AVERAGE, NUMBER = "count", "percent", "points", "average", "number"
# which periods a source has figures for
CALENDAR, REPORTING = "calendar", "reporting"


class SourceUnavailable(RuntimeError):
    """The source cannot give figures now (its data is not ready); the message says why."""


@dataclass(frozen=True)
class Source:
    code: str
    name: str
    family: str  # the provider's family: "dossier", "766", "manual", …
    kind: str  # COUNT, PERCENT, POINTS, AVERAGE or NUMBER
    higher_is_better: bool = True
    unit_label: str = ""
    cadence: str = CALENDAR
    drillable: bool = False  # the figure can be opened on the records behind it
    # Whether a subtree's figure is the sum of its units' figures (a consolidated report adds
    # them up): None = counts only. A family whose plain numbers add up says so (manual sums).
    additive: bool | None = None

    @property
    def is_percent(self) -> bool:
        return self.kind == PERCENT

    @property
    def sums(self) -> bool:
        return self.kind == COUNT if self.additive is None else self.additive


@dataclass(frozen=True)
class Reading:
    value: Decimal | None
    numerator: Decimal | int | None = None
    denominator: int | None = None


EMPTY = Reading(None)


class SourceProvider(Protocol):
    """One family of indicator codes, registered by the app that computes them."""

    family: str
    group_label: str  # the heading of its codes in a picker ("Chỉ số hồ sơ (tự động)")
    code_help: str  # how its codes are written, for the error on an unknown code
    # Optional: `named_by_people = True` when its indicators are defined by people with names a
    # target's text may repeat (manual indicators), so that suggestion matches on their names.
    # Optional: `public_codes` — a tuple of its codes fit for the public, shown as columns of the
    # public portal's scoreboard besides the dossier figures and the 766 index (docs/portal.md).

    def owns(self, code: str) -> bool:
        """Whether ``code`` is written the way this family writes codes."""

    def source(self, code: str, unit: Any | None = None) -> Source:
        """The source of an owned code (ServiceError when the family has no such indicator).
        ``unit``: where it is measured, for families whose definitions depend on the unit."""

    def choices(self, unit: Any) -> list[tuple[str, str]]:
        """(code, name) of the indicators a target measured at ``unit`` may be bound to."""

    def check_bindable(self, code: str, unit: Any) -> None:
        """Refuse (ServiceError) a code that does not apply to ``unit``."""

    def readings(self, requests: Sequence[tuple[str, Any, Sequence[str]]]) -> list[dict[str, Reading]]:
        """For each (code, unit, period keys), the reading of every key (EMPTY when none). Asked
        in one batch so that a provider may read many targets' figures in a few queries."""

    def drill_url(self, code: str, unit: Any, period_key: str) -> str:
        """The page listing the records behind the figure's numerator ("" when there is none)."""


providers: Registry[SourceProvider] = Registry("indicator sources")


def provider_of(code: str) -> SourceProvider:
    code = (code or "").strip()
    for provider in providers:
        if provider.owns(code):
            return provider
    forms = ", ".join(p.code_help for p in providers)
    raise ServiceError(
        {"indicator": f"Mã chỉ số “{code}” không hợp lệ: dùng {forms}."}, code="indicator_code_invalid"
    )


def source_of(code: str, unit: Any | None = None) -> Source:
    """The source of an indicator code; ServiceError for a code that names nothing."""
    code = (code or "").strip()
    return provider_of(code).source(code, unit)


def check_bindable(code: str, unit: Any) -> Source:
    """The source of ``code``, refusing one that does not apply to ``unit``."""
    source = source_of(code, unit)
    provider_of(source.code).check_bindable(source.code, unit)
    return source


def choices(unit: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every bindable code for a target measured at ``unit``, grouped by family (for a picker)."""
    out = []
    for provider in providers:
        found = provider.choices(unit)
        if found:
            out.append((provider.group_label, found))
    return out


def readings(code: str, unit: Any, keys: Sequence[str]) -> dict[str, Reading]:
    """The figure of ``code`` for ``unit`` in each period (EMPTY where there is none)."""
    return readings_many([(code, unit, keys)])[0]


def readings_many(requests: Iterable[tuple[str, Any, Sequence[str]]]) -> list[dict[str, Reading]]:
    """`readings` for many (code, unit, keys) at once, each family asked once for its share."""
    requests = list(requests)
    out: list[dict[str, Reading]] = [{} for _ in requests]
    by_provider: dict[int, tuple[SourceProvider, list[int]]] = {}
    for i, (code, _, _) in enumerate(requests):
        provider = provider_of(code)
        by_provider.setdefault(id(provider), (provider, []))[1].append(i)
    for provider, indexes in by_provider.values():
        got = provider.readings([requests[i] for i in indexes])
        for i, result in zip(indexes, got, strict=True):
            out[i] = result
    return out


def drill_url(source: Source, unit: Any, period_key: str) -> str:
    return provider_of(source.code).drill_url(source.code, unit, period_key) if source.drillable else ""


def format_value(source: Source, value: object) -> str:
    """A figure as its source reads: "96,50%", "1.234", "85,00 điểm", "—" when there is none."""
    if value is None:
        return "—"
    if source.kind == COUNT:
        return format_number(int(value), 0)  # type: ignore[call-overload]
    text = format_number(value)
    if source.kind == PERCENT:
        return f"{text}%"
    return f"{text} {source.unit_label}".strip()
