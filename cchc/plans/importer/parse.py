"""From an extracted `Document` to the structured plan of the contract (docs/specs/plan-import.md).

{"issuer", "province", "number", "issued_date", "period": {"from_year", "to_year"}, "kind",
 "reform_areas_present", "targets": [...], "tasks": [...]} — `model.ParsedPlan`.
"""

from __future__ import annotations

import re

from .agencies import agency_tasks
from .blocks import task_blocks
from .columns import is_header_text
from .metadata import Metadata
from .model import Document, ImportedTarget, Line, Para, ParsedPlan, Table
from .outline import Context, Outline
from .paragraphs import Paragraph, from_lines, from_paras
from .tables import parse_tables
from .targets import targets_in
from .vocab import AREAS, fold


def structure(doc: Document) -> list[Paragraph | Table]:
    """Paragraphs and tables in reading order."""
    items: list[Paragraph | Table] = []
    run: list = []

    def flush() -> None:
        if not run:
            return
        if isinstance(run[0], Line):
            items.extend(from_lines(run))
        else:
            items.extend(from_paras(run))
        run.clear()

    seen_table = False
    for block in doc.blocks:
        if isinstance(block, Table) and not seen_table and _layout_table(block):
            # a table used for layout (the first page's header): its cells are paragraphs
            if run and isinstance(run[0], Line):
                flush()
            for row in block.rows:
                for cell in row:
                    run.extend(Para(text.strip()) for text in cell.split("\n") if text.strip())
            continue
        if isinstance(block, Table):
            flush()
            items.append(block)
            seen_table = True
        else:
            if run and type(run[0]) is not type(block):
                flush()
            run.append(block)
    flush()
    return items


def _layout_table(table: Table) -> bool:
    """A small table that is no task table: no header naming content or lead columns."""
    if table.merged or len(table.rows) > 6:
        return False
    return not any(is_header_text(" ".join(row)) for row in table.rows[:6])


def _noise(p: Paragraph) -> bool:
    """Page furniture between two parts of a table (page numbers, running heads)."""
    return len(p.text) < 40 and p.kind == "none" and not re.search(r"[.;:]$", p.text)


def parse_document(doc: Document) -> ParsedPlan:
    """The structured plan of the contract (docs/specs/plan-import.md: exactly its keys)."""
    return parse_document_titled(doc)[0]


def parse_document_titled(doc: Document) -> tuple[ParsedPlan, str]:
    """The structured plan and the title the document gives itself ("Kế hoạch cải cách hành
    chính năm 2023"; "" when it has no such heading), which the saved plan keeps."""
    items = structure(doc)
    paragraphs = [it for it in items if isinstance(it, Paragraph)]
    head = [p.text for p in paragraphs[:80]]
    body = "\n".join(p.text for p in paragraphs)
    meta = Metadata(head, body)
    number = meta.number()
    issued = meta.issued_date()
    province = meta.province()
    issuer = meta.issuer(province)
    span = meta.period(issued)
    kind = meta.kind(span)
    plan_year = span[0] if span and span[0] == span[1] else None

    outline = Outline()
    contexts: list[tuple[Paragraph, Context]] = []
    targets: list[ImportedTarget] = []
    areas: set[str] = set()
    tables: list[tuple[Table, str, bool]] = []
    last_table_at = -10
    noise_since = 0
    annex_hint = False
    for index, it in enumerate(items):
        if isinstance(it, Table):
            continues = last_table_at == index - 1 - noise_since and bool(tables)
            in_annex = outline.appendix or outline.signed or annex_hint
            prefix = "PHỤ LỤC" if in_annex else outline.section()
            tables.append((it, prefix, continues))
            last_table_at, noise_since = index, 0
            continue
        ctx = outline.feed(it)
        contexts.append((it, ctx))
        if last_table_at >= 0 and _noise(it):
            noise_since += 1
        else:
            last_table_at, noise_since = -10, 0
        if re.search(r"\bkèm theo\b", it.text, re.I) and it.text.startswith("("):
            annex_hint = True
        if ctx.heading and ctx.area and not ctx.appendix:
            areas.add(ctx.area)
        if ctx.excluded:
            continue
        text = it.body if it.kind != "none" else it.text
        if "%" in text or re.search(r"\d", text):
            targets.extend(
                targets_in(
                    text,
                    section=ctx.section,
                    area=ctx.area,
                    year=ctx.year,
                    plan_year=plan_year,
                    period=span,
                )
            )

    table_result = parse_tables(tables, plan_year=plan_year, period=span)
    areas.update(table_result.areas)
    tasks = table_result.tasks
    block_tasks = task_blocks(contexts)
    tasks = tasks + block_tasks if tasks else block_tasks
    if not tasks:
        # no table and no labelled blocks: tasks may be assigned agency by agency in the prose
        tasks = agency_tasks(contexts)
    for t in block_tasks:
        if t["area"] and fold(t["group"]):
            areas.add(t["area"])
    parsed: ParsedPlan = {
        "issuer": issuer,
        "province": province,
        "number": number,
        "issued_date": issued,
        "period": {"from_year": span[0], "to_year": span[1]}
        if span
        else {"from_year": None, "to_year": None},
        "kind": kind,
        "reform_areas_present": [a for a in AREAS if a in areas],
        "targets": targets + table_result.targets,
        "tasks": tasks,
    }
    return parsed, meta.document_title()
