"""Survey pages: the public form by token (once, no script, 429 when flooded or guessed), the
open link, the results page's numbers (the selector's, i.e. the command's), free text only for
the unit and the coordinator, query count of the results page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.surveys.models import Campaign, Questionnaire, Response
from cchc.surveys.services import campaigns as campaign_services
from cchc.surveys.services import responses as response_services
from cchc.surveys.views_public import WRONG_PER_HOUR

from .conftest import PASSWORD


@pytest.fixture(autouse=True)
def _clear_cache(db):
    cache.clear()
    yield
    cache.clear()


def campaign(users, tree, mode=Campaign.Mode.SAMPLED):
    return campaign_services.campaign_create(
        actor=users.coordinator, owner=tree.province, name="Khảo sát quý III",
        questionnaire=Questionnaire.objects.get(code="SIPAS-HCC"),
        period_start=dt.date(2026, 7, 1), period_end=dt.date(2026, 9, 30), mode=mode,
        sample_sizes={tree.agency("STP"): 5, tree.agency("SCT"): 5},
    )  # fmt: skip


def test_the_token_form_answers_once(client, users, tree):
    c = campaign(users, tree)
    ((_, token),) = campaign_services.links_issue(
        actor=users.coordinator, campaign=c, unit=tree.agency("STP"), extra=1
    )
    url = reverse("survey_token", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script" not in html and 'name="q-1.1"' in html and "Rất hài lòng" in html
    assert "width=device-width" in html
    bad = client.post(url, {"q-1.1": "9"})
    assert bad.status_code == 400 and "từ 1 đến 5" in bad.content.decode()
    assert Response.objects.count() == 0
    sent = client.post(url, {"q-1.1": "5", "q-2.1": "4", "q-YK": "Tốt"})
    assert sent.status_code == 302 and sent["Location"] == reverse("survey_thanks")
    assert client.get(url).status_code == 410
    assert client.post(url, {"q-1.1": "1"}).status_code == 410
    assert Response.objects.count() == 1


def test_guessing_tokens_is_answered_429(client, users, tree):
    for i in range(WRONG_PER_HOUR):
        assert client.get(reverse("survey_token", args=[f"doan-{i}"])).status_code == 404
    assert client.get(reverse("survey_token", args=["doan-nua"])).status_code == 429


def test_the_open_link_and_its_rate_limit(client, users, tree, settings):
    c = campaign(users, tree, mode=Campaign.Mode.OPEN)
    url = reverse("survey_open", args=[c.public_key])
    assert client.get(url).status_code == 200
    assert client.post(url, {"q-1.1": "4"}).status_code == 400  # no unit chosen
    assert client.post(url, {"unit": tree.agency("SCT").pk, "q-1.1": "4"}).status_code == 302
    assert client.post(url, {"unit": tree.other_commune.pk, "q-1.1": "4"}).status_code == 400
    from cchc.surveys import views_public

    for _ in range(views_public.SENDS_PER_HOUR):
        client.post(url, {"unit": tree.agency("SCT").pk, "q-1.1": "4"})
    assert client.post(url, {"unit": tree.agency("SCT").pk, "q-1.1": "4"}).status_code == 429
    assert client.get(reverse("survey_open", args=["khong-co"])).status_code == 404


def test_results_page_numbers_and_free_text_visibility(client, users, tree):
    c = campaign(users, tree)
    stp, sct = tree.agency("STP"), tree.agency("SCT")
    for unit, answers in (
        (stp, {"1.1": "5", "1.2": "4", "2.1": "3", "YK": "Nên có thêm chỗ ngồi"}),
        (stp, {"1.1": "2", "1.2": "5", "2.1": "4"}),
        (sct, {"1.1": "4"}),
    ):
        response_services.response_enter_paper(
            actor=users.coordinator, campaign=c, unit=unit, answers=answers
        )
    assert client.login(username=users.leader.username, password=PASSWORD)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("surveys:campaign", args=[c.pk]))
    assert page.status_code == 200
    assert len(queries) <= 25, len(queries)
    html = page.content.decode()
    assert "62,50%" in html and "75,00%" in html and "±42,44" in html and "⚠ mẫu nhỏ" in html
    csv_text = client.get(reverse("surveys:results_csv", args=[c.pk])).content.decode()
    assert "P75.STP,TONG,6,62.50,3.75," in csv_text
    unit_url = reverse("surveys:unit", args=[c.pk, stp.pk])
    assert "Nên có thêm chỗ ngồi" not in client.get(unit_url).content.decode()  # a leader: figures only
    client.logout()
    for user, sees in ((users.officer, True), (users.coordinator, True), (users.officer_other, False)):
        assert client.login(username=user.username, password=PASSWORD)
        assert ("Nên có thêm chỗ ngồi" in client.get(unit_url).content.decode()) is sees, user.username
        client.logout()


def test_the_tables_made_in_python_escape_names_and_link_each_unit(client, users, tree):
    c = campaign(users, tree)
    stp = tree.agency("STP")
    stp.name = 'Sở <b>Tư pháp</b> & "Hộ tịch"'
    stp.save(update_fields=["name"])
    response_services.response_enter_paper(
        actor=users.coordinator, campaign=c, unit=stp, answers={"1.1": "5", "1.2": "4"}
    )
    assert client.login(username=users.coordinator.username, password=PASSWORD)
    html = client.get(reverse("surveys:campaign", args=[c.pk])).content.decode()
    assert "<b>Tư pháp</b>" not in html
    assert "Sở &lt;b&gt;Tư pháp&lt;/b&gt; &amp; &quot;Hộ tịch&quot;" in html  # results, sample, options
    assert html.count("&lt;b&gt;") >= 3
    assert f'href="{reverse("surveys:unit", args=[c.pk, stp.pk])}"' in html
    assert '<td data-label="Hạng" class="num">—</td>' in html  # 2 answers: not ranked


def test_paper_entry_page(client, users, tree):
    c = campaign(users, tree)
    assert client.login(username=users.officer.username, password=PASSWORD)
    url = reverse("surveys:paper", args=[c.pk])
    page = client.get(url).content.decode()
    assert "Sở Tư pháp" in page and "Sở Công Thương" not in page
    assert (
        client.post(url, {"unit": tree.agency("STP").pk, "q-3.1": "5", "form_code": "G1"}).status_code == 302
    )
    assert client.post(url, {"unit": tree.agency("STP").pk, "q-3.1": "0"}).status_code == 400
    assert Response.objects.get().channel == "giay"


def test_an_xlsx_import_through_the_page(client, users, tree):
    from openpyxl import Workbook

    c = campaign(users, tree)
    book = Workbook()
    sheet = book.active
    sheet.append(["Phiếu khảo sát giấy quý III"])  # a title above the header
    sheet.append(["ma_phieu", "ma_don_vi", "ma_cau", "gia_tri"])
    sheet.append(["X1", "P75.STP", "1.1", 4])  # a number cell: 4.0 in the file
    sheet.append(["X1", "P75.STP", "YK", "Đề nghị mở thêm quầy"])
    sheet.append(["X2", "P75.SCT", "2.3", 2])
    data = io.BytesIO()
    book.save(data)
    assert client.login(username=users.coordinator.username, password=PASSWORD)
    upload = SimpleUploadedFile("phieu.xlsx", data.getvalue())
    page = client.post(
        reverse("surveys:campaign_action", args=[c.pk, "nhap-tep"]), {"tep": upload}, follow=True
    )
    assert "Đã nhập 2 phiếu" in page.content.decode()
    assert sorted(Response.objects.values_list("form_code", "unit__code")) == [
        ("X1", "P75.STP"),
        ("X2", "P75.SCT"),
    ]
    bad = SimpleUploadedFile("phieu.csv", b"ma_phieu,ma_don_vi,ma_cau,gia_tri\nX3,P75.STP,1.1,9\n")
    page = client.post(reverse("surveys:campaign_action", args=[c.pk, "nhap-tep"]), {"tep": bad}, follow=True)
    assert "phieu.csv: dòng 2" in page.content.decode() and Response.objects.count() == 2


def test_the_campaign_list_does_not_grow_queries_with_campaigns(client, users, tree):
    campaign(users, tree)
    assert client.login(username=users.officer.username, password=PASSWORD)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("surveys:index")).status_code == 200
    for _ in range(4):
        campaign(users, tree)
    with CaptureQueriesContext(connection) as five:
        page = client.get(reverse("surveys:index"))
    assert page.content.decode().count("Khảo sát quý III") == 5
    assert len(five) == len(one)


def test_results_as_xlsx(client, users, tree):
    """The XLSX holds the results page's numbers as numbers with Vietnamese-readable formats, a
    title block, and a unit name that looks like a formula written as text."""
    from openpyxl import load_workbook

    from cchc.orgs.models import Unit

    c = campaign(users, tree)
    stp, sct = tree.agency("STP"), tree.agency("SCT")
    Unit.objects.filter(pk=sct.pk).update(name='=HYPERLINK("http://x.invalid","Sở")')
    for unit, answers in (
        (stp, {"1.1": "5", "1.2": "4", "2.1": "3"}),
        (stp, {"1.1": "2", "1.2": "5", "2.1": "4"}),
        (sct, {"1.1": "4"}),
    ):
        response_services.response_enter_paper(
            actor=users.coordinator, campaign=c, unit=unit, answers=answers
        )
    assert client.login(username=users.leader.username, password=PASSWORD)
    answer = client.get(reverse("surveys:results_xlsx", args=[c.pk]))
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet["A1"].value == "KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG — KHẢO SÁT QUÝ III"
    assert "01/07/2026 – 30/09/2026" in sheet["A3"].value
    header = [cell.value for cell in sheet[6]]
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=7)}
    total = header.index("Chung: tỷ lệ hài lòng (%)")
    stp_row = rows["P75.STP"]
    assert stp_row[3].value == 2 and stp_row[3].number_format == "#,##0"
    assert stp_row[total].value == 62.5 and stp_row[total].number_format == "#,##0.00"
    assert stp_row[total + 1].value == 3.75
    sct_row = rows["P75.SCT"]
    assert sct_row[2].value == '=HYPERLINK("http://x.invalid","Sở")' and sct_row[2].data_type == "s"
    assert sct_row[total].value == 100.0
    assert "Mẫu nhỏ" in sct_row[-1].value
