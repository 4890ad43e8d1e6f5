"""The administrators' page of API clients: list, register (the token shown once, on the page
that answers the registration, never again), revoke. Thin: `selectors` read and check the role,
`services` write and audit."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cchc.core.errors import ServiceError
from cchc.core.forms import apply_service_error, service_error_messages
from cchc.core.workingtime import to_local

from . import selectors, services
from .forms import ClientForm


def _page(request, form: ClientForm, *, registered=None, status: int = 200) -> HttpResponse:
    clients = list(selectors.client_list(user=request.user))
    now = timezone.now()
    response = render(
        request,
        "api/clients.html",
        {
            "clients": [(c, c.is_active(now)) for c in clients],
            "form": form,
            "registered": registered,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the page that shows a new token is never kept
    return response


@login_required
@require_GET
def client_list(request):
    return _page(request, ClientForm())


@login_required
@require_POST
def client_create(request):
    selectors.require_api_admin(request.user)
    form = ClientForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    unit = selectors.unit_for_admin(user=request.user, code=data["unit_code"])
    if unit is None:
        form.add_error(
            "unit_code", f"Không có đơn vị mã “{data['unit_code']}” trong phạm vi quản trị của bạn."
        )
        return _page(request, form, status=400)
    expires_at = None
    if data["expires_on"]:
        # valid until the end of that day, local time
        expires_at = to_local(dt.datetime.combine(data["expires_on"], dt.time(23, 59, 59)))
    try:
        registered = services.client_register(
            actor=request.user,
            name=data["name"],
            unit=unit,
            scope=data["scope"],
            expires_at=expires_at,
            rate_per_minute=data["rate_per_minute"],
        )
    except ServiceError as exc:
        apply_service_error(form, exc)
        return _page(request, form, status=400)
    return _page(request, ClientForm(), registered=registered)


@login_required
@require_POST
def client_revoke(request, pk: int):
    client = selectors.client_for_admin(user=request.user, pk=pk)
    if client is None:
        raise Http404("Không có ứng dụng kết nối này.")
    try:
        services.client_revoke(actor=request.user, client=client)
    except ServiceError as exc:
        messages.error(request, " ".join(service_error_messages(exc)))
    else:
        messages.success(
            request, f"Đã thu hồi quyền truy cập của “{client.name}”: mã truy cập không còn dùng được."
        )
    return redirect("api_clients:list")
