"""Open, save, refresh, submit, accept and return a periodic report.

A draft is opened with the facts, figures and narrative written from the data (`builder.build`);
the unit edits the narrative and saves as often as it likes; refreshing re-reads the data
(figures and facts) and keeps the narrative; submitting re-reads the data one last time and
freezes it: from then on the report is a snapshot that no later change of the data touches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.core.actors import Actor
from cchc.core.audit import audit_record
from cchc.core.errors import ServiceError
from cchc.core.text import nfc
from cchc.orgs.models import Unit, user_of

from .. import builder, outline, windows
from ..calendar import due_on, receiver_of
from ..models import Report, ReportReview
from ..permissions import require_reviewer, require_writer

MAX_SECTION = 20_000


def _text(value: object) -> str:
    """NFC per line, blank lines kept as paragraph breaks."""
    return "\n".join(nfc(line) for line in str(value or "").splitlines()).strip()


@transaction.atomic
def report_open(
    *, actor: Actor, unit: Unit, kind: str, year: int, number: int | None = None, today: dt.date | None = None
) -> Report:
    """The unit's report of the period: the existing one, or a new draft written from the data."""
    require_writer(actor, unit)
    try:
        number = windows.check(kind, year, number)
    except windows.KindError as exc:
        raise ServiceError(f"Kỳ báo cáo không hợp lệ: {exc}.", code="report_period_invalid") from exc
    existing = Report.objects.filter(unit=unit, kind=kind, year=year, number=number).first()
    if existing is not None:
        return existing
    window = windows.window(kind, year, number)
    today = today or timezone.localdate()
    if window.start > today:
        raise ServiceError(
            f"Kỳ số liệu {windows.period_label(kind, year, number)} bắt đầu ngày "
            f"{window.start:%d/%m/%Y}, chưa thể lập báo cáo.",
            code="report_period_not_started",
        )
    draft = builder.build(unit, kind, year, number)
    if not draft.has_data:
        raise ServiceError(
            f"Kỳ {windows.period_label(kind, year, number)} ({window.start:%d/%m/%Y}–{window.end:%d/%m/%Y}) "
            f"chưa có số liệu nào của {unit}: chưa có tiến độ nhiệm vụ, chỉ tiêu, số liệu hồ sơ hay báo cáo "
            "của đơn vị cấp dưới để lập báo cáo.",
            code="report_no_data",
        )
    report = Report.objects.create(
        unit=unit,
        receiver=receiver_of(unit),
        kind=kind,
        year=year,
        number=number,
        period_key=window.key,
        period_start=window.start,
        period_end=window.end,
        due_on=due_on(unit, kind, year, number),
        sections=draft.sections,
        annex=draft.annex,
        facts=draft.facts,
        consolidated=bool(draft.facts["expected"]),
        created_by=user_of(actor),
    )
    audit_record(actor=actor, action="report.open", obj=report, unit=unit, after={"period": window.key})
    return report


def _locked_editable(report: Report) -> Report:
    fresh = (
        Report.objects.select_for_update(of=("self",)).select_related("unit", "receiver").get(pk=report.pk)
    )
    if not fresh.is_editable:
        raise ServiceError(
            f"Báo cáo đang ở trạng thái “{fresh.get_state_display()}”, không sửa được nữa.",
            code="report_not_editable",
        )
    return fresh


@transaction.atomic
def report_save(*, actor: Actor, report: Report, sections: Mapping[str, object]) -> Report:
    """Save the narrative (any heading given; others unchanged). Empty headings are allowed in a
    draft: only submission asks for them."""
    require_writer(actor, report.unit)
    fresh = _locked_editable(report)
    unknown = [k for k in sections if k not in outline.BY_KEY]
    if unknown:
        raise ServiceError(
            f"Đề mục không có trong đề cương báo cáo: {', '.join(unknown)}.", code="report_section_unknown"
        )
    too_long = {
        k: f"Tối đa {MAX_SECTION:,} ký tự.".replace(",", ".")
        for k, v in sections.items()
        if len(str(v or "")) > MAX_SECTION
    }
    if too_long:
        raise ServiceError(too_long, code="report_section_too_long")
    before = dict(fresh.sections)
    fresh.sections = {**before, **{k: _text(v) for k, v in sections.items()}}
    if fresh.sections != before:
        fresh.save(update_fields=["sections", "updated_at"])
        changed = sorted(k for k in fresh.sections if fresh.sections.get(k) != before.get(k))
        audit_record(
            actor=actor, action="report.save", obj=fresh, unit=fresh.unit, after={"sections": changed}
        )
    return fresh


def _snapshot(report: Report) -> None:
    draft = builder.build(report.unit, report.kind, report.year, report.number)
    report.annex, report.facts = draft.annex, draft.facts
    report.consolidated = bool(draft.facts["expected"])


@transaction.atomic
def report_refresh(*, actor: Actor, report: Report) -> Report:
    """Re-read the figures and facts of a draft (the narrative stays as written)."""
    require_writer(actor, report.unit)
    fresh = _locked_editable(report)
    _snapshot(fresh)
    fresh.save(update_fields=["annex", "facts", "consolidated", "updated_at"])
    audit_record(actor=actor, action="report.refresh", obj=fresh, unit=fresh.unit)
    return fresh


@transaction.atomic
def report_submit(
    *,
    actor: Actor,
    report: Report,
    doc_number: str,
    doc_date: dt.date | None,
    signer: str,
    signer_title: str = "",
) -> Report:
    """Send the report: every required heading written, a document number not used by the unit
    that year, a date and a signer. The figures and facts are read one last time and frozen."""
    require_writer(actor, report.unit)
    fresh = _locked_editable(report)
    errors: dict[str, str] = {}
    for h in outline.OUTLINE:
        if h.required and not (fresh.sections.get(h.key) or "").strip():
            errors[h.key] = f"Đề mục “{h.part}. {h.title}” chưa có nội dung."
    if errors:
        raise ServiceError(errors, code="report_section_empty")
    doc_number, signer = nfc(doc_number), nfc(signer)
    if not doc_number:
        errors["doc_number"] = "Nhập số, ký hiệu văn bản (ví dụ 15/BC-STP)."
    if doc_date is None:
        errors["doc_date"] = "Nhập ngày văn bản (dd/mm/yyyy)."
    elif doc_date > timezone.localdate():
        errors["doc_date"] = "Ngày văn bản không được sau hôm nay."
    if not signer:
        errors["signer"] = "Nhập họ tên người ký."
    if errors:
        raise ServiceError(errors, code="report_submission_incomplete")
    taken = Report.objects.filter(unit=fresh.unit, year=fresh.year, doc_number=doc_number).exclude(
        pk=fresh.pk
    )
    if taken.exists():
        raise ServiceError(
            {"doc_number": f"Số “{doc_number}” đã dùng cho báo cáo khác của {fresh.unit} năm {fresh.year}."},
            code="report_doc_number_taken",
        )
    _snapshot(fresh)
    now = timezone.now()
    fresh.doc_number, fresh.doc_date, fresh.signer, fresh.signer_title = (
        doc_number,
        doc_date,
        signer,
        nfc(signer_title),
    )
    fresh.state = Report.State.SUBMITTED
    fresh.submitted_at = now
    fresh.first_submitted_at = fresh.first_submitted_at or now
    try:
        with transaction.atomic():
            fresh.save()
    except IntegrityError as exc:  # the same number saved concurrently
        raise ServiceError(
            {"doc_number": f"Số “{doc_number}” đã dùng cho báo cáo khác của {fresh.unit} năm {fresh.year}."},
            code="report_doc_number_taken",
        ) from exc
    audit_record(
        actor=actor,
        action="report.submit",
        obj=fresh,
        unit=fresh.unit,
        after={"doc_number": doc_number, "doc_date": doc_date, "signer": signer},
    )
    return fresh


def _review(actor: Actor, report: Report, decision: str, comment: str) -> Report:
    require_reviewer(actor, report)
    fresh = (
        Report.objects.select_for_update(of=("self",)).select_related("unit", "receiver").get(pk=report.pk)
    )
    if fresh.state != Report.State.SUBMITTED:
        raise ServiceError(
            f"Chỉ báo cáo đang chờ tiếp nhận mới được xem xét (hiện: {fresh.get_state_display()}).",
            code="report_not_submitted",
        )
    comment = _text(comment)
    if decision == ReportReview.Decision.RETURNED and not comment:
        raise ServiceError(
            {"comment": "Ghi rõ lý do trả lại để đơn vị hoàn thiện."}, code="report_comment_required"
        )
    fresh.state = (
        Report.State.ACCEPTED if decision == ReportReview.Decision.ACCEPTED else Report.State.RETURNED
    )
    fresh.save(update_fields=["state", "updated_at"])
    ReportReview.objects.create(report=fresh, decision=decision, comment=comment, reviewer=user_of(actor))
    audit_record(
        actor=actor, action=f"report.{decision}", obj=fresh, unit=fresh.receiver, after={"comment": comment}
    )
    return fresh


@transaction.atomic
def report_accept(*, actor: Actor, report: Report, comment: str = "") -> Report:
    return _review(actor, report, ReportReview.Decision.ACCEPTED, comment)


@transaction.atomic
def report_return(*, actor: Actor, report: Report, comment: str) -> Report:
    return _review(actor, report, ReportReview.Decision.RETURNED, comment)
