"""A plan dashboard's XLSX export as a background job: a province's plan has every unit's
assignments, so the page shows the progress and then the file (`?xuat=xlsx` stays for links)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cchc.core.numbers import format_count
from cchc.jobs.registry import JobFailed, register
from cchc.jobs.runner import JobContext
from cchc.plans.selectors import plan_get

from . import exports, selectors

DASHBOARD_XLSX = "tracking.dashboard_xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def run_dashboard_xlsx(ctx: JobContext) -> None:
    owner = ctx.job.owner
    if owner is None:
        raise JobFailed("Tác vụ không có người yêu cầu.")
    ctx.progress(10, "Đang tổng hợp tiến độ các nhiệm vụ…")
    try:  # the owner's scope, as of now: a right lost since the click is a right lost
        plan = plan_get(user=owner, pk=ctx.params["plan_id"])
        dashboard = selectors.plan_dashboard(user=owner, plan=plan)
    except (Http404, PermissionDenied) as exc:
        raise JobFailed("Bạn không còn quyền xem bảng theo dõi kế hoạch này.") from exc
    ctx.progress(70, "Đang ghi tệp Excel…")
    ctx.save_file(
        f"tien-do-ke-hoach-{plan.pk}-{dashboard.today:%Y%m%d}.xlsx", XLSX, exports.dashboard_xlsx(dashboard)
    )
    ctx.finish(message=f"Đã xuất {format_count(dashboard.total)} nhiệm vụ được giao; bấm để tải về.")


def register_jobs() -> None:
    register(DASHBOARD_XLSX, run_dashboard_xlsx)
