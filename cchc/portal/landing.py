"""The signed-in user's home (`/`): each role lands where its work is.

- an administrator or a CCHC coordinator: the plans they run;
- a leader of a commune (xã, phường): the commune's figures — its dossiers, plan targets and
  tasks on the dashboard of that unit;
- any other leader: the dashboard of the highest unit they lead;
- a one-stop desk officer — an officer whose unit receives dossiers and either is a one-stop
  body by its legal name (Trung tâm Phục vụ hành chính công, Bộ phận Một cửa) or has no reform
  task assigned: the dossier queue (a commune's officer, who does both, keeps "my tasks");
- every other officer: "my tasks".

It sits in the top layer because it reads several apps (plans, dossiers, tracking); the lower
apps keep no knowledge of one another (docs/architecture.md).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from cchc.core.text import fold
from cchc.dossiers.models import Dossier
from cchc.orgs.access import Access
from cchc.orgs.http import AuthedRequest
from cchc.orgs.models import Role, Unit, UnitKind
from cchc.tracking.models import Assignment

# The one-stop bodies' names as Nghị định 118/2025/NĐ-CP gives them (folded).
ONE_STOP_NAMES = ("trung tam phuc vu hanh chinh cong", "bo phan mot cua", "bo phan tiep nhan va tra ket qua")


def landing_url(access: Access) -> str:
    if access.has_role(Role.ADMIN, Role.COORDINATOR):
        return reverse("plans:list")
    roles = {g.role for g in access.grants}
    if roles == {Role.LEADER}:
        led = Unit.objects.filter(pk__in=[g.unit_id for g in access.grants]).order_by("depth", "path")
        commune = next((u for u in led if u.kind == UnitKind.COMMUNE), None)
        if commune is not None and all(u.kind == UnitKind.COMMUNE for u in led):
            return f"{reverse('indicators:dashboard')}?don_vi={commune.pk}"
        return reverse("indicators:dashboard")
    officer_units = [g.unit_id for g in access.grants if g.role == Role.OFFICER]
    if officer_units and Dossier.objects.filter(receiving_unit_id__in=officer_units).exists():
        names = Unit.objects.filter(pk__in=officer_units).values_list("name", flat=True)
        if any(fold(n).startswith(ONE_STOP_NAMES) for n in names) or not (
            Assignment.objects.filter(unit_id__in=officer_units).exists()
        ):
            return reverse("dossiers:list")
    return reverse("tracking:my_tasks")


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    return redirect(landing_url(Access.for_user(request.user)))
