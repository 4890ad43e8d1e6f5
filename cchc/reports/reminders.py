"""Reminders of periodic reports (Django's e-mail backends; console by default), run daily by
`cchc report remind`: every unit that owes its province a required report due within the
schedule's `remind_days_before` days — or overdue by up to `OVERDUE_DAYS` — and has not sent it,
and every unit whose report was returned, gets one e-mail per report at the addresses of its
own officers, coordinators and administrators."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from cchc.core.actors import Actor
from cchc.core.audit import audit_record
from cchc.orgs.models import Membership, Unit, UnitKind

from . import windows
from .calendar import reporters_for, rule_for
from .models import Report
from .permissions import WRITER_ROLES

OVERDUE_DAYS = 30  # an overdue report is chased for a month, then left to the coordinator


@dataclass(frozen=True)
class Reminder:
    unit: Unit
    recipients: list[str]
    subject: str
    body: str


def _due_periods(province: Unit, today: dt.date) -> list[tuple[str, int, int, dt.date, bool]]:
    """(kind, year, number, due date, overdue) of the required reports to chase today."""
    out = []
    for kind in windows.KINDS:
        for year in (today.year - 1, today.year, today.year + 1):
            rule = rule_for(province, kind, year)
            if not rule.required:
                continue
            for number in windows.periods_of_year(kind, year):
                due = windows.due_date(windows.window(kind, year, number).end, rule.due_after_days)
                if (
                    due - dt.timedelta(days=rule.remind_days_before)
                    <= today
                    <= due + dt.timedelta(days=OVERDUE_DAYS)
                ):
                    out.append((kind, year, number, due, today > due))
    return out


def reminders_due(today: dt.date) -> list[Reminder]:
    pending: list[tuple[Unit, str, str]] = []
    for province in Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True):
        periods = _due_periods(province, today)
        if not periods:
            continue
        for kind, year, number, due, overdue in periods:
            reporters = reporters_for(province, kind, year)  # a plan's monthly reports: its units
            sent = set(
                Report.objects.filter(
                    receiver=province, kind=kind, year=year, number=number, first_submitted_at__isnull=False
                ).values_list("unit_id", flat=True)
            )
            label = windows.period_label(kind, year, number)
            for unit in reporters:
                if unit.pk in sent:
                    continue
                subject = f"[CCHC] {'Quá hạn' if overdue else 'Sắp đến hạn'} gửi báo cáo CCHC {label}"
                body = (
                    f"Kính gửi {unit.name},\n\nHạn gửi báo cáo kết quả CCHC {label} cho {province.name} là "
                    f"{due:%d/%m/%Y}{' (đã quá hạn)' if overdue else ''}. Đơn vị chưa gửi báo cáo; bản dự thảo "
                    "được viết sẵn từ số liệu khi mở báo cáo trên hệ thống.\n"
                )
                pending.append((unit, subject, body))
    for report in Report.objects.filter(state=Report.State.RETURNED).select_related("unit"):
        comment = report.reviews.filter(decision="returned").values_list("comment", flat=True).first() or ""
        subject = f"[CCHC] Báo cáo bị trả lại: {report.title}"
        body = f"Kính gửi {report.unit.name},\n\n{report.title} đã bị trả lại để hoàn thiện.\nÝ kiến: {comment}\n"
        pending.append((report.unit, subject, body))
    emails: dict[int, set[str]] = {}
    for m in Membership.objects.filter(
        unit__in={u.pk for u, _, _ in pending}, role__in=WRITER_ROLES, user__is_active=True
    ).select_related("user"):
        if m.user.email:
            emails.setdefault(m.unit_id, set()).add(m.user.email)
    return [Reminder(u, sorted(emails.get(u.pk, ())), s, b) for u, s, b in pending]


@transaction.atomic
def reminders_send(*, actor: Actor, today: dt.date) -> tuple[int, int]:
    """Send today's reminders; returns (reminders sent, reminders to units without an address)."""
    due = reminders_due(today)
    messages = [(r.subject, r.body, settings.DEFAULT_FROM_EMAIL, r.recipients) for r in due if r.recipients]
    without = sum(1 for r in due if not r.recipients)
    provinces = {p for p in (r.unit.province() for r in due) if p is not None}
    for province in provinces:
        audit_record(
            actor=actor,
            action="report.remind",
            obj=province,
            unit=province,
            after={"reminders": sum(1 for r in due if r.recipients and r.unit.province() == province)},
        )
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return len(messages), without
