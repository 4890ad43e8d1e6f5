"""Tasks written in the body as blocks that carry their own lead body:

    1.1. Rà soát, hệ thống hóa văn bản quy phạm pháp luật.
    - Đơn vị chủ trì: Sở Tư pháp.
    - Đơn vị phối hợp: Các sở, ban, ngành; UBND các xã, phường.
    - Thời gian thực hiện: Quý II/2024.

or on one line ("… Chủ trì: Sở Tư pháp; phối hợp: …; thời gian: Quý II/2024."). A block without
a lead body is not a task.
"""

from __future__ import annotations

import re

from .bodies import split_bodies
from .model import ImportedTask
from .outline import Context
from .paragraphs import Paragraph
from .vocab import area_of_text

_LABEL = (
    r"(?P<label>(?:đơn vị|cơ quan|bộ phận)\s+(?:chủ trì|phối hợp|thực hiện|chịu trách nhiệm)(?:\s+thực hiện)?"
    r"|chủ trì(?:\s+thực hiện)?|phối hợp(?:\s+thực hiện)?|thời gian(?:\s+(?:thực hiện|hoàn thành))?"
    r"|thời hạn(?:\s+hoàn thành)?|tiến độ(?:\s+(?:thực hiện|hoàn thành))?|hạn hoàn thành"
    r"|(?:kết quả|sản phẩm)(?:,?\s*(?:sản phẩm|dự kiến|đầu ra|đạt được))?|nội dung|ghi chú)\s*:"
)
_FIELD_START = re.compile(r"(?i)^\s*(?:[-+•*–]\s*)?" + _LABEL)
_FIELD_ANY = re.compile(r"(?i)(?:^|(?<=[;.,(])\s*|\s+[-–]\s+)(?:[-+•]\s*)?" + _LABEL)


def _role(label: str) -> str:
    label = label.lower()
    if label.startswith(("thời", "tiến", "hạn")):
        return "deadline"
    if "phối hợp" in label:
        return "coordinating"
    if "chủ trì" in label or "thực hiện" in label or "chịu trách nhiệm" in label:
        return "lead"
    if label.startswith(("kết quả", "sản phẩm")):
        return "output"
    if label.startswith("nội dung"):
        return "content"
    return "note"


def _fields(text: str) -> dict[str, str]:
    found = list(_FIELD_ANY.finditer(text))
    out: dict[str, str] = {}
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else len(text)
        value = text[m.end() : end].strip(" ;.,)(-–")
        role = _role(m.group("label"))
        if value:
            out[role] = f"{out[role]}; {value}" if role in out else value
    return out


def _inline(p: Paragraph) -> tuple[str, dict[str, str]] | None:
    """An item that carries its fields on its own line: (content, fields)."""
    for m in _FIELD_ANY.finditer(p.body):
        if m.start() > 0 and _role(m.group("label")) == "lead":
            return p.body[: m.start()].strip(" ;.,(-–"), _fields(p.body[m.start("label") :])
    return None


def task_blocks(paras: list[tuple[Paragraph, Context]]) -> list[ImportedTask]:
    tasks = []
    i, n = 0, len(paras)
    while i < n:
        p, ctx = paras[i]
        inline = _inline(p) if not _FIELD_START.match(p.text) else None
        if inline and "lead" in inline[1] and inline[0]:
            tasks.append(_task(p, ctx, inline[0], inline[1]))
            i += 1
            continue
        if not _FIELD_START.match(p.text):
            i += 1
            continue
        fields: dict[str, str] = {}
        j = i
        while j < n and _FIELD_START.match(paras[j][0].text):
            for role, value in _fields(paras[j][0].text).items():
                fields[role] = f"{fields[role]}; {value}" if role in fields else value
            j += 1
        if "lead" in fields and i > 0:
            item, item_ctx = paras[i - 1]
            content = fields.get("content") or item.body or item.text
            if fields.get("content") and item.kind == "bullet" and item.body:
                # "- Nghị định xử phạt …" then "+ Nội dung: bao gồm …": the bullet names the
                # product, the label says what it holds (a numbered item is only a title)
                content = f"{item.body} {fields['content']}"
            tasks.append(_task(item, item_ctx, content, fields))
        i = j
    return tasks


def _task(item: Paragraph, ctx: Context, content: str, fields: dict[str, str]) -> ImportedTask:
    stt = item.marker if item.kind in ("arabic", "multi", "letter") else ""
    content = content.strip().rstrip(":").strip()
    return {
        "stt": stt,
        "group": ctx.group,
        "area": ctx.area or area_of_text(content),
        "content": content,
        "target": None,
        "output": fields.get("output") or None,
        "lead": split_bodies(fields.get("lead")),
        "coordinating": split_bodies(fields.get("coordinating")),
        "deadline": fields.get("deadline") or None,
        "note": fields.get("note") or None,
    }
