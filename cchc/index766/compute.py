"""Computing the 766 index and storing it: `index766_compute` (the service behind the "Tính lại"
button and `cchc index766 compute`) gathers the facts of a subtree per period (`facts.gather`:
a fixed number of grouped queries), scores every unit (`formulas.score`) and replaces the
stored snapshots of those units and periods in one transaction, with one audit row."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.utils import timezone

from cchc.core.actors import SYSTEM, Actor
from cchc.core.audit import audit_record
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.periods import CalendarPeriod, PeriodError, parse_calendar_period
from cchc.indicators.definitions import round_half_up
from cchc.orgs.access import Access
from cchc.orgs.models import Unit, user_of

from .conf import config
from .facts import Gathered, gather
from .formulas import GROUP_CODES, Score, score
from .models import Snapshot

US_PER_DAY = 86_400 * 10**6
US_PER_HOUR = 3_600 * 10**6


@dataclass
class ComputeReport:
    periods: list[str]
    units: int = 0
    seconds: float = 0.0
    roots: list[tuple[Unit, str, Decimal]] = field(default_factory=list)  # (unit, period, total)


def parse_keys(period_keys) -> list[CalendarPeriod]:
    """The periods, in order, without repeats; a Vietnamese ServiceError for a bad key."""
    keys = [k.strip() for k in period_keys if k and k.strip()] if period_keys else []
    if not keys:
        raise ServiceError(
            {"period": "Chọn ít nhất một kỳ (ví dụ 2026, 2026-Q3, 2026-09)."}, code="period_required"
        )
    out: dict[str, CalendarPeriod] = {}
    for key in keys:
        try:
            out.setdefault(key, parse_calendar_period(key))
        except PeriodError as exc:
            raise ServiceError(
                {"period": f"Kỳ không hợp lệ: “{key}” (dùng 2026, 2026-Q3, 2026-H1, 2026-9M hoặc 2026-09)."},
                code="period_invalid",
            ) from exc
    return list(out.values())


def top_procedures(gathered: Gathered, unit_id: int, limit: int) -> list[dict]:
    """The unit's busiest procedures (dossiers finished in the period) with their average
    processing time in days: (finished − received − paused clock time), as tg_giai_quyet_tb."""
    rows = []
    for pid, (n, elapsed_us, paused_h) in gathered.durations.get(unit_id, {}).items():
        net_us = Fraction(elapsed_us) - Fraction(paused_h) * US_PER_HOUR
        p = gathered.procedures.get(pid)
        rows.append(
            {
                "id": pid,
                "code": p.code if p else "",
                "name": p.name if p else "",
                "finished": n,
                "avg_days": str(round_half_up(net_us / n / US_PER_DAY)),
            }
        )
    rows.sort(key=lambda r: (-r["finished"], r["code"], r["id"]))
    return rows[:limit]


def snapshot_for(
    unit: Unit, period: CalendarPeriod, s: Score, gathered: Gathered, cfg, now, actor: Actor
) -> Snapshot:
    f = gathered.facts[unit.pk]
    return Snapshot(
        unit=unit,
        period=period.key,
        total=s.total,
        **{g: s.groups[g] for g in GROUP_CODES},
        indicators={code: r.as_json() for code, r in s.results.items()},
        details={
            "reachable": {g: str(v) for g, v in s.max_computable.items()},
            "procedures": top_procedures(gathered, unit.pk, cfg["top_procedures"]),
            "counts": {"received": f.R, "handled": f.S, "feedback": f.feedback, "procedures": f.procedures},
            "is_commune": f.is_commune,
        },
        computed_at=now,
        computed_by=user_of(actor),
    )


def _check_actor(actor: Actor, root: Unit | None) -> None:
    if actor is SYSTEM:  # management command, demo loader
        return
    access = Access.for_user(actor)
    if root is None:
        if not access.is_superuser:
            raise PermissionDenied("Chỉ quản trị hệ thống được tính lại Chỉ số 766 cho mọi đơn vị.")
    elif not access.can_manage_unit(root):
        raise PermissionDenied(f"Bạn không có quyền tính lại Chỉ số 766 của {root.name}.")


@transaction.atomic
def index766_compute(*, actor: Actor, period_keys, root: Unit | None = None) -> ComputeReport:
    """Recompute the index of every unit of ``root``'s subtree (all units when None) for the
    given period keys, replacing their snapshots. Coordinators and admins of ``root`` may do it;
    ``SYSTEM`` (a command, the demo) is not checked."""
    _check_actor(actor, root)
    periods = parse_keys(period_keys)
    started = time.perf_counter()
    cfg = config()
    now = timezone.now()
    report = ComputeReport([p.key for p in periods])
    first: Snapshot | None = None
    for period in periods:
        gathered = gather(root, period, cfg)
        snapshots = [
            snapshot_for(gathered.units[pk], period, score(f, cfg), gathered, cfg, now, actor)
            for pk, f in gathered.facts.items()
        ]
        Snapshot.objects.filter(period=period.key, unit_id__in=list(gathered.facts)).delete()
        Snapshot.objects.bulk_create(snapshots, batch_size=1000)
        report.units = max(report.units, len(snapshots))
        first = first or (snapshots[0] if snapshots else None)
        tops = [s for s in snapshots if (s.unit_id == root.pk if root else s.unit.parent_id is None)]
        report.roots.extend((s.unit, period.key, s.total) for s in tops)
    if first is None:
        raise ServiceError("Không có đơn vị nào trong phạm vi để tính Chỉ số 766.", code="no_units_in_scope")
    report.seconds = time.perf_counter() - started
    audit_record(
        actor=actor,
        action="index766.compute",
        obj=root if root is not None else first.unit,
        unit=root,
        after={
            "periods": report.periods,
            "root": root.code if root is not None else None,
            "units": report.units,
            "totals": {f"{u.code} {key}": str(total) for u, key, total in report.roots[:50]},
        },
    )
    return report
