"""Who acts: a user, the system or a citizen — explicit, recorded in the audit log, never None."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from cchc.core.actors import CITIZEN, SYSTEM, ActorKind, actor_kind, is_user
from cchc.core.audit import audit_record
from cchc.core.models import AuditEntry
from cchc.orgs.access import Access
from cchc.orgs.models import UnitKind, user_of
from cchc.orgs.services import unit_create


def test_kinds_and_the_user_to_store(users):
    assert actor_kind(users.officer) is ActorKind.USER and user_of(users.officer) == users.officer
    assert actor_kind(SYSTEM) is ActorKind.SYSTEM and user_of(SYSTEM) is None
    assert actor_kind(CITIZEN) is ActorKind.CITIZEN and user_of(CITIZEN) is None
    assert is_user(users.officer) and not is_user(SYSTEM) and not is_user(CITIZEN)
    assert (str(SYSTEM), str(CITIZEN)) == ("Hệ thống", "Người dân")


@pytest.mark.parametrize("not_an_actor", [None, AnonymousUser()])
def test_none_and_an_anonymous_user_are_not_actors(not_an_actor):
    with pytest.raises(TypeError):
        actor_kind(not_an_actor)


def test_system_and_citizen_are_granted_nothing_by_the_access_rules(tree):
    for agent in (SYSTEM, CITIZEN):
        access = Access.for_user(agent)
        assert not access.is_superuser and not access.can_read_unit(tree.province)


def test_the_audit_log_records_the_kind_of_actor(tree, users):
    unit = unit_create(actor=SYSTEM, name="Phòng Thử", kind=UnitKind.SUBUNIT, parent=tree.agency("SNV"))
    entry = AuditEntry.objects.get(action="unit.create", object_id=str(unit.pk))
    assert (entry.actor_kind, entry.actor) == (ActorKind.SYSTEM, None)
    by_citizen = audit_record(actor=CITIZEN, action="test.citizen", obj=unit)
    by_user = audit_record(actor=users.coordinator, action="test.user", obj=unit)
    assert (by_citizen.actor_kind, by_citizen.actor) == (ActorKind.CITIZEN, None)
    assert (by_user.actor_kind, by_user.actor) == (ActorKind.USER, users.coordinator)
    with pytest.raises(TypeError):
        audit_record(actor=None, action="test.nobody", obj=unit)  # type: ignore[arg-type]
