"""The dossier exchange format (docs/specs/dossier-exchange.md): orgs.csv and dossiers.csv readers and
writers, and the synthetic dossier generator (`cchc dossiers generate`)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from cchc.core.workingtime import TZ, DuePolicy, default_calendar
from cchc.dossiers.management.commands.dossiers_generate import Command as GenerateCommand
from cchc.exchange import (
    DOSSIER_COLUMNS,
    BadRow,
    DossierRow,
    ExchangeError,
    OrgTree,
    iter_dossiers,
    read_orgs,
    write_dossiers,
    write_orgs,
)
from cchc.exchange import formats as f
from cchc.exchange import generate as g

# --- orgs.csv -------------------------------------------------------------------------------------


def orgs_file(tmp_path: Path, text: str, name: str = "orgs.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_read_orgs_free_order_forward_parents_bom_unknown_columns(tmp_path):
    path = orgs_file(
        tmp_path,
        "\ufeffghi_chu,ma_don_vi_cha,ten_don_vi,ma_don_vi\n"
        "x,P75,Sở Tư pháp,P75.STP\n"  # parent defined later
        ",,Tỉnh Đồng Nai,P75\n"
        'y,P75.STP,"Phòng A, B",P75.STP.A\n'
        ",P75,Phu\u031bo\u031b\u0300ng Một,W1\n",  # NFD name
    )
    tree = read_orgs(path)
    assert isinstance(tree, OrgTree)
    assert tree.codes() == ["P75.STP", "P75", "P75.STP.A", "W1"]
    assert tree.roots == ["P75"]
    assert tree["P75.STP.A"].name == "Phòng A, B" and tree["P75.STP.A"].line == 4
    assert tree["W1"].name == "Phường Một"  # NFC
    assert tree.children("P75") == ["P75.STP", "W1"]
    assert tree.ancestors("P75.STP.A") == ["P75.STP", "P75"]
    assert tree.subtree("P75") == ["P75", "P75.STP", "P75.STP.A", "W1"]
    assert sorted(tree.closure()) == sorted(
        [
            ("P75.STP", "P75.STP"),
            ("P75.STP", "P75"),
            ("P75", "P75"),
            ("P75.STP.A", "P75.STP.A"),
            ("P75.STP.A", "P75.STP"),
            ("P75.STP.A", "P75"),
            ("W1", "W1"),
            ("W1", "P75"),
        ]
    )
    assert "W1" in tree and "W9" not in tree and len(tree) == 4


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("A,a,\nB,b,A\nA,a2,\n", 4, "trùng với dòng 2"),
        ("A,a,\nB,b,Z\n", 3, "đơn vị cha «Z» không có trong tệp"),
        ("A,a,B\nB,b,C\nC,c,A\nD,d,\n", 2, "vòng lặp trong cây đơn vị: A → B → C → A"),
        ("R,r,\nA,a,A\n", 3, "vòng lặp trong cây đơn vị: A → A"),
        ("A,a,\n,b,A\n", 3, "ma_don_vi: thiếu giá trị"),
        ("A,a,\nB,b\n", 3, "số trường không khớp"),
    ],
    ids=["duplicate", "unknown-parent", "cycle", "self-parent", "empty-code", "fields"],
)
def test_read_orgs_errors(tmp_path, body, line, words):
    path = orgs_file(tmp_path, "ma_don_vi,ten_don_vi,ma_don_vi_cha\n" + body)
    with pytest.raises(ExchangeError) as exc:
        read_orgs(path)
    assert exc.value.line == line
    assert words in exc.value.reason
    assert f"dòng {line}: " in str(exc.value)


def test_read_orgs_collects_every_error_earliest_first(tmp_path):
    path = orgs_file(tmp_path, "ma_don_vi,ten_don_vi,ma_don_vi_cha\nA,a,Q\nB,b,\nB,b,\n")
    with pytest.raises(ExchangeError) as exc:
        read_orgs(path)
    assert [line for line, _ in exc.value.errors] == [2, 4]


def test_read_orgs_file_problems(tmp_path):
    with pytest.raises(ExchangeError, match="thiếu cột ma_don_vi_cha"):
        read_orgs(orgs_file(tmp_path, "ma_don_vi,ten_don_vi\nA,a\n"))
    with pytest.raises(ExchangeError, match="không mở được"):
        read_orgs(tmp_path / "none.csv")
    (tmp_path / "latin.csv").write_bytes(
        "ma_don_vi,ten_don_vi,ma_don_vi_cha\nA,Ph\xf2ng,\n".encode("latin-1")
    )
    with pytest.raises(ExchangeError, match="UTF-8"):
        read_orgs(tmp_path / "latin.csv")


def test_write_orgs_round_trip(tmp_path):
    units = [("P75", "Tỉnh Đồng Nai", ""), ("P75.X", 'Ban "X", tỉnh', "P75")]
    assert write_orgs(tmp_path / "o.csv", units) == 2
    tree = read_orgs(tmp_path / "o.csv")
    assert [(u.code, u.name, u.parent or "") for u in tree] == units


# --- dossiers.csv ------------------------------------------------------------------------------------

TREE_TEXT = "ma_don_vi,ten_don_vi,ma_don_vi_cha\nP75,Tỉnh,\nW1,Phường Một,P75\nXÃ1,Xã có dấu,P75\n"


def base_row(**values) -> dict[str, str]:
    r = dict.fromkeys(DOSSIER_COLUMNS, "")
    r.update(
        ma_ho_so="H1",
        ma_tthc="1.001193",
        ma_don_vi="W1",
        kenh="truc_tuyen",
        tiep_nhan_luc="2026-01-05 08:00:00",
        han_tra="2026-01-06 08:00:00",
        so_lan_bo_sung="0",
        tam_dung_gio="0",
        co_nghia_vu_tai_chinh="0",
        thanh_toan_truc_tuyen="0",
        ket_qua_dien_tu="0",
        so_hoa="0",
        tai_su_dung="0",
        xin_loi="0",
    )
    r.update(values)
    return r


def dossiers_file(tmp_path: Path, rows, header=DOSSIER_COLUMNS) -> Path:
    path = tmp_path / "dossiers.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for r in rows:
            writer.writerow([r.get(c, "") for c in header])
    return path


@pytest.fixture
def tree(tmp_path):
    return read_orgs(orgs_file(tmp_path, TREE_TEXT))


def read_one(tmp_path, tree, **values):
    items = list(iter_dossiers(dossiers_file(tmp_path, [base_row(**values)]), tree))
    assert len(items) == 1
    return items[0]


def test_valid_row_is_typed(tmp_path, tree):
    item = read_one(
        tmp_path,
        tree,
        ket_thuc_luc="2026-01-05T09:30:00Z",
        ket_qua="chap_thuan",
        tra_kq_luc="2026-01-06 16:30",
        so_lan_bo_sung="1",
        tam_dung_gio="2.5",
        co_nghia_vu_tai_chinh="1",
        danh_gia="hai_long",
    )
    assert isinstance(item, DossierRow)
    assert item.line == 2
    assert item.tiep_nhan_luc == dt.datetime(2026, 1, 5, 8, 0, tzinfo=TZ)
    assert item.ket_thuc_luc == dt.datetime(2026, 1, 5, 16, 30, tzinfo=TZ)  # 09:30Z = 16:30 local
    assert item.tra_kq_luc == dt.datetime(2026, 1, 6, 16, 30, tzinfo=TZ)
    assert item.han_tra_moi is None and item.danh_gia == "hai_long"
    assert item.tam_dung_gio == Decimal("2.5") and item.so_lan_bo_sung == 1
    assert item.co_nghia_vu_tai_chinh is True and item.thanh_toan_truc_tuyen is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-05 08:00", dt.datetime(2026, 1, 5, 8, 0)),
        ("2026-01-05 08:00:07", dt.datetime(2026, 1, 5, 8, 0, 7)),
        ("2026-01-05T08:00:07", dt.datetime(2026, 1, 5, 8, 0, 7)),
        ("2026-01-05T08:00:07.25+07:00", dt.datetime(2026, 1, 5, 8, 0, 7, 250000)),
        ("2026-01-05T08:00:07.123456789+07:00", dt.datetime(2026, 1, 5, 8, 0, 7, 123456)),
        ("2026-01-05T01:00:00Z", dt.datetime(2026, 1, 5, 8, 0)),
        ("2026-01-04T20:00:00-05:00", dt.datetime(2026, 1, 5, 8, 0)),
        ("2026-01-05 10:00:00+0900", dt.datetime(2026, 1, 5, 8, 0)),
        ("2026-01-05T08:00+07", dt.datetime(2026, 1, 5, 8, 0)),
        (" 2026-01-05 08:00 ", dt.datetime(2026, 1, 5, 8, 0)),
    ],
)
def test_datetime_forms(text, expected):
    assert f.local_us_to_datetime(f.parse_local_us(text.strip(" \t"))) == expected.replace(tzinfo=TZ)


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("tiep_nhan_luc", "2026-02-30 08:00", "tiep_nhan_luc: ngày giờ «2026-02-30 08:00» không hợp lệ"),
        ("tiep_nhan_luc", "05/01/2026 08:00", "tiep_nhan_luc: ngày giờ «05/01/2026 08:00» không hợp lệ"),
        ("tiep_nhan_luc", "2026-01-05", "tiep_nhan_luc: ngày giờ «2026-01-05» không hợp lệ"),
        ("tiep_nhan_luc", "2026-01-05 24:00", "tiep_nhan_luc: ngày giờ «2026-01-05 24:00» không hợp lệ"),
        ("tiep_nhan_luc", "1975-06-01 08:00", "tiep_nhan_luc: năm ngoài khoảng 1976–2100"),
        ("han_tra", "", "han_tra: thiếu giá trị"),
        ("ma_don_vi", "X9", "ma_don_vi: đơn vị «X9» không có trong orgs.csv"),
        ("ma_don_vi", " ", "ma_don_vi: thiếu giá trị"),
        ("kenh", "online", "kenh: giá trị «online» không hợp lệ (chỉ nhận truc_tiep, truc_tuyen, buu_chinh)"),
        (
            "ket_qua",
            "ok",
            "ket_qua: giá trị «ok» không hợp lệ (chỉ nhận chap_thuan, tu_choi, dung, rut hoặc để trống)",
        ),
        ("danh_gia", "tot", "danh_gia: giá trị «tot» không hợp lệ"),
        ("so_lan_bo_sung", "-1", "so_lan_bo_sung: «-1» không phải số nguyên ≥ 0"),
        ("so_lan_bo_sung", "٣", "so_lan_bo_sung: «٣» không phải số nguyên ≥ 0"),  # only ASCII digits
        ("tam_dung_gio", "-0.5", "tam_dung_gio: «-0.5» không phải số thập phân ≥ 0"),
        ("tam_dung_gio", "1e3", "tam_dung_gio: «1e3» không phải số thập phân ≥ 0"),
        ("tam_dung_gio", "1234567", "tam_dung_gio: «1234567» không phải số thập phân ≥ 0"),
        ("xin_loi", "2", "xin_loi: «2» không hợp lệ (chỉ nhận 0 hoặc 1)"),
        ("so_hoa", "", "so_hoa: thiếu giá trị"),
        ("ma_ho_so", "", "ma_ho_so: thiếu giá trị"),
    ],
)
def test_bad_values(tmp_path, tree, column, value, reason):
    item = read_one(tmp_path, tree, **{column: value})
    assert isinstance(item, BadRow)
    assert item.line == 2
    assert item.reason.startswith(reason), item.reason
    assert str(item) == f"dòng 2: {item.reason}"


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"ket_thuc_luc": "2026-01-05 07:59", "ket_qua": "rut"}, "ket_thuc_luc trước tiep_nhan_luc"),
        ({"han_tra": "2026-01-04 08:00"}, "han_tra trước tiep_nhan_luc"),
        ({"han_tra_moi": "2026-01-06 08:00"}, "han_tra_moi không sau han_tra"),
        ({"tra_kq_luc": "2026-01-06 08:00"}, "có tra_kq_luc nhưng chưa có ket_thuc_luc"),
        (
            {"ket_thuc_luc": "2026-01-05 09:00", "ket_qua": "chap_thuan", "tra_kq_luc": "2026-01-05 08:30"},
            "tra_kq_luc trước ket_thuc_luc",
        ),
        ({"ket_qua": "chap_thuan"}, "có ket_qua nhưng chưa có ket_thuc_luc"),
        ({"ket_thuc_luc": "2026-01-05 09:00"}, "có ket_thuc_luc nhưng thiếu ket_qua"),
    ],
)
def test_cross_column_rules(tmp_path, tree, values, reason):
    item = read_one(tmp_path, tree, **values)
    assert isinstance(item, BadRow) and item.reason.startswith(reason)


def test_first_broken_rule_wins(tmp_path, tree):
    item = read_one(tmp_path, tree, kenh="x", so_hoa="9", ma_don_vi="X9")
    assert item.reason.startswith("ma_don_vi:")  # ma_don_vi comes before kenh and so_hoa


def test_spaces_around_values_and_nfc_codes(tmp_path, tree):
    item = read_one(
        tmp_path, tree, kenh=" buu_chinh\t", xin_loi=" 1", ma_don_vi="XA\u03031", ma_ho_so=" H 1 "
    )
    assert isinstance(item, DossierRow)
    assert (item.kenh, item.xin_loi, item.ma_don_vi, item.ma_ho_so) == ("buu_chinh", True, "XÃ1", "H 1")


def test_hours_rounding_beyond_nine_decimals(tmp_path, tree):
    assert read_one(tmp_path, tree, tam_dung_gio="0.1234567895").tam_dung_gio == Decimal("0.123456790")
    assert read_one(tmp_path, tree, tam_dung_gio=".5").tam_dung_gio == Decimal("0.5")
    assert read_one(tmp_path, tree, tam_dung_gio="7.").tam_dung_gio == Decimal("7")


def test_duplicates_blank_lines_line_numbers_and_structure(tmp_path, tree):
    path = tmp_path / "d.csv"
    lines = [",".join(DOSSIER_COLUMNS)]

    def line(r):
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow([r[c] for c in DOSSIER_COLUMNS])
        return buf.getvalue()[:-1]

    lines.append(line(base_row(ma_ho_so="A", ma_tthc="1.001193\nghi chú")))  # lines 2–3
    lines.append("")  # line 4
    lines.append(line(base_row(ma_ho_so="B", kenh="x")))  # line 5, bad: the code B stays free
    lines.append(line(base_row(ma_ho_so="B")))  # line 6, valid
    lines.append(line(base_row(ma_ho_so="A")))  # line 7, duplicate of line 2
    lines.append("C,1.001193,W1")  # line 8: too few fields
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(iter_dossiers(path, tree))
    assert [(type(i).__name__, i.line) for i in items] == [
        ("DossierRow", 2),
        ("BadRow", 5),
        ("DossierRow", 6),
        ("BadRow", 7),
        ("BadRow", 8),
    ]
    assert items[3].reason == "ma_ho_so: mã hồ sơ «A» trùng với dòng 2"
    assert items[4].reason == "số trường không khớp với dòng tiêu đề"
    assert items[0].ma_tthc == "1.001193\nghi chú"
    assert len(list(iter_dossiers(path, tree, check_duplicates=False))) == 5


def test_header_problems(tmp_path, tree):
    with pytest.raises(ExchangeError, match="thiếu cột danh_gia"):
        list(iter_dossiers(dossiers_file(tmp_path, [], header=DOSSIER_COLUMNS[:-1]), tree))
    with pytest.raises(ExchangeError, match="hai lần"):
        list(iter_dossiers(dossiers_file(tmp_path, [], header=(*DOSSIER_COLUMNS, "kenh")), tree))
    optional_absent = [c for c in DOSSIER_COLUMNS if c not in ("han_tra_moi", "tra_kq_luc")]
    items = list(iter_dossiers(dossiers_file(tmp_path, [base_row()], header=optional_absent), tree))
    assert isinstance(items[0], DossierRow)


def test_invalid_utf8_row_is_a_bad_row(tmp_path, tree):
    path = dossiers_file(tmp_path, [base_row(ma_ho_so="A"), base_row(ma_ho_so="B")])
    data = path.read_bytes().replace(b"\nB,", b"\nB\xff,")
    path.write_bytes(data)
    items = list(iter_dossiers(path, tree))
    assert isinstance(items[0], DossierRow) and isinstance(items[1], BadRow)
    assert items[1].reason == "dòng không phải văn bản UTF-8" and items[1].line == 3


def test_write_dossiers_round_trip(tmp_path, tree):
    source = dossiers_file(
        tmp_path,
        [
            base_row(
                ma_ho_so="A",
                ket_thuc_luc="2026-01-05T02:00:00Z",
                ket_qua="tu_choi",
                tam_dung_gio="1.25",
                danh_gia="binh_thuong",
            )
        ],
    )
    rows = list(iter_dossiers(source, tree))
    out = tmp_path / "out.csv"
    assert write_dossiers(out, rows) == 1
    text = out.read_text(encoding="utf-8").splitlines()
    assert text[0] == ",".join(DOSSIER_COLUMNS)
    assert "2026-01-05 09:00:00" in text[1] and ",1.25," in text[1]
    again = list(iter_dossiers(out, tree))
    assert again[0] == rows[0]


# --- the generator ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue():
    return g.procedure_catalogue()


@pytest.fixture(scope="module")
def province():
    return g.province_units("P75")


def generated(count, seed, province, catalogue, **kwargs) -> bytes:
    buf = io.StringIO()
    g.generate(buf, count=count, seed=seed, units=province, catalogue=catalogue, **kwargs)
    return buf.getvalue().encode("utf-8")


def test_province_tree_from_vietnam_provinces(province):
    codes = [c for c, _, _ in province]
    assert codes[0] == "P75" and province[0][1] == "Tỉnh Đồng Nai"
    assert sum(1 for c in codes if c.startswith("W")) == 95
    assert "P75.STP" in codes and "P75.TTPVHCC" in codes
    assert dict((c, p) for c, _, p in province)["P75.TTPVHCC"] == "P75.VP"
    assert len(set(codes)) == len(codes)
    with pytest.raises(ValueError):
        g.province_units("P99")


def test_same_seed_same_bytes_whatever_the_workers(province, catalogue):
    one = generated(120_000, 7, province, catalogue, jobs=1)
    two = generated(120_000, 7, province, catalogue, jobs=2)
    assert hashlib.sha256(one).digest() == hashlib.sha256(two).digest()
    assert generated(2_000, 8, province, catalogue, jobs=1) != generated(
        2_000, 7, province, catalogue, jobs=1
    )
    assert one.count(b"\n") == 120_001


def test_generated_lines_are_the_file(province, catalogue):
    """`generate_lines` (what `--database` imports) is the file `generate` writes, line by line."""
    lines = list(g.generate_lines(count=60_000, seed=7, units=province, catalogue=catalogue))
    assert "".join(lines).encode("utf-8") == generated(60_000, 7, province, catalogue, jobs=2)
    assert len(lines) == 60_001 and all(line.endswith("\n") for line in lines)
    with pytest.raises(ValueError):
        g.generate_lines(count=-1, seed=7, units=province, catalogue=catalogue)  # at once, not when read


def test_a_pool_of_pinned_procedures_only(catalogue):
    units = [("ROOT", "Gốc", ""), ("W00001", "Xã Một", "ROOT")]
    pinned = [p for p in catalogue if p.code in ("1.001193", "2.000635")]
    buf = io.StringIO()
    g.generate(buf, count=300, seed=1, units=units, catalogue=pinned, jobs=1)
    codes = Counter(r["ma_tthc"] for r in csv.DictReader(io.StringIO(buf.getvalue())))
    assert set(codes) == {"1.001193", "2.000635"} and codes["1.001193"] > codes["2.000635"]


def test_generated_rows_are_valid_and_distributed_as_documented(tmp_path, province, catalogue):
    orgs = tmp_path / "orgs.csv"
    write_orgs(orgs, province)
    tree = read_orgs(orgs)
    path = tmp_path / "d.csv"
    count = 60_000
    path.write_bytes(generated(count, 11, province, catalogue, jobs=1))
    rows = list(iter_dossiers(path, tree))
    bad = [r for r in rows if isinstance(r, BadRow)]
    assert bad == []
    assert len(rows) == count
    n = len(rows)
    channels = Counter(r.kenh for r in rows)
    assert 0.38 < channels["truc_tuyen"] / n < 0.52
    assert 0.43 < channels["truc_tiep"] / n < 0.57
    assert 0.03 < channels["buu_chinh"] / n < 0.08
    finished = [r for r in rows if r.ket_thuc_luc is not None]
    late = [
        r
        for r in finished
        if r.so_lan_bo_sung > 1 or r.ket_thuc_luc - dt.timedelta(hours=float(r.tam_dung_gio)) > r.han_tra
    ]
    assert 0.03 < len(late) / len(finished) < 0.08
    apologised = [r for r in late if r.xin_loi]
    assert 0.4 < len(apologised) / len(late) < 0.8
    assert all(r.han_tra_moi is None or r.han_tra_moi > r.han_tra for r in rows)
    paused = [r for r in rows if r.tam_dung_gio > 0]
    assert 0.07 < len(paused) / n < 0.12
    assert all(r.so_lan_bo_sung >= 1 for r in paused)
    assert 0.985 < len(finished) / n < 1.0  # open: stuck ones and late-December receipts
    results = Counter(r.ket_qua for r in finished)
    assert 0.9 < results["chap_thuan"] / len(finished) < 0.96
    fee = [r for r in rows if r.co_nghia_vu_tai_chinh]
    assert 0.1 < len(fee) / n < 0.45
    assert not any(r.thanh_toan_truc_tuyen and not r.co_nghia_vu_tai_chinh for r in rows)
    rated = [r for r in finished if r.danh_gia]
    assert 0.25 < len(rated) / len(finished) < 0.5
    # receipts: working hours of working days
    cal = default_calendar()
    assert all(cal.is_working_day(r.tiep_nhan_luc.date()) for r in rows)
    assert all(
        dt.time(7, 30) < r.tiep_nhan_luc.time() < dt.time(11, 30)
        or dt.time(13) <= r.tiep_nhan_luc.time() < dt.time(17)
        for r in rows
    )
    # about 9 % of the receipts arrive in December of the year before
    assert 0.04 < sum(r.tiep_nhan_luc.year == 2025 for r in rows) / n < 0.1
    # a few procedures carry most dossiers; codes come from the catalogue
    known = {p.code for p in catalogue}
    by_proc = Counter(r.ma_tthc for r in rows)
    assert set(by_proc) <= known
    assert sum(c for _, c in by_proc.most_common(10)) / n > 0.4
    assert by_proc.most_common(1)[0][0] == "1.001193"  # birth registration
    # communes carry about 70 % of the dossiers; late shares differ between units
    communes = sum(1 for r in rows if r.ma_don_vi.startswith("W"))
    assert 0.62 < communes / n < 0.78
    per_unit = Counter(r.ma_don_vi for r in late)
    totals = Counter(r.ma_don_vi for r in finished)
    rates = sorted(per_unit[u] / totals[u] for u in totals if totals[u] >= 300)
    assert rates[-1] - rates[0] > 0.03


def test_due_dates_come_from_the_working_time_policy(tmp_path, province, catalogue):
    orgs = tmp_path / "orgs.csv"
    write_orgs(orgs, province)
    tree = read_orgs(orgs)
    path = tmp_path / "d.csv"
    path.write_bytes(generated(3_000, 5, province, catalogue, jobs=1))
    state = g._State(province, 5, 2026, catalogue)
    days = {p.code: p.days for p in state.procs}
    policy = DuePolicy(default_calendar())
    rows = [r for r in iter_dossiers(path, tree) if isinstance(r, DossierRow)]
    for r in random.Random(1).sample(rows, 400):
        assert policy.due_date(r.tiep_nhan_luc, days[r.ma_tthc], "working_day").due == r.han_tra


def test_generator_with_a_given_tree(tmp_path, catalogue):
    units = [
        ("ROOT", "Gốc", ""),
        ("A", "Đơn vị A", "ROOT"),
        ("B, C", "Đơn vị có dấu phẩy", "ROOT"),
        ("W00001", "Xã Một", "ROOT"),
    ]
    buf = io.StringIO()
    stats = g.generate(buf, count=500, seed=1, units=units, catalogue=catalogue, jobs=1)
    assert stats.units == 3  # the leaves and the commune; the root handles nothing
    reader = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert {r["ma_don_vi"] for r in reader} == {"A", "B, C", "W00001"}
    assert len({r["ma_ho_so"] for r in reader}) == 500


def test_generate_command(tmp_path):
    out, orgs = tmp_path / "d.csv", tmp_path / "o.csv"
    call_command(
        GenerateCommand(), count=1000, seed="3", out=str(out), orgs_out=str(orgs), quiet=True, jobs=1
    )
    tree = read_orgs(orgs)
    assert len(tree) == 112
    rows = list(iter_dossiers(out, tree))
    assert len(rows) == 1000 and not any(isinstance(r, BadRow) for r in rows)
    again = tmp_path / "again.csv"
    call_command(GenerateCommand(), count=1000, seed="3", out=str(again), orgs=str(orgs), quiet=True, jobs=2)
    assert again.read_bytes() == out.read_bytes()
    with pytest.raises(SystemExit) as exc:
        call_command(GenerateCommand(), count=10, seed="3", province="P99", quiet=True)
    assert exc.value.code == 2
