"""E-mails to the inspected side (Django's e-mail backends; console by default), sent after the
transaction commits: the conclusion to the inspected unit and the owners of its findings, and a
returned remediation report to the owner unit, so that nobody has to watch the pages."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from cchc.orgs.models import Membership

from .models import Finding, Inspection
from .permissions import REPORT_ROLES


def _emails(unit_ids: Iterable[int]) -> list[str]:
    found = Membership.objects.filter(
        unit_id__in=set(unit_ids), role__in=REPORT_ROLES, user__is_active=True
    ).values_list("user__email", flat=True)
    return sorted({e for e in found if e})


def _later(subject: str, body: str, to: list[str]) -> None:
    if to:
        transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to))


def conclusion_issued(inspection: Inspection) -> None:
    findings = list(inspection.findings.select_related("owner").order_by("position"))
    lines = "\n".join(f"- {f.content[:200]} ({f.owner.name}; hạn {f.due_date:%d/%m/%Y})" for f in findings)
    number = f" số {inspection.conclusion_number}" if inspection.conclusion_number else ""
    body = (
        f"Kính gửi {inspection.unit.name},\n\n{inspection.plan.unit.name} đã ban hành thông báo kết luận kiểm tra"
        f"{number} ngày {inspection.concluded_on:%d/%m/%Y} về công tác cải cách hành chính của đơn vị.\n"
        + (
            f"Các tồn tại, hạn chế cần khắc phục:\n{lines}\n\nĐề nghị đơn vị báo cáo kết quả khắc phục, kèm tài liệu "
            "kiểm chứng, trên Hệ thống trong thời hạn nêu trên.\n"
            if findings
            else "Không có tồn tại, hạn chế phải khắc phục.\n"
        )
    )
    to = _emails([inspection.unit_id, *(f.owner_id for f in findings)])
    _later(f"[CCHC] Thông báo kết luận kiểm tra: {inspection.unit.name}", body, to)


def report_returned(finding: Finding, comment: str) -> None:
    body = (
        f"Kính gửi {finding.owner.name},\n\nĐoàn kiểm tra trả lại báo cáo khắc phục của đơn vị về nội dung:\n"
        f"- {finding.content[:300]}\nÝ kiến của đoàn kiểm tra: {comment}\n"
        f"Thời hạn khắc phục: {finding.due_date:%d/%m/%Y}. Đề nghị đơn vị bổ sung và báo cáo lại.\n"
    )
    _later("[CCHC] Báo cáo khắc phục sau kiểm tra bị trả lại", body, _emails([finding.owner_id]))
