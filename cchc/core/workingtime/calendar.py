"""The working-day calendar: weekends, Vietnamese public holidays and announced overrides.

A day is a working day when:

1. an *enabled* override names it: ``kind == "day_off"`` → not working, ``"working_day"`` → working;
2. else a *disabled* override names it: the announcement was revoked, the plain weekly rule applies
   (Monday–Friday working) and the ``holidays`` package is ignored for that date — this is how an
   administrator switches off 24/11 "Ngày Văn hóa Việt Nam";
3. else the ``holidays`` package (country "VN"): its holidays are days off, its announced worked
   weekend days (``weekend_workdays``) are working days;
4. else Monday–Friday are working days.

For speed the calendar keeps, for a range of years, the sorted list of working-day ordinals and, for
every day of the range, the number of working days before it: moving N working days is two list
look-ups. The range grows on demand (a due date that runs past it extends it).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import holidays

from .errors import OutOfRange, WorkingTimeError

DAY_OFF = "day_off"
WORKING_DAY = "working_day"
OverrideKind = Literal["day_off", "working_day"]

WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
_WEEKEND_REASON = {5: "Thứ bảy", 6: "Chủ nhật"}
_EXTEND_MARGIN_YEARS = 2
# the lunar calendar of the holidays package covers these years (outside it silently knows nothing)
MIN_YEAR, MAX_YEAR = 1901, 2100


def _year_of(ordinal: int) -> int:
    year = dt.date.fromordinal(ordinal).year if 1 <= ordinal <= dt.date.max.toordinal() else 0
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise OutOfRange(f"ngày nằm ngoài phạm vi lịch hỗ trợ (năm {MIN_YEAR}–{MAX_YEAR})")
    return year


@dataclass(frozen=True)
class CalendarOverride:
    """One announced change to the calendar for civil servants.

    ``enabled=False`` keeps the entry (and its source) on record but revokes it: the date then
    follows the plain weekly rule, whatever the ``holidays`` package says about it.
    """

    date: dt.date
    kind: OverrideKind
    name: str
    legal_reference: str = ""
    enabled: bool = True

    def __post_init__(self) -> None:
        if self.kind not in (DAY_OFF, WORKING_DAY):
            raise WorkingTimeError(
                f"loại ngày điều chỉnh phải là 'day_off' hoặc 'working_day': {self.kind!r}"
            )
        if not isinstance(self.date, dt.date) or isinstance(self.date, dt.datetime):
            raise WorkingTimeError(f"ngày điều chỉnh phải là một ngày (date): {self.date!r}")


def coerce_override(obj: Any) -> CalendarOverride:
    """Accept a ``CalendarOverride``, any object with the same attributes (e.g. a model instance)
    or a mapping with the same keys; ``date`` may be an ISO string, ``kind`` an enum member."""
    if isinstance(obj, CalendarOverride):
        return obj
    get = obj.get if isinstance(obj, Mapping) else (lambda key, default=None: getattr(obj, key, default))
    date: Any = get("date")
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    kind: Any = get("kind")
    kind = getattr(kind, "value", kind)
    enabled = get("enabled", None)
    if enabled is None:
        enabled = get("is_active", True)
    return CalendarOverride(
        date=date,
        kind=kind,
        name=str(get("name", "") or ""),
        legal_reference=str(get("legal_reference", "") or ""),
        enabled=bool(enabled),
    )


def weekday_name(d: dt.date) -> str:
    return WEEKDAY_NAMES[d.weekday()]


def format_date(d: dt.date) -> str:
    """'thứ Hai 16/02/2026'."""
    return f"{weekday_name(d)} {d:%d/%m/%Y}"


# --- Vietnamese reasons for the holidays package's names ------------------------------------------

_LUNAR_DAY = {"hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6}
_FIXED_REASONS = {
    "Tết Dương lịch": "Tết Dương lịch (1/1)",
    "Giao thừa Tết Nguyên Đán": "Tết Nguyên đán (giao thừa)",
    "Tết Nguyên Đán": "Tết Nguyên đán (mùng 1 tháng Giêng)",
    "29 Tết": "Tết Nguyên đán (29 tháng Chạp)",
    "Ngày Giỗ Tổ Hùng Vương": "Giỗ Tổ Hùng Vương (10/3 âm lịch)",
    "Ngày Chiến thắng": "Ngày Chiến thắng (30/4)",
    "Ngày Quốc tế Lao động": "Ngày Quốc tế Lao động (1/5)",
    "Ngày Văn hóa Việt Nam": "Ngày Văn hóa Việt Nam (24/11)",
}
_RE_LUNAR = re.compile(r"^Mùng (hai|ba|bốn|năm|sáu) Tết Nguyên Đán$")
_RE_SUBSTITUTED = re.compile(r"^Ngày nghỉ \(thay cho ngày (\d{2})/(\d{2})/(\d{4})\)$")
_RE_SUFFIX = re.compile(r"^(.*) \((nghỉ bù|dự kiến|nghỉ bù, dự kiến)\)$")


def _translate_one(name: str, d: dt.date) -> str:
    m = _RE_SUFFIX.match(name)
    if m:
        base, suffix = m.groups()
        if suffix.startswith("nghỉ bù"):
            text = f"Nghỉ bù {_translate_one(base, d)} (ngày lễ trùng ngày nghỉ hằng tuần)"
            return text + (" (dự kiến)" if "dự kiến" in suffix else "")
        return f"{_translate_one(base, d)} (dự kiến)"
    m = _RE_SUBSTITUTED.match(name)
    if m:
        worked = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return f"Nghỉ hoán đổi, làm bù vào {format_date(worked)}"
    m = _RE_LUNAR.match(name)
    if m:
        return f"Tết Nguyên đán (mùng {_LUNAR_DAY[m.group(1)]} tháng Giêng)"
    if name == "Quốc khánh":
        return "Quốc khánh (2/9)" if (d.month, d.day) == (9, 2) else "Quốc khánh (ngày liền kề 2/9)"
    return _FIXED_REASONS.get(name, name)


def holiday_reason(name: str, d: dt.date) -> str:
    """Vietnamese reason for a name given by the ``holidays`` package (language "vi")."""
    reason = "; ".join(_translate_one(part.strip(), d) for part in name.split(";"))
    if d.weekday() >= 5:
        reason += f", trùng {weekday_name(d)}"
    return reason


def _with_reference(name: str, reference: str) -> str:
    return f"{name} — {reference}" if reference else name


# --- the calendar ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _State:
    """Immutable precomputed arrays for the years [first_year, last_year]."""

    first_year: int
    last_year: int
    base: int  # ordinal of 1 January of first_year
    end: int  # ordinal of 31 December of last_year
    working: list[int]  # sorted ordinals of working days
    rank: list[int]  # rank[o - base] = number of working days with ordinal < o; len = days + 1
    is_working: bytearray  # is_working[o - base]


class WorkingCalendar:
    """Working days for Vietnamese civil servants.

    ``years``: an iterable of years or a ``(first, last)`` pair to precompute (more are added on
    demand). ``overrides``: any iterable of ``CalendarOverride``-like objects (dataclasses, model
    instances, mappings). ``annotations``: documented announced days (same shape) that do not change
    the calendar but give the reason and legal reference shown for the days they name.
    """

    def __init__(
        self,
        years: Iterable[int] | tuple[int, int] = (2025, 2026),
        overrides: Iterable[Any] = (),
        *,
        annotations: Iterable[Any] = (),
        country: str = "VN",
        subdiv: str | None = None,
    ) -> None:
        years = list(years)
        if not years:
            raise WorkingTimeError("cần ít nhất một năm")
        first, last = min(years), max(years)
        if first < MIN_YEAR or last > MAX_YEAR:
            raise OutOfRange(f"năm nằm ngoài phạm vi lịch hỗ trợ ({MIN_YEAR}–{MAX_YEAR})")
        self.country = country
        self.subdiv = subdiv
        self.overrides: dict[dt.date, CalendarOverride] = {}
        for raw in overrides:
            ov = coerce_override(raw)
            current = self.overrides.get(ov.date)
            # later entries win, but an enabled entry always beats a disabled one
            if current is None or ov.enabled or not current.enabled:
                self.overrides[ov.date] = ov
        self.annotations: dict[dt.date, CalendarOverride] = {}
        for raw in annotations:
            ann = coerce_override(raw)
            self.annotations[ann.date] = ann
        self._package: dict[dt.date, str] = {}
        self._package_workdays: set[dt.date] = set()
        self._package_years: set[int] = set()
        self._lock = threading.Lock()
        self._state = self._build(first, last)

    # -- construction ------------------------------------------------------------------------------

    def _load_package_years(self, first: int, last: int) -> None:
        missing = [y for y in range(first, last + 1) if y not in self._package_years]
        if not missing:
            return
        h = holidays.country_holidays(self.country, subdiv=self.subdiv, years=missing, language="vi")
        for d, name in h.items():
            if d.year in missing:
                self._package[d] = name
        for d in getattr(h, "weekend_workdays", ()):
            if d.year in missing:
                self._package_workdays.add(d)
        self._package_years.update(missing)

    def _compute_working(self, d: dt.date) -> bool:
        ov = self.overrides.get(d)
        if ov is not None:
            if ov.enabled:
                return ov.kind == WORKING_DAY
            return d.weekday() < 5
        if d in self._package:
            return False
        return d.weekday() < 5 or d in self._package_workdays

    def _build(self, first: int, last: int) -> _State:
        self._load_package_years(first, last)
        base = dt.date(first, 1, 1).toordinal()
        end = dt.date(last, 12, 31).toordinal()
        n = end - base + 1
        is_working = bytearray(n)
        rank = [0] * (n + 1)
        working: list[int] = []
        count = 0
        fromordinal = dt.date.fromordinal
        for i in range(n):
            rank[i] = count
            if self._compute_working(fromordinal(base + i)):
                is_working[i] = 1
                working.append(base + i)
                count += 1
        rank[n] = count
        return _State(first, last, base, end, working, rank, is_working)

    def _extend_to(self, first: int, last: int) -> _State:
        """Grow the precomputed range to [first, last], clamped to the supported years."""
        first, last = max(first, MIN_YEAR), min(last, MAX_YEAR)
        with self._lock:
            st = self._state
            if first >= st.first_year and last <= st.last_year:
                return st
            new = self._build(min(first, st.first_year), max(last, st.last_year))
            self._state = new
            return new

    def _covering(self, *ordinals: int) -> _State:
        """The state, extended so that it covers every given ordinal."""
        st = self._state
        lo, hi = min(ordinals), max(ordinals)
        if lo < st.base or hi > st.end:
            first = _year_of(lo)
            last = _year_of(hi)
            st = self._extend_to(
                first - _EXTEND_MARGIN_YEARS if lo < st.base else st.first_year,
                last + _EXTEND_MARGIN_YEARS if hi > st.end else st.last_year,
            )
        return st

    def _with_index(self, index: int) -> _State:
        """The state, extended so that ``working[index]`` exists."""
        if index < 0:
            raise IndexError("working-day index before the calendar range")
        st = self._state
        while index >= len(st.working):
            if st.last_year >= MAX_YEAR:
                raise OutOfRange(f"thời hạn vượt quá năm {MAX_YEAR}, ngoài phạm vi lịch hỗ trợ")
            missing_years = (index - len(st.working)) // 240 + 1
            st = self._extend_to(st.first_year, st.last_year + missing_years + _EXTEND_MARGIN_YEARS)
        return st

    @property
    def first_year(self) -> int:
        return self._state.first_year

    @property
    def last_year(self) -> int:
        return self._state.last_year

    def state(self) -> _State:
        """The current precomputed arrays (for bulk loops; see ``policy.DuePolicy.bulk_due``)."""
        return self._state

    # -- queries -----------------------------------------------------------------------------------

    def is_working_day(self, d: dt.date) -> bool:
        o = d.toordinal()
        st = self._covering(o)
        return bool(st.is_working[o - st.base])

    def why_not_working(self, d: dt.date) -> str | None:
        """Vietnamese reason why ``d`` is not a working day, or None when it is one."""
        if self.is_working_day(d):
            return None
        ov = self.overrides.get(d)
        if ov is not None and ov.enabled:
            return _with_reference(ov.name, ov.legal_reference)
        if ov is None:
            ann = self.annotations.get(d)
            if ann is not None and ann.enabled and ann.kind == DAY_OFF:
                return _with_reference(ann.name, ann.legal_reference)
            name = self._package.get(d)
            if name is not None:
                return holiday_reason(name, d)
        return _WEEKEND_REASON.get(d.weekday(), "Ngày nghỉ")

    def why_working(self, d: dt.date) -> str | None:
        """For a weekend day that is worked (ngày làm bù), the reason; None otherwise."""
        if d.weekday() < 5 or not self.is_working_day(d):
            return None
        ov = self.overrides.get(d)
        if ov is not None and ov.enabled:
            return _with_reference(ov.name, ov.legal_reference)
        ann = self.annotations.get(d)
        if ann is not None and ann.kind == WORKING_DAY:
            return _with_reference(ann.name, ann.legal_reference)
        return "Ngày làm bù"

    def next_working_day(self, d: dt.date, *, inclusive: bool = False) -> dt.date:
        """The first working day after ``d`` (on or after ``d`` when ``inclusive``)."""
        o = d.toordinal() + (0 if inclusive else 1)
        st = self._covering(o)
        index = st.rank[o - st.base]
        st = self._with_index(index)
        return dt.date.fromordinal(st.working[index])

    def previous_working_day(self, d: dt.date, *, inclusive: bool = False) -> dt.date:
        """The last working day before ``d`` (on or before ``d`` when ``inclusive``)."""
        if inclusive and self.is_working_day(d):
            return d
        return self.add_working_days(d, -1)

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """Move ``n`` working days from ``d`` (backwards when negative); ``n == 0`` returns ``d``.

        From a day off, one working day forward is the next working day and one backward the
        previous working day.
        """
        if n == 0:
            return d
        o = d.toordinal()
        st = self._covering(o)
        i = o - st.base
        if n > 0:
            index = st.rank[i] + (n if st.is_working[i] else n - 1)
            st = self._with_index(index)
            return dt.date.fromordinal(st.working[index])
        index = st.rank[i] + n
        while index < 0:
            if st.first_year <= MIN_YEAR:
                raise OutOfRange(f"thời điểm trước năm {MIN_YEAR}, ngoài phạm vi lịch hỗ trợ")
            margin = (-index) // 240 + 1 + _EXTEND_MARGIN_YEARS
            st = self._extend_to(st.first_year - margin, st.last_year)
            index = st.rank[o - st.base] + n
        return dt.date.fromordinal(st.working[index])

    def count_working_days(self, start: dt.date, end: dt.date) -> int:
        """Number of working days in [start, end) (negative when end < start)."""
        a, b = start.toordinal(), end.toordinal()
        st = self._covering(a, b)
        return st.rank[b - st.base] - st.rank[a - st.base]

    def days_off(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
        """Every day in [start, end] that is not a working day, with its reason."""
        out = []
        d = start
        one = dt.timedelta(days=1)
        while d <= end:
            reason = self.why_not_working(d)
            if reason is not None:
                out.append((d, reason))
            d += one
        return out

    def __repr__(self) -> str:
        st = self._state
        return (
            f"<WorkingCalendar {self.country} {st.first_year}–{st.last_year}, "
            f"{len(self.overrides)} overrides, {len(st.working)} working days>"
        )
