"""The answer counts behind the results (`models.Tally`): created with a campaign, moved by every
saved response in its transaction, rebuilt from the answers by `recount`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db.models import Count, F

from cchc.orgs.models import Unit

from .models import Answer, Campaign, CampaignUnit, Kind, Tally

SCORES = (1, 2, 3, 4, 5)


def elements_of_questionnaire(campaign: Campaign) -> list[str]:
    return sorted(
        set(campaign.questionnaire.questions.filter(kind=Kind.SCALE).values_list("section__code", flat=True))
    )


def create(campaign: Campaign, units: Iterable[Unit]) -> None:
    elements = elements_of_questionnaire(campaign)
    Tally.objects.bulk_create(
        (
            Tally(campaign=campaign, unit=u, element=e, score=s)
            for u in units
            for e in elements
            for s in SCORES
        ),
        batch_size=5000,
    )


def add(campaign: Campaign, unit: Unit, scores: Iterable[tuple[str, int]], responses: int = 1) -> None:
    """Count ``responses`` new responses of ``unit`` with their (element, score) answers."""
    for (element, score), k in Counter(scores).items():
        Tally.objects.filter(campaign=campaign, unit=unit, element=element, score=score).update(
            count=F("count") + k
        )
    CampaignUnit.objects.filter(campaign=campaign, unit=unit).update(responses=F("responses") + responses)


def recount(campaign: Campaign) -> int:
    """Rebuild the campaign's counts from its answers (one GROUP BY); the number of answers."""
    # Only 1–5 answers carry a score. The answer repeats its campaign, unit and element, so this
    # is one GROUP BY read from the partial covering index `survey_answer_tally_idx` alone (no
    # join to the responses or the questions, no table rows read).
    counted: Counter[tuple[int, str, int]] = Counter()
    for unit_id, element, score, c in (
        Answer.objects.filter(campaign=campaign, score__isnull=False)
        .values_list("unit_id", "element", "score")
        .annotate(c=Count("*"))
        .order_by()
    ):
        counted[unit_id, element, score] += c
    # Only the counts that differ are written (kept in step with every response, normally none):
    # a bulk update of every one of a campaign's thousands of counts is a CASE of thousands of
    # branches evaluated for each row.
    changed = []
    for t in campaign.tallies.all():
        count = counted.get((t.unit_id, t.element, t.score), 0)
        if t.count != count:
            t.count = count
            changed.append(t)
    Tally.objects.bulk_update(changed, ["count"], batch_size=500)
    responses = dict(campaign.responses.values_list("unit_id").annotate(c=Count("id")).order_by())
    targets = []
    for target in campaign.targets.all():
        if target.responses != responses.get(target.unit_id, 0):
            target.responses = responses.get(target.unit_id, 0)
            targets.append(target)
    CampaignUnit.objects.bulk_update(targets, ["responses"], batch_size=500)
    return sum(counted.values())
