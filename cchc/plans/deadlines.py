"""Deadline phrases of reform plans ("Quý I/2023", "Thường xuyên", …) -> date schedules.

Phrases are NFC-normalised, then matched case-, whitespace- and diacritic-insensitively
("Quy I/2023" = "Quý I/2023").  Accepted forms (the plan period is from_year..to_year):

==============================================  ===========  ===========================================
Phrase (examples)                               Kind         Dates
==============================================  ===========  ===========================================
Quý I/2023, Quý II năm 2023, Quý 3-2023         FIXED        end of the quarter: 31/3, 30/6, 30/9, 31/12
Quý I và Quý III/2023, Quý I, II/2023           FIXED        each quarter listed (the year is shared)
6 tháng đầu năm [2023], 9 tháng đầu năm         FIXED        30/6, 30/9 (6 tháng cuối năm -> 31/12)
Tháng 12/2023, Chậm nhất trong tháng 5/2022     FIXED        last day of the month (also "5/2022")
Trước [ngày] 15/11[/2023], 15-11-2023,          FIXED        that very date
  ngày 15 tháng 11 năm 2023
Năm 2023, Trong năm 2023, Cả năm 2023           FIXED        31/12/2023
2022-2025, Giai đoạn 2021-2025, Năm 2021-2025   FIXED        31/12 of the last year
… hàng năm / hằng năm / mỗi năm                 FIXED        the date in every plan year ("Quý I hàng năm")
Hàng quý, Định kỳ hàng quý, Báo cáo quý         RECURRING    report due dates 20/3, 20/6, 20/9, 20/12
6 tháng (-> 20/6, 20/12), 9 tháng (-> 20/9),    RECURRING    in every plan year, e.g.
  năm in a list, Hàng năm alone (-> 20/12)                   "Hàng quý, 6 tháng, năm và đột xuất"
Hàng tháng                                      RECURRING    last day of every month
Báo cáo định kỳ (no period named)               RECURRING    all periodic reports: 20/3, 20/6, 20/9, 20/12
Thường xuyên, liên tục, Cả năm, Trong năm,      CONTINUOUS   end of each quarterly reporting window
  hàng ngày                                                  (14/3, 14/6, 14/9, 14/12) of every plan year
Khi …, Sau khi …, Theo kế hoạch/quy định/chỉ    CONDITIONAL  none: a person sets the date
  đạo/tiến độ …, Trong vòng 30 ngày, Đột xuất
anything else                                   UNKNOWN      none
==============================================  ===========  ===========================================

Decisions:

* "Trước (ngày) 15/11" means "at the latest on 15/11": the due date is 15/11 itself.
* A date naming no year ("Quý IV", "Trước 15/11") takes the year of another mention in the same
  phrase ("Quý I và Quý III/2023"); failing that, in a multi-year plan it applies to the FIRST plan
  year only, unless "hàng năm" (or a recurring/continuous word) makes it apply to every year.
* "Hàng năm" alone is RECURRING with the annual report date 20/12 of every plan year; next to a
  date it only means "every year".  Years in a recurring/continuous phrase restrict it:
  "Thường xuyên trong năm 2023", "Hàng quý giai đoạn 2021-2023".
* Recurring/continuous phrases may add dates ("Thường xuyên; báo cáo trước 15/12"); the kind is
  the strongest of CONTINUOUS > RECURRING > FIXED > CONDITIONAL.  Explicit dates beat a condition.
* Dates outside [1/1/from_year, 31/12/to_year] are dropped; if none is left the result is UNKNOWN
  and the explanation says the deadline lies outside the plan period.
"""

from __future__ import annotations

import re
import unicodedata
from calendar import isleap
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cchc.core.periods import ROMAN, report_due_dates

__all__ = ["DeadlineKind", "Schedule", "parse_deadline"]


class DeadlineKind(StrEnum):
    FIXED = "fixed"
    RECURRING = "recurring"
    CONTINUOUS = "continuous"
    CONDITIONAL = "conditional"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Schedule:
    """How a deadline phrase was read: its kind, its due dates (sorted, unique) and why."""

    kind: DeadlineKind
    dates: tuple[date, ...] = ()
    explanation: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "dates", tuple(sorted(set(self.dates))))

    def final(self) -> date | None:
        """The last due date, or None when there is none."""
        return self.dates[-1] if self.dates else None

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "dates": [d.isoformat() for d in self.dates],
            "explanation": self.explanation,
        }


# --- patterns (matched against the folded text: lower case, no diacritics, "đ" -> "d") ----------


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.ASCII)


_ROMAN_OR_DIGIT = r"(?:iv|iii|ii|i|[1-4])\b"
_MONTH_NO = r"(?:1[0-2]|0?[1-9])\b"
_LIST_SEP = r"\s*(?:,|&|-|\bva\b|\bhoac\b)\s*"
_YEAR_SUFFIX = r"(?:\s*(?:/|-|,?\s*nam\b)?\s*(?P<y>\d{4})(?!\d))?"  # "/2023", " năm 2023", "-2023"

_CONDITION = _rx(
    r"\b(?:sau khi|khi|ke tu|tuy theo|tuy thuoc|phu thuoc|chua xac dinh|theo (?:tien do|chi dao"
    r"|ke hoach|quy dinh|yeu cau|huong dan|lo trinh|thong bao|van ban|de nghi|phan cong"
    r"|dieu kien|quyet dinh|nhu cau|thuc te|thoi han da dang ky|thoi han duoc giao))\b"
)
_WORD_DATE = _rx(
    r"\b(?:ngay|truoc|den|han|vao)\s+(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})\b"
    r"(?:\s*[,/-]?\s*nam\s+(?P<y>\d{4})(?!\d))?"
)
_YEAR_RANGE = _rx(
    r"(?:\b(?:giai doan|thoi ky|cac nam|tu nam|nam|tu)\s+)?(?<![\d/.-])(?P<a>\d{4})\s*"
    r"(?:-|den|toi)\s*(?:nam\s+)?(?P<b>\d{4})(?!\d)"
)
_HALF = _rx(r"\b(?:(?P<n>6|9|sau|chin)\s+thang|nua)\s+(?P<w>dau|cuoi)(?:\s+nam\b)?" + _YEAR_SUFFIX)
_QUARTER = _rx(
    rf"\bquy\s+(?P<list>{_ROMAN_OR_DIGIT}(?:{_LIST_SEP}(?:quy\s+)?{_ROMAN_OR_DIGIT})*)" + _YEAR_SUFFIX
)
_MONTH = _rx(rf"\bthang\s+(?P<list>{_MONTH_NO}(?:{_LIST_SEP}(?:thang\s+)?{_MONTH_NO})*)" + _YEAR_SUFFIX)
_FULL_DATE = _rx(r"(?<![\d/.-])(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})(?![\d/-])(?!\.\d)")
_MONTH_YEAR = _rx(r"(?<![\d/.-])(?P<m>\d{1,2})[/-](?P<y>\d{4})(?![\d/-])")
_SHORT_DATE = _rx(r"(?<![\d/.-])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?![\d/])(?!\.\d)")
_YEAR_START = _rx(r"\bdau\s+nam\b" + _YEAR_SUFFIX)
_YEAR_END = _rx(r"\b(?:cuoi|het)\s+nam\b" + _YEAR_SUFFIX)
_RELATIVE = _rx(
    r"\b(?:trong vong|trong thoi han|trong|sau|khong qua|toi da|chua qua|truoc|cham nhat)\s+"
    r"\d{1,3}\s+(?:ngay|tuan|thang|nam)\b(?!\s*(?:\d|dau|cuoi))"
)  # "Trong vòng 30 ngày"
_YEAR = _rx(r"\bnam\s+(?P<y>\d{4})(?!\d)|(?<![\w/.-])(?P<b>(?:19|20)\d\d)(?![\w/-])")

_CONTINUOUS = _rx(
    r"\b(?:thuong xuyen|lien tuc|hang ngay|moi ngay|hang tuan|quanh nam|suot nam|ca nam"
    r"|trong nam)\b"
)
_PERIOD_NOUNS = {  # report period -> pattern, read after every date has been taken out
    "M": _rx(r"\b(?:hang|moi|tung)\s+thang\b"),
    "Q": _rx(
        r"\b(?:hang|moi|tung)\s+quy\b"
        r"|\bquy\b(?=\s*(?:$|[^\w\s]|(?:va|hoac|nam|bao|hang|dot|lan)\b))"
    ),
    "H": _rx(r"\b(?:6|sau)\s+thang\b"),
    "9M": _rx(r"\b(?:9|chin)\s+thang\b"),
    "Y": _rx(r"(?:[,;&/]|\b(?:va|hoac|ky|cao))\s*nam\b"),  # "năm" in a list: "quý, 6 tháng, năm"
}
_NOUN_NAMES = {"M": "hằng tháng", "Q": "hằng quý", "H": "6 tháng", "9M": "9 tháng", "Y": "năm"}
_ANNUAL = _rx(r"\b(?:hang|moi|tung|cac)\s+nam\b")
_PERIODIC = _rx(r"\bdinh ky\b")
_AD_HOC = _rx(r"\bdot xuat\b")
_FOLD = str.maketrans({"đ": "d", "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})


# --- text helpers ----------------------------------------------------------------------------


def _clean(phrase: object) -> str:
    """NFC, whitespace collapsed: the phrase as shown in explanations."""
    text = phrase if isinstance(phrase, str) else ("" if phrase is None else str(phrase))
    return " ".join(unicodedata.normalize("NFC", text).split())


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.casefold().translate(_FOLD))
    return " ".join("".join(c for c in decomposed if unicodedata.category(c) != "Mn").split())


class _Text:
    """The folded phrase; each recognised piece is blanked out so that it is read only once."""

    def __init__(self, folded: str) -> None:
        self.s = folded

    def take(self, rx: re.Pattern[str]) -> list[re.Match[str]]:
        found: list[re.Match[str]] = []
        self.s = rx.sub(lambda m: found.append(m) or "|" * len(m[0]), self.s)  # same length: positions hold
        return found


def _last_day(year: int, month: int) -> int:
    return 29 if month == 2 and isleap(year) else (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


def _dmy(year: int, month: int, day: int) -> str:
    return f"{day:02d}/{month:02d}/{year:04d}"


def _listing(items: list[str]) -> str:
    """All items, or for long lists the first two, the last and the count."""
    if len(items) <= 6:
        return ", ".join(items)
    return f"{items[0]}, {items[1]}, …, {items[-1]} ({len(items)} ngày)"


def _show(dates: list[date]) -> str:
    return _listing([_dmy(d.year, d.month, d.day) for d in sorted(set(dates))])


def _years_text(years: list[int]) -> str:
    if len(years) <= 1:
        return f"năm {years[0]}" if years else "không năm nào"
    if years == list(range(years[0], years[-1] + 1)):
        return f"các năm {years[0]}–{years[-1]}"
    return "các năm " + ", ".join(map(str, years))


# --- mentions of dates -----------------------------------------------------------------------


@dataclass
class _Mention:
    pos: int  # where it was found (to share a year with a neighbour)
    label: str  # Vietnamese, e.g. "cuối quý I"
    month: int
    day: int | None = None  # None: the last day of the month
    year: int | None = None
    span: tuple[int, int] | None = None  # years covered by "Năm 2023" / "2021-2025"


def _num(m: re.Match[str], group: str) -> int | None:
    return int(m[group]) if m[group] else None


def _day_label(m: re.Match[str]) -> str:
    return f"ngày {int(m['d']):02d}/{int(m['m']):02d}"


def _read_mentions(text: _Text) -> list[_Mention]:
    out: list[_Mention] = []

    def add(
        m: re.Match[str],
        label: str,
        month: int,
        day: int | None = None,
        year: int | None = None,
        span: tuple[int, int] | None = None,
    ) -> None:
        if 1 <= month <= 12 and (day is None or 1 <= day <= _last_day(2000, month)):
            out.append(_Mention(m.start(), label, month, day, year, span))

    for m in text.take(_WORD_DATE):
        add(m, _day_label(m), int(m["m"]), int(m["d"]), _num(m, "y"))
    for m in text.take(_YEAR_RANGE):
        a, b = sorted((int(m["a"]), int(m["b"])))
        add(m, f"cuối giai đoạn {a}–{b}", 12, None, b, (a, b))
    for m in text.take(_HALF):
        month = 12 if m["w"] == "cuoi" else 9 if m["n"] in ("9", "chin") else 6
        add(
            m,
            "hết " + {6: "6 tháng đầu năm", 9: "9 tháng đầu năm", 12: "6 tháng cuối năm"}[month],
            month,
            None,
            _num(m, "y"),
        )
    for m in text.take(_QUARTER):
        for q in re.findall(r"iv|iii|ii|i|[1-4]", m["list"]):
            n = int(q) if q.isdigit() else ROMAN.index(q.upper()) + 1
            add(m, f"cuối quý {ROMAN[n - 1]}", 3 * n, None, _num(m, "y"))
    for m in text.take(_MONTH):
        for month in re.findall(r"\d+", m["list"]):
            add(m, f"cuối tháng {int(month)}", int(month), None, _num(m, "y"))
    for m in text.take(_FULL_DATE):
        add(m, _day_label(m), int(m["m"]), int(m["d"]), int(m["y"]))
    for m in text.take(_MONTH_YEAR):
        add(m, f"cuối tháng {int(m['m'])}", int(m["m"]), None, int(m["y"]))
    for m in text.take(_SHORT_DATE):
        add(m, _day_label(m), int(m["m"]), int(m["d"]))
    for m in text.take(_YEAR_START):
        add(m, "hết quý I (đầu năm)", 3, None, _num(m, "y"))
    for m in text.take(_YEAR_END):
        add(m, "cuối năm", 12, None, _num(m, "y"))
    for m in text.take(_YEAR):  # last: "năm 2023" is often part of a longer mention
        y = int(m["y"] or m["b"])
        add(m, "cuối năm", 12, None, y, (y, y))
    return out


def _neighbour_year(m: _Mention, mentions: list[_Mention]) -> int | None:
    """The year of the nearest following mention that has one, else of the nearest preceding one."""
    dated = [x for x in mentions if x.year is not None]
    after = [x for x in dated if x.pos > m.pos]
    before = [x for x in dated if x.pos < m.pos]
    if after:
        return min(after, key=lambda x: x.pos).year
    return max(before, key=lambda x: x.pos).year if before else None


def _due_dates(nouns: set[str], years: list[int]) -> list[date]:
    out: list[date] = []
    for y in years:
        due = report_due_dates(y)
        keys = {"Q": ("Q1", "H1", "Q3", "Y"), "H": ("H1", "Y"), "9M": ("Q3",), "Y": ("Y",)}
        out += [due[k] for noun in nouns for k in keys.get(noun, ())]
        if "M" in nouns:
            out += [date(y, mo, _last_day(y, mo)) for mo in range(1, 13)]
    return out


def _fixed_dates(
    fixed: list[_Mention], years: list[int], every_year: bool, from_year: int, to_year: int
) -> tuple[list[date], list[str], list[str]]:
    """The fixed mentions' dates inside the plan, those dropped ("dd/mm/yyyy") and explanation parts."""
    dates: list[date] = []
    dropped: list[str] = []
    parts: list[str] = []
    for m in {(x.label, x.month, x.day, x.year): x for x in fixed}.values():  # each mention once
        label = m.label
        if m.year is not None:
            own_years = [m.year]
        elif every_year:  # "Quý I hàng năm", "Thường xuyên; báo cáo trước 15/12"
            own_years, label = years, label + (" hằng năm" if len(years) > 1 else "")
        else:  # "Quý I và Quý III/2023" shares the year; otherwise the first plan year
            neighbour = _neighbour_year(m, fixed)
            own_years = [from_year if neighbour is None else neighbour]
            if neighbour is None and from_year < to_year:
                label += " (năm đầu kế hoạch)"
        got = []
        for y in own_years:
            day = m.day or _last_day(y, m.month)
            if day > _last_day(y, m.month):
                continue  # 29/2 in a common year
            if from_year <= y <= to_year:
                got.append(date(y, m.month, day))
            else:
                dropped.append(_dmy(y, m.month, day))
        if got:
            dates += got
            parts.append(f"{label}: {_show(got)}")
    return dates, dropped, parts


# --- the parser ------------------------------------------------------------------------------


def parse_deadline(phrase: str, *, from_year: int, to_year: int) -> Schedule:
    """Read a Vietnamese deadline phrase for a plan covering from_year..to_year (see module doc).

    Never raises for any phrase; raises ValueError only when from_year > to_year or a year is
    outside 1..9999.
    """
    if from_year > to_year:
        raise ValueError(f"from_year ({from_year}) must not be after to_year ({to_year})")
    if from_year < 1 or to_year > 9999:
        raise ValueError(f"plan years must lie within 1..9999, got {from_year}..{to_year}")
    shown = _clean(phrase)
    text = _Text(_fold(shown))
    conditional = bool(text.take(_CONDITION) + text.take(_RELATIVE))
    mentions = _read_mentions(text)
    continuous = bool(text.take(_CONTINUOUS))
    nouns = {noun for noun, rx in _PERIOD_NOUNS.items() if text.take(rx)}
    annual, periodic, ad_hoc = (bool(text.take(rx)) for rx in (_ANNUAL, _PERIODIC, _AD_HOC))

    fixed = [m for m in mentions if m.span is None]
    spans = [m.span for m in mentions if m.span is not None]
    if annual and not fixed and not continuous:
        nouns.add("Y")  # "Hàng năm" alone: the annual report
    if periodic and not nouns:
        nouns |= {"Q", "H", "9M", "Y"}  # "Báo cáo định kỳ": every periodic report
    every_year = continuous or bool(nouns) or annual
    plan_years = range(from_year, to_year + 1)
    if every_year and spans:  # "Thường xuyên trong năm 2023": the years restrict the phrase
        years = [y for y in plan_years if any(a <= y <= b for a, b in spans)]
    else:
        years, fixed = list(plan_years), fixed + [m for m in mentions if m.span is not None]

    dates, dropped, parts = _fixed_dates(fixed, years, every_year, from_year, to_year)
    if continuous:
        kind, base = DeadlineKind.CONTINUOUS, [date(y, mo, 14) for y in years for mo in (3, 6, 9, 12)]
        lead = f"Thực hiện thường xuyên ({_years_text(years)}), báo cáo tiến độ vào cuối mỗi kỳ báo cáo quý"
    elif nouns:
        kind, base = DeadlineKind.RECURRING, _due_dates(nouns, years)
        names = ", ".join(name for key, name in _NOUN_NAMES.items() if key in nouns)
        lead = f"Báo cáo định kỳ {names} ({_years_text(years)}), hạn báo cáo"
    elif fixed:
        kind, base, lead = DeadlineKind.FIXED, [], ""
    elif conditional or ad_hoc:
        return Schedule(
            DeadlineKind.CONDITIONAL,
            (),
            f"Thời hạn phụ thuộc điều kiện ({shown}); chưa có ngày cho đến khi có người đặt ngày.",
        )
    else:
        return _not_understood(shown)

    if not base and not dates:
        if not dropped and not spans:
            return _not_understood(shown)  # e.g. 29/2 in a plan without a leap year
        outside = (
            _listing(dropped)
            if dropped
            else "thuộc " + ", ".join(f"giai đoạn {a}–{b}" if a != b else f"năm {a}" for a, b in spans)
        )
        return Schedule(
            DeadlineKind.UNKNOWN,
            (),
            f"Thời hạn {outside} nằm ngoài thời kỳ kế hoạch {from_year}–{to_year}; cần người đặt ngày.",
        )
    sentence = f"{lead}: {_show(base)}" if base else ""
    if parts:
        sentence += ("; thêm hạn " if sentence else "Hạn ") + "; ".join(parts)
    if ad_hoc:
        sentence += "; báo cáo đột xuất không có ngày cố định"
    if conditional:
        sentence += "; cụm từ có kèm điều kiện, cần người kiểm tra lại"
    if dropped:
        sentence += f"; bỏ {len(dropped)} ngày ngoài thời kỳ kế hoạch {from_year}–{to_year}"
    return Schedule(kind, tuple(base + dates), sentence + ".")


def _not_understood(shown: str) -> Schedule:
    explanation = f"Không hiểu được thời hạn: {shown or '(trống)'}; cần người đặt ngày."
    return Schedule(DeadlineKind.UNKNOWN, (), explanation)
