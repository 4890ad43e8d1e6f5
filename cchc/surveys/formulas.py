"""The arithmetic of satisfaction surveys, exactly as docs/specs/survey-results.md fixes it — pure
Python, no database, so that `cchc survey results` (files) and the results pages (database) run
the very same functions and cannot disagree.

    questionnaire = build_questionnaire(rows)          # rows: (line, {"ma_cau": …, …})
    answers, bad = check_responses(questionnaire, rows)  # bad rows are reported, the rest counts
    results = compute_results(questionnaire, answers)   # [UnitResult], units in code order

Rates and means are computed exactly (integer fractions) and rounded half-up once at the end;
the margin of error, a square root, in 40-digit decimals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

SCALE = "thang_5"
CHOICE = "lua_chon"
TEXT = "van_ban"
KINDS = (SCALE, CHOICE, TEXT)
TOTAL = "TONG"
SATISFIED_FROM = 4  # 4 (satisfied) and 5 (very satisfied) count as satisfied
Z95 = Decimal("1.96")
CENT = Decimal("0.01")

QUESTION_COLUMNS = ("ma_cau", "yeu_to", "loai")
RESPONSE_COLUMNS = ("ma_phieu", "ma_don_vi", "ma_cau", "gia_tri")
RESULT_COLUMNS = ("ma_don_vi", "yeu_to", "so_cau_tra_loi", "ty_le_hai_long", "diem_trung_binh", "sai_so")
_CODE = re.compile(r"[\w.\-]{1,40}")

Row = Mapping[str, str]


@dataclass(frozen=True)
class SurveyError:
    line: int
    reason: str


class SurveyErrors(ValueError):
    """Every error found in one file, each with its line (1 = the header)."""

    def __init__(self, errors: list[SurveyError]) -> None:
        super().__init__("; ".join(f"dòng {e.line}: {e.reason}" for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Question:
    code: str
    element: str
    kind: str
    line: int = 0


@dataclass(frozen=True)
class Questionnaire:
    questions: dict[str, Question]

    @property
    def elements(self) -> list[str]:
        """The elements that have at least one 1–5 question, in code order."""
        return sorted({q.element for q in self.questions.values() if q.kind == SCALE}, key=element_key)


def element_key(code: str) -> tuple[int, int, str]:
    """Element order: numeric codes by number (2 < 10), then the others by text."""
    return (0, int(code), code) if code.isdigit() else (1, 0, code)


def build_questionnaire(rows: Iterable[tuple[int, Row]]) -> Questionnaire:
    """Check a questionnaire's rows and build it; raise `SurveyErrors` with every error."""
    errors: list[SurveyError] = []
    questions: dict[str, Question] = {}
    for line, row in rows:
        code = (row.get("ma_cau") or "").strip()
        element = (row.get("yeu_to") or "").strip()
        kind = (row.get("loai") or "").strip().lower()
        if not code:
            errors.append(SurveyError(line, "thiếu mã câu hỏi (cột ma_cau)."))
            continue
        if not _CODE.fullmatch(code):
            errors.append(SurveyError(line, f"mã câu hỏi “{code}” không hợp lệ (chữ, số, dấu chấm, gạch)."))
            continue
        if code in questions:
            errors.append(SurveyError(line, f"mã câu hỏi “{code}” trùng với dòng {questions[code].line}."))
            continue
        if kind not in KINDS:
            errors.append(
                SurveyError(line, f"loại câu hỏi “{kind}” không hợp lệ (dùng: {', '.join(KINDS)}).")
            )
            continue
        if kind == SCALE and not element:
            errors.append(SurveyError(line, f"câu hỏi thang điểm “{code}” thiếu yếu tố (cột yeu_to)."))
            continue
        if element and (element.upper() == TOTAL or not _CODE.fullmatch(element)):
            errors.append(SurveyError(line, f"mã yếu tố “{element}” không hợp lệ."))
            continue
        questions[code] = Question(code, element, kind, line)
    if errors:
        raise SurveyErrors(errors)
    return Questionnaire(questions)


# --- responses -------------------------------------------------------------------------------


@dataclass
class Answers:
    """The counted answers: unit code → element code → the 1–5 answers (in file order)."""

    by_unit: dict[str, dict[str, list[int]]] = field(default_factory=dict)

    def add_unit(self, unit: str) -> dict[str, list[int]]:
        return self.by_unit.setdefault(unit, {})

    def add(self, unit: str, element: str, value: int) -> None:
        self.add_unit(unit).setdefault(element, []).append(value)


def scale_value(text: str) -> int | None:
    """A 1–5 answer as written: "1"…"5" (surrounding blanks allowed); None for empty (not
    answered); ValueError for anything else."""
    raw = (text or "").strip()
    if not raw:
        return None
    if raw not in ("1", "2", "3", "4", "5"):
        raise ValueError(raw)
    return int(raw)


def check_responses(
    questionnaire: Questionnaire, rows: Iterable[tuple[int, Row]], *, strict: bool = False
) -> tuple[Answers, list[SurveyError]]:
    """The good rows' answers and the bad rows (each with its reason). With ``strict`` the first
    bad row raises `SurveyErrors` at once."""
    answers = Answers()
    bad: list[SurveyError] = []
    unit_of: dict[str, tuple[str, int]] = {}  # response → (unit, line of its first good row)
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        reason = _row_problem(questionnaire, row, unit_of, seen)
        if reason:
            bad.append(SurveyError(line, reason))
            if strict:
                raise SurveyErrors(bad)
            continue
        form = row["ma_phieu"].strip()
        code = row["ma_cau"].strip()
        unit = row["ma_don_vi"].strip()
        unit_of.setdefault(form, (unit, line))
        seen[form, code] = line
        answers.add_unit(unit)
        question = questionnaire.questions[code]
        value = scale_value(row.get("gia_tri") or "") if question.kind == SCALE else None
        if value is not None:
            answers.add(unit, question.element, value)
    return answers, bad


def _row_problem(
    questionnaire: Questionnaire,
    row: Row,
    unit_of: Mapping[str, tuple[str, int]],
    seen: Mapping[tuple[str, str], int],
) -> str:
    form = (row.get("ma_phieu") or "").strip()
    unit = (row.get("ma_don_vi") or "").strip()
    code = (row.get("ma_cau") or "").strip()
    if not form:
        return "thiếu mã phiếu (cột ma_phieu)."
    if not unit:
        return "thiếu mã đơn vị (cột ma_don_vi)."
    question = questionnaire.questions.get(code)
    if question is None:
        return f"câu hỏi “{code}” không có trong bộ câu hỏi."
    if question.kind == SCALE:
        try:
            scale_value(row.get("gia_tri") or "")
        except ValueError as exc:
            return f"câu “{code}”: giá trị “{exc}” không phải số nguyên từ 1 đến 5."
    if (form, code) in seen:
        return f"phiếu “{form}” trả lời câu “{code}” lần thứ hai (lần đầu ở dòng {seen[form, code]})."
    first = unit_of.get(form)
    if first is not None and first[0] != unit:
        return f"phiếu “{form}” ghi đơn vị “{unit}” nhưng dòng {first[1]} ghi “{first[0]}”."
    return ""


# --- figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One element (or the TONG row) of one unit. Rates in percent, rounded; None when n = 0.
    ``satisfied`` and ``score_sum`` are the exact counts (for TONG: summed over the elements)."""

    element: str
    n: int
    satisfied: int  # answers ≥ 4
    rate: Decimal | None
    mean: Decimal | None
    margin: Decimal | None
    score_sum: int = 0


@dataclass(frozen=True)
class UnitResult:
    unit: str
    elements: tuple[Figure, ...]
    total: Figure


def half_up(numerator: int, denominator: int) -> Decimal:
    """numerator/denominator (both ≥ 0, in hundredths) rounded half-up to a whole number of
    hundredths, exactly — integers only, so a tie is a tie."""
    return Decimal((2 * numerator + denominator) // (2 * denominator)).scaleb(-2)


@lru_cache(maxsize=65536)
def margin_of_error(satisfied: int, n: int) -> Decimal:
    """100 × 1.96 × √(p(1 − p)/n), p = satisfied/n, in percentage points, rounded half-up."""
    with localcontext() as context:
        context.prec = 40
        variance = Decimal(satisfied * (n - satisfied)) / Decimal(n) ** 3
        value = 100 * Z95 * variance.sqrt()
    return value.quantize(CENT, ROUND_HALF_UP)


def _figure(element: str, n: int, satisfied: int, score_sum: int) -> Figure:
    if not n:
        return Figure(element, 0, 0, None, None, None)
    return Figure(
        element,
        n,
        satisfied,
        half_up(10_000 * satisfied, n),  # 100 × satisfied/n, in hundredths
        half_up(100 * score_sum, n),
        margin_of_error(satisfied, n),
        score_sum,
    )


def element_figure(element: str, values: Iterable[int]) -> Figure:
    values = list(values)
    return _figure(element, len(values), sum(1 for v in values if v >= SATISFIED_FROM), sum(values))


def element_figure_from_counts(element: str, counts: Mapping[int, int]) -> Figure:
    """The same figure from counts per answer (1–5 → how many), as a database aggregate gives."""
    return _figure(
        element,
        sum(counts.values()),
        sum(c for v, c in counts.items() if v >= SATISFIED_FROM),
        sum(v * c for v, c in counts.items()),
    )


def _sum_of_ratios(pairs: Iterable[tuple[int, int]]) -> tuple[int, int]:
    """Σ a/b as one exact fraction (numerator, denominator), integers only."""
    numerator, denominator = 0, 1
    for a, b in pairs:
        numerator, denominator = numerator * b + a * denominator, denominator * b
    return numerator, denominator


def total_figure(figures: Iterable[Figure]) -> Figure:
    """TONG: n summed; rate and mean the plain means of the elements' unrounded values over the
    elements with n > 0 (each element weighs the same); no margin."""
    figures = list(figures)
    counted = [f for f in figures if f.n]
    n = sum(f.n for f in figures)
    satisfied = sum(f.satisfied for f in figures)
    score_sum = sum(f.score_sum for f in figures)
    if not counted:
        return Figure(TOTAL, n, satisfied, None, None, None, score_sum)
    k = len(counted)
    rates_num, rates_den = _sum_of_ratios((f.satisfied, f.n) for f in counted)
    means_num, means_den = _sum_of_ratios((f.score_sum, f.n) for f in counted)
    return Figure(
        TOTAL,
        n,
        satisfied,
        half_up(10_000 * rates_num, k * rates_den),
        half_up(100 * means_num, k * means_den),
        None,
        score_sum,
    )


def unit_result(unit: str, elements: Iterable[str], figures: Mapping[str, Figure]) -> UnitResult:
    rows = tuple(figures.get(e) or Figure(e, 0, 0, None, None, None) for e in elements)
    return UnitResult(unit, rows, total_figure(rows))


def compute_results(questionnaire: Questionnaire, answers: Answers) -> list[UnitResult]:
    """Every unit with a response, in code order, its elements in code order."""
    elements = questionnaire.elements
    return [
        unit_result(
            unit, elements, {e: element_figure(e, answers.by_unit[unit].get(e, ())) for e in elements}
        )
        for unit in sorted(answers.by_unit)
    ]


def format_figure(value: Decimal | None) -> str:
    """Two decimals and a dot, as the files write them ("85.71", "100.00"); "" for none."""
    return "" if value is None else f"{value.quantize(CENT, ROUND_HALF_UP):f}"


def result_rows(results: Iterable[UnitResult]) -> list[dict[str, str]]:
    """The rows of results.csv: per unit, one row per element then the TONG row."""
    rows: list[dict[str, str]] = []
    for r in results:
        for f in (*r.elements, r.total):
            rows.append(
                {
                    "ma_don_vi": r.unit,
                    "yeu_to": f.element,
                    "so_cau_tra_loi": str(f.n),
                    "ty_le_hai_long": format_figure(f.rate),
                    "diem_trung_binh": format_figure(f.mean),
                    "sai_so": format_figure(f.margin),
                }
            )
    return rows
