"""The dossier state machine and the replay of a dossier's history — pure functions, no database.

A dossier is its events. `apply(state, event)` is the only place where an event changes the
dossier's state; the services call it to compute the fields they store (a cache of the events,
written in the same transaction as the event), and `dossier_replay(events)` folds a whole
history with it. So the stored fields can always be recomputed from the events, and a
transition the table below does not allow can neither be stored nor replayed.

Event data is JSON (datetimes as ISO 8601 strings with an offset, decimals as strings): the
services compute everything that needs the calendar (due dates, paused working time) and put
the result in the event, so that replaying never depends on today's calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any, Protocol

from .choices import EventKind, Result, State

E = EventKind

OPEN = frozenset({State.RECEIVED, State.IN_PROGRESS})
ACTIVE = OPEN | {State.WAITING_SUPPLEMENT}
HAS_RESULT = frozenset({State.RESULT_READY, State.RETURNED})
ACCEPTED = ACTIVE | HAS_RESULT | {State.STOPPED, State.WITHDRAWN}
EVERY_STATE = frozenset(State)
NEW = None  # before the first event

# kind -> (states it may happen in, the state it leads to: a State, a {from: to} map, or None = unchanged)
TRANSITIONS: dict[str, tuple[frozenset[str | None], str | dict[str | None, str] | None]] = {
    E.RECEIPT_INCOMPLETE: (frozenset({NEW}), State.INCOMPLETE_AT_RECEIPT),
    E.REFUSED_AT_RECEIPT: (frozenset({NEW}), State.REFUSED_AT_RECEIPT),
    E.RECEIVED: (frozenset({NEW, State.INCOMPLETE_AT_RECEIPT}), State.RECEIVED),
    E.STEP_STARTED: (OPEN | {State.RESULT_READY}, None),
    E.HANDED_OVER: (OPEN | {State.RESULT_READY}, {State.RECEIVED: State.IN_PROGRESS}),
    E.SUPPLEMENT_REQUESTED: (OPEN, State.WAITING_SUPPLEMENT),
    E.SUPPLEMENT_RECEIVED: (frozenset({State.WAITING_SUPPLEMENT}), State.IN_PROGRESS),
    E.APOLOGY_SENT: (OPEN, None),
    E.RESULT_GRANTED: (OPEN, State.RESULT_READY),
    E.RESULT_REFUSED: (OPEN, State.RESULT_READY),
    E.RESULT_FILE_ATTACHED: (HAS_RESULT, None),
    E.RETURNED: (frozenset({State.RESULT_READY}), State.RETURNED),
    E.STOP_REQUESTED: (ACTIVE, None),
    E.STOPPED: (ACTIVE, State.STOPPED),
    E.WITHDRAWN: (ACTIVE | {State.INCOMPLETE_AT_RECEIPT}, State.WITHDRAWN),
    E.PAYMENT_STARTED: (ACTIVE | {State.RESULT_READY}, None),
    # A gateway's answer records money that moved: it is accepted whatever became of the dossier.
    E.PAYMENT_MADE: (ACCEPTED, None),
    E.PAYMENT_FAILED: (ACCEPTED, None),
    E.RATED: (HAS_RESULT, None),
    E.DIGITISED: (ACTIVE | HAS_RESULT, None),
    E.DATA_STORE_LINKED: (ACTIVE | HAS_RESULT, None),
    # Every dossier, closed or refused too, must reach the national portal.
    E.SYNCED: (EVERY_STATE, None),
}

ACTION_LABELS: dict[str, str] = {
    E.RECEIPT_INCOMPLETE: "yêu cầu bổ sung, hoàn thiện trước khi tiếp nhận",
    E.REFUSED_AT_RECEIPT: "từ chối tiếp nhận",
    E.RECEIVED: "tiếp nhận",
    E.STEP_STARTED: "chuyển bước xử lý",
    E.HANDED_OVER: "bàn giao",
    E.SUPPLEMENT_REQUESTED: "yêu cầu bổ sung",
    E.SUPPLEMENT_RECEIVED: "nhận bổ sung",
    E.APOLOGY_SENT: "gửi thư xin lỗi, hẹn lại ngày trả",
    E.RESULT_GRANTED: "ghi kết quả",
    E.RESULT_REFUSED: "ghi kết quả",
    E.RESULT_FILE_ATTACHED: "đính kèm kết quả điện tử",
    E.RETURNED: "trả kết quả",
    E.STOP_REQUESTED: "dừng giải quyết",
    E.STOPPED: "dừng giải quyết",
    E.WITHDRAWN: "rút",
    E.PAYMENT_STARTED: "thanh toán phí, lệ phí cho",
    E.PAYMENT_MADE: "ghi nhận thanh toán cho",
    E.PAYMENT_FAILED: "ghi nhận thanh toán cho",
    E.RATED: "đánh giá",
    E.DIGITISED: "ghi nhận số hóa",
    E.DATA_STORE_LINKED: "ghi nhận liên kết kho dữ liệu cá nhân cho",
    E.SYNCED: "ghi nhận đồng bộ",
}

STATE_REASONS: dict[str | None, str] = {
    NEW: "hồ sơ chưa được tạo",
    State.INCOMPLETE_AT_RECEIPT: "hồ sơ chưa được tiếp nhận (đang chờ người nộp bổ sung, hoàn thiện)",
    State.REFUSED_AT_RECEIPT: "hồ sơ đã bị từ chối tiếp nhận",
    State.RECEIVED: "hồ sơ đang giải quyết, chưa có kết quả",
    State.IN_PROGRESS: "hồ sơ đang giải quyết, chưa có kết quả",
    State.WAITING_SUPPLEMENT: "hồ sơ đang tạm dừng chờ người nộp bổ sung",
    State.RESULT_READY: "hồ sơ đã có kết quả",
    State.RETURNED: "hồ sơ đã trả kết quả",
    State.STOPPED: "hồ sơ đã dừng giải quyết theo đề nghị của người nộp",
    State.WITHDRAWN: "hồ sơ đã được rút",
}

RESULT_OF: dict[str, str] = {
    E.RESULT_GRANTED: Result.GRANTED,
    E.RESULT_REFUSED: Result.REFUSED,
    E.STOPPED: Result.STOPPED,
    E.WITHDRAWN: Result.WITHDRAWN,
}
# Facts given at receipt (and possibly updated when an incomplete dossier is accepted).
FACT_FLAGS = ("data_reused", "vneid_authenticated", "linked_to_personal_data_store", "digitised")


class ReplayError(ValueError):
    """The events cannot explain a dossier: a transition the state machine does not allow,
    events out of order, or a gap in the sequence."""


def allowed(kind: str, state: str | None) -> bool:
    return state in TRANSITIONS[kind][0]


def refusal(kind: str, state: str | None, code: str = "") -> str:
    """Why `kind` cannot happen in `state`, in Vietnamese, e.g. "Không thể trả kết quả hồ sơ
    X: hồ sơ đang giải quyết, chưa có kết quả."."""
    target = f"hồ sơ {code}" if code else "hồ sơ"
    return f"Không thể {ACTION_LABELS[kind]} {target}: {STATE_REASONS[state]}."


@dataclass(frozen=True)
class DossierState:
    """Everything about a dossier that its events determine. Field names are the attribute
    names of the `Dossier` model, which stores them as a cache."""

    state: str | None = None
    submitted_at: dt.datetime | None = None
    received_at: dt.datetime | None = None
    due_at: dt.datetime | None = None  # appointment on the receipt (form 01): never moves
    current_due_at: dt.datetime | None = None  # due date in force: moved by pauses, replaced by an apology
    new_due_at: dt.datetime | None = None  # the apology's new appointment
    apologised: bool = False
    duration: Decimal | None = None
    duration_unit: str = ""
    fee_amount: int = 0
    fee_due: bool = False
    steps: list[dict[str, Any]] = field(default_factory=list)
    current_step: int | None = None
    current_unit_id: int | None = None
    step_started_at: dt.datetime | None = None
    step_due_at: dt.datetime | None = None
    paused_since: dt.datetime | None = None
    supplement_count: int = 0
    paused_hours: Decimal = Decimal(0)  # working time added to the due date by supplement pauses
    paused_elapsed_hours: Decimal = Decimal(0)  # clock time of those pauses (exchange `tam_dung_gio`)
    # due_at + paused_elapsed_hours: the dossier is on time (docs/specs/dossier-exchange.md, `dung_han`)
    # when it ends — or the period it is judged in ends — no later than this, with ≤ 1 supplement.
    on_time_until: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    result: str = ""
    returned_at: dt.datetime | None = None
    return_method: str = ""
    paid_online: bool = False
    electronic_result: bool = False
    digitised: bool = False
    data_reused: bool = False
    vneid_authenticated: bool = False
    linked_to_personal_data_store: bool = False
    synced_to_national_portal: bool = False
    synced_at: dt.datetime | None = None
    rating: str = ""
    event_count: int = 0
    last_event_at: dt.datetime | None = None


STATE_FIELDS = tuple(f.name for f in fields(DossierState))


@dataclass(frozen=True)
class Event:
    """An event as `apply` needs it (a `DossierEvent` row fits too)."""

    kind: str
    at: dt.datetime
    data: Mapping[str, Any] = field(default_factory=dict)
    sequence: int | None = None


class EventLike(Protocol):
    """What `apply` reads of an event: an `Event`, or a `DossierEvent` row."""

    @property
    def kind(self) -> str: ...

    @property
    def at(self) -> dt.datetime: ...

    @property
    def data(self) -> Mapping[str, Any]: ...


def _dt(value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def _moment(value: dt.datetime | str) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def _dec(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def _facts(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {k: bool(data[k]) for k in FACT_FLAGS if k in data}
    if "fee_amount" in data:
        out["fee_amount"] = int(data["fee_amount"])
        out["fee_due"] = out["fee_amount"] > 0
    if "fee_due" in data:  # imported dossiers know that a fee was due, not always its amount
        out["fee_due"] = bool(data["fee_due"])
    return out


def _close_pause(s: DossierState, data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "paused_since": None,
        "paused_hours": s.paused_hours + _dec(data.get("paused_hours")),
        "paused_elapsed_hours": s.paused_elapsed_hours + _dec(data.get("paused_elapsed_hours")),
    }


def apply(current: DossierState | None, event: EventLike) -> DossierState:
    """The state after `event`; ReplayError when the state machine does not allow it."""
    s = current or DossierState()
    kind, at, data = event.kind, _moment(event.at), event.data or {}
    if kind not in TRANSITIONS:
        raise ReplayError(f"loại sự kiện không xác định: {kind!r}")
    states, to = TRANSITIONS[kind]
    if s.state not in states:
        raise ReplayError(refusal(kind, s.state))
    if s.last_event_at is not None and at < s.last_event_at:
        raise ReplayError(f"sự kiện {kind} lúc {at:%d/%m/%Y %H:%M} trước sự kiện liền trước")
    new_state = to.get(s.state, s.state) if isinstance(to, dict) else (to or s.state)
    change: dict[str, Any] = {"state": new_state, "event_count": s.event_count + 1, "last_event_at": at}

    if kind in (E.RECEIPT_INCOMPLETE, E.REFUSED_AT_RECEIPT):
        change |= {"submitted_at": at} | _facts(data)
    elif kind == E.RECEIVED:
        due = _dt(data["due_at"])
        change |= {
            "submitted_at": s.submitted_at or at,
            "received_at": at,
            "due_at": due,
            "current_due_at": due,
            "duration": _dec(data["duration"]),
            "duration_unit": data["duration_unit"],
            "steps": list(data.get("steps", [])),
        } | _facts(data)
    elif kind == E.STEP_STARTED:
        change |= {
            "current_step": int(data["step"]),
            "current_unit_id": data.get("unit"),
            "step_started_at": at,
            "step_due_at": _dt(data["due_at"]),
        }
    elif kind == E.SUPPLEMENT_REQUESTED:
        change |= {"paused_since": at, "supplement_count": s.supplement_count + 1}
    elif kind == E.SUPPLEMENT_RECEIVED:
        change |= _close_pause(s, data) | {"current_due_at": _dt(data["due_at"])}
        if s.step_due_at is not None:
            change["step_due_at"] = _dt(data["step_due_at"])
    elif kind == E.APOLOGY_SENT:
        new_due = _dt(data["new_due_at"])
        change |= {"apologised": True, "new_due_at": new_due, "current_due_at": new_due}
    elif kind in RESULT_OF:
        change |= {"result": RESULT_OF[kind], "finished_at": at}
        if s.state == State.WAITING_SUPPLEMENT:
            change |= _close_pause(s, data)
    elif kind == E.RESULT_FILE_ATTACHED:
        change["electronic_result"] = True
    elif kind == E.RETURNED:
        change |= {"returned_at": at, "return_method": data["method"]}
    elif kind == E.PAYMENT_MADE:
        change["paid_online"] = s.paid_online or bool(data.get("online"))
    elif kind == E.RATED:
        change["rating"] = data["rating"]
    elif kind == E.DIGITISED:
        change["digitised"] = True
    elif kind == E.DATA_STORE_LINKED:
        change["linked_to_personal_data_store"] = True
    elif kind == E.SYNCED:
        change |= {"synced_to_national_portal": True, "synced_at": at}
    due = change.get("due_at", s.due_at)
    if due is not None:
        paused = change.get("paused_elapsed_hours", s.paused_elapsed_hours)
        change["on_time_until"] = due + dt.timedelta(microseconds=int(Decimal(paused) * 3_600_000_000))
    return replace(s, **change)


def dossier_replay(events: Iterable[EventLike]) -> DossierState:
    """Fold a dossier's events, in sequence order, into its state."""
    state: DossierState | None = None
    for index, event in enumerate(events, start=1):
        sequence = getattr(event, "sequence", None)
        if sequence is not None and sequence != index:
            raise ReplayError(f"thiếu hoặc lặp sự kiện: số thứ tự {sequence} ở vị trí {index}")
        state = apply(state, event)
    if state is None:
        raise ReplayError("hồ sơ không có sự kiện nào")
    return state
