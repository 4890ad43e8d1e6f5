"""Precision and recall of an import against the expected structure.

A found task matches an expected one when their contents are equal after whitespace and NFC
normalisation, or when their fuzzy ratio (rapidfuzz) is at least 90. A found target matches
when its text is at least 90 similar and its value and comparator are equal. Each expected item
matches at most one found item (exact matches first, then the best fuzzy ones). For matched
pairs the agreement of the other fields is reported too.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

FUZZY = 90.0
TASK_FIELDS = ("stt", "group", "area", "lead", "coordinating", "deadline", "target", "output", "note")
TARGET_FIELDS = ("area", "unit", "year", "section")


def _norm(text) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).split())


@dataclass
class Score:
    found: int
    expected: int
    matched: int
    fields: dict[str, float] = field(default_factory=dict)  # share of matched pairs that agree
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


def _pairs(found: list[dict], expected: list[dict], key: str, same) -> list[tuple[int, int]]:
    used_f: set[int] = set()
    pairs = []
    fn = [_norm(f.get(key)) for f in found]
    en = [_norm(e.get(key)) for e in expected]
    # exact first
    for ei, e in enumerate(expected):
        for fi, f in enumerate(found):
            if fi not in used_f and fn[fi] == en[ei] and same(f, e):
                used_f.add(fi)
                pairs.append((fi, ei))
                break
    done_e = {ei for _, ei in pairs}
    candidates = []
    for ei, e in enumerate(expected):
        if ei in done_e:
            continue
        for fi, f in enumerate(found):
            if fi in used_f or not same(f, e):
                continue
            score = fuzz.ratio(fn[fi], en[ei])
            if score >= FUZZY:
                candidates.append((score, fi, ei))
    for _, fi, ei in sorted(candidates, reverse=True):
        if fi in used_f or ei in done_e:
            continue
        used_f.add(fi)
        done_e.add(ei)
        pairs.append((fi, ei))
    return pairs


def _score(found: list[dict], expected: list[dict], key: str, same, fields: tuple[str, ...]) -> Score:
    pairs = _pairs(found, expected, key, same)
    agree = {}
    for name in fields:
        ok = sum(1 for fi, ei in pairs if _value(found[fi].get(name)) == _value(expected[ei].get(name)))
        agree[name] = ok / len(pairs) if pairs else 1.0
    matched_f = {fi for fi, _ in pairs}
    matched_e = {ei for _, ei in pairs}
    return Score(
        found=len(found),
        expected=len(expected),
        matched=len(pairs),
        fields=agree,
        missed=[_norm(e.get(key))[:100] for i, e in enumerate(expected) if i not in matched_e],
        extra=[_norm(f.get(key))[:100] for i, f in enumerate(found) if i not in matched_f],
    )


def _value(v):
    if isinstance(v, list):
        return [_norm(x) for x in v]
    if isinstance(v, str):
        return _norm(v) or None
    return v


def score_tasks(found: list[dict], expected: list[dict]) -> Score:
    return _score(found, expected, "content", lambda f, e: True, TASK_FIELDS)


def score_targets(found: list[dict], expected: list[dict]) -> Score:
    def same(f: dict, e: dict) -> bool:
        try:
            return float(f.get("value")) == float(e.get("value")) and f.get("comparator") == e.get(
                "comparator"
            )
        except (TypeError, ValueError):
            return False

    return _score(found, expected, "text", same, TARGET_FIELDS)


def evaluate(found: dict, expected: dict) -> dict[str, Score]:
    return {
        "tasks": score_tasks(found.get("tasks", []), expected.get("tasks", [])),
        "targets": score_targets(found.get("targets", []), expected.get("targets", [])),
    }
