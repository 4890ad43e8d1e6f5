"""CCHC reporting windows and calendar periods (cchc.core.periods)."""

import dataclasses
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.core.periods import (
    Period,
    calendar_period,
    calendar_quarter,
    report_due_dates,
    reporting_period,
    reporting_window,
    reporting_windows,
)


@pytest.mark.parametrize(
    ("day", "key", "label"),
    [
        (date(2025, 12, 14), "2025-Q4", "Quý IV/2025"),
        (date(2025, 12, 15), "2026-Q1", "Quý I/2026"),
        (date(2025, 12, 31), "2026-Q1", "Quý I/2026"),
        (date(2026, 1, 1), "2026-Q1", "Quý I/2026"),
        (date(2026, 3, 14), "2026-Q1", "Quý I/2026"),
        (date(2026, 3, 15), "2026-Q2", "Quý II/2026"),
        (date(2026, 6, 14), "2026-Q2", "Quý II/2026"),
        (date(2026, 6, 15), "2026-Q3", "Quý III/2026"),
        (date(2026, 9, 14), "2026-Q3", "Quý III/2026"),
        (date(2026, 9, 15), "2026-Q4", "Quý IV/2026"),
        (date(2026, 12, 14), "2026-Q4", "Quý IV/2026"),
        (date(2024, 2, 29), "2024-Q1", "Quý I/2024"),
    ],
)
def test_reporting_window_boundaries(day, key, label):
    window = reporting_window(day)
    assert (window.key, window.label) == (key, label)
    assert day in window


def test_reporting_window_accepts_datetime():
    assert reporting_window(datetime(2025, 12, 15, 8, 30)).key == "2026-Q1"


def test_reporting_windows_are_contiguous_and_cover_the_cchc_year():
    windows = reporting_windows(2026)
    assert [w.key for w in windows] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
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
    year = int(window.key[:4])
    assert sum(day in w for y in (year - 1, year, year + 1) for w in reporting_windows(y)) == 1


def test_report_due_dates():
    assert report_due_dates(2026) == {
        "Q1": date(2026, 3, 20),
        "H1": date(2026, 6, 20),
        "Q3": date(2026, 9, 20),
        "Y": date(2026, 12, 20),
    }


@pytest.mark.parametrize(
    ("key", "label", "start", "end"),
    [
        ("2026-Q1", "Quý I/2026", date(2025, 12, 15), date(2026, 3, 14)),
        ("2026-H1", "6 tháng đầu năm 2026", date(2025, 12, 15), date(2026, 6, 14)),
        ("2026-9M", "9 tháng năm 2026", date(2025, 12, 15), date(2026, 9, 14)),
        ("2026-Y", "Năm 2026", date(2025, 12, 15), date(2026, 12, 14)),
    ],
)
def test_cumulative_reporting_periods(key, label, start, end):
    period = reporting_period(key)
    assert (period.key, period.label, period.start, period.end) == (key, label, start, end)


@pytest.mark.parametrize("key", ["2026-H2", "2026-03", "Q1-2026"])
def test_reporting_period_rejects_non_cchc_keys(key):
    with pytest.raises(ValueError, match="period key"):
        reporting_period(key)


@pytest.mark.parametrize(
    ("key", "norm_key", "label", "start", "end"),
    [
        ("2026", "2026-Y", "Năm 2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-Y", "2026-Y", "Năm 2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-Q1", "2026-Q1", "Quý I/2026", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q2", "2026-Q2", "Quý II/2026", date(2026, 4, 1), date(2026, 6, 30)),
        (" 2026-q4 ", "2026-Q4", "Quý IV/2026", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-H1", "2026-H1", "6 tháng đầu năm 2026", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026-H2", "2026-H2", "6 tháng cuối năm 2026", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026-9M", "2026-9M", "9 tháng năm 2026", date(2026, 1, 1), date(2026, 9, 30)),
        ("2026-03", "2026-03", "Tháng 3/2026", date(2026, 3, 1), date(2026, 3, 31)),
        ("2024-02", "2024-02", "Tháng 2/2024", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-12", "2026-12", "Tháng 12/2026", date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_calendar_period_keys(key, norm_key, label, start, end):
    period = calendar_period(key)
    assert (period.key, period.label, period.start, period.end) == (norm_key, label, start, end)


@pytest.mark.parametrize(
    "key",
    [
        "",
        "26",
        "2026-",
        "2026-Q0",
        "2026-Q5",
        "2026-H3",
        "2026-13",
        "2026-00",
        "2026-1",
        "2026/Q1",
        "Q1-2026",
        "0000",
        "abc",
        "2026-Q1-extra",
    ],
)
def test_calendar_period_bad_keys(key):
    with pytest.raises(ValueError, match=r"invalid period key"):
        calendar_period(key)


def test_calendar_period_rejects_non_strings():
    with pytest.raises(ValueError, match="invalid period key"):
        calendar_period(None)  # type: ignore[arg-type]


def test_calendar_quarter_validates_quarter():
    assert calendar_quarter(2023, 3).end == date(2023, 9, 30)
    with pytest.raises(ValueError, match="quarter must be 1..4"):
        calendar_quarter(2023, 5)


def test_period_contains_and_is_frozen():
    period = calendar_period("2026-Q1")
    assert date(2026, 1, 1) in period and date(2026, 3, 31) in period
    assert date(2025, 12, 31) not in period and date(2026, 4, 1) not in period
    assert datetime(2026, 2, 1, 12) in period
    assert "2026-02-01" not in period
    with pytest.raises(dataclasses.FrozenInstanceError):
        period.key = "x"  # type: ignore[misc]


def test_period_rejects_reversed_range():
    with pytest.raises(ValueError, match="after end"):
        Period("x", "x", date(2026, 2, 1), date(2026, 1, 1))
