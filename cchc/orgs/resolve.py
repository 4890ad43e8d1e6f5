"""Turn the body names written in a plan ("Sở TT&TT", "Các sở, ban, ngành tỉnh; UBND cấp huyện")
into units of the organisation tree — or say plainly that a person must choose.

Order of attempts for one phrase, within one province's subtree:
1. a group ("các sở, ban, ngành tỉnh" → every current agency; "UBND cấp xã" → every commune);
   "UBND cấp huyện" → the communes, since districts were abolished on 1/7/2025;
2. an exact name, short name or alias, ignoring case and diacritics; a historical unit resolves
   to its successor ("Sở Thông tin và Truyền thông" → Sở Khoa học và Công nghệ);
3. the phrase split on " và " / "," into several bodies, each resolved as above
   ("Sở Nội vụ và các cơ quan, đơn vị có liên quan" → Sở Nội vụ);
4. a fuzzy match (rapidfuzz) at a high score; anything else is UNRESOLVED, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from cchc.core.text import fold, nfc, vi_sort_key

from .models import Unit, UnitKind

FUZZY_MIN_SCORE = 90

# Words that name nobody in particular: dropped, not resolved.
GENERIC = re.compile(
    r"^(cac |nhung )?(co quan|don vi|dia phuong|to chuc)(, ?| va )?(co quan|don vi|dia phuong|to chuc)?(, ?| va )?(dia phuong)?( co lien quan| lien quan)?$"
)

GROUPS: list[tuple[re.Pattern, str, str]] = [
    (
        re.compile(
            r"^(cac )?(so, ban, nganh|so ban nganh|co quan chuyen mon( thuoc ubnd tinh)?|co quan, don vi cap tinh)( tinh)?$"
        ),
        "agencies",
        "Các cơ quan chuyên môn thuộc UBND tỉnh",
    ),
    (
        re.compile(r"^(ubnd|uy ban nhan dan) (cap xa|cac xa, phuong(, thi tran|, dac khu)?)$"),
        "communes",
        "UBND các xã, phường, đặc khu",
    ),
    (
        re.compile(r"^(ubnd|uy ban nhan dan) (cap huyen|cac huyen, thi xa, thanh pho)$"),
        "communes_from_districts",
        "Cấp huyện đã kết thúc hoạt động từ 01/7/2025: giao cho UBND các xã, phường, đặc khu",
    ),
]

_PREFIX_COMMON = re.compile(r"^(cac so|so):\s*", re.I)
_SPLIT = re.compile(r"\s*(?:;|,| và |\bvà\b)\s*")
_TRAILING = re.compile(r"\s+(thẩm định|tổng hợp|chủ trì|phối hợp)$", re.I)


@dataclass
class Resolution:
    phrase: str
    units: list[Unit] = field(default_factory=list)
    how: str = "unresolved"  # group | exact | historical | fuzzy | generic | unresolved
    note: str = ""

    @property
    def needs_person(self) -> bool:
        return self.how in ("unresolved", "fuzzy")


class UnitResolver:
    """Resolves names within one province (its subtree, current and historical units)."""

    def __init__(self, province: Unit):
        self.province = province
        self.units = list(Unit.objects.subtree_of(province).select_related("successor"))
        self.by_id = {u.pk: u for u in self.units}
        self.names: dict[str, Unit] = {}
        suffixes = self._province_suffixes()
        for u in self.units:
            for name in [u.name, u.short_name, *u.aliases]:
                if name:
                    self.names.setdefault(self._key(name, suffixes), u)
        self._suffixes = suffixes
        self._choices = list(self.names)

    def _province_suffixes(self) -> list[str]:
        names = {self.province.name, self.province.short_name, *self.province.aliases}
        names |= {p.short_name or p.name for p in Unit.objects.filter(successor=self.province)}
        folded = {fold(n).removeprefix("tinh ").removeprefix("thanh pho ") for n in names if n}
        return sorted(folded, key=len, reverse=True)

    def _key(self, name: str, suffixes: list[str] | None = None) -> str:
        key = fold(name).replace("&", " va ").replace("-", " ")
        key = re.sub(r"\bubnd\b", "uy ban nhan dan", key)
        key = re.sub(r"\btt va tt\b", "thong tin va truyen thong", key)
        key = re.sub(r"[^\w ]+", " ", key)
        key = re.sub(r"\s+", " ", key).strip()
        for s in suffixes or getattr(self, "_suffixes", []):
            s = re.sub(r"[^\w ]+", " ", s).strip()
            key = re.sub(rf"\s+(tinh |thanh pho )?{re.escape(s)}$", "", key)
        return re.sub(r"\s+tinh$", "", key)

    def _current(self, unit: Unit) -> tuple[Unit, bool]:
        seen = set()
        historical = False
        while unit.valid_to is not None and unit.successor_id and unit.pk not in seen:
            seen.add(unit.pk)
            unit = self.by_id.get(unit.successor_id) or unit.successor
            historical = True
        return unit, historical

    def _group(self, folded: str) -> Resolution | None:
        for pattern, group, note in GROUPS:
            if pattern.match(folded):
                if group == "agencies":
                    units = [
                        u
                        for u in self.units
                        if u.kind == UnitKind.AGENCY
                        and u.valid_to is None
                        and u.parent_id == self.province.pk
                    ]
                else:
                    units = [u for u in self.units if u.kind == UnitKind.COMMUNE and u.valid_to is None]
                return Resolution(
                    phrase="", units=sorted(units, key=lambda u: vi_sort_key(u.name)), how="group", note=note
                )
        return None

    def resolve_one(self, phrase: str) -> Resolution:
        phrase = _TRAILING.sub("", nfc(phrase)).strip(" .;,")
        folded = re.sub(r"\s+", " ", fold(phrase)).strip()
        if not folded:
            return Resolution(phrase=phrase, how="generic", note="Trống")
        if GENERIC.match(folded):
            return Resolution(phrase=phrase, how="generic", note="Không chỉ định cơ quan cụ thể")
        group = self._group(folded)
        if group:
            group.phrase = phrase
            return group
        key = self._key(phrase)
        unit = self.names.get(key)
        if unit is None and key.startswith("uy ban nhan dan "):  # "UBND phường Biên Hòa" → the commune
            unit = self.names.get(key.removeprefix("uy ban nhan dan "))
        if unit is not None:
            current, historical = self._current(unit)
            note = f"“{unit.name}” nay là {current.name}" if historical else ""
            return Resolution(
                phrase=phrase, units=[current], how="historical" if historical else "exact", note=note
            )
        return Resolution(phrase=phrase)

    def _fuzzy(self, phrase: str) -> Resolution:
        match = process.extractOne(
            self._key(phrase), self._choices, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_MIN_SCORE
        )
        if match is None:
            return Resolution(phrase=phrase, note="Không tìm thấy đơn vị tương ứng; cần chọn thủ công")
        unit, _ = self._current(self.names[match[0]])
        return Resolution(
            phrase=phrase,
            units=[unit],
            how="fuzzy",
            note=f"Gần giống “{unit.name}” ({match[1]:.0f}%); cần xác nhận",
        )

    def resolve(self, phrase: str) -> list[Resolution]:
        """One written entry (may name several bodies) → one Resolution per body found."""
        whole = self.resolve_one(phrase)
        if whole.how != "unresolved":
            return [whole]
        text = nfc(phrase)
        # "các Sở: Tài chính, Tư pháp và …" names several Sở; folding keeps the length, so the
        # match on the folded text gives the position in the original.
        common = _PREFIX_COMMON.match(fold(text))
        prefix = "Sở " if common else ""
        parts = [p for p in _SPLIT.split(text[common.end() :] if common else text) if p.strip()]
        if len(parts) > 1:
            results = [
                r if r.how != "unresolved" else self._fuzzy(r.phrase)
                for r in self._resolve_parts(parts, prefix)
            ]
            if any(r.units for r in results):
                return [r for r in results if r.how != "generic" or not any(x.units for x in results)]
        return [self._fuzzy(phrase)]

    def _resolve_parts(self, parts: list[str], prefix: str = "") -> list[Resolution]:
        """Resolve split parts, re-joining neighbours whose split broke a name
        ("Sở Văn hóa, Thể thao và Du lịch"); `prefix` ("Sở ") is tried before each part."""
        results: list[Resolution] = []
        i = 0
        while i < len(parts):
            for j in range(len(parts), i, -1):
                joined = [", ".join(parts[i:j]), " và ".join(parts[i:j])]
                if j - i >= 3:
                    joined.append(", ".join(parts[i : j - 1]) + " và " + parts[j - 1])
                candidates = [prefix + c for c in joined] + (joined if prefix else [])
                found = next(
                    (r for r in (self.resolve_one(c) for c in candidates) if r.how != "unresolved"), None
                )
                if found or j == i + 1:
                    results.append(found or self.resolve_one(prefix + parts[i]))
                    i = j
                    break
        return results

    def resolve_many(self, phrases: list[str]) -> list[Resolution]:
        out: list[Resolution] = []
        for p in phrases:
            out.extend(self.resolve(p))
        return out


def resolved_units(resolutions: list[Resolution]) -> list[Unit]:
    seen: dict[int, Unit] = {}
    for r in resolutions:
        for u in r.units:
            seen.setdefault(u.pk, u)
    return list(seen.values())
