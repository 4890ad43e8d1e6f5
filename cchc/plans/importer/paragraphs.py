"""Lines and paragraphs → paragraphs with their list marker ("II.", "1.", "1.1.", "a)", "-", "+").

Text extracted from a PDF is broken into printed lines; a paragraph ends where the next line
starts a numbered or bulleted item, where a line ends a sentence and the next one starts with
a capital, where a line falls clearly short of the text width, or where capitals start or stop
(titles). Paragraphs a page break split in two (DOCX/Markdown) are joined again.
Tables found among the lines (see texttable) are cut out first and kept in their place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Line, Para, Table
from .texttable import find_text_tables
from .vocab import join_lines

_MARKERS = [
    ("roman", re.compile(r"^([IVXL]{1,6})\s*[.:]\s*(\S.*)?$")),
    ("multi", re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(\S.*)$")),
    ("arabic", re.compile(r"^(\d{1,2})\s*[.)]\s*(\S.*)?$")),
    ("letter", re.compile(r"^([a-zđ])\s*\)\s*(\S.*)?$")),
    ("article", re.compile(r"^(Điều\s+\d+)\s*[.:]\s*(\S.*)?$")),
    ("bullet", re.compile(r"^([-+•*–—])\s*(\S.*)$")),
]
LEVEL = {"roman": 1, "arabic": 2, "multi": 3, "letter": 5, "article": 1}


@dataclass
class Paragraph:
    text: str  # the whole paragraph, marker included, on one line
    kind: str = "none"  # roman | multi | arabic | letter | article | bullet | none
    marker: str = ""  # "II", "1.1", "a", "-", "+"
    body: str = ""  # the text after the marker
    bold: bool = False
    heading_hint: bool = False  # the source styles it as a heading

    @property
    def level(self) -> int:
        if self.kind == "multi":
            return 2 + self.marker.count(".")
        return LEVEL.get(self.kind, 9)


def marker_of(text: str) -> tuple[str, str, str]:
    for kind, rx in _MARKERS:
        m = rx.match(text)
        if m:
            if kind == "arabic" and re.match(r"^\d{1,2}\s*\.\s*\d", text):
                continue  # "1.1" without a following space: not "1." then text
            return kind, m.group(1), (m.group(2) or "").strip()
    return "none", "", text


def make(text: str, bold: bool = False, heading: bool = False) -> Paragraph:
    kind, marker, body = marker_of(text)
    return Paragraph(text, kind, marker, body, bold, heading)


def _caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.85


def _starts_upper(text: str) -> bool:
    c = text[:1]
    return c.isupper() or c.isdigit() or c in "“\"('‘"


_END = re.compile(r"([.!?:;…]|\./\.)[\"”’)]*$")
_PAGE_NUMBER = re.compile(r"^[-–]?\s*\d{1,3}\s*[-–]?$")


def from_lines(lines: list[Line]) -> list[Paragraph | Table]:
    """Rebuild paragraphs (and text tables) from printed lines."""
    out: list[Paragraph | Table] = []
    tables = find_text_tables(lines)
    pos = 0
    for start, end, table in tables:
        out.extend(_join(lines[pos:start]))
        out.append(table)
        pos = end
    out.extend(_join(lines[pos:]))
    return out


def _width(lines: list[Line]) -> float:
    lengths = sorted(len(ln.text.strip()) for ln in lines if ln.text.strip())
    return float(lengths[int(len(lengths) * 0.9)]) if lengths else 80.0


def _join(lines: list[Line]) -> list[Paragraph]:
    lines = [ln for ln in lines if ln.text.strip() and not _PAGE_NUMBER.match(ln.text.strip())]
    if not lines:
        return []
    width = _width(lines)
    paras: list[list[str]] = []
    prev = ""
    for ln in lines:
        text = " ".join(ln.text.split())
        # "1. …" under a Roman-numbered heading starts the first item of that section, however
        # long the heading's line was
        after_roman = bool(paras) and marker_of(paras[-1][0])[0] == "roman"
        if not paras or _breaks(prev, text, width) or (after_roman and _first_item(text)):
            paras.append([text])
        else:
            paras[-1].append(text)
        prev = text
    return [make(join_lines(p)) for p in paras]


def _first_item(text: str) -> bool:
    kind, marker, body = marker_of(text)
    return kind in ("arabic", "multi") and marker in ("1", "1.1") and body[:1].isupper()


def _breaks(a: str, b: str, width: float) -> bool:
    kind, _, _ = marker_of(b)
    if kind == "none" and b[:1].islower():
        return False
    if kind != "none":
        # "2021 của Chính phủ": a wrapped line may start with a number; markers need a short or
        # finished line before them, except bullets and roman headings
        if kind in ("bullet", "roman", "letter", "article") or _END.search(a) or len(a) < 0.8 * width:
            return True
    if _caps(b) and not _caps(a) and sum(c.isalpha() for c in b) >= 12:
        return True  # a title in capitals starts
    if len(a) < 0.72 * width and _starts_upper(b):
        return True
    if re.search(r"[.!?…]|\./\.", a[-3:]) and _END.search(a) and _starts_upper(b):
        return True
    # "…điện tử;" then "100% văn bản đến…": a full line ending on ";" or ":" goes on
    return bool(_END.search(a)) and b[:1].isalpha() and b[:1].isupper() and len(a) < 0.9 * width


def from_paras(blocks: list[Para]) -> list[Paragraph]:
    """Paragraphs as delimited by the source; one split by a page break is joined again."""
    out: list[Paragraph] = []
    for b in blocks:
        text = " ".join(b.text.split())
        if not text or _PAGE_NUMBER.match(text):
            continue
        if (
            out
            and not b.heading
            and not out[-1].heading_hint
            and not _END.search(out[-1].text)
            and text[:1].islower()
            and marker_of(text)[0] == "none"
        ):
            prev = out[-1]
            out[-1] = make(join_lines([prev.text, text]), prev.bold, prev.heading_hint)
            continue
        out.append(make(text, b.bold, b.heading))
    return out
