"""Pages of the 766 index: access (role × own/other unit), what the page shows, the "Tính lại"
button, the certified-copy form, bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.core.actors import SYSTEM
from cchc.core.models import AuditEntry
from cchc.index766.compute import index766_compute
from cchc.index766.models import CertifiedCopyOffer, Snapshot

from .conftest import PASSWORD
from .test_index766 import Q1, build_world


@pytest.fixture
def world(tree):
    return build_world(tree)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def unit_url(unit, key=Q1):
    return f"{reverse('index766:unit', args=[unit.pk])}?ky={key}"


# role → (unit reached through the tree fixture, expected status)
READ_MATRIX = [
    ("admin", "province", 200),
    ("coordinator", "province", 200),
    ("coordinator", "commune", 200),
    ("leader", "province", 200),
    ("leader", "stp", 200),
    ("officer", "stp", 200),  # own unit
    ("officer", "sct", 403),  # another agency
    ("officer", "province", 403),
    ("officer_other", "stp", 403),
    ("commune_officer", "commune", 200),
    ("commune_officer", "commune2", 403),
    ("commune_coordinator", "commune", 200),
    ("commune_coordinator", "province", 403),
    ("foreign_coordinator", "province", 403),
    ("foreign_coordinator", "commune", 403),
]


def _unit(tree, name):
    return {
        "province": tree.province,
        "stp": tree.agency("STP"),
        "sct": tree.agency("SCT"),
        "commune": tree.communes[0],
        "commune2": tree.communes[1],
    }[name]


@pytest.mark.parametrize("role, target, status", READ_MATRIX)
def test_who_may_read_which_unit(client, world, users, role, target, status):
    index766_compute(actor=SYSTEM, period_keys=[Q1])
    response = login(client, getattr(users, role)).get(unit_url(_unit(world, target)))
    assert response.status_code == status
    if status == 403:
        assert "quyền" in response.content.decode()


@pytest.mark.parametrize(
    "role, target, status",
    [
        ("admin", "province", 302),
        ("coordinator", "province", 302),
        ("coordinator", "commune", 302),
        ("commune_coordinator", "commune", 302),
        ("leader", "province", 403),
        ("officer", "stp", 403),
        ("commune_officer", "commune", 403),
        ("commune_coordinator", "province", 403),
        ("foreign_coordinator", "province", 403),
    ],
)
def test_who_may_recompute(client, world, users, role, target, status):
    unit = _unit(world, target)
    response = login(client, getattr(users, role)).post(
        reverse("index766:recompute", args=[unit.pk]), {"ky": Q1}
    )
    assert response.status_code == status
    computed = Snapshot.objects.filter(unit=unit, period=Q1).exists()
    audited = AuditEntry.objects.filter(action="index766.compute").exists()
    assert computed == audited == (status == 302)


def test_anonymous_users_go_to_the_login_page(client, world):
    assert client.get(reverse("index766:index")).status_code == 302
    response = client.post(reverse("index766:recompute", args=[world.province.pk]), {"ky": Q1})
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert not Snapshot.objects.exists()


def test_the_province_page_shows_groups_indicators_ranking_and_chart(client, world, users):
    c = login(client, users.coordinator)
    response = c.post(reverse("index766:recompute", args=[world.province.pk]), {"ky": Q1}, follow=True)
    html = response.content.decode()
    assert "Đã tính lại Chỉ số 766 (Quý I/2026)" in html
    assert "57,10 / 100" in html  # Vietnamese decimal comma
    for group in (
        "Công khai, minh bạch",
        "Tiến độ giải quyết",
        "Dịch vụ công trực tuyến",
        "Mức độ số hóa hồ sơ",
    ):
        assert group in html
    assert "13,33" in html and "<svg" in html and "Điểm Chỉ số 766 theo nhóm" in html
    assert "Xếp hạng các sở, ban, ngành" in html and "Xếp hạng các xã, phường" in html
    assert reverse("index766:unit", args=[world.communes[0].pk]) in html
    assert "Xếp hạng trong các tỉnh, thành phố" in html
    # average processing time per procedure, not scored
    assert "1.000001" in html and "8,33" in html
    # an agency page: what is not computable says why
    html = c.get(unit_url(world.agency("SCT"))).content.decode()
    assert "Không tính được: Đơn vị không có thủ tục nào thu phí, lệ phí." in html


def test_index_opens_the_users_highest_unit_and_a_bad_period_is_explained(client, world, users):
    index766_compute(actor=SYSTEM, period_keys=[Q1])
    html = login(client, users.coordinator).get(reverse("index766:index")).content.decode()
    assert "Tỉnh Đồng Nai" in html and "Quý I/2026" in html
    response = client.get(reverse("index766:index"), {"ky": "2026-Q9"})
    assert response.status_code == 400
    assert "Kỳ “2026-Q9” không hợp lệ" in response.content.decode()
    response = client.get(reverse("index766:index"), {"don_vi": world.other_province.pk})
    assert response.status_code == 403
    client.logout()
    html = login(client, users.commune_officer).get(reverse("index766:index")).content.decode()
    assert world.communes[0].name in html and "Xếp hạng trong các xã, phường của tỉnh" in html
    assert "Tính lại" not in html  # officers read only


def test_a_period_not_yet_computed_says_so(client, world, users):
    html = login(client, users.leader).get(unit_url(world.province, "2026-02")).content.decode()
    assert "Chưa tính Chỉ số 766 cho kỳ Tháng 2/2026" in html
    assert "Đề nghị cán bộ đầu mối CCHC tính lại" in html


def test_bad_period_on_recompute_leaves_no_trace(client, world, users):
    response = login(client, users.coordinator).post(
        reverse("index766:recompute", args=[world.province.pk]), {"ky": "quý 1"}, follow=True
    )
    assert "Kỳ không hợp lệ: “quý 1”" in response.content.decode()
    assert not Snapshot.objects.exists() and not AuditEntry.objects.filter(action="index766.compute").exists()


def test_certified_copy_form(client, world, users):
    commune = world.communes[2]
    url = reverse("index766:certified_copy", args=[commune.pk])
    c = login(client, users.coordinator)
    response = c.post(url, {"offered": "on", "since": "15/02/2026", "ky": Q1}, follow=True)
    assert "Đã cập nhật thông tin chứng thực bản sao điện tử" in response.content.decode()
    assert "từ ngày 15/02/2026" in response.content.decode()
    assert CertifiedCopyOffer.objects.get(unit=commune).offered
    response = c.post(url, {"offered": "on", "since": "31/02/2026"})
    assert response.status_code == 400 and "ngày/tháng/năm" in response.content.decode()
    response = c.post(reverse("index766:certified_copy", args=[world.agency("STP").pk]), {"offered": "on"})
    assert response.status_code == 400 and "Chỉ xã, phường, đặc khu" in response.content.decode()
    assert AuditEntry.objects.filter(action="index766.certified_copy").count() == 1
    client.logout()
    response = login(client, users.commune_officer).post(
        reverse("index766:certified_copy", args=[world.communes[0].pk]), {"since": ""}
    )
    assert response.status_code == 403
    assert CertifiedCopyOffer.objects.get(unit=world.communes[0]).offered  # unchanged


def test_the_page_needs_a_bounded_number_of_queries(client, world, users, django_assert_max_num_queries):
    index766_compute(actor=SYSTEM, period_keys=[Q1])
    c = login(client, users.coordinator)
    c.get(unit_url(world.province))  # warm the session
    with django_assert_max_num_queries(20):
        assert c.get(unit_url(world.province)).status_code == 200
