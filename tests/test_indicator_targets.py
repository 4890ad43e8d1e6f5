"""Plan targets bound to indicators: the suggestion over every target of the sample plans (a table
written by reading each target), binding and confirmation (audited, coordinators of the issuer
only, refused input leaves no trace), and the status rules — on their own and on dossiers
moved through the dossier services."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from cchc.core.actors import SYSTEM
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.indicator_sources import readings, source_of
from cchc.core.models import AuditEntry
from cchc.indicators import live
from cchc.plans import services as plan_services
from cchc.plans.importer import parse_plan_file
from cchc.plans.models import PlanKind, Target
from cchc.targets.demo import bind_demo_targets
from cchc.targets.models import TargetBinding, binding_of
from cchc.targets.services import target_bind, target_unbind, targets_suggest
from cchc.targets.status import (
    AT_RISK,
    MET,
    NO_DATA,
    NOT_MET,
    ON_TRACK,
    UNBOUND,
    Rule,
    evaluate,
    target_status,
    target_statuses,
)
from cchc.targets.suggest import suggest, suggest_target

from .conftest import raises_code
from .test_dossiers_support import local, make_world, pdf

FIXTURES = Path(__file__).parent / "fixtures" / "plans"
DEMO_SOURCE = Path(__file__).parent.parent / "cchc" / "demo" / "data" / "ubnd-binhphuoc-2023.expected.json"
D, T, P, S, X, H, R, O, K, G = (  # noqa: E741 (short names keep the table readable)
    "dung_han",
    "truc_tuyen",
    "thanh_toan_truc_tuyen",
    "so_hoa",
    "qua_han_co_xin_loi",
    "hai_long",
    "tai_su_dung",
    None,
    "ket_qua_dien_tu",
    "tg_giai_quyet_tb",
)

# What measures each target, in the file's order — read target by target. None: no dossier
# indicator measures it (plan completion, legal documents, staff, procedures offered or
# published — a count of procedures, not of dossiers —, feedback (PAKN), work files, rankings).
EXPECTED = {
    "ubnd-binhphuoc-2023": [
        O, O, O, O, O, O, O,
        D,  # 8 Trên 95% hồ sơ … được giải quyết đúng hạn
        O, O, O, O,
        S,  # 13 Tối thiểu 30% kết quả giải quyết TTHC … được số hóa
        P,  # 14 100% hồ sơ TTHC có nghĩa vụ tài chính … thanh toán trực tuyến
        O, O, O,
        X,  # 18 100% hồ sơ quá hạn … có văn bản xin lỗi
        O,
    ],
    "sngv-binhphuoc-2022": [O, O, O],  # work files handled online, ISO
    "sxd-binhphuoc-2021-2025": [
        O,
        O,  # 2 100% thủ tục … được triển khai thanh toán trực tuyến: procedures, not dossiers
        P,  # 3 … tỷ lệ giao dịch thanh toán trực tuyến đạt 100%
        O,  # 4 80% thủ tục … cung cấp trực tuyến mức độ 4: procedures offered online
        O,  # 5 100% thủ tục … tích hợp trên Cổng DVC quốc gia
        T,  # 6 tỷ lệ hồ sơ giải quyết trực tuyến mức độ 4 đạt 100%
        H,  # 7 Mức độ hài lòng … đạt 100%
        O,
        R,  # 9 80% người dân … không phải cung cấp lại giấy tờ (reuse of data)
        S,  # 10 số hóa kết quả … 50%
        O,  # 11 mỗi năm tăng tối thiểu 20%: an increase, not a level
        S,  # 12 … cho đến khi đạt tỷ lệ 100%
        O,  # 13 người dân dùng DVC trực tuyến được cấp định danh: people, not dossiers
        O, O, O, O,
        D,  # 18 giải quyết hồ sơ TTHC đúng và trước hạn đạt 100%
    ],
    "sxd-dongnai-2022": [
        O, O, O, O, O, O,
        S,  # 7 số hóa kết quả giải quyết … đạt tối thiểu 30%
        O,  # 8 80% thủ tục … cung cấp trực tuyến mức độ 3 và 4
        T,  # 9 Tỷ lệ hồ sơ giải quyết trực tuyến … đạt tối thiểu 60%
        D,  # 10 Tỷ lệ giải quyết hồ sơ đúng hạn đạt tối thiểu 96%, …
        H,  # 11 …, mức độ hài lòng … đạt tối thiểu 92%
        O,  # 12 95% phản ánh kiến nghị xử lý trong thời hạn
        O,  # 13 hài lòng về xử lý phản ánh kiến nghị: feedback, not dossiers
        O, O, O, O, O, O, O, O,
        O,  # 22 100% thủ tục … dịch vụ công mức 3, 4
        O,  # 23 the same sentence, same value and comparator: read at its first "100%" (procedures)
        P,  # 24 tỷ lệ giao dịch thanh toán trực tuyến … đạt tối thiểu 20%
        O,
        S,  # 26 Số hoá kết quả … đạt tối thiểu 30% (old-style "hoá")
        O, O, O, O, O, O, O,
        O,  # 34 100% TTHC công khai đúng hạn: procedures published on time
        O, O, O,
        O,  # 38 100% TTHC … cung cấp trực tuyến mức độ 3 và 4
        D,  # 39 Tỷ lệ giải quyết hồ sơ đúng hạn đạt tối thiểu 96%
        O,
        H,  # 41 Tỷ lệ hài lòng của người dân đạt tối thiểu 92%
        T,  # 42 Tỷ lệ hồ sơ trực tuyến đạt tối thiểu 60%
        O,  # 43 95% PAKN xử lý dứt điểm, đúng hạn: feedback
        O,  # 44 hài lòng về giải quyết PAKN
        O, O, O, O, O, O, O, O, O, O,
        O,  # 55 Tỷ lệ trao đổi văn bản điện tử: documents, not results
        O, O, O, O, O,
    ],
}  # fmt: skip


def _targets(name: str) -> list[dict]:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))["targets"]


def _suggest(t: dict) -> str | None:
    return suggest(t["text"], t["value"], comparator=t["comparator"], unit_of_measure=t["unit"] or "%").code


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_suggestion_of_every_sample_target(name):
    targets = _targets(name)
    assert len(targets) == len(EXPECTED[name])
    wrong = [
        (i, want, _suggest(t), t["text"][:70])
        for i, (t, want) in enumerate(zip(targets, EXPECTED[name], strict=True), start=1)
        if _suggest(t) != want
    ]
    assert wrong == []


def test_suggestions_of_the_imported_demo_document():
    """The targets as the importer reads them from the text of the demo plan get the same table."""
    found = parse_plan_file(FIXTURES / "ubnd-binhphuoc-2023.txt")["targets"]
    expected = {
        (t["text"], t["value"]): want
        for t, want in zip(_targets("ubnd-binhphuoc-2023"), EXPECTED["ubnd-binhphuoc-2023"], strict=True)
    }
    checked = 0
    for t in found:
        key = (t["text"], t["value"])
        if key in expected:
            assert _suggest(t) == expected[key], t["text"]
            checked += 1
    assert checked >= 15
    assert json.loads(DEMO_SOURCE.read_text(encoding="utf-8"))["targets"] == _targets("ubnd-binhphuoc-2023")


@pytest.mark.parametrize(
    "text, value, code, phrase",
    [
        ("Tỷ lệ hồ sơ tiếp nhận qua dịch vụ bưu chính công ích đạt 20%", 20, "buu_chinh", "bưu chính"),
        ("100% kết quả giải quyết TTHC được cấp kết quả điện tử", 100, K, "kết quả điện tử"),
        ("Thời gian giải quyết trung bình không quá 5 ngày", 5, G, "thời gian giải quyết"),
        ("Giảm tối thiểu 10% thời gian giải quyết thủ tục hành chính", 10, G, "thời gian giải quyết"),
        (
            "Chỉ số phục vụ người dân, doanh nghiệp đạt từ 80 điểm trở lên",
            80,
            "766",
            "Bộ chỉ số phục vụ (766)",
        ),
        ("Điểm Bộ chỉ số 766 của tỉnh đạt tối thiểu 85 điểm", 85, "766", "Bộ chỉ số phục vụ (766)"),
        ("Giảm tỷ lệ hồ sơ quá hạn xuống dưới 2%", 2, "tre_han", "quá hạn"),
        ("Không quá 3% hồ sơ TTHC bị trễ hạn", 3, "tre_han", "trễ hạn"),
        ("Tối thiểu 50% hồ sơ được tái sử dụng dữ liệu đã số hóa", 50, R, "tái sử dụng"),
        ("Mức độ hài lòng của người dân đạt trên 90%", 90, H, "hài lòng"),
        ("TỶ LỆ HỒ SƠ GIẢI QUYẾT ĐÚNG HẠN ĐẠT 98%", 98, D, "đúng hạn"),
        (
            unicodedata.normalize("NFD", "Tỷ lệ hồ sơ nộp trực tuyến đạt 55,5%"),
            Decimal("55.5"),
            T,
            "trực tuyến",
        ),
        ("Tỷ lệ hồ sơ đúng hạn 96%; tỷ lệ hồ sơ trực tuyến 60%", 60, T, "trực tuyến"),
        ("Tỷ lệ hồ sơ giải quyết đúng hạn tăng lên 98%", 98, D, "đúng hạn"),  # a level, not an increase
    ],
)
def test_suggestion_of_each_phrase(text, value, code, phrase):
    found = suggest(text, value)
    assert (found.code, found.phrase) == (code, phrase)


@pytest.mark.parametrize(
    "text, value, reason",
    [
        ("Tỷ lệ dịch vụ công trực tuyến toàn trình đạt 80%", 80, "thủ tục"),
        ("Chỉ số hài lòng SIPAS đạt trên 85%", 85, "SIPAS"),
        ("Chỉ số phục vụ người dân, doanh nghiệp nằm trong nhóm 10 tỉnh dẫn đầu", 10, "thứ hạng"),
        ("Số hóa hồ sơ mỗi năm tăng tối thiểu 20%", 20, "mức tăng"),
        ("100% phản ánh, kiến nghị được xử lý đúng hạn", 100, "phản ánh"),
    ],
)
def test_no_suggestion_says_why(text, value, reason):
    found = suggest(text, value)
    assert found.code is None and reason in found.reason and found.phrase


# --- binding -------------------------------------------------------------------------------------


@pytest.fixture
def annual(tree, users):
    """An annual 2026 plan of the province with targets on the on-time rate."""
    plan = plan_services.plan_create(
        actor=users.coordinator,
        issuer=tree.province,
        title="Kế hoạch CCHC năm 2026",
        from_year=2026,
        to_year=2026,
        kind=PlanKind.ANNUAL,
    )
    for value in (70, 74, 80):
        plan_services.target_save(
            actor=users.coordinator,
            plan=plan,
            text=f"Tỷ lệ hồ sơ giải quyết đúng hạn đạt tối thiểu {value}%",
            comparator=">=",
            value=value,
            unit_of_measure="%",
            year=2026,
        )
    return plan


def _trace(target):
    b = binding_of(Target.objects.get(pk=target.pk))
    return (b.indicator, b.confirmed_by_id, b.measured_unit_id, AuditEntry.objects.count())


def test_bind_is_confirmed_and_audited(annual, users, tree):
    target = annual.targets.first()
    bound = target_bind(actor=users.coordinator, target=target, indicator="dung_han")
    assert (bound.indicator, bound.suggested) == ("dung_han", "dung_han")
    assert bound.confirmed_by == users.coordinator and bound.confirmed_at
    assert bound.measured_unit == tree.province  # the issuer by default
    entry = AuditEntry.objects.filter(action="target.bind").get()
    assert entry.before["indicator"] == "" and entry.after["indicator"] == "dung_han"
    assert entry.after["indicator_name"] == "Tỷ lệ hồ sơ đúng hạn (%)" and entry.actor == users.coordinator

    agency = tree.agency("STP")
    target_bind(actor=users.admin, target=target, indicator="tre_han", measured_unit=agency)
    b = binding_of(Target.objects.get(pk=target.pk))
    assert (b.indicator, b.measured_unit, b.confirmed_by) == (
        "tre_han",
        agency,
        users.admin,
    )

    target_unbind(actor=users.coordinator, target=target)
    b = binding_of(Target.objects.get(pk=target.pk))
    assert (b.indicator, b.measured_unit, b.confirmed_by) == ("", None, None)
    assert AuditEntry.objects.filter(action="target.unbind", object_id=str(target.pk)).exists()
    before = _trace(target)
    with raises_code("target_not_bound"):
        target_unbind(actor=users.coordinator, target=target)
    assert _trace(target) == before


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("admin", True),
        ("coordinator", True),  # coordinator of the issuer (own unit)
        ("leader", False),  # reads, never changes
        ("officer", False),
        ("commune_coordinator", False),  # a coordinator, but of a unit below the issuer
        ("foreign_coordinator", False),  # a coordinator of another province
    ],
)
def test_only_coordinators_of_the_issuer_bind(annual, users, role, allowed):
    target = annual.targets.first()
    actor = getattr(users, role)
    if allowed:
        target_bind(actor=actor, target=target, indicator="dung_han")
        target_unbind(actor=actor, target=target)
        return
    before = _trace(target)
    with pytest.raises(PermissionDenied):
        target_bind(actor=actor, target=target, indicator="dung_han")
    assert _trace(target) == before


def test_a_commune_plan_is_bound_by_its_coordinator_and_the_province(tree, users):
    commune = tree.communes[0]
    plan = plan_services.plan_create(
        actor=users.commune_coordinator,
        issuer=commune,
        title="Kế hoạch CCHC xã",
        from_year=2026,
        to_year=2026,
    )
    target = plan_services.target_save(
        actor=users.commune_coordinator,
        plan=plan,
        text="95% hồ sơ đúng hạn",
        comparator="=",
        value=95,
        year=2026,
    )
    target_bind(actor=users.commune_coordinator, target=target, indicator="dung_han")
    target_bind(actor=users.coordinator, target=target, indicator="truc_tuyen")  # the province's subtree
    with pytest.raises(PermissionDenied):
        target_bind(actor=users.foreign_coordinator, target=target, indicator="dung_han")


@pytest.mark.parametrize(
    "indicator, unit, field, message",
    [
        ("khong_co", None, "indicator", "không hợp lệ"),
        ("766:nhóm", None, "indicator", "không hợp lệ"),
        ("manual:khong-ton-tai", None, "indicator", "Không có chỉ số báo cáo thủ công"),
        ("dung_han", "other_province", "measured_unit", "trực thuộc"),
    ],
)
def test_bad_bindings_are_refused_and_leave_no_trace(annual, users, tree, indicator, unit, field, message):
    target = annual.targets.first()
    before = _trace(target)
    with pytest.raises(ServiceError) as exc:
        target_bind(
            actor=users.coordinator,
            target=target,
            indicator=indicator,
            measured_unit=getattr(tree, unit) if unit else None,
        )
    assert message in " ".join(exc.value.message_dict[field])
    assert _trace(target) == before


def test_suggestions_recorded_and_demo_targets_bound(tree, users):
    """The demo plan's targets (as the demo loader creates them) bound from the suggestions."""
    source = json.loads(DEMO_SOURCE.read_text(encoding="utf-8"))
    plan = plan_services.plan_create(
        actor=users.coordinator,
        issuer=tree.province,
        title="Kế hoạch CCHC năm 2026",
        from_year=2026,
        to_year=2026,
    )
    for t in source["targets"]:
        plan_services.target_save(
            actor=users.coordinator,
            plan=plan,
            text=t["text"],
            area=t["area"] or "",
            comparator=t["comparator"],
            value=t["value"],
            unit_of_measure=t["unit"] or "",
            year=2026,
        )
    with pytest.raises(PermissionDenied):
        targets_suggest(actor=users.leader, plan=plan)
    assert targets_suggest(actor=users.coordinator, plan=plan) == 4
    assert AuditEntry.objects.filter(action="plan.targets_suggest").count() == 1
    bound = bind_demo_targets(plan, users.coordinator)
    codes = [binding_of(t).indicator for t in plan.targets.order_by("position")]
    assert codes == [c or "" for c in EXPECTED["ubnd-binhphuoc-2023"]] and len(bound) == 4
    assert all(b.confirmed_by == users.coordinator for b in bound)
    assert bind_demo_targets(plan, users.coordinator) == []  # already bound: nothing changes


# --- status rules --------------------------------------------------------------------------------

UP = Rule(relative=False, upward=True, strict=False)


@pytest.mark.parametrize(
    "value, goal, rule, final, trend, status, gap",
    [
        (None, 95, UP, False, [], NO_DATA, None),
        (Decimal("96"), 95, UP, True, [], MET, 1),  # the year is over: the comparison decides
        (Decimal("94.99"), 95, UP, True, [], NOT_MET, Decimal("-0.01")),
        (Decimal("98"), 95, UP, False, [90, 95, 99], MET, 3),  # margin ≥ 2 points, improving
        (Decimal("98"), 95, UP, False, [99, 98, 97], ON_TRACK, 3),  # margin but 3 months worse
        (Decimal("96"), 95, UP, False, [90, None, 99], ON_TRACK, 1),  # a gap in the trend: no verdict
        (Decimal("96"), 95, UP, False, [99, 98, 97], AT_RISK, 1),  # close and worsening
        (Decimal("90"), 95, UP, False, [80, 85, 90], AT_RISK, -5),  # short while the year runs
        (Decimal("95"), 95, Rule(False, True, True), True, [], NOT_MET, 0),  # "trên 95%": 95 fails
        (Decimal("2.5"), 3, Rule(False, False, False), True, [], MET, Decimal("0.5")),  # "không quá 3"
        (Decimal("3.5"), 3, Rule(False, False, False), False, [3, 3.2, 3.5], AT_RISK, Decimal("-0.5")),
    ],
)
def test_status_rules(value, goal, rule, final, trend, status, gap):
    found, found_gap, why = evaluate(
        value=value,
        goal=Decimal(goal),
        rule=rule,
        final=final,
        trend=[None if v is None else Decimal(str(v)) for v in trend],
        percent=True,
    )
    assert (found, found_gap) == (status, None if gap is None else Decimal(gap)) and why


def test_rule_of_each_comparator():
    assert Rule.of(">=", False, True) == Rule(False, True, False)
    assert Rule.of("=", False, False) == Rule(False, False, False)  # "đạt 3 ngày": at most
    assert Rule.of("<", True, True) == Rule(False, False, True)  # "giảm xuống dưới 2%": a ceiling
    assert Rule.of(">=", True, True) == Rule(True, True, False)  # "giảm tối thiểu 10%": vs last year


@pytest.fixture
def w(tree, users):
    return make_world(tree, users)


def _dossier(w, users, received: dt.datetime, *, late: bool):
    d = w.receive(at=received)
    done = received + dt.timedelta(days=20 if late else 1)
    w.decide(d, granted=True, result_file=pdf(), at=done)
    return d


def _quarter(w, users, year: int, on_time: list[int]):
    """Four dossiers a month; ``on_time[m]`` of them on time in month m + 1."""
    for month, good in enumerate(on_time, start=1):
        for i in range(4):
            _dossier(w, users, local(year, month, 2 + i, 9), late=i >= good)


def test_status_on_dossiers_through_the_services(annual, users, w, tree):
    _quarter(w, users, 2026, [4, 3, 2])  # January 100 %, February 75 %, March 50 %
    year = live.unit_values(tree.province, "2026")["dung_han"]
    assert (year.raw_numerator, year.denominator, year.value) == (9, 12, Decimal("75.00"))
    targets = list(annual.targets.order_by("position"))
    for t in targets:
        target_bind(actor=users.coordinator, target=t, indicator="dung_han")
    targets = list(annual.targets.order_by("position"))
    april = dt.date(2026, 4, 10)
    got = target_statuses(annual, targets, user=users.coordinator, today=april)
    assert [s.value for s in got] == [Decimal("75.00")] * 3
    assert [t[2] for t in got[0].trend] == [Decimal("100.00"), Decimal("75.00"), Decimal("50.00"), None]
    # ≥ 70: a margin of 5 points, but three months worse in a row → on track only;
    # ≥ 74: holds by 1 point while worsening → at risk; ≥ 80: short → at risk
    assert [s.status for s in got] == [ON_TRACK, AT_RISK, AT_RISK]
    assert [s.gap for s in got] == [Decimal("5.00"), Decimal("1.00"), Decimal("-5.00")]
    assert got[2].gap_label == "Thiếu 5,00" and got[0].value_label == "75,00%"
    year_end = target_statuses(annual, targets, user=users.coordinator, today=dt.date(2027, 1, 5))
    assert [s.status for s in year_end] == [MET, MET, NOT_MET]
    # a leader of another province may not read the province's figures: none are computed
    hidden = target_status(targets[0], user=users.foreign_coordinator, today=april)
    assert not hidden.visible and hidden.value is None
    # unbound targets carry the suggestion
    target_unbind(actor=users.coordinator, target=targets[0])
    fresh = target_status(Target.objects.get(pk=targets[0].pk), today=april, user=SYSTEM)
    assert fresh.status == UNBOUND and fresh.suggestion.code == "dung_han"


def test_reduction_targets_against_last_year(users, w, tree):
    _quarter(w, users, 2025, [2])  # 2025: 2 of 4 late
    _quarter(w, users, 2026, [3])  # 2026: 1 of 4 late
    plan = plan_services.plan_create(
        actor=users.coordinator,
        issuer=tree.province,
        title="Kế hoạch CCHC 2026",
        from_year=2026,
        to_year=2026,
    )
    relative = plan_services.target_save(
        actor=users.coordinator,
        plan=plan,
        text="Giảm tối thiểu 30% tỷ lệ hồ sơ trễ hạn so với năm trước",
        comparator=">=",
        value=30,
        reduction=True,
        year=2026,
    )
    ceiling = plan_services.target_save(
        actor=users.coordinator,
        plan=plan,
        text="Giảm tỷ lệ hồ sơ quá hạn xuống dưới 20%",
        comparator="<",
        value=20,
        reduction=True,
        year=2026,
    )
    for t in (relative, ceiling):
        assert suggest(t.text, t.value).code == "tre_han"
        target_bind(actor=users.coordinator, target=t, indicator="tre_han")
    got = target_statuses(
        plan,
        [Target.objects.get(pk=relative.pk), Target.objects.get(pk=ceiling.pk)],
        today=dt.date(2027, 2, 1),
        user=SYSTEM,
    )
    assert (got[0].baseline, got[0].reading.value, got[0].value) == (
        Decimal("50.00"),
        Decimal("25.00"),
        Decimal("50.00"),
    )
    assert got[0].status == MET and "giảm 50,00%" in got[0].compared_label
    assert (got[1].value, got[1].status) == (Decimal("25.00"), NOT_MET)  # 25 % is not below 20 %
    # the relative target without last year's figure cannot be judged
    plan_services.plan_update(actor=users.coordinator, plan=plan, from_year=2025, to_year=2025)
    plan_services.target_save(
        actor=users.coordinator, plan=plan, target=Target.objects.get(pk=relative.pk), text=relative.text,
        comparator=">=", value=30,
        reduction=True, year=2025,
    )  # fmt: skip
    st = target_status(Target.objects.get(pk=relative.pk), today=dt.date(2026, 2, 1), user=SYSTEM)
    assert (st.status, st.baseline, st.value) == (NO_DATA, None, None) and "2024" in st.why


def test_processing_time_is_lower_better(annual, users, w):
    _quarter(w, users, 2026, [4])  # four dossiers, each decided a day after receipt
    target = plan_services.target_save(
        actor=users.coordinator, plan=annual, text="Thời gian giải quyết trung bình đạt 3 ngày",
        comparator="=", value=3, unit_of_measure="ngày", year=2026,
    )  # fmt: skip
    target_bind(actor=users.coordinator, target=target, indicator="tg_giai_quyet_tb")
    st = target_status(Target.objects.get(pk=target.pk), today=dt.date(2027, 1, 2), user=SYSTEM)
    assert st.reading.value == Decimal("1.00") and st.status == MET and st.gap == Decimal("2.00")
    assert st.value_label == "1,00 ngày"


def test_manual_indicator_targets_read_the_reports(tree, users):
    services = pytest.importorskip("cchc.manual_indicators.services")
    from django.utils import timezone

    year = timezone.localdate().year
    definition = services.definition_create(
        actor=users.coordinator,
        unit=tree.province,
        code="ty-le-van-ban-ky-so",
        name="Tỷ lệ văn bản được ký số",
        kind="ratio",
        periodicity="quarter",
        numerator_label="Số văn bản ký số",
        denominator_label="Tổng số văn bản",
    )
    services.report_save(
        actor=users.officer, definition=definition, unit=tree.agency("STP"), period=f"BC-{year}-Q1",
        numerator=45, denominator=50,
    )  # fmt: skip
    plan = plan_services.plan_create(
        actor=users.coordinator, issuer=tree.province, title="Kế hoạch", from_year=year, to_year=year
    )
    target = plan_services.target_save(
        actor=users.coordinator,
        plan=plan,
        text="100% văn bản được ký số",
        comparator="=",
        value=100,
        year=year,
    )
    assert suggest_target(Target.objects.get(pk=target.pk)).code == "manual:ty-le-van-ban-ky-so"
    bound = target_bind(actor=users.coordinator, target=target, indicator="manual:ty-le-van-ban-ky-so")
    assert bound.suggested == "manual:ty-le-van-ban-ky-so"  # recorded with the binding
    assert source_of("manual:ty-le-van-ban-ky-so").name.startswith("Tỷ lệ văn bản được ký số")
    st = target_status(Target.objects.get(pk=target.pk), today=timezone.localdate(), user=SYSTEM)
    assert st.reading.value == Decimal("90.00") and st.value_key == f"BC-{year}-Q1"
    assert st.status == (NOT_MET if timezone.localdate().year > year else AT_RISK)
    got = readings("manual:ty-le-van-ban-ky-so", tree.province, [f"BC-{year}-Q1", f"{year}-05"])
    assert got[f"{year}-05"].value is None  # months are not periods of manual indicators


def test_766_targets_read_the_index_when_it_is_there(annual, users):
    """The 766 index is another app, known to targets only as a registered source: the status
    asks it for the year's score, and says plainly when the code no longer names a source
    (instead of failing the page)."""
    from cchc.core.indicator_sources import providers
    from cchc.index766.source import INDEX766_SOURCE

    target = annual.targets.first()
    target_bind(actor=users.coordinator, target=target, indicator="766")
    st = target_status(Target.objects.get(pk=target.pk), today=dt.date(2026, 6, 1), user=SYSTEM)
    assert st.source.name.startswith("Chỉ số phục vụ người dân, doanh nghiệp (766)")
    assert st.status in {MET, ON_TRACK, AT_RISK, NO_DATA}
    providers.unregister(INDEX766_SOURCE)  # as if the app were gone
    try:
        why = target_status(Target.objects.get(pk=target.pk), today=dt.date(2026, 6, 1), user=SYSTEM).why
    finally:
        providers.register(INDEX766_SOURCE)
    assert "không còn hợp lệ" in why
    TargetBinding.objects.filter(pk=target.pk).update(indicator="khong-con")  # a stale code
    assert (
        "không còn hợp lệ"
        in target_status(Target.objects.get(pk=target.pk), today=dt.date(2026, 6, 1), user=SYSTEM).why
    )


def test_766_groups_are_named_and_checked(annual, users):
    pytest.importorskip("cchc.index766.formulas")
    target = annual.targets.first()
    target_bind(actor=users.coordinator, target=target, indicator="766:progress")
    assert source_of("766:progress").name.endswith("nhóm “Tiến độ giải quyết” (tối đa 20 điểm)")
    with raises_code("indicator_code_invalid"):
        target_bind(actor=users.coordinator, target=target, indicator="766:khong_co")


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "100% văn bản, hồ sơ công việc được xử lý trên môi trường điện tử (trừ văn bản mật).",
            "manual:xu-ly",
        ),
        ("Tối thiểu 90% văn bản đi được ký số", "manual:ky-so"),
        ("Hoàn thành 100% Kế hoạch cải cách hành chính nhà nước đã đề ra.", None),
        ("100% cơ quan thực hiện đúng quy định về quản lý, sử dụng tài sản công.", None),
    ],
)
def test_a_target_no_rule_fits_gets_the_manual_indicator_it_names(text, expected):

    from cchc.targets.suggest import suggest_by_name

    candidates = [
        ("manual:xu-ly", "Tỷ lệ văn bản, hồ sơ công việc được xử lý trên môi trường điện tử"),
        ("manual:ky-so", "Tỷ lệ văn bản được ký số"),
        ("manual:kiem-tra", "Số cuộc kiểm tra công tác CCHC"),
    ]
    assert suggest_by_name(text, candidates).code == expected
