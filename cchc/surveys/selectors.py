"""Reads of surveys, scoped to the user. The figures go through `formulas` — the functions
`cchc survey results` runs on files — fed with the counts per (unit, element, answer) kept in
`Tally` (`tallies.py`), so the pages and the command cannot disagree."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from cchc.core.actors import Actor
from cchc.orgs.access import SUBTREE_ROLES, Access
from cchc.orgs.models import Role, Unit

from . import formulas
from .models import Answer, Campaign, CampaignUnit, Kind, Tally

# A figure whose 95% margin of error is above this many percentage points, or counted on fewer
# answers than MIN_ANSWERS, is too uncertain to compare or rank (docs/decisions.md). The second
# rule because the margin formula says 0 when every answer agrees (p = 0 or 1), even for n = 1.
MAX_MARGIN = Decimal(10)
MIN_ANSWERS = 30


def too_uncertain(figure: formulas.Figure) -> bool:
    return bool(figure.n) and (figure.n < MIN_ANSWERS or figure.margin is None or figure.margin > MAX_MARGIN)


def campaigns_for(user: Actor) -> QuerySet[Campaign]:
    access = Access.for_user(user)
    roles = (*SUBTREE_ROLES, Role.OFFICER)
    readable = access.units_q(roles, prefix="owner__") | access.units_q(roles, prefix="targets__unit__")
    return Campaign.objects.filter(readable).distinct().select_related("owner", "questionnaire")


def can_read(user: Actor, campaign: Campaign) -> bool:
    access = Access.for_user(user)
    return access.can_read_unit(campaign.owner) or any(
        access.can_read_unit(t.unit) for t in campaign.targets.select_related("unit")
    )


def can_read_comments(user: Actor, campaign: Campaign, unit: Unit) -> bool:
    """Free text only for the users of the unit itself (a role held at that unit) and the
    organising unit's coordinators — not for every overseer above: a comment may name people."""
    access = Access.for_user(user)
    return access.can_manage_unit(campaign.owner) or any(g.unit_id == unit.pk for g in access.grants)


@dataclass(frozen=True)
class Row:
    unit: Unit
    result: formulas.UnitResult
    responses: int
    rank: int | None

    @property
    def comparable(self) -> bool:
        return comparable(self.result)

    @property
    def worst_margin(self) -> Decimal | None:
        margins = [f.margin for f in self.result.elements if f.margin is not None]
        return max(margins) if margins else None


def comparable(result: formulas.UnitResult) -> bool:
    """At least one element counted, and none of them too uncertain."""
    counted = [f for f in result.elements if f.n]
    return bool(counted) and not any(too_uncertain(f) for f in counted)


def counts(
    tallies: QuerySet[Tally], by: str, *, summed: bool = True
) -> dict[object, dict[str, dict[int, int]]]:
    """key (``by``, a path from the tally) → element → answer 1–5 → how many. ``summed=False``
    when the key already tells the tallies apart (one campaign, by unit): no GROUP BY then."""
    out: dict[object, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    found = tallies.filter(count__gt=0)
    rows: Iterable[tuple[object, str, int, int]] = (
        found.values_list(by, "element", "score").annotate(c=Sum("count")).order_by()
        if summed
        else found.values_list(by, "element", "score", "count").order_by()
    )
    for key, element, score, c in rows:
        out[key][element][score] = c
    return out


def elements_of(campaign: Campaign) -> list[str]:
    codes = campaign.questionnaire.sections.filter(questions__kind=Kind.SCALE).values_list("code", flat=True)
    return sorted(set(codes), key=formulas.element_key)


def figures(
    unit_code: str, elements: list[str], by_element: dict[str, dict[int, int]]
) -> formulas.UnitResult:
    return formulas.unit_result(
        unit_code,
        elements,
        {e: formulas.element_figure_from_counts(e, by_element.get(e, {})) for e in elements},
    )


def targets_of(campaign: Campaign) -> list[CampaignUnit]:
    """The campaign's units (with their `Unit`) in code order: read once by a page and handed to
    the selectors below, which would otherwise each read them again."""
    # only what the pages use: a `Unit` has some twenty columns and 130 of them are built per page
    return list(
        campaign.targets.select_related("unit")
        .only("campaign", "unit", "sample_size", "responses", "unit__code", "unit__name", "unit__path")
        .order_by("unit__code")
    )


def campaign_results(
    campaign: Campaign, targets: list[CampaignUnit] | None = None
) -> tuple[list[str], list[Row]]:
    """The elements and one row per unit with at least one response, units in code order,
    ranked by the overall satisfaction rate (only comparable units are ranked). ``targets``:
    `targets_of(campaign)` when the caller already has them."""
    elements = elements_of(campaign)
    per_unit = counts(Tally.objects.filter(campaign=campaign), "unit_id", summed=False)
    if targets is None:
        targets = list(campaign.targets.filter(responses__gt=0).select_related("unit"))
    responded = {t.unit: t.responses for t in targets if t.responses > 0}
    results = [
        (unit, figures(unit.code, elements, per_unit.get(unit.pk, {})), n) for unit, n in responded.items()
    ]
    results.sort(key=lambda r: r[0].code)
    ranked = sorted(
        (r for r in results if comparable(r[1]) and r[1].total.rate is not None),
        key=lambda r: r[1].total.rate or 0,
        reverse=True,
    )
    ranks: dict[int, int] = {}
    previous, current = None, 0
    for position, (unit, result, _) in enumerate(ranked, start=1):
        if result.total.rate != previous:
            current, previous = position, result.total.rate
        ranks[unit.pk] = current
    return elements, [Row(u, r, n, ranks.get(u.pk)) for u, r, n in results]


def unit_trend(campaign: Campaign, unit: Unit) -> list[tuple[Campaign, formulas.UnitResult]]:
    """The unit's overall figures in every campaign of the same questionnaire, oldest first."""
    campaigns = list(
        Campaign.objects.filter(questionnaire=campaign.questionnaire, targets__unit=unit).order_by(
            "period_end", "id"
        )
    )
    elements = elements_of(campaign)
    by_campaign = counts(Tally.objects.filter(campaign__in=campaigns, unit=unit), "campaign_id", summed=False)
    return [(c, figures(unit.code, elements, by_campaign.get(c.pk, {}))) for c in campaigns]


def comments(campaign: Campaign, unit: Unit, limit: int = 200) -> list[tuple[str, str]]:
    """(question, answer) of the free-text answers of the unit's responses, newest first."""
    return list(
        Answer.objects.filter(response__campaign=campaign, response__unit=unit, question__kind=Kind.TEXT)
        .exclude(text="")
        .order_by("-response__submitted_at", "-id")
        .values_list("question__text", "text")[:limit]
    )


def choice_counts(campaign: Campaign, unit: Unit | None = None) -> dict[str, list[tuple[str, int]]]:
    """For each choice question (its text), each answer given and how often."""
    answers = Answer.objects.filter(response__campaign=campaign, question__kind=Kind.CHOICE)
    if unit is not None:
        answers = answers.filter(response__unit=unit)
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for question, text, c in (
        answers.values_list("question__text", "text")
        .annotate(c=Count("id"))
        .order_by("question__order", "-c")
    ):
        out[question].append((text, c))
    return dict(out)


def sample_progress(
    campaign: Campaign, targets: list[CampaignUnit] | None = None
) -> list[tuple[Unit, int, int, int, int]]:
    """Per unit: target sample, drawn, links issued, answered through a link."""
    stats = {
        row["unit_id"]: row
        for row in campaign.sample.values("unit_id")
        .annotate(
            drawn=Count("id"),
            issued=Count("id", filter=Q(token_hash__isnull=False)),
            used=Count("id", filter=Q(used_at__isnull=False)),
        )
        .order_by()
    }
    out = []
    for target in targets_of(campaign) if targets is None else targets:
        s = stats.get(target.unit_id, {})
        out.append((target.unit, target.sample_size, s.get("drawn", 0), s.get("issued", 0), s.get("used", 0)))
    return out
