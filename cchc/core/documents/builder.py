"""A small builder for Vietnamese administrative documents on python-docx.

Layout (Nghị định 30/2020/NĐ-CP, Phụ lục I): A4; margins top/bottom 20 mm, left 30 mm,
right 15 mm; Times New Roman; the header is a borderless two-column table — the issuing body on
the left (superior body in regular capitals, the body itself in bold capitals, the number
below), the national title on the right ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" bold, "Độc lập -
Tự do - Hạnh phúc" bold, then the place and date in italics); the title is bold capitals,
centred; body text 13–14 pt, justified; the signature block on the right.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def vietnamese_date(place: str, day: dt.date | None) -> str:
    if day is None:
        return f"{place}, ngày … tháng … năm …"
    # Nghị định 30/2020: a day below 10 and the months 1 and 2 take a leading zero; others do not.
    month = f"0{day.month}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


class OfficialDocument:
    def __init__(self, *, landscape: bool = False, size: int = 13):
        self.doc = Document()
        self.size = size
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        style = self.doc.styles["Normal"]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)  # Word uses this slot for some scripts
        style.paragraph_format.space_after = Pt(3)
        self._templates: dict[tuple[bool, bool, bool], Any] = {}  # see `paragraph`
        self._sect_pr: Any = None

    # --- building blocks ---------------------------------------------------------------------
    def _para(
        self,
        cell_or_doc: DocxDocument | _Cell,
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        size: float | None = None,
        align: WD_ALIGN_PARAGRAPH | None = None,
        underline: bool = False,
    ) -> Paragraph:
        p = cell_or_doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if text:
            run = p.add_run(text)
            run.bold, run.italic, run.underline = bold, italic, underline
            run.font.size = Pt(size or self.size)
            run.font.name = FONT
        p.paragraph_format.space_after = Pt(0)
        return p

    def header(
        self, *, superior: str, body: str, number: str | None, place: str, day: dt.date | None
    ) -> None:
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _fix_widths(table, (65, 100))
        left, right = table.rows[0].cells
        for cell in (left, right):
            cell.paragraphs[0].text = ""
        centre = WD_ALIGN_PARAGRAPH.CENTER
        first = left.paragraphs[0]
        first.alignment = centre
        if superior:
            first.add_run(superior.upper()).font.size = Pt(12)
            self._para(left, body.upper(), bold=True, size=12, align=centre)
        else:
            r = first.add_run(body.upper())
            r.bold = True
            r.font.size = Pt(12)
        self._para(left, "———", align=centre, size=10)
        if number is not None:
            self._para(left, f"Số: {number}", size=13, align=centre)
        title = right.paragraphs[0]
        title.alignment = centre
        r = title.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        r.bold = True
        r.font.size = Pt(12)
        self._para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13, align=centre)
        self._para(right, "———————————", align=centre, size=10)
        self._para(right, vietnamese_date(place, day), italic=True, size=13, align=centre)
        self.doc.add_paragraph()

    def title(self, text: str, *, subtitle: str | None = None) -> None:
        self._para(self.doc, text.upper(), bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
        if subtitle:
            self._para(self.doc, subtitle, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        self.doc.add_paragraph()

    def paragraph(self, text: str, *, bold: bool = False, italic: bool = False, indent: bool = True) -> None:
        """A body paragraph. A report writes thousands: each is a copy of the first paragraph of
        its kind with the text put in (python-docx's property setters and its search for the
        section properties at every insert made a long report take seconds); text that holds
        tabs, line breaks or control characters goes through python-docx as before."""
        key = (bold, italic, indent)
        template = self._templates.get(key)
        if text and template is not None and text.isprintable():
            p = copy.deepcopy(template)
            t = p.find(f"{_W}r/{_W}t")
            t.text = text
            if len(text.strip()) < len(text):
                t.set(qn("xml:space"), "preserve")
            self._insert_body(p)
            return
        para = self._para(self.doc, text, bold=bold, italic=italic, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        if indent:
            para.paragraph_format.first_line_indent = Mm(10)
        para.paragraph_format.space_after = Pt(4)
        if text and template is None and text.isprintable():
            template = copy.deepcopy(para._p)
            template.find(f"{_W}r/{_W}t").attrib.pop(qn("xml:space"), None)  # set per text
            self._templates[key] = template

    def _insert_body(self, p: Any) -> None:
        """Append ``p`` to the body, before its section properties (as python-docx does)."""
        body = self.doc.element.body
        if self._sect_pr is None or self._sect_pr.getparent() is not body:
            self._sect_pr = body.find(qn("w:sectPr"))
        if self._sect_pr is not None:
            self._sect_pr.addprevious(p)
        else:
            body.append(p)

    def field(self, label: str, value: str) -> None:
        """ "Label: value" with the label in regular weight and the value as filled in."""
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = Mm(10)
        p.paragraph_format.space_after = Pt(4)
        for text, bold in ((f"{label}: ", False), (value or "…………………………", True)):
            run = p.add_run(text)
            run.bold = bold
            run.font.name, run.font.size = FONT, Pt(self.size)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths_mm: Sequence[float] | None = None,
        size: int | None = None,
    ) -> None:
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, text in enumerate(header):
            cell = table.rows[0].cells[i]
            cell.paragraphs[0].text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
            run.font.size = Pt(size or self.size - 1)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for values in rows:
            cells = table.add_row().cells
            for i, text in enumerate(values):
                cells[i].paragraphs[0].text = ""
                run = cells[i].paragraphs[0].add_run(str(text) if text is not None else "")
                run.font.size = Pt(size or self.size - 1)
        if widths_mm:
            _fix_widths(table, widths_mm)
        _repeat_header(table)
        self.doc.add_paragraph()

    def signatures(self, *blocks: tuple[str, str, str]) -> None:
        """Side by side signature blocks: (role in capitals, instruction in italics, name)."""
        table = self.doc.add_table(rows=1, cols=len(blocks))
        width = 165 if (self.doc.sections[0].page_width or Mm(210)) < Mm(250) else 252
        _fix_widths(table, [width / len(blocks)] * len(blocks))
        for cell, (role, note, name) in zip(table.rows[0].cells, blocks, strict=True):
            cell.paragraphs[0].text = ""
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            r = p.add_run(role.upper())
            r.bold = True
            r.font.size = Pt(self.size)
            self._para(cell, note, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            for _ in range(4):
                self._para(cell, "")
            self._para(cell, name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    def picture(self, image: bytes, *, width_mm: float, caption: str = "") -> None:
        """An image (PNG) centred, with an optional caption in italics below (a QR code)."""
        self.doc.add_picture(io.BytesIO(image), width=Mm(width_mm))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        if caption:
            self._para(self.doc, caption, italic=True, size=self.size - 2, align=WD_ALIGN_PARAGRAPH.CENTER)

    def recipients(self, lines: Sequence[str]) -> None:
        self._para(self.doc, "Nơi nhận:", bold=True, italic=True, size=12)
        for line in lines:
            self._para(self.doc, f"- {line};", size=11)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _fix_widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Fixed column widths that both Word and LibreOffice honour (grid columns and cells)."""
    table.autofit = False
    for column, w in zip(table.columns, widths_mm, strict=False):
        column.width = Mm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(w)


def _repeat_header(table: Table) -> None:
    """Repeat the header row on every page (Word's "Repeat as header row")."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)
