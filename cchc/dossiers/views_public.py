"""Public pages (no account): a citizen looks a dossier up by its code and the last digits of
the phone, rates the service once, pays the fee online; and sends feedback (PAKN).

The lookup shows nothing personal (`selectors.dossier_public_lookup`), gives the same answer
for an unknown code and wrong digits, and is rate-limited per IP address: at most
`LOOKUP_FAILURES` failed attempts per `LOOKUP_WINDOW` seconds (Django's cache). A successful
lookup is remembered in the session, which is what lets the applicant rate or pay."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cchc.core.actors import CITIZEN
from cchc.core.errors import ServiceError
from cchc.core.forms import apply_service_error, service_error_messages
from cchc.core.http import HtmxRequest
from cchc.core.numbers import format_count
from cchc.core.ratelimit import client_ip, count, current
from cchc.procedures.models import Procedure

from . import selectors, services
from .choices import EventKind
from .forms import FeedbackForm, FeedbackLookupForm, FeedbackRatingForm, LookupForm, RatingForm
from .gateways import get_gateway
from .lifecycle import HAS_RESULT, allowed
from .models import Dossier, Feedback, Payment, PaymentStatus
from .views import money

LOOKUP_FAILURES = 10
LOOKUP_WINDOW = 600  # seconds
# Codes are sequential, so the phone digits are the only secret: wrong digits for one code are
# also counted across all addresses, so that many addresses cannot share the guessing.
LOOKUP_FAILURES_PER_CODE = 20
LOOKUP_CODE_WINDOW = 24 * 3600  # seconds
# Each feedback starts legal deadlines for a unit: at most this many per address and window.
FEEDBACK_PER_WINDOW = 5
FEEDBACK_WINDOW = 3600  # seconds
FEEDBACK_TOO_MANY = (
    f"Bạn đã gửi {FEEDBACK_PER_WINDOW} phản ánh, kiến nghị trong {FEEDBACK_WINDOW // 60} phút. "
    "Vui lòng thử lại sau, hoặc liên hệ trực tiếp Bộ phận Một cửa."
)
SESSION_KEY = "tra_cuu"
NOT_FOUND = "Không tìm thấy hồ sơ có mã và số điện thoại như đã nhập. Kiểm tra lại mã hồ sơ trên giấy hẹn."
TOO_MANY = (
    f"Bạn đã tra cứu không thành công quá {LOOKUP_FAILURES} lần trong {LOOKUP_WINDOW // 60} phút. "
    "Vui lòng thử lại sau ít phút."
)


def _failures_key(request: HtmxRequest) -> str:
    return f"cchc:tra-cuu:sai:{client_ip(request)}"


def _code_key(code: str) -> str:
    folded = "".join(code.split()).upper()[:64]
    return f"cchc:tra-cuu:ma:{folded}"


def _blocked(request: HtmxRequest, code: str = "") -> bool:
    if current(_failures_key(request), LOOKUP_WINDOW) >= LOOKUP_FAILURES:
        return True
    return bool(code) and current(_code_key(code), LOOKUP_CODE_WINDOW) >= LOOKUP_FAILURES_PER_CODE


def _count_failure(request: HtmxRequest, code: str = "") -> None:
    count(_failures_key(request), LOOKUP_WINDOW)
    if code:
        count(_code_key(code), LOOKUP_CODE_WINDOW)


def _feedback_key(request: HtmxRequest) -> str:
    return f"cchc:gop-y:{client_ip(request)}"


def _public_lookup(
    request: HtmxRequest, form, *, find, grants_key: str, found_view: str, not_found: str, template: str
):
    """The lookup by code and phone digits, for dossiers and feedback alike: rate-limited, the
    same answer for an unknown code and wrong digits, the grant remembered in the session."""
    error, status = "", 200
    if request.method == "POST":
        if _blocked(request, request.POST.get("code", "")):
            error, status = TOO_MANY, 429
        elif form.is_valid():
            digits = form.cleaned_data["phone_last_digits"].strip()
            found = find(code=form.cleaned_data["code"].strip(), phone_last_digits=digits)
            if found is not None:
                grants = request.session.get(grants_key, {})
                grants[found.code] = digits
                request.session[grants_key] = grants
                return redirect(found_view, code=found.code)
            _count_failure(request, form.cleaned_data["code"])
            error, status = not_found, 404
        else:
            status = 400
    return render(request, template, {"form": form, "error": error}, status=status)


@require_http_methods(["GET", "POST"])
def lookup(request: HtmxRequest):
    return _public_lookup(
        request,
        LookupForm(request.POST or None, initial={"code": request.GET.get("ma", "")}),
        find=selectors.dossier_public_lookup,
        grants_key=SESSION_KEY,
        found_view="lookup_result",
        not_found=NOT_FOUND,
        template="dossiers/public/lookup.html",
    )


def _granted(request: HtmxRequest, code: str):
    """(public view, dossier) when this browser looked the dossier up; else None."""
    digits = request.session.get(SESSION_KEY, {}).get(code)
    if not digits:
        return None
    public = selectors.dossier_public_lookup(code=code, phone_last_digits=digits)
    if public is None:
        return None
    return public, Dossier.objects.get(code=public.code)


def _back_to_lookup(code: str):
    return redirect(reverse("lookup") + f"?ma={code}")


@require_http_methods(["GET"])
def lookup_result(request: HtmxRequest, code: str):
    granted = _granted(request, code)
    if granted is None:
        return _back_to_lookup(code)
    public, d = granted
    paid = d.payments.filter(status=PaymentStatus.PAID).exists()
    return render(
        request,
        "dossiers/public/result.html",
        {
            "p": public,
            "can_rate": d.state in HAS_RESULT and not d.rating,
            "rating": d.get_rating_display() if d.rating else "",
            "fee_label": money(d.fee_amount),
            "fee_due": d.fee_due,
            "paid": paid,
            "can_pay": d.fee_due and not paid and allowed(EventKind.PAYMENT_STARTED, d.state),
            "rating_form": RatingForm(),
            "gateway_label": get_gateway().label,
        },
    )


@require_POST
def rate(request: HtmxRequest, code: str):
    granted = _granted(request, code)
    if granted is None:
        return _back_to_lookup(code)
    _public, d = granted
    _save_rating(
        request,
        RatingForm(request.POST),
        lambda data: services.dossier_rate(dossier=d, rating=data["rating"], comment=data["comment"]),
        "Cảm ơn Ông/Bà đã đánh giá.",
    )
    return redirect("lookup_result", code=code)


def _save_rating(request: HtmxRequest, form, save, thanks: str) -> None:
    """A citizen's rating (of a dossier or of a feedback's handling): saved once, or the reason
    it is not shown as a message on the page the citizen goes back to."""
    if not form.is_valid():
        messages.error(request, "Chọn một mức độ hài lòng.")
        return
    try:
        save(form.cleaned_data)
    except ServiceError as exc:
        for line in service_error_messages(exc):
            messages.error(request, line)
    else:
        messages.success(request, thanks)


@require_POST
def pay(request: HtmxRequest, code: str):
    granted = _granted(request, code)
    if granted is None:
        return _back_to_lookup(code)
    _public, d = granted
    try:
        started = services.payment_start(actor=CITIZEN, dossier=d)
    except ServiceError as exc:
        for line in service_error_messages(exc):
            messages.error(request, line)
        return redirect("lookup_result", code=code)
    return redirect(started.redirect_url)


@require_http_methods(["GET", "POST"])
def simulated_gateway(request: HtmxRequest, reference: str):
    """The simulated gateway's payment page — moves no money, for demonstrations only."""
    gateway = get_gateway()
    if not gateway.is_simulated:
        raise Http404
    payment = (
        Payment.objects.select_related("dossier__procedure")
        .filter(reference=reference, gateway=gateway.name)
        .first()
    )
    if payment is None:
        raise Http404
    if request.method == "POST":
        payload = gateway.callback(reference, paid=request.POST.get("ket_qua") == "thanh_cong")
        try:
            confirmed = services.payment_confirm(reference=reference, payload=payload)
        except ServiceError as exc:
            for line in service_error_messages(exc):
                messages.error(request, line)
        else:
            if confirmed.status == PaymentStatus.PAID:
                messages.success(request, "Đã thanh toán phí, lệ phí.")
            else:
                messages.error(request, "Thanh toán không thành công; Ông/Bà có thể thử lại.")
        return redirect("lookup_result", code=payment.dossier.code)
    return render(
        request,
        "dossiers/public/gateway.html",
        {"payment": payment, "label": gateway.label, "amount": money(payment.amount)},
    )


FEEDBACK_SESSION_KEY = "gop_y_da_gui"


@require_http_methods(["GET", "POST"])
def feedback(request: HtmxRequest):
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and current(_feedback_key(request), FEEDBACK_WINDOW) >= FEEDBACK_PER_WINDOW:
        form.is_valid()
        form.add_error(None, FEEDBACK_TOO_MANY)
        return render(request, "dossiers/public/feedback.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dossier = procedure = None
        if data["dossier_code"].strip():
            # Same second factor as the lookup, same answer for an unknown code and a wrong phone,
            # same rate limit: the form must not tell strangers which dossier codes exist.
            digits = "".join(ch for ch in data["sender_phone"] if ch.isdigit())[-4:]
            found = None
            if _blocked(request, data["dossier_code"]):
                form.add_error("dossier_code", TOO_MANY)
            elif len(digits) == 4:
                found = selectors.dossier_public_lookup(
                    code=data["dossier_code"].strip(), phone_last_digits=digits
                )
            if found is not None:
                dossier = Dossier.objects.select_related("procedure", "handling_unit").get(code=found.code)
            elif not form.errors:
                _count_failure(request, data["dossier_code"])
                form.add_error(
                    "dossier_code",
                    "Không tìm thấy hồ sơ có mã này với số điện thoại đã nhập (số điện thoại ghi trên giấy "
                    "hẹn). Kiểm tra lại, hoặc để trống mã hồ sơ.",
                )
        if data["procedure_code"].strip() and dossier is None:
            procedure = (
                Procedure.objects.select_related("agency")
                .filter(code=data["procedure_code"].strip(), valid_to__isnull=True)
                .order_by("id")
                .first()
            )
            if procedure is None:
                form.add_error("procedure_code", "Không có thủ tục mang mã này.")
        elif dossier is None and not (form.data.get("dossier_code") or "").strip():
            procedure = _procedure_by_name(form)
        if not form.errors:
            try:
                fb = services.feedback_receive(
                    actor=CITIZEN,
                    content=data["content"],
                    sender=services.Sender(
                        name=data["sender_name"],
                        phone=data["sender_phone"],
                        email=data["sender_email"],
                        address=data["sender_address"],
                    ),
                    procedure=procedure,
                    dossier=dossier,
                    unit=data["agency"] if procedure is None and dossier is None else None,
                )
            except ServiceError as exc:
                if "unit" in getattr(exc, "error_dict", {}):
                    form.add_error("agency", exc.message_dict["unit"])
                else:
                    apply_service_error(form, exc)
            else:
                count(_feedback_key(request), FEEDBACK_WINDOW)
                request.session[FEEDBACK_SESSION_KEY] = {"code": fb.code, "due": fb.handle_due_at.isoformat()}
                return redirect("feedback_sent")
    return render(
        request, "dossiers/public/feedback.html", {"form": form}, status=400 if form.errors else 200
    )


def _procedure_by_name(form: FeedbackForm) -> Procedure | None:
    """The procedure the citizen found by words of its name: the one ticked among several
    matches, or the only match; else an error that says what to do."""
    data = form.cleaned_data
    if data.get("procedure_id"):
        return next((p for p in form.procedure_matches if p.pk == data["procedure_id"]), None)
    if not (data.get("procedure_query") or "").strip():
        return None
    matches = form.procedure_matches
    if len(matches) == 1:
        return matches[0]
    if not matches:
        form.add_error(
            "procedure_query",
            "Không tìm thấy thủ tục nào có các từ này. Gõ ít từ hơn, hoặc chọn cơ quan nhận phản ánh.",
        )
    else:
        form.add_error(
            "procedure_id",
            f"Có {format_count(len(matches))} thủ tục khớp"
            f"{' (hiện 20 thủ tục đầu)' if len(matches) >= 20 else ''}: chọn một thủ tục rồi bấm Gửi.",
        )
    return None


def feedback_sent(request: HtmxRequest):
    sent = request.session.get(FEEDBACK_SESSION_KEY)
    if not sent:
        return redirect("feedback_public")
    from .messages import moment

    return render(
        request, "dossiers/public/feedback_sent.html", {"code": sent["code"], "due": moment(sent["due"])}
    )


# --- the sender follows a feedback and rates its handling ------------------------------------------

FEEDBACK_GRANTS_KEY = "tra_cuu_gop_y"
FEEDBACK_NOT_FOUND = (
    "Không tìm thấy phản ánh, kiến nghị có số tiếp nhận và số điện thoại như đã nhập. "
    "Kiểm tra lại số tiếp nhận trên thông báo."
)


@require_http_methods(["GET", "POST"])
def feedback_lookup(request: HtmxRequest):
    return _public_lookup(
        request,
        FeedbackLookupForm(request.POST or None, initial={"code": request.GET.get("ma", "")}),
        find=selectors.feedback_public_lookup,
        grants_key=FEEDBACK_GRANTS_KEY,
        found_view="feedback_status",
        not_found=FEEDBACK_NOT_FOUND,
        template="dossiers/public/feedback_lookup.html",
    )


def _feedback_granted(request: HtmxRequest, code: str):
    digits = request.session.get(FEEDBACK_GRANTS_KEY, {}).get(code)
    if not digits:
        return None
    return selectors.feedback_public_lookup(code=code, phone_last_digits=digits)


@require_http_methods(["GET", "POST"])
def feedback_status(request: HtmxRequest, code: str):
    public = _feedback_granted(request, code)
    if public is None:
        return redirect(reverse("feedback_lookup") + f"?ma={code}")
    form = FeedbackRatingForm(request.POST or None)
    if request.method == "POST":
        _save_rating(
            request,
            form,
            lambda data: services.feedback_rate(
                actor=CITIZEN, feedback=Feedback.objects.get(code=public.code), rating=data["rating"]
            ),
            "Cảm ơn Ông/Bà đã đánh giá kết quả xử lý.",
        )
        return redirect("feedback_status", code=public.code)
    return render(request, "dossiers/public/feedback_status.html", {"f": public, "form": form})
