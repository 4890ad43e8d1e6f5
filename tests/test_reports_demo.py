"""Issue 12's standard: "numbers in the report equal the dashboards for the same unit and window
(a test compares them on the demo)". The demo province is loaded once for the module (a few
thousand dossiers, its manual indicators, the 766 index, a plan with a year's progress); for a
province agency, a commune and the province, for a quarter and the year, every row of the drafted
report's annex is compared with what the page that shows that figure gives for the same unit and
period — through the page's own selector:

* dossier indicators — the indicators dashboard (`cchc.indicators.dashboard.unit_dashboard`), for
  the report's window key (the dashboard offers the CCHC windows too); `tre_han` is not on the
  dashboard as a line: it is read from the same totals (`live.unit_totals`), S_tre_han / S;
* manual indicators — the indicator's overview page (`manual_indicators.selectors.overview`);
* the 766 index — the unit's 766 page (`index766.selectors.unit_page`), for the calendar period;
* task figures (no page of their own) — counted here from the assignments, by their definition.

The figures must also be the ones the documents print (DOCX table and XLSX annex).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from django.db.models import F, Q
from openpyxl import load_workbook

from cchc.core.periods import parse_calendar_period
from cchc.demo.loader import load_demo
from cchc.index766.selectors import unit_page
from cchc.indicators import live
from cchc.indicators.dashboard import unit_dashboard
from cchc.manual_indicators.periods import periods_of_year
from cchc.manual_indicators.rollup import definition_for_unit
from cchc.manual_indicators.selectors import overview
from cchc.orgs.models import Unit, User
from cchc.reports import exports, figures, windows
from cchc.reports.builder import build
from cchc.reports.models import Report
from cchc.tracking.models import Assignment

TODAY = dt.date(2026, 11, 20)  # the demo is deterministic for a date: Q3 is over, Q4 is running
CASES = [("quy", 2026, 3), ("nam", 2026, 0)]
UNITS = ["P75.STP", "PROVINCE-COMMUNE", "P75"]  # an agency, a commune (found below), the province

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module inside a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo(today=TODAY, log=lambda *_: None, dossiers=2000)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _unit(code: str) -> Unit:
    if code == "PROVINCE-COMMUNE":  # the demo commune with the most dossiers
        return Unit.objects.get(name="Phường Đồng Xoài", parent__code="P75")
    return Unit.objects.get(code=code)


def _coordinator() -> User:
    return User.objects.get(username="dieuphoi")  # the province's coordinator reads every unit


def _d(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _check(got: dict, expected_value, numerator=None, denominator=None, *, where: str) -> None:
    assert _d(got["value"]) == _d(expected_value), (where, got, expected_value)
    if numerator is not None or denominator is not None:
        assert _d(got["numerator"]) == _d(numerator), (where, got, numerator)
        assert got["denominator"] == denominator, (where, got, denominator)


def _tasks(unit: Unit, key: str) -> dict[str, tuple]:
    """Task figures by their definition (cchc/tracking/source.py), counted independently."""
    p = parse_calendar_period(key)
    end = min(p.end, dt.date.today())
    rows = Assignment.objects.filter(
        unit__path__startswith=unit.path, task__final_due__gte=p.start, task__final_due__lte=end
    )
    due = rows.count()
    done = rows.filter(completed_on__isnull=False).count()
    on_time = rows.filter(Q(completed_on__lte=F("task__final_due"))).count()

    def rate(n):
        return (Decimal(100) * n / due).quantize(Decimal("0.01"), ROUND_HALF_UP) if due else None

    return {
        "nhiem_vu:hoan_thanh": (rate(done), done if due else None, due or None),
        "nhiem_vu:dung_han": (rate(on_time), on_time if due else None, due or None),
    }


@pytest.mark.parametrize("kind,year,number", CASES)
@pytest.mark.parametrize("code", UNITS)
def test_every_annex_figure_equals_its_page(demo, code, kind, year, number):
    unit = _unit(code)
    user = _coordinator()
    draft = build(unit, kind, year, number)
    window = windows.window(kind, year, number)
    rows = {r["code"]: r for r in draft.annex}
    assert set(rows) == set(figures.annex_codes(unit))
    # the dossier indicators: the dashboard for the report's own window
    dash = unit_dashboard(user=user, unit=unit, period_key=window.key, sort="", today=dt.date.today())
    lines = {line.indicator.code: line.value for line in dash.lines}
    dossier_rows = [c for c in rows if c in figures.DOSSIER_CODES]
    assert rows["tiep_nhan"]["period_key"] == window.key
    for c in dossier_rows:
        if c == "tre_han":
            totals = live.unit_totals(unit, window.key)
            late, s = totals["S_tre_han"], totals["S"]
            value = (Decimal(100) * late / s).quantize(Decimal("0.01"), ROUND_HALF_UP) if s else None
            _check(rows[c], value, late if s else None, s or None, where=f"{code} {window.key} {c}")
            continue
        v = lines[c]
        _check(rows[c], v.value, v.numerator, v.denominator, where=f"{code} {window.key} {c}")
    assert Decimal(rows["tiep_nhan"]["value"]) > 0, "the demo has dossiers in every case compared"
    # manual indicators: each indicator's overview page for the unit and the window
    manual = [c for c in rows if c.startswith("manual:")]
    assert manual, "the demo's manual indicators apply to every unit compared"
    for c in manual:
        definition = definition_for_unit(c.split(":", 1)[1], unit)
        periods = {p.key for p in periods_of_year(definition.periodicity, year)}
        if window.key not in periods:  # the indicator is not reported for this window: no figure
            assert rows[c]["value"] is None, (code, c, rows[c])
            continue
        ov = overview(user=user, definition=definition, root=unit, period_key=window.key, today=TODAY)
        _check(
            rows[c],
            ov.value.value,
            ov.value.numerator,
            ov.value.denominator,
            where=f"{code} {window.key} {c}",
        )
    # the 766 index: the unit's 766 page for the calendar period the report covers
    key766 = windows.calendar_key(kind, year, number)
    assert rows["766"]["period_key"] == key766
    page = unit_page(user=user, unit=unit, period_key=key766)
    assert page["snapshot"] is not None, f"the demo computes the 766 index of {code} for {key766}"
    _check(rows["766"], page["snapshot"].total, where=f"{code} {key766} 766")
    # task figures for the calendar period
    for c, (value, num, den) in _tasks(unit, key766).items():
        _check(rows[c], value, num, den, where=f"{code} {key766} {c}")
    # the documents print the same numbers
    report = Report(
        unit=unit,
        kind=kind,
        year=year,
        number=number,
        period_start=window.start,
        period_end=window.end,
        annex=draft.annex,
        facts=draft.facts,
    )
    book = load_workbook(io.BytesIO(exports.annex_xlsx(report)))
    sheet = {r[1]: r for r in book.active.iter_rows(min_row=5, values_only=True) if r[1]}
    printed = {
        r["code"]: line[3] for r, line in zip(draft.annex, exports.annex_table(report)[1], strict=True)
    }
    for c, row in rows.items():
        cell = sheet[c][5]
        assert (None if cell in (None, "") else Decimal(str(cell))) == _d(row["value"]), (code, c, cell, row)
        assert printed[c] == figures.shown(row), (code, c, printed[c])


def test_the_consolidated_column_equals_the_pages_of_the_units_that_reported(demo):
    """The province's draft for the quarter the demo's units reported: its rolled-up column equals
    the figures the dashboard's rows (and the manual overview) give for the units whose reports
    were accepted — counts summed, rates from the summed parts — the reports being snapshots of
    a quarter that is over, so nothing has moved since."""
    province = Unit.objects.get(code="P75")
    user = _coordinator()
    kind, year, number = "quy", 2026, 3
    subs = list(
        Report.objects.filter(receiver=province, kind=kind, year=year, number=number, state="accepted")
    )
    assert len(subs) >= 3
    draft = build(province, kind, year, number)
    rolled = draft.facts["rollup"]
    key = windows.window(kind, year, number).key
    dash = unit_dashboard(user=user, unit=province, period_key=key, sort="", today=dt.date.today())
    children = {row.unit.pk: row.values for row in dash.children}
    compared = 0
    for row in draft.annex:
        code = row["code"]
        if code in children[subs[0].unit_id]:
            values = [children[r.unit_id][code] for r in subs]
            parts = [(v.numerator, v.denominator) for v in values]
        elif code.startswith("manual:") and row["additive"]:
            definition = definition_for_unit(code.split(":", 1)[1], province)
            if key not in {p.key for p in periods_of_year(definition.periodicity, year)}:
                assert rolled[code]["value"] is None, (code, rolled[code])  # not reported for the window
                continue
            values = [
                overview(user=user, definition=definition, root=r.unit, period_key=key, today=TODAY).value
                for r in subs
            ]
            parts = [(None, None)] * len(subs)
        else:
            continue
        if row["additive"]:
            got = [v.value for v in values if v.value is not None]
            expected = sum(Decimal(str(g)) for g in got) if got or row["kind"] == "count" else None
        else:
            num = sum(Decimal(str(n)) for n, d in parts if d)
            den = sum(d for _, d in parts if d)
            scale = 100 if row["kind"] == "percent" else 1
            expected = (scale * num / den).quantize(Decimal("0.01"), ROUND_HALF_UP) if den else None
        assert _d(rolled[code]["value"]) == expected, (code, rolled[code], expected)
        compared += 1
    assert compared >= 8  # the dashboard's eight indicators
