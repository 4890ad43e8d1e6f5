"""`cchc survey results`: the contract of docs/specs/survey-results.md, through the installed
command. The expected figures are worked out by hand in the comments, not by the code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CCHC = Path(sys.executable).parent / "cchc"

QUESTIONNAIRE = """ma_cau,yeu_to,loai,noi_dung
Q1,1,thang_5,Tiếp cận
Q2,1,thang_5,"Chỉ dẫn, sơ đồ"
Q3,2,thang_5,Thủ tục
Q4,3,thang_5,Công chức
C1,,lua_chon,Kênh nộp
T1,9,van_ban,Góp ý
"""

GOOD = """ma_phieu,ma_don_vi,ma_cau,gia_tri
P1,U2,Q1,5
P1,U2,Q2,4
P1,U2,Q3,3
P1,U2,Q4,
P1,U2,C1,Trực tiếp
P1,U2,T1,"Cán bộ nhiệt tình, chu đáo"
P2,U2,Q1,2
P2,U2,Q2,5
P2,U2,Q3,4
P3,U1,Q1,4
P3,U1,Q3,1
P4,U3,C1,Trực tuyến
P5,U4,Q1,5
P5,U4,Q3,4
P6,U4,Q1,5
P6,U4,Q3,1
P7,U4,Q1,1
P7,U4,Q3,1
P8,U4,Q3,1
P9,U4,Q3,1
P10,U4,Q3,1
P11,U4,Q3,1
P12,U4,Q3,1
"""

# U1: e1 [4] → 100.00, 4.00, margin 0.00 (p = 1); e2 [1] → 0.00, 1.00, 0.00; e3 none.
#     TONG: n 2, (100 + 0)/2 = 50.00, (4 + 1)/2 = 2.50.
# U2: e1 [5,4,2,5] → 3/4 = 75.00, 16/4 = 4.00, 196·√(3/64) = 42.435… → 42.44;
#     e2 [3,4] → 50.00, 3.50, 196·√(1/8) = 69.296… → 69.30; e3: Q4 not answered → empty.
#     TONG: n 6, (75 + 50)/2 = 62.50, (4 + 3.5)/2 = 3.75.
# U3: a response with no 1–5 answer: n 0 everywhere, all figures empty.
# U4: e1 [5,5,1] → 200/3 = 66.666… → 66.67, 11/3 → 3.67, 196·√(2/27) = 53.344… → 53.34;
#     e2 [4,1,1,1,1,1,1,1] → 12.50, 11/8 = 1.375 → 1.38 (half-up), 196·√(7/512) = 22.917… → 22.92.
#     TONG from unrounded values: (200/3 + 12.5)/2 = 39.583… → 39.58 (from rounded ones it would
#     be 39.585 → 39.59); (11/3 + 11/8)/2 = 121/48 = 2.5208… → 2.52 (rounded first: 2.53).
EXPECTED = """ma_don_vi,yeu_to,so_cau_tra_loi,ty_le_hai_long,diem_trung_binh,sai_so
U1,1,1,100.00,4.00,0.00
U1,2,1,0.00,1.00,0.00
U1,3,0,,,
U1,TONG,2,50.00,2.50,
U2,1,4,75.00,4.00,42.44
U2,2,2,50.00,3.50,69.30
U2,3,0,,,
U2,TONG,6,62.50,3.75,
U3,1,0,,,
U3,2,0,,,
U3,3,0,,,
U3,TONG,0,,,
U4,1,3,66.67,3.67,53.34
U4,2,8,12.50,1.38,22.92
U4,3,0,,,
U4,TONG,11,39.58,2.52,
"""

BAD_ROWS = """P2,U2,Q9,3
P2,U2,Q4,6
P2,U2,Q4,4.0
P1,U2,Q1,4
P3,U9,Q2,5
"""


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["CCHC_DATA_DIR"] = str(tmp_path)
    return subprocess.run(
        [str(CCHC), "survey", "results", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_figures_by_hand_to_stdout_and_to_a_file(tmp_path):
    questionnaire = write(tmp_path, "questionnaire.csv", QUESTIONNAIRE)
    responses = write(tmp_path, "responses.csv", GOOD)
    proc = run(tmp_path, "--questionnaire", questionnaire, "--responses", responses)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == EXPECTED

    out = tmp_path / "results.csv"
    proc = run(tmp_path, "--questionnaire", questionnaire, "--responses", responses, "--out", str(out))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert out.read_text(encoding="utf-8") == EXPECTED


def test_bad_rows_are_reported_with_their_line_and_left_out(tmp_path):
    questionnaire = write(tmp_path, "questionnaire.csv", QUESTIONNAIRE)
    responses = write(tmp_path, "responses.csv", GOOD + BAD_ROWS)
    proc = run(tmp_path, "--questionnaire", questionnaire, "--responses", responses)
    assert proc.returncode == 0
    assert proc.stdout == EXPECTED  # the bad rows counted for nothing
    lines = proc.stderr.splitlines()
    first = GOOD.count("\n") + 1  # the line of the first bad row
    assert [line.split(": ", 1)[0] for line in lines] == [f"{responses}:{first + i}" for i in range(5)]
    assert "Q9" in lines[0] and "không có trong bộ câu hỏi" in lines[0]
    assert "“6”" in lines[1] and "1 đến 5" in lines[1]
    assert "“4.0”" in lines[2]
    assert "P1" in lines[3] and "lần thứ hai" in lines[3]
    assert "U9" in lines[4] and "U1" in lines[4]


def test_strict_stops_at_the_first_bad_row_and_writes_nothing(tmp_path):
    questionnaire = write(tmp_path, "questionnaire.csv", QUESTIONNAIRE)
    responses = write(tmp_path, "responses.csv", GOOD + BAD_ROWS)
    out = tmp_path / "results.csv"
    proc = run(
        tmp_path, "--questionnaire", questionnaire, "--responses", responses, "--strict", "--out", str(out)
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [proc.stderr.splitlines()[0]]  # only the first bad row
    assert proc.stderr.startswith(f"{responses}:{GOOD.count(chr(10)) + 1}: ")
    assert not out.exists()
    # strict on a clean file is the ordinary result
    clean = write(tmp_path, "clean.csv", GOOD)
    proc = run(tmp_path, "--questionnaire", questionnaire, "--responses", clean, "--strict")
    assert (proc.returncode, proc.stdout) == (0, EXPECTED)


def test_no_responses_is_a_header_only(tmp_path):
    questionnaire = write(tmp_path, "questionnaire.csv", QUESTIONNAIRE)
    responses = write(tmp_path, "responses.csv", "ma_phieu,ma_don_vi,ma_cau,gia_tri\n")
    proc = run(tmp_path, "--questionnaire", questionnaire, "--responses", responses)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == EXPECTED.splitlines()[0] + "\n"


def test_quoted_fields_bom_and_column_order_are_free(tmp_path):
    questionnaire = write(
        tmp_path, "questionnaire.csv", "\ufeffloai,ma_cau,yeu_to\nthang_5,A,1\nthang_5,B,10\nthang_5,C,2\n"
    )
    responses = write(
        tmp_path, "responses.csv", 'gia_tri,ma_cau,ma_phieu,ma_don_vi\n"4",A,1,X\n5,B,1,X\n" 3 ",C,1,X\n'
    )
    proc = run(tmp_path, "--questionnaire", questionnaire, "--responses", responses)
    assert proc.returncode == 0, proc.stderr
    # elements in order of code, numerically: 1, 2, 10
    assert [line.split(",")[1] for line in proc.stdout.splitlines()[1:]] == ["1", "2", "10", "TONG"]


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    questionnaire = write(
        tmp_path, "questionnaire.csv", "ma_cau,yeu_to,loai\nQ1,1,thang_10\nQ1,1,thang_5\nQ1,1,thang_5\n"
    )
    responses = write(tmp_path, "responses.csv", GOOD)
    proc = run(tmp_path, "--questionnaire", questionnaire, "--responses", responses)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"{questionnaire}:2: loại câu hỏi “thang_10” không hợp lệ (dùng: thang_5, lua_chon, van_ban).",
        f"{questionnaire}:4: mã câu hỏi “Q1” trùng với dòng 3.",
    ]
    missing = write(tmp_path, "r.csv", "ma_phieu,ma_cau,gia_tri\n1,Q1,4\n")
    proc = run(tmp_path, "--questionnaire", write(tmp_path, "q.csv", QUESTIONNAIRE), "--responses", missing)
    assert (proc.returncode, proc.stderr) == (2, f"{missing}:1: thiếu cột: ma_don_vi.\n")
    proc = run(tmp_path, "--questionnaire", str(tmp_path / "none.csv"), "--responses", responses)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    proc = run(tmp_path, "--responses", responses)
    assert (
        proc.returncode == 2
        and proc.stderr.startswith("cchc survey results: ")
        and proc.stderr.count("\n") == 1
    )
    proc = run(tmp_path, "--questionnaire", questionnaire, "--responses", responses, "--out", responses)
    assert proc.returncode == 2 and "tệp đầu vào" in proc.stderr
