"""The CCHC index pages: a round through the web, access by role, exports that open, the public
page only once published, points at risk, and no 500 for a bad parameter."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from cchc.evaluation.models import Framework, Participant, Round, Score

from .conftest import PASSWORD
from .test_par_rounds import FRAMEWORK


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def issued(client, users, tree):
    login(client, users.coordinator)
    response = client.post(
        reverse("evaluation:framework_import"),
        {
            "don_vi": tree.province.pk,
            "nam": "2026",
            "ten": "Bộ chỉ số CCHC 2026",
            "tep": SimpleUploadedFile("bo-chi-so.csv", FRAMEWORK.encode(), content_type="text/csv"),
        },
    )
    framework = Framework.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "evaluation:framework", args=[framework.pk]
    )
    client.post(reverse("evaluation:framework_action", args=[framework.pk, "ban-hanh"]))
    framework.refresh_from_db()
    assert framework.status == Framework.Status.ISSUED
    return framework


def test_a_round_through_the_pages(client, users, tree, issued):
    page = client.get(reverse("evaluation:framework", args=[issued.pk]))
    assert page.status_code == 200 and "Ban hành đúng hạn" not in page.content.decode()
    assert "Ban hành kế hoạch CCHC đúng hạn" in page.content.decode()
    xlsx = client.get(reverse("evaluation:framework_export", args=[issued.pk]))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.active["A4"].value == "1" and book.active.max_row == 13  # title, two header rows, 10 rows

    form = client.get(reverse("evaluation:round_new", args=[issued.pk]))
    assert form.status_code == 200
    stp, xa = tree.agency("STP"), tree.communes[0]
    response = client.post(
        reverse("evaluation:round_new", args=[issued.pk]),
        {
            "ten": "Đánh giá 2026",
            "han_tu_cham": "2026-12-15",
            "han_tham_dinh": "2027-01-15",
            "don_vi": [stp.pk, xa.pk],
        },
    )
    round_ = Round.objects.get()
    assert response.status_code == 302
    participant = round_.participants.get(unit=stp)

    # the unit scores and submits
    client.logout()
    login(client, users.officer)
    url = reverse("evaluation:participant", args=[round_.pk, participant.pk])
    index = client.get(reverse("evaluation:index")).content.decode()
    assert url in index and issued.name in index  # its own assessment, the issued framework
    assert client.get(url).status_code == 200
    leaves = {s.criterion.code: s.criterion.pk for s in participant.scores.select_related("criterion")}
    data = {
        f"diem_{leaves['1.1']}": "4",
        f"giai_trinh_{leaves['1.1']}": "Ban hành ngày 5/1",
        f"diem_{leaves['1.2']}": "3",
        f"giai_trinh_{leaves['1.2']}": "Đủ 4 báo cáo",
        f"diem_{leaves['2.1']}": "9",
        f"giai_trinh_{leaves['2.1']}": "x",
    }
    response = client.post(
        reverse("evaluation:participant_action", args=[round_.pk, participant.pk, "tu-cham"]),
        data,
        follow=True,
    )
    assert "2.1" in response.content.decode() and "từ 0 đến 5" in response.content.decode()
    assert (
        Score.objects.get(participant=participant, criterion_id=leaves["1.1"]).self_points is None
    )  # all or nothing
    data[f"diem_{leaves['2.1']}"] = "5"
    client.post(reverse("evaluation:participant_action", args=[round_.pk, participant.pk, "tu-cham"]), data)
    client.post(
        reverse("evaluation:participant_action", args=[round_.pk, participant.pk, "tai-lieu"]),
        {"tieu_chi": leaves["1.1"], "duong_dan": "https://stp.example.vn/qd-ke-hoach"},
    )
    client.post(reverse("evaluation:participant_action", args=[round_.pk, participant.pk, "nop"]))
    participant.refresh_from_db()
    assert participant.state == Participant.State.SUBMITTED

    # another agency's officer sees nothing of it
    client.logout()
    login(client, users.officer_other)
    assert client.get(url).status_code == 404
    assert client.get(reverse("evaluation:results", args=[round_.pk])).status_code == 404

    # the council appraises and finalises; the round is finalised and published
    client.logout()
    login(client, users.coordinator)
    client.post(
        reverse("evaluation:participant_action", args=[round_.pk, participant.pk, "tham-dinh"]),
        {f"diem_{leaves['1.2']}": "2", f"ly_do_{leaves['1.2']}": "Thiếu báo cáo quý III"},
    )
    client.post(reverse("evaluation:participant_action", args=[round_.pk, participant.pk, "chot"]))
    client.post(reverse("evaluation:round_action", args=[round_.pk, "chot"]))
    round_.refresh_from_db()
    assert round_.state == Round.State.FINALISED
    public = reverse("evaluation_public:public_results", args=[round_.pk])
    client.logout()
    assert client.get(public).status_code == 404  # not yet published
    login(client, users.coordinator)
    results = client.get(reverse("evaluation:results", args=[round_.pk]))
    assert results.status_code == 200 and "<svg" in results.content.decode()
    docx = client.get(reverse("evaluation:results", args=[round_.pk]) + "?dinh_dang=docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2026" in text
    xlsx = client.get(reverse("evaluation:results", args=[round_.pk]) + "?dinh_dang=xlsx")
    assert zipfile.is_zipfile(io.BytesIO(xlsx.content))
    sheet = load_workbook(io.BytesIO(xlsx.content))["Cap so"]
    assert sheet["C5"].value == stp.name and sheet["A5"].value == 1
    assert sheet.cell(5, sheet.max_column).value in ("Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu")
    client.post(reverse("evaluation:round_action", args=[round_.pk, "cong-bo"]))
    client.logout()
    page = client.get(public)
    assert page.status_code == 200 and stp.name in page.content.decode()
    assert "Thiếu báo cáo" not in page.content.decode()  # reasons stay inside


def test_points_at_risk_page(client, users, tree, issued):
    client.logout()
    login(client, users.officer)
    page = client.get(reverse("evaluation:at_risk"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sở Tư pháp" in body and "Chưa có dữ liệu" in body
    # the province's coordinator starts on a unit the index scores, and may pick any below
    client.logout()
    login(client, users.coordinator)
    page = client.get(reverse("evaluation:at_risk"))
    assert page.context["unit"].kind in ("agency", "commune")
    commune = tree.communes[0]
    assert client.get(reverse("evaluation:at_risk") + f"?don_vi={commune.pk}").context["unit"] == commune
    assert client.get(reverse("evaluation:at_risk") + f"?don_vi={tree.other_commune.pk}").status_code == 404


@pytest.mark.parametrize(
    "name,args,query",
    [
        ("evaluation:at_risk", [], "?don_vi=abc"),
        ("evaluation:at_risk", [], "?don_vi=999999"),
        ("evaluation:at_risk", [], "?don_vi=99999999999999999999999999"),
        ("evaluation:at_risk", [], "?don_vi=-1"),
        ("evaluation:index", [], "?trang=x"),
        ("evaluation:framework_export", ["FW"], "?dinh_dang=zzz"),
        ("evaluation:results", ["999"], ""),
    ],
)
def test_bad_parameters_never_500(client, users, issued, name, args, query):
    args = [issued.pk if a == "FW" else int(a) for a in args]
    response = client.get(reverse(name, args=args) + query)
    assert response.status_code in (200, 404)


def test_frameworks_need_a_coordinator(client, users, tree):
    login(client, users.officer)
    response = client.post(
        reverse("evaluation:framework_import"),
        {
            "don_vi": tree.province.pk,
            "nam": "2026",
            "ten": "X",
            "tep": SimpleUploadedFile("f.csv", FRAMEWORK.encode()),
        },
    )
    assert response.status_code == 403
    assert not Framework.objects.exists()
