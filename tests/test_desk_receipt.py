"""The receipt side of the one-stop desk (issue 14): the checklist of components ticked at receipt
and what form 01 lists; fees in figures and words, where a payment stands, the fee receipt (biên
lai) as DOCX and PDF; the QR code of the public lookup on the slip; one dossier code format."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from cchc.core.actors import CITIZEN, SYSTEM
from cchc.core.documents.pdf import soffice_path
from cchc.core.errors import PermissionDenied
from cchc.core.models import AuditEntry
from cchc.dossiers import services
from cchc.dossiers.codes import CODE_RE, is_standard
from cchc.dossiers.documents import build_form
from cchc.dossiers.fee_receipt import build_fee_receipt
from cchc.dossiers.fees import fee_state, in_words
from cchc.dossiers.gateways import SimulatedGateway
from cchc.dossiers.models import ComponentForm, Dossier, ReceivedComponent
from cchc.dossiers.personal import applicant_view
from cchc.dossiers.qr import lookup_path, qr_png
from cchc.dossiers.selectors import dossier_get
from cchc.dossiers.services import ReceivedItem
from cchc.procedures import services as procedure_services

from .conftest import PASSWORD, raises_code
from .test_dossiers_support import local, make_procedure, make_world, trace


@pytest.fixture
def w(tree, users):
    return make_world(tree, users)


def parts(w):
    """The two mandatory components of the world's procedure."""
    return list(w.procedure.components.order_by("position", "id"))[:2]


def all_received(w):
    form, birth = parts(w)
    return [
        ReceivedItem(form, ComponentForm.ORIGINAL, 1),
        ReceivedItem(birth, ComponentForm.CERTIFIED_COPY, 2),
    ]


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def docx_images(content: bytes) -> list[bytes]:
    doc = Document(io.BytesIO(content))
    return [rel.target_part.blob for rel in doc.part.rels.values() if "image" in rel.reltype]


# --- the checklist at receipt -----------------------------------------------------------------


def test_the_checklist_is_stored_audited_and_is_what_form_01_lists(w):
    extra = procedure_services.component_save(
        actor=SYSTEM, procedure=w.procedure, name="Giấy ủy quyền (nếu có)", mandatory=False
    )
    d = w.receive(at=local(2026, 3, 2, 9), components=all_received(w))
    rows = list(d.received_components.order_by("position"))
    assert [(r.name, r.form, r.count) for r in rows] == [
        ("Tờ khai đăng ký khai sinh", "ban_chinh", 1),
        ("Giấy chứng sinh", "ban_sao_chung_thuc", 2),
    ]
    event = d.events.get(kind="received")
    assert event.data["components"][1] == {
        "name": "Giấy chứng sinh",
        "form": "ban_sao_chung_thuc",
        "count": 2,
    }
    audit = AuditEntry.objects.filter(action="dossier.received", object_id=str(d.pk)).get()
    assert audit.after["data"]["components"][0]["name"] == "Tờ khai đăng ký khai sinh"
    # form 01: the two received, in the receipt's forms and counts, not the optional one
    fresh = dossier_get(user=w.desk_officer, code=d.code)
    text = docx_text(build_form("01", fresh, fresh.applicant).to_bytes())
    assert "Giấy chứng sinh" in text and "Bản sao chứng thực" in text
    assert extra.name not in text


def test_a_complete_dossier_must_hold_every_mandatory_component(w):
    form, _birth = parts(w)
    before = Dossier.objects.count(), AuditEntry.objects.count()
    with raises_code("dossier_receipt_invalid") as e:
        w.receive(components=[ReceivedItem(form)])
    assert "Giấy chứng sinh" in e.value.message_dict["components"][0]
    assert (Dossier.objects.count(), AuditEntry.objects.count()) == before


def test_an_incomplete_dossier_asks_for_the_mandatory_components_not_ticked(w):
    form, _birth = parts(w)
    d = w.receive(complete=False, components=[ReceivedItem(form)])
    assert d.state == "incomplete_at_receipt"
    assert d.events.get().data["missing"] == ["Giấy chứng sinh"]
    assert [r.name for r in d.received_components.all()] == ["Tờ khai đăng ký khai sinh"]
    # accepted once supplemented: the whole checklist now
    services.dossier_accept(actor=w.desk_officer, dossier=d, components=all_received(w))
    assert d.state == "received"
    assert [r.count for r in d.received_components.order_by("position")] == [1, 2]


def test_the_acceptance_page_takes_the_new_checklist(client, w):
    """ "Tiếp nhận (đã bổ sung đủ)" on the dossier page shows the checklist, the first receipt's
    components ticked; a missing mandatory one is refused, the whole list replaces the receipt's."""
    form, birth = parts(w)
    d = w.receive(complete=False, components=[ReceivedItem(form, ComponentForm.COPY, 3)])
    client.login(username=w.desk_officer.username, password=PASSWORD)
    page = client.get(reverse("dossiers:detail", args=[d.code]))
    rows = {r.id: r for r in page.context["accept_checklist"]}
    assert rows[form.pk].ticked and (rows[form.pk].form, rows[form.pk].count) == ("ban_sao", "3")
    assert not rows[birth.pk].ticked
    html = page.content.decode()
    assert 'id="accept-checklist"' in html and f'id="tp-{birth.pk}"' in html
    url = reverse("dossiers:action", args=[d.code, "tiep-nhan"])
    ticked = {"co_thanh_phan": "1", "thanh_phan": [str(form.pk)], f"hinh_thuc_{form.pk}": "ban_sao"}
    refused = client.post(url, {**ticked, f"so_luong_{form.pk}": "3"}, follow=True)
    assert "Chưa nhận thành phần bắt buộc: Giấy chứng sinh" in refused.content.decode()
    d.refresh_from_db()
    assert d.state == "incomplete_at_receipt"
    both = {
        **ticked,
        "thanh_phan": [str(form.pk), str(birth.pk)],
        f"so_luong_{form.pk}": "1",
        f"hinh_thuc_{birth.pk}": "ban_sao_chung_thuc",
        f"so_luong_{birth.pk}": "2",
    }
    done = client.post(url, both, follow=True)
    assert "Đã tiếp nhận hồ sơ" in done.content.decode()
    d.refresh_from_db()
    assert d.state == "received"
    assert [(r.name, r.form, r.count) for r in d.received_components.order_by("position")] == [
        ("Tờ khai đăng ký khai sinh", "ban_sao", 1),
        ("Giấy chứng sinh", "ban_sao_chung_thuc", 2),
    ]
    assert d.events.get(kind="received").data["components"][1]["count"] == 2
    assert "accept-checklist" not in client.get(reverse("dossiers:detail", args=[d.code])).content.decode()


def test_a_component_of_another_procedure_or_a_bad_count_is_refused(w, tree):
    other = make_procedure(tree.agency("STP"), code="1.000894", name="Đăng ký kết hôn", steps=False)
    foreign = other.components.first()
    with raises_code("dossier_receipt_invalid") as e:
        w.receive(components=[*all_received(w), ReceivedItem(foreign)])
    assert "không phải thành phần hồ sơ" in e.value.message_dict["components"][0]
    form, birth = parts(w)
    with raises_code("dossier_receipt_invalid") as e:
        w.receive(components=[ReceivedItem(form, count=0), ReceivedItem(birth, form="bản gốc")])
    message = e.value.message_dict["components"][0]
    assert "số lượng từ 1 đến 99" in message and "hình thức phải là" in message


def test_without_a_checklist_nothing_is_required_nor_listed(w):
    d = w.receive()  # the API and older callers keep no checklist
    assert d.state == "received" and not ReceivedComponent.objects.filter(dossier=d).exists()
    assert "components" not in d.events.get(kind="received").data


# --- fees ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (15_000, "Mười lăm nghìn đồng"),
        (21_000, "Hai mươi mốt nghìn đồng"),
        (50_000, "Năm mươi nghìn đồng"),
        (105_000, "Một trăm linh năm nghìn đồng"),
        (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (3_000_000_000, "Ba tỷ đồng"),
    ],
)
def test_amounts_in_words(amount, words):
    assert in_words(amount) == words


def test_where_the_fee_stands(w, tree):
    d = w.receive(at=local(2026, 3, 2, 9))
    assert fee_state(d).key == "unpaid" and fee_state(d).owed
    started = services.payment_start(actor=CITIZEN, dossier=d, at=local(2026, 3, 2, 10))
    assert fee_state(Dossier.objects.get(pk=d.pk)).key == "pending"
    callback = SimulatedGateway().callback(started.payment.reference, paid=True)
    services.payment_confirm(
        reference=started.payment.reference, payload=callback, at=local(2026, 3, 2, 10, 5)
    )
    state = fee_state(Dossier.objects.get(pk=d.pk))
    assert state.key == "paid_online" and state.paid and state.label == "Đã nộp trực tuyến"
    free = make_procedure(tree.agency("STP"), code="1.000001", name="Thủ tục miễn phí", fee_amount=0)
    assert fee_state(w.receive(procedure=free)).key == "none"


def test_the_fee_receipt_docx_says_who_paid_what_how_and_carries_the_qr(w):
    d = w.receive(at=local(2026, 3, 2, 9), components=all_received(w))
    with pytest.raises(Exception, match="chưa được nộp"):
        build_fee_receipt(dossier_get(user=w.desk_officer, code=d.code), applicant_view(d, clear=True))
    payment = services.payment_record_at_desk(actor=w.desk_officer, dossier=d, at=local(2026, 3, 2, 9, 30))
    fresh = dossier_get(user=w.desk_officer, code=d.code)
    url = "http://cchc.example/tra-cuu/?ma=" + d.code
    content = build_fee_receipt(fresh, fresh.applicant, qr_png=qr_png(url), lookup_url=url).to_bytes()
    text = docx_text(content)
    for expected in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        f"Số: {payment.pk:07d}",
        "Nguyễn Văn An",
        d.code,
        "Thủ tục đăng ký khai sinh (1.001193)",
        "50.000 đồng",
        "Năm mươi nghìn đồng",
        "Nộp trực tiếp tại Bộ phận tiếp nhận và trả kết quả",
        "09 giờ 30 phút, ngày 02/03/2026",
        "Trần Thị Bình",  # who collected it
        url,
    ):
        assert expected in text, expected
    assert docx_images(content) == [qr_png(url)]


def test_fee_receipt_pages_docx_and_pdf(client, w):
    d = w.receive(at=local(2026, 3, 2, 9))
    client.login(username=w.desk_officer.username, password=PASSWORD)
    url = reverse("dossiers:fee_receipt", args=[d.code, "docx"])
    response = client.get(url)
    assert response.status_code == 404 and "chưa được nộp" in response.content.decode()
    services.payment_record_at_desk(actor=w.desk_officer, dossier=d)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="bien-lai-{d.code}.docx"'
    lookup = "http://testserver" + lookup_path(d.code)
    assert lookup in docx_text(response.content)
    if soffice_path() is None:
        pytest.skip("LibreOffice is not installed")
    pdf = client.get(reverse("dossiers:fee_receipt", args=[d.code, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


# --- the QR code on the slip --------------------------------------------------------------------


def test_form_01_and_the_slip_page_carry_the_lookup_qr(client, w):
    d = w.receive(at=local(2026, 3, 2, 9), components=all_received(w))
    client.login(username=w.desk_officer.username, password=PASSWORD)
    lookup = "http://testserver" + lookup_path(d.code)
    assert lookup == f"http://testserver/tra-cuu/?ma={d.code}"
    docx = client.get(reverse("dossiers:form", args=[d.code, "01", "docx"])).content
    assert docx_images(docx) == [qr_png(lookup)] and lookup in docx_text(docx)
    page = client.get(reverse("dossiers:slip", args=[d.code]))
    html = page.content.decode()
    assert page.status_code == 200 and '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert lookup in html and "Giấy chứng sinh" in html and "Chưa nộp phí, lệ phí" in html
    # the QR opens the lookup with the code filled in (the phone digits are still asked)
    client.logout()
    lookup_page = client.get(lookup_path(d.code)).content.decode()
    assert f'value="{d.code}"' in lookup_page


def test_the_dossier_page_and_the_queue_show_the_fee_state(client, w):
    unpaid = w.receive(at=local(2026, 3, 2, 9), components=all_received(w))
    paid = w.receive(at=local(2026, 3, 2, 10))
    services.payment_record_at_desk(actor=w.desk_officer, dossier=paid)
    client.login(username=w.desk_officer.username, password=PASSWORD)
    detail = client.get(reverse("dossiers:detail", args=[unpaid.code])).content.decode()
    assert "Chưa nộp phí, lệ phí" in detail and "Năm mươi nghìn đồng" in detail
    assert "Giấy chứng sinh — Bản sao chứng thực, 2 bản" in detail
    detail = client.get(reverse("dossiers:detail", args=[paid.code])).content.decode()
    assert (
        "Đã nộp tại Bộ phận Một cửa" in detail
        and reverse("dossiers:fee_receipt", args=[paid.code, "pdf"]) in detail
    )
    response = client.get(reverse("dossiers:list"))
    rows = {d.code: d for d, _a in response.context["rows"]}
    assert rows[paid.code].fee_paid and not rows[unpaid.code].fee_paid
    html = response.content.decode()
    assert "Đã nộp" in html and "Chưa nộp" in html


def test_the_queue_reads_the_fee_state_without_a_query_per_row(client, w, django_assert_max_num_queries):
    for hour in (8, 9, 10):
        services.payment_record_at_desk(actor=w.desk_officer, dossier=w.receive(at=local(2026, 3, 2, hour)))
    client.login(username=w.desk_officer.username, password=PASSWORD)
    client.get(reverse("dossiers:list"))
    # 14: on PostgreSQL the bounded count runs in a savepoint with its planner setting (+3)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("dossiers:list"))
    for hour in (11, 12, 13, 14):
        w.receive(at=local(2026, 3, 2, hour))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("dossiers:list"))


# --- one code format ----------------------------------------------------------------------------


def test_every_channel_issues_the_one_code_format(w):
    desk = w.receive(at=local(2026, 3, 2, 9))
    online = w.receive(at=local(2026, 3, 2, 9, 5), channel="truc_tuyen")
    post = w.receive(at=local(2026, 3, 2, 9, 10), channel="buu_chinh")
    assert [desk.code, online.code, post.code] == [
        "P75.STP-260302-0001",
        "P75.STP-260302-0002",
        "P75.STP-260302-0003",
    ]
    assert all(CODE_RE.match(c) for c in (desk.code, online.code, post.code))
    assert is_standard("PAKN-P75.STP-260302-0001") and is_standard("W26734-260101-00000001")
    assert not is_standard("p75.stp-260302-1") and not is_standard("HS 0001")


def test_a_refused_checklist_leaves_no_trace_on_acceptance(w):
    d = w.receive(complete=False, missing=["Giấy chứng sinh"])
    before = trace(d)
    form, _birth = parts(w)
    with raises_code("dossier_receipt_invalid"):
        services.dossier_accept(actor=w.desk_officer, dossier=d, components=[ReceivedItem(form)])
    assert trace(d) == before


def test_only_handlers_record_the_checklist(w, users):
    with pytest.raises(PermissionDenied):
        w.receive(actor=users.leader, components=all_received(w))


def test_the_queue_stops_counting_past_its_cap(client, w, monkeypatch):
    from cchc.dossiers import paging

    for hour in (8, 9, 10):
        w.receive(at=local(2026, 3, 2, hour))
    client.login(username=w.desk_officer.username, password=PASSWORD)
    assert "3 hồ sơ." in client.get(reverse("dossiers:list")).content.decode()
    monkeypatch.setattr(paging, "CAP", 2)
    response = client.get(reverse("dossiers:list"))
    assert "Hơn 2 hồ sơ: lọc theo trạng thái" in response.content.decode()
    assert len(response.context["rows"]) == 3  # the count is bounded, not the list (keyset pages)


def test_the_queue_finds_a_whole_code_as_typed_and_a_part_of_one(w, users):
    from cchc.dossiers.selectors import DossierFilters, dossier_list

    a = w.receive(at=local(2026, 3, 2, 9))
    b = w.receive(at=local(2026, 3, 3, 9))
    for typed in (a.code, a.code.lower(), " P75.STP-260302 -0001 "):
        assert list(dossier_list(user=users.leader, filters=DossierFilters(q=typed))) == [a]
    assert set(dossier_list(user=users.leader, filters=DossierFilters(q="P75.STP-2603"))) == {a, b}
