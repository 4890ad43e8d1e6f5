"""Pages of the CCHC index: frameworks, rounds (register, a unit's assessment, appraisal),
results, points at risk, and the public results of a published round. Every write goes
through `services` (which checks who may do it); pages only hide what a user cannot do."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.core.charts import bar_chart
from cchc.core.collation import vi
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.numbers import format_count as _n
from cchc.core.numbers import format_number
from cchc.core.params import int_param
from cchc.orgs.access import Access
from cchc.orgs.models import KIND_ORDER, Unit, UnitKind
from cchc.tracking.models import ProgressUpdate

from . import at_risk, exports, files, formulas, reminders, selectors, services
from .models import Criterion, Evidence, Framework, Group, Method, Participant, Round, Score, group_of
from .permissions import can_read_participant, can_read_round, can_self_assess, is_council

MAX_UPLOAD = files.MAX_BYTES
# Who a province's index scores: its agencies (cấp sở) and its communes (cấp xã).
ASSESSED_KINDS = (UnitKind.AGENCY, UnitKind.COMMUNE)


def _report(request, exc: ServiceError) -> None:
    found = exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]
    for msgs in found:
        for message in msgs:
            messages.error(request, message)


def _year(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) == 4 else None


def _place(unit: Unit) -> str:
    """The place in a document's date line: the province's short name ("Đồng Nai")."""
    unit = unit.province() or unit
    name = unit.short_name or unit.name
    for prefix in ("Tỉnh ", "Thành phố ", "UBND tỉnh ", "UBND thành phố "):
        name = name.removeprefix(prefix)
    return name


def _upload(request, field: str = "tep") -> bytes | None:
    upload = request.FILES.get(field)
    if upload is None:
        messages.error(request, "Chọn tệp (CSV hoặc XLSX) để tải lên.")
        return None
    if upload.size > MAX_UPLOAD:
        messages.error(request, f"Tệp quá lớn (tối đa {MAX_UPLOAD // (1024 * 1024)} MB).")
        return None
    return upload.read()


def _attachment(data: bytes | str, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- the index and frameworks ----------------------------------------------------------------


def _managed_units(user) -> list[Unit]:
    """Units whose frameworks the user may manage: the provinces the user coordinates."""
    access = Access.for_user(user)
    units = Unit.objects.current().filter(kind=UnitKind.PROVINCE).order_by(vi("name"))
    if access.is_superuser:
        return list(units[:100])
    return [u for u in units.filter(pk__in=[g.unit_id for g in access.grants]) if access.can_manage_unit(u)]


@require_GET
def index(request):
    managed = _managed_units(request.user)
    rounds = selectors.rounds_visible(request.user)
    own_units = {g.unit_id for g in Access.for_user(request.user).grants}
    own = [
        p
        for p in Participant.objects.filter(unit_id__in=own_units).select_related("round__framework", "unit")
        if can_self_assess(request.user, p) or can_read_participant(request.user, p)
    ]
    return render(
        request,
        "evaluation/index.html",
        {
            "frameworks": selectors.frameworks_visible(request.user),
            "rounds": rounds,
            "own": own,
            "managed": managed,
            "year": timezone.localdate().year,
            "groups": Group.choices,
        },
    )


@require_POST
def framework_import(request):
    # refused before reading the upload: otherwise a user who may not import only ever saw
    # "choose a file" and no refusal
    if not _managed_units(request.user):
        raise PermissionDenied("Chỉ cán bộ điều phối CCHC của tỉnh được nhập bộ chỉ số.")
    data = _upload(request)
    unit = Unit.objects.filter(pk=int_param(request.POST, "don_vi", 0)).first()
    year = _year(request.POST.get("nam"))
    if data is None:
        return redirect("evaluation:index")
    if unit is None or year is None:
        messages.error(request, "Chọn đơn vị ban hành và ghi năm đánh giá (4 chữ số).")
        return redirect("evaluation:index")
    try:
        framework = services.framework_import(
            actor=request.user,
            unit=unit,
            year=year,
            name=request.POST.get("ten", ""),
            group=request.POST.get("nhom", ""),
            note=request.POST.get("ghi_chu", ""),
            bands=request.POST.get("xep_loai", ""),
            data=data,
        )
    except ServiceError as exc:
        _report(request, exc)
        return redirect("evaluation:index")
    messages.success(request, f"Đã nhập bộ chỉ số “{framework.name}” ({_n(framework.criteria.count())} mục).")
    return redirect("evaluation:framework", framework.pk)


def _framework(request, pk: int) -> Framework:
    framework = get_object_or_404(Framework.objects.select_related("unit", "copied_from"), pk=pk)
    if not selectors.can_read_framework(request.user, framework):
        raise Http404
    return framework


@require_GET
def framework_detail(request, pk: int):
    framework = _framework(request, pk)
    criteria = selectors.criteria_of(framework)
    frame = selectors.framework_def(framework, criteria)
    can_manage = Access.for_user(request.user).can_manage_unit(framework.unit)
    return render(
        request,
        "evaluation/framework.html",
        {
            "framework": framework,
            "criteria": criteria,
            "max_agency": frame.maximum(Group.AGENCY),
            "max_commune": frame.maximum(Group.COMMUNE),
            "leaves": len(frame.leaf_codes),
            "can_manage": can_manage,
            "rounds": framework.rounds.all(),
            "next_year": framework.year + 1,
        },
    )


@require_GET
def framework_export(request, pk: int):
    framework = _framework(request, pk)
    rows = selectors.framework_rows(framework)
    name = f"bo-chi-so-cchc-{framework.year}-{framework.pk}"
    if request.GET.get("dinh_dang") == "csv":
        columns = formulas.FRAMEWORK_COLUMNS + files.FRAMEWORK_EXTRA_COLUMNS
        return _attachment(files.write_csv(rows, columns), f"{name}.csv", "text/csv; charset=utf-8")
    data = files.framework_xlsx(rows, title=f"{framework.name} — {framework.unit.name}")
    return _attachment(data, f"{name}.xlsx", XLSX)


@require_POST
def framework_action(request, pk: int, action: str):
    framework = _framework(request, pk)
    try:
        if action == "ban-hanh":
            services.framework_issue(actor=request.user, framework=framework)
            messages.success(request, "Đã ban hành bộ chỉ số.")
        elif action == "sao":
            year = _year(request.POST.get("nam"))
            if year is None:
                raise ServiceError({"nam": "Ghi năm của bản sao (4 chữ số)."}, code="year_invalid")
            copy = services.framework_copy(
                actor=request.user, framework=framework, year=year, name=request.POST.get("ten", "")
            )
            messages.success(request, f"Đã sao bộ chỉ số sang năm {year} (bản dự thảo).")
            return redirect("evaluation:framework", copy.pk)
        elif action == "thay":
            data = _upload(request)
            if data is None:
                return redirect("evaluation:framework", framework.pk)
            services.framework_replace(actor=request.user, framework=framework, data=data)
            messages.success(request, "Đã cập nhật các tiêu chí từ tệp.")
        elif action == "xoa":
            services.framework_delete(actor=request.user, framework=framework)
            messages.success(request, "Đã xoá bộ chỉ số dự thảo.")
            return redirect("evaluation:index")
        else:
            raise Http404
    except ServiceError as exc:
        _report(request, exc)
    return redirect("evaluation:framework", framework.pk)


# --- rounds ----------------------------------------------------------------------------------


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def round_new(request, pk: int):
    framework = _framework(request, pk)
    assessed = (
        Unit.objects.current()
        .filter(parent=framework.unit, kind__in=ASSESSED_KINDS)
        .order_by(KIND_ORDER, vi("name"))
    )
    candidates = [u for u in assessed if not framework.group or group_of(u) == framework.group]
    if request.method == "POST":
        chosen = set(request.POST.getlist("don_vi"))
        units = [u for u in candidates if str(u.pk) in chosen]
        self_due, appraisal_due = (
            _date(request.POST.get("han_tu_cham")),
            _date(request.POST.get("han_tham_dinh")),
        )
        if self_due is None or appraisal_due is None:
            messages.error(request, "Ghi hạn tự đánh giá và hạn thẩm định (ngày/tháng/năm).")
        else:
            try:
                round_ = services.round_open(
                    actor=request.user,
                    framework=framework,
                    title=request.POST.get("ten", ""),
                    units=units,
                    self_due=self_due,
                    appraisal_due=appraisal_due,
                )
            except ServiceError as exc:
                _report(request, exc)
            else:
                messages.success(request, f"Đã mở đợt đánh giá cho {_n(len(units))} đơn vị.")
                return redirect("evaluation:round", round_.pk)
    if not Access.for_user(request.user).can_manage_unit(framework.unit):
        raise PermissionDenied(
            "Chỉ cán bộ điều phối CCHC của đơn vị ban hành bộ chỉ số được mở đợt đánh giá."
        )
    year = framework.year
    return render(
        request,
        "evaluation/round_new.html",
        {
            "framework": framework,
            "candidates": candidates,
            "title": f"Đánh giá, xác định Chỉ số CCHC năm {year}",
            "self_due": dt.date(year + 1, 1, 15),
            "appraisal_due": dt.date(year + 1, 2, 28),
        },
    )


def _round(request, pk: int) -> Round:
    round_ = get_object_or_404(Round.objects.select_related("framework", "unit"), pk=pk)
    own = Participant.objects.filter(
        round=round_, unit_id__in=[g.unit_id for g in Access.for_user(request.user).grants]
    )
    if not (can_read_round(request.user, round_) or own.exists()):
        raise Http404
    return round_


@require_GET
def round_detail(request, pk: int):
    round_ = _round(request, pk)
    council = is_council(request.user, round_)
    readable = {p.pk for p in selectors.participants_of_user(request.user, round_)}
    rows = (
        selectors.register(round_)
        if can_read_round(request.user, round_)
        else [r for r in selectors.register(round_) if r.participant.pk in readable]
    )
    counts = {state: 0 for state in Participant.State.values}
    for r in rows:
        counts[r.participant.state] += 1
    return render(
        request,
        "evaluation/round.html",
        {
            "round": round_,
            "rows": rows,
            "readable": readable,
            "council": council,
            "states": [(Participant.State(s).label, n) for s, n in counts.items() if n],
            "today": timezone.localdate(),
        },
    )


@require_POST
def round_action(request, pk: int, action: str):
    round_ = _round(request, pk)
    try:
        if action == "chot":
            services.round_finalise(actor=request.user, round_=round_)
            messages.success(request, "Đã chốt kết quả đợt đánh giá.")
        elif action == "cong-bo":
            services.round_publish(actor=request.user, round_=round_)
            messages.success(request, "Đã công bố kết quả; trang công khai đã mở.")
        elif action == "khao-sat":
            data = _upload(request)
            if data is None:
                return redirect("evaluation:round", round_.pk)
            rows = _survey_rows(data)
            n = services.survey_scores_import(actor=request.user, round_=round_, rows=rows)
            messages.success(request, f"Đã nhập {_n(n)} điểm khảo sát.")
        elif action == "nhac":
            sent, without = reminders.reminders_send(actor=request.user, round_=round_)
            messages.success(
                request,
                f"Đã gửi thư nhắc {sent} đơn vị"
                + (f"; {without} đơn vị chưa có địa chỉ thư của cán bộ." if without else "."),
            )
        elif action == "tinh-lai":
            changed = sum(
                services.computed_refresh(actor=request.user, participant=p)
                for p in round_.participants.exclude(state=Participant.State.FINALISED)
            )
            messages.success(
                request, f"Đã tính lại điểm từ dữ liệu hệ thống ({_n(changed)} tiêu chí thay đổi)."
            )
        else:
            raise Http404
    except ServiceError as exc:
        _report(request, exc)
    return redirect("evaluation:round", round_.pk)


def _survey_rows(data: bytes) -> list[tuple[int, str, str, str]]:
    """(line, unit code, leaf code, points) of a survey file: columns ma_don_vi, ma, diem."""
    try:
        rows = files.read_rows(data, ("ma_don_vi", "ma", "diem"))
    except formulas.ParErrors as exc:
        raise ServiceError(
            {"file": [f"Dòng {e.line}: {e.reason}" for e in exc.errors]}, code="survey_file_invalid"
        ) from None
    return [(line, r.get("ma_don_vi", ""), r.get("ma", ""), r.get("diem", "")) for line, r in rows]


@require_GET
def round_scores_csv(request, pk: int):
    round_ = _round(request, pk)
    if not can_read_round(request.user, round_):
        raise PermissionDenied("Chỉ hội đồng và lãnh đạo được tải điểm của cả đợt.")
    return _attachment(
        files.write_csv(selectors.scores_rows(round_), formulas.SCORE_COLUMNS),
        f"diem-chi-so-cchc-{round_.framework.year}-{round_.pk}.csv",
        "text/csv; charset=utf-8",
    )


# --- a unit's assessment ---------------------------------------------------------------------


def _participant(request, pk: int, participant_id: int) -> Participant:
    participant = get_object_or_404(
        Participant.objects.select_related("round__framework", "round__unit", "unit"),
        pk=participant_id,
        round_id=pk,
    )
    if not can_read_participant(request.user, participant):
        raise Http404
    return participant


@require_GET
def participant_detail(request, pk: int, participant_id: int):
    participant = _participant(request, pk, participant_id)
    scores = selectors.participant_scores(participant)
    council = is_council(request.user, participant.round)
    own = can_self_assess(request.user, participant)
    frame = selectors.framework_def(participant.round.framework)
    finals = {s.criterion.code: formulas.final_points(s.self_points, s.appraised_points) for s in scores}
    result = formulas.unit_result(frame, participant.unit.code, group_of(participant.unit), finals)
    band = formulas.classify(result.index, selectors.bands_of(participant.round.framework))
    criteria = {c.code: c for c in selectors.criteria_of(participant.round.framework)}
    headings: dict[int, list[Criterion]] = {}
    for s in scores:
        parent = s.criterion.code.rsplit(".", 1)[0]
        headings.setdefault(s.pk, [criteria[c] for c in _ancestors(parent) if c in criteria])
    shown: set[str] = set()
    rows = []
    for s in scores:
        new_headings = [c for c in headings[s.pk] if c.code not in shown]
        shown.update(c.code for c in new_headings)
        rows.append({"s": s, "c": s.criterion, "headings": new_headings})
    progress = []
    if own and participant.state in (Participant.State.DRAFT, Participant.State.CLARIFY):
        progress = list(
            ProgressUpdate.objects.filter(assignment__unit=participant.unit)
            .select_related("assignment__task")
            .order_by("-reported_on", "-id")[:50]
        )
    return render(
        request,
        "evaluation/participant.html",
        {
            "p": participant,
            "rows": rows,
            "council": council,
            "own": own,
            "editable": own and participant.state == Participant.State.DRAFT,
            "answering": own and participant.state == Participant.State.CLARIFY,
            "appraising": council and participant.state in services.rounds.APPRAISABLE,
            "asking": council and participant.state == Participant.State.SUBMITTED,
            "missing": services.missing_for_submission(participant)
            if own and participant.state == "draft"
            else [],
            "result": result,
            "band": band,
            "progress": progress,
            "self_methods": (Method.SELF, Method.BONUS, Method.DEDUCTION),
        },
    )


def _ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _leaf(participant: Participant, pk: int) -> Criterion:
    criterion = Criterion.objects.filter(framework=participant.round.framework, pk=pk, is_leaf=True).first()
    if criterion is None:
        raise ServiceError("Tiêu chí không thuộc bộ chỉ số của đợt đánh giá.", code="criterion_not_in_round")
    return criterion


@require_POST
def participant_action(request, pk: int, participant_id: int, action: str):
    participant = _participant(request, pk, participant_id)
    leaves = {str(s.criterion_id): s.criterion for s in participant.scores.select_related("criterion")}
    post = request.POST
    try:
        if action == "tu-cham":
            values = [
                (c, post.get(f"diem_{cid}", ""), post.get(f"giai_trinh_{cid}", ""))
                for cid, c in leaves.items()
                if f"diem_{cid}" in post
            ]
            n = services.self_scores_save(actor=request.user, participant=participant, values=values)
            messages.success(request, f"Đã lưu {_n(n)} tiêu chí.")
        elif action == "nop":
            services.participant_submit(actor=request.user, participant=participant)
            messages.success(request, "Đã nộp bản tự đánh giá cho hội đồng thẩm định.")
        elif action == "tai-lieu":
            score = get_object_or_404(
                Score, participant=participant, criterion=_leaf(participant, int_param(post, "tieu_chi", 0))
            )
            progress = (
                ProgressUpdate.objects.filter(pk=int_param(post, "bao_cao", 0))
                .select_related("assignment")
                .first()
            )
            services.evidence_add(
                actor=request.user,
                score=score,
                label=post.get("ten_tai_lieu", ""),
                upload=request.FILES.get("tep"),
                url=post.get("duong_dan", ""),
                progress=progress,
            )
            messages.success(request, f"Đã thêm tài liệu kiểm chứng cho tiêu chí {score.criterion.code}.")
        elif action == "go-tai-lieu":
            evidence = get_object_or_404(
                Evidence,
                pk=int_param(post, "tai_lieu", 0),
                score__participant=participant,
            )
            services.evidence_remove(actor=request.user, evidence=evidence)
            messages.success(request, "Đã gỡ tài liệu.")
        elif action == "tham-dinh":
            values = [
                (c, post.get(f"diem_{cid}", ""), post.get(f"ly_do_{cid}", ""))
                for cid, c in leaves.items()
                if f"diem_{cid}" in post
            ]
            n = services.appraisals_save(actor=request.user, participant=participant, values=values)
            messages.success(request, f"Đã lưu điểm thẩm định {_n(n)} tiêu chí.")
        elif action == "de-nghi-giai-trinh":
            questions = {c: post.get(f"hoi_{cid}", "") for cid, c in leaves.items()}
            services.clarification_request(actor=request.user, participant=participant, questions=questions)
            messages.success(request, "Đã gửi đề nghị giải trình cho đơn vị.")
        elif action == "giai-trinh":
            answers = {c: post.get(f"tra_loi_{cid}", "") for cid, c in leaves.items()}
            services.clarification_answer(actor=request.user, participant=participant, answers=answers)
            messages.success(request, "Đã gửi giải trình cho hội đồng.")
        elif action == "chot":
            services.participant_finalise(actor=request.user, participant=participant)
            messages.success(request, f"Đã chốt kết quả của {participant.unit.name}.")
        else:
            raise Http404
    except ServiceError as exc:
        _report(request, exc)
    return redirect("evaluation:participant", participant.round_id, participant.pk)


@require_GET
def evidence_download(request, pk: int, participant_id: int, evidence_id: int):
    participant = _participant(request, pk, participant_id)
    evidence = get_object_or_404(Evidence, pk=evidence_id, score__participant=participant)
    if not evidence.file:
        raise Http404
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1]
    )


# --- results ---------------------------------------------------------------------------------


def _pts(value: Decimal | None) -> str:
    """Points as people write them: up to 2 decimals, a decimal comma ("10,5", "8")."""
    return "—" if value is None else formulas.format_points(value).replace(".", ",")


def _results_context(res: selectors.RoundResults, *, previous: dict[str, Decimal | None]) -> dict:
    """The results tables, every number formatted here once (a province's table has thousands
    of cells; template filters on each would cost more than the arithmetic)."""
    groups = []
    for group in Group:
        members = res.group(group.value)
        if not members:
            continue
        rows = []
        for r in members:
            before = previous.get(r.unit)
            change = None if before is None or r.index is None else r.index - before
            rows.append(
                {
                    "r": r,
                    "unit": res.units[r.unit],
                    "band": res.band(r),
                    "areas": [
                        (a.code, _pts(a.points), _pts(a.maximum)) if a.maximum else (a.code, "", "")
                        for a in r.areas
                    ],
                    "points": _pts(r.points),
                    "maximum": _pts(r.maximum),
                    "index": format_number(r.index, 2),
                    "previous": None if before is None else format_number(before, 2),
                    "change": None
                    if change is None
                    else ("+" if change > 0 else "") + format_number(change, 2),
                    "lost": [
                        (code, _pts(lost)) for code, _, lost in selectors.lost_by_area(r)[:2] if lost > 0
                    ],
                }
            )
        chart = bar_chart(
            [(res.units[r.unit].name, r.index, format_number(r.index, 2)) for r in members],
            label=f"Chỉ số CCHC {group.label.lower()}",
            scale_max=Decimal(100),
        )
        area_avg: list[tuple[formulas.Node, Decimal | None]] = []
        for i, area in enumerate(res.framework.areas):
            rates = [rate for r in members if (rate := r.areas[i].rate) is not None]
            avg = sum(rates, Decimal(0)) / len(rates) if rates else None
            area_avg.append((area, avg))
        area_chart = bar_chart(
            [(f"{a.code}. {a.name}", avg, format_number(avg, 2)) for a, avg in area_avg],
            label=f"Tỷ lệ điểm trung bình theo lĩnh vực, {group.label.lower()}",
            scale_max=Decimal(100),
        )
        groups.append({"group": group, "rows": rows, "chart": chart, "area_chart": area_chart})
    return {"groups": groups, "areas": res.framework.areas, "bands": res.round.framework.bands}


@require_GET
def results(request, pk: int):
    round_ = _round(request, pk)
    if not can_read_round(request.user, round_):
        raise PermissionDenied(
            "Kết quả cả đợt dành cho hội đồng và lãnh đạo; đơn vị xem kết quả của mình ở trang tự đánh giá."
        )
    res = selectors.round_results(round_)
    fmt = request.GET.get("dinh_dang")
    name = f"ket-qua-chi-so-cchc-{round_.framework.year}-{round_.pk}"
    if fmt == "xlsx":
        return _attachment(exports.results_xlsx(res), f"{name}.xlsx", XLSX)
    if fmt == "docx":
        return _attachment(exports.results_docx(res, place=_place(round_.unit)), f"{name}.docx", DOCX)
    if fmt == "csv":
        return _attachment(
            files.results_csv(formulas.result_rows(res.results)), f"{name}.csv", "text/csv; charset=utf-8"
        )
    context = _results_context(res, previous=selectors.previous_results(round_))
    return render(
        request,
        "evaluation/results.html",
        {"round": round_, "council": is_council(request.user, round_), **context},
    )


@require_GET
def public_results(request, pk: int):
    """The published results, for everyone (no account): ranks, indexes and area rates only."""
    round_ = get_object_or_404(
        Round.objects.select_related("framework", "unit"), pk=pk, state=Round.State.PUBLISHED
    )
    res = selectors.round_results(round_)
    context = _results_context(res, previous=selectors.previous_results(round_))
    return render(request, "evaluation/public_results.html", {"round": round_, **context})


@require_GET
def public_index(request):
    rounds = (
        Round.objects.filter(state=Round.State.PUBLISHED)
        .select_related("framework", "unit")
        .order_by("-published_at")
    )
    return render(request, "evaluation/public_index.html", {"rounds": rounds[:100]})


# --- points at risk --------------------------------------------------------------------------


@require_GET
def points_at_risk(request):
    access = Access.for_user(request.user)
    mine = list(
        Unit.objects.filter(pk__in=[g.unit_id for g in access.grants]).order_by(KIND_ORDER, vi("name"))
    )
    # the units the user may look at that an index scores: its own, and those it oversees
    scope = [u for u in mine if u.kind in ASSESSED_KINDS]
    for u in mine:
        if access.can_oversee_unit(u):
            scope += list(
                Unit.objects.current()
                .filter(path__startswith=u.path, kind__in=ASSESSED_KINDS)
                .exclude(pk=u.pk)
                .order_by(KIND_ORDER, vi("name"))[:400]
            )
    seen: set[int] = set()
    choices = [u for u in scope if not (u.pk in seen or seen.add(u.pk))]
    wanted = int_param(request.GET, "don_vi")
    unit = choices[0] if choices else None
    if wanted is not None:
        unit = Unit.objects.filter(pk=wanted).first()
        if unit is None or not (
            access.can_oversee_unit(unit) or unit.pk in {g.unit_id for g in access.grants}
        ):
            raise Http404
        if unit.pk not in seen:
            choices.insert(0, unit)
    projection = at_risk.project(unit, timezone.localdate()) if unit is not None else None
    return render(
        request,
        "evaluation/at_risk.html",
        {"unit": unit, "projection": projection, "choices": choices, "today": timezone.localdate()},
    )
