"""The fast pass of file mode (`filemode_sql.fast_sql`): it may only *accept* rows the full rules
accept, with the very same typed values; anything else sends the file to the full pass, so the
output never depends on which pass ran (issue 16, item 1)."""

from __future__ import annotations

import random

import duckdb
import pytest

from cchc.core.periods import parse_calendar_periods
from cchc.exchange import BadRow, iter_dossiers, read_orgs
from cchc.exchange import formats as f
from cchc.indicators import definitions as d
from cchc.indicators.filemode import compute_file
from cchc.indicators.filemode_sql import SLOW_DATETIME_MACROS, check_sql, fast_sql, sql_str

from .test_indicators_filemode import BAD_VALUES, ORGS, random_rows, write

UNITS = ["P75", "P75.STP", "W1", "W2", "XÃ1"]
ORGS_X = ORGS + "XÃ1,Xã có dấu,P75.STP\n"
PERIODS = ["2026", "2026-Q1", "2026-Q2", "2026-H2", "2026-9M", "2026-01", "2025-12", "2027"]
TYPED = ("uid", "recv", "due", "fin", "pause", "so_lan", "kenh", "kq", "rating", *f.FLAG_COLUMNS)


def clean_rows(seed: int, count: int) -> list[dict]:
    """Random rows without a mistake and in the common form (what the generator writes)."""
    rows = random_rows(seed, count, UNITS)
    out = []
    for i, r in enumerate(rows):
        r["ma_ho_so"] = f"H{i}"
        if any(r[c] in BAD_VALUES.get(c, ()) for c in r) or r["tra_kq_luc"] == "2000-01-01 00:00":
            continue
        for c in f.DATETIME_COLUMNS:  # canonical form: to the second, local time, no spaces
            value = r[c]
            if value and not (len(value) == 19 and value[10] == " " and value[:4].isdigit()):
                r[c] = ""
        if not r["tiep_nhan_luc"] or not r["han_tra"]:
            continue
        if r["ket_thuc_luc"] == "":
            r["ket_qua"] = r["tra_kq_luc"] = r["danh_gia"] = ""
        elif r["ket_qua"] == "":
            r["ket_qua"] = "chap_thuan"
        if r["tra_kq_luc"] and (not r["ket_thuc_luc"] or r["tra_kq_luc"] < r["ket_thuc_luc"]):
            r["tra_kq_luc"] = ""
        if r["ket_thuc_luc"] and r["ket_thuc_luc"] < r["tiep_nhan_luc"]:
            continue
        if r["han_tra_moi"] and r["han_tra_moi"] <= r["han_tra"]:
            r["han_tra_moi"] = ""
        r["kenh"] = r["kenh"].strip()
        r["so_lan_bo_sung"] = r["so_lan_bo_sung"].strip()
        out.append(r)
    return out


def _reference(org_path, path, periods):
    tree = read_orgs(org_path)
    items = list(iter_dossiers(path, tree))
    valid = [r for r in items if not isinstance(r, BadRow)]
    return items, d.reference_rows(tree, valid, periods)


def test_a_clean_file_takes_the_fast_pass_and_matches_the_reference(tmp_path):
    rows = clean_rows(4, 3000)
    assert len(rows) > 2000
    org_path, path = write(tmp_path, rows, orgs=ORGS_X)
    periods = parse_calendar_periods(PERIODS)
    result = compute_file(org_path, path, periods)
    assert "look_closer" not in result.stages  # the full pass did not run
    items, expected = _reference(org_path, path, periods)
    assert not any(isinstance(r, BadRow) for r in items)
    assert result.bad == [] and result.valid == result.records == len(rows)
    assert [r.as_csv() for r in result.rows] == [r.as_csv() for r in expected]


@pytest.mark.parametrize(
    "column, value, closer",
    [
        ("tiep_nhan_luc", "2026-01-05T08:00:00+07:00", True),  # valid, not the common form
        ("han_tra", " 2026-03-05 08:00:00", True),
        ("ket_thuc_luc", "2026-03-05 08:00", True),
        ("ma_don_vi", "W9", True),  # unknown unit
        ("ma_ho_so", "{dup} ", True),  # the code of row 4 once trimmed: a duplicate
        ("ma_ho_so", "{dup}", True),  # a plain duplicate
        ("han_tra", "2026-01-05 24:00:00", True),  # refused
        ("tam_dung_gio", "1e3", True),
        ("kenh", "", True),
        # cheap columns are read by the full grammar in both passes
        ("so_lan_bo_sung", " 1", False),
        ("xin_loi", "1 ", False),
        ("kenh", " truc_tuyen", False),
        ("tam_dung_gio", ".5", False),
        ("ma_don_vi", "XA\u03031", False),  # NFD spelling of a unit code
    ],
)
def test_one_uncommon_value_sends_the_file_to_the_full_pass(tmp_path, column, value, closer):
    rows = clean_rows(5, 300)
    rows[7][column] = value.format(dup=rows[3]["ma_ho_so"])
    org_path, path = write(tmp_path, rows, orgs=ORGS_X)
    periods = parse_calendar_periods(["2026", "2026-Q1"])
    result = compute_file(org_path, path, periods)
    assert ("look_closer" in result.stages) is closer
    items, expected = _reference(org_path, path, periods)
    assert [(b.line, b.reason) for b in result.bad] == [
        (b.line, b.reason) for b in items if isinstance(b, BadRow)
    ]
    assert [r.as_csv() for r in result.rows] == [r.as_csv() for r in expected]


def test_a_row_the_reader_refuses_sends_the_file_to_the_full_pass(tmp_path):
    rows = clean_rows(6, 200)
    org_path, path = write(tmp_path, rows, orgs=ORGS_X)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("X1,1.001193,W1\n")  # too few fields
    result = compute_file(org_path, path, parse_calendar_periods(["2026"]))
    assert "look_closer" in result.stages
    assert [b.line for b in result.bad] == [len(rows) + 2]


@pytest.mark.parametrize("seed", [7, 8])
def test_every_row_the_fast_pass_accepts_is_valid_with_the_same_values(tmp_path, seed):
    """Row by row, on random rows full of uncommon and wrong values: ``ok`` implies no reason in
    `check_sql` and equal typed values (the property the fast pass rests on)."""
    rows = random_rows(seed, 4000, UNITS)
    rng = random.Random(seed)
    for r in rows:  # more wrong values, in every column
        if rng.random() < 0.2:
            column = rng.choice(sorted(BAD_VALUES))
            r[column] = rng.choice(BAD_VALUES[column])
    org_path, path = write(tmp_path, rows, orgs=ORGS_X)
    tree = read_orgs(org_path)
    con = duckdb.connect()
    con.execute(SLOW_DATETIME_MACROS)
    codes = tree.codes()
    con.execute(f"CREATE TYPE cchc_unit AS ENUM ({', '.join(sql_str(c) for c in codes)})")
    columns = {c: f"c{i}" for i, c in enumerate(f.DOSSIER_COLUMNS)}
    spec = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(f.DOSSIER_COLUMNS))) + "}"
    source = f"read_csv({sql_str(str(path))}, header = true, auto_detect = false, columns = {spec})"
    names = ", ".join(TYPED)
    fast = con.execute(
        f"SELECT row_number() OVER () AS n, ok, {names} FROM ({fast_sql(source, columns)})"
    ).fetchall()
    full = con.execute(
        f"SELECT row_number() OVER () AS n, err, {names} FROM ({check_sql(source, columns)})"
    ).fetchall()
    accepted = 0
    for a, b in zip(fast, full, strict=True):
        if a[1] is True:
            accepted += 1
            assert b[1] is None, (a, b)
            assert a[2:] == b[2:], (a, b)
    assert 1000 < accepted < len(rows)  # both kinds are there
