"""File mode of the dossier indicators (`cchc indicators compute`, docs/specs/dossier-exchange.md).

Hand-computed cases for every indicator, the roll-up, rounding, empty denominators, period
boundaries, bad rows, exit statuses, and the DuckDB engine checked against the plain-Python
reference (`definitions.compute_reference`) on seeded random data.
"""

from __future__ import annotations

import csv
import io
import os
import random
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.core.management import call_command

from cchc.core.periods import PeriodError, parse_calendar_period, parse_calendar_periods
from cchc.exchange import BadRow, iter_dossiers, read_orgs
from cchc.exchange.formats import DOSSIER_COLUMNS
from cchc.indicators import definitions as d
from cchc.indicators.filemode import compute_file, parse_as_of, run
from cchc.indicators.management.commands.indicators_compute import Command

ROOT = Path(__file__).resolve().parent.parent

ORGS = """ma_don_vi,ten_don_vi,ma_don_vi_cha
P75,Tỉnh Đồng Nai,
P75.STP,Sở Tư pháp,P75
W1,Phường Một,P75
W2,Xã Hai,P75
"""

BLANK = dict.fromkeys(DOSSIER_COLUMNS, "")


def row(code, unit, receipt, due, **values):
    """A dossiers.csv record with sensible defaults (all flags 0, no supplement, open)."""
    out = dict(BLANK)
    out.update(
        ma_ho_so=code,
        ma_tthc="1.001193",
        ma_don_vi=unit,
        kenh="truc_tiep",
        tiep_nhan_luc=receipt,
        han_tra=due,
        so_lan_bo_sung="0",
        tam_dung_gio="0",
    )
    for flag in (
        "co_nghia_vu_tai_chinh",
        "thanh_toan_truc_tuyen",
        "ket_qua_dien_tu",
        "so_hoa",
        "tai_su_dung",
        "xin_loi",
    ):
        out[flag] = "0"
    out.update(values)
    return out


def write(
    tmp_path: Path, rows, *, orgs: str = ORGS, name: str = "dossiers.csv", header=DOSSIER_COLUMNS
) -> tuple[Path, Path]:
    org_path = tmp_path / "orgs.csv"
    org_path.write_text(orgs, encoding="utf-8")
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for r in rows:
            writer.writerow([r.get(c, "") for c in header])
    return org_path, path


def compute(org_path, path, *keys):
    result = compute_file(org_path, path, [parse_calendar_period(k) for k in keys])
    table = {(r.unit, r.period, r.code): r.as_csv()[3:] for r in result.rows}
    return result, table


# --- the hand-computed case --------------------------------------------------------------------
#
# Q1 2026 = [2026-01-01 00:00, 2026-04-01 00:00) local time.
#   A  W1 online, received 05/01 08:00, due 06/01 08:00, finished 05/01 15:00 (7 h) granted,
#        electronic result, fee paid online, digitised, rated rat_hai_long          → on time
#   B  W1 desk, received 05/01 08:00, due 06/01 08:00, 1 supplement, paused 24 h, finished
#        07/01 08:00 (48 h − 24 h = 1 day) granted; reused data                    → on time (e = due)
#   C  W2 post, received 31/03 23:59:59, due 02/04 08:00, open, fee not paid online → on time at b
#   D  W2 desk, received 10/02 09:00, due 12/02 09:00, finished 13/02 09:00 (3 days) refused,
#        apology, rated khong_hai_long                                            → late
#   E  P75.STP desk, received 01/02 08:00 (as 01:00Z), due 02/04 08:00, 2 supplements,
#        paused 0.5 h, finished 03/04 08:00 (Q2) refused, apology                 → late (2 requests)
#   F  W1 desk, received 15/12/2025 08:00, due 20/12/2025, finished 05/01 08:00 (21 days) granted,
#        rated hai_long                                                           → late; in F only
CASE = [
    row(
        "A",
        "W1",
        "2026-01-05 08:00:00",
        "2026-01-06 08:00:00",
        kenh="truc_tuyen",
        ket_thuc_luc="2026-01-05 15:00:00",
        tra_kq_luc="2026-01-05 15:00:00",
        ket_qua="chap_thuan",
        co_nghia_vu_tai_chinh="1",
        thanh_toan_truc_tuyen="1",
        ket_qua_dien_tu="1",
        so_hoa="1",
        danh_gia="rat_hai_long",
    ),
    row(
        "B",
        "W1",
        "2026-01-05T08:00:00+07:00",
        "2026-01-06 08:00",
        so_lan_bo_sung="1",
        tam_dung_gio="24",
        ket_thuc_luc="2026-01-07 08:00",
        ket_qua="chap_thuan",
        tai_su_dung="1",
    ),
    row(
        "C",
        "W2",
        "2026-03-31 23:59:59",
        "2026-04-02 08:00",
        kenh="buu_chinh",
        co_nghia_vu_tai_chinh="1",
        han_tra_moi="2026-04-10 08:00",
    ),
    row(
        "D",
        "W2",
        "2026-02-10 09:00",
        "2026-02-12 09:00",
        ket_thuc_luc="2026-02-13 09:00",
        ket_qua="tu_choi",
        xin_loi="1",
        han_tra_moi="2026-02-14 09:00",
        danh_gia="khong_hai_long",
    ),
    row(
        "E",
        "P75.STP",
        "2026-02-01T01:00:00Z",
        "2026-04-02 08:00",
        so_lan_bo_sung="2",
        tam_dung_gio="0.5",
        ket_thuc_luc="2026-04-03 08:00",
        ket_qua="tu_choi",
        xin_loi="1",
        co_nghia_vu_tai_chinh="1",
    ),
    row(
        "F",
        "W1",
        "2025-12-15 08:00",
        "2025-12-20 08:00",
        ket_thuc_luc="2026-01-05 08:00",
        ket_qua="chap_thuan",
        danh_gia="hai_long",
    ),
]

# (unit, period, indicator) → (tu_so, mau_so, gia_tri), worked out by hand from the table above.
EXPECTED = {
    # province = whole tree. Q1: R = {A,B,C,D,E}, F = {A,B,D,F}, S = {A..F};
    # on time: A, B, C → 3/6; late: D, E, F — with apology D, E → 2/3
    ("P75", "2026-Q1", "tiep_nhan"): ("5", "", "5"),
    ("P75", "2026-Q1", "da_giai_quyet"): ("4", "", "4"),
    ("P75", "2026-Q1", "dung_han"): ("3", "6", "50.00"),
    ("P75", "2026-Q1", "qua_han_co_xin_loi"): ("2", "3", "66.67"),
    ("P75", "2026-Q1", "truc_tuyen"): ("1", "5", "20.00"),
    ("P75", "2026-Q1", "buu_chinh"): ("1", "5", "20.00"),
    ("P75", "2026-Q1", "thanh_toan_truc_tuyen"): ("1", "3", "33.33"),  # fee: A, C, E; paid online: A
    ("P75", "2026-Q1", "ket_qua_dien_tu"): ("1", "3", "33.33"),  # granted in F: A, B, F; e-result: A
    ("P75", "2026-Q1", "so_hoa"): ("1", "5", "20.00"),
    ("P75", "2026-Q1", "tai_su_dung"): ("1", "5", "20.00"),
    ("P75", "2026-Q1", "hai_long"): ("2", "3", "66.67"),  # rated in F: A (rất HL), D (không HL), F (HL)
    # days: A 7/24, B 1, D 3, F 21 → 25.291666… / 4 = 6.3229 → 6.32
    ("P75", "2026-Q1", "tg_giai_quyet_tb"): ("25.291667", "4", "6.32"),
    ("P75", "2026-Q1", "diem_766_tien_do"): ("3", "6", "10.00"),
    # W1 alone: R = {A,B}, F = {A,B,F}, S = {A,B,F}; on time A, B; late F without apology
    ("W1", "2026-Q1", "tiep_nhan"): ("2", "", "2"),
    ("W1", "2026-Q1", "da_giai_quyet"): ("3", "", "3"),
    ("W1", "2026-Q1", "dung_han"): ("2", "3", "66.67"),
    ("W1", "2026-Q1", "qua_han_co_xin_loi"): ("0", "1", "0.00"),
    ("W1", "2026-Q1", "truc_tuyen"): ("1", "2", "50.00"),
    ("W1", "2026-Q1", "buu_chinh"): ("0", "2", "0.00"),
    ("W1", "2026-Q1", "thanh_toan_truc_tuyen"): ("1", "1", "100.00"),
    ("W1", "2026-Q1", "ket_qua_dien_tu"): ("1", "3", "33.33"),
    ("W1", "2026-Q1", "so_hoa"): ("1", "2", "50.00"),
    ("W1", "2026-Q1", "tai_su_dung"): ("1", "2", "50.00"),
    ("W1", "2026-Q1", "hai_long"): ("2", "2", "100.00"),
    ("W1", "2026-Q1", "tg_giai_quyet_tb"): ("22.291667", "3", "7.43"),
    ("W1", "2026-Q1", "diem_766_tien_do"): ("2", "3", "13.33"),
    # W2: R = {C, D}, F = {D}, S = {C, D}; C on time (judged at b), D late with apology
    ("W2", "2026-Q1", "dung_han"): ("1", "2", "50.00"),
    ("W2", "2026-Q1", "qua_han_co_xin_loi"): ("1", "1", "100.00"),
    ("W2", "2026-Q1", "thanh_toan_truc_tuyen"): ("0", "1", "0.00"),
    ("W2", "2026-Q1", "ket_qua_dien_tu"): ("0", "0", ""),  # D refused: no granted dossier
    ("W2", "2026-Q1", "hai_long"): ("0", "1", "0.00"),
    ("W2", "2026-Q1", "tg_giai_quyet_tb"): ("3", "1", "3.00"),
    # P75.STP: only E, received in Q1, open at b of Q1 but two supplement requests → late
    ("P75.STP", "2026-Q1", "tiep_nhan"): ("1", "", "1"),
    ("P75.STP", "2026-Q1", "da_giai_quyet"): ("0", "", "0"),
    ("P75.STP", "2026-Q1", "dung_han"): ("0", "1", "0.00"),
    ("P75.STP", "2026-Q1", "tg_giai_quyet_tb"): ("0", "0", ""),
    ("P75.STP", "2026-Q1", "hai_long"): ("0", "0", ""),
    ("P75.STP", "2026-Q1", "diem_766_tien_do"): ("0", "1", "0.00"),
    # Q2: R = {}, F = {E}: E (61 days 0 h − 0.5 h) late with apology; C open, received in Q1 → not in S
    ("P75", "2026-Q2", "tiep_nhan"): ("0", "", "0"),
    ("P75", "2026-Q2", "da_giai_quyet"): ("1", "", "1"),
    ("P75", "2026-Q2", "dung_han"): ("0", "1", "0.00"),
    ("P75", "2026-Q2", "truc_tuyen"): ("0", "0", ""),
    ("P75", "2026-Q2", "tg_giai_quyet_tb"): ("60.979167", "1", "60.98"),
    ("P75", "2026-Q2", "qua_han_co_xin_loi"): ("1", "1", "100.00"),
    # the year: C is judged at 2027-01-01 (open, due 02/04) → late; F is outside (received 2025,
    # finished in Q1 → in F of the year too)
    ("P75", "2026", "tiep_nhan"): ("5", "", "5"),
    ("P75", "2026", "da_giai_quyet"): ("5", "", "5"),
    ("P75", "2026", "dung_han"): ("2", "6", "33.33"),
    ("P75", "2026", "qua_han_co_xin_loi"): ("2", "4", "50.00"),
    ("P75", "2026", "diem_766_tien_do"): ("2", "6", "6.67"),
}


@pytest.fixture
def case(tmp_path):
    org_path, path = write(tmp_path, CASE)
    return org_path, path


def test_every_indicator_by_hand(case):
    result, table = compute(*case, "2026-Q1", "2026-Q2", "2026")
    assert not result.bad
    for key, expected in EXPECTED.items():
        assert table[key] == expected, key
    codes = {code for _, _, code in EXPECTED}
    assert codes == set(d.INDICATOR_CODES)  # every indicator has a hand-computed figure


def test_reference_agrees_with_hand_computation(case):
    org_path, path = case
    tree = read_orgs(org_path)
    rows = [r for r in iter_dossiers(path, tree) if not isinstance(r, BadRow)]
    periods = [parse_calendar_period(k) for k in ("2026-Q1", "2026-Q2", "2026")]
    table = {(v.unit, v.period, v.code): v.as_csv()[3:] for v in d.reference_rows(tree, rows, periods)}
    for key, expected in EXPECTED.items():
        assert table[key] == expected, key


def test_output_shape_and_order(case, tmp_path):
    org_path, path = case
    out = io.StringIO()
    status = run(
        {"orgs": str(org_path), "dossiers": str(path), "period": ["2026-Q1", "2026"], "quiet": True},
        out,
        io.StringIO(),
    )
    assert status == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == "ma_don_vi,ky,chi_so,tu_so,mau_so,gia_tri"
    body = [line.split(",") for line in lines[1:]]
    assert len(body) == 4 * 2 * 13  # units × periods × indicators
    assert [b[0] for b in body[::26]] == ["P75", "P75.STP", "W1", "W2"]  # orgs.csv order
    assert [b[1] for b in body[:26:13]] == ["2026-Q1", "2026"]  # periods as given
    assert [b[2] for b in body[:13]] == list(d.INDICATOR_CODES)  # the spec's order
    counts = [b for b in body if b[2] in ("tiep_nhan", "da_giai_quyet")]
    assert all(b[4] == "" and b[5] == b[3] for b in counts)  # counts: empty denominator


def test_rollup_is_a_sum_not_an_average(tmp_path):
    # W1: 1 of 1 on time (100 %); W2: 1 of 3 on time (33.33 %). Province: 2 of 4 = 50 %,
    # not (100 + 33.33) / 2 = 66.67 %.
    rows = [
        row(
            "a",
            "W1",
            "2026-01-05 08:00",
            "2026-01-06 08:00",
            ket_thuc_luc="2026-01-05 09:00",
            ket_qua="chap_thuan",
        )
    ]
    rows.append(
        row(
            "b",
            "W2",
            "2026-01-05 08:00",
            "2026-01-06 08:00",
            ket_thuc_luc="2026-01-05 09:00",
            ket_qua="chap_thuan",
        )
    )
    for i in range(2):
        rows.append(
            row(
                f"c{i}",
                "W2",
                "2026-01-05 08:00",
                "2026-01-06 08:00",
                ket_thuc_luc="2026-01-08 09:00",
                ket_qua="chap_thuan",
            )
        )
    _, table = compute(*write(tmp_path, rows), "2026-Q1")
    assert table[("W1", "2026-Q1", "dung_han")] == ("1", "1", "100.00")
    assert table[("W2", "2026-Q1", "dung_han")] == ("1", "3", "33.33")
    assert table[("P75", "2026-Q1", "dung_han")] == ("2", "4", "50.00")
    assert table[("P75.STP", "2026-Q1", "dung_han")] == ("0", "0", "")


def test_deep_tree_rolls_up_every_level(tmp_path):
    orgs = ORGS + "P75.STP.A,Phòng A,P75.STP\nP75.STP.A.1,Tổ 1,P75.STP.A\n"
    rows = [
        row("x", "P75.STP.A.1", "2026-01-05 08:00", "2026-01-06 08:00"),
        row("y", "P75.STP", "2026-01-05 08:00", "2026-01-06 08:00"),
    ]
    _, table = compute(*write(tmp_path, rows, orgs=orgs), "2026-Q1")
    assert table[("P75.STP.A.1", "2026-Q1", "tiep_nhan")][0] == "1"
    assert table[("P75.STP.A", "2026-Q1", "tiep_nhan")][0] == "1"
    assert table[("P75.STP", "2026-Q1", "tiep_nhan")][0] == "2"
    assert table[("P75", "2026-Q1", "tiep_nhan")][0] == "2"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(2, 3) * 100, "66.67"),
        (Fraction(1, 8) * 100, "12.50"),
        (Fraction(1, 3) * 100, "33.33"),
        (Fraction(1, 800) * 100, "0.13"),  # 0.125 → 0.13 (half-up, not banker's 0.12)
        (Fraction(5, 8000) * 100, "0.06"),  # 0.0625 → 0.06
        (Fraction(1, 200) * 100 * 20 / 100, "0.10"),
        (Fraction(2675, 1000), "2.68"),  # 2.675: a binary double would give 2.67
        (Fraction(1005, 1000), "1.01"),  # 1.005 likewise
        (Fraction(-1, 8), "-0.13"),  # half away from zero
        (Fraction(0), "0.00"),
        (Fraction(100), "100.00"),
    ],
)
def test_round_half_up(value, expected):
    assert f"{d.round_half_up(value):.2f}" == expected


def test_rounding_through_the_engine(tmp_path):
    # 1 of 8 online → 12.50; 1 of 8 on time → 12.50 %, 2.50 points; 7 of 8 late, 1 with apology → 14.29
    rows = []
    for i in range(8):
        late = i > 0
        rows.append(
            row(
                f"r{i}",
                "W1",
                "2026-01-05 08:00",
                "2026-01-06 08:00",
                kenh="truc_tuyen" if i == 0 else "truc_tiep",
                ket_thuc_luc="2026-01-09 08:00" if late else "2026-01-05 10:00",
                ket_qua="chap_thuan",
                xin_loi="1" if i == 1 else "0",
            )
        )
    _, table = compute(*write(tmp_path, rows), "2026-01")
    assert table[("W1", "2026-01", "truc_tuyen")] == ("1", "8", "12.50")
    assert table[("W1", "2026-01", "dung_han")] == ("1", "8", "12.50")
    assert table[("W1", "2026-01", "diem_766_tien_do")] == ("1", "8", "2.50")
    assert table[("W1", "2026-01", "qua_han_co_xin_loi")] == ("1", "7", "14.29")
    # 7 × 4 days + 2 h = 28.083333 days / 8 = 3.510416… → 3.51
    assert table[("W1", "2026-01", "tg_giai_quyet_tb")] == ("28.083333", "8", "3.51")


def test_empty_denominators_and_no_dossiers(tmp_path):
    _, table = compute(*write(tmp_path, []), "2026", "2026-H1")
    for code in d.INDICATOR_CODES:
        tu, mau, value = table[("P75", "2026", code)]
        indicator = next(i for i in d.INDICATORS if i.code == code)
        if indicator.kind == d.COUNT:
            assert (tu, mau, value) == ("0", "", "0")
        else:
            assert (tu, mau, value) == ("0", "0", "")


def test_period_boundaries_half_open_local_time(tmp_path):
    rows = [
        row("at-a", "W1", "2026-04-01 00:00:00", "2026-04-02 08:00"),  # first instant of Q2
        row("before-b", "W1", "2026-03-31 23:59:59", "2026-04-02 08:00"),  # last second of Q1
        row("offset", "W1", "2026-03-31T17:30:00Z", "2026-04-02 08:00"),  # = 01/04 00:30 local → Q2
        row("offset2", "W1", "2026-04-01T00:30:00+09:00", "2026-04-02 08:00"),  # = 31/03 22:30 local → Q1
        row("frac", "W1", "2026-03-31 23:59:59.999999+07:00".replace(" ", "T"), "2026-04-02 08:00"),  # Q1
    ]
    _, table = compute(
        *write(tmp_path, rows), "2026-Q1", "2026-Q2", "2026-03", "2026-04", "2026-H1", "2026-9M"
    )
    assert table[("W1", "2026-Q1", "tiep_nhan")][0] == "3"
    assert table[("W1", "2026-Q2", "tiep_nhan")][0] == "2"
    assert table[("W1", "2026-03", "tiep_nhan")][0] == "3"
    assert table[("W1", "2026-04", "tiep_nhan")][0] == "2"
    assert table[("W1", "2026-H1", "tiep_nhan")][0] == "5"
    assert table[("W1", "2026-9M", "tiep_nhan")][0] == "5"


def test_on_time_boundary_is_inclusive_and_exact(tmp_path):
    rows = [
        # finished exactly at the due moment → on time
        row(
            "eq",
            "W1",
            "2026-01-05 08:00",
            "2026-01-06 08:00",
            ket_thuc_luc="2026-01-06 08:00",
            ket_qua="chap_thuan",
        ),
        # one microsecond later → late
        row(
            "us",
            "W1",
            "2026-01-05 08:00",
            "2026-01-06 08:00",
            ket_thuc_luc="2026-01-06T08:00:00.000001+07:00",
            ket_qua="chap_thuan",
        ),
        # 1 h late but paused 1 h → on time; paused 0.999999999 h → late by 3.6 µs
        row(
            "p1",
            "W1",
            "2026-01-05 08:00",
            "2026-01-06 08:00",
            ket_thuc_luc="2026-01-06 09:00",
            ket_qua="chap_thuan",
            so_lan_bo_sung="1",
            tam_dung_gio="1",
        ),
        row(
            "p2",
            "W1",
            "2026-01-05 08:00",
            "2026-01-06 08:00",
            ket_thuc_luc="2026-01-06 09:00",
            ket_qua="chap_thuan",
            so_lan_bo_sung="1",
            tam_dung_gio="0.999999999",
        ),
        # an open dossier with a due date inside the period is judged late at b
        row("open", "W1", "2026-01-05 08:00", "2026-01-06 08:00"),
        # the apology's new date does not save a late dossier
        row(
            "apology",
            "W1",
            "2026-01-05 08:00",
            "2026-01-06 08:00",
            han_tra_moi="2026-02-06 08:00",
            xin_loi="1",
            ket_thuc_luc="2026-01-20 08:00",
            ket_qua="chap_thuan",
        ),
    ]
    result, table = compute(*write(tmp_path, rows), "2026-01")
    assert not result.bad
    assert table[("W1", "2026-01", "dung_han")] == ("2", "6", "33.33")
    assert table[("W1", "2026-01", "qua_han_co_xin_loi")] == ("1", "4", "25.00")


def test_open_dossier_is_on_time_until_its_due_date(tmp_path):
    rows = [row("o", "W1", "2026-03-30 08:00", "2026-04-03 08:00")]
    _, table = compute(*write(tmp_path, rows), "2026-Q1", "2026-04", "2026-Q2")
    assert table[("W1", "2026-Q1", "dung_han")] == ("1", "1", "100.00")  # judged at 01/04 00:00
    assert table[("W1", "2026-04", "dung_han")] == ("0", "0", "")  # neither received nor finished in April
    assert table[("W1", "2026-Q2", "dung_han")] == ("0", "0", "")


def test_a_running_period_is_judged_at_the_as_of_moment(tmp_path):
    """The cut c = min(b, as-of): an open dossier not yet due is not late yet; a dossier received
    after the as-of moment is not in the period; a closed period is unchanged."""
    rows = [
        row("open-not-due", "W1", "2026-12-01 08:00", "2026-12-20 17:00"),
        row("open-due", "W1", "2026-12-01 08:00", "2026-12-05 17:00"),
        row("later", "W1", "2026-12-15 08:00", "2026-12-18 17:00"),
        row(
            "done",
            "W1",
            "2026-11-02 08:00",
            "2026-11-05 17:00",
            ket_thuc_luc="2026-11-04 10:00",
            ket_qua="chap_thuan",
        ),
    ]
    org_path, path = write(tmp_path, rows)
    periods = [parse_calendar_period(k) for k in ("2026-12", "2026-11", "2026")]
    as_of = parse_as_of("2026-12-10 08:00")
    table = {
        (r.unit, r.period, r.code): r.as_csv()[3:]
        for r in compute_file(org_path, path, periods, as_of_us=as_of).rows
    }
    assert table[("W1", "2026-12", "tiep_nhan")] == ("2", "", "2")
    assert table[("W1", "2026-12", "dung_han")] == ("1", "2", "50.00")
    assert table[("W1", "2026", "dung_han")] == ("2", "3", "66.67")
    assert table[("W1", "2026-11", "dung_han")] == ("1", "1", "100.00")
    # by default the period is judged at its end: every open dossier is late then
    _, at_end = compute(org_path, path, "2026-12")
    assert at_end[("W1", "2026-12", "tiep_nhan")] == ("3", "", "3")
    assert at_end[("W1", "2026-12", "dung_han")] == ("0", "3", "0.00")
    # the reference reading of the spec agrees, cut for cut
    tree = read_orgs(org_path)
    valid = [r for r in iter_dossiers(path, tree) if not isinstance(r, BadRow)]
    ref = d.reference_rows(tree, valid, periods, as_of_us=as_of)
    assert {(r.unit, r.period, r.code): r.as_csv()[3:] for r in ref} == table
    # an as-of before a period's start leaves it empty
    early = compute_file(
        org_path, path, [parse_calendar_period("2026-12")], as_of_us=parse_as_of("2026-11-30 23:59")
    )
    assert {r.as_csv()[3:] for r in early.rows if r.code == "tiep_nhan"} == {("0", "", "0")}


def test_as_of_through_the_command(tmp_path):
    org_path, path = write(tmp_path, [row("o", "W1", "2026-12-01 08:00", "2026-12-20 17:00")])
    common = ["--orgs", str(org_path), "--dossiers", str(path), "--period", "2026-12", "--quiet"]
    proc = run_module(tmp_path, *common, "--as-of", "2026-12-10 08:00")
    assert proc.returncode == 0, proc.stderr
    assert "W1,2026-12,dung_han,1,1,100.00" in proc.stdout.splitlines()
    proc = run_module(tmp_path, *common)
    assert "W1,2026-12,dung_han,0,1,0.00" in proc.stdout.splitlines()
    for bad in ("10/12/2026", "2026-12-10", "2026-13-01 08:00", "2026-12-10 25:00"):
        proc = run_module(tmp_path, *common, "--as-of", bad)
        assert proc.returncode == 2 and proc.stdout == "" and len(proc.stderr.splitlines()) == 1, bad
        assert "--as-of" in proc.stderr


# --- periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "a", "b"),
    [
        ("2026", "2026-01-01", "2027-01-01"),
        ("2026-Q1", "2026-01-01", "2026-04-01"),
        ("2026-Q4", "2026-10-01", "2027-01-01"),
        ("2026-H1", "2026-01-01", "2026-07-01"),
        ("2026-H2", "2026-07-01", "2027-01-01"),
        ("2026-9M", "2026-01-01", "2026-10-01"),
        ("2026-02", "2026-02-01", "2026-03-01"),
        ("2024-02", "2024-02-01", "2024-03-01"),
        ("2026-12", "2026-12-01", "2027-01-01"),
    ],
)
def test_periods(key, a, b):
    p = parse_calendar_period(key)
    assert (p.key, str(p.a.date()), str(p.b.date())) == (key, a, b)
    assert p.a.time().isoformat() == "00:00:00" and p.b.time().isoformat() == "00:00:00"


@pytest.mark.parametrize(
    "key",
    [
        "2026-Y",
        "2026-q1",
        "2026-Q5",
        "2026-Q0",
        "2026-H3",
        "2026-13",
        "2026-00",
        "26",
        "2026-1",
        "Q1-2026",
        "",
        "1900",
        "2026-6M",
        " 2026",
    ],
)
def test_unknown_periods(key):
    with pytest.raises(PeriodError):
        parse_calendar_period(key)


def test_repeated_periods_are_computed_once():
    assert [p.key for p in parse_calendar_periods(["2026", "2026-Q1", "2026"])] == ["2026", "2026-Q1"]


# --- bad rows, --strict, exit statuses ------------------------------------------------------------


def bad_file(tmp_path):
    rows = [
        row("ok1", "W1", "2026-01-05 08:00", "2026-01-06 08:00"),
        row("bad-date", "W1", "2026-02-30 08:00", "2026-03-06 08:00"),  # line 3
        row("bad-unit", "X9", "2026-01-05 08:00", "2026-01-06 08:00"),  # line 4
        row(
            "end-first",
            "W1",
            "2026-01-05 08:00",
            "2026-01-06 08:00",
            ket_thuc_luc="2026-01-04 08:00",
            ket_qua="rut",
        ),
        row("bad-enum", "W1", "2026-01-05 08:00", "2026-01-06 08:00", kenh="qua_mang"),  # line 6
        row("neg", "W1", "2026-01-05 08:00", "2026-01-06 08:00", so_lan_bo_sung="-1"),  # line 7
        row("ok1", "W2", "2026-01-05 08:00", "2026-01-06 08:00"),  # line 8: duplicate code
        row("ok2", "W2", "2026-01-05 08:00", "2026-01-06 08:00", tam_dung_gio="-2.5"),  # line 9
        row("ok3", "W2", "2026-01-05 08:00", "2026-01-06 08:00"),  # line 10: valid
    ]
    return write(tmp_path, rows)


EXPECTED_BAD = [
    (3, "tiep_nhan_luc: ngày giờ «2026-02-30 08:00» không hợp lệ"),
    (4, "ma_don_vi: đơn vị «X9» không có trong orgs.csv"),
    (5, "ket_thuc_luc trước tiep_nhan_luc"),
    (6, "kenh: giá trị «qua_mang» không hợp lệ"),
    (7, "so_lan_bo_sung: «-1» không phải số nguyên ≥ 0"),
    (8, "ma_ho_so: mã hồ sơ «ok1» trùng với dòng 2"),
    (9, "tam_dung_gio: «-2.5» không phải số thập phân ≥ 0"),
]


def test_bad_rows_reported_by_line_and_skipped(tmp_path):
    org_path, path = bad_file(tmp_path)
    result, table = compute(org_path, path, "2026-Q1")
    assert [
        (b.line, b.reason[: len(r)]) for b, (_, r) in zip(result.bad, EXPECTED_BAD, strict=True)
    ] == EXPECTED_BAD
    assert result.valid == 2 and result.records == 9
    assert table[("P75", "2026-Q1", "tiep_nhan")][0] == "2"
    # the Python reader gives the same lines and reasons
    python_bad = [
        (b.line, b.reason) for b in iter_dossiers(path, read_orgs(org_path)) if isinstance(b, BadRow)
    ]
    assert python_bad == [(b.line, b.reason) for b in result.bad]


def test_command_reports_bad_rows_and_counts_them(tmp_path):
    org_path, path = bad_file(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    status = run(
        {"orgs": str(org_path), "dossiers": str(path), "period": ["2026-Q1"], "quiet": True}, out, err
    )
    assert status == 0
    lines = err.getvalue().splitlines()
    assert [line.split(": ", 1)[1].split(":")[0] for line in lines[:-1]] == [
        f"dòng {n}" for n, _ in EXPECTED_BAD
    ]
    assert "7 dòng lỗi" in lines[-1] and "9 dòng hồ sơ" in lines[-1] and "2 hồ sơ hợp lệ" in lines[-1]
    assert out.getvalue().count("\n") == 1 + 4 * 13


def test_strict_stops_with_status_2(tmp_path):
    org_path, path = bad_file(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    status = run(
        {"orgs": str(org_path), "dossiers": str(path), "period": ["2026-Q1"], "strict": True, "quiet": True},
        out,
        err,
    )
    assert status == 2
    assert out.getvalue() == ""
    assert err.getvalue().count("\n") == 1 and "dòng 3" in err.getvalue()


def run_module(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "cchc.indicators.filemode", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_exit_statuses_through_a_process(tmp_path):
    org_path, path = bad_file(tmp_path)
    # --quiet: progress lines (printed once a run passes 2 s, as it may on a loaded machine) are
    # not the error line this test counts.
    common = ["--orgs", str(org_path), "--dossiers", str(path), "--quiet"]
    proc = run_module(tmp_path, *common, "--period", "2026-Q5")
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and "2026-Q5" in proc.stderr
    proc = run_module(tmp_path, *common, "--period", "2026-Q1", "--strict")
    assert proc.returncode == 2 and proc.stdout == "" and len(proc.stderr.splitlines()) == 1
    proc = run_module(tmp_path, *common)  # no period
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1
    out = tmp_path / "result.csv"
    proc = run_module(tmp_path, *common, "--period", "2026-Q1", "--out", str(out))
    assert proc.returncode == 0 and proc.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("ma_don_vi,ky,chi_so,tu_so,mau_so,gia_tri\n")


def test_bad_orgs_exit_2(tmp_path):
    _, path = bad_file(tmp_path)
    bad_orgs = tmp_path / "bad-orgs.csv"
    bad_orgs.write_text(
        "ma_don_vi,ten_don_vi,ma_don_vi_cha\nA,a,B\nB,b,A\nC,c,\nC,c2,\nD,d,Z\n", encoding="utf-8"
    )
    err = io.StringIO()
    status = run(
        {"orgs": str(bad_orgs), "dossiers": str(path), "period": ["2026"], "quiet": True}, io.StringIO(), err
    )
    assert status == 2
    text = err.getvalue()
    assert "dòng 2: vòng lặp" in text and "dòng 5: ma_don_vi: mã đơn vị «C» trùng với dòng 4" in text
    assert "dòng 6: ma_don_vi_cha: đơn vị cha «Z» không có trong tệp" in text


def test_missing_columns_and_missing_file_exit_2(tmp_path):
    org_path, path = write(
        tmp_path, [row("a", "W1", "2026-01-05 08:00", "2026-01-06 08:00")], header=DOSSIER_COLUMNS[:-1]
    )
    err = io.StringIO()
    assert (
        run(
            {"orgs": str(org_path), "dossiers": str(path), "period": ["2026"], "quiet": True},
            io.StringIO(),
            err,
        )
        == 2
    )
    assert "thiếu cột danh_gia" in err.getvalue()
    err = io.StringIO()
    assert (
        run(
            {"orgs": str(org_path), "dossiers": str(tmp_path / "none.csv"), "period": ["2026"]},
            io.StringIO(),
            err,
        )
        == 2
    )
    assert len(err.getvalue().splitlines()) == 1


def test_management_command(case, tmp_path):
    org_path, path = case
    out = io.StringIO()
    call_command(
        Command(), orgs=str(org_path), dossiers=str(path), period=["2026-Q1"], quiet=True, stdout=out
    )
    assert out.getvalue().splitlines()[3] == "P75,2026-Q1,dung_han,3,6,50.00"
    with pytest.raises(SystemExit) as exc:
        call_command(
            Command(), orgs=str(org_path), dossiers=str(path), period=["2026-Q9"], stdout=io.StringIO()
        )
    assert exc.value.code == 2


def test_column_order_free_unknown_columns_ignored_optional_columns_absent(tmp_path, case):
    org_path, path = case
    _, reference = compute(org_path, path, "2026-Q1")
    header = [c for c in reversed(DOSSIER_COLUMNS) if c not in ("han_tra_moi", "tra_kq_luc")]
    header.insert(3, "ghi_chu")
    rows = [dict(r, ghi_chu='x, "y"') for r in CASE]
    for r in rows:
        r["han_tra_moi"] = r["tra_kq_luc"] = ""
    other = tmp_path / "moved"
    other.mkdir()
    _, moved = write(other, rows, name="moved.csv", header=header)
    _, table = compute(org_path, moved, "2026-Q1")
    assert table == reference


# --- the DuckDB engine against the reference on random data -------------------------------------


def _fmt(rng: random.Random, us: int, *, weird: bool) -> str:
    import datetime as dt

    from cchc.exchange.formats import EPOCH

    moment = EPOCH + dt.timedelta(microseconds=us)
    if not weird or rng.random() < 0.5:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    choice = rng.randrange(7)
    if choice == 0:
        return moment.strftime("%Y-%m-%d %H:%M")
    if choice == 1:
        return " " + moment.strftime("%Y-%m-%d %H:%M:%S") + "\t"
    if choice == 2:
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{moment.microsecond:06d}+07:00"
    if choice == 3:
        shift = rng.choice([-5, 0, 9])
        other = moment + dt.timedelta(hours=shift - 7)
        tz = "Z" if shift == 0 else f"{'+' if shift > 0 else '-'}{abs(shift):02d}00"
        return other.strftime("%Y-%m-%dT%H:%M:%S") + tz
    if choice == 4:
        return moment.strftime("%Y-%m-%d %H:%M:%S") + ".5"
    if choice == 5:
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + ".1234567+07"
    return moment.strftime("%Y-%m-%d %H:%M:%S+07:00")


BAD_VALUES = {
    "tiep_nhan_luc": [
        "2026-02-30 08:00",
        "2026-01-05",
        "2026-01-05 24:00:00",
        "1975-12-31 23:00",
        "2026-01-5  8:00:00",
        "05/01/2026 08:00",
        "2101-01-01 00:00",
        "0000-01-01 00:00",
    ],
    "han_tra": ["", "2026-13-01 00:00", "2026-01-05 08:00:0 "],
    "kenh": ["", "TRUC_TUYEN", "online"],
    "ket_qua": ["ok", "Chap_thuan"],
    "so_lan_bo_sung": ["", "-1", "1.5", "1234567890", "+1", "９", "٣"],
    "tam_dung_gio": [
        "",
        "-1",
        "1e3",
        "1234567",
        "abc",
        "1,5",
        "999999.9999999995",
        "999999.9999999994",
        ".",
        "０",
    ],
    "ket_thuc_luc": [
        "2026-01-05T08:00:00+07:00:00",
        "2026-01-05 08:00:00 +07:00",
        "2026-01-05 08:00:60",
        "2026-01-05T08:00Z",
    ],
    "tra_kq_luc": [
        "2026-01-05 08:00:00.1234567890",
        "2026-01-05T08:00:00.+07:00",
        "2100-12-31T23:59:59-05:00",
    ],
    "xin_loi": ["", "2", "true"],
    "danh_gia": ["hai long", "5"],
    "ma_don_vi": ["", "X9", "w1"],
    "ma_ho_so": [""],
}


def random_rows(seed: int, count: int, units: list[str]) -> list[dict]:
    rng = random.Random(seed)
    base = 1767571200 * 10**6 + 7 * 3600 * 10**6  # around 2026-01-05 local, in local µs
    rows = []
    for i in range(count):
        receipt = (
            base
            + rng.randrange(-40, 400) * 86_400 * 10**6
            + rng.randrange(0, 86_400) * 10**6
            + rng.choice([0, 0, 0, rng.randrange(10**6)])
        )
        due = receipt + rng.randrange(0, 20) * 86_400 * 10**6 + rng.randrange(-3600, 7200) * 10**6
        due = max(due, receipt)
        weird = rng.random() < 0.3
        r = row(
            f"H{i}" if rng.random() > 0.01 else f"H{rng.randrange(max(1, i))}",
            rng.choice(units),
            _fmt(rng, receipt, weird=weird),
            _fmt(rng, due, weird=weird),
            kenh=rng.choice(["truc_tiep", "truc_tuyen", "buu_chinh", " truc_tuyen"]),
            so_lan_bo_sung=rng.choice(["0", "0", "1", "2", "3", " 1"]),
            tam_dung_gio=rng.choice(
                ["0", "0", "1.5", "24", "0.25", "100.123456789", ".5", "5.", "0.0000000005", "12.34567890123"]
            ),
        )
        for flag in (
            "co_nghia_vu_tai_chinh",
            "thanh_toan_truc_tuyen",
            "ket_qua_dien_tu",
            "so_hoa",
            "tai_su_dung",
            "xin_loi",
        ):
            r[flag] = rng.choice(["0", "1"])
        if rng.random() < 0.8:  # finished
            end = receipt + rng.randrange(0, 30 * 86_400) * 10**6 + rng.choice([0, rng.randrange(10**6)])
            r["ket_thuc_luc"] = _fmt(rng, end, weird=weird)
            r["ket_qua"] = rng.choice(["chap_thuan", "chap_thuan", "tu_choi", "dung", "rut"])
            if rng.random() < 0.5:
                r["tra_kq_luc"] = _fmt(rng, end + rng.randrange(0, 3 * 86_400) * 10**6, weird=False)
            r["danh_gia"] = rng.choice(["", "", "rat_hai_long", "hai_long", "binh_thuong", "khong_hai_long"])
        if rng.random() < 0.1:
            r["han_tra_moi"] = _fmt(rng, due + rng.randrange(1, 10) * 86_400 * 10**6, weird=False)
        if rng.random() < 0.06:  # break one rule
            column = rng.choice(sorted(BAD_VALUES))
            r[column] = rng.choice(BAD_VALUES[column])
        if rng.random() < 0.01 and r["ket_thuc_luc"]:
            r["tra_kq_luc"] = "2000-01-01 00:00"  # returned before the end
        rows.append(r)
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_duckdb_matches_reference_on_random_rows(tmp_path, seed):
    orgs = ORGS + "XÃ1,Xã có dấu,P75.STP\n"
    units = ["P75", "P75.STP", "W1", "W2", "XÃ1"]
    rows = random_rows(seed, 3000, units)
    # an NFD spelling of a unit code must match the NFC one
    rows[0]["ma_don_vi"] = "XA\u03031"
    org_path, path = write(tmp_path, rows, orgs=orgs)
    periods = parse_calendar_periods(
        ["2026", "2026-Q1", "2026-Q2", "2026-H2", "2026-9M", "2026-01", "2025-12", "2027"]
    )
    result = compute_file(org_path, path, periods)
    tree = read_orgs(org_path)
    items = list(iter_dossiers(path, tree))
    valid = [r for r in items if not isinstance(r, BadRow)]
    bad = [(b.line, b.reason) for b in items if isinstance(b, BadRow)]
    assert 50 < len(bad) < 400
    assert [(b.line, b.reason) for b in result.bad] == bad
    assert result.valid == len(valid)
    expected = d.reference_rows(tree, valid, periods)
    assert [r.as_csv() for r in result.rows] == [r.as_csv() for r in expected]
    assert any(r.code == "dung_han" and r.value not in (None, Decimal(0), Decimal(100)) for r in result.rows)


def test_line_numbers_with_quoted_line_breaks_and_blank_lines(tmp_path):
    org_path, path = write(tmp_path, [])
    lines = [",".join(DOSSIER_COLUMNS)]
    good = row("g1", "W1", "2026-01-05 08:00", "2026-01-06 08:00", ma_tthc="1.001193\nghi chú")
    bad = row("b1", "X9", "2026-01-05 08:00", "2026-01-06 08:00")
    short = "b2,1.001193,W1"

    def as_line(r):
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow([r[c] for c in DOSSIER_COLUMNS])
        return buf.getvalue()[:-1]

    lines += [
        as_line(good),
        "",
        as_line(bad),
        short,
        as_line(row("g2", "W2", "2026-01-05 08:00", "2026-01-06 08:00")),
        as_line(bad).replace("b1", "b3"),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # lines: 1 header, 2–3 g1 (quoted line break), 4 blank, 5 b1, 6 short, 7 g2, 8 b3
    result = compute_file(org_path, path, parse_calendar_periods(["2026"]))
    assert [b.line for b in result.bad] == [5, 6, 8]
    assert [b.line for b in iter_dossiers(path, read_orgs(org_path)) if isinstance(b, BadRow)] == [5, 6, 8]
    assert result.valid == 2


def test_bom_and_crlf_line_ends(tmp_path, case):
    org_path, path = case
    _, reference = compute(org_path, path, "2026-Q1")
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    result, table = compute(org_path, crlf, "2026-Q1")
    assert table == reference and not result.bad
    bad = tmp_path / "crlf-bad.csv"
    lines = crlf.read_bytes().split(b"\r\n")
    lines.insert(3, lines[1].replace(b",W1,", b",X9,").replace(b"A,", b"Z,", 1))
    bad.write_bytes(b"\r\n".join(lines))
    result, _ = compute(org_path, bad, "2026-Q1")
    python = [(b.line, b.reason) for b in iter_dossiers(bad, read_orgs(org_path)) if isinstance(b, BadRow)]
    assert (
        [(b.line, b.reason) for b in result.bad]
        == python
        == [(4, "ma_don_vi: đơn vị «X9» không có trong orgs.csv")]
    )


def test_out_may_not_overwrite_an_input(tmp_path):
    """Issue 17: `--out` equal to `--dossiers` overwrote the input."""
    org_path, path = write(tmp_path, [row("a", "W1", "2026-01-05 08:00", "2026-01-06 08:00")])
    before = path.read_bytes()
    for target in (path, org_path):
        proc = run_module(
            tmp_path,
            "--orgs",
            str(org_path),
            "--dossiers",
            str(path),
            "--period",
            "2026",
            "--out",
            str(target),
        )
        assert proc.returncode == 2 and "--out" in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert path.read_bytes() == before


def test_rows_the_reader_rejects_and_rows_that_break_rules_are_reported_by_line(tmp_path):
    """Issue 16: both kinds of bad rows in one file — rows DuckDB's reader rejects (its reject
    table: wrong number of fields, bytes that are not UTF-8) and rows that break the spec's rules
    (a value, a cross-column rule, a repeated code) — are reported with the line and the reason
    the Python reader gives, and the indicators are those of the valid rows only."""
    org_path, _ = write(tmp_path, [])

    def line(r) -> bytes:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow([r[c] for c in DOSSIER_COLUMNS])
        return buf.getvalue().encode()

    ok = row("g1", "W1", "2026-01-05 08:00", "2026-01-06 08:00", kenh="truc_tuyen")
    iso = row("g2", "W2", "2026-01-05T01:00:00Z", "2026-01-06T08:00:00+07:00", tam_dung_gio="1.5")
    late = row(
        "g3",
        "W2",
        "2026-02-01 08:00:00",
        "2026-02-02 08:00:00",
        ket_thuc_luc="2026-02-03 08:00",
        ket_qua="tu_choi",
    )
    data = b"".join(
        [
            ",".join(DOSSIER_COLUMNS).encode() + b"\n",
            line(ok),  # 2
            line(row("b1", "W1", "2026-01-05 08:00", "2026-01-06 08:00")).replace(b"\n", b",extra\n"),  # 3
            line(row("b2", "W1", "2026-01-05 08:00", "2026-01-06 08:00")).replace(b"b2", b"b\xff2"),  # 4
            line(row("b3", "W1", "2026-01-05 08:00", "2026-01-06 08:00", xin_loi="2")),  # 5
            line(iso),  # 6
            b"b4,1.001193,W1\n",  # 7: too few fields
            line(row("g1", "W2", "2026-01-07 08:00", "2026-01-08 08:00")),  # 8: repeats line 2
            line(row("b5", "W1", "2026-01-05 08:00", "2026-01-04 08:00")),  # 9: due before receipt
            line(late),  # 10
            line(row("b6", "W1", "2026-01-05 8:00", "2026-01-06 08:00")),  # 11: one-digit hour
        ]
    )
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    periods = parse_calendar_periods(["2026-Q1", "2026-01", "2026"])
    result = compute_file(org_path, path, periods)
    python = [(b.line, b.reason) for b in iter_dossiers(path, read_orgs(org_path)) if isinstance(b, BadRow)]
    assert [(b.line, b.reason) for b in result.bad] == python
    assert [b.line for b in result.bad] == [3, 4, 5, 7, 8, 9, 11]
    reasons = {b.line: b.reason for b in result.bad}
    assert reasons[3] == reasons[7] == "số trường không khớp với dòng tiêu đề"
    assert reasons[4] == "dòng không phải văn bản UTF-8"
    assert reasons[8] == "ma_ho_so: mã hồ sơ «g1» trùng với dòng 2"
    assert reasons[11].startswith("tiep_nhan_luc: ngày giờ «2026-01-05 8:00» không hợp lệ")
    assert (result.valid, result.records) == (3, 10)
    tree = read_orgs(org_path)
    valid = [r for r in iter_dossiers(path, tree) if not isinstance(r, BadRow)]
    assert [r.ma_ho_so for r in valid] == ["g1", "g2", "g3"]
    expected = d.reference_rows(tree, valid, periods)
    assert [r.as_csv() for r in result.rows] == [r.as_csv() for r in expected]
