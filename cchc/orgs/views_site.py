"""Site-wide pages that depend on who the user is: the audit log (the home redirect is
`cchc.portal.landing`, which reads the apps above this one)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cchc.orgs.http import AuthedRequest

from .selectors import audit_entries


@require_GET
def audit_log(request: AuthedRequest):
    entries = audit_entries(user=request.user, object_type=request.GET.get("loai") or None)
    page = Paginator(entries, 50).get_page(request.GET.get("trang"))
    return render(request, "core/audit_log.html", {"page": page})
