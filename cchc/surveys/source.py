"""Survey figures as indicator sources (`cchc.core.indicator_sources`), registered from
`SurveysConfig.ready()`, so that a target ("hài lòng tối thiểu 85%") or the survey share of the
CCHC index can be bound to them:

* ``khao_sat:hai_long`` — the overall satisfaction rate (the TONG row of
  docs/specs/survey-results.md) of the public-service questionnaire;
* ``khao_sat:yeu_to_1`` … ``khao_sat:yeu_to_5`` — one element's satisfaction rate;
* ``khao_sat:giao_duc:hai_long``, ``khao_sat:y_te:hai_long`` — the same for the education and
  health questionnaires.

A reading pools the answers about the unit's subtree in the campaigns whose window ends in the
period, and computes them with `formulas` (the same as the results pages). Numerator/denominator
are the satisfied answers / the answers: exact for an element's rate; for the overall rate (a
plain mean of the elements' rates) a roll-up recomputing from them gives the pooled share,
which may differ a little (docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from cchc.core.errors import ServiceError
from cchc.core.indicator_sources import CALENDAR, EMPTY, PERCENT, Reading, Source
from cchc.core.periods import PeriodError, parse_calendar_period
from cchc.orgs.models import Unit

from . import formulas
from .models import Tally, Variant
from .selectors import counts

PREFIX = "khao_sat:"
CODES = {
    "khao_sat:hai_long": "Tỷ lệ hài lòng chung đối với dịch vụ hành chính công (khảo sát)",
    "khao_sat:yeu_to_1": "Tỷ lệ hài lòng về tiếp cận dịch vụ (khảo sát)",
    "khao_sat:yeu_to_2": "Tỷ lệ hài lòng về thủ tục hành chính (khảo sát)",
    "khao_sat:yeu_to_3": "Tỷ lệ hài lòng về công chức giải quyết công việc (khảo sát)",
    "khao_sat:yeu_to_4": "Tỷ lệ hài lòng về kết quả giải quyết TTHC (khảo sát)",
    "khao_sat:yeu_to_5": "Tỷ lệ hài lòng về tiếp nhận, xử lý góp ý, phản ánh, kiến nghị (khảo sát)",
    "khao_sat:giao_duc:hai_long": "Tỷ lệ hài lòng đối với dịch vụ giáo dục công (khảo sát)",
    "khao_sat:y_te:hai_long": "Tỷ lệ hài lòng đối với dịch vụ y tế công (khảo sát)",
}


def parse_code(code: str) -> tuple[str, str | None]:
    """code → (questionnaire variant, element or None for the overall rate)."""
    rest = code[len(PREFIX) :]
    if rest.startswith("yeu_to_"):
        return Variant.PUBLIC_SERVICE, rest[len("yeu_to_") :]
    if rest == "hai_long":
        return Variant.PUBLIC_SERVICE, None
    return rest.split(":", 1)[0], None


class SurveySource:
    family = "khao_sat"
    group_label = "Khảo sát sự hài lòng (SIPAS)"
    code_help = "khao_sat:hai_long, khao_sat:yeu_to_1…5, khao_sat:giao_duc:hai_long, khao_sat:y_te:hai_long"
    # Plans ask that satisfaction results be published: the public scoreboards show this column.
    public_codes = ("khao_sat:hai_long",)

    def owns(self, code: str) -> bool:
        return code.startswith(PREFIX)

    def source(self, code: str, unit: Unit | None = None) -> Source:
        if code not in CODES:
            raise ServiceError(
                {"indicator": f"Không có chỉ số khảo sát “{code}” (dùng: {self.code_help})."},
                code="indicator_code_invalid",
            )
        return Source(code, CODES[code], self.family, PERCENT, True, "%", cadence=CALENDAR)

    def choices(self, unit: Unit) -> list[tuple[str, str]]:
        return list(CODES.items())

    def check_bindable(self, code: str, unit: Unit) -> None:
        self.source(code, unit)

    def drill_url(self, code: str, unit: Unit, period_key: str) -> str:
        return ""

    def readings(self, requests: Sequence[tuple[str, Unit, Sequence[str]]]) -> list[dict[str, Reading]]:
        return [{k: reading(code, unit, k) for k in keys} for code, unit, keys in requests]


def reading(code: str, unit: Unit, key: str) -> Reading:
    try:
        period = parse_calendar_period(key)
    except PeriodError:
        return EMPTY
    variant, element = parse_code(code)
    found = Tally.objects.filter(
        unit__path__startswith=unit.path,
        campaign__questionnaire__variant=variant,
        campaign__period_end__gte=period.start,
        campaign__period_end__lte=period.end,
    )
    by_element = counts(found, "campaign__questionnaire__variant").get(variant, {})
    elements = sorted(by_element, key=formulas.element_key)
    if element is not None:
        figure = formulas.element_figure_from_counts(element, by_element.get(element, {}))
    else:
        figure = formulas.total_figure(
            formulas.element_figure_from_counts(e, by_element[e]) for e in elements
        )
    if not figure.n or figure.rate is None:
        return EMPTY
    return Reading(figure.rate, figure.satisfied, figure.n)


SURVEY_SOURCE = SurveySource()
