"""PDF → blocks (pdfplumber): each page's lines and, where the page has ruled tables, the tables
(their text is kept out of the lines). Encrypted, scanned (no text layer) and broken files are
refused with a reason.
"""

from __future__ import annotations

import io

from .model import Document, Line, PlanImportError, Table
from .vocab import norm

MAX_PAGES = 1000  # a plan with its appendices is tens of pages; a bigger file is not a plan


def read_pdf(data: bytes) -> Document:
    if b"%PDF" not in data[:1024]:
        raise PlanImportError("Tệp PDF bị hỏng hoặc không phải là tệp PDF.")
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise PlanImportError("Tệp PDF được mã hóa (cần mật khẩu); hãy gửi bản không khóa.") from exc
        raise PlanImportError("Tệp PDF bị hỏng, không đọc được.") from exc
    except Exception as exc:
        raise PlanImportError("Tệp PDF bị hỏng, không đọc được.") from exc
    blocks: list = []
    text_pages = image_pages = 0
    try:
        with pdf:
            if not pdf.pages:
                raise PlanImportError("Tệp PDF không có trang nào.")
            if len(pdf.pages) > MAX_PAGES:
                raise PlanImportError(
                    f"Tệp PDF có {len(pdf.pages)} trang, quá giới hạn {MAX_PAGES} trang của một văn bản kế hoạch."
                )
            for page in pdf.pages:
                page_blocks = _pdf_page(page)
                if any(b.text.strip() for b in page_blocks if isinstance(b, Line)) or any(
                    isinstance(b, Table) for b in page_blocks
                ):
                    text_pages += 1
                elif page.images:
                    image_pages += 1
                blocks.extend(page_blocks)
    except PlanImportError:
        raise
    except Exception as exc:
        raise PlanImportError("Tệp PDF bị hỏng, không đọc được nội dung.") from exc
    if image_pages and image_pages >= text_pages:
        raise PlanImportError(
            "Tệp PDF là bản quét (ảnh), không có lớp chữ; cần nhận dạng ký tự (OCR) trước khi nhập."
        )
    if not text_pages:
        raise PlanImportError("Tệp PDF không có nội dung văn bản để nhập.")
    return Document(blocks)


def _pdf_lines(page, gap: str) -> list[Line]:
    text = page.extract_text(x_tolerance=1.5, y_tolerance=3) or ""
    out = []
    for raw in norm(text).split("\n"):
        if raw.strip():
            out.append(Line(raw, gap))
            gap = ""
    return out


def _pdf_page(page) -> list:
    """The page's text and its ruled tables in top-to-bottom order."""
    try:
        tables = page.find_tables()
    except Exception:
        tables = []
    tables = [t for t in tables if len(t.rows) >= 1 and len(t.rows[0].cells) >= 3]
    if not tables:
        return _pdf_lines(page, "page")
    tables.sort(key=lambda t: t.bbox[1])
    blocks: list = []
    top = 0.0
    gap = "page"
    for t in tables:
        x0, t_top, x1, t_bottom = t.bbox
        if t_top > top + 1:
            region = page.within_bbox((0, top, page.width, min(t_top, page.height)))
            lines = _pdf_lines(region, gap)
            if lines:
                gap = ""
            blocks.extend(lines)
        rows = [[norm(c or "").strip() for c in row] for row in t.extract()]
        if any(any(c for c in row) for row in rows):
            blocks.append(Table(rows))
        top = t_bottom
    if top < page.height - 1:
        blocks.extend(_pdf_lines(page.within_bbox((0, top, page.width, page.height)), gap))
    return blocks
