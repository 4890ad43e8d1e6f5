"""Ranking by total within a level, for one period (docs/specs/index-766.md): the provinces; the
agencies (sở, ban, ngành) of a province; the communes of a province. Ties share a rank and the
next rank skips (1, 2, 2, 4). Units not yet computed for the period are not ranked."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cchc.core.text import vi_sort_key
from cchc.orgs.models import Unit, UnitKind

from .models import Snapshot

LEVEL_LABELS = {
    UnitKind.PROVINCE: "các tỉnh, thành phố",
    UnitKind.AGENCY: "các sở, ban, ngành của tỉnh",
    UnitKind.COMMUNE: "các xã, phường của tỉnh",
}


@dataclass
class Ranked:
    rank: int
    snapshot: Snapshot

    @property
    def unit(self) -> Unit:
        return self.snapshot.unit

    @property
    def total(self) -> Decimal:
        return self.snapshot.total


def competition_ranks(totals: list[tuple[object, Decimal]]) -> list[tuple[object, Decimal, int]]:
    """[(key, total)] → [(key, total, rank)] best first; equal totals share a rank."""
    ordered = sorted(totals, key=lambda item: -item[1])
    out = []
    for position, (key, total) in enumerate(ordered, start=1):
        rank = out[-1][2] if out and out[-1][1] == total else position
        out.append((key, total, rank))
    return out


def peers(unit: Unit):
    """The units the unit is ranked among (a queryset), or None when its level is not ranked."""
    current = Unit.objects.current()
    if unit.kind == UnitKind.PROVINCE:
        return current.filter(kind=UnitKind.PROVINCE)
    if unit.kind in (UnitKind.AGENCY, UnitKind.COMMUNE):
        province = unit.province()
        if province is None:
            return None
        return current.filter(kind=unit.kind, path__startswith=province.path)
    return None


def ranking(units, period_key: str) -> list[Ranked]:
    """The computed units of a queryset, ranked by total for the period."""
    snaps = list(Snapshot.objects.filter(period=period_key, unit__in=units).select_related("unit"))
    ranked = competition_ranks([(s, s.total) for s in snaps])
    ranked.sort(key=lambda item: (item[2], vi_sort_key(item[0].unit.name)))
    return [Ranked(rank, s) for s, _, rank in ranked]


def level_ranking(province: Unit, kind: str, period_key: str) -> list[Ranked]:
    """Agencies or communes of a province, ranked."""
    return ranking(Unit.objects.current().filter(kind=kind, path__startswith=province.path), period_key)


def rank_of(unit: Unit, period_key: str) -> tuple[int, int, str] | None:
    """(rank, number ranked, level label) of the unit among its peers, or None."""
    group = peers(unit)
    if group is None:
        return None
    for item in (rows := ranking(group, period_key)):
        if item.snapshot.unit_id == unit.pk:
            return item.rank, len(rows), LEVEL_LABELS[unit.kind]
    return None
