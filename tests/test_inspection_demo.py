"""The demo's inspections (cchc/inspections/demo.py) on the test province: a plan, four
inspections concluded and one ahead, findings remedied on time, late, overdue and not yet due;
the figures show it."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.core.indicator_sources import readings
from cchc.inspections.demo import load_demo
from cchc.inspections.models import Finding, Inspection
from cchc.inspections.selectors import overdue_q


@pytest.mark.parametrize("today", [dt.date(2026, 12, 7), dt.date(2026, 2, 10), dt.date(2026, 6, 30)])
def test_the_demo_inspections(tree, users, today):
    people = {
        "canbo.tuphap": users.officer,
        "canbo.dongxoai": users.commune_officer,
        "canbo.khcn": None,
    }
    plan = load_demo(tree.province, users.coordinator, people, today=today)
    year = plan.year
    assert year == (2025 if today.month < 5 else 2026)
    states = sorted(plan.inspections.values_list("state", flat=True))
    assert states == ["concluded"] * 4 + ["planned"]
    assert Finding.objects.filter(overdue_q(today)).exists()  # Phường Đồng Xoài, nothing reported
    closed = Finding.objects.filter(state=Finding.State.CLOSED)
    if today == dt.date(2026, 12, 7):
        assert sorted(f.on_time for f in closed) == [False, True]  # STP: one on time, one late
    ahead = plan.inspections.get(state=Inspection.State.PLANNED)
    assert ahead.start_date.year == year
    key = str(year)
    got = readings("kiem_tra:so_cuoc", tree.province, [key])[key]
    assert got.value == 4
    online = readings("kiem_tra:truc_tuyen", tree.province, [key])[key]
    assert (online.numerator, online.denominator) == (2, 4)
