"""Live mode of the dossier indicators: kept current by every dossier event, equal to a full
rebuild, equal to the file mode on the same dossiers (exported), and the dossiers behind each
number are exactly the ones counted."""

from __future__ import annotations

import csv
import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from cchc.core.periods import PeriodError
from cchc.dossiers import services
from cchc.dossiers.deadlines import apology_deadline, dossier_policy
from cchc.dossiers.exchange import exchange_record
from cchc.dossiers.models import Dossier
from cchc.exchange.formats import DOSSIER_COLUMNS, datetime_to_local_us
from cchc.exchange.orgs import write_orgs
from cchc.indicators import live
from cchc.indicators.definitions import INDICATORS
from cchc.indicators.filemode import compute_file
from cchc.indicators.live_periods import keys_containing, live_period, period_choices, year_keys
from cchc.indicators.models import MeasureTotal
from cchc.indicators.rebuild import rebuild
from cchc.orgs.models import Unit

from .test_dossiers_support import local, make_world, pdf

# --- periods ---------------------------------------------------------------------------------------


def test_reporting_windows_start_on_15_december():
    q1 = live_period("BC-2026-Q1")
    assert (q1.a, q1.b) == (dt.datetime(2025, 12, 15), dt.datetime(2026, 3, 15))
    year = live_period("BC-2026-Y")
    assert (year.a, year.b) == (dt.datetime(2025, 12, 15), dt.datetime(2026, 12, 15))
    assert live_period("BC-2026-9M").b == dt.datetime(2026, 9, 15)
    assert live_period("2026-9M").b == dt.datetime(2026, 10, 1)
    assert (q1.label, q1.long_label) == ("Quý I/2026", "Kỳ báo cáo quý I/2026")


def test_a_moment_lies_in_each_kind_of_period_once():
    keys = keys_containing(dt.datetime(2025, 12, 20, 10))
    assert keys == (
        "2025-12",
        "2025-Q4",
        "2025-H2",
        "2025",
        "BC-2026-Q1",
        "BC-2026-H1",
        "BC-2026-9M",
        "BC-2026-Y",
    )
    assert keys_containing(dt.datetime(2026, 9, 14, 23, 59)) == (
        "2026-09",
        "2026-Q3",
        "2026-H2",
        "2026-9M",
        "2026",
        "BC-2026-Q3",
        "BC-2026-9M",
        "BC-2026-Y",
    )
    # every key of a year contains exactly the moments keys_containing says
    moment = dt.datetime(2026, 6, 14, 12)
    for key in year_keys(2026):
        p = live_period(key)
        assert (p.a <= moment < p.b) == (key in keys_containing(moment)), key
    assert len(period_choices(2026)) == 27


@pytest.mark.parametrize("key", ["BC-2026", "2026-Y", "BC-2026-13", "BC-", "2026-Q5", "Q1-2026", ""])
def test_unknown_periods_are_errors(key):
    with pytest.raises(PeriodError):
        live_period(key)


# --- a realistic mix of dossiers through the services ---------------------------------------------


@pytest.fixture
def w(tree, users):
    return make_world(tree, users)


def _mix(w, users, seed: int, count: int) -> list[Dossier]:
    """Dossiers received between January and October 2026, moved through random lifecycles."""
    rng = random.Random(seed)
    online = w.procedure
    made = []
    for _ in range(count):
        start = local(2026, 1, 2, 8) + dt.timedelta(days=rng.randrange(0, 290), hours=rng.randrange(0, 8))
        d = w.receive(
            at=start, channel=rng.choice(["truc_tiep", "truc_tuyen", "buu_chinh"]), procedure=online
        )
        t = start
        for _ in range(rng.choice([0, 0, 1, 2])):
            t += dt.timedelta(hours=rng.randrange(1, 30))
            services.dossier_request_supplement(
                actor=w.desk_officer, dossier=d, missing=["Giấy chứng sinh"], at=t
            )
            t += dt.timedelta(days=rng.randrange(0, 6), hours=rng.randrange(1, 5))
            services.dossier_supplement_received(actor=w.desk_officer, dossier=d, at=t)
        fate = rng.random()
        t += dt.timedelta(days=rng.randrange(0, 12), hours=rng.randrange(0, 6))
        if fate < 0.15:
            continue  # still open
        if fate < 0.25:
            # the apology goes out just before its deadline (one working day before the due time)
            sent = apology_deadline(dossier_policy(d), d.current_due_at) - dt.timedelta(hours=1)
            if sent > d.last_event_at and d.state != "waiting_supplement":
                services.dossier_apologise(
                    actor=users.officer,
                    dossier=d,
                    new_due_at=d.current_due_at + dt.timedelta(days=3),
                    reason="Cần xác minh thêm",
                    at=sent,
                )
                t = max(t, sent + dt.timedelta(hours=1))
        if fate < 0.3:
            services.dossier_stop(actor=users.officer, dossier=d, reason="Người nộp đề nghị dừng", at=t)
            continue
        granted = fate < 0.9
        w.decide(
            d,
            granted=granted,
            reason="" if granted else "Không đủ điều kiện",
            result_file=pdf() if rng.random() < 0.6 else None,
            at=t,
        )
        if rng.random() < 0.7:
            t += dt.timedelta(hours=rng.randrange(1, 48))
            services.dossier_return(actor=w.desk_officer, dossier=d, method="desk", at=t)
            if rng.random() < 0.6:
                services.dossier_rate(
                    dossier=d,
                    rating=rng.choice(["rat_hai_long", "hai_long", "binh_thuong", "khong_hai_long"]),
                    at=t + dt.timedelta(minutes=5),
                )
        made.append(d)
    return made


def _file_mode(tmp_path, keys):
    orgs = tmp_path / "orgs.csv"
    write_orgs(
        orgs, [(u.code, u.name, u.parent.code if u.parent else None) for u in Unit.objects.order_by("path")]
    )
    path = tmp_path / "dossiers.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=DOSSIER_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for d in Dossier.objects.select_related("procedure", "handling_unit").order_by("pk"):
            record = exchange_record(d)
            if record:
                writer.writerow(record)
    # the live figures judge a running period as it stands now: so does the file, cut at now
    now = datetime_to_local_us(timezone.now())
    return compute_file(str(orgs), str(path), [live_period(k) for k in keys], as_of_us=now)


KEYS = [
    "2026",
    "2026-Q1",
    "2026-Q2",
    "2026-H2",
    "2026-9M",
    "2026-03",
    "2026-10",
    "BC-2026-Q1",
    "BC-2026-Y",
    "BC-2026-H1",
]


@pytest.mark.django_db(transaction=False)
def test_live_equals_rebuild_and_file_mode_and_drill_down(w, users, tree, tmp_path):
    _mix(w, users, seed=7, count=40)
    assert MeasureTotal.objects.exists()  # the events themselves kept the totals

    year = live.unit_values(tree.province, "2026")
    # the mix exercises every rule: late and on time, apologies, ratings, channels, results
    assert 0 < year["dung_han"].value < 100 and year["qua_han_co_xin_loi"].raw_numerator > 0
    assert 0 < year["hai_long"].denominator and 0 < year["truc_tuyen"].value < 100
    assert 0 < year["ket_qua_dien_tu"].value < 100 and year["tg_giai_quyet_tb"].value > 0
    assert Dossier.objects.filter(supplement_count__gt=1).exists()
    assert rebuild(check=True).differences == []

    result = _file_mode(tmp_path, KEYS)
    assert not result.bad
    units = {u.code: u for u in Unit.objects.all()}
    compared = 0
    for row in result.rows:
        mine = live.unit_values(units[row.unit], row.period)[row.code]
        assert mine.as_csv()[2:] == row.as_csv()[2:], row
        compared += 1
    assert compared == len(units) * len(KEYS) * len(INDICATORS)

    province = tree.province
    for key in ("2026", "BC-2026-Q1", "2026-Q2"):
        values = live.unit_values(province, key)
        for indicator in INDICATORS:
            value = values[indicator.code]
            if indicator.code == "tg_giai_quyet_tb":
                continue
            n = live.dossiers_behind(province, key, indicator.code, "numerator").count()
            assert n == value.raw_numerator, (key, indicator.code)
            if indicator.denominator:
                assert live.dossiers_behind(province, key, indicator.code).count() == value.denominator


def test_each_event_moves_the_figure_at_once(w, users, tree):
    agency, province = w.agency, tree.province
    d = w.receive(at=local(2026, 3, 2, 9), channel="truc_tuyen")
    values = live.unit_values(province, "2026-Q1")
    assert values["tiep_nhan"].value == 1 and values["truc_tuyen"].value == 100
    assert values["da_giai_quyet"].value == 0 and values["hai_long"].value is None  # empty, not zero
    # open at the end of March, due 9/3: judged at the period's end → late
    assert values["dung_han"].value == 0
    w.decide(d, granted=True, result_file=pdf(), at=local(2026, 3, 5, 10))
    values = live.unit_values(agency, "2026-Q1")
    assert values["dung_han"].value == 100 and values["da_giai_quyet"].value == 1
    assert values["ket_qua_dien_tu"].value == 100
    services.dossier_return(actor=w.desk_officer, dossier=d, method="desk", at=local(2026, 3, 5, 11))
    services.dossier_rate(dossier=d, rating="khong_hai_long", at=local(2026, 3, 5, 12))
    assert live.unit_values(province, "2026-03")["hai_long"].value == 0
    # a unit outside the handling unit's branch has no figures
    other = tree.agency("SCT")
    assert live.unit_values(other, "2026-Q1")["tiep_nhan"].value == 0
    assert rebuild(check=True).differences == []


def test_children_table_and_series(w, users, tree):
    w.receive(at=local(2026, 1, 5, 9))
    w.receive(at=local(2026, 2, 5, 9))
    rows = live.children_values(tree.province, "2026")
    by_code = {u.code: v for u, v in rows}
    assert by_code[w.agency.code]["tiep_nhan"].value == 2
    assert all(v["tiep_nhan"].value == 0 for code, v in by_code.items() if code != w.agency.code)
    trend = live.series(tree.province, "tiep_nhan", ["2026-01", "2026-02", "2026-03"])
    assert [v.value for _, v in trend] == [1, 1, 0]


def test_rebuild_restores_drifted_totals_and_the_command_reports(w, users, tree, capsys):
    w.receive(at=local(2026, 4, 6, 9))
    MeasureTotal.objects.filter(period="2026-Q2").update(r=99)
    report = rebuild(check=True)
    assert report.differences and "2026-Q2" in report.differences[0]
    with pytest.raises(SystemExit) as exc:
        call_command("indicators_rebuild", "--check")
    assert exc.value.code == 1
    call_command("indicators_rebuild", "--year", "2026")
    assert "Đã tính lại 27 kỳ" in capsys.readouterr().out
    assert live.unit_values(tree.province, "2026-Q2")["tiep_nhan"].value == 1
    assert rebuild(check=True).differences == []


def _snapshot():
    return sorted(MeasureTotal.objects.exclude(r=0, f=0, s=0).values_list("unit_id", "period", *live.FIELDS))


@pytest.mark.parametrize("threshold", [1, 10**9], ids=["duckdb", "python"])
def test_imported_batches_add_what_the_events_added(w, users, monkeypatch, threshold):
    _mix(w, users, seed=11, count=25)
    by_events = _snapshot()
    MeasureTotal.objects.all().delete()
    monkeypatch.setattr(live, "BATCH_IN_SQL", threshold)
    live.dossiers_added(Dossier.objects.all())
    assert _snapshot() == by_events


def test_an_open_dossier_becomes_late_at_its_due_time_with_no_event(w, users, tree, monkeypatch):
    """The running period is judged at min(its end, now): before the due time an open dossier is
    on time, after it late — with no event in between, and the stored totals never change."""
    now = timezone.now()
    d = w.receive(at=now - dt.timedelta(minutes=30))
    key = str(timezone.localtime(now).year)
    before = live.unit_values(tree.province, key)["dung_han"]
    assert (before.raw_numerator, before.denominator) == (1, 1)
    assert live.dossiers_behind(tree.province, key, "dung_han", "numerator").count() == 1
    stored = _snapshot()

    later = d.on_time_until + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    if timezone.localtime(later).year != int(key):
        pytest.skip("the due time falls in the next year")
    after = live.unit_values(tree.province, key)
    assert (after["dung_han"].raw_numerator, after["dung_han"].denominator) == (0, 1)
    assert after["qua_han_co_xin_loi"].denominator == 1
    assert live.children_values(tree.province, key, [tree.agency("STP")])[0][1]["dung_han"].raw_numerator == 0
    assert live.dossiers_behind(tree.province, key, "dung_han", "numerator").count() == 0
    assert _snapshot() == stored  # nothing was written: the figure moved because time did
    assert rebuild(check=True).differences == []
