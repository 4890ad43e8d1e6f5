"""What extraction hands to parsing: the document as blocks in reading order.

Two kinds of text block exist because the sources differ:

* a `Line` is one printed line of a PDF page or of text extracted from a PDF: paragraphs and
  table cells are broken over lines, and the parser has to join them again;
* a `Para` is a paragraph the source already delimits (DOCX, Markdown): only page breaks may have
  split one in two.

A `Table` is a grid of cells as the source gives it (DOCX, ruled PDF tables, Markdown tables);
each cell keeps its own line breaks ("\\n") so that bullets inside a cell stay recognisable.

What parsing hands back is the *structured plan* (docs: specs/plan-import.md): plain JSON data,
kept in the session between upload and review, printed by `cchc plan import --json` and compared
with the expected structures of the evaluation set — so typed dicts (`StructuredPlan`,
`ImportedTarget`, `ImportedTask`), not classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NotRequired, TypedDict


class PlanImportError(Exception):
    """The file cannot be read as a plan; the message (Vietnamese, one line) says why."""


@dataclass
class Line:
    text: str
    # what separates it from the previous line: "" (next line), "blank" (an empty line between),
    # "page" (a new page starts here)
    gap: str = ""


@dataclass
class Para:
    text: str
    bold: bool = False
    heading: bool = False  # the source marks it as a heading (a Word heading style, "#" in Markdown)
    after_blank: bool = False  # an empty paragraph stands before it (a DOCX of pasted text)


@dataclass
class Table:
    rows: list[list[str]]
    # a table rebuilt from lines whose rows are already complete (page-break parts merged)
    merged: bool = False
    # (row, column) of cells that continue the cell above (a vertical merge in Word)
    continued: set[tuple[int, int]] = field(default_factory=set)


Block = Line | Para | Table


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    source: str = ""

    def text_length(self) -> int:
        total = 0
        for b in self.blocks:
            if isinstance(b, Table):
                total += sum(len(c) for row in b.rows for c in row)
            else:
                total += len(b.text.strip())
        return total


# --- the structured plan ---------------------------------------------------------------------------


class PlanPeriod(TypedDict):
    from_year: int | None
    to_year: int | None


class ImportedTarget(TypedDict):
    """A quantified goal found in the text or in a table ("100% hồ sơ … trực tuyến")."""

    text: str  # the sentence (or cell part) that states it
    area: str | None  # a `ReformArea` value, when the context or the words say which
    comparator: str  # ">=", "<=", "=", ">", "<"
    value: int | float
    unit: str  # "%" or the measure written after the number
    year: int | None  # the year it is due, None for "every year"
    section: str  # where it is printed (section heading, table row)
    reduction: NotRequired[bool]  # "giảm …": the value is a reduction


class ImportedTask(TypedDict):
    """A task of the plan, from an appendix table row or a task block in the body."""

    stt: str  # the number printed in the document
    group: str  # the group heading above it
    area: str | None  # a `ReformArea` value, when known
    content: str
    target: str | None  # a table's "target" cell
    output: str | None  # the expected product ("Sản phẩm")
    lead: list[str]  # lead bodies as written
    coordinating: list[str]  # coordinating bodies as written
    deadline: str | None  # the deadline phrase as written
    note: str | None


class ParsedPlan(TypedDict):
    issuer: str | None
    province: str | None
    number: str | None
    issued_date: str | None  # ISO date
    period: PlanPeriod
    kind: str  # a `PlanKind` value
    reform_areas_present: list[str]
    targets: list[ImportedTarget]
    tasks: list[ImportedTask]


class StructuredPlan(ParsedPlan):
    """What `parse_plan_bytes` returns (with `source`), and what the review page saves (with the
    `title` the person confirmed)."""

    source: NotRequired[str]  # the file's name
    title: NotRequired[str]  # the document's own title, then the one the person confirmed
