"""Feedback (phản ánh, kiến nghị — PAKN) on procedures and dossiers, with its deadlines in
working days from the unit's policy: refuse within 2, ask for more information within 5 (once),
handle within 15 (the wait for the information moves it), publish within 2 of the answer.
An action after its deadline is allowed but marks the feedback late."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from cchc.core.actors import CITIZEN, Actor
from cchc.core.audit import audit_record
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.text import nfc
from cchc.core.working_calendar import policy_for_unit
from cchc.orgs.access import Access
from cchc.orgs.models import user_of

from ..choices import RatingValue
from ..codes import feedback_code
from ..deadlines import after_pause
from ..messages import feedback_message
from ..messages import moment as show
from ..models import Feedback, FeedbackEvent
from ..models import FeedbackEventKind as K
from ..models import FeedbackState as S
from ..notify import notify_on_commit
from ..personal import check_contact
from ._common import jsonable, moment, required_text

REFUSE_WITHIN, INFO_WITHIN, HANDLE_WITHIN, PUBLISH_WITHIN = 2, 5, 15, 2

_ACTIONS = {
    K.INFO_REQUESTED: ("đề nghị bổ sung thông tin cho", {S.RECEIVED}),
    K.INFO_RECEIVED: ("nhận thông tin bổ sung cho", {S.INFO_REQUESTED}),
    K.REFUSED: ("từ chối", {S.RECEIVED, S.INFO_REQUESTED}),
    K.ANSWERED: ("ghi kết quả xử lý", {S.RECEIVED}),
    K.PUBLISHED: ("công khai kết quả xử lý", {S.ANSWERED}),
    K.RATED: ("ghi đánh giá của người gửi cho", {S.PUBLISHED, S.REFUSED}),
}
_REASONS = {
    S.RECEIVED: "đang xử lý, chưa có kết quả",
    S.INFO_REQUESTED: "đang chờ người gửi bổ sung thông tin",
    S.REFUSED: "đã từ chối xử lý",
    S.ANSWERED: "đã có kết quả xử lý, chưa công khai",
    S.PUBLISHED: "đã công khai kết quả xử lý",
}


@dataclass(frozen=True)
class Sender:
    """Who sends the feedback (personal data: see models.FEEDBACK_PERSONAL_FIELDS)."""

    name: str
    phone: str = ""
    email: str = ""
    address: str = ""


def _working_days(unit, start: dt.datetime, days: int) -> dt.datetime:
    return policy_for_unit(unit).due_date(start, days, "working_day").due


def _require(actor: Actor, feedback: Feedback, what: str, applicant_ok: bool = False) -> None:
    if actor is CITIZEN and applicant_ok:
        return
    if not Access.for_user(actor).can_report_for(feedback.unit):
        raise PermissionDenied(
            f"Bạn không có quyền {what} phản ánh, kiến nghị gửi {feedback.unit.body_name}."
        )


def _begin(
    feedback: Feedback, *, actor: Actor, kind: str, at: dt.datetime | None, applicant_ok: bool = False
) -> tuple[Feedback, dt.datetime]:
    fb = Feedback.objects.select_for_update().select_related("unit").get(pk=feedback.pk)
    label, states = _ACTIONS[kind]
    _require(actor, fb, label, applicant_ok)
    at = moment(at)
    last = fb.events.order_by("-sequence").values_list("at", flat=True).first()
    if last is not None and at < last:
        raise ServiceError(
            {"at": f"Thời điểm {show(at)} trước sự việc gần nhất ({show(last)})."},
            code="moment_before_last_event",
        )
    if fb.state not in states:
        raise ServiceError(
            f"Không thể {label} phản ánh, kiến nghị {fb.code}: {_REASONS[fb.state]}.",
            code="feedback_wrong_state",
        )
    return fb, at


def _event(fb: Feedback, *, actor: Actor, kind: str, at: dt.datetime, data: dict, changed: list[str]) -> None:
    fb.save(update_fields=changed)
    sequence = fb.events.count() + 1
    data = jsonable(data)
    FeedbackEvent.objects.create(
        feedback=fb,
        sequence=sequence,
        kind=kind,
        at=at,
        actor=user_of(actor),
        data=data,
    )
    audit_record(
        actor=actor, action=f"feedback.{kind}", obj=fb, unit=fb.unit, after={"state": fb.state, **data}
    )


def _done(original: Feedback, fresh: Feedback) -> Feedback:
    if original is not fresh:
        for f in Feedback._meta.concrete_fields:
            setattr(original, f.attname, getattr(fresh, f.attname))
    return fresh


@transaction.atomic
def feedback_receive(
    *,
    actor: Actor,
    content: str,
    sender: Sender,
    unit=None,
    procedure=None,
    dossier=None,
    received_at: dt.datetime | None = None,
) -> Feedback:
    """Receive a feedback about a procedure or a dossier (from the public site: `CITIZEN`).
    The unit defaults to the dossier's handling unit, else the procedure's agency."""
    procedure = procedure or (dossier.procedure if dossier is not None else None)
    unit = (
        unit or (dossier.handling_unit if dossier is not None else None) or getattr(procedure, "agency", None)
    )
    if unit is None:
        raise ServiceError(
            {"unit": "Chọn cơ quan, thủ tục hoặc hồ sơ mà phản ánh, kiến nghị đề cập."},
            code="feedback_unit_required",
        )
    if actor is not CITIZEN and not Access.for_user(actor).can_report_for(unit):
        raise PermissionDenied(f"Bạn không có quyền tiếp nhận phản ánh, kiến nghị cho {unit.body_name}.")
    at = moment(received_at, "received_at")
    errors: dict[str, str] = {}
    name = nfc(sender.name)
    if not name:
        errors["sender_name"] = "Nhập họ tên người gửi phản ánh, kiến nghị."
    phone, email, contact_errors = check_contact(
        phone=sender.phone, email=sender.email, prefix="sender_", require_phone=False
    )
    errors |= contact_errors
    if not phone and not email and "sender_phone" not in errors:
        errors["sender_phone"] = "Nhập số điện thoại hoặc thư điện tử để nhận kết quả xử lý."
    try:
        content = required_text(content, "content", "Nhập nội dung phản ánh, kiến nghị.")
    except ServiceError as exc:
        errors |= {k: v[0] for k, v in exc.message_dict.items()}
    if errors:
        raise ServiceError(errors, code="feedback_invalid")
    fb = Feedback.objects.create(
        code=feedback_code(unit, at),
        unit=unit,
        procedure=procedure,
        dossier=dossier,
        content=content,
        sender_name=name,
        sender_phone=phone,
        sender_email=email,
        sender_address=nfc(sender.address)[:500],
        received_at=at,
        state=S.RECEIVED,
        refuse_due_at=_working_days(unit, at, REFUSE_WITHIN),
        info_due_at=_working_days(unit, at, INFO_WITHIN),
        handle_due_at=_working_days(unit, at, HANDLE_WITHIN),
        created_by=user_of(actor),
    )
    _event(
        fb, actor=actor, kind=K.RECEIVED, at=at, data={"handle_due_at": fb.handle_due_at}, changed=["state"]
    )
    notify_on_commit(
        feedback_message(
            fb,
            "Đã tiếp nhận phản ánh, kiến nghị",
            f"Phản ánh, kiến nghị {fb.code} đã được tiếp nhận; hạn xử lý {show(fb.handle_due_at)}.",
        )
    )
    return fb


@transaction.atomic
def feedback_request_info(
    *, actor: Actor, feedback: Feedback, request: str, at: dt.datetime | None = None
) -> Feedback:
    """Ask the sender for more information (once; within 5 working days). The handling clock
    waits until it arrives."""
    fb, at = _begin(feedback, actor=actor, kind=K.INFO_REQUESTED, at=at)
    if fb.info_requested_at is not None:
        raise ServiceError(
            f"Phản ánh, kiến nghị {fb.code} đã được đề nghị bổ sung thông tin một lần.",
            code="feedback_info_already_requested",
        )
    fb.info_request = required_text(request, "request", "Ghi nội dung cần người gửi bổ sung.")
    fb.info_requested_at, fb.state = at, S.INFO_REQUESTED
    fb.late = fb.late or at > fb.info_due_at
    _event(
        fb,
        actor=actor,
        kind=K.INFO_REQUESTED,
        at=at,
        data={"on_time": at <= fb.info_due_at},
        changed=["info_request", "info_requested_at", "state", "late"],
    )
    notify_on_commit(feedback_message(fb, "Đề nghị bổ sung thông tin", fb.info_request))
    return _done(feedback, fb)


@transaction.atomic
def feedback_info_received(
    *, actor: Actor, feedback: Feedback, content: str, at: dt.datetime | None = None
) -> Feedback:
    """The sender's information arrived: the handling deadline moves by the working time waited."""
    fb, at = _begin(feedback, actor=actor, kind=K.INFO_RECEIVED, at=at, applicant_ok=True)
    content = required_text(content, "content", "Nhập thông tin bổ sung.")
    policy = policy_for_unit(fb.unit)
    start = policy.effective_start(fb.received_at)
    fb.handle_due_at = after_pause(
        policy, start=start, due=fb.handle_due_at, pause=(fb.info_requested_at, at)
    )[0]
    fb.info_received_at, fb.state = at, S.RECEIVED
    _event(
        fb,
        actor=actor,
        kind=K.INFO_RECEIVED,
        at=at,
        data={"content": content, "handle_due_at": fb.handle_due_at},
        changed=["handle_due_at", "info_received_at", "state"],
    )
    return _done(feedback, fb)


@transaction.atomic
def feedback_refuse(
    *, actor: Actor, feedback: Feedback, reason: str, at: dt.datetime | None = None
) -> Feedback:
    """Refuse to handle it (not within the unit's remit, …), within 2 working days of receipt."""
    fb, at = _begin(feedback, actor=actor, kind=K.REFUSED, at=at)
    fb.refusal_reason = required_text(reason, "reason", "Ghi lý do từ chối xử lý.")
    fb.refused_at, fb.state = at, S.REFUSED
    fb.late = fb.late or at > fb.refuse_due_at
    _event(
        fb,
        actor=actor,
        kind=K.REFUSED,
        at=at,
        data={"on_time": at <= fb.refuse_due_at},
        changed=["refusal_reason", "refused_at", "state", "late"],
    )
    notify_on_commit(feedback_message(fb, "Từ chối xử lý phản ánh, kiến nghị", fb.refusal_reason))
    return _done(feedback, fb)


@transaction.atomic
def feedback_answer(
    *, actor: Actor, feedback: Feedback, answer: str, at: dt.datetime | None = None
) -> Feedback:
    """Record the result of handling, within 15 working days; it must then be published."""
    fb, at = _begin(feedback, actor=actor, kind=K.ANSWERED, at=at)
    fb.answer = required_text(answer, "answer", "Ghi kết quả xử lý.")
    fb.answered_at, fb.state = at, S.ANSWERED
    fb.publish_due_at = _working_days(fb.unit, at, PUBLISH_WITHIN)
    fb.late = fb.late or at > fb.handle_due_at
    _event(
        fb,
        actor=actor,
        kind=K.ANSWERED,
        at=at,
        data={"on_time": at <= fb.handle_due_at, "publish_due_at": fb.publish_due_at},
        changed=["answer", "answered_at", "state", "publish_due_at", "late"],
    )
    notify_on_commit(feedback_message(fb, "Kết quả xử lý phản ánh, kiến nghị", fb.answer))
    return _done(feedback, fb)


@transaction.atomic
def feedback_publish(*, actor: Actor, feedback: Feedback, at: dt.datetime | None = None) -> Feedback:
    """Publish the answer, within 2 working days of answering."""
    fb, at = _begin(feedback, actor=actor, kind=K.PUBLISHED, at=at)
    fb.published_at, fb.state = at, S.PUBLISHED
    fb.late = fb.late or at > fb.publish_due_at
    _event(
        fb,
        actor=actor,
        kind=K.PUBLISHED,
        at=at,
        data={"on_time": at <= fb.publish_due_at},
        changed=["published_at", "state", "late"],
    )
    return _done(feedback, fb)


@transaction.atomic
def feedback_rate(
    *, actor: Actor, feedback: Feedback, rating: str, at: dt.datetime | None = None
) -> Feedback:
    """The sender's opinion of how the feedback was handled, once, after the answer is published
    or the feedback refused. ``CITIZEN`` is the sender on the public page (who proved the
    phone's last digits); an officer of the unit may record what the sender said by phone.
    The 766 index counts unsatisfied senders against the unit (docs/index-766.md)."""
    fb, at = _begin(feedback, actor=actor, kind=K.RATED, at=at, applicant_ok=True)
    if fb.sender_rating:
        raise ServiceError(
            f"Phản ánh, kiến nghị {fb.code} đã được đánh giá ({fb.get_sender_rating_display()}); "
            "mỗi phản ánh chỉ đánh giá một lần.",
            code="feedback_already_rated",
        )
    if rating not in RatingValue.values:
        raise ServiceError({"rating": "Chọn một mức độ hài lòng."}, code="rating_invalid")
    fb.sender_rating = rating
    _event(fb, actor=actor, kind=K.RATED, at=at, data={"rating": rating}, changed=["sender_rating"])
    return _done(feedback, fb)
