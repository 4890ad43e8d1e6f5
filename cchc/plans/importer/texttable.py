"""Tables whose text was extracted line by line (PDF → text): rebuild rows and cells.

Such a table arrives as lines with no positions: the STT of a row, then the lines of its first
cell (content), then the lines of the next cell (lead body), and so on; a page break repeats the
header and the row goes on with the rest of each cell. Long cells are broken over lines at the
width of their column.

Rows start at a line holding the next STT ("12.", "12", "1.1"); group rows at a Roman numeral
("II Cải cách thủ tục hành chính"). Within a row, each part between page breaks is cut into
cells by dynamic programming over the lines, scoring:

* line wrapping: a line followed by another line of the same cell must have been full, i.e. the
  next word would not have fitted in the column width (widths are estimated from the table);
* starts and ends of cells: a cell starts with a capital and does not end on "và", "của", ",";
* what a cell holds: a deadline cell reads as a deadline phrase and names no body; bodies are
  named in the lead and coordinating cells;
* empty cells: a first part rarely leaves lead, coordinating or deadline empty; a part after a page
  break continues cells left unfinished.
"""

from __future__ import annotations

import re

from cchc.plans.deadlines import DeadlineKind

from .cells import Widths, assign_rows, deadline_kind
from .columns import is_header_text
from .model import Line, Table
from .vocab import BODY_WORDS, fold, join_lines

_STT_ALONE = re.compile(r"^(\d{1,3}(?:\.\d{1,2}){0,2})\s*[.)]?$")
_STT_TEXT = re.compile(r"^(\d{1,3}(?:\.\d{1,2}){0,2})\s*[.)]?\s+(\S.*)$")
_ROMAN = re.compile(r"^([IVXL]{1,6})\s*[.:]?\s+(\S.*)$")
_ROMAN_ALONE = re.compile(r"^([IVXL]{1,6})\s*\.?$")
_HEADER_WORDS = set(
    "stt tt so noi dung nhiem vu hoat dong cong viec co quan don vi chu tri phoi hop thoi gian han "
    "hoan thanh ghi chu ket qua san pham muc tieu chi tieu thuc hien du kien tien do cu the bat dau "
    "ket thuc trach nhiem hinh thuc van ban ten san pham dau ra".split()
)
_END = re.compile(
    r"^(noi nhan|tm\.|t/m|kt\.|k/t|chu tich|pho chu tich|giam doc|pho giam doc|phu luc\b|nguoi ky)"
)
_DEADLINE_TAIL = re.compile(
    r"^(?P<body>\S.*?\S)\s+(?P<dl>(?:Thường xuyên|Trong năm|Trong quý|Năm|Quý|Tháng|Hàng|Hằng|Định kỳ|"
    r"Trước|Chậm nhất|Khi có|Theo tiến độ|Theo kế hoạch|Theo Kế hoạch)\b.*)$"
)

ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]
LABELS = {
    "stt": "STT",
    "target": "Mục tiêu",
    "content": "Nội dung",
    "output": "Kết quả, sản phẩm",
    "lead": "Cơ quan chủ trì",
    "coordinating": "Cơ quan phối hợp",
    "deadline": "Thời gian hoàn thành",
    "note": "Ghi chú",
}


def _is_header_fragment(text: str) -> bool:
    words = re.findall(r"\w+", fold(text))
    return bool(words) and len(text) <= 40 and all(w in _HEADER_WORDS for w in words)


def _stt_key(stt: str) -> tuple[int, ...]:
    return tuple(int(p) for p in stt.split("."))


class _Row:
    def __init__(self, stt: str, first: str | None):
        self.stt = stt
        self.segments: list[list[tuple[str, str]]] = [[]]
        if first:
            self.segments[0].append((first, ""))

    def add(self, text: str, gap: str) -> None:
        self.segments[-1].append((text, gap))

    def page_break(self) -> None:
        if self.segments[-1]:
            self.segments.append([])


def find_text_tables(lines: list[Line]) -> list[tuple[int, int, Table]]:
    """(first line index, end index, table) for each task table found among the lines."""
    found = []
    i = 0
    while i < len(lines):
        if _header_starts(lines, i):
            parsed = _parse_table(lines, i)
            if parsed is not None:
                end, table = parsed
                found.append((i, end, table))
                i = end
                continue
        i += 1
    return found


def _header_starts(lines: list[Line], i: int) -> bool:
    """A header starts here: "STT Nội dung …" on one line, or "STT" alone with the labels on the
    lines below it (a table extracted one cell per line)."""
    if not _STT_HEAD.match(fold(lines[i].text)):
        return False
    return is_header_text(lines[i].text) or is_header_text(_read_header(lines, i)[0])


_STT_HEAD = re.compile(r"\s*(stt|tt|so tt)\b")


def _read_header(lines: list[Line], i: int) -> tuple[str, int]:
    parts = [lines[i].text.strip()]
    j = i + 1
    while j < len(lines) and _is_header_fragment(lines[j].text.strip()):
        parts.append(lines[j].text.strip())
        j += 1
    return " ".join(parts), j


def _header_roles(header: str) -> list[str]:
    folded = fold(header)
    spots = {
        "stt": re.search(r"\b(stt|tt|so tt)\b", folded),
        "target": re.search(r"muc tieu|chi tieu", folded),
        "content": re.search(r"noi dung|nhiem vu|hoat dong|cong viec", folded),
        "output": re.search(r"ket qua|san pham", folded),
        "lead": re.search(r"chu tri", folded),
        "coordinating": re.search(r"phoi hop", folded),
        "deadline": re.search(r"thoi gian|thoi han|tien do|hoan thanh", folded),
        "note": re.search(r"ghi chu", folded),
    }
    roles = sorted((m.start(), r) for r, m in spots.items() if m)
    out = [r for _, r in roles if r != "stt"]
    return out if "content" in out else []


def _parse_table(lines: list[Line], start: int) -> tuple[int, Table] | None:
    header, i = _read_header(lines, start)
    roles = _header_roles(header)
    if not roles:
        return None
    items: list = []  # _Row or ("group", roman, title)
    row: _Row | None = None
    last: tuple[int, ...] = (0,)
    last_roman = 0
    after_group = True
    n = len(lines)
    while i < n:
        line = lines[i]
        text = line.text.strip()
        folded = fold(text)
        if _header_starts(lines, i):
            _, i = _read_header(lines, i)
            if row is not None:
                row.page_break()
            continue
        if _END.match(folded) or (_ROMAN.match(text) and _is_caps_heading(text)):
            break
        m_alone = _STT_ALONE.match(text)
        m_text = _STT_TEXT.match(text) if not m_alone else None
        if m_text and not m_text.group(2)[:1].isupper():
            m_text = None  # "6 tháng cuối năm": a deadline broken over lines, not row 6
        stt = (m_alone or m_text).group(1) if (m_alone or m_text) else None
        if stt is not None and _plausible_next(_stt_key(stt), last, after_group, alone=bool(m_alone)):
            row = _Row(stt, m_text.group(2) if m_text else None)
            items.append(row)
            last, after_group = _stt_key(stt), False
            i += 1
            continue
        m_roman = _ROMAN.match(text)
        alone = _ROMAN_ALONE.match(text)
        if alone and i + 1 < n and alone.group(1) in ROMANS and ROMANS.index(alone.group(1)) == last_roman:
            # "II" on a line of its own (one cell per line), its title on the next
            m_roman = _ROMAN.match(f"{alone.group(1)} {lines[i + 1].text.strip()}")
            i += 1
        if m_roman and (
            ROMANS.index(m_roman.group(1)) == last_roman if m_roman.group(1) in ROMANS else False
        ):
            items.append(["group", m_roman.group(1), m_roman.group(2).strip()])
            last_roman += 1
            row, after_group = None, True
            i += 1
            continue
        if row is None:
            if items and isinstance(items[-1], list):  # a group title broken over lines
                items[-1][2] = join_lines([items[-1][2], text])
            i += 1
            continue
        row.add(text, line.gap)
        i += 1
    if not any(isinstance(it, _Row) for it in items):
        return None
    table = _build(items, roles, lines[start:i])
    return i, table


def _is_caps_heading(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.85


def _plausible_next(key: tuple[int, ...], last: tuple[int, ...], after_group: bool, alone: bool) -> bool:
    if after_group and key in ((1,), (1, 1)):
        return True
    if len(key) == 1:
        step = key[0] - last[0]
        return 0 < step <= (3 if alone else 1)
    # "2.3" after "2.2", "2" or "1.4"; "3.1" after "2.5"
    if key[:-1] == last[: len(key) - 1]:
        return 0 < key[-1] - (last[len(key) - 1] if len(last) >= len(key) else 0) <= (3 if alone else 1)
    return key[0] == last[0] + 1 and all(k == 1 for k in key[1:])


def _split_merged_lines(seg: list[tuple[str, str]], roles: list[str]) -> list[tuple[str, str]]:
    """ "Sở Nội vụ Thường xuyên": two one-line cells printed on the same line."""
    if "deadline" not in roles:
        return seg
    out = []
    for k, (text, gap) in enumerate(seg):
        m = _DEADLINE_TAIL.match(text) if k > 0 and len(text) <= 60 else None
        if (
            m
            and BODY_WORDS.search(fold(m.group("body")))
            and m.group("body")[:1].isupper()
            and deadline_kind(m.group("dl")) != DeadlineKind.UNKNOWN
        ):
            out.append((m.group("body"), gap))
            out.append((m.group("dl"), ""))
        else:
            out.append((text, gap))
    return out


def _build(items: list, roles: list[str], region: list[Line]) -> Table:
    for it in items:
        if isinstance(it, _Row):
            it.segments = [_split_merged_lines(s, roles) for s in it.segments if s]
    widths = Widths(items, roles)
    blank = sum(1 for ln in region if ln.gap == "blank")
    fits: dict = {}  # what a cell holds does not depend on the widths: shared by both passes
    rows = assign_rows(items, roles, widths, blank > len(region) * 0.4, fits)
    # second pass: column widths measured on the first assignment
    seen: dict[str, list[int]] = {r: [] for r in roles}
    for parts in rows:
        if isinstance(parts, list):
            for _, cells in parts:
                for role, lines in cells.items():
                    seen[role].extend(len(t) for t in lines)
    for role, lengths in seen.items():
        if role != "content" and len(lengths) >= 3:
            lengths.sort()
            widths.w[role] = float(lengths[int(len(lengths) * 0.9)])
    rows = assign_rows(items, roles, widths, blank > len(region) * 0.4, fits)
    table_rows: list[list[str]] = [["STT", *[LABELS[r] for r in roles]]]
    for parts in rows:
        if isinstance(parts, tuple):
            table_rows.append([parts[0], parts[1], *[""] * (len(roles) - 1)])
            continue
        for stt, cells in parts:
            table_rows.append([stt, *[join_lines(cells[r]) for r in roles]])
    return Table(table_rows, merged=True)


__all__ = ["find_text_tables"]
