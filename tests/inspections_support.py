"""A province's inspection plan of 2025 for the inspection tests: Sở Nội vụ's coordinator (the
`coordinator` of tests/conftest.py) inspects Sở Tư pháp and a commune; the team is led by the
coordinator with Sở Nội vụ's officer as secretary."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.core.actors import SYSTEM
from cchc.inspections import services
from cchc.inspections.models import Inspection, InspectionPlan, Kind, Mode, TeamRole, Verdict
from cchc.orgs.models import Role
from cchc.orgs.services import user_create

from .conftest import PASSWORD

YEAR = 2025


def pdf(name: str = "bien-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 bien ban kiem tra", content_type="application/pdf")


def make_plan(tree, users) -> InspectionPlan:
    return services.plan_create(
        actor=users.coordinator,
        unit=tree.province,
        year=YEAR,
        title=f"Kế hoạch kiểm tra công tác cải cách hành chính năm {YEAR}",
        number="15/KH-SNV",
        issued_on=dt.date(YEAR, 1, 20),
    )


def team_user(tree):
    """A Sở Nội vụ officer named as the team's secretary (no other role)."""
    return user_create(
        actor=SYSTEM,
        username="thuky.snv",
        password=PASSWORD,
        full_name="Trần Thư Ký",
        email="thuky@snv.example.vn",
        roles=[(tree.agency("SNV"), Role.OFFICER)],
    )


def make_inspection(
    tree, users, plan, unit, *, day=dt.date(YEAR, 5, 12), mode=Mode.ON_SITE, kind=Kind.PLANNED, secretary=None
) -> Inspection:
    inspection = services.inspection_add(
        actor=users.coordinator, plan=plan, unit=unit, start_date=day, end_date=day, mode=mode, kind=kind
    )
    team = [(users.coordinator, TeamRole.LEAD)] + ([(secretary, TeamRole.SECRETARY)] if secretary else [])
    services.team_set(actor=users.coordinator, inspection=inspection, members=team)
    return inspection


def conduct(users, inspection, *, fail_positions=(1,), deadline=f"Quý III/{YEAR}", actor=None) -> Inspection:
    """Start, record every result (the given positions "chưa đạt", each with a finding), conclude."""
    actor = actor or users.coordinator
    services.inspection_start(actor=actor, inspection=inspection)
    results = list(inspection.results.all())
    services.results_save(
        actor=actor,
        inspection=inspection,
        results={
            r.pk: (Verdict.FAIL if r.position in fail_positions else Verdict.PASS, "Đã xem hồ sơ.")
            for r in results
        },
    )
    for r in results:
        if r.position in fail_positions:
            if r.position == fail_positions[0]:
                services.result_evidence_add(actor=actor, result=r, files=[pdf()])
            services.finding_add(
                actor=actor,
                inspection=inspection,
                result=r,
                content=f"Nội dung {r.position} chưa thực hiện đầy đủ.",
                requirement="Khắc phục và báo cáo kết quả.",
                deadline=deadline,
            )
    return services.inspection_conclude(
        actor=users.coordinator,
        inspection=inspection,
        summary="Đơn vị cơ bản thực hiện tốt công tác CCHC.",
        number="20/TB-SNV",
        concluded_on=inspection.end_date,
    )
