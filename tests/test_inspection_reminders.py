"""Reminders of remediation deadlines: one e-mail per owner unit with findings due within a week
or past (overdue flagged), to the unit's own people with an address; the plan's coordinators or
the daily command send them; `cchc inspection remind` refuses a bad date in one line, exit 2."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from cchc.core.actors import SYSTEM
from cchc.core.errors import PermissionDenied
from cchc.core.models import AuditEntry
from cchc.inspections.reminders import reminders_due, reminders_send

from .inspections_support import YEAR, conduct, make_inspection, make_plan


@pytest.fixture
def plan(tree, users):
    users.officer.email = "tuphap@dongnai.gov.vn"
    users.officer.save()
    plan = make_plan(tree, users)
    conduct(users, make_inspection(tree, users, plan, tree.agency("STP")), fail_positions=(1, 3))
    conduct(
        users,
        make_inspection(tree, users, plan, tree.communes[0], day=dt.date(YEAR, 6, 2)),
        deadline="trong tháng 10/2025",
    )
    return plan


def test_reminders_near_and_past_the_deadline(
    plan, tree, users, mailoutbox, django_capture_on_commit_callbacks
):
    assert reminders_due(plan, dt.date(YEAR, 9, 22)) == []  # 8 days before 30/9: not yet
    near = reminders_due(plan, dt.date(YEAR, 9, 23))
    assert [r.unit.code for r in near] == ["P75.STP"] and len(near[0].findings) == 2
    assert "Sắp đến hạn" in near[0].subject and "quá hạn" not in near[0].body
    with django_capture_on_commit_callbacks(execute=True):
        sent, without = reminders_send(actor=SYSTEM, plan=plan, today=dt.date(YEAR, 10, 26))
    assert (sent, without) == (1, 1)  # the commune's people have no address
    (mail,) = mailoutbox
    assert mail.to == ["tuphap@dongnai.gov.vn"] and "Quá hạn" in mail.subject
    assert "hạn 30/09/2025 (quá hạn 26 ngày)" in mail.body
    with pytest.raises(PermissionDenied):
        reminders_send(actor=users.officer, plan=plan)
    reminders_send(actor=users.coordinator, plan=plan, today=dt.date(YEAR, 10, 26))
    assert AuditEntry.objects.filter(action="inspection.remind").count() == 2


def test_the_command(plan, capsys, mailoutbox):
    call_command("inspection_remind", "--ngay", "01/11/2025")
    out = capsys.readouterr().out
    assert "nhắc 1 đơn vị; 1 đơn vị chưa có địa chỉ thư" in out
    with pytest.raises(SystemExit) as exit_info:
        call_command("inspection_remind", "--ngay", "2025-13-01")
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.strip() == "cchc inspection remind: --ngay “2025-13-01” không phải ngày dạng dd/mm/yyyy."


def test_the_unit_is_told_of_the_conclusion_and_of_a_returned_report(
    tree, users, mailoutbox, django_capture_on_commit_callbacks
):
    from cchc.inspections import services

    users.officer.email = "tuphap@dongnai.gov.vn"
    users.officer.save()
    plan = make_plan(tree, users)
    with django_capture_on_commit_callbacks(execute=True):
        inspection = conduct(users, make_inspection(tree, users, plan, tree.agency("STP")))
    (mail,) = mailoutbox
    assert mail.to == ["tuphap@dongnai.gov.vn"] and "Thông báo kết luận kiểm tra: Sở Tư pháp" in mail.subject
    assert "số 20/TB-SNV ngày 12/05/2025" in mail.body and "hạn 30/09/2025" in mail.body
    finding = inspection.findings.get()
    services.remediation_report(actor=users.officer, finding=finding, text_="Đã khắc phục.")
    with django_capture_on_commit_callbacks(execute=True):
        services.remediation_return(actor=users.coordinator, finding=finding, comment="Thiếu văn bản.")
    assert len(mailoutbox) == 2 and "Ý kiến của đoàn kiểm tra: Thiếu văn bản." in mailoutbox[1].body
