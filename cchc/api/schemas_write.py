"""What clients send: dossier events (in batches of up to 1,000) and progress reports."""

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator, StrictBool, StrictInt, field_validator

from cchc.core.localtime import TZ_LOCAL

EVENT_KINDS = ("receipt", "step", "pause", "resume", "apology", "result", "return")
MAX_EVENTS = 1000
MAX_UPDATES = 200


def iso_only(value: object) -> object:
    """Dates and times are ISO 8601 text; a bare number (which pydantic would read as seconds
    since 1970) is refused, so that a mistaken field never becomes a date in 1970."""
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().lstrip("+-").isdigit()):
        raise ValueError("cần ngày giờ dạng ISO 8601 (YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM:SS)")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(iso_only)]
IsoDateTime = Annotated[dt.datetime, BeforeValidator(iso_only)]


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """A time without offset is Vietnam's local time (the exchange format's convention)."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=TZ_LOCAL)
    return value


class ApplicantIn(Schema):
    kind: Literal["citizen", "organisation"] = "citizen"
    name: str = Field(..., max_length=255)
    id_number: str = Field("", max_length=32, description="CCCD 12 số, hoặc mã số thuế của tổ chức")
    phone: str = Field(..., max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=500)


class DossierEventIn(Schema):
    """One event of a dossier. ``kind`` says which fields it needs:

    - ``receipt`` (tiếp nhận): procedure_code, handling_unit_code, [receiving_unit_code], channel,
      applicant, [complete, missing, eligible, reason, data_reused, digitised];
    - ``step`` (chuyển bước xử lý): step (the position of the next step, B2…Bn), [to_unit_code, note];
    - ``pause`` (yêu cầu bổ sung, tạm dừng): missing;  ``resume`` (nhận bổ sung): [note];
    - ``apology`` (xin lỗi, hẹn lại): new_due_at, reason;
    - ``result`` (có kết quả): granted, [reason — required when refused];
    - ``return`` (trả kết quả): method (desk | post | online).
    """

    event_id: str = Field(
        ..., min_length=1, max_length=128, description="mã sự kiện của hệ thống gửi (duy nhất)"
    )
    kind: Literal["receipt", "step", "pause", "resume", "apology", "result", "return"]
    dossier_code: str = Field(..., min_length=1, max_length=64, description="mã hồ sơ của hệ thống gửi")
    at: IsoDateTime = Field(..., description="thời điểm sự kiện; không ghi múi giờ = giờ Việt Nam")
    procedure_code: str | None = Field(None, max_length=20)
    handling_unit_code: str | None = Field(None, max_length=32)
    receiving_unit_code: str | None = Field(None, max_length=32)
    channel: Literal["truc_tiep", "truc_tuyen", "buu_chinh"] | None = None
    applicant: ApplicantIn | None = None
    complete: StrictBool = True
    eligible: StrictBool = True
    missing: list[str] = Field(default_factory=list, max_length=100)
    reason: str = Field("", max_length=4000)
    data_reused: StrictBool = False
    digitised: StrictBool = False
    step: StrictInt | None = Field(None, ge=1, le=100)
    to_unit_code: str | None = Field(None, max_length=32)
    note: str = Field("", max_length=4000)
    new_due_at: IsoDateTime | None = None
    granted: StrictBool | None = None
    method: Literal["desk", "post", "online"] | None = None

    @field_validator("at", "new_due_at")
    @classmethod
    def _vietnam_time(cls, value: dt.datetime | None) -> dt.datetime | None:
        return _local(value)


class DossierEventsIn(Schema):
    events: list[DossierEventIn] = Field(..., min_length=1, max_length=MAX_EVENTS)


class EventError(Schema):
    code: str
    message: str
    errors: dict[str, object] | None = None


class EventResult(Schema):
    event_id: str
    status: Literal["applied", "duplicate", "rejected"]
    dossier_code: str | None = None
    cchc_code: str | None = Field(None, description="mã hồ sơ trong CCHC")
    state: str | None = None
    error: EventError | None = None


class DossierEventsOut(Schema):
    applied: int
    duplicates: int
    rejected: int
    results: list[EventResult]


class ProgressIn(Schema):
    assignment_id: StrictInt = Field(..., ge=1, le=2**31 - 1)
    percent: StrictInt = Field(..., ge=0, le=100)
    narrative: str = Field(..., max_length=10000)
    reported_on: IsoDate | None = None


class ProgressBatchIn(Schema):
    updates: list[ProgressIn] = Field(..., min_length=1, max_length=MAX_UPDATES)


class ProgressResult(Schema):
    assignment_id: int
    status: Literal["applied", "rejected"]
    update_id: int | None = None
    percent: int | None = None
    error: EventError | None = None


class ProgressBatchOut(Schema):
    applied: int
    rejected: int
    results: list[ProgressResult]
