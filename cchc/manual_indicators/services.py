"""Writes to manual indicators and their reports. Keyword-only, one transaction each, audited.

Who may do what (cchc.orgs.access):
- a coordinator (or admin) of a unit defines and edits indicators for that unit's subtree;
- an officer reports for their own unit; a coordinator (or admin) for any unit of their subtree;
- leaders read only.
A definition that has reports is never deleted (it can be deactivated), and what its reports
mean — kind, periodicity, code, the units in scope — no longer changes.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.core.actors import Actor
from cchc.core.audit import audit_record, changed_fields, snapshot
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.text import nfc
from cchc.orgs.access import Access, require_manager
from cchc.orgs.models import Unit, UnitKind, user_of

from .models import ManualIndicator, ManualReport
from .periods import check_period
from .rollup import in_scope
from .validation import clean_definition, clean_figures

DEFINITION_FIELDS = [
    "code",
    "name",
    "guidance",
    "kind",
    "numerator_label",
    "denominator_label",
    "unit_of_measure",
    "aggregation",
    "unit_kinds",
    "periodicity",
    "active",
]
REPORT_FIELDS = ["numerator", "denominator", "value", "note", "reported_by_id", "reported_at"]
MAX_NOTE = 4000


def _check_manager(actor: Actor, unit: Unit) -> None:
    require_manager(
        actor,
        unit,
        f"Chỉ cán bộ điều phối CCHC của {unit} (hoặc cấp trên) được xây dựng, sửa chỉ số của đơn vị này.",
    )


def _check_code_free(unit: Unit, code: str, exclude_pk: int | None, errors: dict) -> None:
    clash = ManualIndicator.objects.filter(unit=unit, code=code).exclude(pk=exclude_pk).first()
    if clash and "code" not in errors:
        errors["code"] = f"Mã “{code}” đã được dùng cho chỉ số “{clash.name}” của {unit}."


@transaction.atomic
def definition_create(
    *,
    actor: Actor,
    unit: Unit,
    code: str,
    name: str,
    kind: str,
    periodicity: str,
    guidance: str = "",
    numerator_label: str = "",
    denominator_label: str = "",
    unit_of_measure: str = "",
    aggregation: str = "sum",
    unit_kinds=(),
    active: bool = True,
) -> ManualIndicator:
    """Define an indicator for `unit`'s subtree (the coordinator's unit)."""
    _check_manager(actor, unit)
    data, errors = clean_definition(
        {
            "code": code,
            "name": name,
            "guidance": guidance,
            "kind": kind,
            "numerator_label": numerator_label,
            "denominator_label": denominator_label,
            "unit_of_measure": unit_of_measure,
            "aggregation": aggregation,
            "unit_kinds": unit_kinds,
            "periodicity": periodicity,
            "active": active,
        }
    )
    if unit.valid_to is not None:
        errors["unit"] = (
            f"{unit} đã ngừng hoạt động từ {unit.valid_to:%d/%m/%Y}; không thể ban hành chỉ số mới."
        )
    _check_code_free(unit, data["code"], None, errors)
    if errors:
        raise ServiceError(errors, code="indicator_definition_invalid")
    definition = ManualIndicator.objects.create(unit=unit, created_by=user_of(actor), **data)
    audit_record(
        actor=actor,
        action="manual_indicator.create",
        obj=definition,
        unit=unit,
        after=snapshot(definition, ["unit_id", *DEFINITION_FIELDS]),
    )
    return definition


def _frozen_changes(definition: ManualIndicator, data: dict) -> dict[str, str]:
    """Changes refused because reports already give the definition its meaning."""
    reports = definition.reports.all()
    if not reports.exists():
        return {}
    errors = {}
    why = "chỉ số đã có số liệu báo cáo; hãy ngừng áp dụng chỉ số này và tạo chỉ số mới"
    if data["kind"] != definition.kind:
        errors["kind"] = f"Không đổi được loại chỉ số: {why}."
    if data["periodicity"] != definition.periodicity:
        errors["periodicity"] = f"Không đổi được kỳ báo cáo: {why}."
    if data["code"] != definition.code:
        errors["code"] = f"Không đổi được mã chỉ số (kế hoạch có thể đang dùng mã này): {why}."
    if data["unit_kinds"]:
        left_out = (
            Unit.objects.filter(pk__in=reports.values("unit_id"))
            .exclude(kind__in=data["unit_kinds"])
            .order_by("path")
        )
        names = [u.name for u in left_out[:3]]
        if names:
            kinds = dict(UnitKind.choices)
            errors["unit_kinds"] = (
                "Không bỏ được loại đơn vị đã có báo cáo: "
                + "; ".join(names)
                + f" ({kinds.get(left_out[0].kind, left_out[0].kind)})."
            )
    return errors


@transaction.atomic
def definition_update(*, actor: Actor, definition: ManualIndicator, **fields) -> ManualIndicator:
    """Edit a definition (its unit never changes). `fields` are those of `definition_create`."""
    definition = ManualIndicator.objects.select_for_update().select_related("unit").get(pk=definition.pk)
    _check_manager(actor, definition.unit)
    unknown = set(fields) - set(DEFINITION_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    current = {f: getattr(definition, f) for f in DEFINITION_FIELDS}
    data, errors = clean_definition(current | fields)
    _check_code_free(definition.unit, data["code"], definition.pk, errors)
    errors = _frozen_changes(definition, data) | errors
    if errors:
        raise ServiceError(errors, code="indicator_definition_invalid")
    before = snapshot(definition, DEFINITION_FIELDS)
    for name, value in data.items():
        setattr(definition, name, value)
    after = snapshot(definition, DEFINITION_FIELDS)
    changes = changed_fields(before, after)
    if changes:
        definition.save()
        audit_record(
            actor=actor,
            action="manual_indicator.update",
            obj=definition,
            unit=definition.unit,
            before={k: old for k, (old, _new) in changes.items()},
            after={k: new for k, (_old, new) in changes.items()},
        )
    return definition


@transaction.atomic
def definition_delete(*, actor: Actor, definition: ManualIndicator) -> None:
    """Delete a definition nobody has reported on; one with reports is deactivated instead."""
    definition = ManualIndicator.objects.select_for_update().select_related("unit").get(pk=definition.pk)
    _check_manager(actor, definition.unit)
    count = definition.reports.count()
    if count:
        raise ServiceError(
            f"Chỉ số “{definition.name}” đã có {count} báo cáo nên không thể xóa; "
            "hãy bỏ chọn “Đang áp dụng” để ngừng áp dụng chỉ số.",
            code="indicator_has_reports",
        )
    audit_record(
        actor=actor,
        action="manual_indicator.delete",
        obj=definition,
        unit=definition.unit,
        before=snapshot(definition, ["unit_id", *DEFINITION_FIELDS]),
    )
    definition.delete()


def _scope_error(definition: ManualIndicator, unit: Unit, period) -> str | None:
    if in_scope(definition, unit, period):
        return None
    if not unit.path.startswith(definition.unit.path):
        return f"Chỉ số “{definition.name}” do {definition.unit} ban hành, không áp dụng cho {unit}."
    if not definition.applies_to_kind(unit.kind):
        return f"Chỉ số “{definition.name}” chỉ áp dụng cho: {definition.unit_kinds_label}; {unit} không thuộc loại này."
    return f"{unit} không hoạt động trong kỳ {period.label}."


@transaction.atomic
def report_save(
    *,
    actor: Actor,
    definition: ManualIndicator,
    unit: Unit,
    period: str,
    numerator=None,
    denominator=None,
    value=None,
    note: str = "",
) -> tuple[ManualReport, str]:
    """File or correct a unit's figures for a period: returns the report and "created",
    "corrected" or "unchanged". A correction is audited with the figures before and after."""
    if not Access.for_user(actor).can_report_for(unit):
        raise PermissionDenied(f"Bạn không có quyền báo cáo số liệu cho {unit}.")
    definition = ManualIndicator.objects.select_related("unit").get(pk=definition.pk)
    if not definition.active:
        raise ServiceError(
            f"Chỉ số “{definition.name}” đã ngừng áp dụng, không nhận báo cáo.", code="indicator_inactive"
        )
    today = timezone.localdate()
    errors: dict[str, str] = {}
    try:
        checked = check_period(definition.periodicity, period, today)
    except ServiceError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        checked = None
    if checked is not None:
        scope = _scope_error(definition, unit, checked)
        if scope:
            errors["unit"] = scope
    n, d, v, figure_errors = clean_figures(definition, numerator, denominator, value)
    errors.update(figure_errors)
    note = "\n".join(nfc(line) for line in (note or "").splitlines()).strip()
    if len(note) > MAX_NOTE:
        errors["note"] = f"Ghi chú dài quá {MAX_NOTE} ký tự."
    if errors:
        raise ServiceError(errors, code="manual_report_invalid")

    key = checked.key
    figures = {"numerator": n, "denominator": d, "value": v, "note": note}
    report = (
        ManualReport.objects.select_for_update().filter(indicator=definition, unit=unit, period=key).first()
    )
    now = timezone.now()
    if report is None:
        try:
            with transaction.atomic():
                report = ManualReport.objects.create(
                    indicator=definition,
                    unit=unit,
                    period=key,
                    reported_by=user_of(actor),
                    reported_at=now,
                    **figures,
                )
        except IntegrityError:
            raise ServiceError(
                f"Số liệu kỳ {checked.label} của {unit} vừa được người khác báo cáo; hãy tải lại trang, "
                "kiểm tra và điều chỉnh nếu cần.",
                code="manual_report_conflict",
            ) from None
        audit_record(
            actor=actor,
            action="manual_report.create",
            obj=report,
            unit=unit,
            after=snapshot(report, ["indicator_id", "unit_id", "period", *REPORT_FIELDS]),
        )
        return report, "created"
    if all(getattr(report, k) == val for k, val in figures.items()):
        return report, "unchanged"
    before = snapshot(report, REPORT_FIELDS)
    for k, val in figures.items():
        setattr(report, k, val)
    report.reported_by = user_of(actor)
    report.reported_at = now
    report.corrections += 1
    report.save()
    audit_record(
        actor=actor,
        action="manual_report.correct",
        obj=report,
        unit=unit,
        before=before | {"corrections": report.corrections - 1},
        after=snapshot(report, REPORT_FIELDS) | {"corrections": report.corrections},
    )
    return report, "corrected"
