"""The national view (cchc/indicators/national.py): each province sends its indicator totals —
integers, no personal data — and the nation's figures are their sum, derived like a province's."""

from __future__ import annotations

import csv

import pytest
from django.core.management import call_command

from cchc.dossiers.models import PERSONAL_FIELDS, Dossier
from cchc.exchange.errors import ExchangeError
from cchc.indicators import live, national
from cchc.indicators.definitions import MEASURE_CODES

from .test_dossiers_support import make_world
from .test_indicators_live import _mix


@pytest.fixture
def w(tree, users):
    return make_world(tree, users)


@pytest.mark.django_db
def test_a_province_sends_totals_only_and_the_nation_adds_them_up(w, users, tree, tmp_path, capsys):
    _mix(w, users, seed=5, count=10)
    ours, theirs, feed = tmp_path / "P75.csv", tmp_path / "P80.csv", tmp_path / "feed"
    call_command("indicators_totals", province="P75", period=["2026"], out=ours, simulate_34=feed)
    call_command("indicators_totals", province="P80", period=["2026"], out=theirs)

    text = ours.read_text(encoding="utf-8")
    header = next(csv.reader(text.splitlines()))
    assert tuple(header) == national.HEADER
    assert not set(header) & set(PERSONAL_FIELDS)
    for code, name, phone in Dossier.objects.values_list("code", "applicant_name", "applicant_phone"):
        assert code not in text and name not in text and phone not in text  # nothing of a dossier leaves

    expected = live.unit_totals(tree.province, "2026")
    (row,) = national.read_totals(ours)
    assert row.province == "P75" and row.period == "2026" and row.measures == expected
    assert expected["R"] > 0

    view = national.national_rollup([*national.read_totals(ours), *national.read_totals(theirs)], "2026")
    assert [p.province for p, _ in view.provinces] == ["P75", "P80"]
    assert view.totals == {c: expected[c] for c in MEASURE_CODES}  # P80 has no dossier: zeros
    own = live.unit_values(tree.province, "2026")
    assert view.values["dung_han"].value == own["dung_han"].value
    assert view.values["tiep_nhan"].raw_numerator == own["tiep_nhan"].raw_numerator

    files = sorted(feed.glob("*.csv"))
    assert len(files) == 34
    rows = [r for f in files for r in national.read_totals(f)]
    whole = national.national_rollup(rows, "2026")
    assert len(whole.provinces) == 34
    for code in MEASURE_CODES:
        assert whole.totals[code] == sum(r.measures[code] for r in rows)
    assert whole.values["dung_han"].raw_numerator == sum(r.measures["S_dung_han"] for r in rows)
    for r in rows:  # the simulation keeps every part within its whole
        assert r.measures["S_dung_han"] + r.measures["S_tre_han"] <= r.measures["S"]
        assert r.measures["R_truc_tuyen"] <= r.measures["R"]

    capsys.readouterr()
    call_command("indicators_national", *map(str, files), period="2026")
    out = capsys.readouterr().out
    assert "Cả nước (34 tỉnh)" in out and "Thành phố Hà Nội" in out and "Đồng Nai" in out
    assert len(out.strip().splitlines()) == 1 + 34 + 1


def _file(tmp_path, header, *rows):
    path = tmp_path / "t.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


GOOD = ["P75", "Tỉnh Đồng Nai", "2026", *["1"] * len(MEASURE_CODES)]


def test_the_reader_refuses_anything_but_totals(tmp_path):
    with pytest.raises(ExchangeError, match="cột không được phép: applicant_name") as e:
        national.read_totals(_file(tmp_path, [*national.HEADER, "applicant_name"], [*GOOD, "Nguyễn Văn A"]))
    assert e.value.line == 1
    with pytest.raises(ExchangeError, match="cột R: cần một số nguyên không âm") as e:
        national.read_totals(_file(tmp_path, national.HEADER, ["P75", "Đồng Nai", "2026", "-3", *GOOD[4:]]))
    assert e.value.line == 2
    with pytest.raises(ExchangeError, match="kỳ không hợp lệ"):
        national.read_totals(_file(tmp_path, national.HEADER, ["P75", "Đồng Nai", "2026-13", *GOOD[3:]]))
    rows = national.read_totals(_file(tmp_path, national.HEADER, GOOD, GOOD))
    with pytest.raises(ExchangeError, match="tỉnh P75 gửi hai lần"):
        national.national_rollup(rows, "2026")


def test_the_command_says_what_is_wrong_in_one_line(tmp_path, capsys):
    bad = _file(tmp_path, [*national.HEADER[:-1]], GOOD[:-1])
    with pytest.raises(SystemExit) as e:
        call_command("indicators_national", str(bad), period="2026")
    assert e.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("cchc indicators national: ") and "thiếu cột: F_thoi_gian_ns" in err
    assert len(err.splitlines()) == 1
