import datetime as dt

import pytest
from django.urls import reverse

from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.models import AuditEntry
from cchc.core.working_calendar import current_calendar, policy_for_unit
from cchc.orgs.services_calendar import calendar_day_save, work_schedule_save

from .conftest import PASSWORD, raises_code


def test_shipped_schedule_is_in_the_calendar(db):
    cal = current_calendar()
    assert not cal.is_working_day(dt.date(2026, 1, 2))  # swap announced by 12729/VPCP-KGVX
    assert cal.is_working_day(dt.date(2026, 1, 10))  # the Saturday worked in exchange
    assert not cal.is_working_day(dt.date(2026, 2, 17))  # Tết


def test_administrator_changes_the_calendar(users):
    assert not current_calendar().is_working_day(dt.date(2026, 11, 24))
    calendar_day_save(
        actor=users.admin,
        date=dt.date(2026, 11, 24),
        kind="day_off",
        name="Ngày Văn hóa Việt Nam",
        legal_reference="chưa có hiệu lực",
        enabled=False,
    )
    assert current_calendar().is_working_day(dt.date(2026, 11, 24))
    calendar_day_save(
        actor=users.admin,
        date=dt.date(2026, 12, 31),
        kind="day_off",
        name="Nghỉ thử nghiệm",
        legal_reference="Thông báo số 1/TB",
    )
    assert not current_calendar().is_working_day(dt.date(2026, 12, 31))
    assert AuditEntry.objects.filter(action="calendar.save").count() == 2
    with pytest.raises(PermissionDenied):
        calendar_day_save(
            actor=users.coordinator, date=dt.date(2026, 12, 30), kind="day_off", name="x", legal_reference="y"
        )
    with pytest.raises(ServiceError) as exc:
        calendar_day_save(
            actor=users.admin, date=dt.date(2026, 12, 30), kind="working_day", name="", legal_reference=""
        )
    assert set(exc.value.message_dict) == {"kind", "name", "legal_reference"}


def test_unit_schedule_applies_to_the_subtree(tree, users):
    commune = tree.communes[0]
    assert policy_for_unit(commune).cutoff == dt.time(15, 0)
    work_schedule_save(
        actor=users.coordinator, unit=tree.province, hours="08:00-12:00,13:30-17:30", cutoff=dt.time(16, 0)
    )
    policy = policy_for_unit(commune)
    assert policy.cutoff == dt.time(16, 0)
    due = policy.due_date(dt.datetime(2026, 3, 2, 15, 30), 1, "working_day")
    assert due.effective_start.hour == 15 and due.effective_start.minute == 30  # before the 16:00 cut-off
    with raises_code("working_hours_invalid"):
        work_schedule_save(actor=users.coordinator, unit=commune, hours="sáng", cutoff=None)
    with pytest.raises(PermissionDenied):
        work_schedule_save(actor=users.officer, unit=commune, hours="08:00-12:00", cutoff=None)


def test_calendar_page_and_calculator(client, users):
    client.login(username=users.officer.username, password=PASSWORD)
    body = client.get(reverse("calendar") + "?nam=2026").content.decode()
    assert "Tết Nguyên đán" in body and "02/01/2026" in body
    assert client.post(reverse("calendar"), {"date": "31/12/2026"}).status_code == 403
    response = client.get(
        reverse("due_date_preview"),
        {"tiep_nhan_luc": "13/02/2026 16:05", "thoi_han": "5", "don_vi_tinh": "working_day"},
        HTTP_HX_REQUEST="true",
    )
    assert "17:00 ngày 27/02/2026" in response.content.decode()


def test_a_units_administrator_cannot_change_the_national_calendar(client, tree, users):
    """Issue 17: an administrator of one commune moved every due date in every province."""
    from cchc.core.actors import SYSTEM
    from cchc.orgs.models import Role
    from cchc.orgs.services import user_create

    commune_admin = user_create(
        actor=SYSTEM, username="quantri.xa", password=PASSWORD, roles=[(tree.communes[0], Role.ADMIN)]
    )
    with pytest.raises(PermissionDenied):
        calendar_day_save(
            actor=commune_admin, date=dt.date(2026, 12, 30), kind="day_off", name="x", legal_reference="y"
        )
    client.login(username="quantri.xa", password=PASSWORD)
    response = client.post(
        reverse("calendar"), {"date": "30/12/2026", "kind": "day_off", "name": "x", "legal_reference": "y"}
    )
    assert response.status_code == 403
    assert current_calendar().is_working_day(dt.date(2026, 12, 30))
    # the system administrator can, and the audit row says the change is national
    calendar_day_save(
        actor=users.admin, date=dt.date(2026, 12, 30), kind="day_off", name="x", legal_reference="y"
    )
    assert AuditEntry.objects.get(action="calendar.save").after["scope"] == "national"
