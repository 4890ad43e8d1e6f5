"""The public portal (cchc/portal, docs/portal.md): no account, the province's catalogue searched
without accents, filtered and paged in Vietnamese order; scoreboards whose numbers are the
indicator sources' own; reform progress; the existing public pages under the portal's layout;
ETag/304 and cached fragments dropped by dossier events; never a 500 for a bad parameter and
never a person's data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cchc.core import indicator_sources
from cchc.core.actors import CITIZEN, SYSTEM
from cchc.core.indicator_sources import CALENDAR, PERCENT, Reading, Source
from cchc.core.text import vi_sort_key
from cchc.dossiers import services as dossier_services
from cchc.evaluation.models import Round
from cchc.portal import freshness
from cchc.procedures import services as procedure_services
from cchc.procedures.models import Level, OnlineMode, TimeUnit
from cchc.targets.services import target_bind

from .test_dossiers_support import APPLICANT, make_procedure, make_world


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    cache.clear()  # rate limits and fragments of one test never reach another
    yield
    cache.clear()


def procedure(agency, code, name, **extra):
    data = {
        "level": Level.PROVINCE,
        "processing_time": 10,
        "time_unit": TimeUnit.WORKING_DAY,
        "fee_amount": 0,
        "online_mode": OnlineMode.NONE,
    } | extra
    return procedure_services.procedure_save(actor=SYSTEM, code=code, name=name, agency=agency, **data)


@pytest.fixture
def catalogue(tree):
    stp, sct = tree.agency("STP"), tree.agency("SCT")
    procs = {
        "giay_phep": procedure(
            sct, "1.000001", "Cấp giấy phép kinh doanh rượu", field="Lưu thông hàng hóa", online_mode="full"
        ),
        "giay_chung_nhan": procedure(stp, "1.000002", "Cấp giấy chứng nhận quyền tác giả", field="Bản quyền"),
        "khai_sinh": procedure(
            tree.province, "1.001193", "Đăng ký khai sinh", field="Hộ tịch", level=Level.COMMUNE
        ),
        "phat_sinh": procedure(stp, "1.000004", "Đăng ký phát sinh thêm", field="Hộ tịch"),
        "an_toan": procedure(sct, "1.000005", "Ấn định an toàn thực phẩm", field="An toàn thực phẩm"),
        "dieu_chinh": procedure(sct, "1.000006", "Điều chỉnh giấy phép", field="Lưu thông hàng hóa"),
        "dang_ky": procedure(sct, "1.000007", "Đăng ký dấu nghiệp vụ", field="Lưu thông hàng hóa"),
    }
    other = procedure(tree.other_province, "1.000008", "Cấp giấy phép ở tỉnh khác")
    procs["other"] = other
    return procs


def names(response) -> list[str]:
    return [p.name for p in response.context["procedures"]]


# --- Vietnamese order -------------------------------------------------------------------------


def test_vietnamese_dictionary_order():
    shuffled = [
        "Yên Bái",
        "Đà Nẵng",
        "Ấn Độ",
        "Ăn",
        "An Giang",
        "Cao Bằng",
        "Cà Mau",
        "Điện Biên",
        "Dung",
        "Ưu",
        "Uy",
    ]
    assert sorted(shuffled, key=vi_sort_key) == [
        "An Giang",
        "Ăn",
        "Ấn Độ",
        "Cà Mau",
        "Cao Bằng",
        "Dung",
        "Đà Nẵng",
        "Điện Biên",
        "Uy",
        "Ưu",
        "Yên Bái",
    ]
    # tones break ties in the order: none, huyền, hỏi, ngã, sắc, nặng
    assert sorted(["Bạ", "Bá", "Bã", "Bả", "Bà", "Ba"], key=vi_sort_key) == [
        "Ba",
        "Bà",
        "Bả",
        "Bã",
        "Bá",
        "Bạ",
    ]


# --- catalogue --------------------------------------------------------------------------------


def test_search_without_accents_finds_the_accented_names(client, catalogue):
    r = client.get(reverse("portal:procedures"), {"q": "cap giay"})
    assert r.status_code == 200
    assert names(r) == ["Cấp giấy chứng nhận quyền tác giả", "Cấp giấy phép kinh doanh rượu"]
    assert "Cấp giấy phép ở tỉnh khác" not in r.content.decode()  # another province's catalogue
    assert names(client.get(reverse("portal:procedures"), {"q": "CẤP GIẤY PHÉP"})) == [
        "Cấp giấy phép kinh doanh rượu"
    ]
    assert names(client.get(reverse("portal:procedures"), {"q": "1.001193"})) == ["Đăng ký khai sinh"]
    assert names(client.get(reverse("portal:procedures"), {"q": "dieu chinh"})) == ["Điều chỉnh giấy phép"]


def test_words_side_by_side_come_first_then_vietnamese_order(client, catalogue):
    r = client.get(reverse("portal:procedures"), {"q": "dang ky"})
    assert names(r) == ["Đăng ký dấu nghiệp vụ", "Đăng ký khai sinh", "Đăng ký phát sinh thêm"]
    r = client.get(reverse("portal:procedures"), {"q": "ky sinh"})  # not side by side in either
    assert names(r) == ["Đăng ký khai sinh", "Đăng ký phát sinh thêm"]
    all_names = names(client.get(reverse("portal:procedures")))
    assert all_names == sorted(all_names, key=vi_sort_key)
    assert all_names[0] == "Ấn định an toàn thực phẩm" and all_names[-1] == "Điều chỉnh giấy phép"
    by_code = client.get(reverse("portal:procedures"), {"sap_xep": "ma"}).context["procedures"]
    assert [p.code for p in by_code] == sorted(p.code for p in by_code)


def test_filters_combine_with_the_search(client, tree, catalogue):
    url = reverse("portal:procedures")
    assert names(client.get(url, {"linh_vuc": "Hộ tịch"})) == ["Đăng ký khai sinh", "Đăng ký phát sinh thêm"]
    assert names(client.get(url, {"q": "dang ky", "linh_vuc": "Hộ tịch", "cap": "commune"})) == [
        "Đăng ký khai sinh"
    ]
    sct = tree.agency("SCT")
    assert set(names(client.get(url, {"co_quan": sct.pk, "q": "giay phep"}))) == {
        "Cấp giấy phép kinh doanh rượu",
        "Điều chỉnh giấy phép",
    }
    assert names(client.get(url, {"muc_do": "full"})) == ["Cấp giấy phép kinh doanh rượu"]


def test_pages_of_twenty(client, tree):
    stp = tree.agency("STP")
    for i in range(45):
        procedure(stp, f"2.{i:06d}", f"Thủ tục số {i:02d}")
    url = reverse("portal:procedures")
    first = client.get(url)
    assert len(first.context["procedures"]) == 20 and first.context["page"].paginator.num_pages == 3
    third = client.get(url, {"trang": "3"})
    assert [p.name for p in third.context["procedures"]] == [f"Thủ tục số {i:02d}" for i in range(40, 45)]
    assert "trang=2" in third.content.decode()


@pytest.mark.parametrize(
    "params, status, words",
    [
        ({"trang": "abc"}, 400, "Số trang"),
        ({"trang": "0"}, 400, "Số trang"),
        ({"trang": "99"}, 404, "Không có trang 99"),
        ({"co_quan": "999999"}, 400, "cơ quan"),
        ({"co_quan": "abc"}, 400, "cơ quan"),
        ({"cap": "huyen"}, 400, "Cấp thực hiện"),
        ({"muc_do": "x"}, 400, "Mức độ"),
        ({"sap_xep": "gia"}, 400, "sắp xếp"),
        ({"linh_vuc": "Không có"}, 400, "Lĩnh vực"),
    ],
)
def test_bad_catalogue_parameters_are_refused_in_vietnamese(client, catalogue, params, status, words):
    r = client.get(reverse("portal:procedures"), params)
    assert r.status_code == status
    assert words in r.content.decode()


def test_procedure_page_has_what_a_citizen_needs(client, tree):
    p = make_procedure(tree.agency("STP"))  # online in full, 50.000 đồng, three steps, two components
    procedure_services.component_save(
        actor=SYSTEM,
        procedure=p,
        name="Tờ khai",
        form_template="Mẫu số 01 ban hành kèm Thông tư 04/2020/TT-BTP",
    )
    r = client.get(reverse("portal:procedure", args=[p.pk]))
    body = r.content.decode()
    assert r.status_code == 200
    for expected in (
        "Thủ tục đăng ký khai sinh",
        "1.001193",
        "5 ngày làm việc",
        "50.000 đồng",
        "Giấy chứng sinh",
        "Mẫu số 01 ban hành kèm Thông tư 04/2020/TT-BTP",
        "Phê duyệt kết quả",
        "Lãnh đạo cơ quan",
        "ma_thu_tuc=1.001193",
        "Bộ phận Một cửa",
    ):
        assert expected in body, expected


def test_unknown_or_foreign_procedure_is_404(client, catalogue):
    assert client.get(reverse("portal:procedure", args=[999999])).status_code == 404
    r = client.get(reverse("portal:procedure", args=[catalogue["other"].pk]))
    assert r.status_code == 404 and "Không tìm thấy thủ tục" in r.content.decode()


def test_the_online_address_is_configurable(client, tree, settings):
    settings.CCHC_PORTAL_ONLINE_URL = "https://dichvucong.dongnai.gov.vn/thu-tuc/{code}"
    p = make_procedure(tree.agency("STP"))
    body = client.get(reverse("portal:procedure", args=[p.pk])).content.decode()
    assert "https://dichvucong.dongnai.gov.vn/thu-tuc/1.001193" in body


def test_the_search_is_rate_limited_per_address(client, catalogue, monkeypatch):
    monkeypatch.setattr("cchc.portal.views.SEARCHES_PER_MINUTE", 3)
    url = reverse("portal:procedures")
    assert [client.get(url, {"q": "cap"}).status_code for _ in range(3)] == [200, 200, 200]
    r = client.get(url, {"q": "cap"})
    assert r.status_code == 429 and "quá nhiều lần" in r.content.decode()
    assert client.get(url).status_code == 200  # browsing without a search is not counted


def test_catalogue_queries_do_not_grow_with_the_catalogue(client, tree):
    stp = tree.agency("STP")
    url = reverse("portal:procedures")

    def queries() -> int:
        cache.clear()  # the rate limit's counter costs more queries on its first write
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"q": "thu tuc"}).status_code == 200
        return len(ctx)

    for i in range(5):
        procedure(stp, f"3.{i:06d}", f"Thủ tục {i}", field=f"Lĩnh vực {i}")
    few = queries()
    for i in range(5, 60):
        procedure(tree.agency("SCT"), f"3.{i:06d}", f"Thủ tục {i}", field=f"Lĩnh vực {i}")
    assert queries() == few <= 12


# --- scoreboards ------------------------------------------------------------------------------


@pytest.fixture
def w(tree, users):
    return make_world(tree, users)


def settled_and_rated(w, users, rating="hai_long"):
    d = w.receive()
    w.decide(d, granted=True)
    dossier_services.dossier_rate(dossier=d, rating=rating)
    return d


def cell_texts(response, unit_code: str) -> dict[str, str]:
    """{indicator code: the figure shown} of one unit's row of the scoreboard."""
    import re

    body = response.content.decode()
    row = re.search(rf'<tr data-unit="{re.escape(unit_code)}">(.*?)</tr>', body, re.S)
    assert row, f"no row for {unit_code}"
    return dict(re.findall(r'<td class="num" data-code="([^"]+)">([^<]*)</td>', row[1]))


def test_scoreboard_numbers_are_the_indicator_figures(client, tree, users, w):
    settled_and_rated(w, users, "hai_long")
    settled_and_rated(w, users, "khong_hai_long")
    w.receive()
    year = str(timezone.localdate().year)
    r = client.get(reverse("portal:scoreboard"), {"ky": year})
    assert r.status_code == 200
    stp = tree.agency("STP")
    shown = cell_texts(r, stp.code)
    assert set(shown) >= {"dung_han", "truc_tuyen", "hai_long", "766"}
    for code, text in shown.items():
        source = indicator_sources.source_of(code, stp)
        value = indicator_sources.readings(code, stp, [year])[year].value
        assert text == indicator_sources.format_value(source, value), code
    assert shown["hai_long"] == "50,00%" and shown["dung_han"] == "100,00%"
    # the province's own figures count its whole subtree
    province_value = indicator_sources.readings("hai_long", tree.province, [year])[year].value
    assert (
        f'data-code="hai_long">{indicator_sources.format_value(indicator_sources.source_of("hai_long"), province_value)}'
        in (r.content.decode())
    )


def test_scoreboard_ranks_within_each_level(client, tree, users, w):
    settled_and_rated(w, users)
    r = client.get(reverse("portal:scoreboard"), {"sap_xep": "hai_long"})
    body = r.content.decode()
    # Sở Tư pháp, the only agency with ratings, comes first with rank 1; the communes are apart
    first_agency_row = (
        body.split("Sở, ban, ngành: xếp hạng", 1)[1].split("<tbody>", 1)[1].split("</tr>", 1)[0]
    )
    assert tree.agency("STP").name in first_agency_row and '<td class="rank">1</td>' in first_agency_row
    assert "Xã, phường, đặc khu: xếp hạng" in body
    ranks = (
        body.split("Sở, ban, ngành: xếp hạng", 1)[1].split("</table>", 1)[0].count('<td class="rank">1</td>')
    )
    assert ranks == 1  # the agencies without figures are not ranked
    assert "<svg" in body and 'role="img"' in body  # the charts: inline SVG, no script


@pytest.mark.parametrize(
    "params, status, words",
    [
        ({"ky": "2026-13"}, 400, "Kỳ"),
        ({"ky": "abc"}, 400, "Kỳ"),
        ({"ky": "BC-2026-Q1"}, 400, "Kỳ"),
        ({"ky": str(dt.date.today().year + 1)}, 400, "chưa bắt đầu"),
        ({"sap_xep": "khong_co"}, 400, "Không có chỉ số"),
    ],
)
def test_bad_scoreboard_parameters_are_refused_in_vietnamese(client, tree, params, status, words):
    r = client.get(reverse("portal:scoreboard"), params)
    assert r.status_code == status and words in r.content.decode()


def test_a_unit_page_shows_its_months_and_unknown_units_are_404(client, tree, users, w):
    settled_and_rated(w, users)
    stp = tree.agency("STP")
    r = client.get(reverse("portal:scoreboard_unit", args=[stp.code]))
    assert r.status_code == 200
    today = timezone.localdate()
    assert f"Tháng {today.month}/{today.year}" in r.content.decode()
    year = str(today.year)
    value = indicator_sources.readings("hai_long", stp, [year])[year].value
    assert (
        f'data-code="hai_long">{indicator_sources.format_value(indicator_sources.source_of("hai_long"), value)}'
        in (r.content.decode().split('id="unit-year"', 1)[1])
    )
    for code in ("KHONG-CO", tree.other_commune.code, tree.former.code, "x" * 300):
        r = client.get(reverse("portal:scoreboard_unit", args=[code]))
        assert r.status_code == 404 and "Không có cơ quan, đơn vị" in r.content.decode()
    assert client.get(reverse("portal:scoreboard_unit", args=[stp.code]), {"ky": "x"}).status_code == 400


class SurveySource:
    """A provider registered later (as the surveys app will): its public codes become columns."""

    family = "khao_sat_thu"
    group_label = "Khảo sát (thử)"
    code_help = "khao_sat_thu:hai_long"
    public_codes = ("khao_sat_thu:hai_long",)

    def owns(self, code):
        return code.startswith("khao_sat_thu:")

    def source(self, code, unit=None):
        return Source(
            code, "Chỉ số hài lòng khảo sát (thử)", self.family, PERCENT, True, "%", cadence=CALENDAR
        )

    def choices(self, unit):
        return []

    def check_bindable(self, code, unit):
        return None

    def drill_url(self, code, unit, period_key):
        return ""

    def readings(self, requests):
        return [{k: Reading(Decimal("87.5")) for k in keys} for _, _, keys in requests]


def test_a_newly_registered_source_gets_a_column(client, tree):
    provider = SurveySource()
    indicator_sources.providers.register(provider)
    try:
        r = client.get(reverse("portal:scoreboard"))
        assert "Chỉ số hài lòng khảo sát (thử)" in r.content.decode()
        assert cell_texts(r, tree.agency("STP").code)["khao_sat_thu:hai_long"] == "87,50%"
    finally:
        indicator_sources.providers.unregister(provider)
    cache.clear()
    assert "khảo sát (thử)" not in client.get(reverse("portal:scoreboard")).content.decode()


# --- caching ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["portal:scoreboard", "portal:progress"])
def test_figure_pages_answer_304_until_something_changes(client, tree, users, w, name):
    url = reverse(name)
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert (
        client.get(
            url + "?ky=" + str(timezone.localdate().year), HTTP_IF_NONE_MATCH=first["ETag"]
        ).status_code
        == 200
    )
    w.receive()  # a dossier event: the figures may have moved
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]


def test_dossier_events_bump_the_version_after_commit(tree, users, w, django_capture_on_commit_callbacks):
    before = freshness.version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        w.receive()
    assert freshness.version() == before  # not before the commit
    for callback in callbacks:
        callback()
    assert freshness.version() > before


def test_one_bump_per_transaction_and_none_lost_with_a_rolled_back_savepoint(
    tree, users, w, django_capture_on_commit_callbacks
):
    """A batch of changes in one transaction bumps the version once at its commit (an API batch
    of 1,000 events used to bump 2,000 times); a bump scheduled in a savepoint that rolls back
    is gone with it, so the next change schedules its own."""
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        try:
            with transaction.atomic():
                freshness.bump_after_commit()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        pending = transaction.get_connection().run_on_commit
        assert not any(f is freshness.bump for _, f, _ in pending)  # gone with its savepoint
        w.receive()
        w.receive()
        freshness.bump_after_commit()
    assert [c for c in callbacks if c is freshness.bump] == [freshness.bump]


def test_the_cached_table_follows_a_new_rating(client, tree, users, w, settings):
    settings.CCHC_PORTAL_REFRESH_SECONDS = 0
    d = w.receive()
    w.decide(d, granted=True)
    url = reverse("portal:scoreboard")
    assert cell_texts(client.get(url), tree.agency("STP").code)["hai_long"] == "—"
    dossier_services.dossier_rate(dossier=d, rating="rat_hai_long")
    assert cell_texts(client.get(url), tree.agency("STP").code)["hai_long"] == "100,00%"


def test_a_burst_of_changes_rebuilds_the_table_at_most_once_a_minute(client, tree, users, w, settings):
    settings.CCHC_PORTAL_REFRESH_SECONDS = 60
    d = w.receive()
    w.decide(d, granted=True)
    url = reverse("portal:scoreboard")
    assert cell_texts(client.get(url), tree.agency("STP").code)["hai_long"] == "—"
    dossier_services.dossier_rate(dossier=d, rating="rat_hai_long")
    assert cell_texts(client.get(url), tree.agency("STP").code)["hai_long"] == "—"  # built < 60 s ago
    settings.CCHC_PORTAL_REFRESH_SECONDS = 0
    assert cell_texts(client.get(url), tree.agency("STP").code)["hai_long"] == "100,00%"


def test_the_table_is_served_from_the_cache(client, tree, users, w):
    settled_and_rated(w, users)
    url = reverse("portal:scoreboard")
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert len(warm) < len(cold) / 2 and len(warm) <= 12


# --- reform progress --------------------------------------------------------------------------


def test_progress_shows_the_plan_its_targets_and_published_rounds(client, tree, users, issued_plan, w):
    on_time = issued_plan.targets.get(text__startswith="Trên 95%")
    target_bind(actor=users.coordinator, target=on_time, indicator="dung_han")
    settled_and_rated(w, users)
    r = client.get(reverse("portal:progress"))
    body = r.content.decode()
    assert r.status_code == 200
    assert issued_plan.title in body and "12/KH-UBND" in body
    assert "Trên 95% hồ sơ TTHC được giải quyết đúng hạn." in body and "&gt; 95%" in body
    assert "100,00%" in body  # the bound target's figure: every dossier settled on time
    assert "Chưa gắn chỉ số" in body  # the other target
    assert "Nhiệm vụ: <b>0</b>/3" in body
    assert "Chưa có kết quả Chỉ số CCHC nào được công bố." in body
    assert not Round.objects.exists()


def test_progress_without_a_plan(client, tree):
    body = client.get(reverse("portal:progress")).content.decode()
    assert "Chưa có kế hoạch cải cách hành chính năm" in body


# --- every public page: layout, no account, no person -----------------------------------------


def portal_urls(tree) -> list[str]:
    return [
        reverse("portal:home"),
        reverse("portal:procedures"),
        reverse("portal:procedures") + "?q=khai+sinh",
        reverse("portal:scoreboard"),
        reverse("portal:scoreboard") + "?sap_xep=hai_long",
        reverse("portal:scoreboard_unit", args=[tree.province.code]),
        reverse("portal:scoreboard_unit", args=[tree.agency("STP").code]),
        reverse("portal:scoreboard_unit", args=[tree.communes[0].code]),
        reverse("portal:progress"),
        reverse("evaluation_public:public_index"),
        reverse("lookup"),
        reverse("feedback_public"),
        reverse("feedback_lookup"),
    ]


def test_no_personal_data_on_any_public_page(client, tree, users, issued_plan, w):
    d = settled_and_rated(w, users)
    w.receive()
    dossier_services.feedback_receive(
        actor=CITIZEN,
        content="Góp ý về thủ tục",
        sender=dossier_services.Sender(name=APPLICANT.name, phone=APPLICANT.phone, address=APPLICANT.address),
        unit=w.agency,
    )
    urls = portal_urls(tree) + [reverse("portal:procedure", args=[w.procedure.pk])]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        body = r.content.decode()
        for secret in (
            APPLICANT.name,
            APPLICANT.phone,
            APPLICANT.address,
            APPLICANT.id_number,
            APPLICANT.email,
            d.code,
        ):
            assert secret not in body, (url, secret)


def test_public_pages_share_the_portal_layout(client, tree):
    for url in portal_urls(tree):
        body = client.get(url).content.decode()
        assert '<html lang="vi">' in body, url
        assert 'class="skip-link" href="#noi-dung"' in body and 'id="noi-dung"' in body, url
        assert "Tỉnh Đồng Nai" in body.split("</header>", 1)[0], url
        assert 'aria-label="Điều hướng chính"' in body and "<footer" in body, url


def test_the_portal_speaks_for_the_configured_province(client, tree, settings):
    settings.CCHC_PORTAL_PROVINCE = tree.other_province.code
    body = client.get(reverse("portal:home")).content.decode()
    assert "Tỉnh Tây Ninh" in body.split("</header>", 1)[0]


def test_the_dossier_figures_of_many_units_at_once_equal_one_unit_at_a_time(tree, users, w):
    """The scoreboard asks the dossier provider for every unit in one batch (one subtree read per
    root instead of two queries per unit); the figures must be those of the one-unit path."""
    settled_and_rated(w, users)
    settled_and_rated(w, users, "binh_thuong")
    w.receive()  # still open: judged at the cut
    year = str(timezone.localdate().year)
    month = f"{year}-{timezone.localdate().month:02d}"
    units = [tree.province, tree.agency("STP"), tree.agency("SCT"), *tree.communes, tree.other_province]
    codes = ["dung_han", "truc_tuyen", "hai_long", "tre_han", "tiep_nhan", "tg_giai_quyet_tb"]
    batch = indicator_sources.readings_many([(c, u, [year, month]) for c in codes for u in units])
    one_by_one = [indicator_sources.readings(c, u, [year, month]) for c in codes for u in units]
    assert batch == one_by_one
    assert any(r[year].value is not None for r in batch)


def test_the_survey_satisfaction_index_is_a_public_column(tree):
    """The surveys app offers its overall satisfaction index to the public scoreboards."""
    from cchc.portal.scoreboard import columns

    assert "khao_sat:hai_long" in [source.code for source in columns(tree.province)]
