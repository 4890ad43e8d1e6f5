"""Plan pages: parse input, call a service or selector, render. No business rules here."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.core.collation import vi
from cchc.core.errors import ServiceError
from cchc.core.forms import apply_service_error
from cchc.core.versioning import EditedMeanwhile
from cchc.orgs.access import SUBTREE_ROLES, Access
from cchc.orgs.http import AuthedRequest

from . import cascade, selectors, services
from .deadlines import parse_deadline
from .forms import PlanForm, TargetForm, TaskForm, assignable_units
from .models import Plan, PlanStatus, Target, Task, TaskRole


def _plan_context(request: AuthedRequest, plan: Plan) -> dict:
    access = Access.for_user(request.user)
    return {
        "plan": plan,
        "can_manage": access.can_manage_unit(plan.issuer),
        "can_oversee": access.can_oversee_unit(plan.issuer),
        # the progress dashboard opens for coordinators, leaders, administrators (of any unit the
        # plan reaches: tracking.selectors.dashboard_scope); an officer is not offered the link
        "can_follow": access.has_role(*SUBTREE_ROLES),
    }


@require_GET
def plan_list(request: AuthedRequest):
    status = request.GET.get("trang_thai") or None
    plans = selectors.plan_list(user=request.user, status=status)
    access = Access.for_user(request.user)
    can_create = access.managed_units().exists()
    return render(
        request,
        "plans/plan_list.html",
        {
            "plans": plans,
            "status": status,
            "statuses": PlanStatus.choices,
            "can_create": can_create,
            "can_follow": access.has_role(*SUBTREE_ROLES),
        },
    )


@require_GET
def plan_detail(request: AuthedRequest, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    context = _plan_context(request, plan) | {
        "cascade_units": cascade.cascade_candidates(user=request.user, plan=plan)
        if plan.status == PlanStatus.ISSUED
        else [],
        "areas": selectors.plan_tasks_by_area(plan=plan),
        "targets": plan.targets.all(),
        "children": selectors.plan_list(user=request.user).filter(parent=plan),
    }
    return render(request, "plans/plan_detail.html", context)


def _plan_form(request: AuthedRequest, plan: Plan | None):
    access = Access.for_user(request.user)
    issuers = access.managed_units().current()
    parents = selectors.plan_list(user=request.user).exclude(status=PlanStatus.DRAFT)
    if plan:
        parents = parents.exclude(pk=plan.pk)
    year = timezone.localdate().year
    initial = {
        "issuer": issuers.order_by("depth", vi("name")).first(),
        "kind": "annual",
        "from_year": year,
        "to_year": year,
    }
    if plan:
        initial = {
            f: getattr(plan, f)
            for f in [
                "issuer",
                "title",
                "number",
                "issued_on",
                "kind",
                "from_year",
                "to_year",
                "parent",
                "summary",
                "version",
            ]
        }
    return PlanForm(request.POST or None, initial=initial, issuers=issuers, parents=parents)


@require_http_methods(["GET", "POST"])
def plan_create(request: AuthedRequest):
    if not Access.for_user(request.user).managed_units().exists():
        raise PermissionDenied("Chỉ cán bộ điều phối CCHC được tạo kế hoạch.")
    form = _plan_form(request, None)
    if request.method == "POST" and form.is_valid():
        try:
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            plan = services.plan_create(actor=request.user, **data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Đã tạo kế hoạch (dự thảo). Thêm chỉ tiêu và nhiệm vụ, rồi ban hành.")
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": None})


@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthedRequest, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk, manage=True)
    form = _plan_form(request, plan)
    form.fields["issuer"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "issuer"}
        try:
            services.plan_update(actor=request.user, plan=plan, **data)
        except EditedMeanwhile as exc:
            apply_service_error(form, exc)
            plan.refresh_from_db()
            saved = _plan_form(request, plan).initial
            return _edit_conflict(request, "plans/plan_form.html", form, saved, {"plan": plan})
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Đã lưu thông tin kế hoạch.")
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


def _edit_conflict(request: AuthedRequest, template: str, form, saved: dict, context: dict):
    """The form again after someone else's save: the person's own values stay in the fields,
    the saved values of the fields that differ are shown above them, and the hidden version
    moves on so that a second Lưu (after reading) replaces the saved values on purpose."""
    differing = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data:
            continue
        mine, theirs = form.cleaned_data[name], saved.get(name)
        if _comparable(mine) != _comparable(theirs):
            differing.append((field.label, _shown(theirs)))
    form.data = form.data.copy()
    form.data["version"] = saved["version"]
    return render(request, template, {"form": form, "saved_meanwhile": differing, **context}, status=409)


def _comparable(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple | set) or hasattr(value, "values_list"):
        return sorted(getattr(v, "pk", v) for v in value)
    return value if value not in (None, "") else ""


def _shown(value) -> str:
    if isinstance(value, list | tuple | set) or hasattr(value, "values_list"):
        names = [str(v) for v in value]
        return "; ".join(names)
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def _run_action(request: AuthedRequest, plan: Plan, action, success: str):
    try:
        action(actor=request.user, plan=plan)
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)


@require_POST
def plan_issue(request: AuthedRequest, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk, manage=True)
    _run_action(
        request, plan, services.plan_issue, "Đã ban hành kế hoạch và giao nhiệm vụ cho các cơ quan chủ trì."
    )
    return redirect("plans:detail", pk=plan.pk)


@require_POST
def plan_close(request: AuthedRequest, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk, manage=True)
    _run_action(request, plan, services.plan_close, "Đã kết thúc kế hoạch.")
    return redirect("plans:detail", pk=plan.pk)


@require_POST
def plan_delete(request: AuthedRequest, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk, manage=True)
    try:
        services.plan_delete(actor=request.user, plan=plan)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plans:detail", pk=plan.pk)
    messages.success(request, "Đã xóa kế hoạch dự thảo.")
    return redirect("plans:list")


@require_http_methods(["GET", "POST"])
def target_edit(request: AuthedRequest, pk: int, target_id: int | None = None):
    plan = selectors.plan_get(user=request.user, pk=pk, manage=True)
    target = get_object_or_404(Target, pk=target_id, plan=plan) if target_id else None
    initial = {"year": plan.from_year if plan.from_year == plan.to_year else None, "unit_of_measure": "%"}
    if target:
        initial = {
            f: getattr(target, f)
            for f in ["text", "area", "comparator", "value", "unit_of_measure", "year", "reduction"]
        }
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.target_save(actor=request.user, plan=plan, target=target, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Đã lưu chỉ tiêu.")
            return redirect(f"{plan.get_absolute_url()}#chi-tieu")
    return render(request, "plans/target_form.html", {"form": form, "plan": plan, "target": target})


@require_POST
def target_delete(request: AuthedRequest, pk: int, target_id: int):
    plan = selectors.plan_get(user=request.user, pk=pk, manage=True)
    target = get_object_or_404(Target, pk=target_id, plan=plan)
    try:
        services.target_delete(actor=request.user, target=target)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Đã xóa chỉ tiêu.")
    return redirect(f"{plan.get_absolute_url()}#chi-tieu")


@require_http_methods(["GET", "POST"])
def task_edit(request: AuthedRequest, pk: int, task_id: int | None = None):
    plan = selectors.plan_get(user=request.user, pk=pk, manage=True)
    task = get_object_or_404(Task, pk=task_id, plan=plan) if task_id else None
    units = assignable_units(plan.issuer)
    form = TaskForm(request.POST or None, initial=_task_initial(task) if task else {}, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.task_save(actor=request.user, plan=plan, task=task, **form.cleaned_data)
        except EditedMeanwhile as exc:
            apply_service_error(form, exc)
            assert task is not None  # only an existing task has a version to lose
            task.refresh_from_db()
            current = _task_initial(task)
            by_id = {u.pk: u for u in units}
            for key in ("lead_units", "coordinating_units"):
                current[key] = [by_id[u] for u in current[key] if u in by_id]
            context = {"plan": plan, "task": task}
            return _edit_conflict(request, "plans/task_form.html", form, current, context)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Đã lưu nhiệm vụ.")
            return redirect(f"{plan.get_absolute_url()}#nv-{saved.pk}")
    return render(request, "plans/task_form.html", {"form": form, "plan": plan, "task": task})


def _task_initial(task: Task) -> dict:
    initial = {
        f: getattr(task, f)
        for f in [
            "number",
            "area",
            "content",
            "output",
            "lead_text",
            "coordinating_text",
            "deadline_text",
            "note",
            "version",
        ]
    }
    roles = list(task.task_units.values_list("unit_id", "role"))
    initial["lead_units"] = [u for u, r in roles if r == TaskRole.LEAD]
    initial["coordinating_units"] = [u for u, r in roles if r == TaskRole.COORDINATING]
    if task.deadline_kind in ("conditional", "unknown"):
        initial["final_due"] = task.final_due
    return initial


@require_POST
def task_delete(request: AuthedRequest, pk: int, task_id: int):
    plan = selectors.plan_get(user=request.user, pk=pk, manage=True)
    task = get_object_or_404(Task, pk=task_id, plan=plan)
    try:
        services.task_delete(actor=request.user, task=task)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Đã xóa nhiệm vụ.")
    return redirect("plans:detail", pk=plan.pk)


@require_GET
def deadline_preview(request: AuthedRequest, pk: int):
    """HTMX: how the deadline phrase being typed will be read, shown under the field."""
    plan = selectors.plan_get(user=request.user, pk=pk)
    if not request.htmx:
        raise PermissionDenied("Chỉ dùng trong biểu mẫu.")
    phrase = request.GET.get("deadline_text", "")
    schedule = parse_deadline(phrase, from_year=plan.from_year, to_year=plan.to_year)
    return HttpResponse(
        f'<span class="deadline-kind k-{schedule.kind.value}">{escape(schedule.explanation)}</span>'
    )


@require_POST
def plan_cascade(request: AuthedRequest, pk: int):
    """A unit starts its own plan from this one (its tasks copied, linked back)."""
    superior = selectors.plan_get(user=request.user, pk=pk)
    candidates = {u.pk: u for u in cascade.cascade_candidates(user=request.user, plan=superior)}
    unit = candidates.get(int(request.POST.get("unit") or 0))
    if unit is None:
        raise PermissionDenied("Bạn không thể lập kế hoạch triển khai cho đơn vị này.")
    try:
        plan = cascade.plan_cascade(actor=request.user, superior=superior, unit=unit)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plans:detail", pk=superior.pk)
    messages.success(
        request,
        f"Đã tạo dự thảo kế hoạch của {unit.body_name} từ kế hoạch cấp trên. Rà soát, bỏ chỉ tiêu không phù hợp, rồi ban hành.",
    )
    return redirect("plans:detail", pk=plan.pk)


@require_GET
def plan_coverage(request: AuthedRequest, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    if not Access.for_user(request.user).can_oversee_unit(plan.issuer):
        raise PermissionDenied("Chỉ cơ quan ban hành xem được mức độ triển khai của kế hoạch.")
    return render(
        request,
        "plans/coverage.html",
        {"plan": plan, "c": cascade.plan_coverage(user=request.user, plan=plan)},
    )
