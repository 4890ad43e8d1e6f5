"""From a file (bytes + name) to a `Document`: text and tables in reading order, NFC.

.txt  – lines (text extracted from a PDF: paragraphs and table cells are broken over lines)
.md   – paragraphs; tab-separated or pipe tables become tables; light Markdown/HTML is removed
.txt/.md copied from a legal-document website (cells between lone "|" lines): see scraped
.docx – paragraphs and tables in document order (python-docx), automatic numbering rendered
        ("1.", "a)") since the text of a numbered paragraph does not carry it; merged cells
        are kept once (the other grid positions are empty)
.pdf  – page lines (pdfplumber) and, on pages with ruled tables, the tables themselves

Anything unreadable raises `PlanImportError` with a one-line Vietnamese reason.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

from .columns import is_header_text
from .docx import read_docx
from .model import Document, Line, Para, PlanImportError, Table
from .pdf import read_pdf
from .scraped import is_scraped, read_scraped
from .vocab import INVISIBLE, fold, norm

SUPPORTED = (".docx", ".pdf", ".txt", ".md")

_HTML_TAG = re.compile(r"</?(?:b|strong|i|em|u|p|span|ul|ol|li|br|div|sup|sub)\b[^>]*>", re.I)


def check_supported(filename: str) -> str:
    """The file's extension, if it is one the importer reads."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in SUPPORTED:
        shown = suffix or "(không có phần mở rộng)"
        raise PlanImportError(
            f"Định dạng tệp {shown} không được hỗ trợ; chỉ nhận .docx, .pdf, .txt hoặc .md."
        )
    return suffix


def extract(data: bytes, filename: str) -> Document:
    suffix = check_supported(filename)
    if not data or not data.strip():
        raise PlanImportError("Tệp rỗng, không có nội dung để nhập.")
    if suffix == ".docx":
        doc = _pasted_text(read_docx(data))
    elif suffix == ".pdf":
        doc = read_pdf(data)
    else:
        text = _decode(data)
        if is_scraped(text):
            doc = read_scraped(text)
        else:
            doc = _markdown(text) if suffix == ".md" else _plain(text)
    doc.source = PurePath(filename).name
    if doc.text_length() < 20:
        raise PlanImportError("Tệp không có nội dung văn bản để nhập.")
    return doc


def _pasted_text(doc: Document) -> Document:
    """A DOCX with no Word table may hold a text pasted in whole: a legal-document website's
    (its cells between lone "|" paragraphs) is read as that text is; otherwise see _printed_lines."""
    if not any(isinstance(b, Table) for b in doc.blocks):
        # a bold paragraph is the text's **bold** line: the website reader reads headings by it
        text = "".join(
            ("\n\n" if getattr(b, "after_blank", False) else "\n")
            + (f"**{b.text}**" if getattr(b, "bold", False) else b.text)
            for b in doc.blocks
        )
        if is_scraped(text):
            return read_scraped(text)
    return _printed_lines(doc)


def _printed_lines(doc: Document) -> Document:
    """A DOCX made by pasting text extracted from a PDF holds printed lines, not paragraphs: a
    paragraph ending mid-sentence before one starting in lower case is a wrapped line. When many
    are (or a task table's header stands in a paragraph of its own), the paragraphs are read as
    lines, like the .txt of the same text, so paragraphs and tables are rebuilt from them."""
    paras = [b for b in doc.blocks if isinstance(b, Para)]
    if len(paras) < 10:
        return doc
    wrapped = sum(
        1
        for a, b in zip(paras, paras[1:], strict=False)
        if b.text[:1].islower() and not re.search(r"[.;:!?]$", a.text.rstrip())
    )
    header = any(
        _TABLE_HEADER.match(fold(p.text))
        and is_header_text(" ".join(q.text for q in paras[k : k + 8] if len(q.text) < 60))
        for k, p in enumerate(paras)
    )
    if wrapped < len(paras) * 0.15 and not header:
        return doc
    return Document([Line(b.text, "") if isinstance(b, Para) else b for b in doc.blocks], doc.source)


_TABLE_HEADER = re.compile(r"\s*(stt|tt|so tt)\b")


# --- plain text and Markdown ---------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise PlanImportError("Tệp không phải là văn bản thuần (có dữ liệu nhị phân).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1258")  # Windows Vietnamese
        except UnicodeDecodeError as exc:
            raise PlanImportError(
                "Không đọc được bảng mã của tệp văn bản; hãy lưu lại ở dạng UTF-8."
            ) from exc


def _plain(text: str) -> Document:
    """Lines as printed; a form feed or a line starting with a space after a line break marks
    a new page in text extracted from PDFs (kept as a hint only)."""
    blocks = []
    gap = ""
    for raw in norm(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n"):
        if "\f" in raw:
            gap = "page"
            raw = raw.replace("\f", "")
        if not raw.strip():
            gap = gap or "blank"
            continue
        blocks.append(Line(raw, gap))
        gap = ""
    return Document(blocks)


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_EMPH = re.compile(r"(\*\*\*|\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*]))")
_PIPE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _md_inline(text: str) -> tuple[str, bool]:
    """Strip Markdown emphasis and HTML; report whether the whole line was bold."""
    stripped = text.strip()
    bold = bool(re.fullmatch(r"(\*\*|__|<b>|<strong>).+(\*\*|__|</b>|</strong>)\s*", stripped))
    text = re.sub(r"<li[^>]*>", "\n", text, flags=re.I)
    text = re.sub(r"<br\s*/?>|</p>", "\n", text, flags=re.I)
    text = _HTML_TAG.sub("", text)
    text = text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    text = _MD_EMPH.sub("", text)
    text = text.replace("\\", "")
    return text, bold


def _cells(line: str) -> list[str]:
    if "\t" in line:
        parts = line.split("\t")
    else:
        parts = line.strip().strip("|").split("|")
    out = []
    for p in parts:
        text, _ = _md_inline(p)
        out.append("\n".join(s.strip() for s in text.split("\n") if s.strip()))
    return out


def _is_table_line(line: str) -> bool:
    return "\t" in line or (line.lstrip().startswith("|") and line.count("|") >= 3)


def _markdown(text: str) -> Document:
    lines = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    blocks: list = []
    rows: list[list[str]] = []

    def flush():
        if rows:
            blocks.append(Table([r[:] for r in rows]))
            rows.clear()

    for raw in lines:
        raw = INVISIBLE.sub("", raw)
        if _is_table_line(raw):
            if _PIPE_SEP.match(raw):
                continue
            rows.append([norm(c) for c in _cells(raw)])
            continue
        if not raw.strip():
            continue  # blank lines inside a table (page breaks) do not end it
        flush()
        heading = bool(_MD_HEADING.match(raw))
        body, bold = _md_inline(_MD_HEADING.sub("", raw))
        for part in norm(body).split("\n"):
            part = part.strip()
            if part:
                blocks.append(Para(part, bold=bold, heading=heading))
    flush()
    return Document(blocks)
