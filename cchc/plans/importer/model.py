"""What extraction hands to parsing: the document as blocks in reading order.

Two kinds of text block exist because the sources differ:

* a `Line` is one printed line of a PDF page or of text extracted from a PDF: paragraphs and
  table cells are broken over lines, and the parser has to join them again;
* a `Para` is a paragraph the source already delimits (DOCX, Markdown): only page breaks may have
  split one in two.

A `Table` is a grid of cells as the source gives it (DOCX, ruled PDF tables, Markdown tables);
each cell keeps its own line breaks ("\\n") so that bullets inside a cell stay recognisable.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
