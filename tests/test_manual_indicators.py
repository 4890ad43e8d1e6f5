"""Manual indicators: definitions, validation of reports, corrections, roll-ups, periods, demo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cchc.core.actors import SYSTEM
from cchc.core.errors import ServiceError
from cchc.core.models import AuditEntry
from cchc.core.periods import PeriodError, parse_reporting_window
from cchc.manual_indicators import services
from cchc.manual_indicators.models import Kind, ManualIndicator, ManualReport, Periodicity
from cchc.manual_indicators.periods import check_period, current_period, open_periods
from cchc.manual_indicators.rollup import manual_value, manual_value_by_code, round_half_up
from cchc.orgs.models import Role, Unit, UnitKind
from cchc.orgs.services import user_create

from .conftest import raises_code

TODAY = timezone.localdate()
PY = TODAY.year - 1  # every period of last year is open for reporting


def define(actor, unit, *, code="ty-le-ky-so", kind=Kind.RATIO, **kw) -> ManualIndicator:
    defaults = {
        "name": "Tỷ lệ văn bản được ký số",
        "periodicity": Periodicity.QUARTER,
        "numerator_label": "Số văn bản ký số",
        "denominator_label": "Tổng số văn bản đi",
        "unit_of_measure": "cuộc" if kind == Kind.COUNT else ("triệu đồng" if kind == Kind.NUMBER else ""),
        "unit_kinds": [UnitKind.AGENCY, UnitKind.COMMUNE],
    }
    return services.definition_create(actor=actor, unit=unit, code=code, kind=kind, **(defaults | kw))


@pytest.fixture
def ratio(tree, users):
    return define(users.coordinator, tree.province)


def report(actor, definition, unit, period=f"BC-{PY}-Q1", **figures):
    return services.report_save(actor=actor, definition=definition, unit=unit, period=period, **figures)[0]


def errors_of(exc_info) -> dict[str, str]:
    return {k: " ".join(v) for k, v in exc_info.value.message_dict.items()}


# --- periods -------------------------------------------------------------------------------------


def test_periods_follow_the_cchc_reports():
    assert [p.key for p in open_periods(Periodicity.QUARTER, dt.date(2026, 11, 22), years=1)] == [
        "BC-2026-Y",
        "BC-2026-9M",
        "BC-2026-H1",
        "BC-2026-Q1",
    ]
    assert parse_reporting_window("BC-2026-Q1").opens_on == dt.date(2025, 12, 15)
    assert parse_reporting_window("BC-2026-H1").opens_on == dt.date(2026, 3, 15)
    assert parse_reporting_window("BC-2026-Y").opens_on == dt.date(2026, 9, 15)
    # the current period is the report due next: the year's until 20/12, then the new quý I
    assert current_period(Periodicity.QUARTER, dt.date(2026, 12, 18)).key == "BC-2026-Y"
    assert current_period(Periodicity.QUARTER, dt.date(2026, 12, 21)).key == "BC-2027-Q1"
    assert current_period(Periodicity.QUARTER, dt.date(2026, 3, 21)).key == "BC-2026-H1"
    assert current_period(Periodicity.HALF_YEAR, dt.date(2026, 2, 1)).key == "BC-2026-H1"
    assert current_period(Periodicity.YEAR, dt.date(2026, 2, 1)).key == "BC-2026-Y"
    period = check_period(Periodicity.YEAR, "BC-2025-Y", dt.date(2026, 1, 5))
    assert (period.key, period.start, period.end) == (
        "BC-2025-Y",
        dt.date(2024, 12, 15),
        dt.date(2025, 12, 14),
    )


@pytest.mark.parametrize(
    "periodicity, key, words",
    [
        (Periodicity.QUARTER, "BC-2026-Q2", "không thuộc chỉ số"),
        (Periodicity.HALF_YEAR, "BC-2026-Q1", "không thuộc chỉ số"),
        (Periodicity.YEAR, "BC-2026-9M", "không thuộc chỉ số"),
        (Periodicity.QUARTER, "BC-2026-13", "không hợp lệ"),
        (Periodicity.QUARTER, "quý 1", "không hợp lệ"),
        # the calendar spelling (and the old manual one) is not a reporting window
        (Periodicity.QUARTER, "2026-Q1", "dùng các kỳ BC-YYYY-Q1, BC-YYYY-H1, BC-YYYY-9M, BC-YYYY-Y"),
        (Periodicity.YEAR, "2025-Y", "không hợp lệ"),
        (Periodicity.YEAR, "2025", "không hợp lệ"),
        (Periodicity.QUARTER, "BC-2026-H1", "chưa đến: được báo cáo từ 15/03/2026"),
    ],
)
def test_period_rules(periodicity, key, words):
    with pytest.raises(ServiceError) as exc:
        check_period(periodicity, key, dt.date(2026, 3, 1))
    assert words in errors_of(exc)["period"]


# --- definitions ---------------------------------------------------------------------------------


def test_coordinator_defines_for_their_subtree(tree, users, ratio):
    assert ratio.unit == tree.province and ratio.active
    entry = AuditEntry.objects.get(action="manual_indicator.create", object_id=str(ratio.pk))
    assert entry.after["code"] == "ty-le-ky-so" and entry.actor == users.coordinator
    commune_def = define(users.commune_coordinator, tree.communes[0], unit_kinds=[])
    assert commune_def.unit == tree.communes[0]
    # the same code in another unit is another indicator
    assert define(users.commune_coordinator, tree.communes[0], code="ty-le-ky-so-2").pk


@pytest.mark.parametrize("who", ["officer", "leader", "commune_coordinator", "foreign_coordinator"])
def test_only_coordinators_of_the_unit_define(tree, users, who):
    with pytest.raises(PermissionDenied):
        define(getattr(users, who), tree.province)
    assert not ManualIndicator.objects.exists()


@pytest.mark.parametrize(
    "kw, field, words",
    [
        ({"code": "Tỷ lệ ký số"}, "code", "chữ thường không dấu"),
        ({"code": ""}, "code", "không được để trống"),
        ({"name": "  "}, "name", "Tên chỉ số không được để trống"),
        ({"numerator_label": ""}, "numerator_label", "tên tử số"),
        ({"denominator_label": ""}, "denominator_label", "tên mẫu số"),
        ({"kind": Kind.NUMBER, "unit_of_measure": ""}, "unit_of_measure", "đơn vị tính"),
        ({"periodicity": "month"}, "periodicity", "kỳ báo cáo"),
        ({"unit_kinds": ["galaxy"]}, "unit_kinds", "không hợp lệ"),
    ],
)
def test_definition_validation(tree, users, kw, field, words):
    with pytest.raises(ServiceError) as exc:
        define(users.coordinator, tree.province, **kw)
    assert words in errors_of(exc)[field]
    assert (
        not ManualIndicator.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="manual").exists()
    )


def test_code_unique_within_the_defining_unit(tree, users, ratio):
    with pytest.raises(ServiceError) as exc:
        define(users.coordinator, tree.province, code="TY-LE-KY-SO", name="Khác")
    assert "đã được dùng cho chỉ số “Tỷ lệ văn bản được ký số”" in errors_of(exc)["code"]


def test_edit_is_audited_and_frozen_once_reported(tree, users, ratio):
    services.definition_update(actor=users.coordinator, definition=ratio, name="Tỷ lệ văn bản đi được ký số")
    entry = AuditEntry.objects.get(action="manual_indicator.update")
    assert entry.before == {"name": "Tỷ lệ văn bản được ký số"}
    assert entry.after == {"name": "Tỷ lệ văn bản đi được ký số"}
    with pytest.raises(PermissionDenied):
        services.definition_update(actor=users.leader, definition=ratio, name="x")
    report(users.officer, ratio, tree.agency("STP"), numerator=5, denominator=10)
    for kw, field in [
        ({"kind": Kind.PERCENT}, "kind"),
        ({"periodicity": Periodicity.YEAR}, "periodicity"),
        ({"code": "moi"}, "code"),
        ({"unit_kinds": [UnitKind.COMMUNE]}, "unit_kinds"),
    ]:
        with pytest.raises(ServiceError) as exc:
            services.definition_update(actor=users.coordinator, definition=ratio, **kw)
        assert "đã có" in errors_of(exc)[field]
    # widening the scope and deactivating stay possible
    services.definition_update(actor=users.coordinator, definition=ratio, unit_kinds=[], active=False)
    ratio.refresh_from_db()
    assert ratio.unit_kinds == [] and not ratio.active


def test_delete_only_without_reports(tree, users, ratio):
    other = define(users.coordinator, tree.province, code="khac")
    services.definition_delete(actor=users.coordinator, definition=other)
    assert not ManualIndicator.objects.filter(pk=other.pk).exists()
    assert AuditEntry.objects.filter(action="manual_indicator.delete", object_id=str(other.pk)).exists()
    report(users.officer, ratio, tree.agency("STP"), numerator=1, denominator=2)
    with raises_code("indicator_has_reports"):
        services.definition_delete(actor=users.coordinator, definition=ratio)
    assert ManualIndicator.objects.filter(pk=ratio.pk).exists()


# --- reports: validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "figures, field, words",
    [
        (
            {"numerator": 11, "denominator": 10},
            "numerator",
            "Tử số (Số văn bản ký số) không được lớn hơn mẫu số (11 > 10)",
        ),
        ({"numerator": 1_200, "denominator": 1_000}, "numerator", "(1.200 > 1.000)"),
        ({"numerator": -1, "denominator": 10}, "numerator", "không được âm"),
        ({"numerator": 1, "denominator": 0}, "denominator", "Mẫu số (Tổng số văn bản đi) phải lớn hơn 0"),
        ({"numerator": 1, "denominator": -5}, "denominator", "không được âm"),
        ({"numerator": Decimal("1.5"), "denominator": 10}, "numerator", "phải là số nguyên"),
        ({"numerator": "abc", "denominator": 10}, "numerator", "phải là số nguyên"),
        ({"numerator": True, "denominator": 10}, "numerator", "phải là số nguyên"),
        ({"numerator": None, "denominator": 10}, "numerator", "chưa nhập số liệu"),
        ({"numerator": 1, "denominator": 10**16}, "denominator", "quá lớn"),
    ],
)
def test_ratio_validation(tree, users, ratio, figures, field, words):
    before = AuditEntry.objects.count()
    with pytest.raises(ServiceError) as exc:
        report(users.officer, ratio, tree.agency("STP"), **figures)
    assert words in errors_of(exc)[field]
    assert not ManualReport.objects.exists() and AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    "kind, value, ok, words",
    [
        (Kind.PERCENT, Decimal("100"), True, ""),
        (Kind.PERCENT, Decimal("0"), True, ""),
        (Kind.PERCENT, Decimal("97.55"), True, ""),
        (Kind.PERCENT, Decimal("100.01"), False, "Tỷ lệ (%) phải trong khoảng từ 0 đến 100"),
        (Kind.PERCENT, Decimal("-0.5"), False, "Tỷ lệ (%) không được âm"),
        (Kind.PERCENT, Decimal("97.555"), False, "tối đa 2 chữ số thập phân"),
        (Kind.PERCENT, 97.5, False, "phải là một số"),  # floats are refused: they are not exact
        (Kind.COUNT, 3, True, ""),
        (Kind.COUNT, 0, True, ""),
        (Kind.COUNT, -1, False, "Số lượng (cuộc) không được âm"),
        (Kind.COUNT, Decimal("2.5"), False, "Số lượng (cuộc) phải là số nguyên"),
        (Kind.COUNT, "", False, "Số lượng (cuộc): chưa nhập số liệu"),
        (Kind.NUMBER, Decimal("1250.5"), True, ""),
        (Kind.NUMBER, Decimal("-3"), False, "Giá trị (triệu đồng) không được âm"),
    ],
)
def test_value_validation(tree, users, kind, value, ok, words):
    definition = define(users.coordinator, tree.province, kind=kind, code="x")
    if ok:
        r = report(users.officer, definition, tree.agency("STP"), value=value)
        assert r.value == Decimal(value) and r.numerator is None
        return
    with pytest.raises(ServiceError) as exc:
        report(users.officer, definition, tree.agency("STP"), value=value)
    assert words in errors_of(exc)["value"]
    assert not ManualReport.objects.exists()


def test_period_scope_and_state_rules(tree, users, ratio):
    stp = tree.agency("STP")
    cases = [
        ({"period": f"BC-{PY}-Q2"}, "period", "không thuộc chỉ số"),
        ({"period": f"BC-{TODAY.year + 1}-Y"}, "period", "chưa đến"),
        ({"period": "năm ngoái"}, "period", "không hợp lệ"),
    ]
    for kw, field, words in cases:
        with pytest.raises(ServiceError) as exc:
            services.report_save(
                actor=users.officer, definition=ratio, unit=stp, numerator=1, denominator=2, **kw
            )
        assert words in errors_of(exc)[field]
    # outside the subtree, a kind the indicator does not cover, a unit abolished before the period
    coordinator_tn = users.foreign_coordinator
    with pytest.raises(ServiceError) as exc:
        report(coordinator_tn, ratio, tree.other_commune, numerator=1, denominator=2)
    assert "không áp dụng cho Phường Tân Ninh" in errors_of(exc)["unit"]
    with pytest.raises(ServiceError) as exc:
        report(users.coordinator, ratio, tree.province, numerator=1, denominator=2)
    assert "chỉ áp dụng cho" in errors_of(exc)["unit"]
    former = Unit.objects.filter(parent=tree.province, kind=UnitKind.AGENCY, valid_to__isnull=False).first()
    with pytest.raises(ServiceError) as exc:
        report(users.coordinator, ratio, former, f"BC-{TODAY.year}-Q1", numerator=1, denominator=2)
    assert "không hoạt động trong kỳ" in errors_of(exc)["unit"]
    # but it did exist during quý I/2025 (15/12/2024–14/3/2025), and may report for it
    assert report(users.coordinator, ratio, former, "BC-2025-Q1", numerator=1, denominator=2).value == 50
    ManualReport.objects.all().delete()
    services.definition_update(actor=users.coordinator, definition=ratio, active=False)
    with raises_code("indicator_inactive"):
        report(users.officer, ratio, stp, numerator=1, denominator=2)
    assert not ManualReport.objects.exists()


@pytest.mark.parametrize(
    "who, unit, allowed",
    [
        ("officer", "STP", True),  # own unit
        ("officer", "SCT", False),  # another agency
        ("officer_other", "SCT", True),
        ("coordinator", "SCT", True),  # a coordinator above the unit
        ("admin", "SCT", True),
        ("leader", "STP", False),  # leaders read only
        ("commune_coordinator", "STP", False),
        ("foreign_coordinator", "STP", False),
        ("commune_officer", "commune", True),
        ("commune_coordinator", "commune", True),
        ("officer", "commune", False),
    ],
)
def test_who_may_report(tree, users, ratio, who, unit, allowed):
    target = tree.communes[0] if unit == "commune" else tree.agency(unit)
    if allowed:
        assert report(getattr(users, who), ratio, target, numerator=3, denominator=4).value == Decimal(
            "75.00"
        )
    else:
        with pytest.raises(PermissionDenied):
            report(getattr(users, who), ratio, target, numerator=3, denominator=4)
        assert not ManualReport.objects.exists()


def test_correction_is_audited_with_before_and_after(tree, users, ratio):
    stp = tree.agency("STP")
    first = report(users.officer, ratio, stp, numerator=90, denominator=100, note="Theo sổ đăng ký")
    created = AuditEntry.objects.get(action="manual_report.create")
    assert created.after["value"] == "90.00" and created.unit == stp
    second, outcome = services.report_save(
        actor=users.coordinator,
        definition=ratio,
        unit=stp,
        period=f"BC-{PY}-Q1",
        numerator=95,
        denominator=100,
    )
    assert outcome == "corrected" and second.pk == first.pk and second.corrections == 1
    assert second.reported_by == users.coordinator and second.value == Decimal("95.00")
    entry = AuditEntry.objects.get(action="manual_report.correct")
    assert entry.actor == users.coordinator
    assert (entry.before["numerator"], entry.before["value"], entry.before["note"]) == (
        90,
        "90.00",
        "Theo sổ đăng ký",
    )
    assert (entry.after["numerator"], entry.after["value"], entry.after["note"]) == (95, "95.00", "")
    assert (
        entry.before["reported_by_id"] == users.officer.pk
        and entry.after["reported_by_id"] == users.coordinator.pk
    )
    # the same figures again change nothing and write nothing
    _, outcome = services.report_save(
        actor=users.coordinator,
        definition=ratio,
        unit=stp,
        period=f"BC-{PY}-Q1",
        numerator=95,
        denominator=100,
    )
    assert outcome == "unchanged" and AuditEntry.objects.filter(action="manual_report.correct").count() == 1
    assert ManualReport.objects.count() == 1


# --- roll-ups ------------------------------------------------------------------------------------


def test_round_half_up():
    from fractions import Fraction

    assert round_half_up(Fraction(1, 8)) == Decimal("0.13")  # banker's rounding would give 0.12
    assert round_half_up(Fraction(200, 3)) == Decimal("66.67")
    assert round_half_up(Fraction(100, 3)) == Decimal("33.33")
    assert round_half_up(Fraction(-1, 8)) == Decimal("-0.13")


def test_ratio_rolls_up_as_sums_not_an_average_of_rates(tree, users, ratio):
    report(users.officer, ratio, tree.agency("STP"), numerator=10, denominator=10)  # 100 %
    report(users.officer_other, ratio, tree.agency("SCT"), numerator=1, denominator=990)  # 0,10 %
    report(users.commune_officer, ratio, tree.communes[0], numerator=1, denominator=800)  # 0,125 %
    v = manual_value(ratio, tree.province, f"BC-{PY}-Q1")
    assert (v.numerator, v.denominator) == (12, 1800)
    assert v.value == Decimal("0.67") and not v.is_mean  # 12/1800; the mean of rates would be 33.4
    assert v.basis_label == "Tổng tử số / tổng mẫu số của 3 đơn vị đã báo cáo"
    assert manual_value(ratio, tree.communes[0], f"BC-{PY}-Q1").value == Decimal("0.13")  # half-up
    assert {u.name for u in v.reported} == {"Sở Tư pháp", "Sở Công Thương", "Phường Đồng Xoài"}
    missing = {u.name for u in v.missing}
    assert "Sở Nội vụ" in missing and "Xã Lộc Ninh" in missing and "Sở Tư pháp" not in missing
    assert "Tỉnh Đồng Nai" not in missing  # not a unit kind of this indicator
    # agencies merged on 1/3/2025 were expected in quý I/2025, no longer in quý I of this year
    assert any(u.valid_to for u in manual_value(ratio, tree.province, "BC-2025-Q1").expected)
    assert all(u.valid_to is None for u in manual_value(ratio, tree.province, f"BC-{TODAY.year}-Q1").expected)
    assert v.reported_expected == 3 and len(v.expected) == len(v.missing) + 3
    # another period, and a unit whose subtree has no report
    assert manual_value(ratio, tree.province, f"BC-{PY}-H1").value is None
    empty = manual_value(ratio, tree.communes[1], f"BC-{PY}-Q1")
    assert empty.value is None and empty.basis_label == "Chưa có đơn vị báo cáo"
    assert [u.name for u in empty.missing] == ["Phường Biên Hòa"]


def test_count_sums_and_plain_percentage_is_a_labelled_mean(tree, users):
    count = define(
        users.coordinator, tree.province, kind=Kind.COUNT, code="kiem-tra", name="Số cuộc kiểm tra"
    )
    report(users.officer, count, tree.agency("STP"), value=3)
    report(users.officer_other, count, tree.agency("SCT"), value=4)
    v = manual_value(count, tree.province, f"BC-{PY}-Q1")
    assert v.value == Decimal("7.00") and v.basis_label == "Tổng của 2 đơn vị đã báo cáo"

    pct = define(
        users.coordinator,
        tree.province,
        kind=Kind.PERCENT,
        code="hai-long",
        name="Mức độ hài lòng",
        unit_kinds=[],
    )
    report(users.officer, pct, tree.agency("STP"), value=Decimal("90"))
    report(users.officer_other, pct, tree.agency("SCT"), value=Decimal("81"))
    report(users.commune_officer, pct, tree.communes[0], value=Decimal("80"))
    v = manual_value(pct, tree.province, f"BC-{PY}-Q1")
    assert v.value == Decimal("83.67") and v.is_mean and v.basis_label == "Bình quân của 3 đơn vị đã báo cáo"
    # the unit's own report wins over the mean of those below
    report(users.coordinator, pct, tree.province, value=Decimal("88.5"))
    v = manual_value(pct, tree.province, f"BC-{PY}-Q1")
    assert v.value == Decimal("88.50") and not v.is_mean and v.own.unit == tree.province

    mean = define(
        users.coordinator,
        tree.province,
        kind=Kind.NUMBER,
        code="gio",
        aggregation="mean",
        unit_of_measure="giờ",
    )
    summed = define(users.coordinator, tree.province, kind=Kind.NUMBER, code="kinh-phi")
    for d in (mean, summed):
        report(users.officer, d, tree.agency("STP"), value=Decimal("10.5"))
        report(users.officer_other, d, tree.agency("SCT"), value=Decimal("20"))
    assert manual_value(mean, tree.province, f"BC-{PY}-Q1").value == Decimal("15.25")
    assert manual_value(summed, tree.province, f"BC-{PY}-Q1").value == Decimal("30.50")


def test_subunit_reports_roll_up_into_their_agency(tree, users):
    d = define(users.coordinator, tree.province, unit_kinds=[UnitKind.AGENCY, UnitKind.SUBUNIT])
    snv = tree.agency("SNV")
    cchc_room = Unit.objects.get(code="P75.SNV.CCHC")
    report(users.coordinator, d, snv, numerator=40, denominator=50)
    report(users.coordinator, d, cchc_room, numerator=9, denominator=10)
    v = manual_value(d, snv, f"BC-{PY}-Q1")
    assert (v.numerator, v.denominator, v.value) == (49, 60, Decimal("81.67"))
    assert v.own.unit == snv and [u.code for u in v.expected] == ["P75.SNV", "P75.SNV.CCHC"]


def test_value_by_code_resolves_the_definition_visible_to_the_unit(tree, users, ratio):
    report(users.commune_officer, ratio, tree.communes[0], numerator=1, denominator=4)
    v = manual_value_by_code("ty-le-ky-so", tree.communes[0], f"BC-{PY}-Q1")
    assert v.definition == ratio and v.value == Decimal("25.00")
    assert manual_value_by_code("ty-le-ky-so", tree.province, f"BC-{PY}-Y").value is None  # not reported
    with pytest.raises(PeriodError):  # "2025" is the calendar year, not a reporting window
        manual_value_by_code("ty-le-ky-so", tree.province, str(PY))
    assert manual_value_by_code("khong-co", tree.province, f"BC-{PY}-Q1") is None
    assert manual_value_by_code("ty-le-ky-so", tree.other_commune, f"BC-{PY}-Q1") is None  # another province
    own = define(users.commune_coordinator, tree.communes[0], unit_kinds=[])
    assert manual_value_by_code("ty-le-ky-so", tree.communes[0], f"BC-{PY}-Q1").definition == own
    assert manual_value_by_code("ty-le-ky-so", tree.communes[1], f"BC-{PY}-Q1").definition == ratio
    with pytest.raises(ValueError):
        manual_value(ratio, tree.province, f"BC-{PY}-Q2")


def test_rollup_queries_do_not_grow_with_reports(tree, users, ratio, django_assert_max_num_queries):
    for code in ("STP", "SCT", "SNV", "STC", "SXD"):
        report(users.coordinator, ratio, tree.agency(code), numerator=1, denominator=2)
    with django_assert_max_num_queries(2):
        v = manual_value(ratio, tree.province, f"BC-{PY}-Q1")
        assert len(v.reported) == 5 and v.missing


# --- demo ----------------------------------------------------------------------------------------


def test_demo_is_deterministic_and_goes_through_the_services(tree, users):
    from cchc.manual_indicators.demo import load_demo

    officer = user_create(
        actor=SYSTEM, username="canbo.sxd", password=None, roles=[(tree.agency("SXD"), Role.OFFICER)]
    )
    created = load_demo(tree.province, users.coordinator)
    assert created["definitions"] == 4 and created["reports"] > 20 and created["corrections"] == 1
    names = set(ManualIndicator.objects.values_list("name", flat=True))
    assert names == {
        "Tỷ lệ cán bộ, công chức được bồi dưỡng kiến thức CCHC",
        "Số cuộc kiểm tra công tác CCHC",
        "Tỷ lệ văn bản được ký số",
        "Tỷ lệ văn bản, hồ sơ công việc được xử lý trên môi trường điện tử",
    }
    assert AuditEntry.objects.filter(action="manual_report.create").count() == created["reports"]
    assert AuditEntry.objects.filter(action="manual_report.correct").count() == 1
    # a unit's own officer files its reports; the coordinator those of units without one
    assert set(
        ManualReport.objects.filter(unit=tree.agency("SXD")).values_list("reported_by", flat=True)
    ) <= {officer.pk}
    assert set(
        ManualReport.objects.filter(unit=tree.agency("SCT")).values_list("reported_by", flat=True)
    ) <= {users.officer_other.pk}
    assert set(
        ManualReport.objects.filter(unit=tree.agency("BQLKCN")).values_list("reported_by", flat=True)
    ) <= {users.coordinator.pk}
    signed = ManualIndicator.objects.get(code="ty-le-van-ban-ky-so")
    v = manual_value(signed, tree.province, f"BC-{TODAY.year}-Q1")
    assert v.value is not None and Decimal("85") <= v.value <= 100
    if current_period(Periodicity.QUARTER, TODAY).key != f"BC-{TODAY.year}-Q1":  # its report is due: most did
        assert v.reported_expected >= len(v.expected) * 0.7
    for r in ManualReport.objects.filter(numerator__isnull=False):
        assert 0 <= r.numerator <= r.denominator
    snapshot = sorted(
        ManualReport.objects.values_list(
            "indicator__code", "unit__code", "period", "numerator", "denominator", "value"
        )
    )
    assert load_demo(tree.province, users.coordinator)["definitions"] == 0  # idempotent
    ManualReport.objects.all().delete()
    ManualIndicator.objects.all().delete()
    load_demo(tree.province, users.coordinator)
    again = sorted(
        ManualReport.objects.values_list(
            "indicator__code", "unit__code", "period", "numerator", "denominator", "value"
        )
    )
    assert again == snapshot
