"""Reform progress for the public: the province's plan for the year with each target's status
(`cchc.targets.status`, read as the system: the figures are the province's own), and the CCHC
index results the province has published (`cchc.evaluation`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q

from cchc.core.actors import SYSTEM
from cchc.core.numbers import format_number
from cchc.evaluation import formulas as par
from cchc.evaluation.models import Round
from cchc.evaluation.selectors import round_results
from cchc.orgs.models import Unit
from cchc.plans.models import Plan, PlanStatus
from cchc.targets.status import LABELS, TargetStatus, goal_text, target_statuses

PAR_GROUP_TITLES = {par.AGENCY: "Sở, ban, ngành", par.COMMUNE: "Xã, phường, đặc khu"}
TOP = 5  # units of each group shown here; the full table is on the round's own page


@dataclass
class TargetLine:
    text: str
    goal: str
    status: TargetStatus


@dataclass
class Progress:
    year: int
    plan: Plan | None
    targets: list[TargetLine] = field(default_factory=list)
    counts: list[tuple[str, str, int]] = field(default_factory=list)  # (status, label, how many)
    tasks_total: int = 0
    tasks_done: int = 0
    rounds: list[Round] = field(default_factory=list)
    latest: list[tuple[str, list[tuple[int | None, str, str]]]] = field(default_factory=list)


def current_plan(province: Unit, year: int) -> Plan | None:
    """The province's issued plan for the year: an annual plan first, else one covering it."""
    plans = Plan.objects.filter(
        issuer=province,
        status__in=[PlanStatus.ISSUED, PlanStatus.CLOSED],
        from_year__lte=year,
        to_year__gte=year,
    )
    return (
        plans.filter(kind="annual").order_by("-issued_on", "-pk").first()
        or plans.order_by("-issued_on", "-pk").first()
    )


def progress(province: Unit, today: dt.date) -> Progress:
    out = Progress(today.year, current_plan(province, today.year))
    if out.plan is not None:
        targets = list(
            out.plan.targets.select_related("binding", "binding__measured_unit").order_by("position", "id")
        )
        statuses = target_statuses(out.plan, targets, user=SYSTEM, today=today)
        out.targets = [TargetLine(t.text, goal_text(t), st) for t, st in zip(targets, statuses, strict=True)]
        tally: dict[str, int] = {}
        for line in out.targets:
            tally[line.status.status] = tally.get(line.status.status, 0) + 1
        out.counts = [(code, label, tally[code]) for code, label in LABELS.items() if code in tally]
        # a task is done when every unit assigned to it has reported it completed
        tasks = out.plan.tasks.annotate(
            n=Count("assignments"),
            n_done=Count("assignments", filter=Q(assignments__completed_on__isnull=False)),
        ).values_list("n", "n_done")
        out.tasks_total = len(tasks)
        out.tasks_done = sum(1 for n, n_done in tasks if n and n == n_done)
    out.rounds = list(
        Round.objects.filter(state=Round.State.PUBLISHED, unit__path__startswith=province.path)
        .select_related("framework", "unit")
        .order_by("-published_at")[:20]
    )
    if out.rounds:
        res = round_results(out.rounds[0])
        for group, title in PAR_GROUP_TITLES.items():
            rows = [
                (r.rank, res.units[r.unit].name if r.unit in res.units else r.unit, format_number(r.index))
                for r in res.group(group)[:TOP]
            ]
            if rows:
                out.latest.append((title, rows))
    return out
