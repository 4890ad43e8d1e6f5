"""Login lockout (issue 17: 50 wrong passwords in 12 s were never refused): after 5 wrong
passwords an account is locked for every address, and an address for every account; the right
password does not get through while locked; an administrator can unlock."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from .conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("lockout_on")


@pytest.fixture
def lockout_on():
    with override_settings(AXES_ENABLED=True):
        yield


def attempt(client, username, password, addr="10.1.1.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=addr)


def test_five_wrong_passwords_lock_the_account_then_an_administrator_unlocks(client, users):
    name = users.officer.username
    for _ in range(4):
        assert attempt(client, name, "sai-mat-khau").status_code == 200  # the form again, with an error
    locked = attempt(client, name, "sai-mat-khau")
    assert locked.status_code == 429 and "Tạm khóa đăng nhập" in locked.content.decode()
    # locked for the right password too, and from another address
    assert attempt(client, name, PASSWORD, addr="10.9.9.9").status_code == 429
    call_command("axes_reset_username", name, verbosity=0)
    assert attempt(client, name, PASSWORD, addr="10.9.9.9").status_code == 302


def test_an_address_guessing_many_accounts_is_locked(client, users):
    for user in (users.officer, users.officer_other, users.leader, users.commune_officer):
        attempt(client, user.username, "sai", addr="10.2.2.2")
    assert attempt(client, users.coordinator.username, "sai", addr="10.2.2.2").status_code == 429
    # the same accounts from elsewhere are not locked (each has one failure)
    assert attempt(client, users.leader.username, PASSWORD, addr="10.3.3.3").status_code == 302
