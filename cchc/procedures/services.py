"""Writes to the procedure catalogue. Keyword-only, one transaction each, audited.

`SYSTEM` is the system itself (management commands, the demo loader): it is not checked
against the organisation tree. Every other actor must coordinate or administer the competent
agency's subtree (`Access.can_manage_unit`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum

from cchc.core.actors import SYSTEM, Actor
from cchc.core.audit import audit_record, snapshot
from cchc.core.errors import ServiceError
from cchc.core.text import fold, nfc
from cchc.orgs.access import Access, require_manager
from cchc.orgs.models import Unit, UnitKind, user_of

from .models import (
    CODE_RE,
    ApplicantType,
    Component,
    Level,
    OnlineMode,
    Procedure,
    Step,
    TimeUnit,
    format_duration,
)
from .performers import performer_or_words

PROCEDURE_FIELDS = [
    "code",
    "name",
    "field",
    "level",
    "agency_id",
    "processing_time",
    "time_unit",
    "fee_amount",
    "fee_note",
    "online_mode",
    "result_type",
    "applicant_type",
    "published_on",
    "announcement_decision",
    "legal_basis",
    "legal_basis_effective_on",
    "synced_to_national_portal",
    "made_public_on",
    "valid_from",
    "valid_to",
]
# What `procedure_save` accepts (the agency as a Unit).
EDITABLE_FIELDS = [f for f in PROCEDURE_FIELDS if f != "agency_id"] + ["agency"]
TEXT_FIELDS = {"name", "field", "fee_note", "result_type", "announcement_decision", "legal_basis"}
STEP_FIELDS = ["position", "name", "actor_role", "performer", "time_allowed"]
COMPONENT_FIELDS = ["position", "name", "form_template", "copies", "mandatory"]
MAX_TIME = Decimal("9999")

# Usual actors of internal processes, offered as suggestions in the step form.
STEP_ROLES = [
    "Bộ phận một cửa",
    "Chuyên viên phòng chuyên môn",
    "Lãnh đạo phòng chuyên môn",
    "Lãnh đạo cơ quan",
    "Văn thư",
    "Công chức tư pháp - hộ tịch",
    "Công chức địa chính",
    "Chủ tịch UBND cấp xã",
]


# --- rules ------------------------------------------------------------------------------------


def validate_code(code: str | None) -> str:
    """The code in its canonical form, or a ServiceError saying in Vietnamese what is wrong.

    National codes are "1.001234" (one digit, a dot, six digits); a local variant adds the
    province suffix ".Hnn" ("1.012753.H19")."""
    raw = nfc(code)
    text = raw
    if not text:
        raise ServiceError(
            {"code": "Nhập mã thủ tục, ví dụ 1.001234 hoặc 1.012753.H19."}, code="procedure_code_required"
        )
    parts = text.split(".")
    if len(parts) == 3 and parts[2][:1] in ("h", "H"):
        parts[2] = "H" + parts[2][1:]
    text = ".".join(parts)
    if CODE_RE.match(text):
        return text
    example = " Ví dụ đúng: 1.001234 (mã quốc gia) hoặc 1.012753.H19 (mã địa phương)."
    if " " in raw:
        reason = "mã không được chứa khoảng trắng"
    elif not all(c.isascii() and (c.isalnum() or c == ".") for c in text):
        reason = "mã chỉ gồm chữ số, dấu chấm và hậu tố tỉnh .Hnn"
    elif len(parts) < 2:
        reason = "thiếu dấu chấm sau chữ số đầu"
    elif len(parts) > 3:
        reason = "có quá nhiều dấu chấm"
    elif not (len(parts[0]) == 1 and parts[0] in "123456789"):
        reason = "phần trước dấu chấm phải là một chữ số từ 1 đến 9"
    elif not (len(parts[1]) == 6 and parts[1].isdigit()):
        reason = f"phần sau dấu chấm phải có đúng 6 chữ số (đang có “{parts[1]}”)"
    else:
        reason = f"hậu tố địa phương phải có dạng .H và 2 chữ số (đang có “.{parts[2]}”)"
    raise ServiceError(
        {"code": f"Mã thủ tục “{raw}” không đúng: {reason}.{example}"}, code="procedure_code_invalid"
    )


def _require_manager(actor: Actor, unit: Unit) -> None:
    """`orgs.access.require_manager` with this app's message; the system (commands and the demo
    loader) is not checked."""
    if actor is not SYSTEM:
        require_manager(actor, unit, f"Bạn không có quyền quản lý thủ tục hành chính của {unit.body_name}.")


def can_manage(actor: Actor, procedure: Procedure) -> bool:
    return actor is SYSTEM or Access.for_user(actor).can_manage_unit(procedure.agency)


def default_level(agency: Unit) -> str:
    return Level.COMMUNE if agency.kind == UnitKind.COMMUNE else Level.PROVINCE


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        return Decimal("NaN")


def check_procedure(
    state: Mapping[str, Any],
    *,
    existing: Procedure | None = None,
    steps_total: Decimal | None = None,
    check_unique: bool = True,
) -> dict[str, str]:
    """Every rule a procedure must satisfy, as {field: Vietnamese message}; empty when valid.

    Shared by `procedure_save` and the importer's preview, so that a preview reports exactly
    what saving would refuse."""
    errors: dict[str, str] = {}
    try:
        validate_code(state.get("code"))
    except ServiceError as exc:
        errors["code"] = exc.message_dict["code"][0]
    if not state.get("name"):
        errors["name"] = "Nhập tên thủ tục."
    elif len(state["name"]) > 1000:
        errors["name"] = "Tên thủ tục quá dài (tối đa 1.000 ký tự)."
    agency: Unit | None = state.get("agency")
    level = state.get("level")
    if agency is None:
        errors["agency"] = "Chọn cơ quan thực hiện."
    elif agency.valid_to is not None:
        errors["agency"] = (
            f"{agency.name} đã hết hiệu lực từ {agency.valid_to:%d/%m/%Y}; chọn đơn vị kế thừa."
        )
    if level not in Level.values:
        errors["level"] = "Chọn cấp thực hiện: cấp tỉnh, cấp xã hoặc trung ương (tiếp nhận tại địa phương)."
    elif agency is not None and "agency" not in errors:
        if level == Level.COMMUNE and agency.kind not in (UnitKind.COMMUNE, UnitKind.PROVINCE):
            errors["level"] = (
                "Thủ tục cấp xã do UBND xã thực hiện: chọn một xã, phường hoặc chọn tỉnh (áp dụng cho mọi xã)."
            )
        elif level != Level.COMMUNE and agency.kind == UnitKind.COMMUNE:
            errors["level"] = "UBND xã, phường chỉ thực hiện thủ tục cấp xã."
    time = state.get("processing_time")
    if time is not None:
        if time.is_nan() or time <= 0:
            errors["processing_time"] = "Thời hạn giải quyết phải là số lớn hơn 0."
        elif time > MAX_TIME:
            errors["processing_time"] = "Thời hạn giải quyết quá lớn."
        elif steps_total and steps_total > time:
            unit = state.get("time_unit") or TimeUnit.WORKING_DAY
            errors["processing_time"] = (
                f"Các bước xử lý đã dùng {format_duration(steps_total, unit)}, "
                f"nhiều hơn thời hạn {format_duration(time, unit)}: sửa thời gian các bước trước."
            )
    if state.get("time_unit") not in TimeUnit.values:
        errors["time_unit"] = "Đơn vị thời hạn phải là ngày làm việc, giờ làm việc hoặc ngày."
    fee = state.get("fee_amount")
    if fee is not None and (not isinstance(fee, int) or fee < 0):
        errors["fee_amount"] = "Phí, lệ phí là số tiền (đồng) không âm; nhập 0 nếu không thu."
    if state.get("online_mode") not in OnlineMode.values:
        errors["online_mode"] = "Chọn mức độ trực tuyến: toàn trình, một phần hoặc không."
    if state.get("applicant_type", "") not in ("", *ApplicantType.values):
        errors["applicant_type"] = "Đối tượng thực hiện phải là công dân, tổ chức hoặc cả hai."
    valid_from, valid_to = state.get("valid_from"), state.get("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        errors["valid_to"] = "Ngày hết hiệu lực không được trước ngày có hiệu lực."
    published_on, made_public_on = state.get("published_on"), state.get("made_public_on")
    if published_on and made_public_on and made_public_on < published_on:
        errors["made_public_on"] = "Ngày công khai trên CSDL quốc gia không được trước ngày công bố."
    if check_unique and "code" not in errors and agency is not None:
        clash = Procedure.objects.filter(code=validate_code(state["code"]), agency=agency)
        if existing is not None:
            clash = clash.exclude(pk=existing.pk)
        if clash.exists():
            errors["code"] = f"{agency.body_name} đã có thủ tục mã {validate_code(state['code'])}."
    return errors


def normalise(data: Mapping[str, Any]) -> dict[str, Any]:
    """NFC text, canonical code, Decimal times; unknown fields refused."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ServiceError(f"Không thể ghi trường: {', '.join(sorted(unknown))}.", code="field_not_editable")
    out = dict(data)
    for key in TEXT_FIELDS & set(out):
        out[key] = nfc(out[key])
    if "code" in out:
        out["code"] = nfc(out["code"])
        try:
            out["code"] = validate_code(out["code"])
        except ServiceError:
            pass  # reported by check_procedure with the field it concerns
    if "processing_time" in out:
        out["processing_time"] = _decimal(out["processing_time"])
    return out


def _search_text(procedure: Procedure) -> str:
    return fold(f"{procedure.code} {procedure.name} {procedure.field}")


def _steps_total(procedure: Procedure | None) -> Decimal | None:
    if procedure is None or procedure.pk is None:
        return None
    return procedure.steps.aggregate(total=Sum("time_allowed"))["total"]


# --- procedures -------------------------------------------------------------------------------


@transaction.atomic
def procedure_save(*, actor: Actor, procedure: Procedure | None = None, **data) -> Procedure:
    """Create a procedure (needs code, name, agency) or change the given fields of one.

    Fields: see EDITABLE_FIELDS. Saving an unchanged procedure writes nothing."""
    data = normalise(data)
    if procedure is not None:
        _require_manager(actor, procedure.agency)
    state = {f: getattr(procedure, f) for f in EDITABLE_FIELDS} if procedure else {}
    if not procedure:
        state = {
            "field": "",
            "time_unit": TimeUnit.WORKING_DAY,
            "fee_note": "",
            "online_mode": OnlineMode.NONE,
            "result_type": "",
            "applicant_type": "",
            "announcement_decision": "",
            "legal_basis": "",
            "synced_to_national_portal": False,
        }
    state.update(data)
    if not procedure and not state.get("level") and state.get("agency") is not None:
        state["level"] = default_level(state["agency"])
    if state.get("agency") is not None:
        _require_manager(actor, state["agency"])
    errors = check_procedure(state, existing=procedure, steps_total=_steps_total(procedure))
    if errors:
        raise ServiceError(errors, code="procedure_invalid")
    before = snapshot(procedure, PROCEDURE_FIELDS) if procedure else None
    if procedure is None:
        procedure = Procedure(created_by=user_of(actor))
    for key, value in state.items():
        setattr(procedure, key, value)
    after = snapshot(procedure, PROCEDURE_FIELDS)
    if before == after:
        return procedure
    procedure.search_text = _search_text(procedure)
    procedure.save()
    audit_record(
        actor=actor,
        action="procedure.update" if before else "procedure.create",
        obj=procedure,
        unit=procedure.agency,
        before=before,
        after=after,
    )
    return procedure


@transaction.atomic
def procedure_delete(*, actor: Actor, procedure: Procedure) -> None:
    _require_manager(actor, procedure.agency)
    audit_record(
        actor=actor,
        action="procedure.delete",
        obj=procedure,
        unit=procedure.agency,
        before=snapshot(procedure, PROCEDURE_FIELDS)
        | {"steps": procedure.steps.count(), "components": procedure.components.count()},
    )
    procedure.delete()


# --- internal steps B1…Bn ---------------------------------------------------------------------


def _check_step(procedure: Procedure, name: str, actor_role: str, time_allowed, others: Decimal) -> dict:
    errors = {}
    if not name:
        errors["name"] = "Nhập nội dung công việc của bước."
    if not actor_role:
        errors["actor_role"] = "Nhập người hoặc bộ phận thực hiện (ví dụ: Bộ phận một cửa)."
    time = _decimal(time_allowed)
    if time is None or time.is_nan() or time <= 0:
        errors["time_allowed"] = "Thời gian của bước phải là số lớn hơn 0."
    elif procedure.processing_time is not None and others + time > procedure.processing_time:
        unit = procedure.time_unit
        errors["time_allowed"] = (
            f"Tổng thời gian các bước ({format_duration(others + time, unit)}) vượt thời hạn giải quyết "
            f"({format_duration(procedure.processing_time, unit)})."
        )
    return errors


@transaction.atomic
def step_save(
    *,
    actor: Actor,
    procedure: Procedure,
    step: Step | None = None,
    name: str,
    actor_role: str,
    time_allowed: Decimal | int | str,
    performer: str = "",
) -> Step:
    """Add a step at the end of the process, or change one; the steps together may not take
    longer than the procedure's processing time. `performer` (desk, specialist, leader) is
    read from `actor_role`'s words when not given."""
    _require_manager(actor, procedure.agency)
    if step is not None and step.procedure_id != procedure.pk:
        raise ServiceError("Bước xử lý không thuộc thủ tục này.", code="not_in_procedure")
    name, actor_role = nfc(name), nfc(actor_role)
    others = procedure.steps.exclude(pk=getattr(step, "pk", None)).aggregate(t=Sum("time_allowed"))["t"]
    errors = _check_step(procedure, name, actor_role, time_allowed, others or Decimal(0))
    if errors:
        raise ServiceError(errors, code="step_invalid")
    before = snapshot(step, STEP_FIELDS) if step else None
    if step is None:
        last = procedure.steps.aggregate(m=Max("position"))["m"] or 0
        step = Step(procedure=procedure, position=last + 1)
    step.name, step.actor_role, step.time_allowed = name, actor_role, _decimal(time_allowed)
    step.performer = performer_or_words(performer, actor_role)
    step.save()
    audit_record(
        actor=actor,
        action="procedure.step.update" if before else "procedure.step.create",
        obj=step,
        unit=procedure.agency,
        before=before,
        after=snapshot(step, STEP_FIELDS),
    )
    return step


def _renumber(items) -> None:
    for i, item in enumerate(items, start=1):
        if item.position != i:
            item.position = i
            item.save(update_fields=["position"])


@transaction.atomic
def step_delete(*, actor: Actor, step: Step) -> None:
    procedure = step.procedure
    _require_manager(actor, procedure.agency)
    audit_record(
        actor=actor,
        action="procedure.step.delete",
        obj=step,
        unit=procedure.agency,
        before=snapshot(step, STEP_FIELDS),
    )
    step.delete()
    _renumber(procedure.steps.order_by("position", "id"))


@transaction.atomic
def step_move(*, actor: Actor, step: Step, offset: int) -> Step:
    """Move a step up (offset -1) or down (+1) in the process."""
    procedure = step.procedure
    _require_manager(actor, procedure.agency)
    steps = list(procedure.steps.order_by("position", "id"))
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    target = index + offset
    if not 0 <= target < len(steps):
        raise ServiceError("Không thể di chuyển bước ra ngoài quy trình.", code="step_move_outside")
    steps[index], steps[target] = steps[target], steps[index]
    before = [s.pk for s in sorted(steps, key=lambda s: s.position)]
    _renumber(steps)
    audit_record(
        actor=actor,
        action="procedure.step.move",
        obj=procedure,
        unit=procedure.agency,
        before={"order": before},
        after={"order": [s.pk for s in steps]},
    )
    step.refresh_from_db()
    return step


# --- dossier components -----------------------------------------------------------------------


def _check_component(name: str, copies) -> dict:
    errors = {}
    if not name:
        errors["name"] = "Nhập tên giấy tờ."
    if not isinstance(copies, int) or not 1 <= copies <= 99:
        errors["copies"] = "Số lượng bản từ 1 đến 99."
    return errors


@transaction.atomic
def component_save(
    *,
    actor: Actor,
    procedure: Procedure,
    component: Component | None = None,
    name: str,
    form_template: str = "",
    copies: int = 1,
    mandatory: bool = True,
) -> Component:
    _require_manager(actor, procedure.agency)
    if component is not None and component.procedure_id != procedure.pk:
        raise ServiceError("Thành phần hồ sơ không thuộc thủ tục này.", code="not_in_procedure")
    name = nfc(name)
    errors = _check_component(name, copies)
    if errors:
        raise ServiceError(errors, code="component_invalid")
    before = snapshot(component, COMPONENT_FIELDS) if component else None
    if component is None:
        last = procedure.components.aggregate(m=Max("position"))["m"] or 0
        component = Component(procedure=procedure, position=last + 1)
    component.name, component.form_template = name, nfc(form_template)
    component.copies, component.mandatory = copies, bool(mandatory)
    component.save()
    audit_record(
        actor=actor,
        action="procedure.component.update" if before else "procedure.component.create",
        obj=component,
        unit=procedure.agency,
        before=before,
        after=snapshot(component, COMPONENT_FIELDS),
    )
    return component


@transaction.atomic
def component_delete(*, actor: Actor, component: Component) -> None:
    procedure = component.procedure
    _require_manager(actor, procedure.agency)
    audit_record(
        actor=actor,
        action="procedure.component.delete",
        obj=component,
        unit=procedure.agency,
        before=snapshot(component, COMPONENT_FIELDS),
    )
    component.delete()
    _renumber(procedure.components.order_by("position", "id"))


@transaction.atomic
def procedure_set_parts(
    *,
    actor: Actor,
    procedure: Procedure,
    steps: Iterable[Mapping[str, Any]],
    components: Iterable[Mapping[str, Any]],
) -> Procedure:
    """Replace the whole internal process and the list of components at once (catalogue loads,
    the demo). Steps: {name, actor_role, time_allowed, performer (optional: read from the
    words)}; components: {name, form_template,
    copies, mandatory}. One audit row."""
    _require_manager(actor, procedure.agency)
    steps, components = list(steps), list(components)
    errors: list[str] = []
    total = Decimal(0)
    for i, s in enumerate(steps, start=1):
        problem = _check_step(
            procedure, nfc(s.get("name")), nfc(s.get("actor_role")), s.get("time_allowed"), total
        )
        total += _decimal(s.get("time_allowed")) or 0
        errors += [f"B{i}: {m}" for m in problem.values()]
    for i, c in enumerate(components, start=1):
        problem = _check_component(nfc(c.get("name")), c.get("copies", 1))
        errors += [f"Thành phần {i}: {m}" for m in problem.values()]
    if errors:
        raise ServiceError(errors, code="procedure_process_invalid")
    before = {
        "steps": [snapshot(s, STEP_FIELDS) for s in procedure.steps.all()],
        "components": [snapshot(c, COMPONENT_FIELDS) for c in procedure.components.all()],
    }
    procedure.steps.all().delete()
    procedure.components.all().delete()
    new_steps = Step.objects.bulk_create(
        Step(
            procedure=procedure,
            position=i,
            name=nfc(s["name"]),
            actor_role=nfc(s["actor_role"]),
            performer=performer_or_words(s.get("performer"), nfc(s["actor_role"])),
            time_allowed=_decimal(s["time_allowed"]),
        )
        for i, s in enumerate(steps, start=1)
    )
    new_components = Component.objects.bulk_create(
        Component(
            procedure=procedure,
            position=i,
            name=nfc(c["name"]),
            form_template=nfc(c.get("form_template", "")),
            copies=c.get("copies", 1),
            mandatory=c.get("mandatory", True),
        )
        for i, c in enumerate(components, start=1)
    )
    audit_record(
        actor=actor,
        action="procedure.parts",
        obj=procedure,
        unit=procedure.agency,
        before=before,
        after={
            "steps": [snapshot(s, STEP_FIELDS) for s in new_steps],
            "components": [snapshot(c, COMPONENT_FIELDS) for c in new_components],
        },
    )
    return procedure


# --- catalogue import -------------------------------------------------------------------------


@transaction.atomic
def catalogue_import(
    *, actor: Actor, filename: str, content: bytes, default_agency: Unit | None = None, dry_run: bool = False
):
    """Import a catalogue file (CSV or XLSX, see docs/procedures.md): every good row creates or
    updates one procedure, every bad row is reported with its line and reason and skipped. One
    transaction; with `dry_run` nothing is written. Re-importing the same file changes nothing.

    Returns the `cchc.procedures.importer.ImportPreview` (what was, or would be, done). A file
    that cannot be read raises `importer.ImportFileError`."""
    from . import importer

    if default_agency is not None:
        _require_manager(actor, default_agency)
    preview = importer.preview(actor=actor, filename=filename, content=content, default_agency=default_agency)
    if dry_run or not (preview.created or preview.updated):
        return preview
    for change in preview.created + preview.updated:
        change.procedure = procedure_save(actor=actor, procedure=change.procedure, **change.data)
    audit_record(
        actor=actor,
        action="procedure.import",
        obj=(preview.created + preview.updated)[0].procedure,
        unit=default_agency,
        after={
            "file": filename,
            "created": len(preview.created),
            "updated": len(preview.updated),
            "unchanged": len(preview.unchanged),
            "bad_rows": len(preview.errors),
        },
    )
    preview.applied = True
    return preview
