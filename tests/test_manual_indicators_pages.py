"""Manual-indicator pages: who may see and do what, forms, query counts, the XLSX export."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cchc.core.models import AuditEntry
from cchc.manual_indicators import services
from cchc.manual_indicators.models import Kind, ManualIndicator, ManualReport, Periodicity
from cchc.orgs.models import UnitKind

from .access_helpers import EVERYONE, ROLES
from .conftest import PASSWORD

PY = timezone.localdate().year - 1
Q1 = f"BC-{PY}-Q1"
IN_PROVINCE = EVERYONE - {"foreign_coordinator"}
MANAGERS = {"admin", "coordinator"}


@pytest.fixture
def d(tree, users):
    return services.definition_create(
        actor=users.coordinator,
        unit=tree.province,
        code="ty-le-ky-so",
        name="Tỷ lệ văn bản được ký số",
        kind=Kind.RATIO,
        periodicity=Periodicity.QUARTER,
        numerator_label="Số văn bản ký số",
        denominator_label="Tổng số văn bản đi",
        unit_kinds=[UnitKind.AGENCY, UnitKind.COMMUNE],
        guidance="Văn bản đi có chữ ký số, trừ văn bản mật.",
    )


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def file(user, d, unit, numerator, denominator, period=Q1):
    return services.report_save(
        actor=user, definition=d, unit=unit, period=period, numerator=numerator, denominator=denominator
    )[0]


def urls(d, tree):
    report = reverse("manual_indicators:report", args=[d.pk])
    return [
        ("index", "get", reverse("manual_indicators:index"), EVERYONE, 200),
        (
            "create",
            "get",
            reverse("manual_indicators:create"),
            MANAGERS | {"commune_coordinator", "foreign_coordinator"},
            200,
        ),
        ("edit", "get", reverse("manual_indicators:edit", args=[d.pk]), MANAGERS, 200),
        (
            "overview",
            "get",
            reverse("manual_indicators:overview", args=[d.pk]) + f"?ky={Q1}",
            IN_PROVINCE,
            200,
        ),
        (
            "overview xlsx",
            "get",
            reverse("manual_indicators:overview", args=[d.pk]) + f"?ky={Q1}&xuat=xlsx",
            IN_PROVINCE,
            200,
        ),
        (
            "overview of an agency",
            "get",
            reverse("manual_indicators:overview", args=[d.pk]) + f"?ky={Q1}&don_vi={tree.agency('STP').pk}",
            {"admin", "coordinator", "leader", "officer"},
            200,
        ),
        # the report form: everyone who reports for a unit in scope; leaders never
        ("report form", "get", report + f"?ky={Q1}", IN_PROVINCE - {"leader"}, 200),
        (
            "report form for STP",
            "get",
            report + f"?ky={Q1}&don_vi={tree.agency('STP').pk}",
            {"admin", "coordinator", "officer"},
            200,
        ),
        (
            "report STP",
            "post",
            report + f"?ky={Q1}&don_vi={tree.agency('STP').pk}",
            {"admin", "coordinator", "officer"},
            302,
        ),
        (
            "report the commune",
            "post",
            report + f"?ky={Q1}&don_vi={tree.communes[0].pk}",
            {"admin", "coordinator", "commune_officer", "commune_coordinator"},
            302,
        ),
        ("delete", "post", reverse("manual_indicators:delete", args=[d.pk]), MANAGERS, 302),
    ]


def test_access_matrix(client, tree, users, d):
    """Role × page × own/other unit; everyone not allowed gets 403, nobody a server error."""
    problems = []
    for name, method, url, allowed, ok in urls(d, tree):
        for role in ROLES:
            if name == "delete" and not ManualIndicator.objects.filter(pk=d.pk).exists():
                d = services.definition_create(
                    actor=users.coordinator,
                    unit=tree.province,
                    code=d.code,
                    name=d.name,
                    kind=d.kind,
                    periodicity=d.periodicity,
                    numerator_label="a",
                    denominator_label="b",
                    unit_kinds=[UnitKind.AGENCY, UnitKind.COMMUNE],
                )
                url = reverse("manual_indicators:delete", args=[d.pk])
            client.logout()
            login(client, getattr(users, role))
            data = {"numerator": "3", "denominator": "4", "note": ""} if method == "post" else None
            response = (
                getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
            )
            expected = ok if role in allowed else 403
            if response.status_code != expected:
                problems.append(f"{name} as {role}: {response.status_code}, expected {expected}")
            ManualReport.objects.all().delete()
    client.logout()
    assert client.get(reverse("manual_indicators:index")).status_code == 302  # to the login page
    assert not problems, "\n".join(problems)


def test_report_form_files_and_corrects(client, tree, users, d):
    login(client, users.officer)
    url = reverse("manual_indicators:report", args=[d.pk]) + f"?ky={Q1}"
    page = client.get(url).content.decode()
    assert "Tử số: Số văn bản ký số" in page and "Sở Tư pháp" in page and "Quý I/" in page
    response = client.post(url, {"numerator": "1.234", "denominator": "1.500", "note": "Theo hệ thống"})
    assert response.status_code == 302
    r = ManualReport.objects.get()
    assert (r.unit, r.period, r.numerator, r.denominator, r.value) == (
        tree.agency("STP"),
        Q1,
        1234,
        1500,
        Decimal("82.27"),
    )
    page = client.get(url).content.decode()
    assert "Lưu lại sẽ điều chỉnh số liệu" in page and "82,27%" in page and "1.234" in page
    client.post(url, {"numerator": "1.300", "denominator": "1.500"})
    r.refresh_from_db()
    assert r.numerator == 1300 and r.corrections == 1
    page = client.get(url).content.decode()
    assert "Lịch sử báo cáo" in page and "Điều chỉnh" in page and "82,27%" in page and "86,67%" in page


def test_bad_figures_are_explained_and_leave_no_trace(client, tree, users, d):
    login(client, users.officer)
    url = reverse("manual_indicators:report", args=[d.pk]) + f"?ky={Q1}"
    audits = AuditEntry.objects.count()
    page = client.post(url, {"numerator": "120", "denominator": "100"}).content.decode()
    assert "Tử số (Số văn bản ký số) không được lớn hơn mẫu số (120 &gt; 100)" in page
    page = client.post(url, {"numerator": "5", "denominator": "0"}).content.decode()
    assert "Mẫu số (Tổng số văn bản đi) phải lớn hơn 0" in page
    page = client.post(url, {"numerator": "1,5", "denominator": "3"}).content.decode()
    assert "số nguyên" in page
    assert not ManualReport.objects.exists() and AuditEntry.objects.count() == audits
    # a period that has not begun, and one that is not a period of the indicator
    assert (
        client.get(reverse("manual_indicators:report", args=[d.pk]) + f"?ky=BC-{PY + 2}-Y").status_code == 404
    )
    assert client.get(reverse("manual_indicators:report", args=[d.pk]) + f"?ky=BC-{PY}-Q2").status_code == 404


def test_definition_form_creates_and_edits(client, tree, users):
    login(client, users.coordinator)
    url = reverse("manual_indicators:create")
    data = {
        "unit": tree.province.pk,
        "name": "Số cuộc kiểm tra công tác CCHC",
        "code": "so-cuoc-kiem-tra",
        "kind": Kind.COUNT,
        "unit_of_measure": "cuộc",
        "aggregation": "sum",
        "periodicity": Periodicity.HALF_YEAR,
        "unit_kinds": [UnitKind.AGENCY],
        "guidance": "Có kết luận kiểm tra.",
        "active": "on",
    }
    page = client.post(url, data | {"code": "Số cuộc"}).content.decode()
    assert "Mã chỉ số chỉ gồm chữ thường không dấu" in page and not ManualIndicator.objects.exists()
    response = client.post(url, data)
    d = ManualIndicator.objects.get()
    assert response.status_code == 302 and d.unit_kinds == ["agency"] and d.unit_of_measure == "cuộc"
    edit = reverse("manual_indicators:edit", args=[d.pk])
    assert client.post(edit, data | {"name": "Số cuộc kiểm tra CCHC", "active": ""}).status_code == 302
    d.refresh_from_db()
    assert d.name == "Số cuộc kiểm tra CCHC" and not d.active
    # the unit is fixed once defined, whatever is posted
    client.post(edit, data | {"unit": tree.communes[0].pk})
    d.refresh_from_db()
    assert d.unit == tree.province


def test_overview_shows_the_rollup_and_the_missing(client, tree, users, d):
    file(users.officer, d, tree.agency("STP"), 10, 10)
    file(users.officer_other, d, tree.agency("SCT"), 1, 990)
    login(client, users.leader)
    page = client.get(reverse("manual_indicators:overview", args=[d.pk]) + f"?ky={Q1}").content.decode()
    assert "1,10%" in page  # 11 / 1000, where the mean of the two rates would be 50,05%
    assert "Tổng tử số / tổng mẫu số của 2 đơn vị đã báo cáo" in page
    assert "Chưa báo cáo (" in page and 'class="missing"' in page
    assert "Sở Tư pháp" in page and "Phường Đồng Xoài" in page
    # an officer sees only their own unit's row
    login(client, users.officer)
    page = client.get(reverse("manual_indicators:overview", args=[d.pk]) + f"?ky={Q1}").content.decode()
    assert "100,00%" in page and "Sở Công Thương" not in page


def test_index_shows_reporting_status(client, tree, users, d):
    file(users.officer, d, tree.agency("STP"), 1, 2, period=_current(d))
    login(client, users.coordinator)
    page = client.get(reverse("manual_indicators:index")).content.decode()
    assert "Tỷ lệ văn bản được ký số" in page and "1/" in page and "đơn vị đã báo cáo" in page
    login(client, users.officer)
    page = client.get(reverse("manual_indicators:index")).content.decode()
    assert "1/1 đơn vị đã báo cáo" in page and "Đã báo cáo" in page
    login(client, users.officer_other)
    page = client.get(reverse("manual_indicators:index")).content.decode()
    assert "0/1 đơn vị đã báo cáo" in page and "Chưa báo cáo" in page
    login(client, users.foreign_coordinator)
    assert "Tỷ lệ văn bản được ký số" not in client.get(reverse("manual_indicators:index")).content.decode()


def _current(d):
    from cchc.manual_indicators.periods import current_period

    return current_period(d.periodicity, timezone.localdate()).key


def test_xlsx_has_the_figures(client, tree, users, d):
    file(users.officer, d, tree.agency("STP"), 1234, 1500)
    file(users.commune_officer, d, tree.communes[0], 1, 8)
    login(client, users.coordinator)
    response = client.get(reverse("manual_indicators:overview", args=[d.pk]) + f"?ky={Q1}&xuat=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][0] == "Tỷ lệ văn bản được ký số"
    summary = next(r for r in rows if r[0] == "Tổng hợp")
    assert summary[2:5] == [1235, 1508, 81.9]  # numbers, not text: they add up again in Excel
    stp = next(r for r in rows if r[1] and r[1].strip() == "Sở Tư pháp")
    assert stp[2:5] == [1234, 1500, 82.27] and stp[6] == "Đã báo cáo"
    commune = next(r for r in rows if r[1] and r[1].strip() == "Phường Đồng Xoài")
    assert float(commune[4]) == 12.5
    missing = next(r for r in rows if r[1] and r[1].strip() == "Sở Nội vụ")
    assert missing[2] is None and missing[6] == "Chưa báo cáo"


def test_pages_query_count_does_not_grow(client, tree, users, d, django_assert_max_num_queries):
    login(client, users.coordinator)
    overview = reverse("manual_indicators:overview", args=[d.pk]) + f"?ky={Q1}"
    index = reverse("manual_indicators:index")
    report = reverse("manual_indicators:report", args=[d.pk]) + f"?ky={Q1}&don_vi={tree.agency('STP').pk}"
    file(users.officer, d, tree.agency("STP"), 1, 2)
    counts = {}
    for url in (overview, index, report, overview + "&xuat=xlsx"):
        client.get(url)
        with django_assert_max_num_queries(12) as ctx:
            assert client.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    print("queries per page:", {u.split("/so-lieu-bao-cao/")[1]: n for u, n in counts.items()})
    for code in ("SCT", "SNV", "STC", "SXD", "SYT"):
        file(users.coordinator, d, tree.agency(code), 3, 4)
    for code in ("a", "b", "c"):
        services.definition_create(
            actor=users.coordinator,
            unit=tree.province,
            code=code,
            name=f"Chỉ số {code}",
            kind=Kind.COUNT,
            periodicity=Periodicity.YEAR,
            unit_of_measure="cuộc",
        )
    for url, before in counts.items():
        with django_assert_max_num_queries(before) as ctx:
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("who", ["leader", "officer", "commune_coordinator", "foreign_coordinator"])
def test_only_coordinators_change_a_definition(client, tree, users, d, who):
    login(client, getattr(users, who))
    edit = reverse("manual_indicators:edit", args=[d.pk])
    data = {"name": "Đổi tên", "code": d.code, "kind": d.kind, "periodicity": d.periodicity}
    assert client.post(edit, data).status_code == 403
    response = client.post(reverse("manual_indicators:create"), data | {"unit": tree.province.pk})
    if who in ("commune_coordinator", "foreign_coordinator"):
        # a coordinator elsewhere gets the form back: the province is not among their units
        assert response.status_code == 200 and 'id="id_unit_error"' in response.content.decode()
    else:
        assert response.status_code == 403
    d.refresh_from_db()
    assert d.name == "Tỷ lệ văn bản được ký số" and ManualIndicator.objects.count() == 1
    assert not AuditEntry.objects.filter(action="manual_indicator.update").exists()
