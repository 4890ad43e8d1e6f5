"""Issuer, province, number, date, period and kind of a plan, from its first page and its body.

The first page of a Vietnamese administrative document has a fixed layout: the issuing body
(under its superior) on the left, the national motto on the right, then "Số: 41/KH-SNgV" and
"Bình Phước, ngày 28 tháng 12 năm 2021", then "KẾ HOẠCH" and its title ("Cải cách hành chính năm
2022"). Text extracted from PDFs may lose that header; the body then still says who issues the plan
("Sở Xây dựng ban hành kế hoạch …") and where ("trên địa bàn tỉnh Bình Phước").
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from .vocab import fold, province_named, provinces_mentioned

_MOTTO = re.compile(
    r"(?i)(CỘNG\s+H[ÒO]A\s+XÃ\s+H[ỘO]I|Độc\s+lập\s*[-–]|Số\s*:|\b[^\W\d][^,\d]{1,40},\s*ngày\b).*$"
)
_ORG_START = re.compile(
    r"^(UBND|Ủ?Y\s+BAN|UỶ\s+BAN|SỞ|BAN|VĂN\s+PHÒNG|THANH\s+TRA|TRUNG\s+TÂM|CHI\s+CỤC|CỤC|PHÒNG|TRƯỜNG|"
    r"ĐÀI|BỘ|HỘI\s+ĐỒNG|KHO\s+BẠC|BẢO\s+HIỂM|CÔNG\s+AN|TỈNH|THÀNH\s+PHỐ|XÃ|PHƯỜNG|ĐẶC\s+KHU)\b"
)
_NUMBER = re.compile(r"(?i)\bSố\s*:\s*(\S*)")
_DATE = re.compile(
    r"(?P<place>[^\W\d][^,\d]{1,40}),\s*ngày\s+(?P<d>\d{1,2})\s*(?:tháng\s*|/|-)\s*(?P<m>\d{1,2})"
    r"\s*(?:năm\s*|/|-)\s*(?P<y>\d{4})"
)
_PLACE = re.compile(r"(?P<place>[^\W\d][^,\d]{1,40}),\s*ngày\b")
_ORG_BODY = (
    r"(?P<org>(?:Sở|Ban|Văn phòng|Thanh tra|Trung tâm|Chi cục|Cục|Ủy ban nhân dân|Uỷ ban nhân dân|UBND|"
    r"Phòng|Trường|Đài|Kho bạc|Bảo hiểm|Công an|Bộ Chỉ huy)"
    r"(?:\s+(?!(?:ngày|của|số|theo|về|tại|đã|được|các|trên|năm)\b)[^\s\d.;:()]+){0,9}?)"
)
_ISSUES = re.compile(_ORG_BODY + r"\s+(?:xây dựng|ban hành|triển khai)\s+(?:[Kk]ế hoạch|KẾ HOẠCH)")
_OF_ORG = re.compile(r"\bcủa\s+" + _ORG_BODY + r"\s+(?:năm|giai đoạn)\b")
_ONE_OFF = re.compile(
    r"^(ke hoach\s+)?(kiem tra|tuyen truyen|khao sat|danh gia|tap huan|dao tao|boi duong|ra soat|so hoa|"
    r"xac dinh chi so|thi diem|hoi thi|to chuc|trien khai (de an|mo hinh)|thuc hien (de an|mo hinh))"
)


def _title_case_org(text: str) -> str:
    words = text.lower().split()
    if not words:
        return text
    words[0] = words[0].capitalize()
    if words[0] in ("Sở", "Ban", "Phòng", "Cục", "Trường", "Đài") and len(words) > 1:
        words[1] = words[1].capitalize()
    return " ".join(words)


class Metadata:
    def __init__(self, head: list[str], body: str):
        """`head`: the first text blocks (lines or paragraphs), `body`: the document's text."""
        self.head = head
        self.body = body
        self.folded_body = fold(body)
        self.title_index = next(
            (i for i, t in enumerate(head) if re.match(r"^(ke hoach|chuong trinh)\b", fold(t).strip(" *"))),
            None,
        )

    # --- number and date ---------------------------------------------------------------------

    def number(self) -> str | None:
        for text in self._header():
            m = _NUMBER.search(text)
            if m:
                value = m.group(1).strip(" .,;")
                return value if re.match(r"\d", value) else None
        return None

    def issued_date(self) -> str | None:
        for text in self._header():
            m = _DATE.search(text)
            if m:
                try:
                    return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
                except ValueError:
                    return None
        return None

    def _header(self) -> list[str]:
        end = self.title_index if self.title_index is not None else 12
        return self.head[: min(end, 15) + 1]

    # --- issuer and province ------------------------------------------------------------------

    def _org_lines(self) -> list[str]:
        out = []
        for text in self._header():
            org = _MOTTO.sub("", text).strip(" -–*")
            if (
                org
                and _ORG_START.match(org)
                and sum(c.isupper() for c in org) >= 0.6 * sum(c.isalpha() for c in org)
            ):
                if (
                    out
                    and re.match(r"^(TỈNH|THÀNH PHỐ|XÃ|PHƯỜNG|ĐẶC KHU)\b", org)
                    and not re.search(r"\b(TỈNH|THÀNH PHỐ)\b", out[-1])
                ):
                    out[-1] = f"{out[-1]} {org}"  # "ỦY BAN NHÂN DÂN" / "TỈNH BÌNH PHƯỚC"
                else:
                    out.append(org)
        return out

    def province(self) -> str | None:
        for org in self._org_lines():
            name = province_named(org)
            if name:
                return name
        for text in self._header():
            m = _PLACE.search(text)
            if m:
                name = province_named(m.group("place"))
                if name and fold(m.group("place")).strip() == fold(name):
                    return name
        mentions = provinces_mentioned(self.folded_body)
        if mentions:
            return Counter(mentions).most_common(1)[0][0]
        named = provinces_mentioned(self.folded_body, prefix="")
        return Counter(named).most_common(1)[0][0] if named else None

    def issuer(self, province: str | None) -> str | None:
        orgs = self._org_lines()
        if orgs:
            return self._proper(orgs[-1], province)
        for rx in (_ISSUES, _OF_ORG):
            for m in rx.finditer(self.body):
                before = self.body[max(0, m.start() - 6) : m.start()].lower()
                if rx is _ISSUES and re.search(r"(của|số)\s*$", before):
                    continue  # "… của UBND tỉnh ban hành Kế hoạch …" quotes another document
                return self._proper(m.group("org"), province)
        return None

    def _proper(self, org: str, province: str | None) -> str:
        org = " ".join(org.split())
        folded = fold(org)
        if re.match(r"^(ubnd|uy ban nhan dan)\b", folded):
            rest = re.sub(r"^(ubnd|uy ban nhan dan)\s*", "", folded)
            if rest.startswith(("tinh", "thanh pho")) or not rest:
                level = "thành phố" if rest.startswith("thanh pho") else "tỉnh"
                name = province_named(org) or province
                return f"Ủy ban nhân dân {level} {name}".strip() if name else f"Ủy ban nhân dân {level}"
            place = org[len(org) - len(rest) :] if rest else ""
            if place.isupper():
                written = self._written(fold(place))
                if written:
                    place = written[:1].lower() + written[1:]
                else:
                    level, _, name = place.partition(" ")
                    place = f"{level.lower()} {name.title()}".strip()
            return f"Ủy ban nhân dân {place}".strip()
        if not org.isupper():
            return org
        return self._written(folded) or _title_case_org(org)

    def _written(self, folded: str) -> str | None:
        """How the text writes a name the header prints in capitals ("SỞ NGOẠI VỤ" → "Sở Ngoại vụ")."""
        for m in re.finditer(r"(?<!\w)" + re.escape(folded) + r"(?!\w)", self.folded_body):
            written = self.body[m.start() : m.end()]
            if not written.isupper():
                return written
        return None

    # --- title, period, kind ------------------------------------------------------------------

    def title(self) -> str:
        if self.title_index is None:
            return ""
        first = self.head[self.title_index].strip(" *")
        rest = re.sub(r"(?i)^(kế hoạch|chương trình)\s*", "", first).strip()
        parts = [rest] if rest else []
        for text in self.head[self.title_index + 1 : self.title_index + 4]:
            t = text.strip(" *")
            if not t or t.startswith("(") or re.match(r"(?i)^(căn cứ|thực hiện|theo|số\s*:)", t):
                break
            parts.append(t)
            if len(" ".join(parts)) > 40:
                break
        title = " ".join(parts).strip()
        if not title.isupper():
            return title
        # An all-caps heading in sentence case; a document's number ("06/QĐ-TTG") stays as written.
        words = [w if re.search(r"\d", w) else w.lower() for w in title.split(" ")]
        title = " ".join(words)
        return title[:1].upper() + title[1:]

    def document_title(self) -> str:
        """The plan's title as the document writes it, with its kind: "Kế hoạch cải cách hành
        chính năm 2023" from "KẾ HOẠCH" over "Cải cách hành chính năm 2023" ("" when the document
        has no such heading)."""
        # "(Ban hành kèm theo Quyết định số …)" under the title belongs to the decision, not to it
        words = re.sub(r"(?i)\s*\((ban hành )?kèm theo\b.*$", "", self.title()).strip()
        if not words or self.title_index is None:
            return ""
        heading = fold(self.head[self.title_index]).strip(" *")
        kind = "Chương trình" if heading.startswith("chuong trinh") else "Kế hoạch"
        first, _, rest = words.partition(" ")
        if first[:1].isupper() and not first.isupper() and not rest[:1].isupper():
            first = first[:1].lower() + first[1:]  # a common word after "Kế hoạch", not a name
        return f"{kind} {first} {rest}".strip()

    def period(self, issued: str | None) -> tuple[int, int] | None:
        for text in (self.title(), self._quick_title()):
            span = _span(text)
            if span:
                return span
        if issued:
            year = int(issued[:4])
            return (year + 1, year + 1) if int(issued[5:7]) >= 11 else (year, year)
        years = Counter(int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", self.body))
        if years:
            y = years.most_common(1)[0][0]
            return (y, y)
        return None

    def _quick_title(self) -> str:
        m = re.search(
            r"(?i)kế hoạch[^.;]{0,150}?(giai đoạn\s*\d{4}\s*[-–]\s*\d{4}|năm\s+\d{4})", self.body[:4000]
        )
        return m.group(0) if m else ""

    def kind(self, span: tuple[int, int] | None) -> str:
        if span and span[1] > span[0]:
            return "multi_year"
        if _ONE_OFF.match(fold(self.title())):
            return "one_off"
        return "annual"


def _span(text: str) -> tuple[int, int] | None:
    if not text:
        return None
    m = re.search(r"(20\d\d)\s*[-–—]\s*(20\d\d)", text)
    if m and int(m.group(2)) > int(m.group(1)):
        return int(m.group(1)), int(m.group(2))
    m = re.search(r"(?i)năm\s+(20\d\d)", text)
    if m:
        return int(m.group(1)), int(m.group(1))
    return None
