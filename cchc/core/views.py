from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .selectors import audit_entries


@require_GET
def home(request):
    from cchc.orgs.access import Access
    from cchc.orgs.models import Role

    access = Access.for_user(request.user)
    if access.has_role(Role.ADMIN, Role.COORDINATOR, Role.LEADER):
        return redirect("plans:list")
    return redirect("tracking:my_tasks")


@require_GET
def audit_log(request):
    entries = audit_entries(user=request.user, object_type=request.GET.get("loai") or None)
    page = Paginator(entries, 50).get_page(request.GET.get("trang"))
    return render(request, "core/audit_log.html", {"page": page})


def forbidden(request, exception=None):
    return render(
        request,
        "core/error.html",
        {
            "title": "Không có quyền truy cập",
            "message": str(exception or "") or "Bạn không có quyền xem trang này.",
        },
        status=403,
    )


def not_found(request, exception=None):
    return render(
        request,
        "core/error.html",
        {"title": "Không tìm thấy", "message": "Trang hoặc dữ liệu bạn tìm không tồn tại."},
        status=404,
    )
