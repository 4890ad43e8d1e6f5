"""Conducting an inspection (docs/inspections.md, "Tiến hành kiểm tra"):

    inspection_start → results_save, result_evidence_add, finding_add/finding_remove …
    → inspection_conclude (the findings open for remediation)

Every state change is one transaction with one audit row. Deadlines of findings are a date or a
phrase read as plans read them (`cchc.plans.deadlines`): "trong tháng 9/2026", "trước ngày
30/6/2026", "Quý III/2026"; a phrase with no single date ("Thường xuyên") is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cchc.core.actors import Actor
from cchc.core.audit import audit_record, snapshot
from cchc.core.errors import ServiceError
from cchc.core.text import nfc
from cchc.orgs.models import Unit, user_of
from cchc.plans.deadlines import DeadlineKind, parse_deadline

from .. import notify
from ..models import Evidence, Finding, Inspection, ItemResult, Verdict
from ..permissions import require_concluder, require_conductor
from .common import locked_inspection, store_files, text

DEADLINE_YEARS_AHEAD = 2  # a remedy may take into the year after next; later is a typo


def read_deadline(phrase: str, *, year: int, not_before: dt.date | None = None) -> tuple[str, dt.date]:
    """(the phrase as written, its due date), or a refusal saying what was not understood."""
    shown = nfc(phrase)
    if not shown:
        raise ServiceError({"deadline": "Ghi thời hạn khắc phục."}, code="finding_deadline_not_understood")
    schedule = parse_deadline(shown, from_year=year, to_year=year + DEADLINE_YEARS_AHEAD)
    due = schedule.final()
    if schedule.kind != DeadlineKind.FIXED or due is None:
        raise ServiceError(
            {
                "deadline": f"Không hiểu thời hạn “{shown}”: ghi một ngày (30/6/{year}), một tháng "
                f"(trong tháng 9/{year}), một quý (Quý III/{year}) hoặc “trước ngày …”"
                f"{' — ' + schedule.explanation if schedule.explanation else ''}."
            },
            code="finding_deadline_not_understood",
        )
    if not_before is not None and due < not_before:
        raise ServiceError(
            {"deadline": f"Thời hạn “{shown}” ({due:%d/%m/%Y}) trước ngày kiểm tra {not_before:%d/%m/%Y}."},
            code="finding_deadline_too_early",
        )
    return shown[:120], due


def _require_state(inspection: Inspection, *states: str) -> None:
    if inspection.state not in states:
        labels = ", ".join(Inspection.State(s).label.lower() for s in states)
        raise ServiceError(
            f"Cuộc kiểm tra đang ở trạng thái “{inspection.get_state_display()}”; việc này chỉ làm khi {labels}.",
            code="inspection_wrong_state",
        )


@transaction.atomic
def inspection_start(*, actor: Actor, inspection: Inspection) -> Inspection:
    """Begin: the plan's checklist is copied into the inspection's results (to fill in)."""
    inspection = locked_inspection(inspection)
    require_conductor(actor, inspection)
    _require_state(inspection, Inspection.State.PLANNED)
    items = list(inspection.plan.checklist.order_by("position", "id"))
    if not items:
        raise ServiceError(
            "Kế hoạch kiểm tra chưa có nội dung kiểm tra: thêm hoặc sao chép nội dung trước.",
            code="inspection_checklist_empty",
        )
    if not inspection.team.exists():
        raise ServiceError(
            "Chưa có đoàn kiểm tra: ghi thành phần đoàn trước.", code="inspection_team_missing"
        )
    ItemResult.objects.bulk_create(
        ItemResult(inspection=inspection, item=i, area=i.area, position=n, content=i.content)
        for n, i in enumerate(items, start=1)
    )
    inspection.state, inspection.started_at = Inspection.State.CONDUCTING, timezone.now()
    inspection.save(update_fields=["state", "started_at"])
    audit_record(
        actor=actor,
        action="inspection.start",
        obj=inspection,
        unit=inspection.plan.unit,
        after={"state": inspection.state, "items": len(items)},
    )
    return inspection


@transaction.atomic
def results_save(*, actor: Actor, inspection: Inspection, results: Mapping[int, tuple[str, str]]) -> int:
    """Record results: result id → (verdict, note); "" leaves an item unrecorded. All or nothing;
    returns the number of results changed."""
    inspection = locked_inspection(inspection)
    require_conductor(actor, inspection)
    _require_state(inspection, Inspection.State.CONDUCTING)
    rows = {r.pk: r for r in inspection.results.select_for_update()}
    errors = []
    for pk, (verdict, _note) in results.items():
        if pk not in rows:
            errors.append(f"Nội dung số {pk} không thuộc cuộc kiểm tra này.")
        elif verdict not in ("", *Verdict.values):
            errors.append(f"Nội dung {rows[pk].position}: kết quả “{verdict}” không hợp lệ.")
    if errors:
        raise ServiceError({"results": errors}, code="inspection_result_invalid")
    changed, now, who = [], timezone.now(), user_of(actor)
    for pk, (verdict, note) in results.items():
        row = rows[pk]
        note = text(note, f"note-{pk}")
        if (row.verdict, row.note) == (verdict, note):
            continue
        row.verdict, row.note, row.recorded_by, row.recorded_at = verdict, note, who, now
        changed.append(row)
    ItemResult.objects.bulk_update(changed, ["verdict", "note", "recorded_by", "recorded_at"])
    if changed:
        audit_record(
            actor=actor,
            action="inspection.results_save",
            obj=inspection,
            unit=inspection.plan.unit,
            after={str(r.position): [r.verdict, r.note] for r in changed},
        )
    return len(changed)


@transaction.atomic
def result_evidence_add(*, actor: Actor, result: ItemResult, files: Sequence[UploadedFile]) -> list[Evidence]:
    inspection = locked_inspection(result.inspection)
    require_conductor(actor, inspection)
    _require_state(inspection, Inspection.State.CONDUCTING)
    if not files:
        raise ServiceError({"files": "Chọn ít nhất một tệp."}, code="inspection_text_required")
    stored = store_files(actor=actor, files=files, result=result)
    audit_record(
        actor=actor,
        action="inspection.evidence_add",
        obj=result,
        unit=inspection.plan.unit,
        after={"files": [e.original_name for e in stored]},
    )
    return stored


@transaction.atomic
def finding_add(
    *,
    actor: Actor,
    inspection: Inspection,
    content: str,
    deadline: str,
    owner: Unit | None = None,
    requirement: str = "",
    result: ItemResult | None = None,
) -> Finding:
    """A shortcoming found, owned by the inspected unit or a unit under it, with its deadline."""
    inspection = locked_inspection(inspection)
    require_conductor(actor, inspection)
    _require_state(inspection, Inspection.State.CONDUCTING)
    owner = owner or inspection.unit
    if not owner.path.startswith(inspection.unit.path):
        raise ServiceError(
            {"owner": f"Đơn vị khắc phục phải là {inspection.unit} hoặc đơn vị trực thuộc."},
            code="inspection_unit_outside",
        )
    if result is not None and result.inspection_id != inspection.pk:
        raise ServiceError(
            {"result": "Nội dung kiểm tra không thuộc cuộc kiểm tra này."}, code="inspection_result_invalid"
        )
    body = text(content, "content", required="Ghi nội dung tồn tại, hạn chế.")
    deadline_text, due = read_deadline(deadline, year=inspection.plan.year, not_before=inspection.start_date)
    last = inspection.findings.aggregate(m=Max("position"))["m"] or 0
    finding = Finding.objects.create(
        inspection=inspection,
        result=result,
        position=last + 1,
        content=body,
        requirement=text(requirement, "requirement"),
        owner=owner,
        deadline_text=deadline_text,
        due_date=due,
    )
    audit_record(
        actor=actor,
        action="inspection.finding_add",
        obj=finding,
        unit=inspection.plan.unit,
        after=snapshot(finding),
    )
    return finding


@transaction.atomic
def finding_remove(*, actor: Actor, finding: Finding) -> None:
    inspection = locked_inspection(finding.inspection)
    require_conductor(actor, inspection)
    _require_state(inspection, Inspection.State.CONDUCTING)
    before = snapshot(finding)
    finding.delete()
    audit_record(
        actor=actor,
        action="inspection.finding_remove",
        obj=inspection,
        unit=inspection.plan.unit,
        before=before,
    )


@transaction.atomic
def inspection_conclude(
    *,
    actor: Actor,
    inspection: Inspection,
    summary: str,
    number: str = "",
    concluded_on: dt.date | None = None,
) -> Inspection:
    """Conclude: every content has a result, every “chưa đạt” has at least one finding; the
    findings open for remediation and the conclusion notice can be issued."""
    inspection = locked_inspection(inspection)
    require_concluder(actor, inspection)
    _require_state(inspection, Inspection.State.CONDUCTING)
    concluded_on = concluded_on or timezone.localdate()
    body = text(summary, "summary", required="Ghi nhận xét, đánh giá chung của đoàn kiểm tra.")
    results = list(inspection.results.prefetch_related("findings"))
    blank = [str(r.position) for r in results if not r.verdict]
    if blank:
        raise ServiceError(
            {"results": f"Chưa ghi kết quả các nội dung: {', '.join(blank)}."},
            code="inspection_results_incomplete",
        )
    bare = [str(r.position) for r in results if r.verdict == Verdict.FAIL and not r.findings.all()]
    if bare:
        raise ServiceError(
            {"results": f"Nội dung chưa đạt nhưng chưa ghi tồn tại, hạn chế: {', '.join(bare)}."},
            code="inspection_fail_without_finding",
        )
    if concluded_on < inspection.start_date:
        raise ServiceError(
            {"concluded_on": "Ngày kết luận không thể trước ngày kiểm tra."}, code="inspection_invalid"
        )
    inspection.summary = body
    inspection.conclusion_number = nfc(number)[:64]
    inspection.concluded_on = concluded_on
    inspection.concluded_by = user_of(actor)
    inspection.state = Inspection.State.CONCLUDED
    inspection.save(update_fields=["summary", "conclusion_number", "concluded_on", "concluded_by", "state"])
    opened = inspection.findings.filter(state=Finding.State.DRAFT).update(state=Finding.State.OPEN)
    notify.conclusion_issued(inspection)
    audit_record(
        actor=actor,
        action="inspection.conclude",
        obj=inspection,
        unit=inspection.plan.unit,
        after=snapshot(inspection, ["state", "conclusion_number", "concluded_on", "summary"])
        | {"findings": opened},
    )
    return inspection
