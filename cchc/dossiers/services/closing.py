"""The end of processing: the result (granted or refused, with an optional electronic result
file), its return, and the applicant's requests to stop (form 05) or to withdraw."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cchc.core.actors import Actor
from cchc.core.errors import ServiceError
from cchc.core.text import nfc
from cchc.core.uploads import check_upload

from ..choices import EventKind as E
from ..choices import ReturnMethod
from ..models import Dossier
from ..permissions import require
from ..steps import at_last_step, last_position, step_at
from ._common import check, copy_back, lock, moment, record, required_text, when
from .pauses import pause_closure
from .routing import require_reader, require_step_performer


def _checked_file(upload):
    try:
        return check_upload(upload)
    except ServiceError as exc:
        raise ServiceError(
            {"result_file": exc.message_dict.get("files", exc.messages)[0]}, code="result_file_refused"
        ) from None


def _attach(d: Dossier, checked, *, actor: Actor, at: dt.datetime) -> None:
    """Store the file under a random name, then record it; the file goes if anything fails."""
    d.result_file.save(checked.name, checked.upload, save=False)
    try:
        d.result_file_name, d.result_file_type = checked.name, checked.content_type
        d.result_file_size, d.result_file_sha256 = checked.size, checked.sha256
        d.save(
            update_fields=[
                "result_file",
                "result_file_name",
                "result_file_type",
                "result_file_size",
                "result_file_sha256",
            ]
        )
        record(
            d,
            actor=actor,
            kind=E.RESULT_FILE_ATTACHED,
            at=at,
            data={"name": checked.name, "size": checked.size, "sha256": checked.sha256},
        )
    except Exception:
        d.result_file.delete(save=False)
        raise


@transaction.atomic
def dossier_decide(
    *,
    actor: Actor,
    dossier: Dossier,
    granted: bool,
    reason: str = "",
    result_file=None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Record the result: granted, or refused with its reason; optionally the electronic result
    file (checked by type and content, stored under a random name). With an internal process,
    only at its last step and by that step's performer — after the signer's approval, since
    only the signer moves the dossier past a leader's step (`cchc.dossiers.steps`); without
    one, by the handling unit."""
    d = lock(dossier)
    if d.steps:
        require_reader(actor, d, "ghi kết quả giải quyết")
    else:
        require(actor, d, what="ghi kết quả giải quyết", handling_only=True)
    at = when(d, at)
    kind = E.RESULT_GRANTED if granted else E.RESULT_REFUSED
    check(d, kind)
    if d.steps:
        require_step_performer(actor, d, "ghi kết quả giải quyết")
    reason = nfc(reason)
    if not granted and not reason:
        raise ServiceError({"reason": "Ghi lý do từ chối giải quyết."}, code="refusal_reason_required")
    checked = _checked_file(result_file) if result_file is not None else None
    if d.steps:
        _check_last_step(d)
    record(d, actor=actor, kind=kind, at=at, data={"reason": reason} if reason else {})
    if checked is not None:
        _attach(d, checked, actor=actor, at=at)
    return copy_back(dossier, d)


def _check_last_step(d: Dossier) -> None:
    if at_last_step(d):
        return
    last = step_at(d, last_position(d))
    assert last is not None
    raise ServiceError(
        f"Chưa thể ghi kết quả hồ sơ {d.code}: kết quả chỉ ghi ở bước cuối B{last['position']} "
        f"({last['name']}), sau khi lãnh đạo phê duyệt; hồ sơ đang ở B{d.current_step}.",
        code="result_before_last_step",
    )


@transaction.atomic
def dossier_attach_result_file(
    *, actor: Actor, dossier: Dossier, result_file, at: dt.datetime | None = None
) -> Dossier:
    """Attach the electronic result to a dossier that already has its result."""
    d = lock(dossier)
    require(actor, d, what="đính kèm kết quả điện tử cho")
    at = when(d, at)
    check(d, E.RESULT_FILE_ATTACHED)
    if d.electronic_result:
        raise ServiceError(
            {"result_file": f"Hồ sơ {d.code} đã có tệp kết quả điện tử ({d.result_file_name})."},
            code="result_file_exists",
        )
    _attach(d, _checked_file(result_file), actor=actor, at=at)
    return copy_back(dossier, d)


@transaction.atomic
def dossier_return(*, actor: Actor, dossier: Dossier, method: str, at: dt.datetime | None = None) -> Dossier:
    """Hand the result back: at the desk, by post, or online (needs the electronic result)."""
    d = lock(dossier)
    require(actor, d, what="trả kết quả")
    at = when(d, at)
    check(d, E.RETURNED)
    if method not in ReturnMethod.values:
        raise ServiceError(
            {"method": "Chọn hình thức trả kết quả: tại bộ phận một cửa, bưu chính hoặc trực tuyến."},
            code="return_method_invalid",
        )
    if method == ReturnMethod.ONLINE and not d.electronic_result:
        raise ServiceError(
            {"method": "Chưa có tệp kết quả điện tử: không thể trả kết quả trực tuyến."},
            code="online_return_without_file",
        )
    record(d, actor=actor, kind=E.RETURNED, at=at, data={"method": method})
    return copy_back(dossier, d)


@transaction.atomic
def dossier_stop(
    *,
    actor: Actor,
    dossier: Dossier,
    reason: str,
    requested_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The applicant asked to stop (at `requested_at`); the one-stop unit issues the stop notice
    (form 05). An open pause ends with it."""
    d = lock(dossier)
    require(actor, d, what="dừng giải quyết")
    at = when(d, at)
    check(d, E.STOPPED)
    reason = required_text(reason, "reason", "Ghi nội dung đề nghị dừng giải quyết của người nộp.")
    asked = moment(requested_at, "requested_at") if requested_at is not None else at
    if asked > at:
        raise ServiceError(
            {"requested_at": "Ngày đề nghị dừng không được sau ngày ra thông báo dừng."},
            code="stop_request_after_notice",
        )
    record(d, actor=actor, kind=E.STOP_REQUESTED, at=asked, data={"reason": reason})
    closure = pause_closure(d, at)
    record(d, actor=actor, kind=E.STOPPED, at=at, data={"reason": reason} | _counted(closure))
    return copy_back(dossier, d)


@transaction.atomic
def dossier_withdraw(
    *, actor: Actor, dossier: Dossier, reason: str = "", at: dt.datetime | None = None
) -> Dossier:
    """The applicant withdraws the dossier (at the desk, or online: `CITIZEN`)."""
    d = lock(dossier)
    require(actor, d, what="rút", applicant_ok=True)
    at = when(d, at)
    check(d, E.WITHDRAWN)
    data = {"reason": nfc(reason)} if nfc(reason) else {}
    record(d, actor=actor, kind=E.WITHDRAWN, at=at, data=data | _counted(pause_closure(d, at)))
    return copy_back(dossier, d)


def _counted(closure: dict) -> dict:
    """Of an open pause ending with the dossier, only the time it counts (no due date moves)."""
    keys = ("pause_started_at", "paused_hours", "paused_elapsed_hours")
    return {k: closure[k] for k in keys if k in closure}
