"""`cchc report draft` (contract in docs/reports.md): the DOCX and XLSX it writes, and one line
in Vietnamese with exit status 2 for every bad input."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook

from cchc.reports.models import Report

from .test_reports import QUARTER, make_progress


@pytest.fixture
def progress(issued_plan, users, tree):
    return make_progress(issued_plan, users, tree)


def _run(*args):
    out = io.StringIO()
    call_command("report_draft", *args, stdout=out)
    return out.getvalue()


def test_writes_the_draft_and_its_annex(progress, tmp_path):
    out, annex = tmp_path / "bc.docx", tmp_path / "phu-luc.xlsx"
    args = [
        "--unit",
        "P75.STP",
        "--kind",
        "quy",
        "--year",
        str(QUARTER["year"]),
        "--number",
        str(QUARTER["number"]),
    ]
    said = _run(*args, "--out", str(out), "--annex", str(annex))
    assert "Đã ghi" in said
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Đã rà soát 120 văn bản." in text and "PHỤ LỤC SỐ LIỆU" in text
    sheet = load_workbook(annex).active
    assert [c.value for c in sheet[4]][:3] == ["STT", "Mã chỉ số", "Chỉ số"]
    assert not Report.objects.exists()  # a tool's draft is not saved


@pytest.mark.parametrize(
    "args, words",
    [
        (["--unit", "KHONG-CO", "--kind", "nam", "--year", "2026"], "không có đơn vị"),
        (["--unit", "P75.STP", "--kind", "tuan", "--year", "2026"], "loại báo cáo"),
        (["--unit", "P75.STP", "--kind", "quy", "--year", "2026"], "cần số quý"),
        (["--unit", "P75.STP", "--kind", "nam", "--year", "2026", "--number", "2"], "không có số tháng/quý"),
        (["--unit", "P75.STP", "--kind", "quy", "--year", "2026", "--number", "5"], "quý 5 không hợp lệ"),
        (["--unit", "P75.STP", "--kind", "thang", "--year", "2026", "--number", "13"], "tháng 13"),
        (["--unit", "P75.STP", "--kind", "nam", "--year", "26"], "--year"),
        (["--unit", "P75.STP", "--kind", "nam", "--year", "2001"], "chưa có số liệu"),
    ],
)
def test_bad_input_exits_2_with_one_line(tree, tmp_path, capsys, args, words):
    with pytest.raises(SystemExit) as exc:
        _run(*args, "--out", str(tmp_path / "bc.docx"))
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("cchc report draft: ") and words in err and err.count("\n") == 1
    assert not (tmp_path / "bc.docx").exists()


def test_out_equal_to_annex_and_missing_arguments(tree, tmp_path, capsys):
    same = str(tmp_path / "a.docx")
    for args in (
        ["--unit", "P75.STP", "--kind", "nam", "--year", "2026", "--out", same, "--annex", same],
        ["--unit", "P75.STP", "--kind", "nam", "--year", "2026"],
    ):
        with pytest.raises(SystemExit) as exc:
            _run(*args)
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("cchc report draft: ") and err.count("\n") == 1
    assert "trùng với --out" in _err_of(capsys, same)


def _err_of(capsys, same):
    with pytest.raises(SystemExit):
        _run("--unit", "P75.STP", "--kind", "nam", "--year", "2026", "--out", same, "--annex", same)
    return capsys.readouterr().err
