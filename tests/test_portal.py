"""The public portal (cchc/portal, docs/portal.md): no account, the province's catalogue searched
without accents, filtered and paged in Vietnamese order; scoreboards whose numbers are the
indicator sources' own; reform progress; the existing public pages under the portal's layout;
ETag/304 and cached fragments dropped by dossier events; never a 500 for a bad parameter and
never a person's data."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cchc.core import indicator_sources
from cchc.core.actors import SYSTEM
from cchc.core.text import vi_sort_key
from cchc.dossiers import services as dossier_services
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
