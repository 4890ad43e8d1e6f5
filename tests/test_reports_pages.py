"""The report pages: plain forms that work without JavaScript, refusals shown next to their
heading with the text kept, the autosave endpoint, bad query parameters, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.reports.models import Report
from cchc.reports.outline import OUTLINE
from cchc.reports.services import report_open, report_save, report_submit

from .conftest import PASSWORD
from .test_reports import QUARTER, TODAY, make_progress


@pytest.fixture
def progress(issued_plan, users, tree):
    return make_progress(issued_plan, users, tree)


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_open_edit_and_submit_without_javascript(client, users, progress):
    _login(client, users.officer)
    page = client.get(reverse("reports:mine"))
    assert page.status_code == 200 and "Lập báo cáo: Sở Tư pháp" in page.content.decode()
    response = client.post(
        reverse("reports:open"),
        {"don_vi": progress.pk, "loai": "quy", "nam": QUARTER["year"], "so": QUARTER["number"]},
    )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[report.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'name="the_che"' in page and "Đã rà soát 120 văn bản." in page and "bao-cao-ra-soat.pdf" in page
    url = reverse("reports:detail", args=[report.pk])
    # submitting with empty headings: the errors sit by their headings and the text typed is kept
    data = {h.key: "" for h in OUTLINE} | {"the_che": "Văn bản đã sửa.", "hanh_dong": "gui"}
    data |= {"so_van_ban": "10/BC-STP", "ngay_van_ban": TODAY.strftime("%d/%m/%Y"), "nguoi_ky": "Lê Văn B"}
    page = client.post(url, data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Đề mục “II. Ưu điểm” chưa có nội dung." in html and "Văn bản đã sửa." in html
    assert Report.objects.get().sections["the_che"] == "Văn bản đã sửa."  # saved before submitting
    data |= {h.key: f"Nội dung {h.key}." for h in OUTLINE}
    assert client.post(url, data).status_code == 302
    sent = Report.objects.get()
    assert sent.state == Report.State.SUBMITTED and sent.doc_number == "10/BC-STP"
    assert sent.doc_date == TODAY and sent.signer == "Lê Văn B"


def test_autosave_answers_json(client, users, progress):
    report = report_open(actor=users.officer, unit=progress, **QUARTER)
    _login(client, users.officer)
    url = reverse("reports:detail", args=[report.pk])
    response = client.post(url, {"uu_diem": "Tự lưu."}, headers={"X-Autosave": "1"})
    assert response.status_code == 200 and response.json()["ok"]
    assert Report.objects.get().sections["uu_diem"] == "Tự lưu."


def test_review_on_the_page(client, users, progress):
    report = report_open(actor=users.officer, unit=progress, **QUARTER)
    report_save(actor=users.officer, report=report, sections={h.key: "Có." for h in OUTLINE})
    report_submit(actor=users.officer, report=report, doc_number="11/BC", doc_date=TODAY, signer="A")
    _login(client, users.coordinator)
    queue = client.get(reverse("reports:queue")).content.decode()
    assert f"bao-cao-{report.pk}" in queue
    url = reverse("reports:review", args=[report.pk])
    client.post(url, {"quyet_dinh": "tra-lai", "y_kien": ""})
    assert Report.objects.get().state == Report.State.SUBMITTED  # a return needs its reason
    client.post(url, {"quyet_dinh": "tra-lai", "y_kien": "Thiếu số liệu."})
    assert Report.objects.get().state == Report.State.RETURNED


@pytest.mark.parametrize(
    "query",
    ["?nam=abc&so=99&loai=khong", "?don_vi=999999999999999999999", "?loai=thang&so=0", "?loai=nam&so=3"],
)
def test_register_never_fails_on_bad_parameters(client, users, tree, query):
    _login(client, users.coordinator)
    response = client.get(reverse("reports:register") + query)
    assert response.status_code == 200 and "Tỷ lệ đầy đủ" in response.content.decode()


def test_list_pages_cost_a_fixed_number_of_queries(
    client, users, progress, tree, django_assert_max_num_queries
):
    report = report_open(actor=users.officer, unit=progress, **QUARTER)
    report_save(actor=users.officer, report=report, sections={h.key: "Có." for h in OUTLINE})
    report_submit(actor=users.officer, report=report, doc_number="12/BC", doc_date=TODAY, signer="A")
    _login(client, users.coordinator)
    query = f"?don_vi={tree.province.pk}&loai=quy&nam={QUARTER['year']}&so={QUARTER['number']}"
    for url in (reverse("reports:register") + query, reverse("reports:queue"), reverse("reports:mine")):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200


def test_pdf_is_the_docx_through_libreoffice(client, users, progress):
    import shutil

    report = report_open(actor=users.officer, unit=progress, **QUARTER)
    _login(client, users.officer)
    response = client.get(reverse("reports:download", args=[report.pk, "pdf"]))
    if shutil.which("soffice") or shutil.which("libreoffice"):
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert response["Content-Disposition"].endswith('.pdf"')
    else:  # no LibreOffice on this server: back to the report with the reason, never a 500
        assert response.status_code == 302
    assert client.get(reverse("reports:download", args=[report.pk, "odt"])).status_code == 404
