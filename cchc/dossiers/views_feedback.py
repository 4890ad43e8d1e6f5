"""Staff pages for feedback (phản ánh, kiến nghị — PAKN): the list and one feedback with the
actions its state allows and every deadline."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cchc.core.errors import ServiceError

from . import selectors, services
from .choices import RatingValue
from .forms import FeedbackActionForm
from .models import FeedbackEventKind as K
from .models import FeedbackState
from .personal import HIDDEN, mask_email, mask_phone
from .services.feedback import _ACTIONS as ALLOWED_IN  # the service's own table of states
from .views import PAGE_SIZE, service_messages

RATING_CHOICES = RatingValue.choices
# slug -> (event kind, button label, text field label / choices for a select / None, service call)
FEEDBACK_ACTIONS = {
    "yeu-cau-bo-sung": (
        K.INFO_REQUESTED,
        "Đề nghị bổ sung thông tin",
        "Nội dung cần bổ sung",
        lambda user, fb, text: services.feedback_request_info(actor=user, feedback=fb, request=text),
    ),
    "nhan-bo-sung": (
        K.INFO_RECEIVED,
        "Đã nhận thông tin bổ sung",
        "Thông tin người gửi bổ sung",
        lambda user, fb, text: services.feedback_info_received(actor=user, feedback=fb, content=text),
    ),
    "tu-choi": (
        K.REFUSED,
        "Từ chối xử lý",
        "Lý do từ chối",
        lambda user, fb, text: services.feedback_refuse(actor=user, feedback=fb, reason=text),
    ),
    "tra-loi": (
        K.ANSWERED,
        "Ghi kết quả xử lý",
        "Kết quả xử lý",
        lambda user, fb, text: services.feedback_answer(actor=user, feedback=fb, answer=text),
    ),
    "cong-khai": (
        K.PUBLISHED,
        "Công khai kết quả",
        None,
        lambda user, fb, text: services.feedback_publish(actor=user, feedback=fb),
    ),
    # The sender rates on the public page; an officer records what a sender said by phone.
    "ghi-danh-gia": (
        K.RATED,
        "Ghi đánh giá của người gửi",
        RATING_CHOICES,
        lambda user, fb, text: services.feedback_rate(actor=user, feedback=fb, rating=text),
    ),
}


@require_GET
def feedback_list(request):
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
def feedback_detail(request, pk: int):
    fb = selectors.feedback_get(user=request.user, pk=pk)
    actions = []
    if fb.can_handle:
        for slug, (kind, label, text_label, _call) in FEEDBACK_ACTIONS.items():
            if fb.state in ALLOWED_IN[kind][1] and not (kind == K.RATED and fb.sender_rating):
                choices = text_label if isinstance(text_label, list) else None
                actions.append((slug, label, None if choices else text_label, choices))
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
def feedback_action(request, pk: int, action: str):
    if action not in FEEDBACK_ACTIONS:
        raise Http404
    fb = selectors.feedback_get(user=request.user, pk=pk)
    _kind, label, _text_label, call = FEEDBACK_ACTIONS[action]
    form = FeedbackActionForm(request.POST)
    form.is_valid()
    try:
        call(request.user, fb, form.cleaned_data.get("text", ""))
    except ServiceError as exc:
        for line in service_messages(exc):
            messages.error(request, line)
    else:
        messages.success(request, f"Đã ghi nhận: {label.lower()}.")
    return redirect("dossiers:feedback", pk=fb.pk)
