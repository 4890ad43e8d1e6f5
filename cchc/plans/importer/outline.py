"""Where a paragraph sits: its section ("II.6.e Về việc …"), reform area, year context.

Numbered items are headings when they are titles (short, not ending a sentence, or set in bold);
numbered items that are sentences are content and do not enter the section path: the targets in
"1. Hoàn thành 100% …" under "II. MỘT SỐ CHỈ TIÊU …" belong to section "II. MỘT SỐ CHỈ TIÊU …".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .paragraphs import Paragraph
from .vocab import area_of_title, fold

_PAST = re.compile(
    r"ket qua (thuc hien|dat duoc|cong tac)|danh gia (ket qua|tinh hinh|thuc trang)|tinh hinh thuc hien"
    r"|thuc trang"
)
_YEAR_LEAD = re.compile(r"^(den|toi|trong|tu nay den|phan dau den|muc tieu den)?\s*(nam|het nam)\s+(\d{4})\b")
_SIGNATURE = re.compile(r"^(noi nhan|tm\.|t/m|kt\.|k/t)\b")


@dataclass
class Context:
    section: str = ""
    area: str | None = None
    year: int | None = None
    heading: bool = False
    appendix: bool = False
    excluded: bool = False
    group: str = ""  # the nearest heading naming a reform area, as printed


@dataclass
class _Entry:
    level: int
    kind: str
    marker: str
    title: str
    area: str | None
    text: str


def is_heading(p: Paragraph) -> bool:
    if p.kind in ("roman", "article"):
        return True
    if p.kind in ("arabic", "multi", "letter"):
        body = p.body
        if not body or p.bold or p.heading_hint:
            return True
        return len(body) <= 160 and not re.search(r"[.;]$", body)
    return False


class Outline:
    def __init__(self) -> None:
        self.stack: list[_Entry] = []
        self.appendix = False
        self.signed = False
        self.year_lead: tuple[int, tuple[str, str]] | None = None  # (year, marker of the lead-in)

    def _pop(self, level: int) -> None:
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()

    def section(self) -> str:
        if not self.stack:
            return "PHỤ LỤC" if self.appendix else ""
        parts: list[str] = []
        for e in self.stack:
            if e.kind == "multi" and parts and e.marker.split(".")[0] == parts[-1]:
                parts[-1] = e.marker
            else:
                parts.append(e.marker)
        last = self.stack[-1]
        if len(self.stack) == 1 and last.kind == "roman":
            text = f"{last.marker}. {last.title}".strip()
        else:
            text = f"{'.'.join(parts)} {last.title}".strip()
        return f"PHỤ LỤC: {text}" if self.appendix else text

    def feed(self, p: Paragraph) -> Context:
        folded = fold(p.text)
        if folded.startswith("phu luc"):
            self.appendix, self.signed, self.stack, self.year_lead = True, False, [], None
            return Context(section="PHỤ LỤC", heading=True, appendix=True)
        if _SIGNATURE.match(folded):
            self.signed = True
        elif self.signed and re.match(r"^(ke hoach|chuong trinh)\b", folded) and p.text.isupper():
            self.signed, self.stack = False, []  # the plan after its covering decision
        heading = is_heading(p)
        if heading:
            self._pop(p.level)
            title = p.body.rstrip(" :")
            self.stack.append(_Entry(p.level, p.kind, p.marker, title, area_of_title(title), p.text))
            self.year_lead = None
        elif p.kind in ("arabic", "multi", "letter"):
            self._pop(p.level)
            self.year_lead = None
        elif self.year_lead and (p.kind, p.marker) == self.year_lead[1]:
            self.year_lead = None  # the next item at the level of "- Đến năm 2025:"
        body_folded = fold(p.body)
        lead = _YEAR_LEAD.match(body_folded)
        if lead and p.text.rstrip().endswith(":"):  # "- Đến năm 2025:" leads the items below it
            self.year_lead = (int(lead.group(3)), (p.kind, p.marker))
        area = next((e.area for e in reversed(self.stack) if e.area), None)
        group = next((e.text for e in reversed(self.stack) if e.area), "")
        excluded = (
            self.signed
            or folded.startswith(("can cu", "noi nhan"))
            or any(_PAST.search(fold(e.title)) for e in self.stack)
        )
        return Context(
            section=self.section(),
            area=area,
            year=self.year_lead[0] if self.year_lead else None,
            heading=heading,
            appendix=self.appendix,
            excluded=excluded,
            group=group,
        )
