"""Text copied from a legal-document website: tables flattened one cell per "|" line.

Such a page renders every HTML cell as its text between lines holding a lone "|", and every
row as "|" cell "|" cell … "|", so two "|" lines in a row mark the end of one row and the start
of the next; the lines of a paragraph are wrapped at a fixed width and paragraphs are separated
by blank lines (or, inside a layout cell, only by their numbering). The page layout itself is a
table (the site's header, the document's letterhead, the whole body in one cell), so:

* a run of cells is a task table only from a header row naming its columns (STT + content or
  lead labels, in any order: columns.is_header_text) — everything else is read as prose lines;
* a cell's text never holds a blank line, so a blank line between two "|" ends the table;
* a row with more cells than the header's columns ends the table: the cells beyond are prose
  (the next appendix's title printed in the same layout cell).

The result is plain `Line`s (the wrapped lines are joined again by paragraphs.from_lines) and
`Table`s, so the rest of the importer reads it like any other source.
"""

from __future__ import annotations

import re

from .columns import is_header_text
from .model import Block, Document, Para, Table
from .paragraphs import marker_of
from .vocab import INVISIBLE, fold, norm

_PIPE = re.compile(r"^\s*\|\s*$")
_MD_EMPH = re.compile(r"(\*\*\*|\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*]))")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_ITEM_START = re.compile(r"^([-+•–]\s|\d{1,2}(\.\d{1,2})*[.)]\s|[a-zđ]\)\s|[IVXL]{1,5}\.\s)")
_STT_LABEL = re.compile(r"^(stt|tt|so tt|so thu tu)$")


def is_scraped(text: str) -> bool:
    """Cells on lines of their own between lone "|" lines (at least one whole row of them)."""
    return sum(1 for line in text.split("\n", 4000)[:4000] if _PIPE.match(line)) >= 4


def _clean(line: str) -> str:
    line = INVISIBLE.sub("", line)
    line = _HEADING.sub("", line)
    line = _MD_EMPH.sub("", line).replace("\\", "")
    line = line.replace("&nbsp;", " ").replace("&amp;", "&")
    return norm(line).strip()


def _segments(text: str) -> list[list[str] | None]:
    """The text between "|" lines, as lists of lines ("" for a blank line); None for a "|"."""
    out: list[list[str] | None] = []
    current: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _PIPE.match(raw):
            out.append(current)
            out.append(None)
            current = []
        else:
            current.append(raw.rstrip())
    out.append(current)
    return out


def _cell_text(lines: list[str]) -> str:
    """A cell's wrapped lines joined with spaces; an item that starts a line keeps its line."""
    parts: list[str] = []
    for line in lines:
        if not line:
            continue
        if parts and not _ITEM_START.match(line):
            parts[-1] = f"{parts[-1]} {line}"
        else:
            parts.append(line)
    return "\n".join(parts)


def _header_at(cells: list[str], i: int) -> int:
    """The number of header cells when a task table's header starts at cells[i], else 0."""
    if not _STT_LABEL.match(fold(cells[i]).strip(" .:")):
        return 0
    n = 1
    while i + n < len(cells) and cells[i + n] and len(cells[i + n]) < 80 and n < 12:
        n += 1
    return n if n >= 3 and is_header_text(" ".join(cells[i : i + n])) else 0


def _rows(cells: list[str], start: int, width: int) -> tuple[list[list[str]], int]:
    """Rows of a table whose header (width cells) starts at cells[start]; and where it ends.

    An empty cell between two non-empty ones is a row boundary (the row's closing "|" and the
    next row's opening "|"); in a longer run of empty cells the others are empty cells at the
    end of the row. A row with more cells than the header has columns ends the table.
    """
    rows: list[list[str]] = [cells[start : start + width]]
    row: list[str] = []
    i = start + width
    while i < len(cells):
        if _header_at(cells, i) and not row:
            break  # the next table
        cell = cells[i]
        if cell:
            if len(row) >= width:
                break  # more cells than columns: the table has ended
            row.append(cell)
            i += 1
            continue
        j = i
        while j < len(cells) and not cells[j]:
            j += 1
        if row:
            row.extend([""] * min(j - i - 1, max(0, width - len(row))))
            rows.append(row)
        row = []
        i = j
    if row:
        rows.append(row)
    return rows, i


def _spanned(rows: list[list[str]], width: int) -> Table:
    """The page leaves out the cells a cell above spans down (rowspan): a short row of three or
    more cells (two without a number: content and lead) lacks its STT when it does not start
    with a number, and the columns after its last cell; those are marked as continuing the cell
    above. (A group row is a numeral and a title.)"""
    continued: set[tuple[int, int]] = set()
    out = [rows[0]]
    for r, row in enumerate(rows[1:], start=1):
        numbered = _starts_row(row[0])
        filled = sum(1 for c in row if c)
        group = bool(re.match(r"^[IVXL]{1,6}(\.\d{1,2})*\.?$", row[0].strip()))
        if not group and (3 if numbered else 2) <= filled and len(row) < width:
            if not numbered:
                row = ["", *row]
                continued.add((r, 0))
            continued.update((r, c) for c in range(len(row), width))
            row = row + [""] * (width - len(row))
        out.append(row)
    return Table(out, continued=continued)


_ROW_START = re.compile(
    r"^([IVXL]{1,6}|[A-Z]|\d{1,3}(\.\d{1,3}){0,3}|[IVXL]{1,6}(\.\d{1,2}){1,3}|[a-zđ])\s*[.)]?$"
)


def _starts_row(cell: str) -> bool:
    return bool(_ROW_START.match(cell.strip()))


def read_scraped(text: str) -> Document:
    segments = _segments(text)
    blocks: list[Block] = []
    # regions of cells: a segment with a blank line inside is prose between tables
    cells: list[str] = []
    raw_of: list[list[str]] = []

    def prose(lines: list[str]) -> None:
        blocks.extend(Para(text) for text in _paragraphs(lines))

    def flush() -> None:
        i = 0
        while i < len(cells):
            width = _header_at(cells, i)
            if not width:
                prose(raw_of[i] + [""])
                i += 1
                continue
            rows, end = _rows(cells, i, width)
            blocks.append(_spanned(rows, width))
            i = end
        cells.clear()
        raw_of.clear()

    texts = [seg for seg in segments if seg is not None]
    for k, seg in enumerate(texts):
        if k in (0, len(texts) - 1) or any(not s.strip() for s in _strip_ends(seg)):
            flush()
            prose(seg)  # before the first "|", after the last, or holding a blank line
            continue
        lines = [s for s in seg if s.strip()]
        cells.append(_cell_text([_clean(s) for s in lines]))
        raw_of.append(lines)
    flush()
    return Document(blocks)


def _strip_ends(seg: list[str]) -> list[str]:
    """The segment without the blank lines at its two ends."""
    a, b = 0, len(seg)
    while a < b and not seg[a].strip():
        a += 1
    while b > a and not seg[b - 1].strip():
        b -= 1
    return seg[a:b]


_CLOSED = re.compile(r"[.;:!?…]$")
_BARE_MARKER = re.compile(r"^(\d{1,2}(\.\d{1,2}){0,3}|[IVXL]{1,6})\.?$")


def _paragraphs(raw: list[str]) -> list[str]:
    """Paragraphs of wrapped lines: a blank line ends one; so does an emphasis that closes at a
    line's end and opens at the next line's start, a numbered or bulleted line after a finished
    one, and a capital after a line ending a sentence or clause (the wrapping width of such pages
    varies, so a short line is no sign)."""
    out: list[list[str]] = []
    prev_raw, prev = "", ""
    for line in raw:
        text = _clean(line)
        if not text:
            prev_raw, prev = "", ""
            continue
        if not out or not prev or _new_paragraph(prev_raw, prev, line, text):
            out.append([text])
        else:
            out[-1].append(text)
        prev_raw, prev = line, text
    return [" ".join(p) for p in out]


def _new_paragraph(prev_raw: str, prev: str, raw: str, text: str) -> bool:
    if re.search(r"(\*|__)\s*$", prev_raw) and re.match(r"\s*(\*|__)", raw):
        return True
    prev_kind, _, prev_body = marker_of(prev)
    if (prev_kind not in ("none", "bullet") and not prev_body) or _BARE_MARKER.match(prev):
        return False  # "I." alone on its line: the title follows
    kind = marker_of(text)[0]
    if kind in ("bullet", "roman", "letter", "article"):
        return True
    if kind != "none" and _CLOSED.search(prev):
        return True
    return bool(_CLOSED.search(prev)) and (text[:1].isupper() or text[:1] in '“"(')
