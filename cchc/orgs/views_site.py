"""Site-wide pages that depend on who the user is: the home redirect and the audit log."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from cchc.orgs.http import AuthedRequest

from .access import Access
from .models import Role
from .selectors import audit_entries


@require_GET
def home(request: AuthedRequest):
    access = Access.for_user(request.user)
    if access.has_role(Role.ADMIN, Role.COORDINATOR, Role.LEADER):
        return redirect("plans:list")
    return redirect("tracking:my_tasks")


@require_GET
def audit_log(request: AuthedRequest):
    entries = audit_entries(user=request.user, object_type=request.GET.get("loai") or None)
    page = Paginator(entries, 50).get_page(request.GET.get("trang"))
    return render(request, "core/audit_log.html", {"page": page})
