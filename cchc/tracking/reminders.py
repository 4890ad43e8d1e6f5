"""Reminders: each unit with overdue work, or with open work and no report in the current
reporting window, gets one e-mail listing it (Django's e-mail backends; console by default)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cchc.core.actors import SYSTEM, Actor
from cchc.core.audit import audit_record
from cchc.core.collation import vi
from cchc.core.errors import PermissionDenied
from cchc.core.periods import reporting_window
from cchc.orgs.access import Access
from cchc.orgs.models import Membership, Role
from cchc.plans.models import Plan, PlanStatus

from .models import Assignment


@dataclass
class UnitReminder:
    unit_name: str
    recipients: list[str]
    overdue: list[Assignment] = field(default_factory=list)
    not_reported: list[Assignment] = field(default_factory=list)


def reminders_due(*, plan: Plan, today: dt.date) -> dict[int, UnitReminder]:
    """Per unit: its overdue assignments and its open assignments not reported this window."""
    window = reporting_window(today)
    open_work = Assignment.objects.filter(task__plan=plan, completed_on__isnull=True).select_related(
        "task", "unit"
    )
    due = open_work.filter(
        Q(task__final_due__lt=today) | Q(last_reported_on__isnull=True) | Q(last_reported_on__lt=window.start)
    )
    emails: dict[int, list[str]] = {}
    for unit_id, email in (
        Membership.objects.filter(role=Role.OFFICER, unit__assignments__in=due)
        .exclude(user__email="")
        .values_list("unit_id", "user__email")
        .distinct()
    ):
        emails.setdefault(unit_id, []).append(email)
    out: dict[int, UnitReminder] = {}
    for a in due.order_by(vi("unit__name"), "task__position"):
        r = out.setdefault(a.unit_id, UnitReminder(a.unit.body_name, sorted(emails.get(a.unit_id, []))))
        (r.overdue if a.task.final_due and a.task.final_due < today else r.not_reported).append(a)
    return out


def _message(plan: Plan, r: UnitReminder, window_label: str) -> str:
    lines = [
        f"Kính gửi {r.unit_name},",
        "",
        f"Hệ thống theo dõi CCHC nhắc về {plan.title} ({plan.number or 'chưa có số'}):",
    ]
    if r.overdue:
        lines += ["", "Nhiệm vụ đã quá hạn:"] + [
            f"- {a.task.number}. {a.task.content[:150]} (hạn {a.task.final_due:%d/%m/%Y}, tiến độ {a.percent}%)"
            for a in r.overdue
        ]
    if r.not_reported:
        lines += ["", f"Nhiệm vụ chưa cập nhật tiến độ trong kỳ {window_label}:"] + [
            f"- {a.task.number}. {a.task.content[:150]}" for a in r.not_reported
        ]
    lines += [
        "",
        "Đề nghị đơn vị cập nhật tiến độ và tài liệu kiểm chứng trên hệ thống.",
        "",
        "(Thư gửi tự động, không trả lời thư này.)",
    ]
    return "\n".join(lines)


@transaction.atomic
def reminders_send(*, actor: Actor, plan: Plan, today: dt.date | None = None) -> tuple[int, int]:
    """Send the reminders of a plan; returns (units reminded, units without an e-mail address)."""
    if actor is not SYSTEM and not Access.for_user(actor).can_manage_unit(plan.issuer):
        raise PermissionDenied("Chỉ cơ quan ban hành kế hoạch được gửi nhắc nhở.")
    if plan.status != PlanStatus.ISSUED:
        return 0, 0
    today = today or timezone.localdate()
    window = reporting_window(today)
    due = reminders_due(plan=plan, today=today)
    messages = [
        (
            f"[CCHC] Nhắc cập nhật tiến độ: {plan.number or plan.title[:60]}",
            _message(plan, r, window.label),
            settings.DEFAULT_FROM_EMAIL,
            r.recipients,
        )
        for r in due.values()
        if r.recipients
    ]
    without_email = sum(1 for r in due.values() if not r.recipients)
    audit_record(
        actor=actor,
        action="reminders.send",
        obj=plan,
        unit=plan.issuer,
        after={"units": len(messages), "without_email": without_email, "window": window.key},
    )
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return len(messages), without_email
