"""The apology warnings counted by the database: `apology.warning_window` turns the rule (deadline
one working day before the due time, still ahead, at most N working hours away) into one range of
due times. Checked here against the rule itself, due time by due time, around weekends, lunch
breaks, Tết and an unusual schedule, and at the range's ends to the microsecond."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.core.workingtime import DuePolicy, WorkingHours, default_calendar
from cchc.dossiers.apology import warning_window
from cchc.dossiers.deadlines import apology_deadline

from .test_dossiers_support import local

CALENDAR = default_calendar()
POLICIES = {
    "default": DuePolicy(CALENDAR),
    "ca sáng, ca chiều khác": DuePolicy(CALENDAR, WorkingHours.parse("08:00-12:00,13:30-16:30")),
}
NOWS = [
    local(2026, 3, 5, 10),  # Thursday morning
    local(2026, 3, 6, 16, 45),  # Friday, near the end of the day
    local(2026, 3, 7, 9),  # Saturday
    local(2026, 3, 9, 12, 15),  # Monday lunch break
    local(2026, 2, 12, 15),  # the days before Tết 2026
    local(2026, 4, 29, 11, 30, 0),  # before 30/4 – 1/5
]
MICRO = dt.timedelta(microseconds=1)


def rule(policy, now, due, within) -> bool:
    """The rule as `dossier_apology_warnings` stated it, one dossier at a time."""
    deadline = apology_deadline(policy, due)
    return deadline >= now and policy.working_time_between(now, deadline) <= within


@pytest.mark.parametrize("name", POLICIES)
@pytest.mark.parametrize("now", NOWS, ids=lambda n: n.strftime("%Y%m%d-%H%M"))
@pytest.mark.parametrize("hours", [8, 16])
def test_the_window_holds_exactly_the_due_times_the_rule_warns_about(name, now, hours):
    policy = POLICIES[name]
    within = dt.timedelta(hours=hours)
    horizon = now + dt.timedelta(days=14 + hours // 8 * 3)
    window = warning_window(policy, now, within, horizon)
    assert window is not None
    lo, hi = window
    # the ends, to the microsecond
    assert rule(policy, now, lo, within) and rule(policy, now, hi, within)
    assert lo - MICRO <= now or not rule(policy, now, lo - MICRO, within)
    assert not rule(policy, now, hi + MICRO, within)
    # every seven minutes (and a few seconds, to fall off the round times) across the horizon
    due = now + dt.timedelta(seconds=1)
    while due <= horizon:
        assert rule(policy, now, due, within) == (lo <= due <= hi), due
        due += dt.timedelta(minutes=7, seconds=3)


def test_no_window_when_the_horizon_is_too_near():
    now = local(2026, 3, 5, 10)
    assert (
        warning_window(POLICIES["default"], now, dt.timedelta(hours=8), now + dt.timedelta(hours=2)) is None
    )


def test_the_database_warns_about_the_dossiers_the_rule_names_under_each_schedule(tree, users):
    """The province keeps its own hours, one of its agencies others again (nested schedules), a
    third unit the default: due times every 37 minutes across two weeks, spread over the three;
    the warnings the database selects are those the rule names dossier by dossier."""
    from cchc.core.actors import SYSTEM
    from cchc.core.models import WorkSchedule
    from cchc.core.working_calendar import policy_for_unit
    from cchc.dossiers.models import Dossier
    from cchc.dossiers.selectors import dossier_apology_warnings

    from .test_dossiers_support import make_world

    w = make_world(tree, users)
    WorkSchedule.objects.create(unit=tree.province, hours="07:00-11:00,13:00-17:00", cutoff=None)
    WorkSchedule.objects.create(unit=w.agency, hours="08:00-12:00,13:30-16:30")
    units = [w.agency, tree.agency("SCT"), tree.communes[0]]
    template = w.receive(at=local(2026, 3, 2, 9))
    now = local(2026, 3, 5, 10, 20)
    rows = []
    for i in range(14 * 24 * 60 // 37):
        d = Dossier.objects.get(pk=template.pk)
        d.pk, d.code = None, f"{template.code}-{i}"
        d.handling_unit = units[i % 3]
        d.current_due_at = now + dt.timedelta(minutes=37 * i, seconds=11)
        rows.append(d)
    Dossier.objects.bulk_create(rows)
    within = dt.timedelta(hours=8)
    expected = {
        d.code
        for d in Dossier.objects.select_related("handling_unit").filter(code__startswith=template.code)
        if d.current_due_at > now and rule(policy_for_unit(d.handling_unit), now, d.current_due_at, within)
    }
    got = {x.dossier.code for x in dossier_apology_warnings(user=SYSTEM, now=now)}
    assert len(expected) > 10 and got == expected
    assert {x.dossier.handling_unit for x in dossier_apology_warnings(user=SYSTEM, now=now)} == set(units)
