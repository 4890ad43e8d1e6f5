"""The system warns the handling unit in time to send the apology (one working day before the
due time), once per dossier, and says nothing about dossiers that are not at risk."""

from __future__ import annotations

from django.core import mail
from django.core.management import call_command

from cchc.core.models import AuditEntry
from cchc.dossiers import services
from cchc.dossiers.reminders import ACTION, apology_reminders_send

from .test_dossiers_support import local, make_world


def test_warns_once_within_the_last_working_day_before_the_apology_deadline(
    tree, users, django_capture_on_commit_callbacks
):
    w = make_world(tree, users)
    d = w.receive(at=local(2026, 3, 2, 9, 0))  # due Monday 9/3 09:00: apology by Friday 6/3 09:00
    users.officer.email = "canbo.tuphap@dongnai.gov.vn"
    users.officer.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        assert apology_reminders_send(now=local(2026, 3, 3, 10)) == (0, 0)  # three days left: quiet
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert apology_reminders_send(now=local(2026, 3, 5, 10)) == (1, 1)
    [message] = mail.outbox
    assert users.officer.email in message.to
    assert d.code in message.body and "09:00 ngày 06/03/2026" in message.body
    assert AuditEntry.objects.filter(action=ACTION, object_id=str(d.pk)).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert apology_reminders_send(now=local(2026, 3, 5, 14)) == (0, 0)  # already warned
    assert len(mail.outbox) == 1


def test_no_warning_once_apologised_or_finished(tree, users, django_capture_on_commit_callbacks):
    w = make_world(tree, users)
    a = w.receive(at=local(2026, 3, 2, 9, 0))
    b = w.receive(at=local(2026, 3, 2, 9, 30))
    services.dossier_apologise(
        actor=users.officer,
        dossier=a,
        new_due_at=local(2026, 3, 12, 9),
        reason="Chờ xác minh",
        at=local(2026, 3, 4, 9),
    )
    w.decide(b, granted=True, at=local(2026, 3, 4, 10))
    with django_capture_on_commit_callbacks(execute=True):
        assert apology_reminders_send(now=local(2026, 3, 5, 10)) == (0, 0)
    assert mail.outbox == []


def test_command_prints_what_it_did(tree, users, capsys):
    call_command("dossiers_remind")
    assert "Cảnh báo 0 hồ sơ" in capsys.readouterr().out
