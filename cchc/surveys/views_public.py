"""The public answer form: phone-first, plain HTML (no script), reached by a respondent's own
link (`/y-kien/<token>/`) or by a campaign's open link (`/y-kien/dot/<key>/`). Rate-limited per
address in the shared cache (cchc.core.ratelimit): every wrong token and every sent form counts,
so that guessing tokens or flooding a campaign is answered 429."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cchc.core import ratelimit
from cchc.core.collation import vi
from cchc.core.errors import ServiceError

from .models import Campaign
from .services import responses as response_services
from .views import SCALE_LABELS, _sections, keep_given

BUCKET, WRONG = "khao-sat", "khao-sat-sai"
SENDS_PER_HOUR = 30  # a household or a counter's shared tablet answers several forms
WRONG_PER_HOUR = 10
TOO_MANY = "Có quá nhiều lượt gửi từ địa chỉ này. Vui lòng thử lại sau ít phút."


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/public/message.html", {"title": "Tạm dừng", "text": TOO_MANY}, status=429)


def _render_form(request, campaign, sections, *, units=None, errors=(), status=200) -> HttpResponse:
    keep_given(sections, request.POST)
    return render(
        request,
        "surveys/public/form.html",
        {
            "campaign": campaign,
            "sections": sections,
            "units": units,
            "errors": errors,
            "data": request.POST,
            "scale_labels": SCALE_LABELS,
        },
        status=status,
    )


def _errors(exc: ServiceError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


@require_http_methods(["GET", "POST"])
def answer_by_token(request: HttpRequest, token: str) -> HttpResponse:
    if ratelimit.over_limit(request, WRONG, per_window=WRONG_PER_HOUR, window=3600):
        return _too_many(request)
    entry = response_services.entry_for_token(token)
    if entry is None:
        ratelimit.hit(request, WRONG, window=3600)
        return render(
            request,
            "surveys/public/message.html",
            {"title": "Đường dẫn không đúng", "text": "Đường dẫn khảo sát không đúng hoặc đã hết hiệu lực."},
            status=404,
        )
    if entry.used_at is not None:
        return render(
            request,
            "surveys/public/message.html",
            {"title": "Đã gửi phiếu", "text": "Phiếu khảo sát của đường dẫn này đã được gửi. Cảm ơn Ông/Bà."},
            status=410,
        )
    campaign = entry.campaign
    sections = _sections(campaign)
    if request.method == "POST":
        if ratelimit.over_limit(request, BUCKET, per_window=SENDS_PER_HOUR, window=3600):
            return _too_many(request)
        ratelimit.hit(request, BUCKET, window=3600)
        answers = {q.code: request.POST.get(f"q-{q.code}", "") for _, qs in sections for q in qs}
        try:
            response_services.response_submit_by_token(token=token, answers=answers)
        except ServiceError as exc:
            return _render_form(request, campaign, sections, errors=_errors(exc), status=400)
        return redirect("survey_thanks")
    return _render_form(request, campaign, sections, units=None)


@require_http_methods(["GET", "POST"])
def answer_open(request: HttpRequest, key: str) -> HttpResponse:
    campaign = Campaign.objects.filter(public_key=key, mode=Campaign.Mode.OPEN).first() if key else None
    if campaign is None:
        raise Http404("Không có đợt khảo sát này.")
    if campaign.status != Campaign.Status.OPEN:
        return render(
            request,
            "surveys/public/message.html",
            {"title": campaign.name, "text": "Đợt khảo sát đã kết thúc. Cảm ơn Ông/Bà đã quan tâm."},
            status=410,
        )
    sections = _sections(campaign)
    units = [t.unit for t in campaign.targets.select_related("unit").order_by(vi("unit__name"))]
    if request.method == "POST":
        if ratelimit.over_limit(request, BUCKET, per_window=SENDS_PER_HOUR, window=3600):
            return _too_many(request)
        ratelimit.hit(request, BUCKET, window=3600)
        unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), None)
        answers = {q.code: request.POST.get(f"q-{q.code}", "") for _, qs in sections for q in qs}
        if unit is None:
            return _render_form(
                request,
                campaign,
                sections,
                units=units,
                errors=["Chọn cơ quan, đơn vị Ông/Bà đã đến giải quyết công việc."],
                status=400,
            )
        try:
            response_services.response_submit_open(campaign=campaign, unit=unit, answers=answers)
        except ServiceError as exc:
            return _render_form(request, campaign, sections, units=units, errors=_errors(exc), status=400)
        return redirect("survey_thanks")
    return _render_form(request, campaign, sections, units=units)


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "surveys/public/message.html",
        {
            "title": "Cảm ơn Ông/Bà",
            "text": "Phiếu khảo sát đã được gửi. Ý kiến của Ông/Bà giúp cơ quan nhà nước phục vụ tốt hơn.",
        },
    )
