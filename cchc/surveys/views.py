"""Officer pages of surveys: campaigns, results (per unit and element, ranking, chart, trend),
paper entry, file import, the links to hand out. Every write goes through `services` (which
checks who may do it); pages only hide what a user cannot do."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.core.charts import bar_chart, sparkline
from cchc.core.collation import vi
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.numbers import format_count, format_number
from cchc.core.params import int_param
from cchc.orgs.access import Access
from cchc.orgs.models import Unit, UnitKind

from . import exports, selectors
from .models import Campaign, Question, Questionnaire, Section
from .selectors import MAX_MARGIN, MIN_ANSWERS, can_read, can_read_comments
from .services import campaigns as campaign_services
from .services import responses as response_services

MAX_UPLOAD = 20 * 1024 * 1024
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCALE_LABELS = (
    (1, "Rất không hài lòng"),
    (2, "Không hài lòng"),
    (3, "Bình thường"),
    (4, "Hài lòng"),
    (5, "Rất hài lòng"),
)


def _report(request, exc: ServiceError) -> None:
    found = exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]
    for msgs in found:
        for message in msgs:
            messages.error(request, message)


def _attachment(data: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _campaign(request, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("owner", "questionnaire"), pk=pk)
    if not can_read(request.user, campaign):
        raise PermissionDenied("Bạn không xem được đợt khảo sát này.")
    return campaign


def pct(value) -> str:
    return "—" if value is None else f"{format_number(value)}%"


def num(value) -> str:
    return "—" if value is None else format_number(value)


@login_required
@require_GET
def index(request):
    access = Access.for_user(request.user)
    return render(
        request,
        "surveys/index.html",
        {"campaigns": selectors.campaigns_for(request.user), "can_create": access.managed_units().exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    access = Access.for_user(request.user)
    owners = list(access.managed_units().filter(kind=UnitKind.PROVINCE).order_by(vi("name")))
    if not owners:
        raise PermissionDenied("Chỉ cán bộ điều phối CCHC cấp tỉnh được tổ chức đợt khảo sát.")
    owner = next(
        (u for u in owners if str(u.pk) == request.POST.get("owner", request.GET.get("owner"))), owners[0]
    )
    candidates = list(
        Unit.objects.filter(
            path__startswith=owner.path, kind__in=(UnitKind.AGENCY, UnitKind.COMMUNE)
        ).order_by("kind", "code")
    )
    context = {
        "owners": owners,
        "owner": owner,
        "candidates": candidates,
        "questionnaires": Questionnaire.objects.all(),
        "modes": Campaign.Mode.choices,
        "data": request.POST,
    }
    if request.method == "POST":
        chosen = {str(pk) for pk in request.POST.getlist("units")}
        size = int_param(request.POST, "co_mau", default=0, minimum=0, maximum=campaign_services.MAX_SAMPLE)
        questionnaire = Questionnaire.objects.filter(
            pk=int_param(request.POST, "questionnaire", default=0)
        ).first()
        try:
            start = dt.datetime.strptime(request.POST.get("period_start", ""), "%d/%m/%Y").date()
            end = dt.datetime.strptime(request.POST.get("period_end", ""), "%d/%m/%Y").date()
        except ValueError:
            messages.error(request, "Nhập ngày theo dạng dd/mm/yyyy.")
            return render(request, "surveys/campaign_new.html", context, status=400)
        if questionnaire is None:
            messages.error(request, "Chọn bộ câu hỏi.")
            return render(request, "surveys/campaign_new.html", context, status=400)
        try:
            campaign = campaign_services.campaign_create(
                actor=request.user,
                owner=owner,
                name=request.POST.get("name", ""),
                questionnaire=questionnaire,
                period_start=start,
                period_end=end,
                mode=request.POST.get("mode", ""),
                sample_sizes={u: size for u in candidates if str(u.pk) in chosen},
            )
        except ServiceError as exc:
            _report(request, exc)
            return render(request, "surveys/campaign_new.html", context, status=400)
        messages.success(request, "Đã tạo đợt khảo sát.")
        return redirect("surveys:campaign", pk=campaign.pk)
    return render(request, "surveys/campaign_new.html", context)


def _table(campaign: Campaign, rows: list[selectors.Row]) -> SafeString:
    """The results table's rows as HTML, made here: 130 units × 5 elements through the template
    language (or `format_html` per cell) cost more than the figures themselves. The only text from
    the database is a unit's name, escaped; every other cell is a number formatted by us."""
    sentinel = 987654321
    link = reverse("surveys:unit", args=[campaign.pk, sentinel])
    out = []
    for r in rows:
        cells = "".join(
            f'<td data-label="Yếu tố {escape(f.element)}" class="num">{pct(f.rate)}<br>'
            f"<small>±{num(f.margin)} · n={format_count(f.n)}</small></td>"
            for f in r.result.elements
        )
        warn = (
            ""
            if r.comparable
            else f' <span class="badge warn" title="Sai số lớn nhất {num(r.worst_margin)} điểm">⚠ mẫu nhỏ</span>'
        )
        out.append(
            f'<tr><td data-label="Đơn vị"><a href="{link.replace(str(sentinel), str(r.unit.pk))}">'
            f"{escape(r.unit.name)}</a>{warn}</td>"
            f'<td data-label="Số phiếu" class="num">{format_count(r.responses)}</td>{cells}'
            f'<td data-label="Hài lòng chung" class="num"><strong>{pct(r.result.total.rate)}</strong></td>'
            f'<td data-label="Điểm TB" class="num">{num(r.result.total.mean)}</td>'
            f'<td data-label="Hạng" class="num">{"—" if r.rank is None else r.rank}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 — built above from escaped names and our numbers


def _progress(progress: list[tuple[Unit, int, int, int, int]]) -> tuple[SafeString, SafeString]:
    """The sample table's rows and the units' options, made here for the same reason as `_table`."""
    rows = "".join(
        f'<tr><td data-label="Đơn vị">{escape(u.name)}</td>'
        f'<td data-label="Cỡ mẫu" class="num">{format_count(size)}</td>'
        f'<td data-label="Đã chọn" class="num">{format_count(drawn)}</td>'
        f'<td data-label="Đã phát" class="num">{format_count(issued)}</td>'
        f'<td data-label="Đã trả lời" class="num">{format_count(used)}</td></tr>'
        for u, size, drawn, issued, used in progress
    )
    options = "".join(f'<option value="{u.pk}">{escape(u.name)}</option>' for u, *_ in progress)
    return mark_safe(rows), mark_safe(options)  # noqa: S308 — escaped names, our numbers


@login_required
@require_GET
def campaign_detail(request, pk: int):
    campaign = _campaign(request, pk)
    targets = selectors.targets_of(campaign)  # read once for the results, the sample and the rights
    elements, rows = selectors.campaign_results(campaign, targets)
    names = dict(campaign.questionnaire.sections.values_list("code", "name"))
    ranked = sorted((r for r in rows if r.rank is not None), key=lambda r: r.rank or 0)
    chart = (
        bar_chart(
            [(r.unit.name, r.result.total.rate, pct(r.result.total.rate)) for r in ranked],
            label="Tỷ lệ hài lòng chung theo đơn vị",
            scale_max=100,  # type: ignore[arg-type]
        )
        if ranked
        else ""
    )
    access = Access.for_user(request.user)
    is_owner = access.can_manage_unit(campaign.owner)
    progress_rows, progress_options = (
        _progress(selectors.sample_progress(campaign, targets)) if is_owner else ("", "")
    )
    return render(
        request,
        "surveys/campaign.html",
        {
            "campaign": campaign,
            "elements": [(e, names.get(e, e)) for e in elements],
            "table": _table(campaign, rows),
            "ranked": ranked,
            "chart": chart,
            "is_owner": is_owner,
            "can_enter": is_owner
            or any(response_services.can_enter(request.user, campaign, t.unit) for t in targets),
            "progress_rows": progress_rows,
            "progress_options": progress_options,
            "max_margin": format_number(MAX_MARGIN, 0),
            "min_answers": MIN_ANSWERS,
            "open_link": request.build_absolute_uri(reverse("survey_open", args=[campaign.public_key]))
            if campaign.public_key
            else "",
        },
    )


@login_required
@require_GET
def results_csv(request, pk: int):
    campaign = _campaign(request, pk)
    _, rows = selectors.campaign_results(campaign)
    return _attachment(exports.results_csv(r.result for r in rows), f"ket-qua-khao-sat-{campaign.pk}.csv")


@login_required
@require_GET
def results_xlsx(request, pk: int):
    campaign = _campaign(request, pk)
    elements, rows = selectors.campaign_results(campaign)
    names = dict(campaign.questionnaire.sections.values_list("code", "name"))
    data = exports.results_xlsx(campaign, [(e, names.get(e, e)) for e in elements], rows)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ket-qua-khao-sat-{campaign.pk}.xlsx"'
    return response


@login_required
@require_GET
def unit_detail(request, pk: int, unit_id: int):
    campaign = _campaign(request, pk)
    target = campaign.targets.select_related("unit").filter(unit_id=unit_id).first()
    if target is None:
        raise Http404("Đơn vị không thuộc đợt khảo sát.")
    unit = target.unit
    elements, rows = selectors.campaign_results(campaign)
    row = next((r for r in rows if r.unit.pk == unit.pk), None)
    names = dict(campaign.questionnaire.sections.values_list("code", "name"))
    trend = selectors.unit_trend(campaign, unit)
    spark = sparkline(
        [(c.name, r.total.rate, pct(r.total.rate)) for c, r in trend],
        label="Tỷ lệ hài lòng chung qua các đợt",
    )
    return render(
        request,
        "surveys/unit.html",
        {
            "campaign": campaign,
            "unit": unit,
            "row": row,
            "figures": [
                (
                    e,
                    names.get(e, e),
                    f.n,
                    pct(f.rate),
                    num(f.mean),
                    num(f.margin),
                    f.margin is not None and f.margin > MAX_MARGIN,
                )
                for e, f in zip(elements, row.result.elements, strict=True)
            ]
            if row
            else [],
            "total": (pct(row.result.total.rate), num(row.result.total.mean)) if row else None,
            "trend": [(c, pct(r.total.rate), r.total.n) for c, r in trend],
            "spark": spark,
            "choices": selectors.choice_counts(campaign, unit),
            "comments": selectors.comments(campaign, unit)
            if can_read_comments(request.user, campaign, unit)
            else None,
            "max_margin": format_number(MAX_MARGIN, 0),
            "min_answers": MIN_ANSWERS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request, pk: int):
    campaign = _campaign(request, pk)
    units = [t.unit for t in campaign.targets.select_related("unit").order_by("unit__code")]
    units = [u for u in units if response_services.can_enter(request.user, campaign, u)]
    if not units:
        raise PermissionDenied("Bạn không có quyền nhập phiếu khảo sát của đợt này.")
    sections = _sections(campaign)
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), None)
        answers = _answers(request, sections)
        if unit is None:
            messages.error(request, "Chọn đơn vị của phiếu.")
        else:
            try:
                response_services.response_enter_paper(
                    actor=request.user,
                    campaign=campaign,
                    unit=unit,
                    answers=answers,
                    form_code=request.POST.get("form_code", ""),
                )
            except ServiceError as exc:
                _report(request, exc)
            else:
                messages.success(request, f"Đã lưu phiếu của {unit.name}. Nhập phiếu tiếp theo.")
                return redirect(f"{reverse('surveys:paper', args=[campaign.pk])}?unit={unit.pk}")
        keep_given(sections, request.POST)
        return render(
            request,
            "surveys/paper.html",
            {
                "campaign": campaign,
                "units": units,
                "sections": sections,
                "data": request.POST,
                "scale_labels": SCALE_LABELS,
            },
            status=400,
        )
    return render(
        request,
        "surveys/paper.html",
        {
            "campaign": campaign,
            "units": units,
            "sections": sections,
            "data": {"unit": request.GET.get("unit", "")},
            "scale_labels": SCALE_LABELS,
        },
    )


def _sections(campaign: Campaign) -> list[tuple[Section, list[Question]]]:
    questions = list(
        campaign.questionnaire.questions.select_related("section").order_by("section__order", "order")
    )
    out: list[tuple[Section, list[Question]]] = []
    for q in questions:
        if not out or out[-1][0] != q.section:
            out.append((q.section, []))
        out[-1][1].append(q)
    return out


def _answers(request, sections) -> dict[str, str]:
    return {q.code: request.POST.get(f"q-{q.code}", "") for _, qs in sections for q in qs}


def keep_given(sections, data) -> None:
    """Put the answers the respondent sent back on the questions (``q.given``), so that a form
    shown again with an error keeps every choice and every word typed."""
    for _, questions in sections:
        for q in questions:
            q.given = data.get(f"q-{q.code}", "")


@login_required
@require_POST
def campaign_action(request, pk: int, action: str):
    campaign = _campaign(request, pk)
    try:
        if action == "chon-mau":
            drawn = campaign_services.sample_draw(actor=request.user, campaign=campaign)
            messages.success(
                request, f"Đã chọn {format_number(drawn, 0)} hồ sơ vào mẫu (hạt giống {campaign.seed})."
            )
        elif action == "phat-lien-ket":
            unit = Unit.objects.filter(pk=int_param(request.POST, "unit", default=0)).first()
            extra = int_param(
                request.POST, "them", default=0, minimum=0, maximum=campaign_services.MAX_SAMPLE
            )
            issued = campaign_services.links_issue(
                actor=request.user, campaign=campaign, unit=unit, extra=extra
            )
            base = request.build_absolute_uri(reverse("survey_token", args=["x"]))[: -len("x/")]
            return _attachment(exports.links_csv(issued, base), f"duong-dan-khao-sat-{campaign.pk}.csv")
        elif action == "nhap-tep":
            upload = request.FILES.get("tep")
            if upload is None or upload.size > MAX_UPLOAD:
                messages.error(request, "Chọn tệp CSV hoặc XLSX (tối đa 20 MB).")
            else:
                saved = response_services.responses_import(
                    actor=request.user, campaign=campaign, data=upload.read(), filename=upload.name
                )
                messages.success(request, f"Đã nhập {format_number(saved, 0)} phiếu.")
        elif action == "ket-thuc":
            campaign_services.campaign_close(actor=request.user, campaign=campaign)
            messages.success(request, "Đã kết thúc đợt khảo sát.")
        else:
            raise Http404("Không có thao tác này.")
    except ServiceError as exc:
        _report(request, exc)
    return redirect("surveys:campaign", pk=campaign.pk)
