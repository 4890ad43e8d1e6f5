"""Public feedback (PAKN) without any code: find the procedure by words of its name, or address
the feedback to an agency picked from the list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.core.actors import SYSTEM
from cchc.dossiers.models import Feedback
from cchc.procedures.selectors import feedback_agencies, procedure_search_by_name

from .test_dossiers_support import make_procedure, make_world

SENDER = {
    "content": "Đề nghị niêm yết rõ mức lệ phí.",
    "sender_name": "Trần Văn D",
    "sender_phone": "0977000111",
}


@pytest.fixture
def w(tree, users):
    world = make_world(tree, users)
    make_procedure(world.agency, code="1.000894", name="Thủ tục đăng ký kết hôn", steps=False)
    make_procedure(world.agency, code="1.001022", name="Thủ tục đăng ký lại khai sinh", steps=False)
    return world


def test_search_by_name_folds_accents_and_orders_in_vietnamese(w):
    names = [p.name for p in procedure_search_by_name("dang ky")]
    assert names == ["Thủ tục đăng ký kết hôn", "Thủ tục đăng ký khai sinh", "Thủ tục đăng ký lại khai sinh"]
    assert [p.code for p in procedure_search_by_name("KẾT HÔN")] == ["1.000894"]
    assert procedure_search_by_name("   ") == []


def test_one_match_by_name_is_enough(client, w):
    r = client.post(reverse("feedback_public"), {"procedure_query": "ket hon", **SENDER})
    assert r.status_code == 302
    fb = Feedback.objects.get()
    assert fb.procedure.code == "1.000894" and fb.unit == w.agency


def test_several_matches_ask_to_pick_one(client, w):
    r = client.post(reverse("feedback_public"), {"procedure_query": "khai sinh", **SENDER})
    html = r.content.decode()
    assert r.status_code == 400 and "Có 2 thủ tục khớp" in html
    assert "Thủ tục đăng ký khai sinh — Sở Tư pháp (1.001193)" in html and not Feedback.objects.exists()
    again_pk = procedure_search_by_name("lai khai sinh")[0].pk
    r = client.post(
        reverse("feedback_public"), {"procedure_query": "khai sinh", "procedure_id": again_pk, **SENDER}
    )
    assert r.status_code == 302 and Feedback.objects.get().procedure.code == "1.001022"


def test_nothing_found_says_what_to_do(client, w):
    r = client.post(reverse("feedback_public"), {"procedure_query": "cap phep bay", **SENDER})
    assert r.status_code == 400 and "Không tìm thấy thủ tục nào" in r.content.decode()


def test_feedback_to_an_agency_picked_from_the_list(client, w):
    page = client.get(reverse("feedback_public")).content.decode()
    assert "Cơ quan nhận phản ánh" in page and w.agency.name in page
    r = client.post(reverse("feedback_public"), {"agency": w.agency.pk, **SENDER})
    assert r.status_code == 302
    fb = Feedback.objects.get()
    assert fb.unit == w.agency and fb.procedure is None and fb.dossier is None
    # nothing chosen at all: told to choose, nothing stored
    r = client.post(reverse("feedback_public"), SENDER)
    assert r.status_code == 400 and "Chọn cơ quan, thủ tục hoặc hồ sơ" in r.content.decode()
    assert Feedback.objects.count() == 1


def test_the_agency_list_is_current_units_with_procedures_in_vietnamese_order(w, tree):
    from cchc.orgs.services import unit_create

    former = unit_create(actor=SYSTEM, name="Ấp cũ", kind="agency", parent=tree.province, code="OLD1")
    make_procedure(former, code="9.000001", name="Thủ tục cũ", steps=False)
    former.valid_to = former.valid_from or __import__("datetime").date(2025, 6, 30)
    former.save()
    names = [u.name for u in feedback_agencies()]
    assert w.agency.name in names and "Ấp cũ" not in names
