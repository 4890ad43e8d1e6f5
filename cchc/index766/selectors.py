"""Reading the stored 766 index. `unit_score` is what other code binds plan targets to; the page
selectors check access first (`Access.can_read_unit`: subtree roles read a unit's subtree,
officers their own unit)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone

from cchc.core.actors import Actor
from cchc.core.errors import PermissionDenied
from cchc.core.periods import parse_calendar_period
from cchc.orgs.access import Access
from cchc.orgs.models import Unit, UnitKind

from . import ranking
from .conf import config
from .formulas import GROUPS, INDICATORS, max_points
from .models import CertifiedCopyOffer, Snapshot


def unit_score(unit: Unit, period_key: str) -> dict | None:
    """{"total": Decimal, "groups": {code: Decimal}, "computed_at": datetime} of the unit's
    stored index for the period, or None when it has not been computed."""
    s = Snapshot.objects.filter(unit=unit, period=period_key).first()
    if s is None:
        return None
    return {
        "total": s.total,
        "groups": {g.code: getattr(s, g.code) for g in GROUPS},
        "computed_at": s.computed_at,
    }


def readable_unit(*, user: Actor, pk: int) -> Unit:
    unit = get_object_or_404(Unit, pk=pk)
    if not Access.for_user(user).can_read_unit(unit):
        raise PermissionDenied("Bạn không có quyền xem Chỉ số 766 của đơn vị này.")
    return unit


def default_unit(*, user: Actor) -> Unit | None:
    """The highest unit the user may read (the province for its coordinators and leaders)."""
    return Access.for_user(user).readable_units().current().order_by("depth", "path").first()


def period_choices(today: dt.date | None = None, extra: list[str] = ()) -> list[tuple[str, str]]:
    """This year's and last year's years, quarters and months, newest first, plus any other
    period the unit has been computed for."""
    today = today or timezone.localdate()
    keys: list[str] = []
    for year in (today.year, today.year - 1):
        keys.append(str(year))
        keys += [f"{year}-Q{q}" for q in range(4, 0, -1) if (year, q) <= (today.year, (today.month + 2) // 3)]
        keys += [f"{year}-{m:02d}" for m in range(12, 0, -1) if (year, m) <= (today.year, today.month)]
    keys += [k for k in extra if k not in keys]
    return [(k, parse_calendar_period(k).label) for k in keys]


def default_period(unit: Unit, today: dt.date | None = None) -> str:
    """The period the unit was last computed for; else the current quarter."""
    last = (
        Snapshot.objects.filter(unit=unit)
        .order_by("-computed_at", "-period")
        .values_list("period", flat=True)
        .first()
    )
    if last:
        return last
    today = today or timezone.localdate()
    return f"{today.year}-Q{(today.month + 2) // 3}"


def _groups(s: Snapshot, cfg: dict) -> list[dict]:
    reachable = s.details.get("reachable", {})
    out = []
    for g in GROUPS:
        rows = []
        for ind in INDICATORS:
            if ind.group != g.code:
                continue
            r = s.indicators.get(ind.code, {})
            rows.append(
                {
                    "code": ind.code,
                    "name": ind.name,
                    "formula": ind.formula,
                    "source": ind.source,
                    "max": max_points(ind, cfg),
                    "numerator": r.get("numerator"),
                    "denominator": r.get("denominator"),
                    "points": None if r.get("points") is None else Decimal(r["points"]),
                    "reason": r.get("reason", ""),
                    "note": r.get("note", ""),
                    "parts": r.get("parts") or {},
                }
            )
        out.append(
            {
                "code": g.code,
                "name": g.name,
                "max": g.max_points,
                "points": getattr(s, g.code),
                "reachable": Decimal(reachable.get(g.code, g.max_points)),
                "indicators": rows,
            }
        )
    return out


def unit_page(*, user: Actor, unit: Unit, period_key: str) -> dict:
    """Everything the unit's 766 page shows for a period (access checked by the caller through
    `readable_unit`)."""
    access = Access.for_user(user)
    cfg = config()
    snapshot = Snapshot.objects.filter(unit=unit, period=period_key).select_related("computed_by").first()
    data: dict = {
        "unit": unit,
        "period": parse_calendar_period(period_key),
        "snapshot": snapshot,
        "groups": _groups(snapshot, cfg) if snapshot else [],
        "can_manage": access.can_manage_unit(unit),
        "rank": ranking.rank_of(unit, period_key) if snapshot else None,
        "tables": [],
        "offer": None,
        "breadcrumbs": [
            u
            for u in Unit.objects.filter(pk__in=unit.ancestor_ids()[:-1]).order_by("depth")
            if access.can_read_unit(u)
        ],
    }
    if access.can_oversee_unit(unit) and unit.kind == UnitKind.PROVINCE:
        for kind, title in (
            (UnitKind.AGENCY, "Xếp hạng các sở, ban, ngành"),
            (UnitKind.COMMUNE, "Xếp hạng các xã, phường"),
        ):
            rows = ranking.level_ranking(unit, kind, period_key)
            data["tables"].append({"title": title, "rows": rows})
    if unit.kind == UnitKind.COMMUNE:
        data["offer"] = CertifiedCopyOffer.objects.filter(unit=unit).first()
    return data
