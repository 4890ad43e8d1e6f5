"""Remediation to closure (docs/inspections.md, "Khắc phục"):

    open ──remediation_report──▶ reported ──remediation_accept──▶ closed
      ▲                              │
      └──── returned ◀──remediation_return (with the team's comment)

The owner unit reports (text and evidence); only a reported finding can be closed, and it is
closed as remediated on the date of the report accepted, so the team's time to verify does not
make the unit late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cchc.core.actors import Actor
from cchc.core.audit import audit_record
from cchc.core.errors import ServiceError
from cchc.orgs.models import user_of

from .. import notify
from ..models import Finding, RemediationReport
from ..permissions import require_conductor, require_reporter
from .common import store_files, text

REPORTABLE = (Finding.State.OPEN, Finding.State.RETURNED)


def _locked(finding: Finding) -> Finding:
    return (
        Finding.objects.select_for_update(of=("self",))
        .select_related("inspection__plan__unit", "inspection__unit", "owner")
        .prefetch_related("inspection__team")
        .get(pk=finding.pk)
    )


def _pending(finding: Finding) -> RemediationReport | None:
    return finding.reports.filter(verdict=RemediationReport.Verdict.PENDING).order_by("-id").first()


@transaction.atomic
def remediation_report(
    *,
    actor: Actor,
    finding: Finding,
    text_: str,
    files: Sequence[UploadedFile] = (),
    reported_on: dt.date | None = None,
) -> RemediationReport:
    """The owner unit's report of what it did, with evidence; the finding waits for the team."""
    finding = _locked(finding)
    require_reporter(actor, finding)
    if finding.state not in REPORTABLE:
        raise ServiceError(
            f"Tồn tại này đang ở trạng thái “{finding.get_state_display()}”; chưa báo cáo được.",
            code="finding_wrong_state",
        )
    body = text(text_, "text", required="Ghi kết quả khắc phục (việc đã làm, văn bản đã ban hành).")
    today = timezone.localdate()
    reported_on = reported_on or today
    if reported_on > today:
        raise ServiceError(
            {"reported_on": "Ngày báo cáo không thể sau hôm nay."}, code="remediation_date_invalid"
        )
    report = RemediationReport.objects.create(
        finding=finding, text=body, reported_on=reported_on, submitted_by=user_of(actor)
    )
    stored = store_files(actor=actor, files=files, report=report)
    finding.state, finding.reported_on = Finding.State.REPORTED, reported_on
    finding.save(update_fields=["state", "reported_on"])
    audit_record(
        actor=actor,
        action="inspection.remediation_report",
        obj=finding,
        unit=finding.owner,
        after={
            "state": finding.state,
            "reported_on": reported_on,
            "files": [e.original_name for e in stored],
        },
    )
    return report


@transaction.atomic
def remediation_accept(*, actor: Actor, finding: Finding, comment: str = "") -> Finding:
    """Close the finding on the unit's pending report (refused without one)."""
    finding = _locked(finding)
    require_conductor(actor, finding.inspection)
    report = _pending(finding)
    if finding.state != Finding.State.REPORTED or report is None:
        raise ServiceError(
            "Chưa có báo cáo khắc phục của đơn vị nên chưa thể xác nhận đã khắc phục.",
            code="finding_not_reported",
        )
    report.verdict, report.comment = RemediationReport.Verdict.ACCEPTED, text(comment, "comment")
    report.verified_by, report.verified_at = user_of(actor), timezone.now()
    report.save(update_fields=["verdict", "comment", "verified_by", "verified_at"])
    finding.state, finding.remediated_on = Finding.State.CLOSED, report.reported_on
    finding.closed_at, finding.closed_by = timezone.now(), user_of(actor)
    finding.save(update_fields=["state", "remediated_on", "closed_at", "closed_by"])
    audit_record(
        actor=actor,
        action="inspection.remediation_accept",
        obj=finding,
        unit=finding.inspection.plan.unit,
        after={"state": finding.state, "remediated_on": finding.remediated_on, "on_time": finding.on_time},
    )
    return finding


@transaction.atomic
def remediation_return(*, actor: Actor, finding: Finding, comment: str) -> Finding:
    """Send the report back with what is still missing; the deadline does not move."""
    finding = _locked(finding)
    require_conductor(actor, finding.inspection)
    report = _pending(finding)
    if finding.state != Finding.State.REPORTED or report is None:
        raise ServiceError("Chưa có báo cáo khắc phục của đơn vị để trả lại.", code="finding_not_reported")
    why = text(comment, "comment", required="Ghi lý do trả lại (nội dung còn thiếu, cần bổ sung).")
    report.verdict, report.comment = RemediationReport.Verdict.RETURNED, why
    report.verified_by, report.verified_at = user_of(actor), timezone.now()
    report.save(update_fields=["verdict", "comment", "verified_by", "verified_at"])
    finding.state = Finding.State.RETURNED
    finding.save(update_fields=["state"])
    notify.report_returned(finding, why)
    audit_record(
        actor=actor,
        action="inspection.remediation_return",
        obj=finding,
        unit=finding.inspection.plan.unit,
        after={"state": finding.state, "comment": why},
    )
    return finding
