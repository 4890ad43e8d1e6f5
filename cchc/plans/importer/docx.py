"""DOCX → blocks: paragraphs and tables in document order (python-docx's XML tree).

Word's automatic numbering is rendered ("1.", "a)", "II.") since the text of a numbered paragraph
does not carry it. A merged cell is kept once: the other grid positions it covers are empty, and
cells that continue a vertical merge are listed so the table reader can repeat the value above.
"""

from __future__ import annotations

import io
import re
import zipfile

from .model import Document, Para, PlanImportError, Table
from .vocab import norm

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# A real plan — even a 300-page one with its appendix tables — unpacks to a few MB of XML with a
# few tens of thousands of paragraphs. A 1 MB "zip bomb" unpacking to 1 GiB, or 1.7 million empty
# paragraphs, once took a server worker to 2 GB: refused before the XML is parsed.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_PARAGRAPHS = 100_000


def check_docx_size(data: bytes) -> None:
    """Refuse a DOCX whose parts unpack to more than MAX_UNPACKED_BYTES (read from the zip's
    directory, nothing inflated) or whose body holds more than MAX_PARAGRAPHS paragraphs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise PlanImportError(
                    f"Tệp DOCX giải nén ra {unpacked // (1024 * 1024)} MB, quá giới hạn "
                    f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB của một văn bản kế hoạch."
                )
            with archive.open("word/document.xml") as body:
                paragraphs = 0
                tail = b""
                for chunk in iter(lambda: body.read(1 << 20), b""):
                    window = tail + chunk
                    paragraphs += sum(window.count(tag) for tag in (b"<w:p>", b"<w:p ", b"<w:p/>"))
                    # a tag cut between two chunks is found in the next window; 4 bytes cannot
                    # hold a whole 5-byte tag, so nothing is counted twice
                    tail = window[-4:]
                    if paragraphs > MAX_PARAGRAPHS:
                        raise PlanImportError(
                            f"Tệp DOCX có hơn {MAX_PARAGRAPHS:,} đoạn văn, quá lớn đối với một văn bản "
                            "kế hoạch.".replace(",", ".")
                        )
    except (zipfile.BadZipFile, KeyError, OSError):
        return  # not a readable DOCX: read_docx says so


def read_docx(data: bytes) -> Document:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise PlanImportError(
            "Tệp DOCX được mã hóa bằng mật khẩu hoặc là tệp Word cũ (.doc); hãy lưu lại ở dạng .docx."
        )
    check_docx_size(data)
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        numbering = _Numbering(document)
        blocks: list = []
        blank = False
        for child in body.iterchildren():
            if child.tag == f"{_W}p":
                para = _docx_paragraph(child, numbering)
                if para is not None:
                    para.after_blank, blank = blank, False
                    blocks.append(para)
                else:
                    blank = True
            elif child.tag == f"{_W}tbl":
                rows, continued = _docx_table(child)
                if rows:
                    blocks.append(Table(rows, continued=continued))
            elif child.tag == f"{_W}sdt":  # content controls wrap paragraphs
                for p in child.iter(f"{_W}p"):
                    para = _docx_paragraph(p, numbering)
                    if para is not None:
                        blocks.append(para)
    except PlanImportError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, AttributeError, Exception) as exc:
        raise PlanImportError("Tệp DOCX bị hỏng hoặc không đúng định dạng Word (.docx).") from exc
    return Document(blocks)


def _para_text(p) -> str:
    parts = []
    for node in p.iter():
        tag = node.tag
        if tag == f"{_W}t":
            parts.append(node.text or "")
        elif tag == f"{_W}tab":
            parts.append(" ")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return norm("".join(parts))


def _is_bold(p) -> bool:
    runs = [r for r in p.iter(f"{_W}r") if "".join(t.text or "" for t in r.iter(f"{_W}t")).strip()]
    if not runs:
        return False
    for r in runs:
        b = r.find(f"{_W}rPr/{_W}b")
        if b is None or b.get(f"{_W}val") in ("0", "false"):
            return False
    return True


def _docx_paragraph(p, numbering: _Numbering) -> Para | None:
    text = _para_text(p)
    label = numbering.label(p)
    if not text.strip():
        return None
    if label:
        text = f"{label} {text.strip()}"
    style = p.find(f"{_W}pPr/{_W}pStyle")
    style_name = (style.get(f"{_W}val") or "") if style is not None else ""
    heading = bool(re.match(r"(?i)(heading|title|u\d)", style_name))
    return Para(text.strip(), bold=_is_bold(p), heading=heading)


def _docx_table(tbl) -> tuple[list[list[str]], set[tuple[int, int]]]:
    rows = []
    continued: set[tuple[int, int]] = set()
    for tr in tbl.iterchildren(f"{_W}tr"):
        row: list[str] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            pr = tc.find(f"{_W}tcPr")
            span = 1
            merged_above = False
            if pr is not None:
                gs = pr.find(f"{_W}gridSpan")
                if gs is not None:
                    span = int(gs.get(f"{_W}val") or 1)
                vm = pr.find(f"{_W}vMerge")
                merged_above = vm is not None and vm.get(f"{_W}val") in (None, "continue")
            texts = [_para_text(p) for p in tc.iter(f"{_W}p")]
            if merged_above:
                continued.add((len(rows), len(row)))
            text = "" if merged_above else "\n".join(t.strip() for t in texts if t.strip())
            row.append(text)
            row.extend([""] * (span - 1))
        rows.append(row)
    return rows, continued


class _Numbering:
    """Renders Word's automatic numbering ("%1.", "%1.%2.", letters, roman numerals)."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.styles: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part
            return
        abstract = {}
        for an in root.iterchildren(f"{_W}abstractNum"):
            lv = {}
            for lvl in an.iterchildren(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl") or 0)
                fmt = lvl.find(f"{_W}numFmt")
                txt = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                lv[ilvl] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    txt.get(f"{_W}val") if txt is not None else "",
                    int(start.get(f"{_W}val")) if start is not None else 1,
                )
            abstract[an.get(f"{_W}abstractNumId")] = lv
        for num in root.iterchildren(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{_W}numId")] = abstract.get(ref.get(f"{_W}val"), {})
        try:
            for style in document.styles.element.iterchildren(f"{_W}style"):
                np_ = style.find(f"{_W}pPr/{_W}numPr")
                if np_ is not None:
                    nid = np_.find(f"{_W}numId")
                    ilvl = np_.find(f"{_W}ilvl")
                    if nid is not None:
                        self.styles[style.get(f"{_W}styleId")] = (
                            nid.get(f"{_W}val"),
                            int(ilvl.get(f"{_W}val")) if ilvl is not None else 0,
                        )
        except Exception:
            pass

    def label(self, p) -> str:
        if not self.levels:
            return ""
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        num_id, ilvl = None, 0
        if num_pr is not None:
            nid = num_pr.find(f"{_W}numId")
            lv = num_pr.find(f"{_W}ilvl")
            num_id = nid.get(f"{_W}val") if nid is not None else None
            ilvl = int(lv.get(f"{_W}val")) if lv is not None else 0
        else:
            style = p.find(f"{_W}pPr/{_W}pStyle")
            if style is not None and style.get(f"{_W}val") in self.styles:
                num_id, ilvl = self.styles[style.get(f"{_W}val")]
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        levels = self.levels[num_id]
        counters = self.counters.setdefault(num_id, [0] * 9)
        if ilvl >= 9:
            return ""
        start = levels.get(ilvl, ("decimal", "", 1))[2]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        fmt, text, _ = levels.get(ilvl, ("decimal", f"%{ilvl + 1}.", 1))
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return ""

        def render(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            f = levels.get(k, ("decimal", "", 1))[0]
            return _format_number(counters[k] or levels.get(k, ("", "", 1))[2], f)

        return re.sub(r"%(\d)", render, text)


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip
_VI_LETTERS = "abcdđeghiklmnopqrstuvxy"


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        out = ""
        for value, sym in _ROMAN:
            while n >= value:
                out += sym
                n -= value
        return out if fmt == "upperRoman" else out.lower()
    if fmt in ("lowerLetter", "upperLetter"):
        letter = _VI_LETTERS[(n - 1) % len(_VI_LETTERS)]
        return letter if fmt == "lowerLetter" else letter.upper()
    return str(n)
