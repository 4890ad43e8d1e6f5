"""Quantified goals: one target per number, with its comparator, unit and year.

The text of a target is the sentence (or bullet item) that holds the number, without its list
marker and without a trailing ";" or ",". Comparators, read in the few words before the number
(within its clause) and just after it:

  tối thiểu, ít nhất, không dưới, không thấp hơn, đạt, từ … trở lên  → ">="
  trên → ">"      dưới → "<"      không quá, tối đa, trở xuống, nằm trong nhóm/top → "<="
  a bare number → "="             "giảm …" → the same, plus "reduction": true

A percentage is always a target; another number only with a comparator before it and a unit
after it ("tối thiểu 02 cuộc/năm", "nằm trong nhóm 30 tỉnh, thành phố").
"""

from __future__ import annotations

import re

from .model import ImportedTarget
from .vocab import area_of_text

_PCT = re.compile(r"(?<![\w/.,])(\d{1,3}(?:[.,]\d{1,2})?)\s*%")
_WORD = r"[^\W\d_][\w]*"
_COUNT = re.compile(
    r"(?i)(?P<cmp>tối thiểu|ít nhất|không dưới|không ít hơn|không thấp hơn|không quá|trên|dưới|đạt|"
    r"(?:(?:nằm trong|trong|thuộc)\s+)?(?:nhóm|top)|từ)\s+(?P<num>\d{1,4}(?:[.,]\d{1,2})?)\s+"
    r"(?P<unit>" + _WORD + r"(?:/" + _WORD + r")?)"
)
_UNIT_STOP = set(
    "được có trở đạt thực tham trong của về tại trên theo so hoàn phải đã sẽ và hoặc là để với "
    "cho từ đến không mỗi hàng trở lên".split()
)
_ADMIN_PAIR = re.compile(r",\s*(thành phố|phường|thị trấn|đặc khu|thị xã|huyện|xã|tỉnh)\b")
_REDUCTION = re.compile(r"\bgiảm\b(?!\s+(sát|định|đốc|thiểu hóa))")
_AT_LEAST = re.compile(r"tối thiểu|ít nhất|không dưới|không thấp hơn|không ít hơn")
_REACH = re.compile(r"\bđạt:?(?: (?:mức|tỷ lệ|tỉ lệ))?$")
_SIGN = {"≥": ">=", ">=": ">=", "≤": "<=", "<=": "<=", ">": ">", "<": "<"}
_EACH_YEAR = re.compile(r"mỗi năm|hàng năm|hằng năm|từng năm")
_YEAR = re.compile(r"(?i)\bnăm\s+(20\d\d)\b")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=\S)")
_ITEM_BREAK = re.compile(r"(?:^|;)\s*[-+•]\s+")
_LEAD_MARK = re.compile(r"^\s*(?:[-+•*–]|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\))\s+")
_ABBREV = re.compile(r"(?:\b(?:TP|Tp|TS|ThS|PGS|GS|KS|BS|v\.v|St|Q)|\b[A-ZĐ])\.$")


def units(text: str) -> list[str]:
    """Sentences, then bullet items inside them ("…; - Tỷ lệ … 100%")."""
    out = []
    start = 0
    pieces = []
    for m in _SENTENCE_END.finditer(text):
        nxt = text[m.end() : m.end() + 1]
        if not (nxt.isupper() or nxt.isdigit() or nxt in '-+•“"('):
            continue
        if _ABBREV.search(text[max(0, m.start() - 6) : m.start() + 1]):
            continue
        pieces.append(text[start : m.start() + 1] if text[m.start()] in ".!?…" else text[start : m.start()])
        start = m.end()
    pieces.append(text[start:])
    for piece in pieces:
        parts = [p for p in _ITEM_BREAK.split(piece) if p.strip()]
        for p in parts:
            p = _LEAD_MARK.sub("", p.strip()).strip().rstrip(";, ").strip()
            if p:
                out.append(p)
    return out


def _value(num: str) -> int | float:
    v = float(num.replace(",", "."))
    return int(v) if v.is_integer() else v


def _comparator(before: str, after: str, word_cmp: str | None = None) -> tuple[str, bool]:
    """(comparator, reduction) from the words before the number (its clause) and just after."""
    window = before.lower()
    window = re.split(r"[;]", window)[-1]
    words = window.split()
    near = " ".join(words[-8:])
    last2 = " ".join(words[-2:])
    reduction = bool(_REDUCTION.search(near))
    after = after.lower()[:20]
    if word_cmp:
        w = word_cmp.lower()
        if w in ("trên",):
            return ">", reduction
        if w == "dưới":
            return "<", reduction
        if w in ("không quá",) or "nhóm" in w or "top" in w:
            return "<=", reduction
        return ">=", reduction
    sign = re.search(r"(≥|≤|>=|<=|>|<)\s*$", before)
    if sign:
        return _SIGN[sign.group(1)], reduction
    if re.match(r"\s*trở lên", after) or re.search(r"\btừ$", last2):
        return ">=", reduction
    if re.match(r"\s*trở xuống", after):
        return "<=", reduction
    if re.search(r"(không quá|tối đa)$", last2):
        return "<=", reduction
    if re.search(r"(?<!không )\btrên$", last2):
        return ">", reduction
    if re.search(r"(?<!không )\bdưới$", last2):
        return "<", reduction
    if re.search(r"(nằm trong|trong) (nhóm|top)$|\btop$", last2):
        return "<=", reduction
    if _AT_LEAST.search(near) or _REACH.search(" ".join(words[-3:])):
        # "đạt" right before the number ("đạt 90%"); "đạt cấp độ 4 và 90%" is a plain figure
        return ">=", reduction
    return "=", reduction


_NEXT_WORD = re.compile(r"\s+(" + _WORD + r"(?:/" + _WORD + r")?)")


def _count_unit(m: re.Match, text: str) -> str:
    """The unit after a counted number: "xã", "cuộc/năm", "tỉnh, thành phố"."""
    unit = m.group("unit")
    pos = m.end("unit")
    for _ in range(2):
        pair = _ADMIN_PAIR.match(text, pos)
        if pair:
            unit += ", " + pair.group(1)
            pos = pair.end()
            continue
        w = _NEXT_WORD.match(text, pos)
        if not w or w.group(1).lower() in _UNIT_STOP:
            break
        unit += " " + w.group(1)
        pos = w.end()
    return unit


def _numbers(text: str) -> list[tuple[int, int, int | float, str, str | None]]:
    """(start, end, value, unit, comparator words) of each quantified number in the text."""
    found = [(m.start(1), m.end(), _value(m.group(1)), "%", None) for m in _PCT.finditer(text)]
    percents = [f[0] for f in found]
    for m in _COUNT.finditer(text):
        num = m.group("num")
        before = [p for p in percents if p < m.start()]
        after = [p for p in percents if p > m.end()]
        if (before and not re.search(r"[;:]", text[before[-1] : m.start()])) or (
            after and not re.search(r"[;:]", text[m.end() : after[0]])
        ):
            # "100% cơ quan sử dụng ít nhất 01 ứng dụng", "tỷ lệ trẻ em dưới 15 tuổi đạt 22%":
            # a number in the same clause as a percentage says what the percentage counts
            continue
        value = _value(num)
        if "%" in text[m.end("num") : m.end("num") + 2]:
            continue
        if isinstance(value, int) and 1900 <= value <= 2100:
            continue
        unit = _count_unit(m, text)
        if unit.lower().split()[0] in _UNIT_STOP or unit.lower().split()[0] == "năm":
            continue
        cmp_words = m.group("cmp")
        if cmp_words.lower() == "từ" and "trở lên" not in text[m.end() : m.end() + 40]:
            continue
        found.append((m.start("num"), m.end("unit"), value, unit, cmp_words))
    return sorted(found)


def targets_in(
    text: str,
    *,
    section: str,
    area: str | None,
    year: int | None,
    plan_year: int | None,
    period: tuple[int, int] | None,
) -> list[ImportedTarget]:
    """Targets in a paragraph or a cell. `plan_year` is set for annual plans (every target is of
    that year); otherwise `year` is the context year ("Đến năm 2025:") and a year written in the
    sentence before the number wins, unless "mỗi năm"/"hàng năm" comes in between."""
    out: list[ImportedTarget] = []
    for unit in units(text):
        numbers = _numbers(unit)
        prev_end = 0
        for start, end, value, measure, cmp_words in numbers:
            comparator, reduction = _comparator(unit[prev_end:start], unit[end:], cmp_words)
            target_year = plan_year
            if plan_year is None:
                target_year = year
                head = unit[:start]
                years = [
                    (m.end(), int(m.group(1)))
                    for m in _YEAR.finditer(head)
                    if period is None or period[0] <= int(m.group(1)) <= period[1]
                ]
                since = years[-1][0] if years else 0
                if years:
                    target_year = years[-1][1]
                if _EACH_YEAR.search(head[since:].lower()):
                    target_year = None
            local = unit[max(0, start - 60) : min(len(unit), end + 80)]
            item: ImportedTarget = {
                "text": unit,
                "area": area or area_of_text(local) or area_of_text(unit),
                "comparator": comparator,
                "value": value,
                "unit": measure,
                "year": target_year,
                "section": section,
            }
            if reduction:
                item["reduction"] = True
            out.append(item)
            prev_end = end
    return out
