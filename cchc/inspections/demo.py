"""The demo province's inspections: Sở Nội vụ's yearly inspection plan (the standard checklist),
four inspections carried out and concluded — Sở Tư pháp on site, Phường Đồng Xoài and Sở Khoa
học và Công nghệ online, a one-stop spot check of the Public Administration Service Centre —
and one still ahead (Phường Biên Hòa). Of the findings, some are remedied on time, one late, one
is past its deadline with nothing reported, one is not due yet; so the pages, the overdue list
and the `kiem_tra:*` figures show something after `make run`. Every step goes through the
services, as people would take them.

Dates are placed in the year so far: early in a year (before May) the plan is last year's.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from cchc.orgs.models import Unit, User

from . import services
from .models import Finding, Inspection, InspectionPlan, Kind, Mode, TeamRole, Verdict

PDF = (  # a one-line PDF standing in for a scanned record (biên bản) of the inspection
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _day(start: dt.date, end: dt.date, share: float) -> dt.date:
    return start + dt.timedelta(days=int((end - start).days * share))


def _month(day: dt.date) -> str:
    return f"trong tháng {day.month}/{day.year}"


@transaction.atomic
def load_demo(province: Unit, coordinator: User, users: dict[str, User], *, today: dt.date) -> InspectionPlan:
    year = today.year if today.timetuple().tm_yday >= 120 else today.year - 1
    first, last = dt.date(year, 1, 1), min(today, dt.date(year, 12, 31))
    code = province.code
    plan = services.plan_create(
        actor=coordinator,
        unit=province,
        year=year,
        title=f"Kế hoạch kiểm tra công tác cải cách hành chính năm {year}",
        number="08/KH-SNV",
        issued_on=dt.date(year, 1, 15),
        note="Kiểm tra từ 30% trở lên cơ quan, đơn vị; 50% cuộc kiểm tra thực hiện trực tuyến.",
    )
    member = users.get("canbo.khcn")
    officers = {
        f"{code}.STP": users.get("canbo.tuphap"),
        f"{code}.SKHCN": member,
        "Phường Đồng Xoài": users.get("canbo.dongxoai"),
    }

    def unit(key: str) -> Unit:
        if key.startswith("Phường"):
            return Unit.objects.get(parent=province, name=key)
        return Unit.objects.get(code=key)

    def inspect(key, share, mode, kind=Kind.PLANNED, fails=(), with_member=True, day=None) -> Inspection:
        day = day or _day(first, last, share)
        inspection = services.inspection_add(
            actor=coordinator, plan=plan, unit=unit(key), start_date=day, end_date=day, mode=mode, kind=kind
        )
        team = [(coordinator, TeamRole.LEAD)] + (
            [(member, TeamRole.MEMBER)] if member and with_member else []
        )
        services.team_set(actor=coordinator, inspection=inspection, members=team)
        if not fails:
            return inspection  # still ahead
        services.inspection_start(actor=coordinator, inspection=inspection)
        results = list(inspection.results.order_by("position"))
        services.results_save(
            actor=coordinator,
            inspection=inspection,
            results={
                r.pk: (Verdict.FAIL, "Chưa đạt yêu cầu.") if r.position in dict(fails) else (Verdict.PASS, "")
                for r in results
            },
        )
        services.result_evidence_add(
            actor=coordinator, result=results[0], files=[SimpleUploadedFile("bien-ban-kiem-tra.pdf", PDF)]
        )
        for position, (content, deadline) in fails:
            services.finding_add(
                actor=coordinator,
                inspection=inspection,
                result=results[position - 1],
                content=content,
                requirement="Khắc phục dứt điểm và báo cáo kết quả kèm tài liệu kiểm chứng.",
                deadline=deadline(day),
            )
        return services.inspection_conclude(
            actor=coordinator,
            inspection=inspection,
            summary=f"{inspection.unit.name} cơ bản thực hiện đầy đủ các nhiệm vụ cải cách hành chính; "
            "còn một số tồn tại cần khắc phục.",
            number=f"{plan.inspections.filter(state=Inspection.State.CONCLUDED).count() + 1:02d}/TB-SNV",
            concluded_on=day + dt.timedelta(days=2),
        )

    def later(days: int):
        return lambda day: _month(day + dt.timedelta(days=days))

    stp = inspect(
        f"{code}.STP",
        0.25,
        Mode.ON_SITE,
        fails=[
            (1, ("Báo cáo CCHC quý I gửi chậm so với quy định.", later(30))),
            (4, ("Chưa niêm yết đầy đủ thủ tục hành chính tại nơi tiếp nhận.", later(30))),
        ],
    )
    commune = inspect(
        "Phường Đồng Xoài",
        0.4,
        Mode.ONLINE,
        fails=[
            (
                4,
                (
                    "Còn hồ sơ trễ hẹn chưa có văn bản xin lỗi.",
                    lambda d: f"trước ngày {(d + dt.timedelta(days=20)):%d/%m/%Y}",
                ),
            )
        ],
    )
    skhcn = inspect(
        f"{code}.SKHCN",
        0.55,
        Mode.ONLINE,
        with_member=False,
        fails=[(9, ("Tỷ lệ văn bản ký số chưa đạt chỉ tiêu.", later(45)))],
    )
    inspect(
        f"{code}.TTPVHCC",
        0.9,
        Mode.ON_SITE,
        kind=Kind.ONE_STOP,
        fails=[
            (4, ("Bộ phận một cửa chưa cập nhật kịp thời trạng thái hồ sơ.", lambda d: f"Quý I/{year + 1}"))
        ],
    )
    ahead = (
        min(today + dt.timedelta(days=14), dt.date(year, 12, 31))
        if year == today.year
        else dt.date(year, 12, 20)
    )
    inspect("Phường Biên Hòa", 1, Mode.ON_SITE, day=ahead)

    def remedy(finding: Finding, days_after_due: int) -> None:
        reporter = officers.get(finding.owner.code) or officers.get(finding.owner.name)
        reported_on = finding.due_date + dt.timedelta(days=days_after_due)
        if reporter is None or reported_on > today:
            return
        services.remediation_report(
            actor=reporter,
            finding=finding,
            text_="Đơn vị đã khắc phục; gửi kèm văn bản chứng minh.",
            files=[SimpleUploadedFile("van-ban-khac-phuc.pdf", PDF)],
            reported_on=reported_on,
        )
        services.remediation_accept(actor=coordinator, finding=finding, comment="Đạt yêu cầu.")

    first_stp, second_stp = list(stp.findings.order_by("position"))
    remedy(first_stp, -5)  # on time
    remedy(second_stp, 12)  # late
    remedy(skhcn.findings.get(), -10)  # on time
    del commune  # its finding stays past the deadline with nothing reported: the overdue list
    return plan
