"""Tasks assigned per agency in prose — directives (chỉ thị), telegrams (công điện), plan sections:

    1. Sở Y tế                                  ← an agency heading
    a) Chủ trì, phối hợp với … tăng cường …     ← a task of Sở Y tế (group "1. Sở Y tế")
    b) Tổ chức sơ kết, tổng kết …
    3. Sở Giáo dục và Đào tạo                   ← an agency heading followed by plain paragraphs:
    Căn cứ chức năng nhiệm vụ, chỉ đạo …          one task "3" of that agency
    4. Sở Nội vụ: tham mưu …                    ← agency, colon, the task on the same line
    5. Cơ quan phối hợp có trách nhiệm …        ← a sentence whose subject is the agency
    2. Các sở, ban, ngành: … các nội dung sau:  ← an agency introducing items (and sub-headings
    2.1. Trách nhiệm chung                         without an agency of their own) below it
    a) …
    Giao Sở Tài chính chủ trì, …                ← "Giao X chủ trì/thực hiện …"

An item is a task only under (or as) an agency; headings and items with no agency in reach give
nothing. The "Tổ chức thực hiện" section (who organises the plan, not what it does), the
articles of a covering decision and anything after the signature are not read.
"""

from __future__ import annotations

import re

from .bodies import split_bodies
from .model import ImportedTask
from .outline import Context
from .paragraphs import Paragraph
from .vocab import BODY_HEADS, area_of_text, fold

# Since the 2025 reorganisation the tax offices are bodies named by level, "Thuế tỉnh …",
# "Thuế thành phố …", "Thuế cơ sở …": a kind of body, like "Sở …" or "Ủy ban nhân dân …"
_HEADS = r"(?:" + BODY_HEADS + r"|Thuế (?:tỉnh|thành phố|cơ sở))"
_AGENCY = re.compile(r"^(?:(?:Đề nghị|Yêu cầu)\s+)?(?P<name>" + _HEADS + r"\b.*)$", re.S)
_AGENCY_IN = re.compile(r"(?:^|[,;]\s+|\s)(?P<name>" + BODY_HEADS + r"\b)")
_GIAO = re.compile(r"^Giao\s+(?P<name>" + BODY_HEADS + r"\b.*?)\s+(?:chủ trì|thực hiện|tham mưu|phối hợp)\b")
# where the name of an agency ends and what it has to do begins
_VERB = re.compile(
    r"\s+(?:có trách nhiệm|chịu trách nhiệm|chủ trì|chủ động|phối hợp|theo chức năng|căn cứ|"
    r"thực hiện|triển khai|tổ chức|chỉ đạo|khẩn trương|tăng cường|rà soát|tham mưu|hướng dẫn|"
    r"là\s|có ý kiến|kiểm tra|xây dựng|bảo đảm|đảm bảo|nghiêm túc|tiếp tục|quán triệt)\b"
)
_NOT_TASKS = re.compile(r"to chuc thuc hien|muc dich|yeu cau$|quan diem|can cu|ket qua|tinh hinh")
_ITEM = ("arabic", "multi", "letter")


def _split(body: str) -> tuple[str, str] | None:
    """(agency, what follows it) when the item starts with an agency; what follows is "" for a
    heading that is only the agency's name."""
    m = _AGENCY.match(body)
    if not m:
        g = _GIAO.match(body)
        return (g.group("name"), body) if g else None
    name = m.group("name")
    colon = name.find(":")
    if 0 < colon < 250:
        if _LABEL_ONLY.match(fold(name[:colon])):
            return None  # "Cơ quan chủ trì: Bộ Công an" is a field of a block, not an agency
        return name[:colon].strip(), name[colon + 1 :].strip()
    for verb in _VERB.finditer(name):
        if verb.start() >= 300:
            break
        if not _BARE_HEAD.match(fold(name[: verb.start()])):  # "Cơ quan | phối hợp có trách nhiệm"
            return name[: verb.start()].strip(" ,"), body
    if len(name) < 200 and not re.search(r"[.;]$", name) and not _LABEL_ONLY.match(fold(name)):
        return name.strip(), ""
    return None


_BARE_HEAD = re.compile(r"^(cac )?(co quan|don vi|bo phan)$")
# a field label, not a body: "Cơ quan thực hiện" heading a paragraph names nobody
_LABEL_ONLY = re.compile(r"^(co quan|don vi|bo phan)\s+(chu tri|phoi hop|thuc hien|lien quan)\s*:?$")


def _colon_agency(body: str) -> tuple[str, str] | None:
    """("Sở Y tế", "bảo đảm thuốc …") for "Sở Y tế: bảo đảm thuốc …"."""
    own = _split(body)
    return own if own and own[1] and ":" in body[: len(own[0]) + 2] else None


def _intro_agency(body: str) -> str | None:
    """The agency an introduction ending with ":" addresses ("…, các Sở, ngành và UBND cấp xã
    theo chức năng … thực hiện những nội dung sau:")."""
    m = _AGENCY_IN.search(body)
    if not m:
        return None
    rest = body[m.start("name") :]
    verb = _VERB.search(rest)
    return rest[: verb.start()].strip(" ,:") if verb else None


def _clean_name(name: str) -> list[str]:
    """The bodies named: "Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban …)" names those inside."""
    name = re.sub(r"\[\d+\]", "", name).strip(" :;,.")
    inner = re.search(r"\(([^()]*)\)\s*$", name)
    if inner and _AGENCY_IN.search(" " + inner.group(1)):
        return split_bodies(inner.group(1))
    return split_bodies(name)


def agency_tasks(paras: list[tuple[Paragraph, Context]]) -> list[ImportedTask]:
    tasks: list[ImportedTask] = []
    # (level, paragraph, agency named by it)
    stack: list[tuple[int, Paragraph, str | None]] = []
    skipping = False
    n = len(paras)
    i = 0
    while i < n:
        p, ctx = paras[i]
        if ctx.excluded or ctx.appendix:
            i += 1
            continue
        if p.kind in ("roman", "article"):
            stack = [(p.level, p, None)]
            skipping = p.kind == "article" or bool(_NOT_TASKS.search(fold(p.body)))
            i += 1
            continue
        if not skipping and p.kind == "bullet":
            # "- Sở Y tế: …" (telegrams, short directives): a task when an agency and a colon lead it
            own = _colon_agency(p.body)
            if own:
                tasks.append(_task("", stack[-1][1].text if stack else "", own[1], own[0]))
            i += 1
            continue
        if skipping or p.kind not in _ITEM:
            i += 1
            continue
        while stack and stack[-1][0] >= p.level:
            stack.pop()
        parent = stack[-1][1].text if stack else ""
        inherited = next((a for _, _, a in reversed(stack) if a), None)
        # the paragraphs that belong to this item: plain ones and bullets up to the next item
        j = i + 1
        while j < n and paras[j][0].kind not in (*_ITEM, "roman", "article"):
            j += 1
        following = [paras[k][0] for k in range(i + 1, j)]
        deeper = j < n and paras[j][0].kind in _ITEM and paras[j][0].level > p.level
        assigned = [(f, _colon_agency(f.body)) for f in following if f.kind == "bullet"]
        if any(a for _, a in assigned) and not re.search(r"[.;]$", p.body):
            # "3. Các sở, ngành:" over "- Sở Y tế: …" bullets: each bullet is a task
            for _, a in assigned:
                if a:
                    tasks.append(_task("", p.text, a[1], a[0]))
            i = j
            continue
        own = _split(p.body)
        agency: str | None
        titled = len(p.body) < 200 and not re.search(r"[.;:]$", p.body)
        if deeper and (titled or p.body.endswith(":")):
            # a heading over items: the agency it names (if any) leads them
            if own and ":" in p.body:
                agency = own[0]
            elif own:
                agency = p.body
            else:
                agency = _intro_agency(p.body) if p.body.endswith(":") else None
            stack.append((p.level, p, agency))
            i += 1
            continue
        if own:
            agency, rest = own  # a name alone, after a colon, or the sentence naming it first
        else:
            agency, rest = None, p.body
        lead = agency or inherited
        if not rest:
            rest = " ".join(f.body if f.kind == "bullet" else f.text for f in following)
        elif following:
            rest = " ".join([rest, *(f.body if f.kind == "bullet" else f.text for f in following)])
        if lead and rest.strip():
            tasks.append(_task(p.marker, parent, rest, lead))
        i = j
    return tasks


def _task(stt: str, group: str, content: str, lead: str) -> ImportedTask:
    content = " ".join(content.split()).strip()
    return {
        "stt": stt,
        "group": group,
        "area": area_of_text(content),
        "content": content,
        "target": None,
        "output": None,
        "lead": _clean_name(lead),
        "coordinating": [],
        "deadline": None,
        "note": None,
    }
