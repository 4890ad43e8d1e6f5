"""Is a plan target being met? Current value, gap, monthly trend and status of a bound target.

The rules (docs/targets.md has them with examples):

* **Year.** The target's year, else the plan's year (annual plan), else this year within the
  plan's period. The *current value* is the year-to-date figure: the calendar-year period of the
  engine (live figures stop at today; open dossiers are judged at the year's end, as the year's
  figure will be). For manual indicators, the last reported cumulative window (năm, 9 tháng,
  6 tháng, quý I).
* **What is compared.** The value itself, against the target value with its comparator. A
  *reduction* target ("giảm") with "<" / "≤" caps the level ("giảm … xuống dưới 2%"): the value
  is compared directly. Any other reduction ("giảm tối thiểu 10%") is relative to the previous
  year: achieved = (last year's value − value) / last year's value × 100, compared with "≥".
  "=" ("đạt 100%") means at least the value for indicators where more is better, at most for
  `tre_han` and `tg_giai_quyet_tb`.
* **Gap** = how far the value is on the good side of the target (negative: short of it).
* **Tolerance**: 2 points for percentages, 5% of the target value otherwise.
* **Worsening**: the last 3 complete months (the current month is still filling) all have a
  value and each is worse than the one before. Manual indicators: the last 3 reported windows.
* **Status**: no value → *chưa có số liệu*. Year over → *đạt* if the comparison holds, else
  *không đạt*. Year in progress → holds with a margin of at least the tolerance: *đạt*, or *đúng
  hướng* if worsening; holds without that margin: *đúng hướng*, or *có nguy cơ không đạt* if
  worsening; does not hold → *có nguy cơ không đạt* (the year can still turn it around).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.core import indicator_sources
from cchc.core.actors import SYSTEM, Actor
from cchc.core.errors import ServiceError
from cchc.core.indicator_sources import EMPTY, REPORTING, Reading, Source, SourceUnavailable, format_value
from cchc.core.numbers import format_number
from cchc.orgs.access import Access
from cchc.orgs.models import Unit

from .models import binding_of
from .suggest import Suggestion, suggest_target

MET, ON_TRACK, AT_RISK, NOT_MET, NO_DATA, UNBOUND = (
    "met",
    "on_track",
    "at_risk",
    "not_met",
    "no_data",
    "unbound",
)
LABELS = {
    MET: "Đạt",
    ON_TRACK: "Đúng hướng",
    AT_RISK: "Có nguy cơ không đạt",
    NOT_MET: "Không đạt",
    NO_DATA: "Chưa có số liệu",
    UNBOUND: "Chưa gắn chỉ số",
}
TOLERANCE_POINTS = Decimal(2)
TOLERANCE_SHARE = Decimal("0.05")
TREND_LENGTH = 3
SYMBOLS = {">": ">", ">=": "≥", "=": "=", "<=": "≤", "<": "<"}
MANUAL_WINDOWS = (("Q1", "Quý I"), ("H1", "6 tháng"), ("9M", "9 tháng"), ("Y", "Năm"))


@dataclass
class Rule:
    """How a target is compared: the relative-reduction flag, the good direction, strictness."""

    relative: bool
    upward: bool
    strict: bool

    @classmethod
    def of(cls, comparator: str, reduction: bool, higher_is_better: bool) -> Rule:
        strict = comparator in (">", "<")
        if reduction and comparator in ("<", "<="):
            return cls(False, False, strict)
        if reduction:
            return cls(True, True, strict)
        if comparator in (">", ">="):
            return cls(False, True, strict)
        if comparator in ("<", "<="):
            return cls(False, False, strict)
        return cls(False, higher_is_better, False)

    @property
    def trend_upward(self) -> bool:
        """The direction the indicator itself should move (down for any reduction)."""
        return self.upward and not self.relative


def tolerance(goal: Decimal, percent: bool) -> Decimal:
    return TOLERANCE_POINTS if percent else abs(goal) * TOLERANCE_SHARE


def worsening(values: list[Decimal | None], upward: bool) -> bool:
    last = values[-TREND_LENGTH:]
    if len(last) < TREND_LENGTH or any(v is None for v in last):
        return False
    pairs = list(zip(last, last[1:], strict=False))
    return all((b < a) if upward else (b > a) for a, b in pairs)


def evaluate(
    *,
    value: Decimal | None,
    goal: Decimal,
    rule: Rule,
    final: bool,
    trend: list[Decimal | None],
    percent: bool,
) -> tuple[str, Decimal | None, str]:
    """(status, gap, why) by the module's rules; ``trend`` is the complete periods, oldest first."""
    if value is None:
        return NO_DATA, None, "Chưa có số liệu."
    gap = value - goal if rule.upward else goal - value
    holds = gap > 0 if rule.strict else gap >= 0
    if final:
        return (MET, gap, "Cả năm đạt chỉ tiêu.") if holds else (NOT_MET, gap, "Cả năm không đạt chỉ tiêu.")
    worse = worsening(trend, rule.trend_upward)
    tol = tolerance(goal, percent)
    trend_note = f" {TREND_LENGTH} tháng gần nhất xấu đi liên tục." if worse else ""
    if holds and gap >= tol:
        why = f"Đang vượt chỉ tiêu ít nhất {format_number(tol)}."
        return (ON_TRACK if worse else MET), gap, why + trend_note
    if holds:
        why = f"Đang đạt nhưng sát chỉ tiêu (cách dưới {format_number(tol)})."
        return (AT_RISK if worse else ON_TRACK), gap, why + trend_note
    return AT_RISK, gap, "Chưa đạt; năm chưa kết thúc." + trend_note


@dataclass
class TargetStatus:
    target: object
    source: Source | None = None
    unit: Unit | None = None
    year: int | None = None
    reading: Reading = EMPTY
    value: Decimal | None = None  # what is compared: the level, or the achieved reduction
    baseline: Decimal | None = None
    gap: Decimal | None = None
    trend: list[tuple[str, str, Decimal | None]] = field(default_factory=list)
    status: str = UNBOUND
    why: str = ""
    visible: bool = True
    suggestion: Suggestion | None = None
    value_key: str = ""  # the period of the current value (for the drill-down link)
    keys: list[str] = field(default_factory=list)
    rule: Rule | None = None

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def value_label(self) -> str:
        if self.source is None:
            return "—"
        return format_value(self.source, self.reading.value)

    @property
    def compared_label(self) -> str:
        """What is compared, when it is not the value itself (a reduction)."""
        if self.baseline is None:
            return ""
        return f"giảm {format_number(self.value)}% so với {format_value(self.source, self.baseline)} năm {self.year - 1}"

    @property
    def gap_label(self) -> str:
        if self.gap is None:
            return "—"
        word = "Vượt" if self.gap > 0 else ("Bằng chỉ tiêu" if self.gap == 0 else "Thiếu")
        return word if self.gap == 0 else f"{word} {format_number(abs(self.gap))}"


def target_year(target, plan, today: dt.date) -> int:
    if target.year:
        return target.year
    if plan.from_year == plan.to_year:
        return plan.from_year
    return min(max(today.year, plan.from_year), plan.to_year)


def _months(year: int, today: dt.date) -> tuple[list[str], int]:
    """Month keys of the year so far and how many of them are complete."""
    if year > today.year:
        return [], 0
    last = 12 if year < today.year else today.month
    complete = 12 if year < today.year else today.month - 1
    return [f"{year}-{m:02d}" for m in range(1, last + 1)], complete


def _keys(source: Source, year: int, relative: bool, today: dt.date) -> list[str]:
    if source.cadence == REPORTING:
        keys = [f"BC-{year}-{w}" for w, _ in MANUAL_WINDOWS]
        return keys + ([f"BC-{year - 1}-Y"] if relative else [])
    months, _ = _months(year, today)
    return [str(year), *months] + ([str(year - 1)] if relative else [])


def _fill(st: TargetStatus, got: dict[str, Reading], rule: Rule, today: dt.date) -> None:
    target, source, year = st.target, st.source, st.year
    if source.cadence == REPORTING:
        windows = [(f"BC-{year}-{w}", label) for w, label in MANUAL_WINDOWS]
        st.trend = [(k, label, got.get(k, EMPTY).value) for k, label in windows]
        reported = [(k, got[k]) for k, _ in reversed(windows) if got.get(k, EMPTY).value is not None]
        st.value_key, st.reading = reported[0] if reported else (f"BC-{year}-Y", EMPTY)
        complete = [v for _, _, v in st.trend if v is not None]
        prev_key = f"BC-{year - 1}-Y"
    else:
        months, n_complete = _months(year, today)
        st.trend = [(k, f"T{int(k[-2:])}", got.get(k, EMPTY).value) for k in months]
        st.value_key, st.reading = str(year), got.get(str(year), EMPTY)
        complete = [v for _, _, v in st.trend[:n_complete]]
        prev_key = str(year - 1)
    final = today.year > year
    if year > today.year:
        st.status, st.why = NO_DATA, f"Năm {year} chưa bắt đầu."
        return
    st.value = st.reading.value
    if rule.relative:
        st.baseline = got.get(prev_key, EMPTY).value
        if st.baseline in (None, Decimal(0)) or st.value is None:
            st.status, st.why = NO_DATA, f"Chưa có số liệu năm {year - 1} (hoặc năm {year}) để tính mức giảm."
            st.value = None
            return
        st.value = ((st.baseline - st.value) / st.baseline * 100).quantize(Decimal("0.01"))
    percent = source.is_percent or rule.relative
    st.status, st.gap, st.why = evaluate(
        value=st.value, goal=target.value, rule=rule, final=final, trend=complete, percent=percent
    )
    if st.status == NO_DATA:
        st.why = f"Chưa có số liệu năm {year}."


def target_statuses(plan, targets, *, user: Actor, today: dt.date) -> list[TargetStatus]:
    """The status of each target of ``plan``, every figure asked of its source in one batch
    (`indicator_sources.readings_many`: the dossier figures cost one query per measured unit).
    Figures of a unit the user may not read are not computed (``visible`` False); ``SYSTEM``
    reads every unit."""
    access = None if user is SYSTEM else Access.for_user(user)
    out: list[TargetStatus] = []
    for target in targets:
        st = TargetStatus(target)
        out.append(st)
        binding = binding_of(target)
        if not binding.indicator:
            st.suggestion = suggest_target(target)
            continue
        st.unit = binding.measured_unit or plan.issuer
        try:
            st.source = indicator_sources.source_of(binding.indicator, st.unit)
        except ServiceError:  # a code stored before its source changed: say so, do not fail the page
            st.status, st.why = NO_DATA, f"Mã chỉ số “{binding.indicator}” không còn hợp lệ; cần gắn lại."
            continue
        st.year = target_year(target, plan, today)
        st.visible = access is None or access.can_read_unit(st.unit)
        if not st.visible:
            st.status, st.why = NO_DATA, "Số liệu của đơn vị này ngoài phạm vi được xem của bạn."
            continue
        st.rule = Rule.of(target.comparator, target.reduction, st.source.higher_is_better)
        st.keys = _keys(st.source, st.year, st.rule.relative, today)
    wanted = [st for st in out if st.source is not None and st.visible]
    by_family: dict[str, list[TargetStatus]] = defaultdict(list)
    for st in wanted:
        by_family[st.source.family].append(st)
    for family_statuses in by_family.values():
        try:
            got = indicator_sources.readings_many(
                (st.source.code, st.unit, st.keys) for st in family_statuses
            )
        except SourceUnavailable as exc:  # one family down does not take the page with it
            for st in family_statuses:
                st.status, st.why = NO_DATA, str(exc)
            continue
        for st, readings in zip(family_statuses, got, strict=True):
            _fill(st, readings, st.rule, today)
    return out


def target_status(target, *, user: Actor, today: dt.date) -> TargetStatus:
    return target_statuses(target.plan, [target], user=user, today=today)[0]


def goal_text(target) -> str:
    """ "≥ 95%" — the comparator as a symbol, for compact tables."""
    v = target.value
    value = format_number(int(v), 0) if v == v.to_integral() else format_number(v)
    unit = "%" if target.unit_of_measure == "%" else f" {target.unit_of_measure}"
    prefix = "giảm " if target.reduction else ""
    return f"{prefix}{SYMBOLS.get(target.comparator, target.comparator)} {value}{unit}".strip()
