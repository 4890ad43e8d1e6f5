"""When the apology with a new appointment (phiếu xin lỗi và hẹn lại ngày trả kết quả, form 04)
is due — the rule the page (which offers it only then) and `services.dossier_apologise` (which
refuses it otherwise) share. docs/dossiers.md, "The apology: only when it is due", gives the
legal basis.

The apology is for a dossier that is, or will be, late; it must go out at the latest one working
day before the due time in force (`deadlines.apology_deadline`), once. So it is due while the
dossier is open and running (not paused), not yet apologised, that deadline has not passed, and
one of:

1. **behind schedule** — the current step is past its own due time;
2. **will be late** — the steps still to do, at the time each is allotted, end after the due
   time in force (the current step at its due time, or now if that has passed, plus the next
   steps' times);
3. **last day to decide** — at most one working day is left before the deadline: the handling
   unit must decide now whether the result will be in time (the reminder job warns then too).

On the day of receipt none holds for a dossier whose steps fit its processing time, so the
apology is not offered then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from cchc.core.workingtime import to_local

from .deadlines import apology_deadline, dossier_policy, step_due
from .lifecycle import OPEN
from .messages import moment as show
from .steps import remaining_time


@dataclass(frozen=True)
class ApologyStatus:
    due: bool
    why: str  # in Vietnamese: why it is due, or why not
    deadline: dt.datetime | None = None


def apology_status(dossier, now: dt.datetime | None = None, policy=None) -> ApologyStatus:
    now = to_local(now or timezone.now())
    d = dossier
    if d.state not in OPEN or d.current_due_at is None:
        return ApologyStatus(False, "hồ sơ không còn đang giải quyết")
    if d.apologised:
        return ApologyStatus(False, f"đã gửi thư xin lỗi, hẹn trả mới {show(d.new_due_at)}")
    if d.paused_since is not None:
        return ApologyStatus(False, "hồ sơ đang tạm dừng chờ bổ sung")
    policy = policy or dossier_policy(d)
    deadline = apology_deadline(policy, d.current_due_at)
    if now > deadline:
        return ApologyStatus(False, f"đã quá thời hạn gửi thư xin lỗi (chậm nhất {show(deadline)})", deadline)
    if d.step_due_at is not None and now > d.step_due_at:
        return ApologyStatus(True, f"bước B{d.current_step} đã quá hạn ({show(d.step_due_at)})", deadline)
    if d.steps and d.step_due_at is not None:
        start = max(now, to_local(d.step_due_at))
        finish = step_due(policy, start, remaining_time(d), d.duration_unit)
        if finish > d.current_due_at:
            return ApologyStatus(
                True,
                f"các bước còn lại, theo thời gian quy định, xong lúc {show(finish)}, sau hạn trả "
                f"{show(d.current_due_at)}",
                deadline,
            )
    if policy.working_time_between(now, deadline).total_seconds() <= policy.hours.day_seconds:
        return ApologyStatus(
            True, f"còn không quá 01 ngày làm việc đến hạn gửi thư xin lỗi ({show(deadline)})", deadline
        )
    return ApologyStatus(
        False,
        f"hồ sơ đang đúng tiến độ; thư xin lỗi chỉ gửi khi hồ sơ quá hạn hoặc sẽ quá hạn "
        f"(chậm nhất {show(deadline)})",
        deadline,
    )


# --- the warnings' window ----------------------------------------------------------------------


def _first(pred: Callable[[int], bool], lo: int, hi: int) -> int:
    """The smallest k in [lo, hi] for which `pred` holds (`pred` false then true), or hi + 1."""
    while lo <= hi:
        mid = (lo + hi) // 2
        if pred(mid):
            hi = mid - 1
        else:
            lo = mid + 1
    return lo


def warning_window(
    policy, now: dt.datetime, within: dt.timedelta, horizon: dt.datetime
) -> tuple[dt.datetime, dt.datetime] | None:
    """The due times in (now, horizon] whose apology deadline is still ahead and at most `within`
    working time away: the rule of `selectors.dossier_apology_warnings` turned into a range of
    `current_due_at`, so the database counts the dossiers on its index instead of Python judging
    each open one. It is one closed range because the deadline (one working day before the due
    time) only moves forward with the due time, and the working time up to it with it; the ends
    are found to the microsecond by bisection on the same functions (tests/test_apology_window.py
    checks the range against the rule moment by moment). None when no due time qualifies."""
    now = to_local(now)
    step = dt.timedelta(microseconds=1)
    n = (to_local(horizon) - now) // step

    def deadline(k: int) -> dt.datetime:
        return apology_deadline(policy, now + k * step)

    start = _first(lambda k: deadline(k) >= now, 1, n)
    stop = _first(lambda k: policy.working_time_between(now, deadline(k)) > within, start, n)
    if start > stop - 1:
        return None
    return now + start * step, now + (stop - 1) * step
