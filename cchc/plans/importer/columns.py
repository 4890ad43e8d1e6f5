"""Table header labels → column roles (content, lead, coordinating, deadline, …)."""

from __future__ import annotations

import re

from .vocab import fold

ROLES = ("stt", "target", "content", "output", "lead", "coordinating", "deadline", "note")

# label patterns on folded text, most specific first
_ROLE_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("stt", re.compile(r"^(stt|tt|so tt|so thu tu|thu tu)$")),
    ("lead", re.compile(r"chu tri")),
    ("coordinating", re.compile(r"phoi hop")),
    ("note", re.compile(r"ghi chu")),
    ("deadline", re.compile(r"thoi gian|thoi han|tien do|han hoan thanh|^hoan thanh|moc thoi gian")),
    ("target", re.compile(r"muc tieu|chi tieu")),
    ("output", re.compile(r"ket qua|san pham|hinh thuc")),
    ("content", re.compile(r"noi dung|nhiem vu|hoat dong|cong viec|giai phap|ten (de an|nhiem vu)")),
    ("lead", re.compile(r"(co quan|don vi) (thuc hien|chu quan)|^thuc hien$|trach nhiem")),
]


def role_of_label(label: str) -> str | None:
    folded = " ".join(fold(label).replace("/", " / ").split())
    folded = folded.strip(" .:")
    for role, rx in _ROLE_PATTERNS:
        if rx.search(folded):
            return role
    return None


def roles_of_header(labels: list[str]) -> list[str | None]:
    """One role per column; a role already taken goes to the first column that claims it
    ("Thời gian bắt đầu | Thời gian hoàn thành": the deadline is the one saying "hoàn thành")."""
    roles = [role_of_label(lb) if lb.strip() else None for lb in labels]
    deadline_cols = [i for i, r in enumerate(roles) if r == "deadline"]
    if len(deadline_cols) > 1:
        finish = [
            i for i in deadline_cols if "hoan thanh" in fold(labels[i]) or "ket thuc" in fold(labels[i])
        ]
        keep = finish[0] if finish else deadline_cols[-1]
        for i in deadline_cols:
            if i != keep:
                roles[i] = None
    seen: set[str] = set()
    for i, r in enumerate(roles):
        if r is None:
            continue
        if r in seen:
            roles[i] = None
        seen.add(r)
    return roles


def is_header_text(text: str) -> bool:
    """A row (or line) that is a task table's header: STT plus content or lead labels. Labels
    broken over lines in a narrow cell ("Cơ quan chủ\ntrì") read as written on one line."""
    folded = " ".join(fold(text).split())
    has_stt = re.search(r"(^|\W)(stt|tt|so tt)(\W|$)", folded) is not None
    has_content = re.search(r"noi dung|nhiem vu|hoat dong|cong viec", folded) is not None
    has_lead = re.search(r"chu tri|thuc hien", folded) is not None
    return (has_stt and (has_content or has_lead)) or (has_content and has_lead and len(folded) < 250)
