"""Points at risk (điểm có nguy cơ bị mất): during the year, a unit's projected CCHC index from
today's data and the sub-criteria where it is losing points, with the plan targets and tasks
that would win them back.

The projection takes, for each leaf of the framework that applies to the unit:

* a computed leaf (`du_lieu`): the points its source gives today (`computed.computed`);
* a self-assessed, bonus or deduction leaf: the unit's score in this year's round if it is in one
  (appraised, else self-assessed), otherwise its final points for the same code last year;
* a survey leaf: last year's points (surveys come once a year).

A leaf with none of these is "chưa có dữ liệu": it is left out of both the projected points and
the maximum, and listed, so the projection never pretends to know what nobody has measured.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.core import indicator_sources
from cchc.core.text import fold
from cchc.orgs.models import Unit
from cchc.targets.models import TargetBinding
from cchc.tracking.models import Assignment

from . import formulas
from .computed import Computed, computed
from .models import Criterion, Framework, Method, Participant, Score, group_of
from .selectors import criteria_of, framework_def

ZERO = Decimal(0)


@dataclass
class LeafProjection:
    criterion: Criterion
    points: Decimal | None  # None: no data
    basis: str  # where the points come from, for people
    lost: Decimal = ZERO
    drill: str = ""  # the source's records, when it has them
    targets: list[TargetBinding] = field(default_factory=list)
    tasks: list[Assignment] = field(default_factory=list)


@dataclass
class Projection:
    unit: Unit
    framework: Framework | None
    year: int
    leaves: list[LeafProjection]
    result: formulas.UnitResult | None  # over the leaves with data
    unknown_max: Decimal = ZERO  # the maximum of the leaves without data

    @property
    def at_risk(self) -> list[LeafProjection]:
        """Leaves losing points, most lost first."""
        return sorted((p for p in self.leaves if p.lost > 0), key=lambda p: (-p.lost, p.criterion.sort_key))

    @property
    def unknown(self) -> list[LeafProjection]:
        return [p for p in self.leaves if p.points is None]


def framework_for(unit: Unit, year: int) -> Framework | None:
    """The issued framework a unit is scored on: of the unit's nearest ancestor that issues one,
    for the year (or the latest earlier year), for the unit's group or both groups."""
    group = group_of(unit)
    candidates = (
        Framework.objects.filter(
            unit_id__in=unit.ancestor_ids(),
            status=Framework.Status.ISSUED,
            year__lte=year,
            group__in=["", group],
        )
        .select_related("unit")
        .order_by("-year", "-unit__path")
    )
    return candidates.first()


def _scores_by_code(unit: Unit, year: int, *, finalised_only: bool) -> dict[str, Score]:
    states: list[str] = [Participant.State.FINALISED] if finalised_only else list(Participant.State.values)
    participant = (
        Participant.objects.filter(unit=unit, round__framework__year=year, state__in=states)
        .order_by("-round_id")
        .first()
    )
    if participant is None:
        return {}
    return {s.criterion.code: s for s in participant.scores.select_related("criterion")}


_WORD = re.compile(r"\w+")
# Words (diacritics folded) too common in CCHC texts to tell which task serves which criterion.
_COMMON = frozenset(
    "cac cua va trong tren duoc theo cho voi viec ve thuc hien cong tac ty"
    " le so muc do don vi co quan nam ke hoach cai cach hanh chinh".split()
)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(fold(text)) if len(w) > 1 and w not in _COMMON}


def project(unit: Unit, today: dt.date) -> Projection:
    """The unit's projected index for ``today``'s year and the leaves where it loses points."""
    year = today.year
    framework = framework_for(unit, year)
    if framework is None:
        return Projection(unit, None, year, [], None)
    group = group_of(unit)
    leaves = [c for c in criteria_of(framework) if c.is_leaf and c.applies(group)]
    this_year = _scores_by_code(unit, year, finalised_only=False)
    last_year = _scores_by_code(unit, year - 1, finalised_only=True)
    data_leaves = [c for c in leaves if c.method == Method.DATA]
    figures: dict[int, Computed] = computed(data_leaves, unit, year) if data_leaves else {}

    projections: list[LeafProjection] = []
    for c in leaves:
        points: Decimal | None = None
        basis = "Chưa có dữ liệu"
        drill = ""
        if c.method == Method.DATA:
            got = figures.get(c.pk)
            if got is not None and got.points is not None and got.source is not None:
                points = got.points
                basis = f"{got.source.name}: {indicator_sources.format_value(got.source, got.value)}"
                if got.source.drillable:
                    drill = indicator_sources.drill_url(got.source, unit, got.period_key)
            elif got is not None:
                basis = got.why
        mine = this_year.get(c.code)
        if (
            points is None
            and mine is not None
            and (mine.appraised_points is not None or mine.self_points is not None)
        ):
            points = formulas.final_points(mine.self_points, mine.appraised_points)
            basis = "Điểm trong đợt đánh giá năm nay"
        if points is None and c.code in last_year:
            before = last_year[c.code]
            points = formulas.final_points(before.self_points, before.appraised_points)
            basis = f"Điểm năm {year - 1}"
        if points is None and c.method == Method.DEDUCTION:
            points, basis = ZERO, "Chưa ghi nhận điểm trừ"
        lost = ZERO
        if points is not None and c.max_points is not None:
            lost = (
                points
                if c.method == Method.DEDUCTION
                else (ZERO if c.method == Method.BONUS else c.max_points - points)
            )
        projections.append(LeafProjection(c, points, basis, max(lost, ZERO), drill))

    _link_plans(unit, projections)
    known = {p.criterion.code: p.points for p in projections if p.points is not None}
    frame = framework_def(framework)
    limited = formulas.Framework(
        tuple(n for n in frame.nodes if n.code not in frame.leaf_codes or n.code in known),
        frozenset(code for code in frame.leaf_codes if code in known),
    )
    result = formulas.unit_result(
        limited, unit.code, group, {k: v for k, v in known.items() if v is not None}
    )
    unknown_max = sum(
        (p.criterion.max_points or ZERO for p in projections if p.points is None and p.criterion.ordinary),
        ZERO,
    )
    return Projection(unit, framework, year, projections, result, unknown_max)


def _link_plans(unit: Unit, projections: list[LeafProjection]) -> None:
    """Targets bound to a losing leaf's indicator (in plans the unit issues or receives) and the
    unit's unfinished tasks whose content shares the leaf's key words."""
    losing = [p for p in projections if p.lost > 0]
    if not losing:
        return
    sources = {p.criterion.source for p in losing if p.criterion.source}
    if sources:
        bindings = list(
            TargetBinding.objects.filter(
                indicator__in=sources, target__plan__issuer_id__in=unit.ancestor_ids()
            )
            .select_related("target__plan")
            .order_by("-target__plan__to_year", "target_id")[:200]
        )
        for p in losing:
            p.targets = [b for b in bindings if b.indicator == p.criterion.source][:3]
    open_tasks = list(
        Assignment.objects.filter(unit=unit, completed_on__isnull=True)
        .select_related("task")
        .order_by("-id")[:500]
    )
    task_words = [(a, _words(a.task.content)) for a in open_tasks]
    for p in losing:
        wanted = _words(p.criterion.name)
        if len(wanted) < 2:
            continue
        # a task is related when it shares at least half of the leaf's key words (and two)
        need = max(2, (len(wanted) + 1) // 2)
        shared = [(len(wanted & words), a) for a, words in task_words]
        scored = sorted(((n, a) for n, a in shared if n >= need), key=lambda x: -x[0])
        p.tasks = [a for _, a in scored[:3]]
