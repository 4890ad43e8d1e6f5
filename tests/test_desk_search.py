"""The staff search by the applicant's personal data (name without accents or case, ID number):
only for those who may see personal data — who handle the dossier at its desk or handling unit —
within their units; leaders and other units find nothing; every search is audited without the
name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.core.errors import PermissionDenied
from cchc.core.models import AuditEntry
from cchc.dossiers.models import Dossier
from cchc.dossiers.personal import Applicant
from cchc.dossiers.search import PersonalSearch, dossier_search_personal

from .conftest import PASSWORD, raises_code
from .test_dossiers_support import APPLICANT, local, make_world

LAN = Applicant(name="Trần Thị Lan", id_number="079190005678", phone="0987000111")


@pytest.fixture
def w(tree, users):
    w = make_world(tree, users)
    w.an = w.receive(at=local(2026, 3, 2, 9))  # Nguyễn Văn An
    w.lan = w.receive(at=local(2026, 3, 2, 10), applicant=LAN)
    return w


def codes(rows) -> set[str]:
    return {d.code for d in rows}


def search(actor, **kw):
    return codes(dossier_search_personal(actor=actor, query=PersonalSearch(**kw)))


@pytest.mark.parametrize("name", ["nguyen van an", "NGUYỄN VĂN AN", "Nguyễn văn", "nguyen  AN", "ngu"])
def test_by_name_without_accents_or_case(w, name):
    assert search(w.desk_officer, name=name) == {w.an.code}


def test_each_word_starts_a_word_of_the_name(w):
    assert search(w.desk_officer, name="an") == {w.an.code}  # not "Lan"
    assert search(w.desk_officer, name="lan") == {w.lan.code}
    assert search(w.desk_officer, name="thi") == {w.lan.code}


def test_by_id_number_and_both(w):
    assert search(w.desk_officer, id_number=APPLICANT.id_number) == {w.an.code}
    assert search(w.desk_officer, id_number=" 0791 9000 5678 ") == {w.lan.code}
    assert search(w.desk_officer, name="an", id_number=LAN.id_number) == set()


def test_within_the_users_units_only(w, users):
    assert search(users.officer, name="an") == {w.an.code}  # the handling unit (Sở Tư pháp)
    assert search(users.coordinator, name="an") == {w.an.code}  # the province's subtree
    assert search(users.officer_other, name="an") == set()  # Sở Công Thương
    assert search(users.commune_officer, id_number=APPLICANT.id_number) == set()
    assert search(users.foreign_coordinator, name="an") == set()


def test_a_leader_gets_no_personal_data(client, w, users):
    with pytest.raises(PermissionDenied):
        search(users.leader, name="an")
    client.login(username=users.leader.username, password=PASSWORD)
    assert client.get(reverse("dossiers:personal_search") + "?ten=an").status_code == 403
    # nor through the queue's search box: the code matches, the ID number does not
    page = client.get(reverse("dossiers:list") + f"?q={APPLICANT.id_number}")
    assert page.status_code == 200 and list(page.context["rows"]) == []
    page = client.get(reverse("dossiers:list") + f"?q={w.an.code}")
    [(found, applicant)] = page.context["rows"]
    assert found.code == w.an.code and applicant.masked and APPLICANT.id_number not in page.content.decode()
    assert "Tìm theo người nộp" not in page.content.decode()


def test_the_queue_finds_by_id_number_for_the_desk(client, w):
    client.login(username=w.desk_officer.username, password=PASSWORD)
    page = client.get(reverse("dossiers:list") + f"?q={APPLICANT.id_number}")
    assert [d.code for d, _a in page.context["rows"]] == [w.an.code]


def test_every_search_is_audited_without_the_name(w):
    search(w.desk_officer, name="nguyen van an")
    search(w.desk_officer, id_number=LAN.id_number)
    by_name, by_id = AuditEntry.objects.filter(action="dossier.personal_search").order_by("id")
    assert by_name.actor_id == w.desk_officer.pk and by_name.unit_id == w.desk.pk
    assert by_name.after == {"by_name": True, "id_number": "", "found": [w.an.code]}
    assert by_id.after == {"by_name": False, "id_number": "0791******78", "found": [w.lan.code]}
    for entry in (by_name, by_id):
        text = str(entry.after) + entry.object_repr
        assert "nguyen" not in text.lower() and LAN.id_number not in text


def test_bad_queries_are_refused_with_a_message(client, w):
    with raises_code("personal_search_invalid"):
        search(w.desk_officer, name="", id_number="")
    with raises_code("personal_search_invalid"):
        search(w.desk_officer, id_number="12ab")
    client.login(username=w.desk_officer.username, password=PASSWORD)
    page = client.get(reverse("dossiers:personal_search") + "?so_dinh_danh=12ab")
    assert page.status_code == 400 and "Số định danh cá nhân gồm 12 chữ số" in page.content.decode()
    assert not AuditEntry.objects.filter(action="dossier.personal_search").exists()


def test_the_search_page_shows_the_applicant_in_clear_to_the_desk(client, w):
    client.login(username=w.desk_officer.username, password=PASSWORD)
    page = client.get(reverse("dossiers:personal_search") + "?ten=tran+thi+lan")
    html = page.content.decode()
    assert page.status_code == 200 and w.lan.code in html and LAN.id_number in html and w.an.code not in html


def test_stored_names_are_folded_for_the_search(w):
    assert Dossier.objects.get(pk=w.an.pk).applicant_search == " nguyen van an"
