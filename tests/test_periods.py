"""The one period vocabulary (cchc.core.periods): calendar periods and CCHC reporting windows."""

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.core.periods import (
    CalendarPeriod,
    PeriodError,
    ReportingWindow,
    keys_containing,
    parse_calendar_period,
    parse_calendar_periods,
    parse_period,
    parse_reporting_window,
    report_due_dates,
    reporting_window,
    reporting_windows,
    year_keys,
)

# --- reporting windows ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "key", "label"),
    [
        (date(2025, 12, 14), "BC-2025-Q4", "Quý IV/2025"),
        (date(2025, 12, 15), "BC-2026-Q1", "Quý I/2026"),
        (date(2025, 12, 31), "BC-2026-Q1", "Quý I/2026"),
        (date(2026, 1, 1), "BC-2026-Q1", "Quý I/2026"),
        (date(2026, 3, 14), "BC-2026-Q1", "Quý I/2026"),
        (date(2026, 3, 15), "BC-2026-Q2", "Quý II/2026"),
        (date(2026, 6, 14), "BC-2026-Q2", "Quý II/2026"),
        (date(2026, 6, 15), "BC-2026-Q3", "Quý III/2026"),
        (date(2026, 9, 14), "BC-2026-Q3", "Quý III/2026"),
        (date(2026, 9, 15), "BC-2026-Q4", "Quý IV/2026"),
        (date(2026, 12, 14), "BC-2026-Q4", "Quý IV/2026"),
        (date(2024, 2, 29), "BC-2024-Q1", "Quý I/2024"),
    ],
)
def test_reporting_window_boundaries(day, key, label):
    window = reporting_window(day)
    assert isinstance(window, ReportingWindow)
    assert (window.key, window.label) == (key, label)
    assert day in window


def test_reporting_window_accepts_datetime():
    assert reporting_window(datetime(2025, 12, 15, 8, 30)).key == "BC-2026-Q1"


def test_reporting_windows_are_contiguous_and_cover_the_cchc_year():
    windows = reporting_windows(2026)
    assert [w.key for w in windows] == ["BC-2026-Q1", "BC-2026-Q2", "BC-2026-Q3", "BC-2026-Q4"]
    assert windows[0].start == date(2025, 12, 15)
    assert windows[-1].end == date(2026, 12, 14)
    for before, after in zip(windows, windows[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
    assert [(w.start, w.end) for w in windows[1:]] == [
        (date(2026, 3, 15), date(2026, 6, 14)),
        (date(2026, 6, 15), date(2026, 9, 14)),
        (date(2026, 9, 15), date(2026, 12, 14)),
    ]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 1)))
def test_every_day_lies_in_exactly_one_window(day):
    window = reporting_window(day)
    assert day in window
    year = window.year
    assert sum(day in w for y in (year - 1, year, year + 1) for w in reporting_windows(y)) == 1


def test_report_due_dates():
    assert report_due_dates(2026) == {
        "Q1": date(2026, 3, 20),
        "H1": date(2026, 6, 20),
        "Q3": date(2026, 9, 20),
        "Y": date(2026, 12, 20),
    }


@pytest.mark.parametrize(
    ("key", "label", "start", "end", "opens", "due"),
    [
        (
            "BC-2026-Q1",
            "Quý I/2026",
            date(2025, 12, 15),
            date(2026, 3, 14),
            date(2025, 12, 15),
            date(2026, 3, 20),
        ),
        (
            "BC-2026-Q2",
            "Quý II/2026",
            date(2026, 3, 15),
            date(2026, 6, 14),
            date(2026, 3, 15),
            date(2026, 6, 20),
        ),
        (
            "BC-2026-Q4",
            "Quý IV/2026",
            date(2026, 9, 15),
            date(2026, 12, 14),
            date(2026, 9, 15),
            date(2026, 12, 20),
        ),
        (
            "BC-2026-H1",
            "6 tháng đầu năm 2026",
            date(2025, 12, 15),
            date(2026, 6, 14),
            date(2026, 3, 15),
            date(2026, 6, 20),
        ),
        (
            "BC-2026-9M",
            "9 tháng năm 2026",
            date(2025, 12, 15),
            date(2026, 9, 14),
            date(2026, 6, 15),
            date(2026, 9, 20),
        ),
        (
            "BC-2026-Y",
            "Năm 2026",
            date(2025, 12, 15),
            date(2026, 12, 14),
            date(2026, 9, 15),
            date(2026, 12, 20),
        ),
    ],
)
def test_reporting_windows_by_key(key, label, start, end, opens, due):
    window = parse_reporting_window(key)
    assert isinstance(window, ReportingWindow)
    assert (window.key, window.label, window.start, window.end) == (key, label, start, end)
    assert (window.opens_on, window.due_on, window.year) == (opens, due, 2026)
    assert window.part == key.rsplit("-", 1)[1]
    assert (window.a, window.b) == (
        datetime.combine(start, datetime.min.time()),
        datetime.combine(end + timedelta(days=1), datetime.min.time()),
    )


def test_reporting_window_long_label_says_it_is_a_window():
    assert parse_reporting_window("BC-2026-Q1").long_label == "Kỳ báo cáo quý I/2026"
    assert parse_reporting_window("BC-2026-Y").long_label == "Kỳ báo cáo năm 2026"
    assert parse_calendar_period("2026-Q1").long_label == "Quý I/2026"


@pytest.mark.parametrize("key", ["2026-Q1", "2026-H1", "2026-9M", "2026-Y", "2026", "2026-03"])
def test_reporting_window_rejects_calendar_spelling(key):
    with pytest.raises(PeriodError, match="kỳ theo lịch.*calendar period, not a CCHC reporting window"):
        parse_reporting_window(key)


@pytest.mark.parametrize(
    "key",
    [
        "BC-2026",
        "BC-2026-H2",
        "BC-2026-03",
        "BC-2026-Q5",
        "bc-2026-Q1",
        "BC-2026-y",
        " BC-2026-Q1",
        "BC-",
        "",
        "BC-1900-Q1",
    ],
)
def test_reporting_window_bad_keys(key):
    with pytest.raises(PeriodError, match="kỳ báo cáo không hợp lệ|năm phải trong khoảng"):
        parse_reporting_window(key)


def test_reporting_window_year_key_says_how_to_write_it():
    with pytest.raises(PeriodError, match="viết BC-2026-Y"):
        parse_reporting_window("BC-2026")


# --- calendar periods -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "label", "start", "end", "b"),
    [
        ("2026", "Năm 2026", date(2026, 1, 1), date(2026, 12, 31), datetime(2027, 1, 1)),
        ("2026-Q1", "Quý I/2026", date(2026, 1, 1), date(2026, 3, 31), datetime(2026, 4, 1)),
        ("2026-Q2", "Quý II/2026", date(2026, 4, 1), date(2026, 6, 30), datetime(2026, 7, 1)),
        ("2026-Q4", "Quý IV/2026", date(2026, 10, 1), date(2026, 12, 31), datetime(2027, 1, 1)),
        ("2026-H1", "6 tháng đầu năm 2026", date(2026, 1, 1), date(2026, 6, 30), datetime(2026, 7, 1)),
        ("2026-H2", "6 tháng cuối năm 2026", date(2026, 7, 1), date(2026, 12, 31), datetime(2027, 1, 1)),
        ("2026-9M", "9 tháng năm 2026", date(2026, 1, 1), date(2026, 9, 30), datetime(2026, 10, 1)),
        ("2026-03", "Tháng 3/2026", date(2026, 3, 1), date(2026, 3, 31), datetime(2026, 4, 1)),
        ("2024-02", "Tháng 2/2024", date(2024, 2, 1), date(2024, 2, 29), datetime(2024, 3, 1)),
        ("2026-12", "Tháng 12/2026", date(2026, 12, 1), date(2026, 12, 31), datetime(2027, 1, 1)),
    ],
)
def test_calendar_period_keys(key, label, start, end, b):
    period = parse_calendar_period(key)
    assert isinstance(period, CalendarPeriod)
    assert (period.key, period.label, period.start, period.end) == (key, label, start, end)
    assert (period.a, period.b) == (datetime.combine(start, datetime.min.time()), b)
    assert period.b_us - period.a_us == (b - period.a) // timedelta(microseconds=1)


@pytest.mark.parametrize(
    "key",
    [
        "",
        "26",
        "2026-",
        "2026-Y",
        "2026-q1",
        " 2026",
        "2026-Q0",
        "2026-Q5",
        "2026-H3",
        "2026-13",
        "2026-00",
        "2026-1",
        "2026-6M",
        "2026/Q1",
        "Q1-2026",
        "0000",
        "1900",
        "2101",
        "abc",
        "2026-Q1-extra",
    ],
)
def test_calendar_period_bad_keys(key):
    with pytest.raises(PeriodError, match="kỳ không hợp lệ"):
        parse_calendar_period(key)


@pytest.mark.parametrize("key", ["BC-2026-Q1", "BC-2026-H1", "BC-2026-9M", "BC-2026-Y"])
def test_calendar_period_rejects_reporting_spelling(key):
    with pytest.raises(PeriodError, match="kỳ báo cáo CCHC.*reporting window, not a calendar period"):
        parse_calendar_period(key)


def test_calendar_period_rejects_non_strings():
    with pytest.raises(PeriodError):
        parse_calendar_period(None)  # type: ignore[arg-type]
    with pytest.raises(PeriodError):
        parse_reporting_window(None)  # type: ignore[arg-type]


def test_repeated_calendar_periods_are_parsed_once():
    assert [p.key for p in parse_calendar_periods(["2026", "2026-Q1", "2026"])] == ["2026", "2026-Q1"]


# --- both -------------------------------------------------------------------------------------


def test_parse_period_tells_the_kinds_apart_by_spelling():
    calendar, window = parse_period("2026-Q1"), parse_period("BC-2026-Q1")
    assert isinstance(calendar, CalendarPeriod) and isinstance(window, ReportingWindow)
    assert calendar != window and calendar.label == window.label  # same name, different days
    assert (calendar.start, window.start) == (date(2026, 1, 1), date(2025, 12, 15))
    with pytest.raises(PeriodError):
        parse_period("BC-2026")


def test_containment_of_dates_and_datetimes():
    period = parse_calendar_period("2026-Q1")
    assert date(2026, 1, 1) in period and date(2026, 3, 31) in period
    assert date(2025, 12, 31) not in period and date(2026, 4, 1) not in period
    assert datetime(2026, 2, 1, 12) in period
    assert datetime(2026, 3, 31, 23, 59, 59, 999999) in period and datetime(2026, 4, 1) not in period
    assert "2026-02-01" not in period
    # an aware moment is compared in local time (UTC+07:00): 31/3 17:30 UTC is 1/4 00:30 local
    assert datetime(2026, 3, 31, 16, 59, tzinfo=UTC) in period
    assert datetime(2026, 3, 31, 17, 30, tzinfo=UTC) not in period
    window = parse_reporting_window("BC-2026-Q1")
    assert date(2025, 12, 15) in window and date(2025, 12, 14) not in window
    assert datetime(2026, 3, 14, 23, 0) in window and datetime(2026, 3, 15) not in window


def test_periods_are_frozen_and_ordered():
    period = parse_calendar_period("2026-Q1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        period.key = "x"  # type: ignore[misc]
    with pytest.raises(ValueError, match="after end"):
        CalendarPeriod("x", "x", date(2026, 2, 1), date(2026, 1, 1))


def test_keys_containing_a_day():
    assert keys_containing(date(2025, 12, 20)) == (
        "2025-12",
        "2025-Q4",
        "2025-H2",
        "2025",
        "BC-2026-Q1",
        "BC-2026-H1",
        "BC-2026-9M",
        "BC-2026-Y",
    )
    assert len(year_keys(2026)) == len(set(year_keys(2026))) == 27


@given(st.dates(min_value=date(1977, 1, 1), max_value=date(2099, 12, 31)))
def test_keys_containing_agrees_with_containment(day):
    found = keys_containing(day)
    for key in year_keys(day.year) + year_keys(day.year + 1):
        assert (day in parse_period(key)) == (key in found), key
