"""What a person needs to review an import: where each task came from, how sure the importer is,
and the parts of the document it could not read.

    review = review_plan_bytes(data, "ke-hoach.docx")
    review["plan"]                   # the structured plan, exactly as `cchc plan import --json`
    review["tasks"][i]               # {"lines": [12, 15], "confidence": 0.9, "reasons": [...]}
    review["warnings"]               # [{"lines": [40, 52], "message": "…"}]
    review["order"]                  # task indexes, least sure first (the review screen's order)

The contract of `cchc plan import FILE --json` is unchanged: this sits beside it. Lines are the
lines of the text as extracted (for .txt/.md the file's own lines; for DOCX and PDF one line per
paragraph, table cell or printed line, in reading order), numbered from 1. A task is located by
its content in that text, so the range is where its words are printed.

A part the importer cannot read gives a warning naming its lines and no task: a table whose header
names no task column, a document with tasks in no shape it knows.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from pathlib import PurePath
from typing import TypedDict

from .columns import is_header_text
from .extract import _decode, extract
from .model import Document, ImportedTask, StructuredPlan, Table
from .parse import parse_document_titled
from .tables import _header
from .vocab import BODY_WORDS, fold


class TaskReview(TypedDict):
    lines: list[int] | None  # [first, last], 1-based; None when the words were not found
    confidence: float  # 0..1
    reasons: list[str]  # what lowered it, in Vietnamese


class Warning(TypedDict):
    lines: list[int] | None
    message: str


class PlanReview(TypedDict):
    plan: StructuredPlan
    tasks: list[TaskReview]
    warnings: list[Warning]
    order: list[int]


def review_plan_bytes(data: bytes, filename: str) -> PlanReview:
    return review_with_text(data, filename)[0]


def review_with_text(
    data: bytes, filename: str, progress: Callable[[int, str], None] | None = None
) -> tuple[PlanReview, list[str]]:
    """The review and the lines its line numbers count (line n is ``lines[n - 1]``): what the
    review screen prints beside the tasks, from the same single reading of the file. `progress`
    hears of each stage (percent, what comes next), for a job's page."""
    doc = extract(data, filename)
    if progress:
        progress(40, "Đã đọc chữ của văn bản; đang tìm chỉ tiêu và nhiệm vụ…")
    parsed, title = parse_document_titled(doc)
    if progress:
        progress(75, "Đang đối chiếu nhiệm vụ với văn bản…")
    plan: StructuredPlan = {"source": doc.source, **parsed}
    if title:
        plan["title"] = title  # the review's title field starts from the document's own
    if PurePath(filename).suffix.lower() in (".txt", ".md"):
        source = _SourceText(_decode(data).replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    else:
        source = _SourceText(_block_lines(doc))
    tasks = [_review_task(task, source) for task in parsed["tasks"]]
    warnings = _unread_tables(doc, source)
    if not parsed["tasks"]:
        warnings.append(
            {
                "lines": None,
                "message": "Không tìm thấy nhiệm vụ nào theo các dạng đã biết (bảng phụ lục có cột "
                "nội dung, khối nhiệm vụ có cơ quan chủ trì, nhiệm vụ giao theo từng cơ quan); "
                "hãy nhập nhiệm vụ bằng tay nếu văn bản có giao việc.",
            }
        )
    order = sorted(range(len(tasks)), key=lambda i: (tasks[i]["confidence"], i))
    return {"plan": plan, "tasks": tasks, "warnings": warnings, "order": order}, source.lines


def _block_lines(doc: Document) -> list[str]:
    lines: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            lines.extend(cell for row in block.rows for cell in row if cell.strip())
        else:
            lines.append(block.text)
    return lines


class _SourceText:
    """The document's text as lines, folded and joined once, to find where words are printed."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.starts: list[int] = []
        parts: list[str] = []
        pos = 0
        for line in lines:
            self.starts.append(pos)
            key = _key(line)
            parts.append(key)
            pos += len(key) + 1
        self.text = " ".join(parts)

    def line_at(self, offset: int) -> int:
        return bisect_right(self.starts, offset)  # 1-based

    def locate(self, words: str, from_line: int = 1) -> list[int] | None:
        key = _key(words)
        if len(key) < 3:
            return None
        head, tail = key[:40], key[-40:]
        start = self.text.find(head, self.starts[from_line - 1] if self.starts else 0)
        if start < 0:
            return None
        end = self.text.find(tail, start)
        end = end + len(tail) - 1 if end >= 0 else start + len(head) - 1
        return [self.line_at(start), self.line_at(end)]

    def find_cell(self, text: str, from_line: int = 1) -> int | None:
        where = self.locate(text, from_line)
        return where[0] if where else None


def _key(text: str) -> str:
    """Folded words only: line breaks, hyphenation and Markdown marks do not change it."""
    return " ".join(re.findall(r"\w+", fold(unicodedata.normalize("NFC", text))))


def _review_task(task: ImportedTask, source: _SourceText) -> TaskReview:
    reasons: list[str] = []
    score = 1.0
    lines = source.locate(task["content"])
    if lines is None:
        score -= 0.3
        reasons.append("không tìm thấy nguyên văn nội dung trong văn bản")
    if not task["lead"]:
        score -= 0.4
        reasons.append("không có cơ quan chủ trì")
    elif not any(BODY_WORDS.search(fold(body)) for body in task["lead"]):
        score -= 0.2
        reasons.append("cơ quan chủ trì không giống tên cơ quan")
    content = task["content"]
    if len(content) < 15:
        score -= 0.3
        reasons.append("nội dung quá ngắn")
    elif len(content) > 1500:
        score -= 0.2
        reasons.append("nội dung rất dài, có thể gộp nhiều nhiệm vụ")
    if len(content) < 80 and is_header_text(content):
        score -= 0.4
        reasons.append("nội dung giống tiêu đề cột")
    if not task["deadline"] and task["target"] is None and task["output"] is None:
        score -= 0.1
        reasons.append("không có thời hạn")
    return {"lines": lines, "confidence": round(max(0.0, score), 2), "reasons": reasons}


def _unread_tables(doc: Document, source: _SourceText) -> list[Warning]:
    """Tables with rows of text under a header that names no task column."""
    out: list[Warning] = []
    read_width = 0  # columns of the last task table read: a table of as many goes on with it
    for block in doc.blocks:
        if not isinstance(block, Table) or len(block.rows) < 3:
            continue
        width = max(len(r) for r in block.rows)
        head = _header([list(r) for r in block.rows])
        if head is not None:
            read_width = len(head[1])
            continue
        if width < 3 or width == read_width:
            continue
        lines = _table_lines(block, source)
        looks_like_tasks = (
            sum(1 for row in block.rows for c in row if BODY_WORDS.search(fold(c)) and len(c) < 120)
            >= len(block.rows) // 2
        )
        if not looks_like_tasks:
            continue  # a layout table (letterhead, signatures): nothing to say
        shown = f"dòng {lines[0]}–{lines[1]}" if lines else "một bảng"
        out.append(
            {
                "lines": lines,
                "message": f"Không đọc được bảng ở {shown}: tiêu đề bảng không có cột nội dung hoặc "
                "nhiệm vụ; không lấy nhiệm vụ nào từ bảng này, hãy kiểm tra và nhập bằng tay.",
            }
        )
    return out


def _table_lines(table: Table, source: _SourceText) -> list[int] | None:
    """[first, last] line of a table's cells, each cell looked for after the one before: a cell's
    words (a body's name) often repeat in the rows above, so the last cell alone would be found
    too early."""
    first = cursor = 0
    for row in table.rows:
        for cell in row:
            if len(cell.strip()) < 8:
                continue
            found = source.find_cell(cell, cursor or 1)
            if found is not None:
                first, cursor = first or found, found
    return [first, cursor] if first else None


__all__ = ["PlanReview", "TaskReview", "review_plan_bytes", "review_with_text"]
