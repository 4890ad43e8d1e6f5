"""Inspection figures as indicator sources (`kiem_tra:*`), checked against expectations computed
by hand from a small year of inspections, and targets bound to them getting a status like any
other ("Từ 30% trở lên cơ quan, đơn vị được kiểm tra", "100% tồn tại được khắc phục",
"02 cuộc/năm", "50% hoạt động kiểm tra trực tuyến")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cchc.core.actors import SYSTEM
from cchc.core.indicator_sources import check_bindable, format_value, readings, source_of
from cchc.inspections import services
from cchc.inspections.models import Kind, Mode
from cchc.orgs.data.agencies import PROVINCIAL_AGENCIES
from cchc.orgs.models import Unit
from cchc.plans import services as plan_services
from cchc.plans.models import Target
from cchc.targets.services import target_bind
from cchc.targets.status import MET, NOT_MET, target_status

from .conftest import raises_code
from .inspections_support import YEAR, conduct, make_inspection, make_plan

D = dt.date


@pytest.fixture
def year(tree, users):
    """2025 in the province (inspection date, mode, state; findings: due → remedied):

    A  Sở Tư pháp    12/05  online   concluded  30/09/2025 → reported 10/09 (on time)
    B  Sở Công Thương 13/05  on site  concluded  30/06/2025 → reported 03/07 (late)
    C  commune 1     03/06  online   concluded  30/09/2025 → still open (overdue)
                                                31/03/2026 → reported 15/12/2025 (early)
    D  commune 2     10/11  on site  planned, never carried out (does not count)
    E  Sở Tư pháp    20/08  online   one-stop spot check, under way (counts; no finding)
    F  Sở Nội vụ inspects its Phòng CCHC, 02/04, on site, under way (Sở Nội vụ's own plan)
    """
    plan = make_plan(tree, users)
    stp, sct = tree.agency("STP"), tree.agency("SCT")
    a = conduct(users, make_inspection(tree, users, plan, stp, day=D(YEAR, 5, 12), mode=Mode.ONLINE))
    b = conduct(
        users, make_inspection(tree, users, plan, sct, day=D(YEAR, 5, 13)), deadline="trước ngày 30/6/2025"
    )
    c_inspection = make_inspection(tree, users, plan, tree.communes[0], day=D(YEAR, 6, 3), mode=Mode.ONLINE)
    c = conduct(users, c_inspection, fail_positions=(1, 2), deadline="trong tháng 9/2025")
    make_inspection(tree, users, plan, tree.communes[1], day=D(YEAR, 11, 10))
    e = make_inspection(tree, users, plan, stp, day=D(YEAR, 8, 20), mode=Mode.ONLINE, kind=Kind.ONE_STOP)
    services.inspection_start(actor=users.coordinator, inspection=e)
    snv = tree.agency("SNV")
    own = services.plan_create(
        actor=users.coordinator, unit=snv, year=YEAR, title="Kế hoạch kiểm tra của Sở Nội vụ"
    )
    f = make_inspection(tree, users, own, Unit.objects.get(code="P75.SNV.CCHC"), day=D(YEAR, 4, 2))
    services.inspection_start(actor=users.coordinator, inspection=f)

    def remedy(finding, officer, day):
        services.remediation_report(actor=officer, finding=finding, text_="Đã khắc phục.", reported_on=day)
        services.remediation_accept(actor=users.coordinator, finding=finding)

    remedy(a.findings.get(), users.officer, D(YEAR, 9, 10))
    remedy(b.findings.get(), users.officer_other, D(YEAR, 7, 3))
    late_one = c.findings.get(position=2)
    late_one.deadline_text, late_one.due_date = "Quý I/2026", D(2026, 3, 31)  # as if written so
    late_one.save()
    remedy(late_one, users.commune_officer, D(YEAR, 12, 15))
    return plan


def figure(code, unit, key):
    return readings(code, unit, [key])[key]


def test_the_figures_by_hand(tree, year):
    province, snv = tree.province, tree.agency("SNV")
    units = len(PROVINCIAL_AGENCIES) + 3  # the province's current agencies and its three communes
    share = figure("kiem_tra:ty_le_don_vi", province, "2025")
    assert (share.numerator, share.denominator) == (3, units)  # STP, SCT, commune 1
    assert share.value == (Decimal(300) / units).quantize(Decimal("0.01"))
    assert figure("kiem_tra:ty_le_don_vi", snv, "2025").value == Decimal("100.00")  # its one department
    assert figure("kiem_tra:ty_le_don_vi", tree.agency("STP"), "2025").value is None  # no units under it
    assert figure("kiem_tra:ty_le_don_vi", province, "2025-Q2") == figure(
        "kiem_tra:ty_le_don_vi", province, "2025"
    )

    count = figure("kiem_tra:so_cuoc", province, "2025")
    assert count.value == 5  # A, B, C, E and Sở Nội vụ's own F; D never carried out
    assert figure("kiem_tra:so_cuoc", snv, "2025").value == 1
    assert figure("kiem_tra:so_cuoc", province, "2025-05").value == 2
    assert figure("kiem_tra:so_cuoc", province, "2024").value == 0

    online = figure("kiem_tra:truc_tuyen", province, "2025")
    assert (online.numerator, online.denominator, online.value) == (3, 5, Decimal("60.00"))

    on_time = figure("kiem_tra:khac_phuc_dung_han", province, "2025")
    assert (on_time.numerator, on_time.denominator, on_time.value) == (1, 3, Decimal("33.33"))
    q3 = figure("kiem_tra:khac_phuc_dung_han", province, "2025-Q3")
    assert (q3.numerator, q3.denominator) == (1, 2)
    assert figure("kiem_tra:khac_phuc_dung_han", province, "2026").value == Decimal("100.00")  # closed early
    commune = figure("kiem_tra:khac_phuc_dung_han", tree.communes[0], "2025")
    assert (commune.numerator, commune.denominator) == (0, 1)
    assert figure("kiem_tra:khac_phuc_dung_han", province, "BC-2025-Y").value is None  # calendar periods only


def test_the_codes_are_named_and_checked(tree, year):
    assert source_of("kiem_tra:so_cuoc").name == "Số cuộc kiểm tra công tác CCHC"
    assert format_value(source_of("kiem_tra:truc_tuyen"), Decimal("60")) == "60,00%"
    check_bindable("kiem_tra:ty_le_don_vi", tree.province)
    with raises_code("indicator_code_invalid"):
        source_of("kiem_tra:khong_co")


@pytest.mark.parametrize(
    "text, comparator, value, code, status",
    [
        (
            "Từ 30% trở lên cơ quan, đơn vị thuộc tỉnh được kiểm tra công tác CCHC",
            ">=",
            30,
            "kiem_tra:ty_le_don_vi",
            NOT_MET,
        ),
        (
            "100% các tồn tại, hạn chế qua kiểm tra được khắc phục",
            "=",
            100,
            "kiem_tra:khac_phuc_dung_han",
            NOT_MET,
        ),
        ("Kiểm tra công tác CCHC tối thiểu 02 cuộc/năm", ">=", 2, "kiem_tra:so_cuoc", MET),
        ("50% hoạt động kiểm tra thực hiện trên môi trường điện tử", ">=", 50, "kiem_tra:truc_tuyen", MET),
    ],
)
def test_targets_bound_to_inspection_figures_get_a_status(
    tree, users, year, text, comparator, value, code, status
):
    plan = plan_services.plan_create(
        actor=users.coordinator,
        issuer=tree.province,
        title="Kế hoạch CCHC năm 2025",
        from_year=YEAR,
        to_year=YEAR,
    )
    unit = "cuộc" if code == "kiem_tra:so_cuoc" else "%"
    target = plan_services.target_save(
        actor=users.coordinator,
        plan=plan,
        text=text,
        comparator=comparator,
        value=value,
        unit_of_measure=unit,
        year=YEAR,
    )
    target_bind(actor=users.coordinator, target=target, indicator=code)
    st = target_status(Target.objects.get(pk=target.pk), today=D(2026, 1, 15), user=SYSTEM)
    assert st.source.family == "kiem_tra"
    assert st.status == status, st.why
    assert st.reading.value == figure(code, tree.province, "2025").value
