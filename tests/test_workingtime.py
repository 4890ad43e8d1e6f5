"""The working-time engine (cchc.core.workingtime): calendar, default due-date policy, pauses,
extension, explanations, bulk computation. Pure Python: no database."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cchc.core.workingtime import (
    TZ,
    CalendarOverride,
    DuePolicy,
    ExtensionError,
    Unit,
    WorkingCalendar,
    WorkingHours,
    WorkingTimeError,
    announced_days,
    default_calendar,
    shipped_overrides,
)
from cchc.core.workingtime.overrides_vn import package_agrees

D = dt.date
H = dt.timedelta(hours=1)
POLICY = DuePolicy(default_calendar(years=(2025, 2026)))
CAL = POLICY.calendar


def t(text: str) -> dt.datetime:
    """Local time from 'YYYY-MM-DD HH:MM'."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def due(received: str, duration, unit="working_day", pauses=()) -> dt.datetime:
    return POLICY.due_date(t(received), duration, unit, [(t(a), t(b)) for a, b in pauses]).due


# --- the spec's examples ---------------------------------------------------------------------------


def test_spec_example_ordinary_week():
    result = POLICY.due_date(dt.datetime(2026, 3, 2, 9, 0), 5, "working_day")
    assert result.as_dict() == {
        "received": "2026-03-02T09:00:00+07:00",
        "effective_start": "2026-03-02T09:00:00+07:00",
        "due": "2026-03-09T09:00:00+07:00",
        "skipped": [],
    }


def test_spec_example_after_cutoff_then_tet():
    result = POLICY.due_date(dt.datetime(2026, 2, 13, 16, 5), 5, "working_day")
    data = json.loads(result.to_json())
    assert list(data) == ["received", "effective_start", "due", "skipped"]
    assert data["received"] == "2026-02-13T16:05:00+07:00"
    assert data["effective_start"] == "2026-02-23T07:30:00+07:00"
    assert data["due"] == "2026-02-27T17:00:00+07:00"
    assert [s["date"] for s in data["skipped"]] == [
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-02-19",
        "2026-02-20",
    ]
    assert all("Tết Nguyên đán" in s["reason"] for s in data["skipped"])
    assert result.skipped[0] == (D(2026, 2, 16), data["skipped"][0]["reason"])
    # rule 3: the raw due (Monday 2026-03-02 07:30) is the same moment of working time
    assert POLICY.working_time_between(result.due, t("2026-03-02 07:30")) == dt.timedelta(0)
    assert POLICY.working_time_between(result.effective_start, result.due) == 40 * H


# --- the shipped 2025–2026 schedule ----------------------------------------------------------------

DAYS_OFF = [
    *(D(2025, 1, 25) + dt.timedelta(days=k) for k in range(9)),  # Tết Ất Tỵ 25/1–2/2
    D(2025, 1, 1),
    D(2025, 4, 7),
    *(D(2025, 4, 30) + dt.timedelta(days=k) for k in range(5)),  # 30/4–4/5
    *(D(2025, 8, 30) + dt.timedelta(days=k) for k in range(4)),  # 30/8–2/9
    *(D(2026, 1, 1) + dt.timedelta(days=k) for k in range(4)),  # 1/1–4/1, incl. Friday 2/1
    *(D(2026, 2, 14) + dt.timedelta(days=k) for k in range(9)),  # Tết Bính Ngọ 14/2–22/2
    D(2026, 4, 26),
    D(2026, 4, 27),
    D(2026, 4, 30),
    D(2026, 5, 1),
    *(D(2026, 8, 29) + dt.timedelta(days=k) for k in range(5)),  # 29/8–2/9, incl. Monday 31/8
    D(2026, 11, 24),
]
WORKED_WEEKEND = [D(2025, 4, 26), D(2026, 1, 10), D(2026, 8, 22)]
WORKING_NEIGHBOURS = [
    D(2025, 1, 24),
    D(2025, 2, 3),
    D(2025, 4, 8),
    D(2025, 4, 29),
    D(2025, 5, 5),
    D(2025, 8, 29),
    D(2025, 9, 3),
    D(2026, 1, 5),
    D(2026, 1, 9),
    D(2026, 2, 13),
    D(2026, 2, 23),
    D(2026, 4, 28),
    D(2026, 4, 29),
    D(2026, 5, 4),
    D(2026, 8, 28),
    D(2026, 9, 3),
    D(2026, 11, 23),
    D(2026, 11, 25),
]


@pytest.mark.parametrize("day", DAYS_OFF, ids=str)
def test_announced_days_off(day):
    assert not CAL.is_working_day(day)
    assert CAL.why_not_working(day)


@pytest.mark.parametrize("day", WORKED_WEEKEND, ids=str)
def test_announced_worked_weekend_days(day):
    assert day.weekday() == 5
    assert CAL.is_working_day(day)
    assert CAL.why_not_working(day) is None
    assert "Làm bù" in CAL.why_working(day)


@pytest.mark.parametrize("day", WORKING_NEIGHBOURS, ids=str)
def test_days_around_the_holidays_are_working(day):
    assert CAL.is_working_day(day)


@pytest.mark.parametrize("day", announced_days(), ids=lambda a: f"{a.date}-{a.kind}")
def test_every_documented_day_holds_in_the_default_calendar(day):
    assert CAL.is_working_day(day.date) == (day.kind == "working_day")
    assert day.legal_reference and day.name
    if day.kind == "day_off":
        assert day.legal_reference in CAL.why_not_working(day.date)


def test_the_data_documents_every_day_the_spec_lists():
    documented = {a.date: a.kind for a in announced_days()}
    for day in DAYS_OFF:
        assert documented.get(day) == "day_off", day
    for day in WORKED_WEEKEND:
        assert documented.get(day) == "working_day", day


def test_overrides_are_only_what_the_holidays_package_misses_plus_switchable_days():
    overrides = {o.date: o for o in shipped_overrides()}
    # with holidays 0.109 exactly the 2026 New Year swap differs; 24/11 is kept as switchable
    assert set(overrides) <= {D(2026, 1, 2), D(2026, 1, 10), D(2026, 11, 24)}
    assert D(2026, 11, 24) in overrides
    for day in announced_days():
        if day.date not in overrides:
            assert package_agrees(day), day
    assert "12729/VPCP-KGVX" in CAL.why_not_working(D(2026, 1, 2))
    assert "12729/VPCP-KGVX" in CAL.why_working(D(2026, 1, 10))


def test_vietnam_culture_day_can_be_switched_off():
    assert not CAL.is_working_day(D(2026, 11, 24))
    off = default_calendar(disable=["2026-van-hoa"])
    assert off.is_working_day(D(2026, 11, 24))
    also_off = default_calendar(disable=["2026-11-24"])
    assert also_off.is_working_day(D(2026, 11, 24))
    # an administrator's table row (any object with the same attributes), switched off
    row = SimpleNamespace(
        date=D(2026, 11, 24), kind="day_off", name="Ngày Văn hóa Việt Nam", legal_reference="", enabled=False
    )
    rows = [o for o in shipped_overrides() if o.date != row.date] + [row]
    assert default_calendar(rows).is_working_day(D(2026, 11, 24))
    assert default_calendar(rows).is_working_day(D(2026, 1, 10))
    # the package still knows it from 2027 on
    assert not off.is_working_day(D(2027, 11, 24))


def test_reasons():
    assert CAL.why_not_working(D(2026, 3, 7)) == "Thứ bảy"
    assert CAL.why_not_working(D(2026, 3, 8)) == "Chủ nhật"
    assert CAL.why_not_working(D(2026, 3, 9)) is None
    assert CAL.why_not_working(D(2026, 2, 17)).startswith("Tết Nguyên đán (mùng 1")
    assert CAL.why_not_working(D(2026, 4, 27)).startswith("Nghỉ bù Giỗ Tổ Hùng Vương")
    assert CAL.why_not_working(D(2026, 8, 31)).startswith("Nghỉ hoán đổi")
    assert CAL.why_not_working(D(2026, 2, 14)).startswith("Thứ bảy trong kỳ nghỉ Tết")
    # years without documentation: the holidays package's names, in Vietnamese
    assert CAL.why_not_working(D(2027, 2, 8)) == "Tết Nguyên đán (mùng 3 tháng Giêng)"
    assert CAL.why_not_working(D(2027, 5, 3)).startswith("Nghỉ bù Ngày Quốc tế Lao động (1/5)")
    assert CAL.why_not_working(D(2027, 9, 3)) == "Quốc khánh (ngày liền kề 2/9)"
    assert CAL.why_not_working(D(2027, 5, 1)) == "Ngày Quốc tế Lao động (1/5), trùng thứ Bảy"


# --- the calendar itself ---------------------------------------------------------------------------


def test_overrides_accept_any_shape_and_disabled_entries_revoke():
    cal = WorkingCalendar(
        (2026, 2026),
        [
            CalendarOverride(D(2026, 3, 10), "day_off", "Lễ hội địa phương", "Quyết định 1/QĐ-UBND"),
            {"date": "2026-03-15", "kind": "working_day", "name": "Làm bù Chủ nhật", "legal_reference": "X"},
            SimpleNamespace(
                date=D(2026, 4, 30),
                kind=SimpleNamespace(value="day_off"),
                name="Ngày Chiến thắng",
                legal_reference="",
                is_active=False,
            ),
            CalendarOverride(D(2026, 8, 22), "working_day", "Làm bù", enabled=False),
        ],
    )
    assert not cal.is_working_day(D(2026, 3, 10))
    assert cal.why_not_working(D(2026, 3, 10)) == "Lễ hội địa phương — Quyết định 1/QĐ-UBND"
    assert cal.is_working_day(D(2026, 3, 15))
    assert cal.is_working_day(D(2026, 4, 30))  # a revoked entry follows the weekly rule
    assert not cal.is_working_day(D(2026, 8, 22))  # revoked: an ordinary Saturday again
    with pytest.raises(ValueError):
        CalendarOverride(D(2026, 1, 1), "holiday", "x")


def test_calendar_grows_on_demand():
    cal = WorkingCalendar((2026, 2026))
    assert (cal.first_year, cal.last_year) == (2026, 2026)
    assert cal.add_working_days(D(2026, 12, 30), 260) > D(2027, 12, 1)
    assert cal.last_year >= 2027
    assert not cal.is_working_day(D(2019, 9, 2))
    assert cal.first_year <= 2019
    assert cal.add_working_days(D(2026, 1, 5), -600) < D(2024, 1, 1)


def test_add_working_days_on_dates():
    assert CAL.add_working_days(D(2026, 3, 2), 5) == D(2026, 3, 9)
    assert CAL.add_working_days(D(2026, 3, 7), 1) == D(2026, 3, 9)  # from a Saturday
    assert CAL.add_working_days(D(2026, 3, 7), 0) == D(2026, 3, 7)
    assert CAL.add_working_days(D(2026, 3, 9), -1) == D(2026, 3, 6)
    assert CAL.add_working_days(D(2026, 3, 8), -1) == D(2026, 3, 6)
    assert CAL.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert CAL.add_working_days(D(2026, 1, 9), 1) == D(2026, 1, 10)  # the worked Saturday
    assert CAL.next_working_day(D(2025, 12, 31)) == D(2026, 1, 5)
    assert CAL.previous_working_day(D(2026, 2, 23)) == D(2026, 2, 13)
    assert CAL.next_working_day(D(2026, 2, 23), inclusive=True) == D(2026, 2, 23)
    assert CAL.count_working_days(D(2026, 2, 1), D(2026, 3, 1)) == 15
    assert len(CAL.days_off(D(2026, 2, 14), D(2026, 2, 22))) == 9


# --- effective start: lunch break and cut-off ------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "start", "due_1_day"),
    [
        ("2026-03-02 06:00", "2026-03-02 07:30", "2026-03-02 17:00"),  # before opening
        ("2026-03-02 07:30", "2026-03-02 07:30", "2026-03-02 17:00"),
        ("2026-03-02 07:31", "2026-03-02 07:31", "2026-03-03 07:31"),
        ("2026-03-02 11:29", "2026-03-02 11:29", "2026-03-03 11:29"),
        ("2026-03-02 11:30", "2026-03-02 13:00", "2026-03-03 13:00"),  # lunch break
        ("2026-03-02 12:59", "2026-03-02 13:00", "2026-03-03 13:00"),
        ("2026-03-02 13:00", "2026-03-02 13:00", "2026-03-03 13:00"),
        ("2026-03-02 14:59", "2026-03-02 14:59", "2026-03-03 14:59"),
        ("2026-03-02 15:00", "2026-03-03 07:30", "2026-03-03 17:00"),  # the cut-off
        ("2026-03-02 16:59", "2026-03-03 07:30", "2026-03-03 17:00"),
        ("2026-03-02 17:00", "2026-03-03 07:30", "2026-03-03 17:00"),
        ("2026-03-02 23:59", "2026-03-03 07:30", "2026-03-03 17:00"),
        ("2026-03-06 15:00", "2026-03-09 07:30", "2026-03-09 17:00"),  # Friday after the cut-off
        ("2026-03-07 10:00", "2026-03-09 07:30", "2026-03-09 17:00"),  # a Saturday
        ("2026-03-08 10:00", "2026-03-09 07:30", "2026-03-09 17:00"),  # a Sunday
        ("2026-01-10 10:00", "2026-01-10 10:00", "2026-01-12 10:00"),  # a worked Saturday
        ("2026-01-10 15:00", "2026-01-12 07:30", "2026-01-12 17:00"),
        ("2026-01-09 16:00", "2026-01-10 07:30", "2026-01-10 17:00"),  # → the worked Saturday
        ("2026-01-09 10:00", "2026-01-09 10:00", "2026-01-10 10:00"),
        ("2025-12-31 15:30", "2026-01-05 07:30", "2026-01-05 17:00"),  # New Year + swapped Friday
        ("2026-02-17 09:00", "2026-02-23 07:30", "2026-02-23 17:00"),  # received during Tết
        ("2026-08-21 16:00", "2026-08-22 07:30", "2026-08-22 17:00"),
    ],
)
def test_effective_start_and_one_day(received, start, due_1_day):
    result = POLICY.due_date(t(received), 1)
    assert result.effective_start == t(start)
    assert result.due == t(due_1_day)


def test_start_of_working_hours_is_shown_as_end_of_previous_working_day():
    # effective start Friday 13/2 07:30 (received Thursday after the cut-off); +1 day → Monday
    # 23/2 07:30 after Tết → shown Friday 13/2 17:00 (same moment of working time)
    assert due("2026-02-12 16:00", 1) == t("2026-02-13 17:00")
    assert due("2026-02-12 16:00", 2) == t("2026-02-23 17:00")
    assert due("2026-02-12 16:00", 0) == t("2026-02-13 07:30")
    # at 17:00 of a working day, adding days keeps 17:00
    assert POLICY.add_working_days(t("2026-02-13 17:00"), 1) == t("2026-02-23 17:00")


def test_cutoff_applies_to_every_unit():
    assert due("2026-03-02 15:10", 1, "working_hour") == t("2026-03-03 08:30")
    assert due("2026-03-02 15:10", 1, "calendar_day") == t("2026-03-04 17:00")


# --- working hours, calendar days, fractions ---------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "hours", "expected"),
    [
        ("2026-03-02 09:00", 2, "2026-03-02 11:00"),
        ("2026-03-02 09:00", Decimal("2.5"), "2026-03-02 11:30"),  # ends at the lunch break
        ("2026-03-02 09:00", 3, "2026-03-02 13:30"),  # runs across lunch
        ("2026-03-02 09:00", 8, "2026-03-03 09:00"),  # across a night
        ("2026-03-02 14:00", 3, "2026-03-02 17:00"),  # ends at the end of the day, not 07:30 next
        ("2026-03-02 14:00", Decimal("3.5"), "2026-03-03 08:00"),
        ("2026-03-02 12:00", 4, "2026-03-02 17:00"),  # received at lunch
        ("2026-03-02 16:00", 1, "2026-03-03 08:30"),  # after the cut-off
        ("2026-03-06 14:00", 4, "2026-03-09 08:30"),  # across a weekend
        ("2026-02-12 14:00", 8, "2026-02-13 14:00"),
        ("2026-02-12 14:00", 12, "2026-02-23 08:30"),  # across Tết
        ("2026-03-02 09:00", Decimal("0.25"), "2026-03-02 09:15"),
        ("2026-03-02 09:00", 0, "2026-03-02 09:00"),
    ],
)
def test_working_hour_durations(received, hours, expected):
    assert due(received, hours, "working_hour") == t(expected)


@pytest.mark.parametrize(
    ("received", "days", "expected"),
    [
        ("2026-03-02 09:00", 3, "2026-03-05 17:00"),
        ("2026-03-02 09:00", 5, "2026-03-09 17:00"),  # ends on a Saturday → next working day
        ("2026-03-02 09:00", 7, "2026-03-09 17:00"),
        ("2026-02-12 10:00", 3, "2026-02-23 17:00"),  # ends during Tết
        ("2026-02-12 10:00", 30, "2026-03-16 17:00"),
        ("2026-03-07 09:00", 1, "2026-03-10 17:00"),  # received on a Saturday: starts Monday
    ],
)
def test_calendar_day_durations(received, days, expected):
    assert due(received, days, "calendar_day") == t(expected)


def test_fractional_working_days():
    assert due("2026-03-02 09:00", Decimal("0.5")) == t("2026-03-02 14:30")
    assert due("2026-03-02 09:00", Decimal("1.5")) == t("2026-03-03 14:30")
    with pytest.raises(WorkingTimeError):
        POLICY.due_date(t("2026-03-02 09:00"), Decimal("1.5"), "calendar_day")


def test_configurable_hours_and_cutoff():
    policy = DuePolicy(CAL, WorkingHours.parse("08:00-12:00,13:30-17:30"), dt.time(16, 0))
    assert policy.due_date(t("2026-03-02 15:30"), 1).due == t("2026-03-03 15:30")
    assert policy.due_date(t("2026-03-02 16:00"), 1).due == t("2026-03-03 17:30")
    assert policy.due_date(t("2026-03-02 12:10"), 1).effective_start == t("2026-03-02 13:30")
    assert policy.due_date(t("2026-03-02 09:00"), 5, "working_hour").due == t("2026-03-02 15:30")
    no_cutoff = DuePolicy(CAL, cutoff=None)
    assert no_cutoff.due_date(t("2026-03-02 16:30"), 1).due == t("2026-03-03 16:30")
    with pytest.raises(WorkingTimeError):
        WorkingHours(((dt.time(13), dt.time(17)), (dt.time(7, 30), dt.time(11, 30))))


# --- pauses ----------------------------------------------------------------------------------------


def test_one_pause():
    result = POLICY.due_date(
        t("2026-03-02 09:00"), 5, pauses=[(t("2026-03-03 10:00"), t("2026-03-05 14:00"))]
    )
    assert result.paused == dt.timedelta(hours=18, minutes=30)
    assert result.base_due == t("2026-03-09 09:00")
    assert result.due == t("2026-03-11 11:30")


def test_several_pauses_and_overlaps():
    a = (t("2026-03-03 13:00"), t("2026-03-03 16:00"))  # 3 h of working time
    b = (t("2026-03-04 07:30"), t("2026-03-04 17:00"))  # 8 h
    result = POLICY.due_date(t("2026-03-02 09:00"), 5, pauses=[b, a])
    assert result.paused == 11 * H
    assert result.due == POLICY.add_working_time(t("2026-03-09 09:00"), 11 * H) == t("2026-03-10 13:30")
    overlapping = POLICY.due_date(
        t("2026-03-02 09:00"), 5, pauses=[a, (t("2026-03-03 14:00"), t("2026-03-03 17:00"))]
    )
    assert overlapping.paused == 4 * H  # 13:00–17:00, the overlap counted once


def test_pause_overlapping_a_holiday():
    # 29/4/2026 09:00 → 4/5 09:00: 6.5 h on 29/4, nothing on 30/4–3/5, 1.5 h on 4/5
    result = POLICY.due_date(
        t("2026-04-28 09:00"), 3, pauses=[(t("2026-04-29 09:00"), t("2026-05-04 09:00"))]
    )
    assert result.base_due == t("2026-05-05 09:00")
    assert result.paused == 8 * H
    assert result.due == t("2026-05-06 09:00")


def test_pauses_outside_the_running_clock():
    before = POLICY.due_date(
        t("2026-03-02 09:00"), 1, pauses=[(t("2026-02-27 08:00"), t("2026-03-02 09:00"))]
    )
    assert before.paused == dt.timedelta(0) and before.due == t("2026-03-03 09:00")
    after = POLICY.due_date(t("2026-03-02 09:00"), 1, pauses=[(t("2026-03-03 09:00"), t("2026-03-04 09:00"))])
    assert after.paused == dt.timedelta(0)  # already due when the pause began
    straddling = POLICY.due_date(
        t("2026-03-02 09:00"), 1, pauses=[(t("2026-03-03 08:00"), t("2026-03-04 08:00"))]
    )
    assert straddling.paused == 8 * H and straddling.due == t("2026-03-04 09:00")
    empty = POLICY.due_date(t("2026-03-02 09:00"), 1, pauses=[(t("2026-03-02 10:00"), t("2026-03-02 10:00"))])
    assert empty.due == t("2026-03-03 09:00")
    with pytest.raises(WorkingTimeError):
        POLICY.due_date(t("2026-03-02 09:00"), 1, pauses=[(t("2026-03-02 10:00"), t("2026-03-02 09:00"))])


def test_pause_and_resume_in_the_lifecycle():
    result = POLICY.due_date(t("2026-03-02 09:00"), 5)
    # while paused, the remaining time stays where the pause began
    assert result.remaining(t("2026-03-02 09:00")) == 40 * H
    assert result.remaining(t("2026-03-05 10:00"), paused_since=t("2026-03-03 10:00")) == 31 * H
    resumed = result.with_pause(t("2026-03-03 10:00"), t("2026-03-05 14:00"))
    assert resumed.due == t("2026-03-11 11:30")
    assert resumed.remaining(t("2026-03-05 14:00")) == 31 * H
    assert resumed == POLICY.due_date(
        t("2026-03-02 09:00"), 5, pauses=[(t("2026-03-03 10:00"), t("2026-03-05 14:00"))]
    )
    assert resumed.remaining(t("2026-03-12 09:00")) < dt.timedelta(0)
    assert resumed.is_overdue(t("2026-03-12 09:00"))
    assert not resumed.is_overdue(t("2026-03-11 11:30"))
    assert result.remaining(t("2026-02-28 09:00")) == 40 * H  # before the clock starts


def test_extension_replaces_the_due_date_once():
    result = POLICY.due_date(t("2026-03-02 09:00"), 5)
    assert result.apology_deadline == t("2026-03-06 09:00")
    extended = result.extend(t("2026-03-16 17:00"))
    assert extended.due == t("2026-03-16 17:00")
    assert extended.extended_from == t("2026-03-09 09:00")
    assert "Gia hạn" in extended.explain()
    with pytest.raises(ExtensionError):
        extended.extend(t("2026-03-20 17:00"))
    with pytest.raises(ExtensionError):
        result.extend(t("2026-03-09 09:00"))  # not later
    # a pause after the extension adds its working time to the new due date
    later = result.extend(t("2026-03-16 17:00"), at=t("2026-03-06 09:00")).with_pause(
        t("2026-03-10 07:30"), t("2026-03-10 17:00")
    )
    assert later.due == t("2026-03-17 17:00")
    # a pause recorded before the extension is assumed to be in the new date already
    before = result.with_pause(t("2026-03-03 07:30"), t("2026-03-03 17:00")).extend(t("2026-03-16 17:00"))
    assert before.due == t("2026-03-16 17:00") and before.extended_from == t("2026-03-10 09:00")


# --- explanation, JSON, time zones, validation -------------------------------------------------------


def test_explain_lists_skipped_days_with_reasons():
    result = POLICY.due_date(
        t("2026-04-24 10:00"), 5, pauses=[(t("2026-04-28 08:00"), t("2026-04-28 10:00"))]
    )
    text = result.explain()
    assert "Tiếp nhận: 10:00 thứ Sáu 24/04/2026" in text
    assert "thứ Hai 27/04/2026: Nghỉ bù Giỗ Tổ Hùng Vương" in text
    assert "thứ Năm 30/04/2026: Ngày Chiến thắng (30/4)" in text
    assert "thứ Sáu 01/05/2026: Ngày Quốc tế Lao động (1/5)" in text
    assert "Tạm dừng: từ 08:00 thứ Ba 28/04/2026" in text
    assert "Hạn giải quyết:" in text
    assert [d for d, _ in result.skipped] == [D(2026, 4, 27), D(2026, 4, 30), D(2026, 5, 1)]
    worked = POLICY.due_date(t("2026-01-09 09:00"), 2).explain()
    assert "Ngày làm bù" in worked and "thứ Bảy 10/01/2026" in worked


def test_time_zones():
    utc = dt.datetime(2026, 2, 13, 9, 5, tzinfo=dt.UTC)  # 16:05 in Hà Nội
    result = POLICY.due_date(utc, 5)
    assert result.received.isoformat() == "2026-02-13T16:05:00+07:00"
    assert result.due.isoformat() == "2026-02-27T17:00:00+07:00"
    assert POLICY.due_date(dt.datetime(2026, 2, 13, 16, 5), 5).due == result.due
    assert result.received.utcoffset() == dt.timedelta(hours=7)


@pytest.mark.parametrize(
    ("duration", "unit"),
    [(-1, "working_day"), ("abc", "working_day"), ("NaN", "working_day"), (5, "week"), (True, "working_day")],
)
def test_bad_input(duration, unit):
    with pytest.raises(WorkingTimeError):
        POLICY.due_date(t("2026-03-02 09:00"), duration, unit)


# --- bulk ------------------------------------------------------------------------------------------


def test_bulk_matches_single_calls_including_outside_the_range():
    received = [
        t("2026-02-13 16:05"),
        t("2026-03-02 09:00"),
        t("2026-03-02 12:00"),
        t("2026-03-02 06:00"),
        t("2026-01-10 10:00"),
        dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 2, 9, 0, 30, 500),
        t("2030-12-30 10:00"),
        t("2019-04-30 10:00"),
    ]
    durations = [5, 5, 3, 1, 1, 2, 0, 30, 4]
    policy = DuePolicy(default_calendar(years=(2026, 2026)))
    assert policy.bulk_due(received, durations) == [
        policy.due_date(r, n).due for r, n in zip(received, durations, strict=True)
    ]


# --- properties ------------------------------------------------------------------------------------

moments = st.datetimes(min_value=dt.datetime(2024, 10, 1), max_value=dt.datetime(2027, 3, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)
)
units = st.sampled_from(list(Unit))
PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def in_working_time(moment: dt.datetime) -> bool:
    s = moment.hour * 3600 + moment.minute * 60 + moment.second
    return CAL.is_working_day(moment.date()) and any(a <= s <= b for a, b in POLICY.hours.seconds)


@PROPS
@given(moments, st.integers(0, 60), units)
def test_due_dates_fall_in_working_time(received, n, unit):
    result = POLICY.due_date(received, n, unit)
    assert in_working_time(result.due)
    assert in_working_time(result.effective_start)
    assert result.effective_start >= result.received
    assert result.due >= result.effective_start
    if n and unit is not Unit.CALENDAR_DAY:
        assert result.due.time() != dt.time(7, 30)  # rule 3


@PROPS
@given(moments, st.integers(0, 40), st.integers(0, 40), units)
def test_monotonic_in_the_duration(received, n, m, unit):
    n, m = sorted((n, m))
    assert POLICY.due_date(received, n, unit).due <= POLICY.due_date(received, m, unit).due


@PROPS
@given(moments, moments, st.integers(0, 40), units)
def test_monotonic_in_the_receipt_time(a, b, n, unit):
    a, b = sorted((a, b))
    assert POLICY.due_date(a, n, unit).due <= POLICY.due_date(b, n, unit).due


@PROPS
@given(moments, st.integers(0, 30), st.integers(0, 30))
def test_n_then_m_working_days_is_n_plus_m(received, n, m):
    start = POLICY.effective_start(received)
    step = POLICY.add_working_days(POLICY.add_working_days(start, n), m)
    assert step == POLICY.add_working_days(start, n + m) == POLICY.due_date(received, n + m).due
    assert POLICY.working_time_between(start, step) == (n + m) * 8 * H


@PROPS
@given(moments, st.integers(1, 30), st.integers(0, 20 * 8 * 60), st.integers(0, 20 * 8 * 60), units)
def test_a_pause_adds_exactly_its_working_time(received, n, offset, length, unit):
    plain = POLICY.due_date(received, n, unit)
    start = POLICY.add_working_time(plain.effective_start, dt.timedelta(minutes=offset))
    assume(start < plain.due and POLICY.working_time_between(start, plain.due) > dt.timedelta(0))
    end = POLICY.add_working_time(start, dt.timedelta(minutes=length)) + dt.timedelta(minutes=length % 7)
    paused = POLICY.due_date(received, n, unit, [(start, end)])
    assert POLICY.working_time_between(plain.due, paused.due) == POLICY.working_time_between(start, end)
    assert paused.paused == POLICY.working_time_between(start, end)
    assert paused == plain.with_pause(start, end)


@PROPS
@given(
    st.lists(
        st.tuples(moments, st.integers(0, 30)),
        min_size=1,
        max_size=30,
    )
)
def test_bulk_equals_single(pairs):
    received = [r.replace(tzinfo=TZ) if i % 2 else r for i, (r, _) in enumerate(pairs)]
    durations = [n for _, n in pairs]
    assert POLICY.bulk_due(received, durations) == [
        POLICY.due_date(r, n).due for r, n in zip(received, durations, strict=True)
    ]
