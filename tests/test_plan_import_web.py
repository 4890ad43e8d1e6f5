"""Upload → review → save in the web interface (the browser journey is in test_browser.py)."""

import io
import re
from pathlib import Path

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cchc.plans import importer
from cchc.plans.importer import review as review_module
from cchc.plans.importer.review import review_plan_bytes
from cchc.plans.models import Plan
from cchc.plans.views_import import SESSION_KEY

from .conftest import PASSWORD

FIXTURES = Path(__file__).parent / "fixtures" / "plans"


def _upload(client, tree, name="ubnd-binhphuoc-2023.txt", content=None):
    data = content if content is not None else (FIXTURES / name).read_bytes()
    return client.post(
        reverse("plans:import"), {"file": SimpleUploadedFile(name, data), "issuer": tree.province.pk}
    )


def _management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(total),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_upload_shows_the_review_and_saves_nothing_yet(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    response = _upload(client, tree)
    assert response.status_code == 302 and response["Location"] == reverse("plans:import_review")
    page = client.get(reverse("plans:import_review")).content.decode()
    assert "Đã nhận diện 19 chỉ tiêu và 41 nhiệm vụ" in page
    assert 'id="dong-1"' in page and "↔ dòng" in page  # the source text beside what was found
    assert "Chưa xác định được đơn vị" in page  # "Cơ quan được giao chủ trì…" is flagged for a person
    assert not Plan.objects.exists()


def test_review_saves_what_the_person_kept_and_corrected(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    _upload(client, tree)
    data = {
        "meta-title": "Kế hoạch CCHC năm 2023 (nhập lại)",
        "meta-number": "99/KH-UBND",
        "meta-issued_on": "05/01/2023",
        "meta-kind": "annual",
        "meta-from_year": "2023",
        "meta-to_year": "2023",
        **_management("target", 2),
        **_management("task", 2),
        "target-0-include": "on",
        "target-0-text": "Trên 95% hồ sơ được giải quyết đúng hạn.",
        "target-0-area": "thu_tuc_hanh_chinh",
        "target-0-comparator": ">",
        "target-0-value": "95",
        "target-0-unit": "%",
        "target-0-year": "2023",
        "target-1-text": "Bỏ chỉ tiêu này",
        "target-1-comparator": "=",
        "target-1-value": "1",  # not included
        "task-0-include": "on",
        "task-0-stt": "1",
        "task-0-area": "the_che",
        "task-0-content": "Rà soát văn bản QPPL.",
        "task-0-lead": "Sở Tư pháp",
        "task-0-coordinating": "Các sở, ban, ngành tỉnh",
        "task-0-deadline": "Quý I/2023",
        "task-1-include": "on",
        "task-1-stt": "2",
        "task-1-area": "",
        "task-1-content": "Thiếu lĩnh vực",
    }
    response = client.post(reverse("plans:import_review"), data)
    assert response.status_code == 200 and "Chọn lĩnh vực cải cách" in response.content.decode()
    assert not Plan.objects.exists()
    data["task-1-area"] = "cong_vu"
    data["task-1-lead"] = "Sở Nội vụ"
    response = client.post(reverse("plans:import_review"), data)
    plan = Plan.objects.get()
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert (plan.title, plan.number, plan.status, plan.issuer) == (
        "Kế hoạch CCHC năm 2023 (nhập lại)",
        "99/KH-UBND",
        "draft",
        tree.province,
    )
    assert plan.targets.count() == 1 and plan.tasks.count() == 2
    task = plan.tasks.get(number="1")
    assert task.final_due.isoformat() == "2023-03-31"
    assert list(task.units.filter(task_roles__role="lead").values_list("name", flat=True)) == ["Sở Tư pháp"]
    assert client.get(reverse("plans:import_review")).status_code == 302  # the pending import is gone


def test_bad_files_are_refused_with_a_reason(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    page = _upload(client, tree, name="bang.xls", content=b"\xd0\xcf\x11\xe0 old excel").content.decode()
    assert "không được hỗ trợ" in page
    page = _upload(client, tree, name="rong.txt", content=b"").content.decode()
    assert "errorlist" in page
    assert not Plan.objects.exists()


def test_a_text_too_large_is_refused_before_parsing(client, tree, users, monkeypatch):
    """A 20 MB text would hold the request for minutes (bench/parsers_linear.py): TXT/MD over
    2 MB are refused with the reason, before any parsing."""

    def no_parsing(*args, **kwargs):
        raise AssertionError("the file was parsed")

    from cchc.jobs.models import Job
    from cchc.plans import jobs as plan_jobs

    monkeypatch.setattr(plan_jobs, "review_with_text", no_parsing)  # the job reads the document
    client.login(username=users.coordinator.username, password=PASSWORD)
    text = (FIXTURES / "ubnd-binhphuoc-2023.txt").read_bytes()
    big = text * (2 * 1024 * 1024 // len(text) + 1)
    page = _upload(client, tree, name="ke-hoach.md", content=big).content.decode()
    assert f"Tệp văn bản {len(big) / 1048576:.1f}".replace(".", ",") + " MB, vượt quá giới hạn 2 MB" in page
    assert "Hãy tải lên bản DOCX hoặc PDF" in page
    assert not Plan.objects.exists() and not Job.objects.exists()


def test_only_coordinators_import(client, tree, users):
    client.login(username=users.officer.username, password=PASSWORD)
    assert client.get(reverse("plans:import")).status_code == 403
    assert client.get(reverse("plans:import_review")).status_code == 403


def test_cancel_forgets_the_document(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    _upload(client, tree)
    client.post(reverse("plans:import_cancel"))
    assert client.get(reverse("plans:import_review")).status_code == 302
    assert not Plan.objects.exists()


# --- the review screen: least sure first, warnings beside the text, one reading of the file -----


def _task_ids(page: str) -> list[int]:
    """The tasks' numbers (their place in the document) in the order the page shows them."""
    return [int(n) for n in re.findall(r'<div class="card review-item[^"]*" id="nv-(\d+)"', page)]


def _docx_plan() -> bytes:
    """A plan as an agency receives it: a table the importer cannot read (its header names no
    task column), then the appendix of tasks, one of them with no lead body and one too short."""
    document = docx.Document()
    document.add_paragraph("ỦY BAN NHÂN DÂN HUYỆN MẪU")
    document.add_paragraph("KẾ HOẠCH Cải cách hành chính năm 2026")
    document.add_paragraph("Phân công chuẩn bị hội nghị triển khai:")
    rows = [
        ("STT", "Việc", "Ai làm"),
        ("1", "Chuẩn bị tài liệu hội nghị", "Văn phòng Ủy ban"),
        ("2", "Gửi giấy mời các đại biểu", "Phòng Nội vụ"),
        ("3", "Bố trí hội trường và âm thanh", "Văn phòng Ủy ban"),
    ]
    _table(document, rows)
    document.add_paragraph("PHỤ LỤC: DANH MỤC NHIỆM VỤ")
    tasks = [
        ("STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"),
        ("1", "Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền", "Phòng Tư pháp", "Quý II/2026"),
        ("2", "Tuyên truyền cải cách hành chính trên hệ thống truyền thanh", "", "Quý III/2026"),
        ("3", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "Văn phòng HĐND và UBND", "Năm 2026"),
        ("4", "Kiểm tra", "Phòng Nội vụ", "Quý IV/2026"),
    ]
    _table(document, tasks)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document, rows):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def test_tasks_are_shown_least_sure_first_and_in_the_document_order_on_request(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    data = _docx_plan()
    expected = review_plan_bytes(data, "ke-hoach.docx")
    assert expected["order"] != sorted(expected["order"])  # the two orders differ in this document
    _upload(client, tree, name="ke-hoach.docx", content=data)
    url = reverse("plans:import_review")

    page = client.get(url).content.decode()
    assert _task_ids(page) == [i + 1 for i in expected["order"]]
    assert 'href="?thu_tu=van_ban"' in page
    least_sure = expected["tasks"][expected["order"][0]]
    assert least_sure["confidence"] < 0.7
    first_row = page[page.index(f'id="nv-{expected["order"][0] + 1}"') :]
    assert first_row.index("Cần kiểm tra") < first_row.index("Lý do:")
    assert "; ".join(least_sure["reasons"]) in first_row.split('</div>\n    <div class="card')[0]
    assert "conf-low" in page and "Chắc chắn" in page and "conf-high" in page

    page = client.get(url, {"thu_tu": "van_ban"}).content.decode()
    assert _task_ids(page) == list(range(1, len(expected["tasks"]) + 1))
    assert "Đang xếp theo thứ tự trong văn bản" in page and 'href="?"' in page
    # an unknown order is the default one, never an error
    assert _task_ids(client.get(url, {"thu_tu": "zz"}).content.decode()) == _task_ids(
        client.get(url).content.decode()
    )


def test_warnings_and_tasks_link_to_their_lines_in_the_text(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    data = _docx_plan()
    expected = review_plan_bytes(data, "ke-hoach.docx")
    _upload(client, tree, name="ke-hoach.docx", content=data)
    page = client.get(reverse("plans:import_review")).content.decode()

    [warning] = expected["warnings"]
    first, last = warning["lines"]
    assert warning["message"] in page
    assert f'<a href="#dong-{first}" class="jump">↔ dòng {first}–{last}</a>' in page  # the list
    for n in range(first, last + 1):  # the warned lines, highlighted in the text
        assert f'<li id="dong-{n}" class="warned">' in page
    assert f'<li id="dong-{first - 1}">' in page and f'<li id="dong-{last + 1}">' in page
    # the whole table, to its last row (whose body is also named in the first row)
    assert re.search(r'<li id="dong-\d+" class="warned"><span class="line-text">Bố trí hội trường', page)
    line = page[page.index(f'<li id="dong-{first}"') :]
    line = line[: line.index("</li>")]
    assert "Chuẩn bị tài liệu hội nghị" in line and "line-note" in line and "Cảnh báo 1" in line

    for index, found in enumerate(expected["tasks"]):
        a, _b = found["lines"]
        assert f'<a href="#dong-{a}" class="jump" title="Xem trong văn bản gốc">' in page
        assert f'<a class="line-task" href="#nv-{index + 1}"' in page
    # the text is the document's, numbered as the review counts: a task's first line holds its words
    task = expected["plan"]["tasks"][0]
    line = page[page.index(f'<li id="dong-{expected["tasks"][0]["lines"][0]}"') :]
    assert line[: line.index("</li>")].count(task["content"][:30]) == 1
    # the text panel follows the list in the page (below it on a phone)
    assert page.index('id="nhiem-vu"') < page.index('class="review-source"')


def test_a_document_with_nothing_readable_says_so_and_offers_no_save(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    text = "KẾ HOẠCH\nTuyên truyền về cải cách hành chính trong cán bộ, công chức.\n"
    _upload(client, tree, name="ke-hoach.txt", content=text.encode())
    page = client.get(reverse("plans:import_review")).content.decode()
    assert "Không đọc được nhiệm vụ hay chỉ tiêu nào" in page
    assert "Không tìm thấy nhiệm vụ nào theo các dạng đã biết" in page  # the importer's warning
    assert "Lưu thành dự thảo kế hoạch" not in page
    assert '<li id="dong-2"><span class="line-text">Tuyên truyền' in page  # the text is shown
    response = client.post(
        reverse("plans:import_review"),
        {
            "meta-title": "Kế hoạch rỗng",
            "meta-kind": "annual",
            "meta-from_year": "2026",
            "meta-to_year": "2026",
            **_management("target", 0),
            **_management("task", 0),
        },
    )
    assert response.status_code == 200
    assert "Không có nhiệm vụ hay chỉ tiêu nào để lưu" in response.content.decode()
    assert not Plan.objects.exists()


def test_the_upload_is_read_once(client, tree, users, monkeypatch):
    calls = {"extract": 0, "parse": 0}

    def counting(name, real):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(review_module, "extract", counting("extract", review_module.extract))
    monkeypatch.setattr(
        review_module, "parse_document_titled", counting("parse", review_module.parse_document_titled)
    )
    monkeypatch.setattr(importer, "extract", counting("extract", importer.extract))
    monkeypatch.setattr(importer, "parse_document", counting("parse", importer.parse_document))
    client.login(username=users.coordinator.username, password=PASSWORD)
    _upload(client, tree, name="ke-hoach.docx", content=_docx_plan())
    url = reverse("plans:import_review")
    client.get(url)
    client.get(url, {"thu_tu": "van_ban"})
    client.post(url, {**_management("target", 0), **_management("task", 0)})  # invalid: re-shown
    assert calls == {"extract": 1, "parse": 1}


def test_a_pending_import_stays_with_the_person_who_uploaded_it(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    _upload(client, tree, name="ke-hoach.docx", content=_docx_plan())
    state = client.session[SESSION_KEY]
    # only text and the structure: no file bytes, no path on the server
    assert set(state) == {"filename", "issuer_id", "parent_id", "lines", "structured", "review"}
    assert state["filename"] == "ke-hoach.docx" and all(isinstance(line, str) for line in state["lines"])
    page = client.get(reverse("plans:import_review")).content.decode()
    assert "/tmp" not in page and "Phòng Tư pháp" in page

    for other in (users.commune_coordinator, users.foreign_coordinator):
        browser = Client()
        browser.login(username=other.username, password=PASSWORD)
        response = browser.get(reverse("plans:import_review"), follow=True)
        body = response.content.decode()
        assert response.redirect_chain[0][1] == 302
        assert "Phòng Tư pháp" not in body and "ke-hoach.docx" not in body
    anonymous = Client().get(reverse("plans:import_review"))
    assert anonymous.status_code == 302 and "xem-lai" not in anonymous["Location"].split("?")[0]
