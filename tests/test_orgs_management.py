import pytest
from django.urls import reverse

from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.models import AuditEntry
from cchc.orgs.models import Membership, Role, UnitKind, User
from cchc.orgs.services import membership_revoke, unit_add, user_add

from .conftest import PASSWORD, raises_code


def test_coordinator_adds_units_and_officers_in_own_subtree(tree, users):
    commune = tree.communes[0]
    office = unit_add(actor=users.coordinator, parent=commune, name="Bộ phận Một cửa", kind=UnitKind.SUBUNIT)
    assert office.parent == commune and office.path.startswith(commune.path)
    user = user_add(
        actor=users.coordinator,
        unit=office,
        username="motcua.dongxoai",
        password="Mot-cua-2026!",
        role=Role.OFFICER,
        full_name="Ngô Thị Mai",
    )
    assert user.check_password("Mot-cua-2026!") and user.memberships.get().role == Role.OFFICER
    assert AuditEntry.objects.filter(action="membership.grant", unit=office).exists()
    with pytest.raises(PermissionDenied):
        unit_add(
            actor=users.coordinator, parent=tree.other_commune, name="Bộ phận Một cửa", kind=UnitKind.SUBUNIT
        )
    with pytest.raises(PermissionDenied):
        unit_add(actor=users.officer, parent=tree.agency("STP"), name="Phòng mới", kind=UnitKind.SUBUNIT)


def test_only_administrators_grant_coordinator_roles(tree, users):
    with pytest.raises(PermissionDenied):
        user_add(
            actor=users.coordinator,
            unit=tree.communes[1],
            username="dp2",
            password="Dieu-phoi-2026!",
            role=Role.COORDINATOR,
        )
    user_add(
        actor=users.admin,
        unit=tree.communes[1],
        username="dp2",
        password="Dieu-phoi-2026!",
        role=Role.COORDINATOR,
    )
    assert User.objects.filter(username="dp2").exists()


def test_user_add_validates_password_and_name(tree, users):
    with pytest.raises(ServiceError) as exc:
        user_add(
            actor=users.coordinator, unit=tree.communes[1], username="a b", password="123", role=Role.OFFICER
        )
    assert "username" in exc.value.message_dict
    with pytest.raises(ServiceError) as exc:
        user_add(
            actor=users.coordinator,
            unit=tree.communes[1],
            username="canbo2",
            password="123",
            role=Role.OFFICER,
        )
    assert "password" in exc.value.message_dict
    assert not User.objects.filter(username="canbo2").exists()


def test_revoke(tree, users):
    membership = Membership.objects.get(user=users.commune_officer)
    membership_revoke(actor=users.coordinator, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    own = Membership.objects.get(user=users.commune_coordinator)
    with raises_code("own_role_revoke"):
        membership_revoke(actor=users.commune_coordinator, membership=own)


def test_forms_show_errors_next_to_fields(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    response = client.post(
        reverse("orgs:user_add", args=[tree.communes[0].pk]),
        {"username": "x y", "full_name": "", "role": "officer", "password": "1"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Trường này là bắt buộc." in body  # full name, next to its field
    response = client.post(
        reverse("orgs:unit_add", args=[tree.communes[0].pk]), {"name": "Tổ công tác", "kind": "other"}
    )
    assert response.status_code == 302
    client.logout()
    client.login(username=users.commune_officer.username, password=PASSWORD)
    assert (
        client.post(
            reverse("orgs:unit_add", args=[tree.communes[0].pk]), {"name": "X", "kind": "other"}
        ).status_code
        == 403
    )


def test_password_change(client, users):
    client.login(username=users.officer.username, password=PASSWORD)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mat-khau-moi-2026",
            "new_password2": "Mat-khau-moi-2026",
        },
    )
    assert response.status_code == 302
    users.officer.refresh_from_db()
    assert users.officer.check_password("Mat-khau-moi-2026")
