"""The pieces every access-matrix test shares (role × page × own/other unit, modelled on Read the
Docs' test_privacy_urls): the roles of the `users` fixture and the two checks a row makes.

A row of a matrix is ``(name, method, url builder, allowed roles, success status)``; the url
builder takes the test's objects.
"""

from __future__ import annotations

from django.urls import reverse

from .conftest import PASSWORD

# the users of the `users` fixture (tests/conftest.py), by attribute name
ROLES = [
    "admin",
    "coordinator",
    "leader",
    "officer",  # Sở Tư pháp
    "officer_other",  # Sở Công Thương
    "commune_officer",
    "commune_coordinator",
    "foreign_coordinator",  # of the other province
]
EVERYONE = set(ROLES)
PROVINCE_MANAGERS = {"admin", "coordinator"}
PROVINCE_OVERSEERS = {"admin", "coordinator", "leader"}


def row_ids(matrix) -> list[str]:
    return [row[0] for row in matrix]


def assert_row_access(client, users, role: str, row, objects, data: dict | None = None) -> None:
    """Signed in as `role`, the row's page answers its success status if the role is allowed,
    else 403 with a page that speaks of rights (quyền)."""
    _name, method, url_of, allowed, success = row
    url = url_of(objects)
    assert client.login(username=getattr(users, role).username, password=PASSWORD)
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    expected = success if role in allowed else 403
    assert response.status_code == expected, (
        f"{role} {method.upper()} {url}: {response.status_code}, expected {expected}"
    )
    if expected == 403:
        assert "quyền" in response.content.decode()


def assert_sent_to_login(client, row, objects) -> None:
    """Anonymous, the row's page redirects to the login page."""
    _name, method, url_of, _allowed, _success = row
    response = getattr(client, method)(url_of(objects))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def reads(matrix) -> list:
    """The rows that only read (GET): one set of objects serves every role, since reading
    changes nothing — one test per row instead of one per row and role."""
    return [row for row in matrix if row[1] == "get"]


def writes(matrix) -> list:
    """The rows that change something: a fresh set of objects for every role."""
    return [row for row in matrix if row[1] != "get"]


def assert_read_row(client, users, row, objects, check=None, roles=None) -> None:
    """Anonymous is sent to the login page, then every role in turn gets its answer
    (``check(client, role)`` instead of `assert_row_access` when the module has its own rule)."""
    assert_sent_to_login(client, row, objects)
    for role in roles or ROLES:
        client.logout()
        if check is not None:
            check(client, role)
        else:
            assert_row_access(client, users, role, row, objects)
