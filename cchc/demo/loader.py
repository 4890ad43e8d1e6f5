"""The demo province: Đồng Nai (which since 1/7/2025 includes the former Bình Phước).

Loads the administrative units, Đồng Nai's agencies, users for every role, the provincial
annual CCHC plan for the current year — the targets and tasks of Bình Phước's 2023 plan
(data/ubnd-binhphuoc-2023.expected.json), moved to this year and resolved to today's units —
issued, with a year's progress in every state. Everything goes through the services, so the
demo also fills the audit log as real use would. Deterministic for a given date.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from cchc.core.actors import SYSTEM
from cchc.core.numbers import format_count
from cchc.dossiers.imports import dossiers_import
from cchc.evaluation.demo import load_demo as load_par_demo
from cchc.exchange.generate import generate_files
from cchc.index766.demo import load_demo_facts as load_766_facts
from cchc.indicators.rebuild import rebuild as rebuild_indicators
from cchc.inspections.demo import load_demo as load_inspection_demo
from cchc.manual_indicators.demo import load_demo as load_manual_demo
from cchc.orgs.models import Role, Unit, UnitKind, User
from cchc.orgs.resolve import UnitResolver, resolved_units
from cchc.orgs.services import province_agencies_create, unit_create, units_load_administrative, user_create
from cchc.plans import services as plan_services
from cchc.plans.models import Plan, PlanKind
from cchc.procedures.demo import load_demo_catalogue
from cchc.reports.demo import load_demo as load_reports_demo
from cchc.surveys.demo import load_demo as load_survey_demo
from cchc.targets.demo import bind_demo_targets
from cchc.tracking.models import Assignment
from cchc.tracking.services import progress_post

from .desk import load_desk_demo
from .desk_steps import load_steps_demo

DATA = Path(__file__).parent / "data"
SOURCE_PLAN = DATA / "ubnd-binhphuoc-2023.expected.json"
SOURCE_YEAR = 2023
DEMO_PASSWORD = "DongNai@2026"
PROVINCE_CODE = "P75"
DEMO_DOSSIERS = 30_000  # about a month and a half of a real province's volume: enough for every figure
FORMER_PROVINCE_CODE = "P70-2025"

# Bình Phước's districts, kept as historical units (district level abolished on 1/7/2025).
FORMER_DISTRICTS = [
    "Thành phố Đồng Xoài",
    "Thị xã Bình Long",
    "Thị xã Phước Long",
    "Thị xã Chơn Thành",
    "Huyện Bù Đăng",
    "Huyện Bù Đốp",
    "Huyện Bù Gia Mập",
    "Huyện Đồng Phú",
    "Huyện Hớn Quản",
    "Huyện Lộc Ninh",
    "Huyện Phú Riềng",
]

# Lead bodies the source names by function rather than by name: the decision a coordinator
# would take when entering the plan (the importer flags them for exactly this reason).
LEAD_DECISIONS = {"2": ["Các sở, ban, ngành tỉnh"]}


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    position: str
    roles: tuple[tuple[str, str], ...]  # (unit code, role)
    superuser: bool = False


USERS = [
    DemoUser("quantri", "Phạm Quốc Huy", "Quản trị hệ thống, Sở Khoa học và Công nghệ", (), superuser=True),
    DemoUser(
        "dieuphoi",
        "Nguyễn Thị Thu Hà",
        "Chuyên viên Phòng CCHC, Sở Nội vụ",
        ((PROVINCE_CODE, Role.COORDINATOR), (f"{PROVINCE_CODE}.SNV", Role.OFFICER)),
    ),
    DemoUser("lanhdao", "Võ Văn Minh", "Phó Chủ tịch UBND tỉnh", ((PROVINCE_CODE, Role.LEADER),)),
    DemoUser(
        "canbo.tuphap",
        "Lê Hoàng Nam",
        "Chuyên viên Văn phòng Sở Tư pháp",
        ((f"{PROVINCE_CODE}.STP", Role.OFFICER),),
    ),
    DemoUser(
        "canbo.khcn",
        "Trần Minh Tuấn",
        "Chuyên viên Sở Khoa học và Công nghệ",
        ((f"{PROVINCE_CODE}.SKHCN", Role.OFFICER),),
    ),
    DemoUser(
        "canbo.dongxoai",
        "Đặng Thị Lan",
        "Công chức Văn phòng HĐND và UBND phường Đồng Xoài",
        (("commune:Phường Đồng Xoài", Role.OFFICER),),
    ),
    DemoUser(
        "canbo.bienhoa",
        "Huỳnh Văn Phúc",
        "Công chức Văn phòng HĐND và UBND phường Biên Hòa",
        (("commune:Phường Biên Hòa", Role.OFFICER),),
    ),
    DemoUser(
        "motcua",
        "Ngô Thị Mai",
        "Chuyên viên Trung tâm Phục vụ hành chính công tỉnh (bộ phận một cửa)",
        ((f"{PROVINCE_CODE}.TTPVHCC", Role.OFFICER),),
    ),
    DemoUser(
        "lanhdao.dongxoai",
        "Bùi Thanh Sơn",
        "Chủ tịch UBND phường Đồng Xoài",
        (("commune:Phường Đồng Xoài", Role.LEADER),),
    ),
]

NARRATIVES = [
    "Đã ban hành kế hoạch triển khai tại đơn vị; phân công công chức phụ trách.",
    "Đã tổ chức hội nghị quán triệt, triển khai đến toàn thể cán bộ, công chức.",
    "Đang rà soát, tổng hợp kết quả; dự kiến hoàn thành đúng tiến độ.",
    "Đã thực hiện trong kỳ; kết quả được cập nhật trên phần mềm quản lý văn bản.",
    "Đã gửi báo cáo kết quả về Sở Nội vụ để tổng hợp.",
    "Tiếp tục triển khai; một số nội dung chờ hướng dẫn của cơ quan cấp trên.",
]


def _shift_years(text: str | None, year: int) -> str:
    if not text:
        return ""
    delta = year - SOURCE_YEAR
    for y in (SOURCE_YEAR + 1, SOURCE_YEAR, SOURCE_YEAR - 1):  # highest first: no double shift
        text = text.replace(str(y), f"@{y + delta}@")
    text = text.replace("@", "").replace("Bình Phước", "Đồng Nai")
    # The district level no longer exists: a plan written today names the communes.
    for old in ("UBND cấp huyện và UBND cấp xã", "UBND cấp huyện, UBND cấp xã", "UBND cấp huyện"):
        text = text.replace(old, "UBND cấp xã")
    return text.replace(
        "UBND các huyện, thị xã, thành phố; UBND các xã, phường, thị trấn", "UBND các xã, phường"
    ).replace("UBND các huyện, thị xã, thành phố", "UBND các xã, phường")


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _minimal_pdf(title: str) -> bytes:
    """A small, valid one-page PDF standing in for a scanned evidence document."""
    text = title.encode("ascii", "replace")[:60].replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _unit(code: str, province: Unit) -> Unit:
    if code.startswith("commune:"):
        return Unit.objects.get(parent=province, kind=UnitKind.COMMUNE, name=code.split(":", 1)[1])
    return Unit.objects.get(code=code)


# The dossier a reader of the README can look up at /tra-cuu/ (its code and these phone digits
# are printed by `cchc demo`): received at the province's one-stop centre by the demo's desk
# officer, through the same service as at the counter.
SAMPLE_APPLICANT = {
    "name": "Trần Thị Hoa",
    "id_number": "075190001234",
    "phone": "0912345678",
    "address": "25 Phan Chu Trinh, Phường Đồng Xoài, Tỉnh Đồng Nai",
}


def _receive_lookup_sample(desk_officer: User, province: Unit, *, today: dt.date) -> None:
    from cchc.dossiers import services as dossier_services
    from cchc.dossiers.personal import Applicant
    from cchc.procedures.models import Procedure

    agency = Unit.objects.get(code=f"{PROVINCE_CODE}.STP")
    procedure = (
        Procedure.objects.filter(agency=agency, valid_to__isnull=True, processing_time__isnull=False)
        .order_by("code", "id")
        .first()
    )
    if procedure is None:
        return
    # A fixed morning of the year (the code carries the date), or now early in January.
    fixed = timezone.make_aware(dt.datetime(today.year, 1, 6, 9, 30))
    dossier_services.dossier_receive(
        actor=desk_officer,
        procedure=procedure,
        handling_unit=agency,
        receiving_unit=Unit.objects.get(code=f"{PROVINCE_CODE}.TTPVHCC"),
        channel="truc_tiep",
        applicant=Applicant(
            name=SAMPLE_APPLICANT["name"],
            id_number=SAMPLE_APPLICANT["id_number"],
            phone=SAMPLE_APPLICANT["phone"],
            address=SAMPLE_APPLICANT["address"],
        ),
        received_at=min(fixed, timezone.now()),
    )


def lookup_sample() -> tuple[str, str] | None:
    """(dossier code, last 4 phone digits) of the demo's sample dossier, if the demo has one."""
    from cchc.dossiers.models import Dossier

    code = (
        Dossier.objects.filter(applicant_phone=SAMPLE_APPLICANT["phone"])
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    return (code, SAMPLE_APPLICANT["phone"][-4:]) if code else None


def demo_exists() -> bool:
    return Plan.objects.filter(
        issuer__code=PROVINCE_CODE, title__startswith="Kế hoạch cải cách hành chính nhà nước năm"
    ).exists()


@transaction.atomic
def load_demo(*, today: dt.date | None = None, log=print, dossiers: int = DEMO_DOSSIERS) -> dict:
    today = today or timezone.localdate()
    year = today.year
    log("Nạp đơn vị hành chính (34 tỉnh, 3.321 xã và các tỉnh cũ)…")
    units_load_administrative(actor=SYSTEM)
    province = Unit.objects.get(code=PROVINCE_CODE)
    log(f"Tạo các cơ quan chuyên môn của {province.name}…")
    province_agencies_create(actor=SYSTEM, province=province)
    former = Unit.objects.get(code=FORMER_PROVINCE_CODE)
    for i, name in enumerate(FORMER_DISTRICTS, start=1):
        code = f"{FORMER_PROVINCE_CODE}.D{i:02d}"
        if not Unit.objects.filter(code=code).exists():
            unit_create(
                actor=SYSTEM,
                name=name,
                kind=UnitKind.DISTRICT,
                parent=former,
                code=code,
                valid_to=dt.date(2025, 6, 30),
                successor=province,
            )

    log("Nạp danh mục thủ tục hành chính của tỉnh…")
    load_demo_catalogue(province=province, actor=SYSTEM)

    log(f"Sinh hồ sơ một cửa năm {today.year} đến hôm nay…")
    as_of = (
        timezone.now()
        if today >= timezone.localdate()
        else timezone.make_aware(dt.datetime.combine(today, dt.time(17)))
    )
    dossier_report = _load_dossiers(year=today.year, count=dossiers, as_of=as_of)
    log("Tính số liệu chỉ số hồ sơ theo đơn vị và kỳ…")
    rebuild_indicators()

    log("Tạo người dùng…")
    users: dict[str, User] = {}
    for du in USERS:
        user = User.objects.filter(username=du.username).first()
        if user is None:
            user = user_create(
                actor=SYSTEM,
                username=du.username,
                password=DEMO_PASSWORD,
                full_name=du.full_name,
                email=f"{du.username}@dongnai.gov.vn",  # reminders go to the console backend in the demo
                position=du.position,
                roles=[(_unit(code, province), role) for code, role in du.roles],
            )
            if du.superuser:
                user.is_superuser = user.is_staff = True
                user.save(update_fields=["is_superuser", "is_staff"])
        users[du.username] = user
    coordinator = users["dieuphoi"]
    log("Hồ sơ đang xử lý ở bộ phận một cửa phường Đồng Xoài (B1, B2, chờ ký, bị trả lại)…")
    step_dossiers = load_steps_demo(_unit("commune:Phường Đồng Xoài", province), users, as_of=as_of)

    log(f"Tạo kế hoạch CCHC năm {year} của tỉnh từ kế hoạch mẫu…")
    source = json.loads(SOURCE_PLAN.read_text(encoding="utf-8"))
    plan = plan_services.plan_create(
        actor=coordinator,
        issuer=province,
        kind=PlanKind.ANNUAL,
        from_year=year,
        to_year=year,
        number="12/KH-UBND",
        issued_on=dt.date(year, 1, 10),
        title=f"Kế hoạch cải cách hành chính nhà nước năm {year} của tỉnh Đồng Nai",
        summary=(
            "Triển khai đồng bộ, hiệu quả các nhiệm vụ cải cách hành chính theo Nghị quyết 76/NQ-CP; "
            "gắn trách nhiệm người đứng đầu; nâng cao Chỉ số CCHC, SIPAS, Chỉ số phục vụ người dân, doanh nghiệp của tỉnh."
        ),
    )
    for t in source["targets"]:
        plan_services.target_save(
            actor=coordinator,
            plan=plan,
            text=_shift_years(t["text"], year),
            area=t["area"] or "",
            comparator=t["comparator"],
            value=t["value"],
            unit_of_measure=t["unit"] or "",
            year=year,
            reduction=bool(t.get("reduction")),
            section=_shift_years(t.get("section"), year),
        )
    resolver = UnitResolver(province)
    unresolved: list[str] = []
    for t in source["tasks"]:
        lead_phrases = _dedupe([_shift_years(x, year) for x in t["lead"]])
        coord_phrases = _dedupe([_shift_years(x, year) for x in t["coordinating"]])
        leads = resolved_units(resolver.resolve_many(LEAD_DECISIONS.get(t["stt"], lead_phrases)))
        coords = [u for u in resolved_units(resolver.resolve_many(coord_phrases)) if u not in leads]
        unresolved += [
            r.phrase for r in resolver.resolve_many(lead_phrases + coord_phrases) if r.how == "unresolved"
        ]
        plan_services.task_save(
            actor=coordinator,
            plan=plan,
            number=t["stt"],
            area=t["area"],
            group=t.get("group") or "",
            content=_shift_years(t["content"], year),
            output=_shift_years(t.get("output"), year),
            note=t.get("note") or "",
            lead_text="; ".join(lead_phrases),
            coordinating_text="; ".join(coord_phrases),
            deadline_text=_shift_years(t["deadline"], year),
            lead_units=leads,
            coordinating_units=coords,
        )
    plan_services.plan_issue(actor=coordinator, plan=plan, issued_on=dt.date(year, 1, 10))

    log("Tạo tiến độ thực hiện của các đơn vị…")
    counts = _simulate_progress(plan=plan, users=users, today=today)

    log("Nhập số liệu báo cáo thủ công của các đơn vị (chỉ số không có trong hệ thống)…")
    load_manual_demo(province, coordinator, today=today)
    # After the manual indicators: one of them measures a target of the plan.
    log("Gắn chỉ tiêu của kế hoạch với chỉ số đo được…")
    bind_demo_targets(plan, coordinator)
    # After the users: the demo's feedback is handled by the province's coordinator.
    log("Dữ kiện và điểm Chỉ số 766 (công khai, đồng bộ, VNeID, phản ánh kiến nghị)…")
    load_766_facts(province, today=today)
    log("Bộ Chỉ số CCHC của sở, ngành và xã; kết quả năm trước, đợt tự đánh giá năm nay…")
    load_par_demo(province, coordinator, users, today=today)
    log("Kế hoạch kiểm tra công tác CCHC, các cuộc kiểm tra và việc khắc phục…")
    load_inspection_demo(province, coordinator, users, today=today)

    log("Báo cáo định kỳ quý trước của một số đơn vị (đã gửi, đã tiếp nhận, bị trả lại)…")
    load_reports_demo(province, users, today=today)

    log("Một buổi tiếp nhận tại Sở Tư pháp: thành phần hồ sơ, phí, lệ phí đã nộp và chưa nộp…")
    desk_dossiers = load_desk_demo(province, users["canbo.tuphap"], as_of=as_of)

    log("Khảo sát sự hài lòng (SIPAS): đợt quý IV năm trước và 6 tháng đầu năm nay…")
    load_survey_demo(province, coordinator, today=today)
    log("Hồ sơ mẫu để người dân tra cứu (mã hồ sơ và số điện thoại in dưới đây)…")
    _receive_lookup_sample(users["motcua"], province, today=today)
    log(
        f"Xong: {format_count(plan.tasks.count())} nhiệm vụ, {format_count(counts['assignments'])} lượt giao, "
        f"{format_count(counts['updates'])} cập nhật tiến độ, "
        f"{format_count(dossier_report.created + desk_dossiers + len(step_dossiers) + 1)} hồ sơ một cửa."
    )
    return {
        "plan": plan,
        "unresolved": sorted(set(unresolved)),
        "dossiers": dossier_report.created,
        "desk_dossiers": desk_dossiers,
        "step_dossiers": step_dossiers,
        **counts,
    }


def _load_dossiers(*, year: int, count: int, as_of: dt.datetime):
    """A year of one-stop dossiers from the generator (docs/dossier-generator.md), as they stand
    now: the generated year runs to 31/12, so what lies after this moment is cut off."""
    with tempfile.TemporaryDirectory(prefix="cchc-demo-") as tmp:
        path = Path(tmp) / "dossiers.csv"
        generate_files(
            count=count, seed=f"demo-{year}", out=str(path), province=PROVINCE_CODE, year=year, jobs=1
        )
        # codes of the generator's catalogue missing from the demo catalogue are skipped (~1 %)
        return dossiers_import(actor=SYSTEM, path=path, as_of_time=as_of)


def _simulate_progress(*, plan: Plan, users: dict[str, User], today: dt.date) -> dict:
    """A year of reporting: most units on time, some late, some silent since last quarter."""
    rng = random.Random(f"cchc-demo-{today.year}")
    start = plan.issued_on + dt.timedelta(days=20)
    reporter = users["dieuphoi"]  # coordinators may post on behalf of units; officers post their own
    officer_for = {
        m.unit_id: u for u in users.values() for m in u.memberships.all() if m.role == Role.OFFICER
    }
    assignments = list(
        Assignment.objects.select_related("task", "unit").order_by("task__position", "unit__name")
    )
    updates = 0
    for a in assignments:
        due = a.task.final_due
        horizon = min(today, due + dt.timedelta(days=40)) if due and due < today else today
        if horizon <= start:
            continue
        roll = rng.random()
        if due and due < today:  # deadline passed: on time, late, or still open
            final_percent = 100 if roll < 0.72 else rng.choice([30, 50, 70, 80])
            late = 0.6 <= roll < 0.72
        else:
            final_percent = (
                100 if roll < 0.18 else (0 if roll > 0.85 else rng.choice([20, 40, 50, 60, 75, 90]))
            )
            late = False
        if final_percent == 0:
            continue
        n = rng.randint(1, 4)
        span = (horizon - start).days
        silent = rng.random() < 0.2  # has not reported this period
        last = start + dt.timedelta(days=int(span * (0.55 if silent else 1.0)))
        if due and final_percent == 100 and not late:
            last = min(last, due)
        elif due and late:
            last = due + dt.timedelta(days=rng.randint(3, 30))
            last = min(last, today)
        dates = sorted(
            start + dt.timedelta(days=rng.randint(0, max(0, (last - start).days))) for _ in range(n - 1)
        ) + [last]
        percents = sorted(rng.randint(10, max(10, final_percent - 5)) for _ in range(n - 1)) + [final_percent]
        actor = officer_for.get(a.unit_id, reporter)
        for i, (day, pct) in enumerate(zip(dates, percents, strict=True)):
            files = []
            if pct == 100 or (i == n - 1 and rng.random() < 0.3):
                files = [
                    SimpleUploadedFile(
                        f"Bao-cao-ket-qua-nhiem-vu-{a.task.number}.pdf",
                        _minimal_pdf(f"Bao cao nhiem vu {a.task.number} - {a.unit.code}"),
                    )
                ]
            progress_post(
                actor=actor,
                assignment=a,
                percent=pct,
                narrative=rng.choice(NARRATIVES),
                reported_on=day,
                files=files,
            )
            updates += 1
    return {"assignments": len(assignments), "updates": updates}
