"""Frameworks (bộ chỉ số): imported from a file, copied to a new year, replaced while a draft,
issued. A framework is checked whole by `formulas.build_framework` before anything is saved, so a
half-imported framework never exists; once issued it does not change (rounds score against it).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from cchc.core import indicator_sources
from cchc.core.actors import Actor
from cchc.core.audit import audit_record, snapshot
from cchc.core.errors import ServiceError
from cchc.core.text import nfc
from cchc.orgs.access import require_manager
from cchc.orgs.models import Unit, user_of

from .. import files, formulas
from ..models import Criterion, Framework, Group, Method

FIRST_YEAR, LAST_YEAR = 2000, 2100


def require_framework_manager(actor: Actor, unit: Unit) -> None:
    require_manager(actor, unit, f"Chỉ cán bộ điều phối CCHC của {unit} được quản lý bộ chỉ số của đơn vị.")


def sort_key(code: str) -> str:
    return ".".join(f"{int(part):03d}" for part in code.split("."))


def _check_header(
    *, unit: Unit, year: int, name: str, group: str, bands: str = formulas.DEFAULT_BANDS
) -> dict[str, str]:
    errors = {}
    try:
        formulas.parse_bands(bands)
    except ValueError:
        errors["bands"] = (
            "Xếp loại ghi dạng “90: Xuất sắc; 80: Tốt; 70: Khá; 50: Trung bình; 0: Yếu” (ngưỡng từ 0 đến 100, có ngưỡng 0)."
        )
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        errors["year"] = f"Năm đánh giá phải từ {FIRST_YEAR} đến {LAST_YEAR}."
    if not name:
        errors["name"] = "Ghi tên bộ chỉ số."
    if group and group not in Group.values:
        errors["group"] = "Nhóm đơn vị không hợp lệ."
    return errors


def _criteria_from_rows(framework: Framework, rows: files.Rows) -> list[Criterion]:
    """Check the rows whole (the contract's columns and the application's extra ones) and build
    unsaved criteria; ServiceError with every error and its line."""
    try:
        built = formulas.build_framework(rows)
    except formulas.ParErrors as exc:
        raise ServiceError(
            {"file": [f"Dòng {e.line}: {e.reason}" for e in exc.errors]}, code="framework_file_invalid"
        ) from None
    extras = {(row.get("ma") or "").strip(): (line, row) for line, row in rows}
    errors: list[str] = []
    criteria: list[Criterion] = []
    for node in built.nodes:
        line, row = extras[node.code]
        is_leaf = node.code in built.leaf_codes
        source = (row.get("chi_so_nguon") or "").strip()
        full_at_text = (row.get("dat_toi_da") or "").strip()
        full_at: Decimal | None = None
        if source:
            if not is_leaf or node.method != Method.DATA:
                errors.append(f"Dòng {line}: chỉ số nguồn chỉ ghi ở tiêu chí có phương pháp du_lieu.")
            else:
                try:
                    indicator_sources.check_bindable(source, framework.unit)
                except ServiceError as exc:
                    errors.append(f"Dòng {line}: {' '.join(exc.messages)}")
        if full_at_text:
            try:
                full_at = formulas.parse_decimal(full_at_text)
            except ValueError:
                errors.append(f"Dòng {line}: giá trị đạt điểm tối đa “{full_at_text}” không phải là số.")
            else:
                if not source:
                    errors.append(f"Dòng {line}: giá trị đạt điểm tối đa chỉ ghi cùng chỉ số nguồn.")
                elif full_at is not None and full_at < 0:
                    errors.append(f"Dòng {line}: giá trị đạt điểm tối đa không được âm.")
        max_points = node.max_points
        if max_points is not None and max_points != max_points.quantize(formulas.CENT):
            errors.append(f"Dòng {line}: điểm tối đa ghi tối đa 2 chữ số thập phân.")
        criteria.append(
            Criterion(
                framework=framework,
                code=node.code,
                sort_key=sort_key(node.code),
                depth=node.depth,
                name=nfc(node.name),
                max_points=max_points if is_leaf or max_points is not None else _summed(built, node.code),
                is_leaf=is_leaf,
                method=node.method,
                applies_to=node.applies_to,
                guidance=nfc((row.get("huong_dan") or "").strip()),
                evidence_required=nfc((row.get("tai_lieu_kiem_chung") or "").strip()),
                source=source,
                full_at=full_at,
            )
        )
    if framework.group:
        other = [c.code for c in criteria if c.is_leaf and c.applies_to and c.applies_to != framework.group]
        if other:
            errors.append(
                f"Bộ chỉ số dành cho {Group(framework.group).label.lower()} nhưng các tiêu chí "
                f"{', '.join(other[:10])} chỉ áp dụng cho nhóm khác."
            )
    if errors:
        raise ServiceError({"file": errors}, code="framework_file_invalid")
    return criteria


def _summed(built: formulas.Framework, code: str) -> Decimal:
    """A parent's maximum when the file does not give it: its ordinary leaves' sum."""
    prefix = code + "."
    return sum(
        (n.max_points or formulas.ZERO for n in built.leaves if n.code.startswith(prefix) and n.ordinary),
        formulas.ZERO,
    )


def _save_criteria(criteria: list[Criterion]) -> None:
    """Save in code order so that each parent exists before its children."""
    by_code: dict[str, Criterion] = {}
    for c in criteria:
        parent_code = c.code.rsplit(".", 1)[0] if "." in c.code else None
        c.parent = by_code.get(parent_code) if parent_code else None
        c.save()
        by_code[c.code] = c


def _read(data: bytes) -> files.Rows:
    try:
        return files.read_framework_rows(data)
    except formulas.ParErrors as exc:
        raise ServiceError(
            {"file": [f"Dòng {e.line}: {e.reason}" if e.line else e.reason for e in exc.errors]},
            code="framework_file_invalid",
        ) from None


@transaction.atomic
def framework_import(
    *,
    actor: Actor,
    unit: Unit,
    year: int,
    name: str,
    data: bytes,
    group: str = "",
    note: str = "",
    bands: str = "",
) -> Framework:
    """A new draft framework from a framework file (CSV or XLSX, docs/specs/par-index.md columns
    plus the optional huong_dan, tai_lieu_kiem_chung, chi_so_nguon, dat_toi_da); ``bands`` the
    classification ("90: Xuất sắc; …", the usual one when empty)."""
    require_framework_manager(actor, unit)
    name, note = nfc(name or "").strip(), nfc(note or "").strip()
    bands = " ".join(nfc(bands or "").split()) or formulas.DEFAULT_BANDS
    errors = _check_header(unit=unit, year=year, name=name, group=group, bands=bands)
    if errors:
        raise ServiceError(errors, code="framework_invalid")
    if Framework.objects.filter(unit=unit, year=year, group=group).exists():
        raise ServiceError(
            {
                "year": f"{unit} đã có bộ chỉ số năm {year} cho nhóm này; sửa bản dự thảo đó hoặc sao sang năm khác."
            },
            code="framework_exists",
        )
    framework = Framework(
        unit=unit,
        year=year,
        group=group,
        name=name,
        note=note,
        bands=bands,
        created_by=user_of(actor),
    )
    criteria = _criteria_from_rows(framework, _read(data))
    framework.save()
    _save_criteria(criteria)
    audit_record(
        actor=actor,
        action="par.framework_import",
        obj=framework,
        unit=unit,
        after=snapshot(framework) | {"criteria": len(criteria)},
    )
    return framework


@transaction.atomic
def framework_replace(*, actor: Actor, framework: Framework, data: bytes) -> Framework:
    """Replace a draft's criteria with a file's (the way to edit: export, change, import)."""
    framework = Framework.objects.select_for_update().select_related("unit").get(pk=framework.pk)
    require_framework_manager(actor, framework.unit)
    if framework.status != Framework.Status.DRAFT:
        raise ServiceError(
            "Bộ chỉ số đã ban hành; không sửa được. Sao sang bản mới để thay đổi.", code="framework_issued"
        )
    criteria = _criteria_from_rows(framework, _read(data))
    before = len(framework.criteria.all())
    framework.criteria.all().delete()
    _save_criteria(criteria)
    audit_record(
        actor=actor,
        action="par.framework_replace",
        obj=framework,
        unit=framework.unit,
        before={"criteria": before},
        after={"criteria": len(criteria)},
    )
    return framework


@transaction.atomic
def framework_copy(*, actor: Actor, framework: Framework, year: int, name: str = "") -> Framework:
    """A draft copy of a framework for another year (then replaced from a file where it changes)."""
    require_framework_manager(actor, framework.unit)
    name = nfc(name or "").strip() or f"{framework.name} (năm {year})"
    errors = _check_header(unit=framework.unit, year=year, name=name, group=framework.group)
    if errors:
        raise ServiceError(errors, code="framework_invalid")
    if Framework.objects.filter(unit=framework.unit, year=year, group=framework.group).exists():
        raise ServiceError(
            {"year": f"{framework.unit} đã có bộ chỉ số năm {year} cho nhóm này."}, code="framework_exists"
        )
    copy = Framework.objects.create(
        unit=framework.unit,
        year=year,
        group=framework.group,
        name=name,
        note=framework.note,
        bands=framework.bands,
        copied_from=framework,
        created_by=user_of(actor),
    )
    criteria = [
        Criterion(
            framework=copy,
            code=c.code,
            sort_key=c.sort_key,
            depth=c.depth,
            name=c.name,
            max_points=c.max_points,
            is_leaf=c.is_leaf,
            method=c.method,
            applies_to=c.applies_to,
            guidance=c.guidance,
            evidence_required=c.evidence_required,
            source=c.source,
            full_at=c.full_at,
        )
        for c in framework.criteria.order_by("sort_key")
    ]
    _save_criteria(criteria)
    audit_record(
        actor=actor,
        action="par.framework_copy",
        obj=copy,
        unit=copy.unit,
        after=snapshot(copy) | {"criteria": len(criteria)},
    )
    return copy


@transaction.atomic
def framework_issue(*, actor: Actor, framework: Framework) -> Framework:
    framework = Framework.objects.select_for_update().select_related("unit").get(pk=framework.pk)
    require_framework_manager(actor, framework.unit)
    if framework.status == Framework.Status.ISSUED:
        raise ServiceError("Bộ chỉ số đã ban hành.", code="framework_issued")
    if not framework.criteria.filter(is_leaf=True).exists():
        raise ServiceError("Bộ chỉ số chưa có tiêu chí nào.", code="framework_empty")
    before = snapshot(framework)
    framework.status = Framework.Status.ISSUED
    framework.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="par.framework_issue",
        obj=framework,
        unit=framework.unit,
        before=before,
        after=snapshot(framework),
    )
    return framework


@transaction.atomic
def framework_delete(*, actor: Actor, framework: Framework) -> None:
    framework = Framework.objects.select_for_update().select_related("unit").get(pk=framework.pk)
    require_framework_manager(actor, framework.unit)
    if framework.status != Framework.Status.DRAFT or framework.rounds.exists():
        raise ServiceError(
            "Chỉ xoá được bộ chỉ số dự thảo chưa dùng cho đợt đánh giá nào.", code="framework_in_use"
        )
    audit_record(
        actor=actor,
        action="par.framework_delete",
        obj=framework,
        unit=framework.unit,
        before=snapshot(framework),
    )
    framework.delete()
