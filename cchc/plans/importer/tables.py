"""Appendix tables (grids of cells) → tasks, and the targets printed in them.

The header names the columns ("STT | Nội dung | Kết quả/Sản phẩm | Cơ quan chủ trì | Cơ quan phối
hợp | Thời gian hoàn thành | Ghi chú" and their variants, over one or two rows). Below it:

* group rows: a Roman numeral (or a lone area title) — "II. Cải cách thủ tục hành chính";
* sub-group rows: a number and a title with no body and no deadline — not a task;
* task rows; a row with no STT under a numbered one is a task of its own that shares the
  merged "Mục tiêu" cell above it;
* after a page break (the header repeated, or the next page's table), a first row with no STT
  that starts in lower case or names no lead body continues the row before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .bodies import split_bodies
from .columns import is_header_text, roles_of_header
from .model import ImportedTarget, ImportedTask, Table
from .targets import targets_in
from .vocab import area_of_text, area_of_title, fold, join_lines

_ROMAN = re.compile(r"^([IVXL]{1,6}(?:\.\d{1,2}){0,3}|[A-Z])\s*\.?$")
_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,3})\s*[.)]?$")
_NUMBERING_ROW = re.compile(r"^\(?\d{1,2}\)?$")
_BARE_FIGURE = re.compile(r"^\W{0,3}\d[\d.,]*\s*\S{0,12}$")
_TEXT_ROLES = ("target", "content", "output", "lead", "coordinating", "deadline", "note")


@dataclass
class _Task:
    stt: str
    group: str
    area: str | None
    cells: dict[str, str]
    own: set[str] = field(default_factory=set)  # roles printed in this row (not inherited)
    section: str = ""


@dataclass
class TableResult:
    tasks: list[ImportedTask] = field(default_factory=list)
    targets: list[ImportedTarget] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)


def _header(rows: list[list[str]]) -> tuple[int, list[str | None]] | None:
    """(index of the first data row, role of each column)."""
    for i, row in enumerate(rows[:6]):
        if row and _NUMBER.match(row[0].strip()):
            continue  # a numbered row is data, whatever its words ("điều chỉnh … kết quả")
        if is_header_text(" ".join(row)):
            labels = list(row)
            j = i + 1
            # a second header row under merged cells ("Đơn vị thực hiện" → "Chủ trì | Phối hợp")
            while j < len(rows) and j <= i + 2 and _is_header_row(rows[j]):
                labels = [
                    f"{a} {b}".strip() for a, b in zip(labels, rows[j] + [""] * len(labels), strict=False)
                ]
                j += 1
            while j < len(rows) and _is_numbering_row(rows[j]):
                j += 1
            roles = roles_of_header(labels)
            if "content" not in roles and "target" in roles:
                # a table of indicators ("Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì"): each
                # indicator is the row's content and its result column the value aimed at
                roles = ["content" if r == "target" else "target" if r == "output" else r for r in roles]
                roles = [
                    "unit" if r is None and re.fullmatch(r"don vi( tinh)?", fold(lb).strip(" .:")) else r
                    for r, lb in zip(roles, labels, strict=False)
                ]
            if "content" not in roles:
                return None
            return j, roles
    return None


def _is_header_row(row: list[str]) -> bool:
    texts = [c for c in row if c.strip()]
    if not texts or _NUMBER.match(row[0].strip() if row else ""):
        return False
    return all(len(c) < 40 for c in texts) and any(
        re.search(r"chu tri|phoi hop|bat dau|hoan thanh|ket thuc|thoi gian|thoi han", fold(c)) for c in texts
    )


def _is_numbering_row(row: list[str]) -> bool:
    texts = [c.strip() for c in row if c.strip()]
    return len(texts) >= 3 and all(_NUMBERING_ROW.match(c) for c in texts)


def _same_header(row: list[str], header_roles: list[str | None]) -> bool:
    return is_header_text(" ".join(row)) and len(row) == len(header_roles)


class _Builder:
    def __init__(self, plan_year: int | None, period: tuple[int, int] | None):
        self.plan_year = plan_year
        self.period = period
        self.tasks: list[_Task] = []
        self.areas: list[str] = []
        self.group = ""
        self.group_area: str | None = None
        self.group_title = ""
        self.last_was_group = False  # the row before was a group's title (a page may break it)
        self.roles: list[str | None] | None = None
        self.prefix = "PHỤ LỤC"

    def feed(self, table: Table, *, prefix: str, continues: bool) -> None:
        rows = [list(r) for r in table.rows]
        head = _header(rows)
        if head is not None and continues and self.roles and head[1] == self.roles:
            # the next page's part of the same table: the rows above its repeated header are the
            # rest of the row the page broke and the rows after it (a printed PDF), not a preamble
            start, roles, page_break = 0, self.roles, True
        elif head is not None:
            start, roles = head
            if not (continues and self.roles and len(roles) == len(self.roles)):
                self.group, self.group_area = "", None
            self.roles = roles
            self.prefix = prefix
            page_break = continues
        elif continues and self.roles and rows and len(rows[0]) == len(self.roles):
            start, roles, page_break = 0, self.roles, True
        else:
            return
        width = len(roles)
        last_row: list[str] | None = None
        for r in range(start, len(rows)):
            row = (rows[r] + [""] * width)[:width]
            if _same_header(row, roles) or _is_numbering_row(row):
                page_break = True
                continue
            cells = {role: join_lines(row[c].split("\n")) for c, role in enumerate(roles) if role}
            for c, role in enumerate(roles):
                if role and (r, c) in table.continued and last_row is not None:
                    cells[role] = "" if role == "stt" else last_row[c]
                    row[c] = last_row[c]
            last_row = row
            if not any(v for v in cells.values()):
                continue
            if table.merged:
                page_break = False
            self._row(cells, page_break and not table.merged, table.merged)
            page_break = False

    def _row(self, cells: dict[str, str], after_break: bool, merged: bool) -> None:
        stt = cells.get("stt", "").strip()
        others = [(role, cells[role]) for role in _TEXT_ROLES if cells.get(role)]
        roman = _ROMAN.match(stt)
        if (
            after_break
            and not stt
            and self.last_was_group
            and len(others) == 1
            and others[0][0] in ("content", "target")
        ):
            # the page broke the group's title: its rest heads the next page
            title = join_lines([self.group_title, others[0][1]])
            self._set_group(join_lines([self.group, others[0][1]]), title)
            return
        self.last_was_group = False
        if roman and others and not cells.get("lead") and not cells.get("deadline"):
            title = others[0][1]
            self._set_group(f"{stt} {title}".strip(), title)
            self.last_was_group = True
            return
        if not stt and len(others) == 1 and not self.tasks_in_group() and area_of_title(others[0][1]):
            self._set_group(others[0][1], others[0][1])
            return
        prev = self.tasks[-1] if self.tasks else None
        if after_break and not stt and prev is not None and self._continues(cells, prev):
            for role, text in cells.items():
                if role != "stt" and text:
                    prev.cells[role] = join_lines([prev.cells.get(role, ""), text])
                    prev.own.add(role)
            return
        number = _NUMBER.match(stt)
        if (
            number
            and not any(cells.get(k) for k in ("lead", "coordinating", "deadline", "output"))
            and len(others) == 1
        ):
            return  # a sub-group title ("1. Kiểm soát thủ tục hành chính")
        if not cells.get("content") and not cells.get("target"):
            return
        own = {role for role, text in cells.items() if text}
        if not stt and prev is not None and prev.group == self.group:
            # cells merged with the row above come out empty: the "Mục tiêu" and the lead body
            for role in ("target", "lead"):
                if not cells.get(role) and prev.cells.get(role):
                    cells[role] = prev.cells[role]
        stt = number.group(1) if number else stt
        # without the group's area, the row's own words decide — once the page has given all of them
        self.tasks.append(_Task(stt, self.group, self.group_area, dict(cells), own, self.prefix))

    def tasks_in_group(self) -> bool:
        return bool(self.tasks) and self.tasks[-1].group == self.group

    def _set_group(self, group: str, title: str) -> None:
        self.group, self.group_title = group, title
        self.group_area = area_of_title(title) or area_of_title(re.sub(r"^[IVXL\d.\s]+", "", title))
        if self.group_area and self.group_area not in self.areas:
            self.areas.append(self.group_area)

    @staticmethod
    def _continues(cells: dict[str, str], prev: _Task) -> bool:
        if not cells.get("lead") or not prev.cells.get("deadline"):
            return True
        for role in ("target", "content", "output", "lead", "coordinating"):
            text = cells.get(role, "")
            if text and (text[:1].islower() or text[:1] in "-+•,;"):
                return True
        return False

    def result(self) -> TableResult:
        out = TableResult(areas=list(self.areas))
        last_stt = ""
        for t in self.tasks:
            t.area = t.area or area_of_text(t.cells.get("content", ""))
            where = f"STT {t.stt}" if t.stt else f"dòng không STT sau STT {last_stt}".rstrip()
            if t.stt:
                last_stt = t.stt
            head = f"{t.section}: {t.group}" if t.section and t.group else (t.section or t.group)
            section = f"{head}, {where}" if head else where
            measured = bool(_BARE_FIGURE.match(t.cells.get("target", "")))
            for role in ("target", "content", "output"):
                text = t.cells.get(role, "")
                if role == "content" and measured:
                    continue  # the indicator's own words ("ít nhất 01 ứng dụng") are no goal
                if text and role in t.own:
                    found = targets_in(
                        text,
                        section=section,
                        area=t.area,
                        year=None,
                        plan_year=self.plan_year,
                        period=self.period,
                    )
                    content = t.cells.get("content", "")
                    if role == "target" and content and _BARE_FIGURE.match(text):
                        # a result cell that is only a figure ("100%") measures the row's content
                        for target in found:
                            target["text"] = content
                            target["area"] = target.get("area") or area_of_text(content)
                    out.targets.extend(found)
            out.tasks.append(
                {
                    "stt": t.stt,
                    "group": t.group,
                    "area": t.area,
                    "content": t.cells.get("content") or t.cells.get("target") or "",
                    "target": t.cells.get("target") or None,
                    "output": t.cells.get("output") or None,
                    "lead": split_bodies(t.cells.get("lead")),
                    "coordinating": split_bodies(t.cells.get("coordinating")),
                    "deadline": t.cells.get("deadline") or None,
                    "note": t.cells.get("note") or None,
                }
            )
        return out


def parse_tables(
    tables: list[tuple[Table, str, bool]], *, plan_year: int | None, period: tuple[int, int] | None
) -> TableResult:
    """`tables`: (table, section prefix, whether it continues the table before it)."""
    builder = _Builder(plan_year, period)
    for table, prefix, continues in tables:
        builder.feed(table, prefix=prefix, continues=continues)
    return builder.result()
