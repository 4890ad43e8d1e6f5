"""The demo province's periodic reports: the last finished quarter's reports of the units whose
officers are demo users (and a few agencies written by the administrator), most accepted, one
returned, one left as a draft — so that the register shows on time, late and missing after
`make run`.

Each report goes through the services as people would take it; only the moment of first
submission is then set back in time (history, in bulk, with one audit row saying so), because
the demo is loaded after the quarter's due date.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cchc.core.actors import SYSTEM
from cchc.core.audit import audit_record
from cchc.core.errors import ServiceError
from cchc.core.periods import reporting_window
from cchc.orgs.models import Unit, User
from cchc.tracking.models import ProgressUpdate, ReviewStatus
from cchc.tracking.services import progress_review

from . import outline, windows
from .models import Report
from .services import report_accept, report_open, report_return, report_save, report_submit

AGENCIES = ("SNV", "STC", "SXD", "SYT", "SGDDT")  # written by the administrator, for volume
FILLER = {
    "uu_diem": "Các nhiệm vụ trọng tâm trong kỳ được triển khai đúng kế hoạch; người đứng đầu trực tiếp chỉ đạo.",
    "ton_tai": "Một số nhiệm vụ còn chậm so với kế hoạch; số hóa kết quả giải quyết TTHC chưa đạt chỉ tiêu.",
    "nguyen_nhan": "Nhân lực làm công tác CCHC còn kiêm nhiệm; hạ tầng số ở một số bộ phận chưa đồng bộ.",
    "phuong_huong": "Tập trung hoàn thành các nhiệm vụ còn chậm; đẩy mạnh dịch vụ công trực tuyến toàn trình.",
}


def _last_quarter(today: dt.date) -> tuple[int, int]:
    current = reporting_window(today)
    year, q = current.year, int(current.part[1]) - 1
    return (year - 1, 4) if q == 0 else (year, q)


def load_demo(province: Unit, users: dict[str, User], *, today: dt.date | None = None) -> int:
    """Load the reports; returns how many were sent."""
    today = today or timezone.localdate()
    year, quarter = _last_quarter(today)
    admin = users["quantri"]
    writers: list[tuple[User, Unit]] = []
    for name in ("canbo.tuphap", "canbo.khcn", "canbo.dongxoai", "canbo.bienhoa"):
        user = users.get(name)
        if user is not None:
            writers += [
                (user, m.unit) for m in user.memberships.select_related("unit") if m.role == "officer"
            ]
    writers += [(admin, u) for u in Unit.objects.filter(code__in=[f"{province.code}.{s}" for s in AGENCIES])]
    coordinator = users["dieuphoi"]
    window = windows.window("quy", year, quarter)
    # the coordinator has accepted the quarter's progress of these units (only accepted progress
    # is written into a report)
    for update in ProgressUpdate.objects.filter(
        assignment__unit__in=[u for _, u in writers],
        reported_on__range=(window.start, window.end),
        review_status=ReviewStatus.PENDING,
    ):
        progress_review(actor=coordinator, update=update, accept=True)
    sent: list[Report] = []
    for i, (user, unit) in enumerate(writers):
        try:
            report = report_open(actor=user, unit=unit, kind="quy", year=year, number=quarter, today=today)
        except ServiceError:  # no data for that unit in the window: it stays missing in the register
            continue
        if i == len(writers) - 1:
            continue  # one unit still drafting
        texts = {
            h.key: report.sections.get(h.key) or FILLER.get(h.key) or f"Kết quả {h.title.lower()} trong kỳ."
            for h in outline.OUTLINE
            if h.required
        }
        report = report_save(actor=user, report=report, sections=texts)
        report = report_submit(
            actor=user,
            report=report,
            doc_number=f"{10 + i}/BC-{unit.code.split('.')[-1]}",
            doc_date=today,
            signer=user.full_name or str(user),
            signer_title="Giám đốc" if unit.kind == "agency" else "Chủ tịch",
        )
        sent.append(report)
    for i, report in enumerate(sent):
        # history: most sent before the due date, two a few days late
        late = i % 4 == 3
        moment = timezone.make_aware(
            dt.datetime.combine(report.due_on + dt.timedelta(days=3 if late else -2), dt.time(9))
        )
        Report.objects.filter(pk=report.pk).update(
            first_submitted_at=moment, submitted_at=moment, doc_date=moment.date()
        )
        if i == 1:
            report_return(
                actor=coordinator, report=report, comment="Đề nghị bổ sung số liệu phụ lục về số hóa hồ sơ."
            )
        else:
            report_accept(actor=coordinator, report=report, comment="")
    if sent:
        audit_record(
            actor=SYSTEM,
            action="report.demo_history",
            obj=province,
            unit=province,
            after={
                "reports": len(sent),
                "note": "thời điểm gửi lần đầu đặt lại theo kỳ báo cáo (dữ liệu trình diễn)",
            },
        )
    return len(sent)
