"""Staff pages for feedback (phản ánh, kiến nghị — PAKN): the list and one feedback with the
actions its state allows and every deadline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cchc.core.errors import ServiceError
from cchc.core.forms import service_error_messages
from cchc.orgs.http import AuthedRequest

from . import selectors, services
from .choices import RatingValue
from .forms import FeedbackActionForm
from .models import FeedbackEventKind as K
from .models import FeedbackState
from .personal import HIDDEN, mask_email, mask_phone
from .services.feedback import _ACTIONS as ALLOWED_IN  # the service's own table of states
from .views import PAGE_SIZE


@dataclass(frozen=True)
class Action:
    kind: str  # the event kind: the service's table says in which states it is allowed
    label: str  # the button
    text_label: str | None  # the text field's label, if the action takes a text
    call: Callable  # (user, feedback, text) -> the service call
    choices: list | None = None  # instead of a text, a choice among these


FEEDBACK_ACTIONS = {
    "yeu-cau-bo-sung": Action(
        K.INFO_REQUESTED,
        "Đề nghị bổ sung thông tin",
        "Nội dung cần bổ sung",
        lambda user, fb, text: services.feedback_request_info(actor=user, feedback=fb, request=text),
    ),
    "nhan-bo-sung": Action(
        K.INFO_RECEIVED,
        "Đã nhận thông tin bổ sung",
        "Thông tin người gửi bổ sung",
        lambda user, fb, text: services.feedback_info_received(actor=user, feedback=fb, content=text),
    ),
    "tu-choi": Action(
        K.REFUSED,
        "Từ chối xử lý",
        "Lý do từ chối",
        lambda user, fb, text: services.feedback_refuse(actor=user, feedback=fb, reason=text),
    ),
    "tra-loi": Action(
        K.ANSWERED,
        "Ghi kết quả xử lý",
        "Kết quả xử lý",
        lambda user, fb, text: services.feedback_answer(actor=user, feedback=fb, answer=text),
    ),
    "cong-khai": Action(
        K.PUBLISHED,
        "Công khai kết quả",
        None,
        lambda user, fb, text: services.feedback_publish(actor=user, feedback=fb),
    ),
    # The sender rates on the public page; an officer records what a sender said by phone.
    "ghi-danh-gia": Action(
        K.RATED,
        "Ghi đánh giá của người gửi",
        None,
        lambda user, fb, text: services.feedback_rate(actor=user, feedback=fb, rating=text),
        choices=RatingValue.choices,
    ),
}


@require_GET
def feedback_list(request: AuthedRequest):
    state = request.GET.get("trang_thai", "")
    state = state if state in FeedbackState.values else ""
    page = Paginator(selectors.feedback_list(user=request.user, state=state), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return render(
        request,
        "dossiers/feedback_list.html",
        {
            "page": page,
            "state": state,
            "states": FeedbackState.choices,
            "query": f"trang_thai={state}" if state else "",
        },
    )


@require_GET
def feedback_detail(request: AuthedRequest, pk: int):
    fb = selectors.feedback_get(user=request.user, pk=pk)
    actions = []
    if fb.can_handle:
        for slug, a in FEEDBACK_ACTIONS.items():
            if fb.state in ALLOWED_IN[a.kind][1] and not (a.kind == K.RATED and fb.sender_rating):
                actions.append((slug, a.label, a.text_label, a.choices))
    sender = {
        "name": fb.sender_name,
        "phone": fb.sender_phone if fb.can_handle else mask_phone(fb.sender_phone),
        "email": fb.sender_email if fb.can_handle else mask_email(fb.sender_email),
        "address": fb.sender_address if fb.can_handle else (HIDDEN if fb.sender_address else ""),
    }
    return render(
        request,
        "dossiers/feedback_detail.html",
        {"fb": fb, "actions": actions, "sender": sender, "events": fb.events.order_by("sequence")},
    )


@require_POST
def feedback_action(request: AuthedRequest, pk: int, action: str):
    if action not in FEEDBACK_ACTIONS:
        raise Http404
    fb = selectors.feedback_get(user=request.user, pk=pk)
    label, call = FEEDBACK_ACTIONS[action].label, FEEDBACK_ACTIONS[action].call
    form = FeedbackActionForm(request.POST)
    form.is_valid()
    try:
        call(request.user, fb, form.cleaned_data.get("text", ""))
    except ServiceError as exc:
        for line in service_error_messages(exc):
            messages.error(request, line)
    else:
        messages.success(request, f"Đã ghi nhận: {label.lower()}.")
    return redirect("dossiers:feedback", pk=fb.pk)
