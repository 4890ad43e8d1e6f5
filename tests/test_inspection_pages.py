"""Inspection pages: a plan and an inspection through the pages (the forms post what the services
take; refusals come back as messages, nothing saved), the list pages in a fixed number of
queries, the conclusion notice as a DOCX python-docx reads back (and a PDF when LibreOffice is
installed), and bad parameters never a 500."""

from __future__ import annotations

import datetime as dt
import io
import shutil

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from cchc.inspections import services
from cchc.inspections.models import Finding, Inspection, InspectionPlan, Kind, Mode
from cchc.orgs.models import User

from .conftest import PASSWORD
from .inspections_support import YEAR, conduct, make_inspection, make_plan, pdf, team_user


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_plan_and_inspection_through_the_pages(client, tree, users):
    login(client, users.coordinator)
    page = client.get(reverse("inspections:index"))
    assert page.status_code == 200 and "Tạo kế hoạch kiểm tra năm" in page.content.decode()
    response = client.post(
        reverse("inspections:plan_create"),
        {
            "don_vi": tree.province.pk,
            "nam": YEAR,
            "title": "Kế hoạch kiểm tra CCHC năm 2025",
            "issued_on": "20/01/2025",
        },
        follow=True,
    )
    plan = InspectionPlan.objects.get()
    assert plan.issued_on == dt.date(2025, 1, 20) and "Đã tạo kế hoạch kiểm tra." in messages_of(response)
    stp = tree.agency("STP")
    url = reverse("inspections:plan_action", args=[plan.pk, "them-cuoc"])
    client.post(url, {"don_vi": stp.pk, "start_date": "12/05/2025", "kind": "ke_hoach", "mode": "truc_tuyen"})
    response = client.post(
        url, {"don_vi": stp.pk, "start_date": "13/05/2025", "kind": "ke_hoach"}, follow=True
    )
    assert any("đã có trong kế hoạch" in m for m in messages_of(response))
    response = client.post(url, {"don_vi": tree.other_commune.pk, "start_date": "13/05/2025"}, follow=True)
    assert any("không thuộc phạm vi kiểm tra" in m for m in messages_of(response))
    response = client.post(url, {"don_vi": stp.pk, "start_date": "31/02/2025"}, follow=True)
    assert any("ngày/tháng/năm" in m for m in messages_of(response))
    inspection = Inspection.objects.get()
    assert inspection.mode == Mode.ONLINE
    client.post(
        reverse("inspections:plan_action", args=[plan.pk, "them-noi-dung"]),
        {"area": "cong_vu", "content": "Kỷ luật, kỷ cương hành chính."},
    )
    assert plan.checklist.count() == 10
    page = client.get(reverse("inspections:plan", args=[plan.pk])).content.decode()
    assert "Sở Tư pháp" in page and "Kỷ luật, kỷ cương hành chính." in page

    secretary = team_user(tree)
    act = lambda action: reverse("inspections:inspection_action", args=[inspection.pk, action])  # noqa: E731
    client.post(act("doan"), {"truong_doan": users.coordinator.pk, "thu_ky": [secretary.pk]})
    assert inspection.team.count() == 2
    client.post(act("bat-dau"))
    results = list(inspection.results.order_by("position"))
    data = {"result": [r.pk for r in results]}
    for r in results:
        data[f"verdict-{r.pk}"] = "chua_dat" if r.position == 1 else "dat"
        data[f"note-{r.pk}"] = "Ghi chú" if r.position == 1 else ""
    client.post(act("ket-qua"), data)
    assert inspection.results.filter(verdict="").count() == 0
    client.post(act("tai-lieu"), {"result": results[0].pk, "files": [pdf()]})
    response = client.post(
        act("ton-tai"),
        {"result": results[0].pk, "content": "Báo cáo chậm.", "deadline": "khi nào xong", "owner": stp.pk},
        follow=True,
    )
    assert any("Không hiểu thời hạn" in m for m in messages_of(response))
    client.post(
        act("ton-tai"),
        {"result": results[0].pk, "content": "Báo cáo chậm.", "deadline": "Quý III/2025", "owner": stp.pk},
    )
    finding = Finding.objects.get()
    assert finding.due_date == dt.date(2025, 9, 30)
    client.post(
        act("ket-luan"), {"summary": "Thực hiện tốt.", "number": "25/TB-SNV", "concluded_on": "20/05/2025"}
    )
    inspection.refresh_from_db()
    assert inspection.state == Inspection.State.CONCLUDED

    # the inspected unit sees the conclusion and reports; the team closes
    client.logout()
    login(client, users.officer)
    page = client.get(reverse("inspections:inspection", args=[inspection.pk])).content.decode()
    assert "Thực hiện tốt." in page and "Báo cáo chậm." in page
    fa = lambda action: reverse("inspections:finding_action", args=[finding.pk, action])  # noqa: E731
    client.post(
        fa("bao-cao"), {"text": "Đã chấn chỉnh.", "reported_on": "10/09/2025", "files": [pdf("qd.pdf")]}
    )
    finding.refresh_from_db()
    assert finding.state == Finding.State.REPORTED
    assert client.post(fa("chap-nhan")).status_code == 403  # the unit does not verify itself
    client.logout()
    login(client, secretary)
    client.post(fa("chap-nhan"), {"comment": "Đạt."})
    finding.refresh_from_db()
    assert finding.state == Finding.State.CLOSED and finding.on_time


@pytest.fixture
def concluded(tree, users):
    plan = make_plan(tree, users)
    done = [
        conduct(users, make_inspection(tree, users, plan, unit, day=dt.date(YEAR, 5, 12 + n)))
        for n, unit in enumerate([tree.agency("STP"), tree.agency("SCT"), *tree.communes[:2]])
    ]
    return plan, done


def test_list_pages_read_in_a_fixed_number_of_queries(client, tree, users, concluded):
    plan, done = concluded
    login(client, users.coordinator)
    urls = [
        reverse("inspections:index"),
        reverse("inspections:findings"),
        reverse("inspections:findings") + "?trang_thai=dang_khac_phuc",
        reverse("inspections:plan", args=[plan.pk]),
    ]
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx)
    for unit in [tree.communes[2], tree.agency("SYT"), tree.agency("SXD")]:
        conduct(
            users, make_inspection(tree, users, plan, unit, day=dt.date(YEAR, 6, 2)), fail_positions=(1, 2, 3)
        )
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url)
        assert len(ctx) == counts[url], f"{url}: {counts[url]} queries before, {len(ctx)} with more rows"
    assert page.content.decode().count('href="/kiem-tra/cuoc/') == 7


def test_the_overdue_list_shows_what_is_past_its_deadline(client, tree, users, concluded):
    _plan, done = concluded
    login(client, users.officer)  # Sở Tư pháp: its own finding only
    page = client.get(reverse("inspections:findings")).content.decode()
    assert page.count("/kiem-tra/ton-tai/") == 1 and "quá" in page
    login(client, users.coordinator)
    page = client.get(reverse("inspections:findings")).content.decode()
    assert page.count('href="/kiem-tra/ton-tai/') == 4
    login(client, users.foreign_coordinator)
    page = client.get(reverse("inspections:findings")).content.decode()
    assert "Không có tồn tại, hạn chế nào." in page


def test_the_conclusion_notice_is_a_real_docx(client, tree, users, concluded):
    _plan, done = concluded
    login(client, users.officer)  # the inspected unit reads its conclusion
    response = client.get(reverse("inspections:conclusion", args=[done[0].pk]))
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    header = doc.tables[0].rows[0].cells
    assert "UBND TỈNH ĐỒNG NAI" in header[0].text and "Số: 20/TB-SNV" in header[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text
    assert "Đồng Nai, ngày 12 tháng 5 năm 2025" in header[1].text
    assert "THÔNG BÁO" in text and "Kết luận kiểm tra công tác cải cách hành chính tại Sở Tư pháp" in text
    assert "Kế hoạch số 15/KH-SNV ngày 20/01/2025" in text
    assert "III. TỒN TẠI, HẠN CHẾ VÀ YÊU CẦU KHẮC PHỤC" in text
    results_table, findings_table = doc.tables[1], doc.tables[2]
    assert [c.text for c in results_table.rows[0].cells] == ["STT", "Nội dung kiểm tra", "Kết quả", "Ghi chú"]
    assert "Chưa đạt" in [c.text for row in results_table.rows for c in row.cells]
    assert findings_table.rows[1].cells[3].text == "Sở Tư pháp"
    assert findings_table.rows[1].cells[4].text == "Quý III/2025 (30/09/2025)"
    assert "Tổng số 9 nội dung: 8 nội dung đạt, 1 nội dung chưa đạt, 0 nội dung không áp dụng." in text
    login(client, users.officer_other)  # another agency: not its inspection
    assert client.get(reverse("inspections:conclusion", args=[done[0].pk])).status_code == 403


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_the_conclusion_notice_as_pdf(client, tree, users, concluded):
    _plan, done = concluded
    login(client, users.coordinator)
    response = client.get(reverse("inspections:conclusion", args=[done[0].pk]) + "?xuat=pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(response.content)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    assert "THÔNG BÁO" in text and "Sở Tư pháp" in text


def test_before_the_conclusion_the_inspected_unit_sees_no_results(client, tree, users):
    plan = make_plan(tree, users)
    inspection = make_inspection(tree, users, plan, tree.agency("STP"))
    services.inspection_start(actor=users.coordinator, inspection=inspection)
    login(client, users.officer)
    page = client.get(reverse("inspections:inspection", args=[inspection.pk])).content.decode()
    assert "Đang kiểm tra" in page and "Kết quả kiểm tra" not in page
    response = client.get(reverse("inspections:conclusion", args=[inspection.pk]), follow=True)
    assert "Cuộc kiểm tra chưa có kết luận." in messages_of(response)


@pytest.mark.parametrize(
    "url",
    [
        "/kiem-tra/ton-tai/?trang_thai=khong-co",
        "/kiem-tra/ton-tai/?trang_thai=%00",
        "/kiem-tra/cuoc/999999999/",
        "/kiem-tra/ke-hoach/99999999999999999999/",
        "/kiem-tra/ton-tai/99999/",
        "/kiem-tra/tai-lieu/99999/",
    ],
)
def test_bad_parameters_never_500(client, users, url):
    login(client, users.coordinator)
    assert client.get(url).status_code in (200, 404)


def test_bad_posts_never_500(client, tree, users):
    plan = make_plan(tree, users)
    inspection = make_inspection(tree, users, plan, tree.agency("STP"))
    login(client, users.coordinator)
    for action, data in [
        ("them-cuoc", {"don_vi": "abc", "start_date": "x"}),
        ("them-cuoc", {"don_vi": tree.agency("STP").pk, "start_date": ""}),
        ("sao-noi-dung", {"source": "99999999999999999999"}),
        ("khong-co", {}),
    ]:
        assert client.post(reverse("inspections:plan_action", args=[plan.pk, action]), data).status_code in (
            302,
            404,
        )
    for action, data in [
        ("doan", {"truong_doan": "99999999999999"}),
        ("ket-qua", {"result": ["x", "99999"]}),
        ("ton-tai", {"result": "x", "owner": "y", "deadline": ""}),
        ("ket-luan", {"concluded_on": "hôm nay"}),
        ("doi-lich", {"start_date": "32/13/2025"}),
    ]:
        response = client.post(reverse("inspections:inspection_action", args=[inspection.pk, action]), data)
        assert response.status_code == 302, action
    assert User.objects.filter(username="thuky.snv").count() == 0
    assert inspection.team.count() == 1 and Kind.PLANNED == inspection.kind


def test_the_register_of_a_plan_as_xlsx(client, tree, users, concluded):
    from openpyxl import load_workbook

    plan, done = concluded
    login(client, users.leader)
    response = client.get(reverse("inspections:plan", args=[plan.pk]) + "?xuat=xlsx")
    assert response.status_code == 200 and response["Content-Type"].endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "SỔ THEO DÕI KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2025"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    assert len(rows) == 4
    first = rows[0]
    assert first[:4] == [1, "Sở Tư pháp", "Theo kế hoạch", "Trực tiếp tại đơn vị"]
    assert first[4].date() == dt.date(2025, 5, 12) and first[6] == "Đã có kết luận"
    assert first[7] == "20/TB-SNV" and first[9:11] == [1, 1]
    assert sheet.cell(row=5, column=5).number_format == "DD/MM/YYYY"
