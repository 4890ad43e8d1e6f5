"""What the import review screen shows beside the forms: how sure the importer is of each task, in
words, and the document's text with the lines it warned about marked.

Everything here works on what `importer.review.review_with_text` returned at upload time and the
view kept in the session: the page never reads the file again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# The importer scores 1.0 and takes off 0.1–0.4 per doubt (see importer/review.py): one serious
# doubt (no lead body, a header taken for a task) puts a task under 0.7; one small doubt (no
# deadline) leaves it sure.
SURE, FAIRLY_SURE = 0.9, 0.7

# `thu_tu=van_ban` shows the tasks in the document's order; anything else, least sure first.
ORDER_PARAM, DOCUMENT_ORDER = "thu_tu", "van_ban"


def confidence_label(score: float) -> tuple[str, str]:
    """Words and a CSS class (its colour) for a confidence score."""
    if score >= SURE:
        return "Chắc chắn", "conf-high"
    if score >= FAIRLY_SURE:
        return "Khá chắc", "conf-mid"
    return "Cần kiểm tra", "conf-low"


def line_range(lines: Sequence[int] | None) -> str:
    if not lines:
        return ""
    first, last = lines
    return f"dòng {first}" if first == last else f"dòng {first}–{last}"


def task_notes(review: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """One entry per task row of the form (document order): its number, confidence and lines."""
    notes = []
    for index in range(count):
        found = review["tasks"][index] if index < len(review["tasks"]) else None
        lines = found["lines"] if found else None
        score = found["confidence"] if found else 0.0
        words, css = confidence_label(score)
        notes.append(
            {
                "number": index + 1,
                "words": words,
                "css": css,
                "reasons": found["reasons"] if found else [],
                "first": lines[0] if lines else None,
                "where": line_range(lines),
            }
        )
    return notes


def display_order(review: dict[str, Any], count: int, document_order: bool) -> list[int]:
    """Row indexes in the order shown: least sure first (the importer's order) or the document's."""
    if document_order:
        return list(range(count))
    order = [i for i in review["order"] if i < count]
    return order + [i for i in range(count) if i not in set(order)]


def warnings_shown(review: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "number": k,
            "message": w["message"],
            "first": w["lines"][0] if w["lines"] else None,
            "where": line_range(w["lines"]),
        }
        for k, w in enumerate(review["warnings"], 1)
    ]


def source_panel(lines: Sequence[str], review: dict[str, Any]) -> list[dict[str, Any]]:
    """The text, numbered from 1 as the review counts: each line knows whether a warning covers it,
    the warnings that start on it and the tasks that start on it (links back to them)."""
    warned: set[int] = set()
    notes: dict[int, list[dict[str, Any]]] = {}
    for w in warnings_shown(review):
        if w["first"] is None:
            continue
        first, last = review["warnings"][w["number"] - 1]["lines"]
        warned.update(range(first, last + 1))
        notes.setdefault(first, []).append(w)
    tasks_at: dict[int, list[int]] = {}
    for index, found in enumerate(review["tasks"]):
        if found["lines"]:
            tasks_at.setdefault(found["lines"][0], []).append(index + 1)
    return [
        {
            "n": n,
            "text": text,
            "warned": n in warned,
            "notes": notes.get(n, []),
            "tasks": tasks_at.get(n, []),
        }
        for n, text in enumerate(lines, 1)
    ]
