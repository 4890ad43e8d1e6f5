import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from cchc.core.errors import PermissionDenied
from cchc.core.models import AuditEntry
from cchc.tracking.models import Assignment
from cchc.tracking.reminders import reminders_due, reminders_send

from .conftest import PASSWORD


def test_reminders_list_overdue_and_unreported_work(
    issued_plan, users, tree, django_capture_on_commit_callbacks
):
    year = issued_plan.from_year
    users.officer.email = "tuphap@dongnai.gov.vn"
    users.officer.save()
    today = dt.date(year, 11, 20)
    # the commune reported this window on its task: nothing to remind it of
    Assignment.objects.filter(unit=tree.communes[0]).update(
        last_reported_on=dt.date(year, 10, 1), updates_count=1
    )
    due = reminders_due(plan=issued_plan, today=today)
    stp = due[tree.agency("STP").pk]
    assert [a.task.number for a in stp.overdue] == ["1"] and [a.task.number for a in stp.not_reported] == [
        "2"
    ]
    assert tree.communes[0].pk not in due
    with django_capture_on_commit_callbacks(execute=True):
        sent, missing = reminders_send(actor=users.coordinator, plan=issued_plan, today=today)
    assert sent == 1 and missing == len(due) - 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["tuphap@dongnai.gov.vn"]
    assert "quá hạn" in mail.outbox[0].body and "Quý IV" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="reminders.send").exists()
    with pytest.raises(PermissionDenied):
        reminders_send(actor=users.leader, plan=issued_plan, today=today)


def test_remind_button_only_for_managers(client, issued_plan, users):
    client.login(username=users.leader.username, password=PASSWORD)
    assert client.post(reverse("tracking:remind", args=[issued_plan.pk])).status_code == 403
    client.login(username=users.coordinator.username, password=PASSWORD)
    assert client.post(reverse("tracking:remind", args=[issued_plan.pk])).status_code == 302
