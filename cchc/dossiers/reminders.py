"""Warn handling units in time to send the apology (Quyết định 468/QĐ-TTg: the apology with a new
appointment goes out at the latest one working day before the due time).

`apology_reminders_send` e-mails each handling unit's officers the dossiers whose last moment
for the apology falls within the next working day (`selectors.dossier_apology_warnings`), once
per dossier: a dossier already warned about is not warned again (the warning is recorded in the
audit log, which is also what the next run reads). Run by `cchc remind` (e.g. every hour in the
working day); the dossier list shows the same warnings on screen.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from cchc.core.actors import SYSTEM
from cchc.core.audit import audit_record
from cchc.core.models import AuditEntry
from cchc.core.numbers import format_count
from cchc.orgs.models import Membership, Role

from .messages import moment as show
from .selectors import ApologyWarning, dossier_apology_warnings

ACTION = "dossier.apology_warning"


def _already_warned(warnings: list[ApologyWarning]) -> set[str]:
    ids = [str(w.dossier.pk) for w in warnings]
    return set(
        AuditEntry.objects.filter(
            object_type="dossiers.dossier", object_id__in=ids, action=ACTION
        ).values_list("object_id", flat=True)
    )


def _message(unit_name: str, items: list[ApologyWarning]) -> str:
    lines = [
        f"Kính gửi {unit_name},",
        "",
        f"{format_count(len(items))} hồ sơ dưới đây có nguy cơ trễ hạn và sắp hết thời hạn gửi thư xin lỗi, hẹn lại ngày trả "
        "kết quả (chậm nhất 01 ngày làm việc trước hạn giải quyết):",
        "",
    ]
    for w in items:
        lines.append(
            f"- {w.dossier.code}: hạn giải quyết {show(w.due_at)}; gửi thư xin lỗi chậm nhất {show(w.deadline)}."
        )
    lines += ["", "Sau thời điểm trên, hệ thống không cho phép gửi thư xin lỗi.", "", "Hệ thống CCHC"]
    return "\n".join(lines)


@transaction.atomic
def apology_reminders_send(*, now: dt.datetime | None = None, within_hours: int = 8) -> tuple[int, int]:
    """Send the warnings not sent yet; returns (units e-mailed, dossiers warned about)."""
    warnings = dossier_apology_warnings(user=SYSTEM, now=now, within_hours=within_hours)
    done = _already_warned(warnings)
    fresh = [w for w in warnings if str(w.dossier.pk) not in done]
    by_unit: dict[int, list[ApologyWarning]] = {}
    for w in fresh:
        by_unit.setdefault(w.dossier.handling_unit_id, []).append(w)
    emails: dict[int, list[str]] = {}
    for unit_id, email in (
        Membership.objects.filter(role=Role.OFFICER, unit_id__in=by_unit)
        .exclude(user__email="")
        .values_list("unit_id", "user__email")
        .distinct()
    ):
        emails.setdefault(unit_id, []).append(email)
    messages = []
    for unit_id, items in by_unit.items():
        unit = items[0].dossier.handling_unit
        for w in items:
            audit_record(
                actor=SYSTEM,
                action=ACTION,
                obj=w.dossier,
                unit=unit,
                after={"deadline": w.deadline.isoformat(), "recipients": sorted(emails.get(unit_id, []))},
            )
        if emails.get(unit_id):
            subject = f"[CCHC] {format_count(len(items))} hồ sơ sắp hết hạn gửi thư xin lỗi"
            messages.append(
                (subject, _message(unit.body_name, items), settings.DEFAULT_FROM_EMAIL, emails[unit_id])
            )
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return len(messages), len(fresh)
