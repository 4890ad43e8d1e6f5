"""`cchc par compute`: the contract of docs/specs/par-index.md, through the installed command."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from cchc.evaluation import files

CCHC = Path(sys.executable).parent / "cchc"

FRAMEWORK = """ma,ten,diem_toi_da,phuong_phap,ap_dung
1,"Công tác chỉ đạo, điều hành",10,,
1.1,Kế hoạch,6,,
1.1.1,Ban hành kịp thời,3,tu_cham,
1.1.2,Hoàn thành nhiệm vụ,3,du_lieu,
1.2,Báo cáo,4,tu_cham,
1.3,Sáng kiến,2,diem_thuong,
2,Cải cách TTHC,8,,
2.1,Công khai,5,tu_cham,so
2.2,Một cửa,3,khao_sat,
2.3,Vi phạm,2,diem_tru,xa
"""

SCORES = """ma_don_vi,nhom,ma,tu_cham,tham_dinh
S1,so,1.1.1,3,2.5
S1,so,1.1.2,,3
S1,so,1.2,4,
S1,so,1.3,2,1
S1,so,2.1,5,5
S2,so,1.1.1,3,
S2,so,1.1.2,3,
S2,so,1.2,4,
S2,so,2.1,4,
S2,so,2.2,,3
X1,xa,1.1.1,1,
X1,xa,2.3,,2
"""

EXPECTED = """ma_don_vi,nhom,ma,diem,diem_toi_da,ty_le,xep_hang
S1,so,1,10.5,10,105,
S1,so,2,5,8,62.5,
S1,so,TONG,15.5,18,86.11,2
S2,so,1,10,10,100,
S2,so,2,7,8,87.5,
S2,so,TONG,17,18,94.44,1
X1,xa,1,1,10,10,
X1,xa,2,-2,3,-66.67,
X1,xa,TONG,0,13,0,1
"""


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["CCHC_DATA_DIR"] = str(tmp_path)
    return subprocess.run(
        [str(CCHC), "par", "compute", *args],
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


def test_results_by_hand_to_stdout_and_to_a_file(tmp_path):
    framework = write(tmp_path, "framework.csv", FRAMEWORK)
    scores = write(tmp_path, "scores.csv", SCORES)
    proc = run(tmp_path, "--framework", framework, "--scores", scores)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == EXPECTED
    out = tmp_path / "results.csv"
    proc = run(tmp_path, "--framework", framework, "--scores", scores, "--out", str(out))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert out.read_text(encoding="utf-8") == EXPECTED


def test_column_order_is_free_and_a_bom_is_read(tmp_path):
    rows = list(csv.reader(io.StringIO(SCORES)))
    shuffled = io.StringIO()
    writer = csv.writer(shuffled, lineterminator="\r\n")
    for row in rows:
        writer.writerow([row[4], row[2], row[0], row[3], row[1]])
    framework = tmp_path / "framework.csv"
    framework.write_bytes(b"\xef\xbb\xbf" + FRAMEWORK.encode())
    scores = write(tmp_path, "scores.csv", shuffled.getvalue())
    proc = run(tmp_path, "--framework", str(framework), "--scores", scores)
    assert (proc.returncode, proc.stdout) == (0, EXPECTED), proc.stderr


def test_every_error_with_file_and_line_and_nothing_written(tmp_path):
    framework = write(tmp_path, "framework.csv", FRAMEWORK)
    bad = SCORES + "S1,so,1.2,4.5,\nS9,so,7.7,1,\nS1,xa,1.2,,\n"
    scores = write(tmp_path, "scores.csv", bad)
    out = tmp_path / "results.csv"
    proc = run(tmp_path, "--framework", framework, "--scores", scores, "--out", str(out))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert not out.exists()
    lines = proc.stderr.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [f"{scores}:14", f"{scores}:15", f"{scores}:16"]


def test_a_bad_framework_is_reported_before_scores(tmp_path):
    framework = write(
        tmp_path, "framework.csv", FRAMEWORK.replace('1,"Công tác chỉ đạo, điều hành",10', "1,A,11")
    )
    scores = write(tmp_path, "scores.csv", SCORES)
    proc = run(tmp_path, "--framework", framework, "--scores", scores)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"{framework}:2: ")


def test_missing_column_missing_file_and_bad_arguments(tmp_path):
    framework = write(tmp_path, "framework.csv", FRAMEWORK.replace("ap_dung", "nhom_ap_dung"))
    proc = run(tmp_path, "--framework", framework, "--scores", write(tmp_path, "s.csv", SCORES))
    assert proc.returncode == 2 and proc.stderr.startswith(f"{framework}:1: ") and "ap_dung" in proc.stderr
    proc = run(tmp_path, "--framework", str(tmp_path / "none.csv"), "--scores", "x.csv")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    proc = run(tmp_path, "--framework", framework)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1


def test_the_xlsx_export_reads_back_as_the_same_framework(tmp_path):
    rows = [(line, row) for line, row in files.read_framework_rows(FRAMEWORK.encode())]
    data = files.framework_xlsx([row for _, row in rows], title="Bộ chỉ số thử")
    (tmp_path / "framework.xlsx").write_bytes(data)
    proc = run(
        tmp_path,
        "--framework",
        str(tmp_path / "framework.xlsx"),
        "--scores",
        write(tmp_path, "s.csv", SCORES),
    )
    assert (proc.returncode, proc.stdout) == (0, EXPECTED), proc.stderr


def test_out_may_not_overwrite_an_input(tmp_path):
    framework = write(tmp_path, "framework.csv", FRAMEWORK)
    scores = write(tmp_path, "scores.csv", SCORES)
    proc = run(tmp_path, "--framework", framework, "--scores", scores, "--out", scores)
    assert proc.returncode == 2 and "--out" in proc.stderr
    assert (tmp_path / "scores.csv").read_text(encoding="utf-8") == SCORES
