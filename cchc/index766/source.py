"""The 766 index as a source of figures (`cchc.core.indicator_sources`), registered from
`Index766Config.ready()`: "766" is a unit's total, "766:<group>" the points of one group, read
from the stored results of `cchc index766 compute` (calendar periods)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from cchc.core.errors import ServiceError
from cchc.core.indicator_sources import CALENDAR, EMPTY, POINTS, Reading, Source
from cchc.core.numbers import to_decimal
from cchc.orgs.models import Unit

from .formulas import GROUPS
from .selectors import unit_score

_CODE = re.compile(r"766(?::([a-z0-9_]{1,40}))?")
GROUP_NAMES = {g.code: f"“{g.name}” (tối đa {g.max_points:f} điểm)" for g in GROUPS}
TOTAL_NAME = "Chỉ số phục vụ người dân, doanh nghiệp (766): tổng điểm"


class Index766Source:
    family = "766"
    group_label = "Chỉ số phục vụ 766"
    code_help = "766, 766:<nhóm>"

    def owns(self, code: str) -> bool:
        return _CODE.fullmatch(code) is not None

    def source(self, code: str, unit: Unit | None = None) -> Source:
        m = _CODE.fullmatch(code)
        assert m is not None
        name = TOTAL_NAME
        if m[1]:
            if m[1] not in GROUP_NAMES:
                raise ServiceError(
                    {"indicator": f"Chỉ số 766 không có nhóm “{m[1]}”."}, code="indicator_code_invalid"
                )
            name = f"Chỉ số phục vụ người dân, doanh nghiệp (766): nhóm {GROUP_NAMES[m[1]]}"
        return Source(code, name, self.family, POINTS, True, "điểm", cadence=CALENDAR)

    def choices(self, unit: Unit) -> list[tuple[str, str]]:
        return [("766", "Chỉ số 766: tổng điểm")] + [
            (f"766:{code}", f"Chỉ số 766: nhóm {name}") for code, name in GROUP_NAMES.items()
        ]

    def check_bindable(self, code: str, unit: Unit) -> None:
        return None

    def drill_url(self, code: str, unit: Unit, period_key: str) -> str:
        return ""

    def readings(self, requests: Sequence[tuple[str, Unit, Sequence[str]]]) -> list[dict[str, Reading]]:
        return [{k: _reading(code, unit, k) for k in keys} for code, unit, keys in requests]


def _reading(code: str, unit: Unit, key: str) -> Reading:
    score = unit_score(unit, key)
    if not score:
        return EMPTY
    group = code.partition(":")[2]
    return Reading(to_decimal(score["groups"].get(group) if group else score["total"]))


INDEX766_SOURCE = Index766Source()
