"""Helpers for the dossier tests (no tests here): a procedure with three steps, a desk officer
of the public administration service centre, an applicant, and shortcuts to receive dossiers.

Each test module makes its own fixture from `make_world` so that imported fixtures are not
needed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.core.actors import SYSTEM
from cchc.core.models import AuditEntry
from cchc.dossiers import services
from cchc.dossiers.models import Dossier
from cchc.dossiers.personal import Applicant
from cchc.orgs.models import Role, Unit
from cchc.orgs.services import user_create
from cchc.procedures import services as procedure_services
from cchc.procedures.models import Level, OnlineMode, Procedure, TimeUnit

from .conftest import PASSWORD

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

APPLICANT = Applicant(
    name="Nguyễn Văn An",
    id_number="001090012345",
    phone="0912345678",
    email="an.nguyen@example.vn",
    address="12 Lê Lợi, Phường Biên Hòa, Tỉnh Đồng Nai",
)


def local(y, m, d, h=0, mi=0, s=0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, s, tzinfo=TZ)


def make_procedure(
    agency: Unit, *, code="1.001193", name="Thủ tục đăng ký khai sinh", steps=True, **extra
) -> Procedure:
    data = {
        "level": Level.PROVINCE,
        "processing_time": Decimal(5),
        "time_unit": TimeUnit.WORKING_DAY,
        "fee_amount": 50_000,
        "online_mode": OnlineMode.FULL,
    } | extra
    p = procedure_services.procedure_save(actor=SYSTEM, code=code, name=name, agency=agency, **data)
    if steps:
        for step_name, role, time in (
            ("Tiếp nhận, kiểm tra và chuyển hồ sơ", "Bộ phận một cửa", "0.5"),
            ("Thẩm định hồ sơ, dự thảo kết quả", "Chuyên viên phòng chuyên môn", "3.5"),
            ("Phê duyệt kết quả", "Lãnh đạo cơ quan", "1"),
        ):
            procedure_services.step_save(
                actor=SYSTEM, procedure=p, name=step_name, actor_role=role, time_allowed=time
            )
    for component in ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"):
        procedure_services.component_save(actor=SYSTEM, procedure=p, name=component)
    return p


@dataclass
class World:
    tree: object
    users: object
    agency: Unit  # Sở Tư pháp: handles the procedure
    desk: Unit  # Trung tâm Phục vụ hành chính công tỉnh: receives
    procedure: Procedure
    desk_officer: object
    signer: object = None  # leader of the agency: signs at B3 (the last step)

    def receive(self, *, at: dt.datetime | None = None, **kw) -> Dossier:
        args = {
            "actor": self.desk_officer,
            "procedure": self.procedure,
            "handling_unit": self.agency,
            "receiving_unit": self.desk,
            "channel": "truc_tiep",
            "applicant": APPLICANT,
            "received_at": at,
        } | kw
        return services.dossier_receive(**args)

    def performer(self, d: Dossier):
        """Who does the dossier's current step: B1 the desk, B2 the specialist, B3 the signer."""
        return {1: self.desk_officer, 2: self.users.officer, 3: self.signer}.get(d.current_step or 1)

    def to_last_step(self, d: Dossier, *, at: dt.datetime | None = None) -> Dossier:
        """Walk the dossier through its steps to the last one, each hand-over by the step's
        performer (B1 desk → B2 specialist → B3 the agency's leader)."""
        while d.steps and d.current_step is not None and d.current_step < len(d.steps):
            services.dossier_handover(actor=self.performer(d), dossier=d, to_step=d.current_step + 1, at=at)
        return d

    def decide(self, d: Dossier, *, granted: bool = True, at: dt.datetime | None = None, **kw) -> Dossier:
        """Take the dossier to its last step and record the result there, by the signer."""
        self.to_last_step(d, at=at)
        return services.dossier_decide(actor=self.signer, dossier=d, granted=granted, at=at, **kw)


def make_world(tree, users) -> World:
    agency = tree.agency("STP")
    desk = Unit.objects.get(code="P75.TTPVHCC")
    desk_officer = user_create(
        actor=SYSTEM,
        username="motcua.tinh",
        password=PASSWORD,
        full_name="Trần Thị Bình",
        email="motcua@dongnai.gov.vn",
        roles=[(desk, Role.OFFICER)],
    )
    signer = user_create(
        actor=SYSTEM,
        username="lanhdao.stp",
        password=PASSWORD,
        full_name="Phạm Văn Ký",
        roles=[(agency, Role.LEADER)],
    )
    return World(tree, users, agency, desk, make_procedure(agency), desk_officer, signer)


def working_days_ago(unit: Unit, days: float) -> dt.datetime:
    """The latest whole hour with `days` working days of the unit's calendar between it and now."""
    from django.utils import timezone

    from cchc.core.working_calendar import policy_for_unit

    policy, now = policy_for_unit(unit), timezone.now().astimezone(TZ)
    t = now.replace(minute=0, second=0, microsecond=0)
    while policy.working_time_between(t, now).total_seconds() < days * policy.hours.day_seconds:
        t -= dt.timedelta(hours=1)
    return t


def pdf(name="ket-qua.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n% ket qua giai quyet\n%%EOF\n", content_type="application/pdf"
    )


def trace(dossier: Dossier) -> tuple:
    """Everything a refused operation must leave untouched."""
    fresh = Dossier.objects.get(pk=dossier.pk)
    fields = {f.attname: getattr(fresh, f.attname) for f in Dossier._meta.concrete_fields}
    return (
        fields,
        fresh.events.count(),
        fresh.handovers.count(),
        fresh.payments.count(),
        AuditEntry.objects.count(),
    )
