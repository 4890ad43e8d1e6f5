"""Demo manual indicators for Đồng Nai: four definitions of the provincial CCHC office and the
reports of most agencies (and, for digital signatures, most communes) for this year's periods up
to now. Figures are cumulative from 15/12 like real CCHC reports, drawn from a generator seeded
by indicator, unit and period, so a given date always gives the same demo. Everything goes
through the services (audit log included); one report is corrected to show the history.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cchc.orgs.models import Membership, Role, Unit, UnitKind

from .models import Kind, ManualIndicator, Periodicity
from .periods import current_period, open_periods
from .rollup import scope_units
from .services import definition_create, report_save


@dataclass(frozen=True)
class DemoDefinition:
    code: str
    name: str
    kind: str
    unit_kinds: tuple[str, ...]
    guidance: str
    numerator_label: str = ""
    denominator_label: str = ""
    unit_of_measure: str = ""


TRAINED = DemoDefinition(
    "ty-le-cbcc-boi-duong-cchc",
    "Tỷ lệ cán bộ, công chức được bồi dưỡng kiến thức CCHC",
    Kind.RATIO,
    (UnitKind.AGENCY,),
    "Cán bộ, công chức của đơn vị đã tham gia ít nhất một lớp bồi dưỡng, tập huấn kiến thức, kỹ năng "
    "về cải cách hành chính, chuyển đổi số trong năm (lũy kế từ 15/12 năm trước). Mẫu số là biên chế "
    "có mặt tại thời điểm báo cáo. Tài liệu kiểm chứng: quyết định cử đi học, danh sách học viên.",
    numerator_label="Số cán bộ, công chức được bồi dưỡng",
    denominator_label="Tổng số cán bộ, công chức của đơn vị",
)
INSPECTIONS = DemoDefinition(
    "so-cuoc-kiem-tra-cchc",
    "Số cuộc kiểm tra công tác CCHC",
    Kind.COUNT,
    (UnitKind.AGENCY,),
    "Số cuộc kiểm tra công tác cải cách hành chính đơn vị đã thực hiện tại các phòng, đơn vị trực thuộc "
    "hoặc tham gia đoàn kiểm tra của tỉnh, có kết luận hoặc thông báo kết quả kiểm tra (lũy kế trong năm).",
    unit_of_measure="cuộc",
)
SIGNED = DemoDefinition(
    "ty-le-van-ban-ky-so",
    "Tỷ lệ văn bản được ký số",
    Kind.RATIO,
    (UnitKind.AGENCY, UnitKind.COMMUNE),
    "Văn bản đi phát hành trên hệ thống quản lý văn bản và điều hành có chữ ký số của người có thẩm "
    "quyền và của cơ quan (trừ văn bản mật), lũy kế từ 15/12 năm trước đến hết kỳ báo cáo.",
    numerator_label="Số văn bản đi được ký số",
    denominator_label="Tổng số văn bản đi (trừ văn bản mật)",
)
ELECTRONIC = DemoDefinition(
    "ty-le-van-ban-xu-ly-dien-tu",
    "Tỷ lệ văn bản, hồ sơ công việc được xử lý trên môi trường điện tử",
    Kind.RATIO,
    (UnitKind.AGENCY, UnitKind.COMMUNE),
    "Văn bản đến, văn bản đi và hồ sơ công việc được tiếp nhận, xử lý, lưu trữ trên hệ thống quản lý "
    "văn bản và điều hành (trừ văn bản mật), lũy kế từ 15/12 năm trước đến hết kỳ báo cáo. Đo chỉ tiêu "
    "“100% văn bản, hồ sơ công việc được xử lý trên môi trường điện tử” của kế hoạch CCHC.",
    numerator_label="Số văn bản, hồ sơ công việc xử lý trên môi trường điện tử",
    denominator_label="Tổng số văn bản, hồ sơ công việc (trừ văn bản mật)",
)
DEFINITIONS = (TRAINED, INSPECTIONS, SIGNED, ELECTRONIC)
PART_INDEX = {"Q1": 0, "H1": 1, "9M": 2, "Y": 3}
SHARE_REPORTING_PAST = 0.9  # most units have reported the periods whose report is due
SHARE_REPORTING_CURRENT = 0.35  # and some already the one due next


def _quarters(definition: DemoDefinition, unit: Unit, year: int) -> list[tuple[int, int]]:
    """Cumulative (numerator, denominator) — or (count, 0) — at the end of each quarter."""
    rng = random.Random(f"{definition.code}:{unit.code}:{year}")
    big = unit.kind == UnitKind.AGENCY
    out = []
    if definition is TRAINED:
        staff = rng.randint(45, 420) if big else rng.randint(18, 40)
        trained = 0
        for share in (
            rng.uniform(0.1, 0.3),
            rng.uniform(0.15, 0.3),
            rng.uniform(0.1, 0.25),
            rng.uniform(0.1, 0.3),
        ):
            trained = min(staff, trained + round(staff * share))
            out.append((trained, staff))
    elif definition is INSPECTIONS:
        done = 0
        for _ in range(4):
            done += rng.choice((0, 0, 1, 1, 1, 2, 3))
            out.append((done, 0))
    else:  # documents: signed digitally, or handled electronically (a little higher)
        low = 0.86 if definition is SIGNED else 0.93
        signed = issued = 0
        for _ in range(4):
            n = rng.randint(400, 2600) if big else rng.randint(150, 700)
            issued += n
            signed += round(n * rng.uniform(low, 0.995))
            out.append((signed, issued))
    return out


def _reporter(unit: Unit, officers: dict[int, object], coordinator):
    return officers.get(unit.pk, coordinator)


@transaction.atomic
def load_demo(province: Unit, coordinator_user, *, today: dt.date | None = None) -> dict:
    """Create the three definitions (once) and their reports; returns what was created."""
    today = today or timezone.localdate()
    officers: dict[int, object] = {}
    for m in (
        Membership.objects.filter(role=Role.OFFICER, unit__path__startswith=province.path)
        .select_related("user")
        .order_by("id")
    ):
        officers.setdefault(m.unit_id, m.user)
    created = {"definitions": 0, "reports": 0, "corrections": 0}
    for spec in DEFINITIONS:
        definition = ManualIndicator.objects.filter(unit=province, code=spec.code).first()
        if definition is not None:
            continue
        definition = definition_create(
            actor=coordinator_user,
            unit=province,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            periodicity=Periodicity.QUARTER,
            guidance=spec.guidance,
            numerator_label=spec.numerator_label,
            denominator_label=spec.denominator_label,
            unit_of_measure=spec.unit_of_measure,
            unit_kinds=list(spec.unit_kinds),
        )
        created["definitions"] += 1
        current = current_period(definition.periodicity, today).key
        periods = [p for p in open_periods(definition.periodicity, today, years=1) if p.year == today.year]
        for period in sorted(periods, key=lambda p: p.end):
            share = SHARE_REPORTING_CURRENT if period.key == current else SHARE_REPORTING_PAST
            part = PART_INDEX[period.part]
            for unit in scope_units(definition, period).order_by("path"):
                # seeded with the period as it was spelled before "BC-": the same demo figures
                seed = f"{spec.code}:{unit.code}:{period.year}-{period.part}"
                if random.Random(seed).random() >= share:
                    continue
                first, second = _quarters(spec, unit, today.year)[part]
                figures = (
                    {"value": first}
                    if spec.kind == Kind.COUNT
                    else {"numerator": first, "denominator": second}
                )
                report_save(
                    actor=_reporter(unit, officers, coordinator_user),
                    definition=definition,
                    unit=unit,
                    period=period.key,
                    note="Số liệu tổng hợp từ hệ thống quản lý văn bản và điều hành."
                    if spec in (SIGNED, ELECTRONIC)
                    else "",
                    **figures,
                )
                created["reports"] += 1
        created["corrections"] += _correct_one(definition, spec, coordinator_user, officers)
    return created


def _correct_one(definition: ManualIndicator, spec: DemoDefinition, coordinator, officers) -> int:
    """Sở Tư pháp finds documents its office signed but had not counted, and corrects quý I."""
    if spec is not SIGNED:
        return 0
    report = definition.reports.filter(unit__code__endswith=".STP", period__endswith="-Q1").first()
    if report is None:
        return 0
    report_save(
        actor=_reporter(report.unit, officers, coordinator),
        definition=definition,
        unit=report.unit,
        period=report.period,
        numerator=min(report.denominator, report.numerator + 37),
        denominator=report.denominator,
        note="Điều chỉnh: bổ sung 37 văn bản ký số của Văn phòng Sở chưa được thống kê.",
    )
    return 1
