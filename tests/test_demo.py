"""The demo province is what a civil servant first sees: it must be complete and plausible."""

import datetime as dt

import pytest

from cchc.core.actors import SYSTEM
from cchc.demo.loader import DEMO_PASSWORD, USERS, demo_exists, load_demo
from cchc.orgs.models import Unit, User
from cchc.plans.models import Plan
from cchc.tracking.models import Assignment, Evidence
from cchc.tracking.selectors import plan_dashboard
from cchc.tracking.status import Status


@pytest.mark.django_db
def test_demo_province_has_a_plan_in_every_state():
    today = dt.date(2026, 11, 20)
    result = load_demo(today=today, log=lambda *_: None, dossiers=2000)
    assert demo_exists()
    plan = Plan.objects.get(pk=result["plan"].pk)
    assert plan.status == "issued" and plan.from_year == 2026 and plan.issuer.code == "P75"
    assert plan.tasks.count() == 41 and plan.targets.count() == 19
    assert {t.area for t in plan.tasks.all()} >= {
        "the_che",
        "thu_tuc_hanh_chinh",
        "chinh_quyen_so",
        "chi_dao_dieu_hanh",
    }
    # every task has due dates from its phrase, moved to the demo year
    assert not plan.tasks.filter(deadline_text__contains="2023").exists()
    assert (
        plan.tasks.filter(deadline_kind="continuous").exists()
        and plan.tasks.filter(deadline_kind="recurring").exists()
    )
    # historical names resolved to today's units: "Sở Thông tin và Truyền thông" → Sở KH&CN
    task24 = plan.tasks.get(number="24")
    assert list(task24.assignments.values_list("unit__name", flat=True)) == ["Sở Khoa học và Công nghệ"]
    assert Unit.objects.get(code="P70-2025").successor.code == "P75"
    coordinator = User.objects.get(username="dieuphoi")
    d = plan_dashboard(user=coordinator, plan=plan, today=today)
    assert set(d.totals) == {s.value for s in Status}, d.totals
    assert d.stale_units and d.overdue
    assert Evidence.objects.exists()
    for demo_user in USERS:
        assert User.objects.get(username=demo_user.username).check_password(DEMO_PASSWORD)
    assert Assignment.objects.filter(unit__name="Phường Đồng Xoài").exists()
    # one-stop dossiers as they stood at load time, every one explained by its events
    from cchc.dossiers.lifecycle import STATE_FIELDS, dossier_replay
    from cchc.dossiers.models import Dossier

    desk = result["desk_dossiers"]
    assert (
        result["dossiers"] > 1500
        and Dossier.objects.count() == result["dossiers"] + desk + len(result["step_dossiers"]) + 1
    )  # and the one sample dossier received at the desk for the README's lookup
    for dossier in Dossier.objects.order_by("?")[:50]:
        state = dossier_replay(dossier.events.order_by("sequence"))
        assert all(
            getattr(state, name) == getattr(dossier, name) for name in STATE_FIELDS if name != "fee_amount"
        )
    # a morning at the desk of Sở Tư pháp: components ticked, fees paid at the desk, online, not yet
    from cchc.dossiers.fees import fee_state
    from cchc.dossiers.models import ReceivedComponent

    at_desk = list(Dossier.objects.filter(receiving_unit__code="P75.STP").exclude(applicant_search=""))
    assert desk == len(at_desk) == 8
    assert ReceivedComponent.objects.filter(dossier__in=at_desk).count() >= 8
    assert {fee_state(d).key for d in at_desk} >= {"paid_desk", "paid_online", "unpaid"}
    assert all(d.fee_amount > 0 for d in at_desk if fee_state(d).key != "none")
    # dossiers in progress at Phường Đồng Xoài's desk: work waiting for each demo officer
    from cchc.dossiers.desk import desk_view
    from cchc.dossiers.selectors import dossier_get

    steps = result["step_dossiers"]
    assert [d.current_step for d in steps] == [1, 2, 3, 2]
    chairman = User.objects.get(username="lanhdao.dongxoai")
    waiting = desk_view(dossier_get(user=chairman, code=steps[2].code), chairman)
    assert waiting.main == ["ket-qua", "tra-lai"] and "Chủ tịch" in waiting.holder_label
    assert steps[3].handovers.last().note.startswith("Trả lại: ")
    # indicators: the province's figures are there, and the stored totals equal a fresh computation
    from cchc.indicators import live
    from cchc.indicators.rebuild import rebuild
    from cchc.manual_indicators.models import ManualReport

    province = Unit.objects.get(code="P75")
    year = live.unit_values(province, "2026")
    before = live.unit_values(province, "2025")["tiep_nhan"].value  # December 2025 receipts
    assert (
        year["tiep_nhan"].value + before == result["dossiers"] + desk + len(result["step_dossiers"]) + 1
        and 50 < year["dung_han"].value < 100
    )
    assert rebuild(check=True).differences == []
    assert ManualReport.objects.count() > 100
    # targets bound to what measures them; feedback in every state; the 766 index computed
    from cchc.dossiers.models import Feedback
    from cchc.index766.selectors import unit_score
    from cchc.targets.models import TargetBinding

    bound = TargetBinding.objects.filter(target__plan=plan).exclude(indicator="")
    assert set(bound.values_list("indicator", flat=True)) >= {
        "dung_han",
        "thanh_toan_truc_tuyen",
        "manual:ty-le-van-ban-xu-ly-dien-tu",
    }
    states = set(Feedback.objects.values_list("state", flat=True))
    assert {"published"} <= states and Feedback.objects.exclude(sender_rating="").exists(), states
    score = unit_score(province, "2026")
    assert score is not None and 20 < score["total"] < 100
    from cchc.targets.models import binding_of
    from cchc.targets.status import target_statuses

    statuses = {
        binding_of(st.target).indicator: st
        for st in target_statuses(plan, plan.targets.all(), today=today, user=SYSTEM)
    }
    manual = statuses["manual:ty-le-van-ban-xu-ly-dien-tu"]
    assert manual.value is not None and 90 < manual.value < 100, manual.why
    assert manual.status in ("at_risk", "not_met", "on_track"), manual.status
    # periodic reports of the last quarter: the register shows on time, late, returned and missing
    from cchc.reports.models import Report
    from cchc.reports.selectors import LATE, MISSING, ON_TIME, register

    reported = register(user=coordinator, receiver=province, kind="quy", year=2026, number=3, today=today)
    statuses = {r.status for r in reported.rows}
    assert {ON_TIME, LATE, MISSING} <= statuses and reported.completeness and reported.timeliness
    assert set(Report.objects.values_list("state", flat=True)) == {"accepted", "returned", "draft"}
    # the README's citizen lookup: a dossier whose code and phone digits `cchc demo` prints, and
    # the demo's one-stop desk officer lands on the dossier queue
    from cchc.demo.loader import lookup_sample
    from cchc.dossiers.selectors import dossier_public_lookup
    from cchc.orgs.access import Access
    from cchc.portal.landing import landing_url

    code, digits = lookup_sample()
    assert code == "P75.STP-260106-0001" and digits == "5678"
    assert dossier_public_lookup(code=code, phone_last_digits=digits).code == code
    assert landing_url(Access.for_user(User.objects.get(username="motcua"))) == "/ho-so/"
