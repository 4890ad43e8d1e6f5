"""The yearly inspection plan: the plan itself, its checklist (copied from year to year), the
inspections it schedules and their teams. Keyword-only, one transaction each, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max

from cchc.core.actors import Actor
from cchc.core.audit import audit_record, snapshot
from cchc.core.errors import ServiceError
from cchc.core.text import nfc
from cchc.orgs.models import Membership, Unit, User, user_of
from cchc.plans.models import ReformArea

from ..models import ChecklistItem, Inspection, InspectionPlan, Kind, Mode, TeamMember, TeamRole
from ..permissions import can_read_plan, require_manager
from .common import locked_inspection, text

# A starting checklist for a plan that has none to copy: one or two contents per reform area,
# from the usual content of provincial CCHC inspection plans (docs/inspections.md).
STANDARD_CHECKLIST: list[tuple[str, str]] = [
    (
        ReformArea.CHI_DAO_DIEU_HANH,
        "Ban hành và tổ chức thực hiện kế hoạch CCHC năm; báo cáo CCHC định kỳ đúng hạn.",
    ),
    (ReformArea.CHI_DAO_DIEU_HANH, "Công tác thông tin, tuyên truyền về CCHC."),
    (ReformArea.THE_CHE, "Rà soát, kiểm tra, xử lý văn bản quy phạm pháp luật; theo dõi thi hành pháp luật."),
    (
        ReformArea.THU_TUC_HANH_CHINH,
        "Công khai thủ tục hành chính; tiếp nhận, giải quyết hồ sơ đúng hạn; xin lỗi khi trễ hẹn.",
    ),
    (ReformArea.THU_TUC_HANH_CHINH, "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính."),
    (ReformArea.TO_CHUC_BO_MAY, "Thực hiện quy định về chức năng, nhiệm vụ, cơ cấu tổ chức; sắp xếp bộ máy."),
    (ReformArea.CONG_VU, "Quản lý, sử dụng biên chế; vị trí việc làm; kỷ luật, kỷ cương hành chính."),
    (
        ReformArea.TAI_CHINH_CONG,
        "Thực hiện cơ chế tự chủ tài chính; quy chế chi tiêu nội bộ; công khai ngân sách.",
    ),
    (
        ReformArea.CHINH_QUYEN_SO,
        "Sử dụng hệ thống quản lý văn bản, chữ ký số; dịch vụ công trực tuyến; số hóa kết quả.",
    ),
]


def _year(value: object) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise ServiceError(
            {"year": f"Năm “{value}” không hợp lệ (4 chữ số)."}, code="inspection_plan_invalid"
        )
    return year


@transaction.atomic
def plan_create(
    *,
    actor: Actor,
    unit: Unit,
    year: int | str,
    title: str,
    number: str = "",
    issued_on: dt.date | None = None,
    note: str = "",
    standard_checklist: bool = True,
) -> InspectionPlan:
    """A unit's inspection plan of a year (one per unit and year), with the standard checklist
    unless asked not to (then copy one with `checklist_copy`)."""
    plan = InspectionPlan(unit=unit, title=nfc(title), number=nfc(number)[:64], issued_on=issued_on)
    require_manager(actor, plan)
    plan.year = _year(year)
    plan.note = text(note, "note")
    if not plan.title:
        raise ServiceError({"title": "Ghi trích yếu của kế hoạch kiểm tra."}, code="inspection_plan_invalid")
    if InspectionPlan.objects.filter(unit=unit, year=plan.year).exists():
        raise ServiceError(
            {"year": f"{unit} đã có kế hoạch kiểm tra CCHC năm {plan.year}."}, code="inspection_plan_exists"
        )
    plan.created_by = user_of(actor)
    plan.save()
    if standard_checklist:
        ChecklistItem.objects.bulk_create(
            ChecklistItem(plan=plan, area=area, position=i, content=content)
            for i, (area, content) in enumerate(STANDARD_CHECKLIST, start=1)
        )
    audit_record(actor=actor, action="inspection.plan_create", obj=plan, unit=unit, after=snapshot(plan))
    return plan


@transaction.atomic
def checklist_item_add(
    *, actor: Actor, plan: InspectionPlan, area: str, content: str, guidance: str = ""
) -> ChecklistItem:
    require_manager(actor, plan)
    InspectionPlan.objects.select_for_update().filter(pk=plan.pk).first()  # numbering one at a time
    if area not in ReformArea.values:
        raise ServiceError(
            {"area": "Chọn lĩnh vực cải cách của nội dung kiểm tra."},
            code="inspection_checklist_item_invalid",
        )
    body = text(content, "content", required="Ghi nội dung kiểm tra.")
    last = plan.checklist.aggregate(m=Max("position"))["m"] or 0
    item = ChecklistItem.objects.create(
        plan=plan, area=area, position=last + 1, content=body, guidance=text(guidance, "guidance")
    )
    audit_record(
        actor=actor, action="inspection.checklist_add", obj=item, unit=plan.unit, after=snapshot(item)
    )
    return item


@transaction.atomic
def checklist_item_remove(*, actor: Actor, item: ChecklistItem) -> None:
    """Remove a content (inspections already started keep their copy of it)."""
    require_manager(actor, item.plan)
    before = snapshot(item)
    item.delete()
    audit_record(
        actor=actor, action="inspection.checklist_remove", obj=item.plan, unit=item.plan.unit, before=before
    )


@transaction.atomic
def checklist_copy(*, actor: Actor, plan: InspectionPlan, source: InspectionPlan) -> int:
    """Replace the plan's checklist by a copy of ``source``'s (last year's, or another unit's the
    actor may read); returns the number of contents copied."""
    require_manager(actor, plan)
    if source.pk == plan.pk or not can_read_plan(actor, source):
        raise ServiceError(
            {"source": "Chọn một kế hoạch khác mà bạn được xem."}, code="inspection_checklist_copy_invalid"
        )
    items = list(source.checklist.order_by("position", "id"))
    if not items:
        raise ServiceError(
            {"source": f"Kế hoạch “{source}” chưa có nội dung kiểm tra."},
            code="inspection_checklist_copy_invalid",
        )
    removed = plan.checklist.count()
    plan.checklist.all().delete()
    ChecklistItem.objects.bulk_create(
        ChecklistItem(plan=plan, area=i.area, position=n, content=i.content, guidance=i.guidance)
        for n, i in enumerate(items, start=1)
    )
    audit_record(
        actor=actor,
        action="inspection.checklist_copy",
        obj=plan,
        unit=plan.unit,
        after={"source": source.pk, "copied": len(items), "replaced": removed},
    )
    return len(items)


@transaction.atomic
def inspection_add(
    *,
    actor: Actor,
    plan: InspectionPlan,
    unit: Unit,
    start_date: dt.date,
    end_date: dt.date | None = None,
    kind: str = Kind.PLANNED,
    mode: str = Mode.ON_SITE,
) -> Inspection:
    """Schedule an inspection of ``unit`` (inside the plan's unit, not the unit itself). A unit is
    inspected once per plan by a planned inspection; spot checks may be added any number of times."""
    require_manager(actor, plan)
    InspectionPlan.objects.select_for_update().filter(pk=plan.pk).first()  # the duplicate check holds
    errors: dict[str, str] = {}
    if unit.pk == plan.unit_id or not unit.path.startswith(plan.unit.path):
        raise ServiceError(
            {"unit": f"{unit} không thuộc phạm vi kiểm tra của {plan.unit}."}, code="inspection_unit_outside"
        )
    if kind not in Kind.values:
        errors["kind"] = "Chọn loại kiểm tra."
    if mode not in Mode.values:
        errors["mode"] = "Chọn hình thức kiểm tra."
    end_date = end_date or start_date
    if end_date < start_date:
        errors["end_date"] = "Ngày kết thúc phải từ ngày kiểm tra trở đi."
    if start_date.year != plan.year:
        errors["start_date"] = f"Ngày kiểm tra phải trong năm {plan.year} của kế hoạch."
    if errors:
        raise ServiceError(errors, code="inspection_invalid")
    if kind == Kind.PLANNED and plan.inspections.filter(unit=unit, kind=Kind.PLANNED).exists():
        raise ServiceError(
            {
                "unit": f"{unit} đã có trong kế hoạch kiểm tra này; mỗi đơn vị chỉ kiểm tra theo kế hoạch một lần."
            },
            code="inspection_duplicate",
        )
    inspection = Inspection.objects.create(
        plan=plan, unit=unit, kind=kind, mode=mode, start_date=start_date, end_date=end_date
    )
    audit_record(
        actor=actor, action="inspection.add", obj=inspection, unit=plan.unit, after=snapshot(inspection)
    )
    return inspection


@transaction.atomic
def inspection_reschedule(
    *,
    actor: Actor,
    inspection: Inspection,
    start_date: dt.date,
    end_date: dt.date | None = None,
    mode: str | None = None,
) -> Inspection:
    inspection = locked_inspection(inspection)
    require_manager(actor, inspection.plan)
    if inspection.state == Inspection.State.CONCLUDED:
        raise ServiceError("Cuộc kiểm tra đã có kết luận; không đổi lịch.", code="inspection_wrong_state")
    end_date = end_date or start_date
    if end_date < start_date or start_date.year != inspection.plan.year:
        raise ServiceError(
            {
                "start_date": f"Ngày kiểm tra trong năm {inspection.plan.year}, ngày kết thúc từ ngày kiểm tra trở đi."
            },
            code="inspection_invalid",
        )
    if mode is not None and mode not in Mode.values:
        raise ServiceError({"mode": "Chọn hình thức kiểm tra."}, code="inspection_invalid")
    before = snapshot(inspection, ["start_date", "end_date", "mode"])
    inspection.start_date, inspection.end_date = start_date, end_date
    inspection.mode = mode or inspection.mode
    inspection.save(update_fields=["start_date", "end_date", "mode"])
    audit_record(
        actor=actor,
        action="inspection.reschedule",
        obj=inspection,
        unit=inspection.plan.unit,
        before=before,
        after=snapshot(inspection, ["start_date", "end_date", "mode"]),
    )
    return inspection


def _in_scope(user: User, unit: Unit) -> bool:
    return (
        user.is_superuser or Membership.objects.filter(user=user, unit__path__startswith=unit.path).exists()
    )


@transaction.atomic
def team_set(
    *, actor: Actor, inspection: Inspection, members: Sequence[tuple[User, str]]
) -> list[TeamMember]:
    """The team of an inspection, replacing the previous one: (user, role) pairs, exactly one
    team leader (trưởng đoàn), each person once, each working in the inspecting unit's subtree."""
    inspection = locked_inspection(inspection)
    require_manager(actor, inspection.plan)
    if inspection.state == Inspection.State.CONCLUDED:
        raise ServiceError("Cuộc kiểm tra đã có kết luận; không đổi đoàn.", code="inspection_wrong_state")
    seen: set[int] = set()
    errors: list[str] = []
    for user, role in members:
        if role not in TeamRole.values:
            errors.append(f"Vai trò “{role}” không hợp lệ.")
        if user.pk in seen:
            errors.append(f"{user} được ghi hai lần.")
        seen.add(user.pk)
        if not _in_scope(user, inspection.plan.unit):
            errors.append(f"{user} không công tác trong {inspection.plan.unit}.")
    leads = sum(1 for _, role in members if role == TeamRole.LEAD)
    if leads != 1:
        errors.append("Đoàn kiểm tra cần đúng một trưởng đoàn.")
    if errors:
        raise ServiceError({"team": errors}, code="inspection_team_invalid")
    before = [(m.user_id, m.role) for m in inspection.team.all()]
    inspection.team.all().delete()
    created = TeamMember.objects.bulk_create(
        TeamMember(inspection=inspection, user=u, role=r) for u, r in members
    )
    audit_record(
        actor=actor,
        action="inspection.team_set",
        obj=inspection,
        unit=inspection.plan.unit,
        before={"team": before},
        after={"team": [(u.pk, r) for u, r in members]},
    )
    return created
