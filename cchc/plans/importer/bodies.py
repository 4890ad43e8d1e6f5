"""Split a lead or coordinating cell into the bodies it names.

"Sở Tư pháp; Các cơ quan, đơn vị, địa phương có liên quan" → two bodies: `;` always separates.
A comma separates only when a new body's name starts after it ("Văn phòng UBND tỉnh, Sở Nội vụ"),
so "Các sở, ban, ngành tỉnh", "Sở Văn hóa, Thể thao và Du lịch" and the list after "các Sở:"
("các Sở: Tài chính, Tư pháp, …") stay whole. Nothing inside parentheses is split.
"""

from __future__ import annotations

import re

from .vocab import BODY_HEADS

_UPPER_HEAD = re.compile(r",\s+(?=" + BODY_HEADS + r"\b)")
_LOWER_HEAD = re.compile(r",\s+(?=(?:đơn vị|cơ quan|phòng|ủy ban|trung tâm|các\s+\w+)\b)")
# "Thanh tra Sở Trung tâm thuộc Sở": two bodies whose separator was lost
_LOST_SEPARATOR = re.compile(r"(?<=\bSở)\s+(?=(?:Trung tâm|Văn phòng|Thanh tra|Phòng|Đơn vị|Các)\b)")
_GENERIC = re.compile(r"(?i)^(các|những|mọi)\b")


def _split_commas(text: str) -> list[str]:
    """Split before a named body after a comma; a lower-case one ("đơn vị thuộc Sở") only follows
    a named body, never a generic group ("Các cơ quan, đơn vị, địa phương" stays whole)."""
    parts = []
    for piece in _split_outside_parens(text, _UPPER_HEAD):
        sub = _split_outside_parens(piece, _LOWER_HEAD)
        merged = [sub[0]]
        for s in sub[1:]:
            last = re.split(r"\s+và\s+", merged[-1].strip())[-1]
            if _GENERIC.match(last) or not last[:1].isupper():
                merged[-1] = f"{merged[-1]}, {s}"
            else:
                merged.append(s)
        for m in merged:
            parts.extend(_LOST_SEPARATOR.split(m))
    return [p.strip(" ,") for p in parts if p and p.strip(" ,")]


_LIST_AFTER_COLON = re.compile(r"(?i)\b(các\s+)?(sở|ban|phòng|đơn vị|cơ quan)\s*:")


def _split_outside_parens(text: str, sep: re.Pattern) -> list[str]:
    parts, depth, start = [], 0, 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            m = sep.match(text, i)
            if m and m.end() > i:
                parts.append(text[start:i])
                start = i = m.end()
                continue
        i += 1
    parts.append(text[start:])
    return parts


_SEMI = re.compile(r"\s*;\s*")


def split_bodies(text: str | None) -> list[str]:
    if not text:
        return []
    text = " ".join(text.split()).strip(" ;,.")
    out: list[str] = []
    for chunk in _split_outside_parens(text, _SEMI):
        chunk = chunk.strip(" ,.")
        if not chunk:
            continue
        colon = _LIST_AFTER_COLON.search(chunk)
        if colon:  # "Văn phòng UBND tỉnh, các Sở: Tài chính, Tư pháp" → split before "các Sở:" only
            head, tail = chunk[: colon.start()], chunk[colon.start() :]
            out.extend(_split_commas(head) if head.strip(" ,") else [])
            out.append(tail.strip(" ,"))
            continue
        out.extend(_split_commas(chunk))
    return out
