"""Indicator pages: the unit dashboard, the dossiers behind a number and the plan's targets —
who may see them (role × own/other unit), bounded query counts, the drill-down listing exactly
the dossiers counted, personal data masked, bad input answered in Vietnamese."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.core.actors import SYSTEM
from cchc.core.indicator_sources import readings
from cchc.core.models import AuditEntry
from cchc.dossiers import services as dossier_services
from cchc.indicators import live
from cchc.indicators.sources import DOSSIER_INDICATORS, dossiers_behind
from cchc.orgs.models import UnitKind
from cchc.orgs.services import unit_create, user_create
from cchc.plans.models import Target
from cchc.targets.models import binding_of
from cchc.targets.services import target_bind

from .access_helpers import ROLES
from .conftest import PASSWORD
from .test_dossiers_support import local, make_procedure, make_world, pdf

PERIOD = "2026"


@pytest.fixture
def world(tree, users):
    return make_dossiers(tree, users)


def make_dossiers(tree, users):
    """Seven dossiers of Sở Tư pháp in early 2026, four on time: online, by post, rated, refused
    late, one waiting for a supplement and one open (both judged late at the year's end)."""
    w = make_world(tree, users)

    def decide(*, actor, dossier, **kw):  # at the last step, by its signer (`actor` was the officer)
        return w.decide(dossier, **kw)

    for day in (5, 6, 7):
        d = w.receive(at=local(2026, 1, day, 9), channel="truc_tuyen")
        decide(
            actor=users.officer, dossier=d, granted=True, result_file=pdf(), at=local(2026, 1, day + 1, 10)
        )
    late = w.receive(at=local(2026, 2, 2, 9))
    decide(
        actor=users.officer,
        dossier=late,
        granted=False,
        reason="Không đủ điều kiện",
        at=local(2026, 2, 27, 9),
    )
    rated = w.receive(at=local(2026, 3, 2, 9), channel="buu_chinh")
    decide(actor=users.officer, dossier=rated, granted=True, at=local(2026, 3, 3, 9))
    dossier_services.dossier_return(
        actor=w.desk_officer, dossier=rated, method="desk", at=local(2026, 3, 3, 15)
    )
    dossier_services.dossier_rate(dossier=rated, rating="hai_long", at=local(2026, 3, 3, 16))
    paused = w.receive(at=local(2026, 3, 9, 9))
    dossier_services.dossier_request_supplement(
        actor=w.desk_officer, dossier=paused, missing=["Giấy chứng sinh"], at=local(2026, 3, 9, 14)
    )
    w.receive(at=local(2026, 3, 16, 9))  # still open
    return w


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def dash(unit, **extra) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"don_vi": unit.pk, "ky": PERIOD, **extra}.items())
    return f"{reverse('indicators:dashboard')}?{query}"


def drill(unit, code="dung_han", part="numerator", period=PERIOD) -> str:
    phan = {"numerator": "tu_so", "denominator": "mau_so"}[part]
    return f"{reverse('indicators:dossiers')}?don_vi={unit.pk}&ky={period}&ma={code}&phan={phan}"


# --- access ----------------------------------------------------------------------------------------

# who may read each unit's figures: coordinators, leaders, administrators their subtree; officers
# their own unit (the coordinator also holds an officer role at Sở Nội vụ)
READERS = {
    "province": {"admin", "coordinator", "leader"},
    "agency": {"admin", "coordinator", "leader", "officer"},
    "commune": {"admin", "coordinator", "leader", "commune_officer", "commune_coordinator"},
    "other_province": {"admin", "foreign_coordinator"},
}


def _unit(tree, which):
    return {
        "province": tree.province,
        "agency": tree.agency("STP"),
        "commune": tree.communes[0],
        "other_province": tree.other_province,
    }[which]


@pytest.mark.parametrize("which", sorted(READERS))
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, tree, users, world, role, which):
    unit = _unit(tree, which)
    login(client, getattr(users, role))
    allowed = role in READERS[which]
    for url in (dash(unit), drill(unit)):
        assert client.get(url).status_code == (200 if allowed else 403), url
    assert client.get(reverse("indicators:dashboard")).status_code == 200  # one's own top unit


def test_anonymous_and_roleless_users_are_kept_out(client, tree, users):
    assert client.get(dash(tree.province)).status_code == 302
    nobody = user_create(actor=SYSTEM, username="khach", password=PASSWORD, full_name="Khách", roles=[])
    login(client, nobody)
    assert client.get(reverse("indicators:dashboard")).status_code == 403


# --- the dashboard ---------------------------------------------------------------------------------


def test_dashboard_shows_figures_children_and_links(client, tree, users, world):
    login(client, users.coordinator)
    page = client.get(reverse("indicators:dashboard") + f"?ky={PERIOD}").content.decode()
    assert "Chỉ số giải quyết hồ sơ: Tỉnh Đồng Nai" in page  # the coordinator's top unit
    values = live.unit_values(tree.province, PERIOD)
    row = re.search(r'<tr class="figure-row" id="chi-so-dung_han">(.*?)</tr>', page, re.S).group(1)
    assert "<b>57,14%</b>" in row and values["dung_han"].value == Decimal("57.14")  # 4 of 7 on time
    assert f'href="{drill(tree.province).replace("&", "&amp;")}"' in row
    assert "<svg" in row and "T1: 100,00%" in row  # the monthly sparkline, readable by its title
    hai_long = re.search(r'id="chi-so-hai_long">(.*?)</tr>', page, re.S).group(1)
    assert "<b>100,00%</b>" in hai_long
    # the children: Sở Tư pháp with its figures, a unit without dossiers shows "—", never 0 %
    table = re.search(r'<table class="responsive figures" id="don-vi">(.*?)</table>', page, re.S).group(1)
    stp = re.search(
        r"<tr>\s*<td data-label=\"Đơn vị\"><a href=\"([^\"]+)\">Sở Tư pháp</a>(.*?)</tr>", table, re.S
    )
    assert "57,14%" in stp.group(2) and f"don_vi={tree.agency('STP').pk}" in stp.group(1)
    sct = re.search(r">Sở Công Thương</a>(.*?)</tr>", table, re.S).group(1)
    assert '<span class="muted">—</span>' in sct and "0,00%" not in sct
    assert 'class="chart bars"' in page and "Sở Tư pháp: 57,14%" in page
    # sorted worst first on the chosen indicator: units with a value before those without
    order = re.findall(r'<td data-label="Đơn vị"><a [^>]+>([^<]+)</a>', table)
    assert order[0] == "Sở Tư pháp"


def test_dashboard_sorts_children_worst_first(client, tree, users, world):
    login(client, users.coordinator)
    page = client.get(dash(tree.province, sap_xep="tiep_nhan")).content.decode()
    order = re.findall(r'<td data-label="Đơn vị"><a [^>]+>([^<]+)</a>', page)
    assert order[-1] == "Sở Tư pháp"  # the only unit that received anything is the best on counts


def _subunits(parent, count, start=0):
    for i in range(start, start + count):
        unit_create(
            actor=SYSTEM, name=f"Phòng chuyên môn số {i + 1:02d}", kind=UnitKind.SUBUNIT, parent=parent,
            code=f"{parent.code}.P{i:02d}",
        )  # fmt: skip


def test_dashboard_query_count_does_not_grow_with_children(client, tree, users, world):
    agency = tree.agency("STP")
    login(client, users.coordinator)
    client.get(dash(agency))  # warm up the session and the user's roles

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(dash(agency)).status_code == 200
        return len(ctx.captured_queries)

    _subunits(agency, 3)
    few = count()
    _subunits(agency, 27, start=3)
    many = count()
    assert few == many and many <= 12
    page = client.get(dash(agency)).content.decode()
    assert page.count("Phòng chuyên môn số") >= 30


def test_bad_dashboard_input(client, tree, users):
    login(client, users.coordinator)
    response = client.get(dash(tree.province, ky="2026-Q5"))
    assert response.status_code == 400 and "Kỳ số liệu không hợp lệ" in response.content.decode()
    assert client.get(reverse("indicators:dashboard") + "?don_vi=abc").status_code == 404
    by_code = client.get(reverse("indicators:dashboard") + f"?don_vi={tree.agency('STP').code}&ky=2026")
    assert "Chỉ số giải quyết hồ sơ: Sở Tư pháp" in by_code.content.decode()
    assert client.get(reverse("indicators:dashboard") + "?don_vi=999999").status_code == 404


# --- the dossiers behind a number ------------------------------------------------------------------


def _codes(html: str) -> list[str]:
    return re.findall(r"<code>([^<]+)</code>", html)


def test_drill_down_lists_exactly_the_dossiers_counted(client, tree, users, world):
    login(client, users.coordinator)
    checked = 0
    for unit in (tree.province, tree.agency("STP")):
        for key in (PERIOD, "2026-Q1", "2026-03", "BC-2026-Q1"):
            for code, indicator in DOSSIER_INDICATORS.items():
                reading = readings(code, unit, [key])[key]
                for part in ("numerator", "denominator") if indicator.denominator else ("numerator",):
                    page = client.get(drill(unit, code, part, key)).content.decode()
                    listed = sorted(_codes(page))
                    expected = sorted(dossiers_behind(unit, key, code, part).values_list("code", flat=True))
                    assert listed == expected, (code, part, key)
                    counted = reading.numerator if part == "numerator" else reading.denominator
                    if indicator.numerator_divisor == 1:
                        assert len(listed) == counted, (code, part, key)
                    checked += 1
    assert checked > 150
    page = client.get(drill(tree.province, "dung_han", "denominator")).content.decode()
    assert page.count('class="on-time">Đúng hạn') == 4 and page.count('class="late">Trễ hạn') == 3
    assert 'id="so-ho-so-tinh">7<' in page and 'id="so-ho-so-liet-ke">7<' in page


def test_drill_down_masks_personal_data_for_readers_who_do_not_handle(client, tree, users, world):
    url = drill(tree.agency("STP"), "tiep_nhan")
    login(client, users.leader)  # reads the province, acts on nothing
    page = client.get(url).content.decode()
    assert "0010******45" in page and "001090012345" not in page and len(_codes(page)) == 7
    client.logout()
    login(client, users.officer)  # an officer of the handling unit handles the dossiers
    page = client.get(url).content.decode()
    assert "001090012345" in page and "0010******45" not in page


def test_drill_down_lists_only_what_the_user_may_read(client, tree, users, world):
    """An officer of Sở Tư pháp drilling into the province is refused; into a figure of his own
    unit he sees them all; with a dossier handled by a unit below him he is told it is hidden."""
    login(client, users.officer)
    assert client.get(drill(tree.province)).status_code == 403
    page = client.get(drill(tree.agency("STP"), "tiep_nhan")).content.decode()
    assert 'id="so-ho-so-liet-ke">7<' in page and "không được liệt kê" not in page
    # a dossier of an office under Sở Tư pháp counts in the agency's figure, but the officer
    # reads his own unit only: it is left out of his list, and the page says so
    office = unit_create(
        actor=SYSTEM,
        name="Phòng Hành chính tư pháp",
        kind=UnitKind.SUBUNIT,
        parent=tree.agency("STP"),
        code="P75.STP.HCTP",
    )
    procedure = make_procedure(office, code="2.000488", name="Thủ tục cấp phiếu lý lịch tư pháp")
    hidden = world.receive(at=local(2026, 3, 20, 9), procedure=procedure, handling_unit=office)
    page = client.get(drill(tree.agency("STP"), "tiep_nhan")).content.decode()
    assert 'id="so-ho-so-tinh">8<' in page and 'id="so-ho-so-liet-ke">7<' in page
    assert "1 hồ sơ do đơn vị ngoài phạm vi được xem của bạn giải quyết không được liệt kê" in page
    assert hidden.code not in _codes(page)
    client.logout()
    login(client, users.coordinator)
    page = client.get(drill(tree.agency("STP"), "tiep_nhan")).content.decode()
    assert hidden.code in _codes(page) and len(_codes(page)) == 8


def test_drill_down_is_paginated(client, tree, users, world, monkeypatch):
    from cchc.indicators import views

    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    login(client, users.coordinator)
    first = client.get(drill(tree.province, "tiep_nhan")).content.decode()
    second = client.get(drill(tree.province, "tiep_nhan") + "&trang=2").content.decode()
    pages = _codes(first) + _codes(second)
    assert len(pages) == len(set(pages)) == 7 and "Trang 1/2" in first


@pytest.mark.parametrize(
    "query, message",
    [
        ("ky=2026-13&ma=dung_han&phan=tu_so", "Kỳ số liệu không hợp lệ"),
        ("ky=BC-2026&ma=dung_han&phan=tu_so", "viết BC-2026-Y"),
        ("ky=2026&ma=khong_co&phan=tu_so", "không phải chỉ số hồ sơ"),
        ("ky=2026&ma=dung_han&phan=ca_hai", "tử số"),
        ("ky=2026&ma=dung_han&phan=numerator", "tu_so"),  # the old English value
    ],
)
def test_bad_drill_down_input(client, tree, users, query, message):
    login(client, users.coordinator)
    response = client.get(f"{reverse('indicators:dossiers')}?don_vi={tree.province.pk}&{query}")
    assert response.status_code == 400 and message in response.content.decode()
    assert client.get(f"{reverse('indicators:dossiers')}?don_vi=x&{query}").status_code == 404


# --- the plan's targets ----------------------------------------------------------------------------

PLAN_READERS = {
    "admin",
    "coordinator",
    "leader",
    "officer",
    "officer_other",
    "commune_officer",
    "commune_coordinator",
}


@pytest.mark.parametrize("role", ROLES)
def test_plan_targets_access_and_binding_by_role(client, issued_plan, users, role):
    plan = issued_plan  # issued: the units with tasks in it see it
    target = plan.targets.order_by("position").first()
    login(client, getattr(users, role))
    page = client.get(reverse("targets:plan_targets", args=[plan.pk]))
    assert page.status_code == (200 if role in PLAN_READERS else 403)
    url = reverse("targets:target_bind", args=[plan.pk, target.pk])
    before = AuditEntry.objects.count()
    response = client.post(url, {"indicator": "dung_han"})
    if role in {"admin", "coordinator"}:
        assert response.status_code == 302
        assert binding_of(Target.objects.get(pk=target.pk)).indicator == "dung_han"
        unbind = client.post(reverse("targets:target_unbind", args=[plan.pk, target.pk]))
        assert unbind.status_code == 302 and binding_of(Target.objects.get(pk=target.pk)).indicator == ""
    else:
        assert response.status_code == 403
        assert (
            binding_of(Target.objects.get(pk=target.pk)).indicator == ""
            and AuditEntry.objects.count() == before
        )


def test_plan_targets_page_shows_values_gaps_and_statuses(client, plan, tree, users, world):
    first, second = plan.targets.order_by("position")
    login(client, users.coordinator)
    page = client.get(reverse("targets:plan_targets", args=[plan.pk])).content.decode()
    assert "Đề xuất: Tỷ lệ hồ sơ đúng hạn (%) (khớp cụm “đúng hạn”)" in page
    assert "Chưa gắn chỉ số" in page and ">Xác nhận</button>" in page
    response = client.post(
        reverse("targets:target_bind", args=[plan.pk, first.pk]),
        {"indicator": "dung_han", "measured_unit": tree.agency("STP").pk},
        follow=True,
    )
    assert "Đã gắn chỉ tiêu với chỉ số “Tỷ lệ hồ sơ đúng hạn (%)” (Sở Tư pháp)." in response.content.decode()
    page = client.get(reverse("targets:plan_targets", args=[plan.pk])).content.decode()
    row = re.search(rf'<tr id="chi-tieu-{first.pk}">(.*?)</tr>', page, re.S).group(1)
    if plan.from_year == 2026:  # the fixture plan is this year's: the 2026 dossiers count
        assert "57,14%" in row and "&gt; 95%" in row and "Thiếu 37,86" in row
        assert re.search(r'class="badge ts-(at_risk|not_met)"', row)
        assert "ma=dung_han" in row and "<svg" in row
    # a bad measured unit is refused with a message, nothing changes
    before = AuditEntry.objects.count()
    response = client.post(
        reverse("targets:target_bind", args=[plan.pk, second.pk]),
        {"indicator": "dung_han", "measured_unit": tree.other_province.pk},
        follow=True,
    )
    assert "phải là Tỉnh Đồng Nai hoặc một đơn vị trực thuộc" in response.content.decode()
    assert (
        AuditEntry.objects.count() == before and binding_of(Target.objects.get(pk=second.pk)).indicator == ""
    )
    response = client.post(
        reverse("targets:target_bind", args=[plan.pk, second.pk]), {"indicator": "không có"}, follow=True
    )
    assert "không hợp lệ" in response.content.decode()


def test_target_edit_page_shows_the_suggestion_and_confirms_it(client, plan, users):
    target = plan.targets.order_by("position").first()
    edit = reverse("plans:target_edit", args=[plan.pk, target.pk])
    login(client, users.coordinator)
    page = client.get(edit).content.decode()
    assert "Đề xuất: <b>Tỷ lệ hồ sơ đúng hạn (%)</b> (khớp cụm “đúng hạn”)" in page
    assert "Xác nhận chỉ số đề xuất" in page
    response = client.post(
        reverse("targets:target_bind", args=[plan.pk, target.pk]), {"indicator": "dung_han", "next": edit}
    )
    assert response.status_code == 302 and response["Location"] == edit
    binding = binding_of(Target.objects.get(pk=target.pk))
    assert binding.indicator == "dung_han" and binding.confirmed_by == users.coordinator
    page = client.get(edit).content.decode()
    assert "Đã gắn: <b>Tỷ lệ hồ sơ đúng hạn (%)</b>" in page and "Xác nhận chỉ số đề xuất" not in page
    # another site as "next" is ignored
    response = client.post(
        reverse("targets:target_bind", args=[plan.pk, target.pk]),
        {"indicator": "dung_han", "next": "https://example.com/"},
    )
    assert response["Location"].startswith(reverse("targets:plan_targets", args=[plan.pk]))


def test_plan_detail_links_to_the_targets_page(client, plan, users):
    login(client, users.leader)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert reverse("targets:plan_targets", args=[plan.pk]) in page


def test_plan_targets_query_count_is_per_measured_unit(client, plan, tree, users, world):
    for t in plan.targets.all():
        target_bind(actor=users.coordinator, target=t, indicator="dung_han")
    login(client, users.coordinator)
    url = reverse("targets:plan_targets", args=[plan.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    totals = [q for q in ctx.captured_queries if "indicators_measuretotal" in q["sql"]]
    assert len(totals) == 1  # two targets measured at the province: one read of the aggregates
    # the dossier table is read once, for the open dossiers only (judged now, by the partial index)
    open_reads = [q["sql"] for q in ctx.captured_queries if '"dossiers_dossier"' in q["sql"]]
    assert len(open_reads) == 1 and '"finished_at" IS NULL' in open_reads[0]


def test_year_of_a_multi_year_plan_target(tree, users):
    from cchc.plans.models import Plan
    from cchc.targets.status import target_year

    plan = Plan(from_year=2021, to_year=2025)
    assert target_year(Target(year=2023), plan, dt.date(2026, 5, 1)) == 2023
    assert target_year(Target(year=None), plan, dt.date(2026, 5, 1)) == 2025
    assert target_year(Target(year=None), plan, dt.date(2022, 5, 1)) == 2022


def test_one_menu_entry_and_tabs_between_the_kinds_of_figures(client, tree, users, world):
    login(client, users.coordinator)
    for name in ("indicators:dashboard", "index766:index", "manual_indicators:index"):
        html = client.get(reverse(name)).content.decode()
        assert 'aria-label="Các loại chỉ số"' in html, name
        assert html.count('class="active">Chỉ số</a>') == 1, name  # the menu entry stays lit
        for tab in ("Chỉ số hồ sơ, chỉ tiêu kế hoạch", "Chỉ số 766", "Số liệu báo cáo"):
            assert tab in html
    assert 'aria-label="Các loại chỉ số"' not in client.get(reverse("plans:list")).content.decode()
