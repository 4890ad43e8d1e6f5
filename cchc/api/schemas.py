"""The API's shapes. Field names are English snake_case, fixed for v1 (docs/api.md lists them
with the Vietnamese terms of docs/glossary.md); a new field may be added, none renamed."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class ErrorOut(Schema):
    code: str = Field(description="mã lỗi ổn định (docs/errors.md)")
    message: str = Field(description="thông báo tiếng Việt")
    errors: dict[str, object] | None = None


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    parent_code: str | None = None
    depth: int
    valid_from: dt.date | None
    valid_to: dt.date | None

    @staticmethod
    def resolve_parent_code(obj: object) -> str | None:
        return obj.parent.code if obj.parent_id else None  # type: ignore[attr-defined]


class ProcedureOut(Schema):
    id: int
    code: str
    name: str
    field: str
    level: str
    agency_code: str = Field(alias="agency.code")
    processing_time: Decimal | None
    time_unit: str
    fee_amount: int | None
    online_mode: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class PlanOut(Schema):
    id: int
    number: str
    title: str
    kind: str
    status: str
    issuer_code: str = Field(alias="issuer.code")
    issued_on: dt.date | None
    from_year: int
    to_year: int


class TargetOut(Schema):
    id: int
    plan_id: int
    position: int
    text: str
    area: str
    comparator: str
    value: Decimal
    unit_of_measure: str
    year: int | None
    reduction: bool
    indicator: str | None = Field(description="mã chỉ số được gắn (nguồn số liệu), nếu có")
    measured_unit_code: str | None
    status: str = Field(description="trạng thái: met, on_track, at_risk, missed, no_data, unbound")
    status_label: str
    current_value: Decimal | None
    gap: Decimal | None
    why: str


class TaskUnitOut(Schema):
    unit_code: str = Field(alias="unit.code")
    role: str


class TaskOut(Schema):
    id: int
    plan_id: int
    number: str
    area: str
    content: str
    output: str
    deadline_text: str
    final_due: dt.date | None
    units: list[TaskUnitOut] = Field(alias="task_units")

    @staticmethod
    def resolve_units(obj: object) -> list[object]:
        return list(obj.task_units.all())  # type: ignore[attr-defined]


class AssignmentOut(Schema):
    id: int
    task_id: int
    plan_id: int = Field(alias="task.plan_id")
    unit_code: str = Field(alias="unit.code")
    percent: int
    last_reported_on: dt.date | None
    completed_on: dt.date | None
    updates_count: int


class SourceOut(Schema):
    code: str
    name: str
    family: str
    kind: str
    cadence: str
    higher_is_better: bool
    unit_label: str


class ValueOut(Schema):
    period: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: int | None


class IndicatorValuesOut(Schema):
    source: SourceOut
    unit_code: str
    values: list[ValueOut]


class Index766Out(Schema):
    unit_code: str = Field(alias="unit.code")
    period: str
    total: Decimal
    publicity: Decimal
    progress: Decimal
    online: Decimal
    digitisation: Decimal
    satisfaction: Decimal
    payment: Decimal
    computed_at: dt.datetime


class Paged(LimitOffsetPagination):
    """``limit`` (1–500, default 50) and ``offset`` (≤ 10,000,000: beyond, the database would
    overflow) → ``{"items": [...], "count": n}``."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500, description="số dòng mỗi trang (tối đa 500)")
        offset: int = Field(0, ge=0, le=10_000_000, description="bỏ qua bao nhiêu dòng đầu")
