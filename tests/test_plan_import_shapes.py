"""The shapes of plan documents agencies receive, in the forms they arrive in.

The documents are the tests' own (tests/fixtures/plans/shape_docs.py); the real samples are
scored by bench/plan_import_eval.py. Pure Python: no database.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from cchc.core.documents.pdf import soffice_path
from cchc.plans.importer import parse_plan_bytes
from cchc.plans.importer.evaluate import evaluate
from cchc.plans.importer.extract import extract
from cchc.plans.importer.review import review_plan_bytes
from cchc.plans.importer.targets import targets_in
from cchc.plans.importer.vocab import join_lines, join_pair

FIXTURES = Path(__file__).parent / "fixtures" / "plans"
sys.path.insert(0, str(FIXTURES))

import shape_docs as sd  # noqa: E402


def _core(tasks: list[dict]) -> list[dict]:
    return [{"content": t["content"], "lead": t["lead"], "deadline": t["deadline"]} for t in tasks]


@pytest.mark.parametrize("name", ["ke-hoach.md", "ke-hoach.txt"])
def test_website_text_around_a_decision(name):
    """Cells between "|" lines, the site's furniture, the decision's articles before the plan."""
    found = parse_plan_bytes(sd.web_text().encode("utf-8"), name)
    assert _core(found["tasks"]) == sd.schedule_tasks()
    assert [t["stt"] for t in found["tasks"]] == ["1", "2", "", "1", "2"]
    assert [t["group"] for t in found["tasks"]][2:4] == ["I Số hóa hồ sơ lưu trữ", "II Khai thác dữ liệu số"]
    assert found["tasks"][0]["output"] == "Báo cáo khảo sát"  # the product column after the deadline
    # the sub-row shares the product the row above spans down; its own lead is kept
    assert found["tasks"][2]["output"] == "Cơ sở dữ liệu hồ sơ số"
    text = " ".join(str(v) for t in found["tasks"] for v in t.values())
    assert "Đăng nhập" not in text and "Tài khoản" not in text and "Điều 2" not in text


def test_website_text_pasted_into_word_one_paragraph_per_line():
    """The same website text pasted into Word: one paragraph per line, its "|" lines included,
    blank lines as empty paragraphs, bold lines as bold runs — read as the text is."""
    from_text = parse_plan_bytes(sd.web_text().encode("utf-8"), "ke-hoach.txt")
    from_docx = parse_plan_bytes(sd.paragraphs_of_text(sd.web_text()), "ke-hoach.docx")
    assert _core(from_docx["tasks"]) == _core(from_text["tasks"]) == sd.schedule_tasks()
    assert [t["group"] for t in from_docx["tasks"]] == [t["group"] for t in from_text["tasks"]]


def test_same_plan_as_docx_table():
    found = parse_plan_bytes(sd.table_docx(), "ke-hoach.docx")
    assert _core(found["tasks"]) == sd.schedule_tasks()


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice is needed to print the DOCX to PDF")
def test_same_plan_as_pdf_printed_from_the_docx():
    from cchc.core.documents.pdf import docx_to_pdf

    found = parse_plan_bytes(docx_to_pdf(sd.table_docx()), "ke-hoach.pdf")
    assert _core(found["tasks"]) == sd.schedule_tasks()


def _scores(found: dict, name: str) -> tuple[int, int, int, int]:
    want = json.loads((FIXTURES / name).with_suffix(".expected.json").read_text(encoding="utf-8"))
    scores = evaluate(found, want)
    return scores["tasks"].matched, scores["tasks"].found, scores["targets"].matched, scores["targets"].found


def test_fixture_plan_reads_the_same_from_a_docx_table_and_its_pdf():
    """A real plan's text (Markdown with its appendix table) written as DOCX with a Word table,
    and that DOCX printed to PDF: the same tasks and targets are found in each."""
    name = "sxd-dongnai-2022.md"
    data = (FIXTURES / name).read_bytes()
    docx = sd.docx_from_blocks(extract(data, name).blocks)
    from_md = _scores(parse_plan_bytes(data, name), name)
    assert from_md[0] == 55
    assert _scores(parse_plan_bytes(docx, "ke-hoach.docx"), name) == from_md
    if soffice_path() is not None:
        from cchc.core.documents.pdf import docx_to_pdf

        # a seven-column table printed in portrait: narrow cells, rows broken over pages, and the
        # header the text repeated now in the middle of a page's part of the table
        assert _scores(parse_plan_bytes(docx_to_pdf(docx), "ke-hoach.pdf"), name) == from_md


def test_docx_of_pasted_printed_lines_reads_like_the_text():
    """Text extracted from a PDF pasted into Word: one paragraph per printed line."""
    text = (FIXTURES / "ubnd-binhphuoc-2023.txt").read_text(encoding="utf-8")
    from_text = parse_plan_bytes(text.encode("utf-8"), "ke-hoach.txt")
    from_docx = parse_plan_bytes(sd.paragraph_docx(text), "ke-hoach.docx")
    assert len(from_text["tasks"]) == 41
    assert [t["content"] for t in from_docx["tasks"]] == [t["content"] for t in from_text["tasks"]]
    assert [t["lead"] for t in from_docx["tasks"]] == [t["lead"] for t in from_text["tasks"]]


def test_text_one_cell_per_line_with_the_header_one_label_per_line():
    rows = [r for r in sd.SCHEDULE if r[0] in ("I", "1", "2")][:3]  # group I: two numbered rows
    found = parse_plan_bytes(sd.plain_text(rows).encode("utf-8"), "ke-hoach.txt")
    assert _core(found["tasks"]) == [t for t in sd.schedule_tasks() if t["content"] in {r[1] for r in rows}]
    assert [t["output"] for t in found["tasks"]] == ["Báo cáo khảo sát", "Cơ sở dữ liệu hồ sơ số"]


def test_directive_assigns_tasks_agency_by_agency():
    found = parse_plan_bytes(sd.DIRECTIVE.encode("utf-8"), "chi-thi.txt")
    tasks = found["tasks"]
    assert len(tasks) == len(sd.DIRECTIVE_TASKS)  # "II. TỔ CHỨC THỰC HIỆN" organises: no task
    for task, (content, lead) in zip(tasks, sd.DIRECTIVE_TASKS, strict=True):
        assert task["content"].startswith(content)
        assert task["lead"][0].startswith(lead)
    assert [t["stt"] for t in tasks] == ["a", "b", "2", "3", "a", "b"]
    assert tasks[0]["group"] == "1. Sở Nông nghiệp và Môi trường"
    assert tasks[2]["content"] == "thẩm định các văn bản hướng dẫn về đất đai bảo đảm đúng thời hạn."


def test_telegram_assigns_by_sentence_by_giao_and_by_bullet():
    tasks = parse_plan_bytes(sd.TELEGRAM.encode("utf-8"), "cong-dien.txt")["tasks"]
    assert [(t["stt"], t["lead"]) for t in tasks] == [(stt, [lead]) for stt, _, lead in sd.TELEGRAM_TASKS]
    for task, (_, content, _) in zip(tasks, sd.TELEGRAM_TASKS, strict=True):
        assert task["content"].startswith(content)
    assert tasks[2]["group"] == "3. Các sở, ngành theo chức năng được giao:"


def test_indicator_table_gives_a_task_and_a_target_per_row():
    found = parse_plan_bytes(sd.indicators_docx(), "chi-tieu.docx")
    assert [(t["content"], t["lead"], t["target"]) for t in found["tasks"]] == [
        (row[1], [row[4]], row[3]) for row in sd.INDICATORS[2:]
    ]
    assert [(g["text"], g["value"], g["unit"], g["comparator"]) for g in found["targets"]] == [
        (row[1], int(row[3].rstrip("%")), "%", "=") for row in sd.INDICATORS[2:]
    ]


def test_a_structure_it_does_not_know_gives_no_task():
    """A table whose header names no task columns and prose with no agency: nothing invented."""
    text = (
        "KẾ HOẠCH\nTổ chức hội nghị sơ kết\n\n"
        "| Số | Tên tài liệu | Số trang |\n| --- | --- | --- |\n| 1 | Báo cáo sơ kết | 12 |\n\n"
        "1. Cơ quan thực hiện\nBố trí hội trường và âm thanh.\n"
    )
    assert parse_plan_bytes(text.encode("utf-8"), "hoi-nghi.md")["tasks"] == []


def test_labelled_block_under_a_bulleted_product():
    text = (
        "II. NỘI DUNG\n\n5. Xây dựng văn bản hướng dẫn\n\n- Quy chế quản lý hồ sơ số.\n\n"
        "+ Nội dung: quy định việc lập, lưu và khai thác hồ sơ số.\n\n"
        "+ Cơ quan chủ trì: Sở Nội vụ.\n\n+ Thời hạn: Quý III/2026.\n"
    )
    tasks = parse_plan_bytes(text.encode("utf-8"), "ke-hoach.txt")["tasks"]
    assert [(t["content"], t["lead"], t["deadline"]) for t in tasks] == [
        (
            "Quy chế quản lý hồ sơ số. quy định việc lập, lưu và khai thác hồ sơ số",
            ["Sở Nội vụ"],
            "Quý III/2026",
        )
    ]


@pytest.mark.parametrize(
    "text, found",
    [
        ("Có ≥ 30% hợp tác xã ứng dụng công nghệ số.", [(30, ">=", "%")]),
        ("Việt Nam thuộc nhóm 50 nước dẫn đầu thế giới.", [(50, "<=", "nước dẫn đầu")]),
        ("100% xã đạt cấp độ 4 và 90% đạt cấp độ 5.", [(100, "=", "%"), (90, "=", "%")]),
        ("Tỷ lệ hồ sơ xử lý điện tử đạt: 100%", [(100, ">=", "%")]),
        ("Tỷ lệ trẻ em dưới 15 tuổi đạt khoảng 22%; giảm 50% số ca.", [(22, "=", "%"), (50, "=", "%")]),
        ("100% cơ quan sử dụng ít nhất 01 ứng dụng trợ lý ảo.", [(100, "=", "%")]),
        ("Mỗi xã tổ chức tối thiểu 02 cuộc/năm.", [(2, ">=", "cuộc/năm")]),
    ],
)
def test_comparators_and_what_a_number_counts(text, found):
    got = targets_in(text, section="", area=None, year=None, plan_year=None, period=None)
    assert [(g["value"], g["comparator"], g["unit"]) for g in got] == found


def test_join_lines_and_join_pair_agree():
    parts = ["Nghị định số 34/NĐ-", "CP ngày 15/12/20", "24 của", "  Chính   phủ  ", "", "về"]
    joined = ""
    for part in parts:
        joined = join_pair(joined, part)
    assert joined == join_lines(parts) == "Nghị định số 34/NĐ-CP ngày 15/12/2024 của Chính phủ về"
    assert join_lines(["một dòng"] * 50_000).count(" ") == 50_000 * 2 - 1


# --- review: where each task came from, how sure, what could not be read ------------------------


def test_review_locates_each_task_in_the_source_lines():
    text = sd.web_text()
    review = review_plan_bytes(text.encode("utf-8"), "ke-hoach.md")
    assert review["plan"] == parse_plan_bytes(text.encode("utf-8"), "ke-hoach.md")  # the contract
    lines = text.split("\n")
    for task, seen in zip(review["plan"]["tasks"], review["tasks"], strict=True):
        first, last = seen["lines"]
        assert first <= last
        assert lines[first - 1].replace("*", "") in task["content"]  # the line its words start on
        assert seen["confidence"] == 1.0 and seen["reasons"] == []
    assert review["warnings"] == []


def test_review_warns_about_a_table_it_cannot_read_and_orders_the_least_sure_first():
    text = (
        "KẾ HOẠCH\n\n| STT | Việc | Ai làm |\n| --- | --- | --- |\n"
        "| 1 | Chuẩn bị tài liệu hội nghị | Văn phòng Sở |\n| 2 | Gửi giấy mời | Phòng Tổ chức |\n\n"
        "Danh mục nhiệm vụ:\n\n| STT | Nội dung | Cơ quan chủ trì | Thời gian |\n| --- | --- | --- | --- |\n"
        "| 1 | Tổng hợp báo cáo quý của các phòng chuyên môn | Văn phòng Sở | Quý I/2026 |\n"
        "| 2 | Rà soát | Phòng Tổ chức | Quý II/2026 |\n"
    )
    review = review_plan_bytes(text.encode("utf-8"), "ke-hoach.md")
    assert [t["content"] for t in review["plan"]["tasks"]] == [
        "Tổng hợp báo cáo quý của các phòng chuyên môn",
        "Rà soát",
    ]
    assert [w["lines"] for w in review["warnings"]] == [[5, 6]]  # the first table's rows
    assert "dòng 5–6" in review["warnings"][0]["message"]
    assert review["order"] == [1, 0]  # "Rà soát" is too short to be sure of
    assert review["tasks"][1]["reasons"] == ["nội dung quá ngắn"]


def test_review_of_a_document_without_tasks_says_so():
    review = review_plan_bytes("KẾ HOẠCH\nTuyên truyền về cải cách hành chính.\n".encode(), "ke-hoach.txt")
    assert review["plan"]["tasks"] == [] and review["tasks"] == []
    assert len(review["warnings"]) == 1 and "Không tìm thấy nhiệm vụ" in review["warnings"][0]["message"]


def test_docx_bombs_are_refused_before_parsing():
    """A DOCX whose XML unpacks far beyond any plan, or with an absurd number of paragraphs, is
    refused with a message, without building the document tree."""
    import io
    import zipfile

    from cchc.plans.importer import docx as docx_reader
    from cchc.plans.importer.model import PlanImportError

    def docx_with(body: bytes) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", body)
        return buffer.getvalue()

    head = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    bomb = docx_with(head + b" " * (docx_reader.MAX_UNPACKED_BYTES + 1) + b"</w:body></w:document>")
    assert len(bomb) < 1024 * 1024  # small on the wire
    with pytest.raises(PlanImportError, match="giải nén"):
        docx_reader.read_docx(bomb)
    many = docx_with(head + b"<w:p/>" * (docx_reader.MAX_PARAGRAPHS + 1) + b"</w:body></w:document>")
    with pytest.raises(PlanImportError, match="đoạn văn"):
        docx_reader.read_docx(many)


def test_a_table_broken_over_pages_as_a_pdf_gives_it():
    """Each page's part of a printed table: a group title and a row broken by the page, the
    header repeated in the middle of a page, a numbered row whose words look like a header."""
    from cchc.plans.importer.model import Table
    from cchc.plans.importer.tables import parse_tables

    header = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
    pages = [
        Table([header, ["I", "Xây dựng cơ sở dữ liệu", "", "", ""]]),
        Table(
            [
                ["", "quốc gia về quy hoạch", "", "", ""],
                ["1", "Thu thập dữ liệu quy hoạch tỉnh", "Sở Tài chính", "Các sở", "Quý IV/2026"],
                ["2", "Tham", "Sở Tài", "Các sở,", "Hằng"],
            ]
        ),
        Table(
            [
                ["", "mưu báo cáo tình hình thực hiện", "chính", "ngành", "năm"],
                header,
                [
                    "3",
                    "Đề xuất điều chỉnh, bổ sung kết quả thời gian hoàn thành",
                    "Sở Tài chính",
                    "",
                    "Khi có phát sinh",
                ],
            ]
        ),
    ]
    found = parse_tables([(t, "PHỤ LỤC", k > 0) for k, t in enumerate(pages)], plan_year=2026, period=None)
    assert [(t["stt"], t["content"], t["lead"], t["deadline"]) for t in found.tasks] == [
        ("1", "Thu thập dữ liệu quy hoạch tỉnh", ["Sở Tài chính"], "Quý IV/2026"),
        ("2", "Tham mưu báo cáo tình hình thực hiện", ["Sở Tài chính"], "Hằng năm"),
        (
            "3",
            "Đề xuất điều chỉnh, bổ sung kết quả thời gian hoàn thành",
            ["Sở Tài chính"],
            "Khi có phát sinh",
        ),
    ]
    assert {t["group"] for t in found.tasks} == {"I Xây dựng cơ sở dữ liệu quốc gia về quy hoạch"}
