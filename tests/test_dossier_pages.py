"""The dossier pages: the list, receipt at the desk, a dossier with its actions, forms 01–07,
feedback, and the public lookup (no personal data, the same answer for an unknown code and
wrong digits, a rate limit), rating and the simulated payment."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from docx import Document

from cchc.core.actors import CITIZEN
from cchc.dossiers import services
from cchc.dossiers.choices import State
from cchc.dossiers.models import Dossier, Feedback, PaymentStatus

from .conftest import PASSWORD
from .test_dossiers_support import APPLICANT, make_world, trace, working_days_ago


@pytest.fixture(autouse=True)
def _clear_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def w(tree, users):
    return make_world(tree, users)


@pytest.fixture
def d(w):
    return w.receive()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def receipt_data(w, **extra) -> dict:
    return {
        "receiving_unit": str(w.desk.pk),
        "procedure": str(w.procedure.pk),
        "handling_unit": "",
        "channel": "truc_tiep",
        "applicant_kind": "citizen",
        "applicant_name": "Lê Thị Hoa",
        "applicant_id_number": "079190001234",
        "applicant_phone": "0987654321",
        "applicant_email": "",
        "applicant_address": "25 Hùng Vương, Phường Đồng Xoài",
        "vneid_authenticated": "on",
        "outcome": "complete",
        "missing": "",
        "reason": "",
    } | extra


# --- list ------------------------------------------------------------------------------------------


def test_list_shows_dossiers_with_filters_and_masks_for_leaders(client, w, d, users):
    login(client, w.desk_officer)
    page = client.get(reverse("dossiers:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert d.code in html and APPLICANT.id_number in html  # the desk handles it: in clear
    assert "Tiếp nhận hồ sơ" in html
    assert d.code not in client.get(reverse("dossiers:list") + "?trang_thai=returned").content.decode()
    assert d.code in client.get(reverse("dossiers:list") + f"?q={d.code[:12]}").content.decode()
    assert d.code not in client.get(reverse("dossiers:list") + "?kenh=truc_tuyen").content.decode()
    client.logout()
    login(client, users.leader)  # reads the province, handles nothing
    html = client.get(reverse("dossiers:list")).content.decode()
    assert d.code in html and APPLICANT.id_number not in html and "0010******45" in html


def test_list_query_count_does_not_grow_with_rows(client, w, django_assert_max_num_queries):
    for _ in range(3):
        w.receive()
    login(client, w.desk_officer)
    client.get(reverse("dossiers:list"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("dossiers:list")).status_code == 200
    for _ in range(6):
        w.receive()
    with django_assert_max_num_queries(14):
        assert client.get(reverse("dossiers:list")).status_code == 200


def test_list_counts_dossiers_needing_an_apology(client, w, monkeypatch):
    from django.db.models import Q

    from cchc.dossiers import selectors

    d = w.receive()
    other = w.receive()
    monkeypatch.setattr(selectors, "apology_warning_q", lambda **kw: Q(pk=d.pk))
    login(client, w.desk_officer)
    html = client.get(reverse("dossiers:list")).content.decode()
    assert "1 hồ sơ" in html and "?han=sap_den_han" in html
    listed = client.get(reverse("dossiers:list") + "?han=sap_den_han").content.decode()
    assert d.code in listed and other.code not in listed


# --- receipt ---------------------------------------------------------------------------------------


def test_receipt_complete_shows_the_dossier_and_form_01(client, w):
    login(client, w.desk_officer)
    assert client.get(reverse("dossiers:receive")).status_code == 200
    response = client.post(reverse("dossiers:receive"), receipt_data(w), follow=True)
    dossier = Dossier.objects.get(applicant_phone="0987654321")
    assert dossier.state == State.RECEIVED and dossier.handling_unit == w.agency
    assert dossier.vneid_authenticated and not dossier.data_reused
    assert response.redirect_chain[-1][0] == reverse("dossiers:detail", args=[dossier.code])
    html = response.content.decode()
    assert "Đã tiếp nhận hồ sơ" in html and "Hẹn trả kết quả" in html
    assert reverse("dossiers:form", args=[dossier.code, "01", "docx"]) in html


def test_receipt_incomplete_and_not_eligible(client, w):
    login(client, w.desk_officer)
    response = client.post(
        reverse("dossiers:receive"),
        receipt_data(w, outcome="incomplete", missing="Giấy chứng sinh\n\nTờ khai có chữ ký"),
        follow=True,
    )
    dossier = Dossier.objects.get()
    assert dossier.state == State.INCOMPLETE_AT_RECEIPT
    assert dossier.events.get().data["missing"] == ["Giấy chứng sinh", "Tờ khai có chữ ký"]
    assert reverse("dossiers:form", args=[dossier.code, "02", "docx"]) in response.content.decode()
    response = client.post(
        reverse("dossiers:receive"),
        receipt_data(w, outcome="not_eligible", reason="Không thuộc thẩm quyền"),
        follow=True,
    )
    refused = Dossier.objects.get(state=State.REFUSED_AT_RECEIPT)
    assert reverse("dossiers:form", args=[refused.code, "03", "docx"]) in response.content.decode()


def test_receipt_errors_are_shown_next_to_fields_and_nothing_is_saved(client, w):
    login(client, w.desk_officer)
    response = client.post(
        reverse("dossiers:receive"),
        receipt_data(w, applicant_id_number="123", applicant_phone="12", outcome="incomplete"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Số định danh cá nhân gồm đúng 12 chữ số." in html
    assert "Số điện thoại gồm 10 hoặc 11 chữ số" in html
    assert "Liệt kê đầy đủ, một lần" in html
    assert not Dossier.objects.exists()


def test_receipt_is_refused_to_leaders(client, w, users):
    login(client, users.leader)
    assert client.get(reverse("dossiers:receive")).status_code == 403


# --- detail and actions ----------------------------------------------------------------------------


def act(client, d, action, data=None, **kw):
    return client.post(reverse("dossiers:action", args=[d.code, action]), data or {}, follow=True, **kw)


def test_step_durations_show_as_entered(client, w):
    from decimal import Decimal

    from cchc.procedures.models import Step

    Step.objects.all().update(time_allowed=Decimal("0.25"))
    d = w.receive()
    login(client, w.desk_officer)
    html = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert "0,25 " in html and "0,3 " not in html


def test_detail_shows_facts_steps_timeline_and_only_the_next_actions(client, w, d):
    login(client, w.desk_officer)
    response = client.get(reverse("dossiers:detail", args=[d.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cách tính hạn" in html and "Tiếp nhận:" in html  # the due date explains itself
    assert "B1." in html and "Đang xử lý" in html
    assert APPLICANT.address in html
    # at receipt the desk's next work, in order: hand on to B2, a supplement, the fee at the desk
    assert [a.slug for a, _form in response.context["actions"]] == ["ban-giao", "yeu-cau-bo-sung", "thu-phi"]
    more = [a.slug for a, _form in response.context["more_actions"]]
    assert more == ["dung", "rut", "so-hoa", "lien-ket-kho", "dong-bo"]
    # no result, no apology (not due on the day of receipt), no return, no send-back from B1
    assert 'id="action-ket-qua"' not in html and 'id="action-xin-loi"' not in html
    assert 'id="action-tra-ket-qua"' not in html and 'id="action-tra-lai"' not in html
    assert "B1. Tiếp nhận, kiểm tra và chuyển hồ sơ" in response.context["desk"].holder_label or (
        "Bộ phận một cửa" in response.context["desk"].holder_label
    )


def test_a_dossier_through_the_pages(client, w, users):
    d = w.receive(at=working_days_ago(w.agency, 3))  # B1 (half a day) is overdue: the apology is due
    login(client, w.desk_officer)
    r = act(client, d, "ban-giao", {"to_unit": w.agency.pk, "to_user": users.officer.pk, "note": "Đủ hồ sơ"})
    assert "Đã bàn giao hồ sơ" in r.content.decode()
    d.refresh_from_db()
    assert d.current_step == 2 and d.state == State.IN_PROGRESS
    html = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert 'id="desk-not-yours"' in html and "canbo.tuphap" in html  # B2 is the named specialist's
    client.logout()

    login(client, users.officer)
    r = act(client, d, "yeu-cau-bo-sung", {"missing": "Bản sao giấy kết hôn\nXác nhận cư trú"})
    d.refresh_from_db()
    assert d.state == State.WAITING_SUPPLEMENT and d.supplement_count == 1
    client.logout()
    login(client, w.desk_officer)
    act(client, d, "nhan-bo-sung", {"note": "Đã nhận"})
    d.refresh_from_db()
    assert d.state == State.IN_PROGRESS
    act(client, d, "thu-phi")
    assert d.payments.get().status == PaymentStatus.PAID
    act(client, d, "so-hoa")
    act(client, d, "dong-bo")
    d.refresh_from_db()
    assert d.digitised and d.synced_to_national_portal
    client.logout()

    login(client, users.officer)  # Sở Tư pháp: the apology is due (B1 was late)
    page = client.get(reverse("dossiers:detail", args=[d.code]))
    assert [a.slug for a, _f in page.context["actions"]] == [
        "ban-giao",
        "tra-lai",
        "yeu-cau-bo-sung",
        "xin-loi",
    ]
    due = d.current_due_at.astimezone(d.current_due_at.tzinfo)
    new_day = due.date().toordinal() + 7
    import datetime as dt

    new = dt.date.fromordinal(new_day)
    r = act(
        client,
        d,
        "xin-loi",
        {"new_due_on": f"{new:%d/%m/%Y}", "new_due_time": "16:00", "reason": "Cần xác minh"},
    )
    d.refresh_from_db()
    assert d.apologised, messages_of(r)
    act(client, d, "ban-giao", {"to_unit": w.agency.pk, "to_user": w.signer.pk, "note": "Trình ký"})
    client.logout()

    login(client, w.signer)  # the agency's leader signs at the last step and records the result
    from .test_dossiers_support import pdf

    r = client.post(
        reverse("dossiers:action", args=[d.code, "ket-qua"]),
        {"granted": "1", "reason": "", "result_file": pdf()},
        follow=True,
    )
    d.refresh_from_db()
    assert d.state == State.RESULT_READY and d.electronic_result, messages_of(r)
    client.logout()
    login(client, w.desk_officer)
    act(client, d, "tra-ket-qua", {"method": "online"})
    d.refresh_from_db()
    assert d.state == State.RETURNED and d.return_method == "online"
    page = client.get(reverse("dossiers:detail", args=[d.code]))
    html = page.content.decode()
    for text in ("Bàn giao giữa các bước", "Xin lỗi và hẹn lại", "Trả kết quả", "Đã thanh toán"):
        assert text in html
    assert reverse("dossiers:form", args=[d.code, "04", "docx"]) in html
    assert [s.status for s in page.context["steps"]] == ["done", "done", "done"]  # B3 closed with the return
    assert page.context["actions"] == []


def test_a_refused_action_shows_the_service_message_and_changes_nothing(client, w, d):
    login(client, w.desk_officer)
    before = trace(d)
    r = act(client, d, "tra-ket-qua", {"method": "desk"})
    assert f"Không thể trả kết quả hồ sơ {d.code}: hồ sơ đang giải quyết, chưa có kết quả." in messages_of(r)
    assert trace(d) == before
    r = act(client, d, "yeu-cau-bo-sung", {"missing": "   "})
    assert any("Nội dung cần bổ sung" in m for m in messages_of(r))
    r = act(client, d, "dung", {"reason": ""})
    assert trace(d) == before


def test_a_result_before_the_last_step_is_refused_and_changes_nothing(client, w, d):
    login(client, w.desk_officer)
    before = trace(d)
    r = client.post(reverse("dossiers:action", args=[d.code, "ket-qua"]), {"granted": "1"}, follow=True)
    assert any("kết quả chỉ ghi ở bước cuối B3" in m for m in messages_of(r))
    assert trace(d) == before


def test_a_result_by_someone_else_than_the_signer_is_forbidden(client, w, d, users):
    w.to_last_step(d)
    login(client, users.officer)
    before = trace(d)
    r = client.post(reverse("dossiers:action", args=[d.code, "ket-qua"]), {"granted": "1"})
    assert r.status_code == 403 and "B3" in r.content.decode()
    assert trace(d) == before


def test_stop_through_the_page_and_form_05(client, w, d):
    login(client, w.desk_officer)
    act(client, d, "dung", {"reason": "Người nộp đề nghị dừng để bổ sung giấy tờ", "requested_on": ""})
    d.refresh_from_db()
    assert d.state == State.STOPPED
    r = client.get(reverse("dossiers:form", args=[d.code, "05", "docx"]))
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "dừng giải quyết" in text.lower() and d.code in text


def test_personal_data_masked_for_a_leader_and_other_units_refused(client, w, d, users):
    login(client, users.leader)
    r = client.get(reverse("dossiers:detail", args=[d.code]))
    html = r.content.decode()
    assert r.status_code == 200
    assert APPLICANT.name in html
    for secret in (APPLICANT.id_number, APPLICANT.phone, APPLICANT.address, APPLICANT.email):
        assert secret not in html
    assert "0010******45" in html and "(đã ẩn)" in html
    assert r.context["actions"] == []
    # documents for a reader carry the masked applicant too
    docx = client.get(reverse("dossiers:form", args=[d.code, "01", "docx"]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert APPLICANT.phone not in text and APPLICANT.address not in text
    client.logout()
    login(client, users.foreign_coordinator)
    assert client.get(reverse("dossiers:detail", args=[d.code])).status_code == 403
    assert client.get(reverse("dossiers:form", args=[d.code, "01", "docx"])).status_code == 403


# --- documents -------------------------------------------------------------------------------------


def _paragraph_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_forms_01_to_07_download_as_docx(client, w, users):
    incomplete = w.receive(complete=False, missing=["Giấy chứng sinh"])
    refused = w.receive(eligible=False, reason="Không thuộc thẩm quyền giải quyết")
    d = w.receive(at=working_days_ago(w.agency, 3))  # B1 late: the apology is due
    services.dossier_handover(actor=w.desk_officer, dossier=d, to_step=2)
    services.dossier_request_supplement(actor=w.desk_officer, dossier=d, missing=["Bản sao CCCD"])
    services.dossier_supplement_received(actor=w.desk_officer, dossier=d)
    import datetime as dt

    services.dossier_apologise(
        actor=users.officer,
        dossier=d,
        new_due_at=d.current_due_at + dt.timedelta(days=10),
        reason="Cần xác minh",
    )
    stopped = w.receive()
    services.dossier_stop(actor=w.desk_officer, dossier=stopped, reason="Người nộp xin dừng")
    login(client, w.desk_officer)
    expected = {
        (d, "01"): "GIẤY TIẾP NHẬN HỒ SƠ",
        (incomplete, "02"): "Giấy chứng sinh",
        (d, "02"): "Bản sao CCCD",
        (refused, "03"): "Không thuộc thẩm quyền",
        (d, "04"): "Cần xác minh",
        (stopped, "05"): "Người nộp xin dừng",
        (d, "06"): "Thẩm định hồ sơ",
    }
    for (dossier, number), text in expected.items():
        r = client.get(reverse("dossiers:form", args=[dossier.code, number, "docx"]))
        assert r.status_code == 200, (number, r.content[:300])
        assert r["Content-Type"].startswith("application/vnd.openxmlformats")
        body = _paragraph_text(r.content)
        assert text in body and dossier.code in body, (number, body[:500])
    # a form the dossier has no fact for
    r = client.get(reverse("dossiers:form", args=[incomplete.code, "04", "docx"]))
    assert r.status_code == 404 and "chưa có thư xin lỗi" in r.content.decode()
    # the register of the desk (form 07)
    from django.utils import timezone

    today = timezone.localdate().strftime("%d/%m/%Y")
    start = timezone.localtime(d.received_at).strftime("%d/%m/%Y")
    r = client.get(reverse("dossiers:register") + f"?tu={start}&den={today}")
    assert r.status_code == 200
    body = _paragraph_text(r.content)
    assert "SỔ THEO DÕI HỒ SƠ" in body and d.code in body and stopped.code in body
    assert client.get(reverse("dossiers:register") + "?tu=31/02/2026&den=x").status_code == 400


def test_form_pdf(client, w, d):
    from cchc.core.documents.pdf import soffice_path

    login(client, w.desk_officer)
    r = client.get(reverse("dossiers:form", args=[d.code, "01", "pdf"]))
    if soffice_path() is None:
        assert r.status_code == 503 and "DOCX" in r.content.decode()
    else:
        assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_pdf_without_libreoffice_offers_the_docx(client, w, d, monkeypatch):
    from cchc.core.documents import pdf

    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    login(client, w.desk_officer)
    r = client.get(reverse("dossiers:form", args=[d.code, "01", "pdf"]))
    assert r.status_code == 503
    html = r.content.decode()
    assert "chưa cài LibreOffice" in html and reverse("dossiers:form", args=[d.code, "01", "docx"]) in html


# --- feedback (staff) ------------------------------------------------------------------------------


def test_feedback_pages_and_actions(client, w, users):
    fb = services.feedback_receive(
        actor=CITIZEN,
        content="Cán bộ hướng dẫn chưa rõ.",
        sender=services.Sender(name="Phạm Văn C", phone="0911222333"),
        procedure=w.procedure,
    )
    login(client, users.officer)
    assert fb.code in client.get(reverse("dossiers:feedback_list")).content.decode()
    html = client.get(reverse("dossiers:feedback", args=[fb.pk])).content.decode()
    assert "Hạn xử lý" in html and "Hạn từ chối" in html and "0911222333" in html
    r = client.post(reverse("dossiers:feedback_action", args=[fb.pk, "cong-khai"]), follow=True)
    assert any("Không thể công khai" in m for m in messages_of(r))
    client.post(reverse("dossiers:feedback_action", args=[fb.pk, "tra-loi"]), {"text": "Đã chấn chỉnh."})
    client.post(reverse("dossiers:feedback_action", args=[fb.pk, "cong-khai"]))
    fb.refresh_from_db()
    assert fb.state == "published"
    # the sender told the officer by phone how they found the answer
    html = client.get(reverse("dossiers:feedback", args=[fb.pk])).content.decode()
    assert "action-ghi-danh-gia" in html and "Người gửi chưa đánh giá" in html
    client.post(reverse("dossiers:feedback_action", args=[fb.pk, "ghi-danh-gia"]), {"text": "binh_thuong"})
    fb.refresh_from_db()
    assert fb.sender_rating == "binh_thuong"
    html = client.get(reverse("dossiers:feedback", args=[fb.pk])).content.decode()
    assert "action-ghi-danh-gia" not in html and "đánh giá kết quả xử lý:</b> Bình thường" in html
    client.logout()
    login(client, users.leader)
    html = client.get(reverse("dossiers:feedback", args=[fb.pk])).content.decode()
    assert "0911222333" not in html and "09******33" in html


# --- public pages ----------------------------------------------------------------------------------


def lookup(client, code, digits):
    return client.post(reverse("lookup"), {"code": code, "phone_last_digits": digits}, follow=True)


def test_public_lookup_shows_progress_and_nothing_personal(client, w, d):
    r = lookup(client, d.code, APPLICANT.phone[-4:])
    assert r.status_code == 200
    html = r.content.decode()
    assert d.code in html and "Đã tiếp nhận" in html and "Hẹn trả kết quả" in html
    for secret in (APPLICANT.name, APPLICANT.id_number, APPLICANT.phone, APPLICANT.address, APPLICANT.email):
        assert secret not in html
    assert w.desk_officer.full_name not in html  # no officer names either


def test_lookup_forgives_case_and_spaces_in_the_code(client, w, d):
    typed = " ".join([d.code[:6].lower(), d.code[6:]])  # as copied from a slip, in lower case
    r = lookup(client, typed, APPLICANT.phone[-4:])
    assert r.status_code == 200 and d.code in r.content.decode()


def test_unknown_code_and_wrong_digits_give_the_same_answer(client, w, d):
    wrong = lookup(client, d.code, "0000")
    unknown = lookup(client, "P75.STP-000000-9999", APPLICANT.phone[-4:])
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.context["error"] == unknown.context["error"]
    # and without a successful lookup the result page is not shown
    r = client.get(reverse("lookup_result", args=[d.code]))
    assert r.status_code == 302 and r["Location"].startswith(reverse("lookup"))


def test_lookup_is_rate_limited(client, w, d):
    for _ in range(10):
        assert lookup(client, d.code, "1111").status_code == 404
    r = lookup(client, d.code, APPLICANT.phone[-4:])  # even the right digits now
    assert r.status_code == 429 and "10 lần trong 10 phút" in r.content.decode()
    other = client.post(
        reverse("lookup"), {"code": d.code, "phone_last_digits": APPLICANT.phone[-4:]}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302  # another address is not blocked


def test_wrong_digits_for_one_code_are_counted_across_addresses(client, w, d):
    """Many addresses cannot share the guessing of one dossier's phone digits."""
    from cchc.dossiers.views_public import LOOKUP_FAILURES_PER_CODE

    for i in range(LOOKUP_FAILURES_PER_CODE):
        response = client.post(
            reverse("lookup"), {"code": d.code, "phone_last_digits": f"{i:04d}"}, REMOTE_ADDR=f"10.1.0.{i}"
        )
        assert response.status_code == 404
    fresh = client.post(
        reverse("lookup"),
        {"code": d.code.lower(), "phone_last_digits": APPLICANT.phone[-4:]},
        REMOTE_ADDR="10.2.0.1",
    )
    assert fresh.status_code == 429  # even the right digits, from a new address, for this code
    other = lookup(client, "P75.STP-000000-9999", "1234")
    assert other.status_code == 404  # other codes are not blocked


def test_rating_once_after_the_result(client, w, d, users):
    lookup(client, d.code, APPLICANT.phone[-4:])
    html = client.get(reverse("lookup_result", args=[d.code])).content.decode()
    assert "Đánh giá mức độ hài lòng" not in html  # no result yet
    w.decide(d, granted=True)
    assert "Đánh giá mức độ hài lòng" in client.get(reverse("lookup_result", args=[d.code])).content.decode()
    r = client.post(
        reverse("lookup_rate", args=[d.code]), {"rating": "hai_long", "comment": "Nhanh"}, follow=True
    )
    assert "Cảm ơn" in r.content.decode()
    d.refresh_from_db()
    assert d.rating == "hai_long"
    r = client.post(reverse("lookup_rate", args=[d.code]), {"rating": "rat_hai_long"}, follow=True)
    assert any("chỉ đánh giá một lần" in m for m in messages_of(r))
    d.refresh_from_db()
    assert d.rating == "hai_long"


def test_rating_needs_a_lookup_first(client, w, d, users):
    w.decide(d, granted=True)
    r = client.post(reverse("lookup_rate", args=[d.code]), {"rating": "hai_long"})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.rating == ""


def test_online_payment_through_the_simulated_gateway(client, w, d):
    lookup(client, d.code, APPLICANT.phone[-4:])
    html = client.get(reverse("lookup_result", args=[d.code])).content.decode()
    assert "Thanh toán trực tuyến" in html
    r = client.post(reverse("lookup_pay", args=[d.code]))
    assert r.status_code == 302 and r["Location"].startswith("/thanh-toan-mo-phong/")
    page = client.get(r["Location"])
    assert "Cổng thanh toán mô phỏng — chỉ dùng cho trình diễn" in page.content.decode()
    r = client.post(r["Location"], {"ket_qua": "thanh_cong"}, follow=True)
    assert "Đã thanh toán phí, lệ phí." in r.content.decode()
    d.refresh_from_db()
    assert d.paid_online and d.payments.get().status == PaymentStatus.PAID
    assert "Thanh toán trực tuyến</button>" not in r.content.decode()


def test_public_feedback_gives_a_receipt_number(client, w, d):
    r = client.get(reverse("feedback_public"))
    assert r.status_code == 200
    r = client.post(
        reverse("feedback_public"),
        {
            "dossier_code": "",
            "procedure_code": w.procedure.code,
            "content": "Đề nghị niêm yết rõ mức lệ phí.",
            "sender_name": "Trần Văn D",
            "sender_phone": "0977000111",
        },
        follow=True,
    )
    fb = Feedback.objects.get()
    assert fb.unit == w.agency and fb.procedure == w.procedure
    assert fb.code in r.content.decode() and "Hạn xử lý" in r.content.decode()
    r = client.post(reverse("feedback_public"), {"content": "", "sender_name": "", "procedure_code": "9.999"})
    assert r.status_code == 400 and Feedback.objects.count() == 1
    # about a dossier: only with the phone on the receipt, and a stranger learns nothing about
    # which codes exist (same answer for a real code with another phone and for a made-up code)
    stranger = {"content": "Chậm", "sender_name": "E", "sender_phone": "0900001111"}
    wrong_phone = client.post(reverse("feedback_public"), {"dossier_code": d.code, **stranger})
    made_up = client.post(
        reverse("feedback_public"), {"dossier_code": "000.00.00.H00-260101-9999", **stranger}
    )
    assert wrong_phone.status_code == made_up.status_code == 400
    assert "Không tìm thấy hồ sơ có mã này" in wrong_phone.content.decode()
    assert wrong_phone.context["form"].errors == made_up.context["form"].errors
    r = client.post(
        reverse("feedback_public"),
        {"dossier_code": d.code, "content": "Chậm", "sender_name": "E", "sender_phone": "0987 65 5678"},
    )
    assert r.status_code == 302 and Feedback.objects.get(dossier=d).unit == w.agency


def test_rate_limit_address_behind_trusted_proxies(rf, settings):
    from cchc.core.ratelimit import client_ip as _client_ip

    request = rf.get("/tra-cuu/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.113.1.9", REMOTE_ADDR="10.0.0.2")
    settings.CCHC_TRUSTED_PROXIES = 0
    assert _client_ip(request) == "10.0.0.2"  # no proxy configured: the header is the client's word
    settings.CCHC_TRUSTED_PROXIES = 1
    assert _client_ip(request) == "203.113.1.9"  # what our proxy saw; the spoofed first hop is ignored


def test_the_sender_follows_a_feedback_and_rates_it_on_the_public_site(client, w, users):
    from cchc.dossiers.services import Sender

    fb = services.feedback_receive(
        actor=CITIZEN,
        content="Thủ tục yêu cầu bản sao không cần thiết.",
        sender=Sender(name="Phạm Thị Cúc", phone="0987654321"),
        procedure=w.procedure,
    )
    status_url = reverse("feedback_status", args=[fb.code])
    assert client.get(status_url)["Location"].startswith(reverse("feedback_lookup"))  # no grant yet
    wrong = client.post(reverse("feedback_lookup"), {"code": fb.code, "phone_last_digits": "1111"})
    made_up = client.post(reverse("feedback_lookup"), {"code": "PAKN-X-1", "phone_last_digits": "4321"})
    assert wrong.status_code == made_up.status_code == 404
    assert wrong.context["error"] == made_up.context["error"]
    r = client.post(reverse("feedback_lookup"), {"code": fb.code, "phone_last_digits": "4321"}, follow=True)
    html = r.content.decode()
    assert r.status_code == 200 and "Đã tiếp nhận" in html and "feedback-rating-form" not in html
    assert "bản sao không cần thiết" not in html  # the page shows the handling, not the content
    services.feedback_answer(actor=users.officer, feedback=fb, answer="Đã bỏ yêu cầu bản sao.")
    assert "Đã bỏ yêu cầu bản sao" not in client.get(status_url).content.decode()  # not yet published
    services.feedback_publish(actor=users.officer, feedback=fb)
    html = client.get(status_url).content.decode()
    assert "Đã bỏ yêu cầu bản sao" in html and "feedback-rating-form" in html
    r = client.post(status_url, {"rating": "hai_long"}, follow=True)
    assert "Ông/Bà đã đánh giá: <b>Hài lòng</b>" in r.content.decode()
    r = client.post(status_url, {"rating": "khong_hai_long"}, follow=True)
    assert "chỉ đánh giá một lần" in r.content.decode()
    fb.refresh_from_db()
    assert fb.sender_rating == "hai_long"


def test_public_feedback_is_throttled_per_address(client, w):
    """Issue 17: 30 anonymous feedbacks in 0.4 s each started legal deadlines for a unit."""
    from cchc.dossiers.views_public import FEEDBACK_PER_WINDOW

    form = {
        "dossier_code": "",
        "procedure_code": w.procedure.code,
        "content": "Đề nghị niêm yết rõ mức lệ phí.",
        "sender_name": "Trần Văn D",
        "sender_phone": "0977000111",
    }
    for _ in range(FEEDBACK_PER_WINDOW):
        assert client.post(reverse("feedback_public"), form).status_code == 302
    refused = client.post(reverse("feedback_public"), form)
    assert refused.status_code == 429 and "Vui lòng thử lại sau" in refused.content.decode()
    assert Feedback.objects.count() == FEEDBACK_PER_WINDOW
    assert client.post(reverse("feedback_public"), form, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_rate_limits_count_in_a_cache_shared_by_every_worker(db):
    """A per-process memory cache let each gunicorn worker count alone (25–30 guesses per burst)."""
    from django.conf import settings
    from django.core.cache import cache

    assert settings.CACHES["default"]["BACKEND"].endswith(("DatabaseCache", "RedisCache"))
    cache.set("cchc:test", 1, 60)  # the table exists after migrate
    assert cache.get("cchc:test") == 1
