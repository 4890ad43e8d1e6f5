from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from cchc.core.collation import vi
from cchc.core.errors import ServiceError
from cchc.core.forms import apply_service_error
from cchc.core.working_calendar import policy_for_unit
from cchc.orgs.http import AuthedRequest

from . import selectors, services
from .access import Access, require_manager
from .forms import UnitAddForm, UserAddForm
from .forms_calendar import WorkScheduleForm
from .models import Membership
from .services_calendar import work_schedule_save


@require_GET
def tree(request: AuthedRequest):
    return render(request, "orgs/tree.html", {"roots": selectors.unit_roots(user=request.user)})


def _detail(request: AuthedRequest, unit, unit_form=None, user_form=None, status=200):
    can_manage = Access.for_user(request.user).can_manage_unit(unit) and unit.valid_to is None
    children = Paginator(selectors.unit_children(unit=unit), 100).get_page(request.GET.get("trang"))
    return render(
        request,
        "orgs/unit_detail.html",
        {
            "unit": unit,
            "page": children,
            "members": selectors.unit_members(user=request.user, unit=unit),
            "predecessors": unit.predecessors.order_by(vi("name")),
            "can_manage": can_manage,
            "unit_form": unit_form or UnitAddForm(),
            "user_form": user_form or UserAddForm(),
            "schedule_form": _schedule_form(unit),
            "policy": policy_for_unit(unit),
        },
        status=status,
    )


def _schedule_form(unit):
    from cchc.core.models import WorkSchedule

    own = WorkSchedule.objects.filter(unit=unit).first()
    return WorkScheduleForm(initial={"hours": own.hours, "cutoff": own.cutoff} if own else None)


@require_GET
def unit_detail(request: AuthedRequest, pk: int):
    return _detail(request, selectors.unit_get(user=request.user, pk=pk))


def _managed_unit(request: AuthedRequest, pk: int):
    unit = selectors.unit_get(user=request.user, pk=pk)
    require_manager(request.user, unit)
    return unit


@require_POST
def unit_add(request: AuthedRequest, pk: int):
    parent = _managed_unit(request, pk)
    form = UnitAddForm(request.POST)
    if form.is_valid():
        try:
            unit = services.unit_add(actor=request.user, parent=parent, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, f"Đã thêm {unit.name}.")
            return redirect("orgs:detail", pk=parent.pk)
    return _detail(request, parent, unit_form=form, status=400)


@require_POST
def user_add(request: AuthedRequest, pk: int):
    unit = _managed_unit(request, pk)
    form = UserAddForm(request.POST)
    if form.is_valid():
        try:
            user = services.user_add(actor=request.user, unit=unit, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, f"Đã tạo tài khoản {user.username}.")
            return redirect("orgs:detail", pk=unit.pk)
    return _detail(request, unit, user_form=form, status=400)


@require_POST
def membership_revoke(request: AuthedRequest, membership_id: int):
    membership = get_object_or_404(Membership.objects.select_related("unit", "user"), pk=membership_id)
    require_manager(request.user, membership.unit)
    try:
        services.membership_revoke(actor=request.user, membership=membership)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã thu hồi vai trò của {membership.user}.")
    return redirect("orgs:detail", pk=membership.unit_id)


@require_POST
def work_schedule(request: AuthedRequest, pk: int):

    unit = _managed_unit(request, pk)
    form = WorkScheduleForm(request.POST)
    if form.is_valid():
        try:
            work_schedule_save(actor=request.user, unit=unit, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Đã lưu giờ làm việc của đơn vị.")
            return redirect("orgs:detail", pk=unit.pk)
    messages.error(
        request,
        "; ".join(
            f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}"
            for k, v in form.errors.items()
        ),
    )
    return redirect("orgs:detail", pk=unit.pk)
