"""Reads of the CCHC index: frameworks as the formulas see them, a round's results (the very
functions of `cchc par compute`), the register of submissions, the files a round exports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from cchc.core.collation import vi
from cchc.core.text import vi_sort_key
from cchc.orgs.access import Access
from cchc.orgs.models import Unit

from . import formulas
from .models import Criterion, Framework, Participant, Round, Score, group_of
from .permissions import can_read_participant, can_read_round


def frameworks_visible(user) -> QuerySet[Framework]:
    """Frameworks of the units the user oversees, and the issued ones above the user's units."""
    access = Access.for_user(user)
    qs = Framework.objects.select_related("unit").annotate(
        leaves=Count("criteria", filter=Q(criteria__is_leaf=True))
    )
    if access.is_superuser:
        return qs
    ids = [
        f.pk
        for f in qs
        if access.can_oversee_unit(f.unit) or (f.status == Framework.Status.ISSUED and _above(access, f.unit))
    ]
    return qs.filter(pk__in=ids)


def _above(access: Access, unit: Unit) -> bool:
    return any(g.path.startswith(unit.path) for g in access.grants)


def can_read_framework(user, framework: Framework) -> bool:
    access = Access.for_user(user)
    return access.can_oversee_unit(framework.unit) or (
        framework.status == Framework.Status.ISSUED and _above(access, framework.unit)
    )


def criteria_of(framework: Framework) -> list[Criterion]:
    return list(framework.criteria.order_by("sort_key"))


def framework_def(framework: Framework, criteria: list[Criterion] | None = None) -> formulas.Framework:
    """The framework as `formulas` computes with it."""
    criteria = criteria if criteria is not None else criteria_of(framework)
    nodes = tuple(
        formulas.Node(c.code, c.name, c.max_points, c.method, c.applies_to)
        for c in sorted(criteria, key=lambda c: formulas.code_key(c.code))
    )
    return formulas.Framework(nodes, frozenset(c.code for c in criteria if c.is_leaf))


def _decimal_text(value: Decimal | None) -> str:
    return "" if value is None else formulas.format_points(value)


def framework_rows(framework: Framework) -> list[dict[str, str]]:
    """framework.csv's rows (and the XLSX's): the contract's columns and the extra ones."""
    rows = []
    for c in criteria_of(framework):
        rows.append(
            {
                "ma": c.code,
                "ten": c.name,
                "diem_toi_da": _decimal_text(c.max_points),
                "phuong_phap": c.method,
                "ap_dung": c.applies_to,
                "huong_dan": c.guidance,
                "tai_lieu_kiem_chung": c.evidence_required,
                "chi_so_nguon": c.source,
                "dat_toi_da": "" if c.full_at is None else f"{c.full_at.normalize():f}",
            }
        )
    return rows


# --- a round ---------------------------------------------------------------------------------


def rounds_visible(user) -> list[Round]:
    """Rounds the user runs or reads, and rounds the user's units take part in."""
    access = Access.for_user(user)
    rounds = list(Round.objects.select_related("framework", "unit").annotate(units=Count("participants")))
    own = set(
        Participant.objects.filter(unit_id__in=[g.unit_id for g in access.grants]).values_list(
            "round_id", flat=True
        )
    )
    return [r for r in rounds if access.is_superuser or r.pk in own or can_read_round(user, r)]


def round_unit_scores(round_: Round) -> dict[str, formulas.UnitScores]:
    """Each participant's final points per leaf (appraised, else self-assessed, else 0), in
    the order of the register (group, then unit name)."""
    participants = list(round_.participants.select_related("unit"))
    participants.sort(key=lambda p: (group_of(p.unit), vi_sort_key(p.unit.name)))
    units = {p.unit.code: formulas.UnitScores(p.unit.code, group_of(p.unit)) for p in participants}
    rows = Score.objects.filter(participant__round=round_).values_list(
        "participant__unit__code", "criterion__code", "self_points", "appraised_points"
    )
    for unit_code, code, self_points, appraised in rows:
        units[unit_code].finals[code] = formulas.final_points(self_points, appraised)
    return units


@dataclass(frozen=True)
class RoundResults:
    round: Round
    framework: formulas.Framework
    results: list[formulas.UnitResult]
    units: dict[str, Unit]
    bands: list[tuple[Decimal, str]]

    def band(self, result: formulas.UnitResult) -> str:
        """Xếp loại of a unit's index."""
        return formulas.classify(result.index, self.bands)

    def group(self, group: str) -> list[formulas.UnitResult]:
        """One group's results, best first (rank, then name)."""
        members = [r for r in self.results if r.group == group]
        return sorted(
            members, key=lambda r: (r.rank is None, r.rank or 0, vi_sort_key(self.units[r.unit].name))
        )


def round_results(round_: Round) -> RoundResults:
    """The results of a round: `formulas.compute_results` over the database's scores — the
    numbers `cchc par compute` gives on the round's exported files."""
    frame = framework_def(round_.framework)
    unit_scores = round_unit_scores(round_)
    units = {u.code: u for u in Unit.objects.filter(code__in=unit_scores.keys())}
    return RoundResults(
        round_, frame, formulas.compute_results(frame, unit_scores), units, bands_of(round_.framework)
    )


def bands_of(framework: Framework) -> list[tuple[Decimal, str]]:
    try:
        return formulas.parse_bands(framework.bands)
    except ValueError:  # checked when saved; a hand-edited row falls back to the usual bands
        return formulas.parse_bands(formulas.DEFAULT_BANDS)


def scores_rows(round_: Round) -> list[dict[str, str]]:
    """scores.csv of a round (docs/specs/par-index.md): one row per participant × leaf."""
    rows = []
    for s in (
        Score.objects.filter(participant__round=round_)
        .select_related("participant__unit", "criterion")
        .order_by("participant__unit__code", "criterion__sort_key")
    ):
        rows.append(
            {
                "ma_don_vi": s.participant.unit.code,
                "nhom": group_of(s.participant.unit),
                "ma": s.criterion.code,
                "tu_cham": _decimal_text(s.self_points),
                "tham_dinh": _decimal_text(s.appraised_points),
            }
        )
    return rows


@dataclass(frozen=True)
class RegisterRow:
    participant: Participant
    group: str
    scored: int  # leaves with a self or appraised score
    leaves: int
    questions: int


def register(round_: Round) -> list[RegisterRow]:
    """Who has submitted: every participant with its state and how far it has scored."""
    participants = (
        round_.participants.select_related("unit", "submitted_by")
        .annotate(
            leaves=Count("scores"),
            scored=Count(
                "scores",
                filter=Q(scores__self_points__isnull=False) | Q(scores__appraised_points__isnull=False),
            ),
            questions=Count("scores", filter=~Q(scores__question="")),
        )
        .order_by(vi("unit__name"))
    )
    rows = [RegisterRow(p, group_of(p.unit), p.scored, p.leaves, p.questions) for p in participants]
    rows.sort(key=lambda r: (r.group, vi_sort_key(r.participant.unit.name)))
    return rows


def participants_of_user(user, round_: Round) -> list[Participant]:
    """The participants of a round the user may open (see `permissions.can_read_participant`)."""
    return [
        p for p in round_.participants.select_related("unit", "round__unit") if can_read_participant(user, p)
    ]


def participant_scores(participant: Participant) -> list[Score]:
    return list(
        participant.scores.select_related("criterion")
        .prefetch_related("evidence__progress")
        .order_by("criterion__sort_key")
    )


def lost_by_area(result: formulas.UnitResult) -> list[tuple[str, str, Decimal]]:
    """(area code, name, points lost) for one unit, most lost first."""
    lost = [(a.code, a.name, a.lost) for a in result.areas if a.maximum]
    return sorted(lost, key=lambda x: x[2], reverse=True)


def previous_results(round_: Round) -> dict[str, Decimal | None]:
    """Each unit's index in the latest earlier published (or finalised) round of the same
    organiser and group pattern — for comparison with the previous year."""
    earlier = (
        Round.objects.filter(
            unit=round_.unit,
            framework__year__lt=round_.framework.year,
            state__in=[Round.State.FINALISED, Round.State.PUBLISHED],
        )
        .select_related("framework")
        .order_by("-framework__year", "-id")
    )
    found: dict[str, Decimal | None] = {}
    by_year: dict[int, list[Round]] = defaultdict(list)
    for r in earlier:
        by_year[r.framework.year].append(r)
    if not by_year:
        return found
    for r in by_year[max(by_year)]:
        for result in round_results(r).results:
            found.setdefault(result.unit, result.index)
    return found
