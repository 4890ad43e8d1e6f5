"""Reminders of a round's deadlines (Django's e-mail backends; console by default): each unit still
drafting its self-assessment when the deadline is near (or past) gets one e-mail listing what is
missing; so does a unit asked for clarification. Run by `cchc par remind` (e.g. every morning)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from cchc.core.actors import SYSTEM, Actor
from cchc.core.audit import audit_record
from cchc.orgs.models import Membership

from .models import Participant, Round
from .permissions import SELF_ROLES, require_council
from .services.rounds import missing_for_submission

DAYS_BEFORE = 3  # remind from three days before the self-assessment deadline


@dataclass(frozen=True)
class Reminder:
    participant: Participant
    recipients: list[str]
    subject: str
    body: str


def reminders_due(round_: Round, today: dt.date) -> list[Reminder]:
    """Units drafting with the deadline within `DAYS_BEFORE` days (or past), and units asked to
    clarify: one reminder each, to the unit's own officers and coordinators with an address."""
    if round_.state not in (Round.State.OPEN, Round.State.APPRAISING):
        return []
    drafting = today >= round_.self_due - dt.timedelta(days=DAYS_BEFORE)
    states = [Participant.State.CLARIFY] + ([Participant.State.DRAFT] if drafting else [])
    participants = list(round_.participants.filter(state__in=states).select_related("unit", "round"))
    emails: dict[int, list[str]] = {}
    for m in Membership.objects.filter(
        unit__in=[p.unit_id for p in participants], role__in=SELF_ROLES
    ).select_related("user"):
        if m.user.email and m.user.is_active:
            emails.setdefault(m.unit_id, []).append(m.user.email)
    out = []
    for p in participants:
        if p.state == Participant.State.CLARIFY:
            subject = f"[CCHC] Đề nghị giải trình: {round_.title}"
            body = (
                f"Kính gửi {p.unit.name},\n\nHội đồng thẩm định đề nghị đơn vị giải trình một số tiêu chí "
                f"trong {round_.title}. Hạn thẩm định: {round_.appraisal_due:%d/%m/%Y}.\n"
            )
        else:
            late = today > round_.self_due
            missing = missing_for_submission(p)
            subject = f"[CCHC] {'Quá hạn' if late else 'Sắp đến hạn'} nộp bản tự đánh giá: {round_.title}"
            lines = "\n".join(f"- {m}" for m in missing[:30]) or "- (đã đủ; chỉ cần bấm Nộp)"
            body = (
                f"Kính gửi {p.unit.name},\n\nHạn nộp bản tự đánh giá {round_.title} là "
                f"{round_.self_due:%d/%m/%Y}{' (đã quá hạn)' if late else ''}. Còn thiếu:\n{lines}\n"
            )
        out.append(Reminder(p, sorted(set(emails.get(p.unit_id, []))), subject, body))
    return out


def reminders_send(*, actor: Actor, round_: Round, today: dt.date | None = None) -> tuple[int, int]:
    """Send a round's reminders; returns (units reminded, units without an e-mail address)."""
    if actor is not SYSTEM:  # the daily command runs as the system
        require_council(actor, round_)
    due = reminders_due(round_, today or timezone.localdate())
    messages = [(r.subject, r.body, settings.DEFAULT_FROM_EMAIL, r.recipients) for r in due if r.recipients]
    without = sum(1 for r in due if not r.recipients)
    audit_record(
        actor=actor,
        action="par.remind",
        obj=round_,
        unit=round_.unit,
        after={"units": len(messages), "without_email": without},
    )
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return len(messages), without
