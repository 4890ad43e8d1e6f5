"""Reminders of remediation deadlines (Django's e-mail backends; console by default): each unit
owning findings not yet remedied whose deadline is within `DAYS_BEFORE` days or past gets one
e-mail per plan listing them, overdue first. Run by `cchc inspection remind` (e.g. every morning)
or by the plan's coordinators from the plan page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from cchc.core.actors import SYSTEM, Actor
from cchc.core.audit import audit_record
from cchc.orgs.models import Membership, Unit

from .models import Finding, InspectionPlan
from .permissions import REPORT_ROLES, require_manager

DAYS_BEFORE = 7  # remind from a week before the remediation deadline


@dataclass(frozen=True)
class Reminder:
    unit: Unit
    findings: list[Finding]
    recipients: list[str]
    subject: str
    body: str


def reminders_due(plan: InspectionPlan, today: dt.date) -> list[Reminder]:
    """One reminder per owner unit with findings (open or returned) due within `DAYS_BEFORE`
    days or past, to the unit's own officers, coordinators and administrators with an address."""
    findings = list(
        Finding.objects.filter(
            inspection__plan=plan,
            state__in=[Finding.State.OPEN, Finding.State.RETURNED],
            due_date__lte=today + dt.timedelta(days=DAYS_BEFORE),
        )
        .select_related("owner", "inspection__unit")
        .order_by("due_date", "position")
    )
    by_unit: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        by_unit[f.owner_id].append(f)
    emails: dict[int, set[str]] = defaultdict(set)
    for m in Membership.objects.filter(unit_id__in=by_unit, role__in=REPORT_ROLES).select_related("user"):
        if m.user.email and m.user.is_active:
            emails[m.unit_id].add(m.user.email)
    out = []
    for unit_findings in by_unit.values():
        unit = unit_findings[0].owner
        late = [f for f in unit_findings if f.due_date < today]
        lines = "\n".join(
            f"- {f.content[:200]} — hạn {f.due_date:%d/%m/%Y}"
            + (f" (quá hạn {(today - f.due_date).days} ngày)" if f.due_date < today else "")
            + (" — đoàn kiểm tra đã trả lại, cần bổ sung" if f.state == Finding.State.RETURNED else "")
            for f in unit_findings
        )
        subject = f"[CCHC] {'Quá hạn' if late else 'Sắp đến hạn'} khắc phục sau kiểm tra: {plan.title}"
        body = (
            f"Kính gửi {unit.name},\n\nTheo kết luận kiểm tra công tác cải cách hành chính của {plan.unit.name}, "
            f"đơn vị còn {len(unit_findings)} tồn tại, hạn chế chưa báo cáo khắc phục:\n{lines}\n\n"
            "Đề nghị đơn vị báo cáo kết quả khắc phục, kèm tài liệu kiểm chứng, trên Hệ thống.\n"
        )
        out.append(Reminder(unit, unit_findings, sorted(emails.get(unit.pk, set())), subject, body))
    return sorted(out, key=lambda r: r.unit.path)


@transaction.atomic
def reminders_send(*, actor: Actor, plan: InspectionPlan, today: dt.date | None = None) -> tuple[int, int]:
    """Send a plan's reminders; returns (units reminded, units without an e-mail address)."""
    if actor is not SYSTEM:  # the daily command runs as the system
        require_manager(actor, plan)
    due = reminders_due(plan, today or timezone.localdate())
    messages = [(r.subject, r.body, settings.DEFAULT_FROM_EMAIL, r.recipients) for r in due if r.recipients]
    without = sum(1 for r in due if not r.recipients)
    audit_record(
        actor=actor,
        action="inspection.remind",
        obj=plan,
        unit=plan.unit,
        after={"units": len(messages), "without_email": without},
    )
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return len(messages), without
