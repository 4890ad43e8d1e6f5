"""The arithmetic of the CCHC index against hand-computed expectations (docs/specs/par-index.md)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from cchc.evaluation import formulas
from cchc.evaluation.formulas import ParErrors, build_framework, check_scores, compute_results

COLUMNS = ("ma", "ten", "diem_toi_da", "phuong_phap", "ap_dung")


def fw(*rows: tuple[str, ...]) -> formulas.Framework:
    return build_framework([(i, dict(zip(COLUMNS, row, strict=True))) for i, row in enumerate(rows, start=2)])


def scores(frame: formulas.Framework, *rows: tuple[str, ...]) -> dict[str, formulas.UnitScores]:
    names = ("ma_don_vi", "nhom", "ma", "tu_cham", "tham_dinh")
    return check_scores(
        frame, [(i, dict(zip(names, row, strict=True))) for i, row in enumerate(rows, start=2)]
    )


FRAMEWORK = (
    ("1", "Chỉ đạo điều hành", "10", "", ""),
    ("1.1", "Kế hoạch CCHC", "6", "", ""),
    ("1.1.1", "Ban hành đúng hạn", "3", "tu_cham", ""),
    ("1.1.2", "Hoàn thành nhiệm vụ", "3", "du_lieu", ""),
    ("1.2", "Báo cáo định kỳ", "4", "tu_cham", ""),
    ("1.3", "Sáng kiến", "2", "diem_thuong", ""),
    ("2", "Cải cách TTHC", "", "", ""),
    ("2.1", "Công khai thủ tục", "5", "tu_cham", "so"),
    ("2.2", "Hài lòng", "3", "khao_sat", ""),
    ("2.3", "Để hồ sơ trễ hạn", "2", "diem_tru", "xa"),
    ("2.4", "Một cửa cấp xã", "4", "tu_cham", "xa"),
)


def by_unit(results):
    return {r.unit: r for r in results}


def test_points_index_areas_and_ranks_by_hand():
    frame = fw(*FRAMEWORK)
    assert frame.maximum("so") == D(18) and frame.maximum("xa") == D(17)
    got = by_unit(
        compute_results(
            frame,
            scores(
                frame,
                # S1: appraisal beats self-assessment; bonus counted in the area, deduction n/a
                ("S1", "so", "1.1.1", "3", "2.5"),
                ("S1", "so", "1.1.2", "", "3"),
                ("S1", "so", "1.2", "4", ""),
                ("S1", "so", "1.3", "2", "1"),
                ("S1", "so", "2.1", "5", "5"),
                # S2: no survey row → 0 for 2.2; same index as S3 → shared rank
                ("S2", "so", "1.1.1", "3", ""),
                ("S2", "so", "1.1.2", "3", ""),
                ("S2", "so", "1.2", "4", ""),
                ("S2", "so", "2.1", "4", ""),
                ("S3", "so", "1.1.1", "3", ""),
                ("S3", "so", "1.1.2", "3", ""),
                ("S3", "so", "1.2", "4", ""),
                ("S3", "so", "2.1", "4", ""),
                ("S4", "so", "1.1.1", "1", ""),
                # X1: deduction larger than the points: the total floors at 0, the area does not
                ("X1", "xa", "1.1.1", "1", ""),
                ("X1", "xa", "2.3", "", "2"),
                ("X2", "xa", "2.4", "4", "3.5"),
            ),
        )
    )
    s1 = got["S1"]
    assert (s1.points, s1.maximum, s1.index) == (D("15.5"), D(18), D("86.11"))
    assert [(a.code, a.points, a.maximum, a.rate) for a in s1.areas] == [
        ("1", D("10.5"), D(10), D("105.00")),
        ("2", D(5), D(8), D("62.50")),
    ]
    assert (got["S2"].points, got["S2"].index) == (D(14), D("77.78"))
    assert (got["S1"].rank, got["S2"].rank, got["S3"].rank, got["S4"].rank) == (1, 2, 2, 4)
    x1 = got["X1"]
    assert (x1.points, x1.maximum, x1.index) == (D(0), D(17), D("0.00"))
    assert x1.areas[1].points == D(-2) and x1.areas[1].maximum == D(7) and x1.areas[1].rate == D("-28.57")
    assert (got["X2"].index, got["X2"].rank, x1.rank) == (D("20.59"), 1, 2)


def test_rates_round_half_up():
    frame = fw(("1", "A", "", "", ""), ("1.1", "a", "8", "tu_cham", ""))
    # 100 × 0.01 / 8 = 0.125 → 0.13 (half-up, not banker's 0.12)
    (result,) = compute_results(frame, scores(frame, ("U", "so", "1.1", "0.01", "")))
    assert result.index == D("0.13")
    assert formulas.result_rows([result])[-1] == {
        "ma_don_vi": "U",
        "nhom": "so",
        "ma": "TONG",
        "diem": "0.01",
        "diem_toi_da": "8",
        "ty_le": "0.13",
        "xep_hang": "1",
    }


def test_an_area_a_group_does_not_have_has_an_empty_rate():
    frame = fw(*FRAMEWORK, ("3", "Xã", "", "", ""), ("3.1", "Riêng xã", "1", "tu_cham", "xa"))
    (result,) = compute_results(frame, scores(frame, ("S", "so", "1.2", "4", "")))
    area3 = result.areas[-1]
    assert (area3.points, area3.maximum, area3.rate) == (D(0), D(0), None)
    assert formulas.result_rows([result])[2]["ty_le"] == ""


def test_framework_errors_all_reported_with_lines():
    with pytest.raises(ParErrors) as caught:
        fw(
            ("1", "A", "10", "", ""),  # 2: 4 + 5 ≠ 10
            ("1.1", "B", "4", "tu_cham", ""),
            ("1.2", "C", "5", "tu_cham", ""),
            ("1.1", "trùng", "1", "tu_cham", ""),  # 5
            ("3.1", "mồ côi", "2", "tu_cham", ""),  # 6
            ("2", "D", "", "tu_cham", ""),  # 7: method on a parent
            ("2.1", "E", "0", "cham", "abc"),  # 8: three errors
            ("4", "F", "3", "tu_cham", ""),  # 9: an area with no criteria
        )
    lines = [e.line for e in caught.value.errors]
    assert lines == [2, 5, 6, 7, 8, 8, 8, 9]
    assert "khác tổng" in caught.value.errors[0].reason


def test_bonus_and_deduction_do_not_count_in_a_parents_maximum():
    frame = fw(
        ("1", "A", "5", "", ""),
        ("1.1", "a", "5", "tu_cham", ""),
        ("1.2", "thưởng", "1", "diem_thuong", ""),
        ("1.3", "trừ", "2", "diem_tru", ""),
    )
    assert frame.maximum() == D(5)


def test_score_errors():
    frame = fw(*FRAMEWORK)
    with pytest.raises(ParErrors) as caught:
        scores(
            frame,
            ("S1", "so", "1.1.1", "9", ""),  # 2: out of range
            ("S1", "xa", "1.2", "", ""),  # 3: group changes
            ("S1", "so", "9.9", "", ""),  # 4: unknown
            ("S1", "so", "1.1", "", ""),  # 5: a parent
            ("S1", "so", "2.3", "", ""),  # 6: communes only
            ("X1", "xa", "2.3", "abc", ""),  # 7: not a number
            ("X1", "xa", "2.3", "", "1"),  # 8: duplicate
            ("X1", "tinh", "2.3", "", "1"),  # 9: unknown group
            ("X1", "xa", "2.2", "-1", ""),  # 10: negative
        )
    assert [e.line for e in caught.value.errors] == [2, 3, 4, 5, 6, 7, 8, 9, 10]


def test_decimal_comma_and_format():
    assert formulas.parse_decimal("7,5") == D("7.5")
    assert formulas.parse_decimal(" ") is None
    with pytest.raises(ValueError):
        formulas.parse_decimal("1,000,5")
    assert [formulas.format_points(D(x)) for x in ("12.50", "100.00", "0.005", "-0.001", "7.125")] == [
        "12.5",
        "100",
        "0.01",
        "0",
        "7.13",
    ]


def test_classification_bands():
    bands = formulas.parse_bands(formulas.DEFAULT_BANDS)
    assert [label for _, label in bands] == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]
    got = [formulas.classify(D(x), bands) for x in ("100", "90.00", "89.99", "70", "50", "49.99", "0")]
    assert got == ["Xuất sắc", "Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu", "Yếu"]
    assert formulas.classify(None, bands) == ""
    assert formulas.parse_bands("85,5: Đạt; 0: Chưa đạt") == [(D("85.5"), "Đạt"), (D(0), "Chưa đạt")]
    for bad in ("90 Tốt; 0: Yếu", "90: Tốt", "120: Tốt; 0: Yếu", "50: A; 50: B; 0: C", ""):
        with pytest.raises(ValueError):
            formulas.parse_bands(bad)
