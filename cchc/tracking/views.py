"""Tracking pages: my tasks, an assignment with its progress, the plan dashboard."""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.core.errors import ServiceError
from cchc.core.forms import apply_service_error, service_error_messages
from cchc.jobs.services import job_start
from cchc.orgs.access import Access
from cchc.orgs.http import AuthedRequest
from cchc.plans.selectors import plan_get

from . import exports, selectors, services
from .charts import stacked_bars
from .forms import ProgressForm, ReviewForm, ReviewPolicyForm
from .jobs import DASHBOARD_XLSX
from .status import STATUS_ORDER, Status

MY_TASKS_PAGE_SIZE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def my_tasks(request: AuthedRequest):
    status = request.GET.get("trang_thai") or None
    if status not in Status.values:
        status = None
    assignments = selectors.my_assignments(user=request.user, status=status)
    if request.GET.get("xuat") == "xlsx":
        return _xlsx(
            exports.assignments_xlsx(assignments, who=str(request.user)),
            f"nhiem-vu-cua-toi-{timezone.localdate():%Y%m%d}.xlsx",
        )
    counts = selectors.my_status_counts(user=request.user)
    page = Paginator(assignments, MY_TASKS_PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "tracking/my_tasks.html",
        {
            "page": page,
            "status": status,
            "total": sum(counts.values()),
            "status_tabs": [(s, s.label, counts.get(s, 0)) for s in STATUS_ORDER],
        },
    )


@require_http_methods(["GET", "POST"])
def assignment_detail(request: AuthedRequest, pk: int):
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    access = Access.for_user(request.user)
    can_report = access.can_report_for(assignment.unit) and assignment.task.plan.status == "issued"
    form = ProgressForm(
        request.POST or None,
        request.FILES or None,
        initial={"percent": assignment.percent, "reported_on": timezone.localdate()},
    )
    if request.method == "POST":
        if not can_report:
            return render(
                request,
                "core/error.html",
                {"title": "Không có quyền", "message": "Bạn không thể báo cáo tiến độ nhiệm vụ này."},
                status=403,
            )
        if form.is_valid():
            try:
                services.progress_post(actor=request.user, assignment=assignment, **form.cleaned_data)
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, "Đã ghi nhận tiến độ.")
                return redirect("tracking:assignment", pk=assignment.pk)
    return render(
        request,
        "tracking/assignment_detail.html",
        {
            "a": assignment,
            "updates": selectors.assignment_updates(assignment=assignment),
            "form": form,
            "can_report": can_report,
            "can_review": access.can_manage_unit(assignment.task.plan.issuer),
            "acceptance_required": selectors.acceptance_required(plan=assignment.task.plan),
            "due_dates": [dt.date.fromisoformat(d) for d in assignment.task.due_dates],
        },
    )


@require_GET
def evidence_download(request: AuthedRequest, pk: int):
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def dashboard_export(request: AuthedRequest, pk: int):
    """The dashboard's XLSX made in the background; its page shows the progress, then the file."""
    plan = plan_get(user=request.user, pk=pk)
    selectors.dashboard_scope(user=request.user, plan=plan)  # refuses who may not see the dashboard
    job = job_start(
        actor=request.user,
        kind=DASHBOARD_XLSX,
        label=f"Xuất Excel tiến độ: {plan.title[:200]}",
        unit=plan.issuer,
        params={"plan_id": plan.pk, "back_url": reverse("tracking:dashboard", args=[plan.pk])},
    )
    return redirect("jobs:detail", pk=job.pk)


@require_GET
def plan_dashboard(request: AuthedRequest, pk: int):
    plan = plan_get(user=request.user, pk=pk)
    dashboard = selectors.plan_dashboard(user=request.user, plan=plan)
    if request.GET.get("xuat") == "xlsx":
        return _xlsx(
            exports.dashboard_xlsx(
                dashboard,
                selectors.plan_dashboard_assignments(user=request.user, plan=plan, today=dashboard.today),
            ),
            f"tien-do-ke-hoach-{plan.pk}-{dashboard.today:%Y%m%d}.xlsx",
        )
    chart = stacked_bars(
        [(label, counts) for _area, label, counts, _total in dashboard.areas],
        [(s.value, s.label) for s in STATUS_ORDER],
    )
    return render(
        request,
        "tracking/dashboard.html",
        {
            "d": dashboard,
            "plan": plan,
            "area_chart": chart,
            "statuses": STATUS_ORDER,
            "can_manage": Access.for_user(request.user).can_manage_unit(plan.issuer),
        },
    )


@require_POST
def plan_remind(request: AuthedRequest, pk: int):
    from .reminders import reminders_send

    plan = plan_get(user=request.user, pk=pk, manage=True)
    sent, missing = reminders_send(actor=request.user, plan=plan)
    message = f"Đã gửi thư nhắc tới {sent} đơn vị."
    if missing:
        message += f" {missing} đơn vị chưa có địa chỉ thư điện tử của cán bộ, cần nhắc trực tiếp."
    messages.success(request, message)
    return redirect("tracking:dashboard", pk=plan.pk)


@require_POST
def progress_review(request: AuthedRequest, pk: int):
    """Accept or return one progress update; back to where the reviewer came from."""
    update = selectors.update_get(user=request.user, pk=pk, review=True)
    form = ReviewForm(request.POST)
    back = (
        reverse("tracking:review_queue", args=[update.assignment.task.plan_id])
        if request.POST.get("quay_lai") == "hang_cho"
        else reverse("tracking:assignment", args=[update.assignment_id])
    )
    if not form.is_valid():
        messages.error(request, "Hãy chọn chấp nhận hoặc trả lại.")
        return redirect(back)
    try:
        services.progress_review(
            actor=request.user,
            update=update,
            accept=form.cleaned_data["decision"] == "chap_nhan",
            comment=form.cleaned_data["comment"],
        )
    except ServiceError as exc:
        for message in service_error_messages(exc):
            messages.error(request, message)
    else:
        accepted = form.cleaned_data["decision"] == "chap_nhan"
        messages.success(
            request,
            f"Đã {'chấp nhận' if accepted else 'trả lại'} báo cáo tiến độ của {update.assignment.unit}.",
        )
    return redirect(back)


@require_GET
def review_queue(request: AuthedRequest, pk: int):
    plan = plan_get(user=request.user, pk=pk)
    queue = selectors.review_queue(user=request.user, plan=plan)
    page = Paginator(queue, MY_TASKS_PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "tracking/review_queue.html",
        {
            "plan": plan,
            "page": page,
            "policy_form": ReviewPolicyForm(
                initial={"acceptance_required": selectors.acceptance_required(plan=plan)}
            ),
        },
    )


@require_POST
def review_policy(request: AuthedRequest, pk: int):
    plan = plan_get(user=request.user, pk=pk, manage=True)
    form = ReviewPolicyForm(request.POST)
    form.is_valid()  # a checkbox: absent means off
    required = bool(form.cleaned_data.get("acceptance_required"))
    changed = services.review_policy_set(actor=request.user, plan=plan, acceptance_required=required)
    messages.success(
        request,
        (
            "Từ nay nhiệm vụ chỉ tính hoàn thành khi được chấp nhận."
            if required
            else "Đã bỏ yêu cầu chấp nhận."
        )
        + (f" {changed} nhiệm vụ đổi trạng thái." if changed else ""),
    )
    return redirect("tracking:review_queue", pk=plan.pk)
