"""`cchc.core.tables.read_table`: the one reader of uploaded CSV/XLSX tables (surveys and the
CCHC index use it with their own options)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from cchc.core.tables import TableErrors, read_table


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_csv_rows_keep_their_lines_and_short_rows_are_padded():
    data = 'ma,ten\n1,"Một\ndòng hai"\n\n2\n'.encode()
    assert read_table(data, ("ma",)) == [
        (2, {"ma": "1", "ten": "Một\ndòng hai"}),
        (5, {"ma": "2", "ten": ""}),
    ]


def test_csv_errors_name_their_line():
    with pytest.raises(TableErrors) as caught:
        read_table(b"ma,ten\n1,a\n2,\xff\n", ("ma",))
    assert [(e.line, e.reason[:20]) for e in caught.value.errors] == [(3, "tệp không phải UTF-8")]
    with pytest.raises(TableErrors) as caught:
        read_table(b"ma\n1\n", ("ma", "ten"))
    assert caught.value.errors[0].reason == "thiếu cột: ten."
    wide = b"ma,ten\n1,a,x\n2,b\n3,c,y\n"
    with pytest.raises(TableErrors) as caught:
        read_table(wide, ("ma",))
    assert [e.line for e in caught.value.errors] == [2]  # the first stops the reading
    with pytest.raises(TableErrors) as caught:
        read_table(wide, ("ma",), every_error=True)
    assert [e.line for e in caught.value.errors] == [2, 4]  # every one listed


def test_limits():
    with pytest.raises(TableErrors) as caught:
        read_table(b"ma\n" + b"1\n" * 4, ("ma",), max_rows=3)
    assert caught.value.errors[0].reason == "quá 3 dòng."
    with pytest.raises(TableErrors) as caught:
        read_table(b"x" * (2 * 1024 * 1024 + 1), ("ma",), max_bytes=2 * 1024 * 1024)
    assert caught.value.errors[0].line == 0 and "tối đa 2 MB" in caught.value.errors[0].reason


def test_xlsx_header_under_a_title_and_numbers_as_text():
    data = xlsx([["Bộ chỉ số năm 2026"], [], ["MA", "ten", "diem"], ["1", "Lĩnh vực", 4.0], [None, None, None],
                 ["1.1", "Tiêu chí", 2.5]])  # fmt: skip
    assert read_table(data, ("ma", "diem")) == [
        (4, {"ma": "1", "ten": "Lĩnh vực", "diem": "4"}),
        (6, {"ma": "1.1", "ten": "Tiêu chí", "diem": "2.5"}),
    ]
    assert read_table(data, ("diem", "ma"), header_key="ma")[0][0] == 4
    with pytest.raises(TableErrors) as caught:
        read_table(xlsx([["khong", "co"]]), ("ma",))
    assert "không tìm thấy dòng tiêu đề" in caught.value.errors[0].reason
    with pytest.raises(TableErrors) as caught:
        read_table(b"PK\x03\x04broken", ("ma",))
    assert caught.value.errors[0].line == 0
