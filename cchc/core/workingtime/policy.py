"""Due-date policy: working hours, effective start, durations, pauses and the one extension.

Moments are handled internally as (ordinal of the local date, second of the day) in
Asia/Ho_Chi_Minh. Working time is measured on a "working-time line": the number of working seconds
since the start of the calendar's range, ``W(moment)``; adding working time is moving along that
line and taking the earliest moment that reaches the target, so a duration that ends exactly at the
end of a working period ends there (11:30, 17:00) and never at the start of the next one.

See docs/working-time.md for the rules and every decision taken where the spec is silent.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, cast
from zoneinfo import ZoneInfo

from .calendar import WorkingCalendar, _State, format_date
from .errors import ExtensionError, WorkingTimeError

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Unit(StrEnum):
    WORKING_DAY = "working_day"
    WORKING_HOUR = "working_hour"
    CALENDAR_DAY = "calendar_day"


UNIT_LABELS = {
    Unit.WORKING_DAY: "ngày làm việc",
    Unit.WORKING_HOUR: "giờ làm việc",
    Unit.CALENDAR_DAY: "ngày (theo lịch)",
}


def parse_unit(unit: str | Unit) -> Unit:
    try:
        return Unit(unit)
    except ValueError:
        allowed = ", ".join(u.value for u in Unit)
        raise WorkingTimeError(f"đơn vị thời hạn không hợp lệ: {unit!r} (chỉ nhận {allowed})") from None


def parse_duration(duration: Decimal | int | float | str) -> Decimal:
    """A non-negative finite decimal."""
    if isinstance(duration, bool):
        raise WorkingTimeError(f"thời hạn không hợp lệ: {duration!r}")
    try:
        value = Decimal(str(duration).strip()) if not isinstance(duration, Decimal) else duration
    except (InvalidOperation, ValueError):
        raise WorkingTimeError(f"thời hạn không hợp lệ: {duration!r}") from None
    if not value.is_finite():
        raise WorkingTimeError(f"thời hạn không hợp lệ: {duration!r}")
    if value < 0:
        raise WorkingTimeError(f"thời hạn không được âm: {duration}")
    return value


def to_local(value: dt.datetime) -> dt.datetime:
    """An aware datetime in Asia/Ho_Chi_Minh, to the second. Naive values are local time."""
    if not isinstance(value, dt.datetime):
        raise WorkingTimeError(f"cần một thời điểm (datetime), không phải {value!r}")
    value = value.replace(tzinfo=TZ) if value.tzinfo is None else value.astimezone(TZ)
    return value.replace(microsecond=0) if value.microsecond else value


def _secs(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _hm(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}" + (f":{s:02d}" if s else "")


def _split(value: dt.datetime) -> tuple[int, int]:
    return value.toordinal(), value.hour * 3600 + value.minute * 60 + value.second


def _join(ordinal: int, seconds: int) -> dt.datetime:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return dt.datetime.combine(dt.date.fromordinal(ordinal), dt.time(h, m, s), TZ)


def format_moment(value: dt.datetime) -> str:
    """'16:05 thứ Sáu 13/02/2026'."""
    value = to_local(value)
    return f"{_hm(_split(value)[1])} {format_date(value.date())}"


def format_working_time(delta: dt.timedelta) -> str:
    """'18 giờ 30 phút làm việc'."""
    total = int(delta.total_seconds())
    sign = "-" if total < 0 else ""
    h, rest = divmod(abs(total), 3600)
    m = rest // 60
    parts = [f"{h} giờ"] if h else []
    if m or not parts:
        parts.append(f"{m} phút")
    return sign + " ".join(parts) + " làm việc"


@dataclass(frozen=True)
class WorkingHours:
    """Working periods of a working day, e.g. 07:30–11:30 and 13:00–17:00 (the default)."""

    periods: tuple[tuple[dt.time, dt.time], ...] = (
        (dt.time(7, 30), dt.time(11, 30)),
        (dt.time(13, 0), dt.time(17, 0)),
    )
    seconds: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        periods = tuple((a, b) for a, b in self.periods)
        if not periods:
            raise WorkingTimeError("giờ làm việc phải có ít nhất một khoảng")
        secs = tuple((_secs(a), _secs(b)) for a, b in periods)
        previous_end = -1
        for a, b in secs:
            if not a < b or a <= previous_end:
                raise WorkingTimeError("các khoảng giờ làm việc phải tăng dần và không chồng nhau")
            previous_end = b
        object.__setattr__(self, "periods", periods)
        object.__setattr__(self, "seconds", secs)

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """'07:30-11:30,13:00-17:00'."""
        periods = []
        for part in text.replace("–", "-").split(","):
            a, b = (dt.time.fromisoformat(x.strip()) for x in part.split("-"))
            periods.append((a, b))
        return cls(tuple(periods))

    @property
    def start(self) -> int:
        """Second of the day at which work starts."""
        return self.seconds[0][0]

    @property
    def end(self) -> int:
        """Second of the day at which work ends."""
        return self.seconds[-1][1]

    @property
    def day_seconds(self) -> int:
        """Working seconds in a working day (28,800 by default)."""
        return sum(b - a for a, b in self.seconds)

    def contains(self, s: int) -> bool:
        return any(a <= s < b for a, b in self.seconds)

    def within(self, s: int) -> int:
        """Working seconds of a working day before second ``s``."""
        total = 0
        for a, b in self.seconds:
            if s <= a:
                break
            total += (s if s < b else b) - a
        return total

    def at(self, offset: int) -> int:
        """The earliest second of the day at which ``offset`` working seconds (0 < offset ≤ a
        working day) have elapsed."""
        for a, b in self.seconds:
            if offset <= b - a:
                return a + offset
            offset -= b - a
        return self.end

    def next_start(self, s: int) -> int | None:
        """The start of the first period that begins at or after ``s`` (None after the last)."""
        for a, _ in self.seconds:
            if s <= a:
                return a
        return None

    def __str__(self) -> str:
        return ", ".join(f"{_hm(a)}–{_hm(b)}" for a, b in self.seconds)


_START_RULES = {
    "in_hours": "tiếp nhận trong giờ làm việc, trước giờ chốt {cutoff}: tính từ thời điểm tiếp nhận",
    "break": "tiếp nhận trong giờ nghỉ giữa ca: tính từ đầu ca làm việc tiếp theo trong ngày",
    "before_hours": "tiếp nhận trước giờ làm việc: tính từ đầu giờ làm việc cùng ngày",
    "after_cutoff": "tiếp nhận từ giờ chốt {cutoff} trở đi: tính từ đầu giờ ngày làm việc tiếp theo",
    "after_hours": "tiếp nhận sau giờ làm việc: tính từ đầu giờ ngày làm việc tiếp theo",
    "day_off": "tiếp nhận vào ngày nghỉ ({reason}): tính từ đầu giờ ngày làm việc tiếp theo",
}


@dataclass(frozen=True)
class DueDate:
    """A computed due date, able to explain itself and to follow the dossier's lifecycle."""

    received: dt.datetime
    effective_start: dt.datetime
    due: dt.datetime
    duration: Decimal
    unit: Unit
    start_rule: str
    base_due: dt.datetime  # the due date before any pause or extension
    skipped: list[tuple[dt.date, str]] = field(default_factory=list, compare=False)
    pauses: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
    paused: dt.timedelta = dt.timedelta(0)  # working time added by the pauses
    extended_from: dt.datetime | None = None  # the due date the extension replaced
    extension: tuple[dt.datetime, dt.datetime | None] | None = None  # (new due, decided at)
    policy: DuePolicy = field(default=None, repr=False, compare=False)  # type: ignore[assignment]

    # -- lifecycle ---------------------------------------------------------------------------------

    @property
    def extended(self) -> bool:
        return self.extension is not None

    def with_pause(self, start: dt.datetime, end: dt.datetime) -> DueDate:
        """The due date after one more pause (waiting for the applicant's supplement)."""
        start, end = self.policy.check_pause(start, end)
        return self.policy.finish(self, pauses=(*self.pauses, (start, end)))

    def extend(self, new_due: dt.datetime, *, at: dt.datetime | None = None) -> DueDate:
        """Replace the due date after an apology — allowed once, and only to a later moment.

        ``at`` is when the extension was decided: pauses that start later still add their
        working time to the new due date. Without ``at``, the extension follows every pause
        recorded so far.
        """
        if self.extension is not None:
            raise ExtensionError("thời hạn đã được gia hạn một lần, không được gia hạn lần nữa")
        new_due = to_local(new_due)
        at = to_local(at) if at is not None else None
        return self.policy.finish(self, extension=(new_due, at))

    def remaining(self, at: dt.datetime, *, paused_since: dt.datetime | None = None) -> dt.timedelta:
        """Working time left at ``at`` (negative once overdue). While a pause is open
        (``paused_since``), the clock stays where the pause began."""
        moment = to_local(at)
        if paused_since is not None:
            moment = min(moment, to_local(paused_since))
        moment = max(moment, self.effective_start)
        return self.policy.working_time_between(moment, self.due)

    def is_overdue(self, at: dt.datetime, *, paused_since: dt.datetime | None = None) -> bool:
        return self.remaining(at, paused_since=paused_since) < dt.timedelta(0)

    @property
    def apology_deadline(self) -> dt.datetime:
        """The latest moment to send the apology with a new date: 1 working day before the due."""
        return self.policy.add_working_days(self.due, -1)

    # -- output ------------------------------------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        """The JSON object of the `cchc due-date` contract."""
        return {
            "received": self.received.isoformat(),
            "effective_start": self.effective_start.isoformat(),
            "due": self.due.isoformat(),
            "skipped": [{"date": d.isoformat(), "reason": reason} for d, reason in self.skipped],
        }

    def to_json(self, *, ensure_ascii: bool = False) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=ensure_ascii)

    def explain(self) -> str:
        """A Vietnamese explanation: start rule, skipped days and why, pauses, extension, due."""
        policy = self.policy
        cal = policy.calendar
        hours = policy.hours
        cutoff = _hm(policy.cutoff_seconds) if policy.cutoff is not None else "(không có)"
        reason = cal.why_not_working(self.received.date()) or ""
        lines = [
            f"Tiếp nhận: {format_moment(self.received)}.",
            f"Bắt đầu tính thời hạn: {format_moment(self.effective_start)} — "
            + _START_RULES[self.start_rule].format(cutoff=cutoff, reason=reason)
            + ".",
            f"Thời hạn: {_number(self.duration)} {UNIT_LABELS[self.unit]}"
            f" (giờ làm việc {hours}; giờ chốt tiếp nhận {cutoff}).",
        ]
        if self.skipped:
            lines.append("Ngày không tính (ngoài thứ Bảy, Chủ nhật):")
            lines.extend(f"  - {format_date(d)}: {why}" for d, why in self.skipped)
        else:
            lines.append("Không có ngày nghỉ lễ, Tết hay ngày nghỉ hoán đổi nào trong khoảng tính.")
        first, last = self.received.date(), self.due.date()
        weekends = worked = 0
        worked_lines = []
        d = first
        while d <= last:
            if d.weekday() >= 5:
                why = cal.why_working(d)
                if why is None:
                    weekends += 1
                else:
                    worked += 1
                    worked_lines.append(f"  - {format_date(d)}: {why}")
            d += dt.timedelta(days=1)
        if weekends:
            lines.append(f"Ngày nghỉ hằng tuần (thứ Bảy, Chủ nhật) không tính: {weekends} ngày.")
        if worked:
            lines.append("Ngày làm bù (cuối tuần nhưng là ngày làm việc) được tính:")
            lines.extend(worked_lines)
        for start, end in self.pauses:
            lines.append(f"Tạm dừng: từ {format_moment(start)} đến {format_moment(end)}.")
        if self.pauses:
            lines.append(f"Thời gian tạm dừng cộng thêm vào thời hạn: {format_working_time(self.paused)}.")
        if self.extended_from is not None and self.extension is not None:
            lines.append(
                f"Gia hạn (một lần, sau văn bản xin lỗi): hạn cũ {format_moment(self.extended_from)}, "
                f"hạn mới {format_moment(self.extension[0])}."
            )
        due_line = f"Hạn giải quyết: {format_moment(self.due)}"
        o, s = _split(self.due)
        if s == hours.end and self.unit is not Unit.CALENDAR_DAY and policy.start_as_previous_end:
            nxt = cal.next_working_day(self.due.date())
            due_line += (
                f" (cùng thời điểm tính theo giờ làm việc với {_hm(hours.start)} {format_date(nxt)};"
                " hạn rơi đúng đầu giờ làm việc được ghi là cuối giờ của ngày làm việc liền trước)"
            )
        lines.append(due_line + ".")
        return "\n".join(lines)


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    return text.replace(".", ",")


class DuePolicy:
    """The default due-date policy of docs/specs/working-time.md, with configurable hours and cut-off.

    ``calendar``: a ``WorkingCalendar`` (default: ``default_calendar()`` with the shipped
    overrides). ``cutoff``: receipts at or after this time start the next working day (None: no
    cut-off). ``start_as_previous_end``: show a due time equal to the start of working hours as the
    end of working hours of the previous working day (spec rule 3).
    """

    def __init__(
        self,
        calendar: WorkingCalendar | None = None,
        hours: WorkingHours | None = None,
        cutoff: dt.time | None = dt.time(15, 0),
        *,
        start_as_previous_end: bool = True,
    ) -> None:
        if calendar is None:
            from .overrides_vn import default_calendar

            calendar = default_calendar()
        self.calendar = calendar
        self.hours = hours or WorkingHours()
        self.cutoff = cutoff
        self.cutoff_seconds = _secs(cutoff) if cutoff is not None else 86_400
        self.start_as_previous_end = start_as_previous_end
        self._day = self.hours.day_seconds
        self._start_table: bytes | None = None
        self._midnights: tuple[int, list[dt.datetime]] | None = None

    def __repr__(self) -> str:
        return f"<DuePolicy hours={self.hours} cutoff={self.cutoff} calendar={self.calendar!r}>"

    # -- primitives on (ordinal, second) -------------------------------------------------------------

    def _effective(self, o: int, s: int) -> tuple[int, int, str]:
        cal = self.calendar
        st = cal._covering(o)
        i = o - st.base
        hours = self.hours
        rule = None
        if not st.is_working[i]:
            rule = "day_off"
        elif s >= hours.end:
            rule = "after_hours"
        elif s >= self.cutoff_seconds:
            rule = "after_cutoff"
        else:
            for a, b in hours.seconds:
                if s < a:
                    if a >= self.cutoff_seconds:
                        rule = "after_cutoff"
                        break
                    return o, a, ("before_hours" if a == hours.start else "break")
                if s < b:
                    return o, s, "in_hours"
        index = st.rank[i + 1]
        st = cal._with_index(index)
        return st.working[index], hours.start, rule or "after_hours"

    def _w(self, st: _State, o: int, s: int) -> int:
        i = o - st.base
        r = st.rank[i]
        if st.is_working[i]:
            return r * self._day + self.hours.within(s)
        return r * self._day

    def _from_w(self, st: _State, x: int) -> tuple[int, int]:
        """The earliest moment whose working-time coordinate (relative to ``st``) is ``x`` > 0."""
        k, rem = divmod(x, self._day)
        if rem == 0:
            k -= 1
            s = self.hours.end
        else:
            s = self.hours.at(rem)
        if k >= len(st.working):
            new = self.calendar._with_index(k)
            if new.base != st.base:  # grown backwards meanwhile (another thread): re-anchor
                k += new.rank[st.base - new.base]
                new = self.calendar._with_index(k)
            st = new
        return st.working[k], s

    def _add_days(self, o: int, s: int, n: int) -> tuple[int, int]:
        if n == 0:
            return o, s
        cal = self.calendar
        hours = self.hours
        extra = 0
        while True:
            st = cal._covering(o - extra, o)
            i = o - st.base
            if not st.is_working[i] or s >= hours.end:
                index, s2 = st.rank[i + 1], hours.start
            else:
                index = st.rank[i]
                s2 = s if hours.contains(s) else cast(int, hours.next_start(s))  # s < end: a period follows
            j = index + n
            shift = self.start_as_previous_end and s2 == hours.start
            if j - (1 if shift else 0) >= 0:
                break
            extra = max(2 * extra, 400 - 2 * n)
        st = cal._with_index(j)
        if shift:
            return st.working[j - 1], hours.end
        return st.working[j], s2

    # -- public moment-level API ---------------------------------------------------------------------

    def effective_start(self, received: dt.datetime) -> dt.datetime:
        """When the clock starts for a dossier received at ``received`` (spec rule 1)."""
        o, s, _ = self._effective(*_split(to_local(received)))
        return _join(o, s)

    def add_working_days(self, moment: dt.datetime, n: int) -> dt.datetime:
        """Move ``n`` working days keeping the time of day (rules 2 and 3).

        A moment outside working time first moves to the next working moment; a result at the
        start of working hours is shown as the end of working hours of the previous working day.
        ``n == 0`` returns the moment unchanged; negative ``n`` moves backwards.
        """
        if not isinstance(n, int) or isinstance(n, bool):
            raise WorkingTimeError(f"số ngày làm việc phải là số nguyên: {n!r}")
        o, s = self._add_days(*_split(to_local(moment)), n)
        return _join(o, s)

    def add_working_time(self, moment: dt.datetime, delta: dt.timedelta | int) -> dt.datetime:
        """The earliest moment at which ``delta`` (≥ 0; a timedelta or seconds) of working time has
        elapsed after ``moment``; ``delta == 0`` returns the moment unchanged."""
        seconds = int(delta.total_seconds()) if isinstance(delta, dt.timedelta) else int(delta)
        if seconds < 0:
            raise WorkingTimeError("thời gian làm việc cộng thêm không được âm")
        local = to_local(moment)
        if seconds == 0:
            return local
        o, s = _split(local)
        st = self.calendar._covering(o)
        return _join(*self._from_w(st, self._w(st, o, s) + seconds))

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time from ``start`` to ``end`` (negative when ``end`` is earlier)."""
        oa, sa = _split(to_local(start))
        ob, sb = _split(to_local(end))
        st = self.calendar._covering(oa, ob)
        return dt.timedelta(seconds=self._w(st, ob, sb) - self._w(st, oa, sa))

    def check_pause(self, start: dt.datetime, end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        start, end = to_local(start), to_local(end)
        if end < start:
            raise WorkingTimeError(
                f"khoảng tạm dừng không hợp lệ: kết thúc {end:%Y-%m-%d %H:%M} trước khi bắt đầu "
                f"{start:%Y-%m-%d %H:%M}"
            )
        return start, end

    # -- due dates -----------------------------------------------------------------------------------

    def due_date(
        self,
        received: dt.datetime,
        duration: Decimal | int | str,
        unit: Unit | str = Unit.WORKING_DAY,
        pauses: Iterable[tuple[dt.datetime, dt.datetime]] = (),
    ) -> DueDate:
        """The due date of a dossier received at ``received`` with the given processing time."""
        received = to_local(received)
        value = parse_duration(duration)
        unit = parse_unit(unit)
        checked = tuple(self.check_pause(a, b) for a, b in pauses)
        o, s, rule = self._effective(*_split(received))
        if unit is Unit.WORKING_DAY:
            whole = int(value)
            o2, s2 = self._add_days(o, s, whole)
            fraction = value - whole
            due = _join(o2, s2)
            if fraction:
                due = self.add_working_time(due, int((fraction * self._day).to_integral_value()))
        elif unit is Unit.WORKING_HOUR:
            due = self.add_working_time(_join(o, s), int((value * 3600).to_integral_value()))
        else:
            if value != value.to_integral_value():
                raise WorkingTimeError(f"số ngày theo lịch phải là số nguyên: {value}")
            day = self.calendar.next_working_day(
                dt.date.fromordinal(o + int(value)),
                inclusive=True,
            )
            due = _join(day.toordinal(), self.hours.end)
        result = DueDate(
            received=received,
            effective_start=_join(o, s),
            due=due,
            duration=value,
            unit=unit,
            start_rule=rule,
            base_due=due,
            policy=self,
        )
        return self.finish(result, pauses=checked)

    def finish(
        self,
        result: DueDate,
        *,
        pauses: Sequence[tuple[dt.datetime, dt.datetime]] | None = None,
        extension: tuple[dt.datetime, dt.datetime | None] | None = None,
    ) -> DueDate:
        """Apply pauses and the extension to ``result.base_due`` and list the skipped days."""
        pauses = tuple(result.pauses if pauses is None else pauses)
        extension = result.extension if extension is None else extension
        start = result.effective_start
        due = result.base_due
        added = dt.timedelta(0)
        extended_from = None
        pending = extension
        for a, b in _merge(pauses):
            if pending is not None and pending[1] is not None and a >= pending[1]:
                extended_from, due, pending = due, self._check_extension(due, pending[0]), None
            a = max(a, start)
            if b <= a or self.working_time_between(a, due) <= dt.timedelta(0):
                continue  # before the clock started, empty, or after the due date (already late)
            length = self.working_time_between(a, b)
            if length:
                due = self.add_working_time(due, length)
                added += length
        if pending is not None:
            extended_from, due = due, self._check_extension(due, pending[0])
        return replace(
            result,
            due=due,
            pauses=pauses,
            paused=added,
            extension=extension,
            extended_from=extended_from,
            skipped=self.skipped_days(result.received.date(), due.date()),
        )

    def _check_extension(self, current: dt.datetime, new_due: dt.datetime) -> dt.datetime:
        if new_due <= current:
            raise ExtensionError(
                f"hạn mới {format_moment(new_due)} phải sau hạn hiện tại {format_moment(current)}"
            )
        return new_due

    def skipped_days(self, first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
        """Monday–Friday days in [first, last] that are not working days, with the reason."""
        cal = self.calendar
        a, b = first.toordinal(), last.toordinal()
        st = cal._covering(a, b)
        out = []
        isw = st.is_working
        for o in range(a, b + 1):
            if not isw[o - st.base] and o % 7 not in (6, 0):  # ordinal % 7: 6 = Saturday, 0 = Sunday
                d = dt.date.fromordinal(o)
                out.append((d, cal.why_not_working(d) or ""))  # never None: d is not worked
        return out

    # -- bulk ----------------------------------------------------------------------------------------

    def _start_codes(self) -> bytes:
        """For each second of a working day: 0 keep, 1 next working day, 2 + k start of period k."""
        if self._start_table is None:
            table = bytearray(86_400)
            hours = self.hours
            for s in range(86_400):
                if s >= hours.end or s >= self.cutoff_seconds:
                    table[s] = 1
                    continue
                for k, (a, b) in enumerate(hours.seconds):
                    if s <= a:  # at a period's start too: rule 3 may show it as the previous end
                        table[s] = 1 if a >= self.cutoff_seconds else 2 + k
                        break
                    if s < b:
                        table[s] = 0
                        break
            self._start_table = bytes(table)
        return self._start_table

    def _midnight_list(self, st: _State) -> list[dt.datetime]:
        if self._midnights is None or self._midnights[0] != id(st):
            first = dt.datetime(st.first_year, 1, 1, tzinfo=TZ)
            day = dt.timedelta(days=1)
            self._midnights = (id(st), [first + k * day for k in range(st.end - st.base + 1)])
        return self._midnights[1]

    def bulk_due(self, received: Iterable[dt.datetime], durations: Iterable[int]) -> list[dt.datetime]:
        """Due dates for many receipts with whole working-day durations, without pauses.

        Same result as ``due_date(r, n).due`` for each pair, computed with list look-ups only.
        """
        cal = self.calendar
        st = cal.state()
        base, rank, isw, working = st.base, st.rank, st.is_working, st.working
        codes = self._start_codes()
        mid = self._midnight_list(st)
        hours = self.hours
        start0 = hours.start
        td_end = dt.timedelta(seconds=hours.end)
        td_start = [dt.timedelta(seconds=a) for a, _ in hours.seconds]
        shift = [self.start_as_previous_end and a == start0 for a, _ in hours.seconds]
        shift_next = self.start_as_previous_end
        tdays = _TDAYS
        tz_local = TZ
        out: list[dt.datetime] = []
        append = out.append
        for r, n in zip(received, durations, strict=True):
            tz = r.tzinfo
            if tz is not tz_local:
                r = r.replace(tzinfo=tz_local) if tz is None else r.astimezone(tz_local)
            if r.microsecond:
                r = r.replace(microsecond=0)
            o = r.toordinal()
            i = o - base
            try:
                if i < 0 or n.__class__ is not int or n < 0:
                    raise IndexError
                code = codes[r.hour * 3600 + r.minute * 60 + r.second] if isw[i] else 1
                if code == 0:
                    append(r + tdays[working[rank[i] + n] - o])
                elif code == 1:
                    j = rank[i + 1] + n
                    if n and shift_next:
                        append(mid[working[j - 1] - base] + td_end)
                    else:
                        append(mid[working[j] - base] + td_start[0])
                else:
                    k = code - 2
                    j = rank[i] + n
                    if n and shift[k]:
                        append(mid[working[j - 1] - base] + td_end)
                    else:
                        append(mid[working[j] - base] + td_start[k])
            except IndexError:
                # outside the precomputed years, or not a whole number of days: the general path
                # (which also grows the calendar), then refresh the local arrays
                append(self.due_date(r, n).due)
                if cal.state() is not st:
                    st = cal.state()
                    base, rank, isw, working = st.base, st.rank, st.is_working, st.working
                    mid = self._midnight_list(st)
        return out


_TDAYS = [dt.timedelta(days=k) for k in range(4_000)]


def _merge(pauses: Iterable[tuple[dt.datetime, dt.datetime]]) -> list[tuple[dt.datetime, dt.datetime]]:
    """Sorted pauses with overlapping ones merged (a pause during a pause counts once)."""
    merged: list[list[dt.datetime]] = []
    for a, b in sorted(pauses):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]
