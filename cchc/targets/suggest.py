"""Which indicator measures a plan target, suggested from its text (a person confirms it).

    suggest("Trên 95% hồ sơ TTHC … được giải quyết đúng hạn", 95)
        → Suggestion(code="dung_han", phrase="đúng hạn")

Matching is on folded text (`cchc.core.text.fold`: NFC, lower case, no diacritics), so "Số hoá",
"số hóa" and "SỐ HÓA" are the same. A target sentence often holds several numbers ("đúng hạn đạt
96%, mức độ hài lòng … đạt 92%"), so the text is read around the target's own number, the
*anchor*:

1. the anchor is an occurrence of the target value (followed by "%" when it is a percentage);
   when the value occurs more than once, the one whose lead-in agrees with the comparator is
   taken ("đạt 100%" for ≥, a bare "100%" for =);
2. the *clause* is the part between ";" or sentence ends that holds the anchor, the *segment*
   the part of the clause between commas;
3. phrases of `RULES` are looked for in the clause; "xin lỗi" wins over everything else (an
   apology target always names late dossiers too); otherwise the phrase in the anchor's segment
   nearest to the anchor, else the nearest in the clause;
4. the *subject* — what the number counts — must be something the indicator counts: the words
   just after the number ("95% hồ sơ", "100% thủ tục hành chính", "80% người dân"), or, when the
   number closes its phrase ("… đạt 96%"), the first subject word before it ("Tỷ lệ giải quyết
   hồ sơ đúng hạn"). The dossier indicators count dossiers, so a share of *procedures* ("80%
   thủ tục hành chính được cung cấp trực tuyến", "dịch vụ công trực tuyến toàn trình"), of
   feedback (phản ánh, kiến nghị — a 766 item, not a dossier figure), of work files ("hồ sơ công
   việc"), or a ranking, or a yearly increase ("mỗi năm tăng 20%") gets no suggestion — with
   the reason, so that the person can bind a manual indicator instead.

"Trực tuyến" is decided by that subject: a share of dossiers submitted online → `truc_tuyen`;
procedures offered online (toàn trình, mức độ 3/4) are not a dossier figure → no suggestion.
"Quá hạn" / "trễ hạn" → `tre_han`, the late share (100 − on-time share, computed from the same
measures), so that "giảm tỷ lệ hồ sơ quá hạn" is a reduction of a real figure.

When no rule fits, `suggest_target` looks among the manual indicators the plan's issuer may use
(`cchc.core.indicator_sources`, the providers `named_by_people`) for one whose name the target's text all but repeats ("100%
văn bản, hồ sơ công việc được xử lý trên môi trường điện tử" ↔ "Tỷ lệ văn bản, hồ sơ công việc
được xử lý trên môi trường điện tử"): rapidfuzz's token-set ratio of the folded texts, without
the name's lead words ("tỷ lệ", "số"), at least `MANUAL_SIMILARITY`. The bar is high on purpose:
a near-miss name ("văn bản được ký số") is a different figure, and a wrong suggestion costs the
person more than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rapidfuzz import fuzz

from cchc.core import indicator_sources
from cchc.core.text import fold

# subjects: what a number counts
DOSSIER, PROCEDURE, PEOPLE, RESULT, TIME, FEEDBACK, OTHER, UNKNOWN = (
    "dossier",
    "procedure",
    "people",
    "result",
    "time",
    "feedback",
    "other",
    "unknown",
)
SUBJECT_LABELS = {
    PROCEDURE: "số thủ tục hành chính (dịch vụ công), không phải số hồ sơ",
    PEOPLE: "số người dân, tổ chức",
    RESULT: "số kết quả giải quyết",
    TIME: "thời gian",
    FEEDBACK: "phản ánh, kiến nghị",
    OTHER: "đối tượng khác hồ sơ thủ tục hành chính",
}


@dataclass(frozen=True)
class Rule:
    code: str
    phrase: str  # shown to people: "khớp cụm 'đúng hạn'"
    pattern: re.Pattern
    subjects: frozenset[str]
    dominant: bool = False


def _rule(code, phrase, pattern, subjects, dominant=False) -> Rule:
    return Rule(code, phrase, re.compile(pattern), frozenset(subjects), dominant)


_DOSSIERS = {DOSSIER, UNKNOWN}
RULES: tuple[Rule, ...] = (
    _rule("qua_han_co_xin_loi", "xin lỗi", r"\bxin loi\b", _DOSSIERS, dominant=True),
    _rule("dung_han", "đúng hạn", r"\bdung (?:thoi )?(?:han|hen)\b", _DOSSIERS),
    _rule("dung_han", "trước hạn", r"\btruoc (?:thoi )?han\b", _DOSSIERS),
    _rule("tre_han", "quá hạn", r"\bqua (?:thoi )?han\b", _DOSSIERS),
    _rule("tre_han", "trễ hạn", r"\b(?:tre|cham) (?:han|hen)\b", _DOSSIERS),
    _rule(
        "thanh_toan_truc_tuyen",
        "thanh toán trực tuyến",
        r"\bthanh toan (?:truc tuyen|dien tu|khong dung tien mat)\b",
        _DOSSIERS,
    ),
    _rule("truc_tuyen", "trực tuyến", r"\btruc tuyen\b", _DOSSIERS),
    _rule("buu_chinh", "bưu chính", r"\bbuu chinh\b", _DOSSIERS),
    _rule("so_hoa", "số hóa", r"\bso hoa\b", {DOSSIER, RESULT, UNKNOWN}),
    _rule("tai_su_dung", "tái sử dụng", r"\btai su dung\b", {DOSSIER, PEOPLE, UNKNOWN}),
    _rule(
        "tai_su_dung",
        "không phải cung cấp lại",
        r"\bkhong (?:phai )?(?:cung cap|khai bao|nop) lai\b",
        {DOSSIER, PEOPLE, UNKNOWN},
    ),
    _rule(
        "ket_qua_dien_tu",
        "kết quả điện tử",
        r"\bket qua (?:giai quyet )?(?:ban )?dien tu\b|\b(?:ban sao|cap ban) dien tu\b",
        {DOSSIER, RESULT, UNKNOWN},
    ),
    _rule("hai_long", "hài lòng", r"\bhai long\b", {DOSSIER, PEOPLE, UNKNOWN}),
    _rule(
        "tg_giai_quyet_tb",
        "thời gian giải quyết",
        r"\bthoi gian (?:giai quyet|xu ly)\b",
        {DOSSIER, TIME, UNKNOWN},
    ),
    _rule(
        "766",
        "Bộ chỉ số phục vụ (766)",
        r"\bchi so (?:phuc vu|766)\b|\b766\b",
        {DOSSIER, PROCEDURE, PEOPLE, RESULT, TIME, OTHER, UNKNOWN},
    ),
)

# subject words (folded), in the order they are tried at one position
_SUBJECT_WORDS: tuple[tuple[str, str], ...] = (
    (r"ho so (?:cong viec|can bo|cong chuc|vien chuc|ccvc|mau)\b", OTHER),
    (r"ho so\b", DOSSIER),
    (r"giao dich\b", DOSSIER),
    (r"(?:thu tuc|tthc|dich vu cong|dvc|bo tthc)\b", PROCEDURE),
    (r"(?:phan anh|kien nghi|pakn)\b", FEEDBACK),
    (r"(?:nguoi dan|doanh nghiep|cong dan|ca nhan|to chuc)\b", PEOPLE),
    (r"ket qua\b", RESULT),
    (r"thoi gian\b", TIME),
)
_SUBJECT_ANYWHERE = re.compile("|".join(rf"\b(?:{p})" for p, _ in _SUBJECT_WORDS))
_FILLER = {"cac", "so", "tong", "tro", "len", "xuong", "nhung", "moi", "toan", "bo", "ty", "le"}
# a word after the number that closes the phrase: the subject was named before the number
_CLOSERS = {
    "tren", "de", "nham", "va", "cho", "trong", "vao", "tai", "theo", "doi", "voi", "tu",
    "den", "khi", "o", "ma", "nam", "diem", "ngay", "gio", "lan",
}  # fmt: skip
_CMP_WORDS = re.compile(
    r"\b(?:toi thieu|it nhat|khong duoi|khong it hon|khong thap hon|khong qua|toi da|tren|duoi|dat|tu)\b"
)
_RANK = re.compile(r"\b(?:nhom|top|xep hang|xep thu|thu hang|dung thu)\b")
# "mỗi năm tăng (thêm) tối thiểu 20%" is an increment; "tăng lên 98%" is a level
_INCREASE = re.compile(r"\btang(?: them)?(?: (?:toi thieu|it nhat|khoang|binh quan))?$")
_SIPAS = re.compile(r"\bsipas\b|\bchi so hai long\b")
_CLAUSE_END = re.compile(r";|\.(?=\s|$)|\n")


@dataclass(frozen=True)
class Suggestion:
    """``code`` None means no indicator fits; ``phrase`` what was found, ``reason`` why not."""

    code: str | None
    phrase: str = ""
    reason: str = ""


NONE = Suggestion(None)


def _value_text(value) -> tuple[str, str] | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    whole, _, frac = format(number.normalize(), "f").partition(".")
    return whole.lstrip("0") or "0", frac


def _anchors(text: str, value, comparator: str, percent: bool) -> list[re.Match]:
    parts = _value_text(value) if value is not None else None
    if parts is None:
        return []
    whole, frac = parts
    tail = rf"[.,]{frac}0*" if frac else r"(?:[.,]0+)?"
    found = list(re.finditer(rf"(?<![\d.,/\-])0*{whole}{tail}(?![\d/])(?:\s*%)?", text))
    if percent and any(m.group().endswith("%") for m in found):
        found = [m for m in found if m.group().endswith("%")]
    if len(found) > 1:
        # the occurrence whose lead-in says the same as the comparator ("đạt 100%" is ≥)
        def agrees(m: re.Match) -> bool:
            start = _clause_bounds(text, m.start())[0]
            lead = " ".join(text[start : m.start()].split()[-6:])
            return bool(_CMP_WORDS.search(lead)) == (comparator not in ("", "="))

        found.sort(key=lambda m: not agrees(m))
    return found


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in _CLAUSE_END.finditer(text):
        if m.end() <= pos:
            start = m.end()
        else:
            return start, m.start()
    return start, len(text)


def _segment_bounds(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    start = text.rfind(",", lo, pos) + 1 or lo
    end = text.find(",", pos, hi)
    return max(start, lo), (end if end != -1 else hi)


def _matches(text: str, lo: int, hi: int) -> list[tuple[int, int, Rule]]:
    """Rule matches inside [lo, hi), a match inside a longer one dropped ("trực tuyến" inside
    "thanh toán trực tuyến")."""
    found = [(m.start(), m.end(), r) for r in RULES for m in r.pattern.finditer(text, lo, hi)]
    found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    kept: list[tuple[int, int, Rule]] = []
    for start, end, rule in found:
        if any(s <= start and end <= e for s, e, _ in kept):
            continue
        kept.append((start, end, rule))
    return kept


def _subject_after(text: str, pos: int, hi: int) -> str | None:
    """What the words right after the number count; None when the number closes its phrase."""
    rest = text[pos:hi]
    words = rest.split()
    i = 0
    while i < len(words) and words[i].strip(",:()") in _FILLER:
        i += 1
    if i >= len(words) or not words[i][:1].isalpha():
        return None
    first = words[i].strip(",:()")
    if first in _CLOSERS:
        return None
    phrase = " ".join(words[i : i + 4])
    for pattern, subject in _SUBJECT_WORDS:
        if re.match(pattern, phrase):
            return subject
    return OTHER


def _subject_before(text: str, lo: int, pos: int) -> str:
    m = _SUBJECT_ANYWHERE.search(text, lo, pos)
    if m is None:
        return UNKNOWN
    return next(s for p, s in _SUBJECT_WORDS if re.match(p, m.group()))


def suggest(text: str, value=None, *, comparator: str = "", unit_of_measure: str = "%") -> Suggestion:
    """The indicator a target's text speaks of, read around its value (see the module rules)."""
    folded = fold(text)
    if not folded:
        return NONE
    anchors = _anchors(folded, value, comparator, unit_of_measure == "%")
    anchor = anchors[0] if anchors else None
    pos = anchor.start() if anchor else 0
    lo, hi = _clause_bounds(folded, pos) if anchor else (0, len(folded))
    found = _matches(folded, lo, hi)
    if not found:
        return NONE
    if anchor is None:
        start, end, rule = next((m for m in found if m[2].dominant), found[0])
        return Suggestion(rule.code, rule.phrase)
    seg_lo, seg_hi = _segment_bounds(folded, pos, lo, hi)

    def distance(m: tuple[int, int, Rule]) -> tuple[int, int]:
        start, end, _ = m
        if end <= pos:
            return pos - end, 0
        return max(0, start - anchor.end()), 1

    dominant = [m for m in found if m[2].dominant]
    in_segment = [m for m in found if seg_lo <= m[0] and m[1] <= seg_hi]
    start, end, rule = min(dominant or in_segment or found, key=distance)

    lead = " ".join(folded[lo : anchor.start()].split()[-4:])
    if _RANK.search(lead):
        return Suggestion(None, rule.phrase, "Chỉ tiêu là thứ hạng, không phải giá trị của chỉ số.")
    if _INCREASE.search(lead):
        return Suggestion(
            None, rule.phrase, "Chỉ tiêu là mức tăng hằng năm, không so trực tiếp được với giá trị chỉ số."
        )
    # the stretch the number and the phrase share, for the subject and the blockers
    span_lo = min(_segment_bounds(folded, start, lo, hi)[0], seg_lo)
    span_hi = max(seg_hi, end)
    span = folded[span_lo:span_hi]
    subject = _subject_after(folded, anchor.end(), hi) or _subject_before(folded, span_lo, anchor.start())
    if subject == FEEDBACK or re.search(r"\b(?:phan anh|kien nghi|pakn)\b", span):
        return Suggestion(None, rule.phrase, "Chỉ tiêu nói về phản ánh, kiến nghị, không phải hồ sơ TTHC.")
    if rule.code == "hai_long" and _SIPAS.search(span):
        return Suggestion(
            None, rule.phrase, "Chỉ số hài lòng SIPAS là điều tra xã hội học, không tính từ đánh giá hồ sơ."
        )
    if subject not in rule.subjects:
        return Suggestion(None, rule.phrase, f"Con số của chỉ tiêu đếm {SUBJECT_LABELS[subject]}.")
    return Suggestion(rule.code, rule.phrase)


MANUAL_SIMILARITY = 85  # token-set ratio, 0–100 (see the module docstring)
_MANUAL_LEAD = re.compile(r"^(?:ty le|so luong|so)\s+")


def suggest_by_name(text: str, candidates: list[tuple[str, str]]) -> Suggestion:
    """The (code, name) candidate whose name the text all but repeats, or NONE."""
    folded = fold(text)
    best: tuple[float, tuple[str, str]] | None = None
    for code, name in candidates:
        score = fuzz.token_set_ratio(folded, _MANUAL_LEAD.sub("", fold(name)))
        if score >= MANUAL_SIMILARITY and (best is None or score > best[0]):
            best = (score, (code, name))
    if best is None:
        return NONE
    return Suggestion(*best[1])


def suggest_target(target) -> Suggestion:
    """`suggest` for a `cchc.plans.models.Target`, else the closest manual indicator."""
    found = suggest(
        target.text,
        target.value,
        comparator=target.comparator,
        unit_of_measure=target.unit_of_measure,
    )
    if found.code:
        return found
    named = suggest_by_name(target.text, _named_indicators(target.plan))
    return named if named.code else found


def _named_indicators(plan) -> list[tuple[str, str]]:
    """The indicators people defined (the sources registered as `named_by_people`, such as the
    manual indicators) that the plan's issuer may use, read once per plan object: a plan's
    targets loaded through ``plan.targets`` share it, so a page of targets costs one query."""
    cached = getattr(plan, "_named_indicators", None)
    if cached is None:
        cached = [
            choice
            for provider in indicator_sources.providers
            if getattr(provider, "named_by_people", False)
            for choice in provider.choices(plan.issuer)
        ]
        plan._named_indicators = cached
    return cached
