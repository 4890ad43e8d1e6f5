"""The administrators' page of API clients: who may list, register and revoke (role × URL, the
same shape as tests/test_access_matrix.py), the token shown once and working, a revoked token
refused, and a unit's administrator kept to the clients of their own subtree."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.api.models import ApiClient
from cchc.api.services import client_register
from cchc.core.actors import SYSTEM
from cchc.core.models import AuditEntry
from cchc.orgs.models import Role
from cchc.orgs.services import user_create

from .access_helpers import (
    ROLES,
    assert_read_row,
    assert_row_access,
    assert_sent_to_login,
    reads,
    row_ids,
    writes,
)
from .conftest import PASSWORD

ADMINS = {"admin"}  # the system administrator (the fixture's superuser); no other role

# (name, method, url builder, allowed roles, success status)
MATRIX = [
    ("api_clients:list", "get", lambda o: reverse("api_clients:list"), ADMINS, 200),
    ("api_clients:create", "post", lambda o: reverse("api_clients:create"), ADMINS, 400),  # empty form
    ("api_clients:revoke", "post", lambda o: reverse("api_clients:revoke", args=[o.pk]), ADMINS, 302),
]


@pytest.fixture
def objects(tree):
    return client_register(
        actor=SYSTEM, name="Một cửa điện tử tỉnh", unit=tree.province, scope="write"
    ).client


@pytest.mark.parametrize("row", reads(MATRIX), ids=row_ids(reads(MATRIX)))
def test_read_access(client, users, objects, row):
    assert_read_row(client, users, row, objects)


@pytest.mark.parametrize("row", writes(MATRIX), ids=row_ids(writes(MATRIX)))
@pytest.mark.parametrize("role", ROLES)
def test_access(client, users, objects, row, role):
    assert_row_access(client, users, role, row, objects)


@pytest.mark.parametrize("row", writes(MATRIX), ids=row_ids(writes(MATRIX)))
def test_anonymous_is_sent_to_login(client, objects, row):
    assert_sent_to_login(client, row, objects)


def _token_of(html: str) -> str:
    start = html.index('id="token"')
    value = html.index('value="', start) + len('value="')
    return html[value : html.index('"', value)]


def test_register_shows_the_token_once_and_revoke_stops_it(client, users, tree):
    assert client.login(username=users.admin.username, password=PASSWORD)
    page = client.post(
        reverse("api_clients:create"),
        {"name": "Hệ thống quản lý văn bản", "unit_code": "P75", "scope": "read", "expires_on": "31/12/2099",
         "rate_per_minute": "120"},
    )  # fmt: skip
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    html = page.content.decode()
    assert "chỉ hiện một lần" in html
    token = _token_of(html)
    made = ApiClient.objects.get(name="Hệ thống quản lý văn bản")
    assert (made.scope, made.unit, made.rate_per_minute) == ("read", tree.province, 120)
    assert made.expires_at.date().isoformat() == "2099-12-31"
    assert token.startswith(made.token_prefix) and made.token_hash != token
    listed = client.get(reverse("api_clients:list")).content.decode()
    assert token not in listed and f"{made.token_prefix}…" in listed  # never shown again
    api = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/units", **api).status_code == 200
    revoked = client.post(reverse("api_clients:revoke", args=[made.pk]))
    assert revoked.status_code == 302
    assert client.get("/api/v1/units", **api).status_code == 401
    assert AuditEntry.objects.filter(action="api.client_revoke", object_id=str(made.pk)).exists()
    again = client.post(reverse("api_clients:revoke", args=[made.pk]), follow=True)
    assert "đã bị thu hồi" in again.content.decode()


def test_bad_input_keeps_the_form_and_says_why(client, users, tree):
    assert client.login(username=users.admin.username, password=PASSWORD)
    for data, says in (
        ({"name": "A", "unit_code": "KHONG-CO", "scope": "read", "rate_per_minute": "60"}, "Không có đơn vị mã"),
        ({"name": "A", "unit_code": "P75", "scope": "xoa", "rate_per_minute": "60"}, "Hãy chọn một lựa chọn hợp lệ"),
        ({"name": "A", "unit_code": "P75", "scope": "read", "rate_per_minute": "0"}, "lớn hơn hoặc bằng với 1"),
        ({"name": "A", "unit_code": "P75", "scope": "read", "rate_per_minute": "60", "expires_on": "01/01/2000"},
         "Ngày hết hạn phải sau hôm nay"),
        ({"name": "A", "unit_code": "P75", "scope": "read", "rate_per_minute": "60", "expires_on": "31/02/2030"},
         "Nhập một ngày hợp lệ"),
    ):  # fmt: skip
        page = client.post(reverse("api_clients:create"), data)
        assert page.status_code == 400, data
        html = page.content.decode()
        assert says in html, (data, says)
        assert 'value="A"' in html  # what was typed stays in the form
    assert not ApiClient.objects.exists()


def test_a_unit_administrator_sees_and_revokes_only_their_subtree(client, tree):
    own = client_register(
        actor=SYSTEM, name="Ứng dụng Sở Tư pháp", unit=tree.agency("STP"), scope="read"
    ).client
    other = client_register(
        actor=SYSTEM, name="Ứng dụng tỉnh khác", unit=tree.other_province, scope="read"
    ).client
    admin = user_create(
        actor=SYSTEM, username="quantri.stp", password=PASSWORD, roles=[(tree.agency("STP"), Role.ADMIN)]
    )
    assert client.login(username=admin.username, password=PASSWORD)
    listed = client.get(reverse("api_clients:list")).content.decode()
    assert own.name in listed and other.name not in listed
    assert client.post(reverse("api_clients:revoke", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
    refused = client.post(
        reverse("api_clients:create"),
        {"name": "Vượt phạm vi", "unit_code": "P75", "scope": "write", "rate_per_minute": "60"},
    )
    assert refused.status_code == 400 and "phạm vi quản trị" in refused.content.decode()
    made = client.post(
        reverse("api_clients:create"),
        {"name": "Trong phạm vi", "unit_code": "P75.STP", "scope": "write", "rate_per_minute": "60"},
    )
    assert made.status_code == 200 and ApiClient.objects.get(name="Trong phạm vi").unit == tree.agency("STP")
