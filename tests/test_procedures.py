"""The procedure catalogue: services, selectors, pages, the importer, the name cleaner and the
demo catalogue."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.core.actors import SYSTEM
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.models import AuditEntry
from cchc.procedures import services
from cchc.procedures.clean_names import CLEAN_NAMES, RAW_NAMES, clean_file, clean_name, read_clean
from cchc.procedures.importer import ImportFileError
from cchc.procedures.models import Level, OnlineMode, Procedure, Step, TimeUnit
from cchc.procedures.selectors import Filters, procedure_list, procedures_for_unit

from .conftest import PASSWORD, raises_code


def make(actor, agency, code="1.001193", name="Thủ tục đăng ký khai sinh", **extra):
    data = {"level": Level.PROVINCE, "processing_time": Decimal(5), "time_unit": TimeUnit.WORKING_DAY}
    return services.procedure_save(actor=actor, code=code, name=name, agency=agency, **(data | extra))


# --- codes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1.001193", "1.001193"),
        (" 2.000635 ", "2.000635"),
        ("1.012753.H19", "1.012753.H19"),
        ("1.012753.h19", "1.012753.H19"),
    ],
)
def test_code_accepts_national_and_local_forms(raw, expected):
    assert services.validate_code(raw) == expected


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("", "Nhập mã thủ tục"),
        ("1.00119", "phần sau dấu chấm phải có đúng 6 chữ số"),
        ("1001193", "thiếu dấu chấm"),
        ("1.012753.19", "hậu tố địa phương phải có dạng .H và 2 chữ số"),
        ("1.012753.H1", "hậu tố địa phương phải có dạng .H và 2 chữ số"),
        ("0.001193", "một chữ số từ 1 đến 9"),
        ("1.001 193", "không được chứa khoảng trắng"),
        ("1.001193.H19.2", "quá nhiều dấu chấm"),
        ("TTHC-01", "chỉ gồm chữ số"),
    ],
)
def test_code_errors_say_what_is_wrong(raw, reason):
    with pytest.raises(ServiceError) as exc:
        services.validate_code(raw)
    message = exc.value.message_dict["code"][0]
    assert reason in message and "1.012753.H19" in message


# --- procedures --------------------------------------------------------------------------------


def test_coordinator_creates_a_procedure_with_an_audit_row(tree, users):
    decomposed = unicodedata.normalize("NFD", "Đăng ký khai sinh")
    p = make(users.coordinator, tree.agency("STP"), name=decomposed, field="Hộ tịch", fee_amount=0)
    assert p.name == "Đăng ký khai sinh" and unicodedata.is_normalized("NFC", p.name)
    assert p.search_text == "1.001193 dang ky khai sinh ho tich"
    entry = AuditEntry.objects.get(action="procedure.create")
    assert entry.actor == users.coordinator and entry.unit == tree.agency("STP")
    assert entry.after["code"] == "1.001193" and entry.after["processing_time"] == "5"
    assert p.fee_label == "Không thu phí, lệ phí" and p.processing_time_label == "5 ngày làm việc"


def test_only_managers_of_the_agency_write(tree, users):
    for actor in (users.officer, users.leader, users.foreign_coordinator, users.commune_coordinator):
        with pytest.raises(PermissionDenied):
            make(actor, tree.agency("STP"))
    assert not Procedure.objects.exists()
    own = make(users.commune_coordinator, tree.communes[0], level=Level.COMMUNE)
    assert own.level == Level.COMMUNE
    with pytest.raises(PermissionDenied):  # a commune coordinator cannot move it to the province
        services.procedure_save(actor=users.commune_coordinator, procedure=own, agency=tree.province)
    p = make(users.coordinator, tree.agency("STP"), code="1.000001")
    with pytest.raises(PermissionDenied):
        services.procedure_save(actor=users.foreign_coordinator, procedure=p, name="Khác")


def test_validation_errors_point_at_fields(tree, users):
    with pytest.raises(ServiceError) as exc:
        make(
            users.coordinator,
            tree.communes[0],
            code="1.1",
            name="  ",
            processing_time=Decimal(0),
            fee_amount=-5,
            online_mode="sometimes",
            valid_from=dt.date(2025, 7, 1),
            valid_to=dt.date(2025, 1, 1),
        )
    errors = exc.value.message_dict
    assert set(errors) >= {
        "code",
        "name",
        "level",
        "processing_time",
        "fee_amount",
        "online_mode",
        "valid_to",
    }
    assert "UBND xã, phường chỉ thực hiện thủ tục cấp xã." in errors["level"]
    make(users.coordinator, tree.agency("STP"))
    with pytest.raises(ServiceError) as exc:
        make(users.coordinator, tree.agency("STP"), name="Trùng mã")
    assert "đã có thủ tục mã 1.001193" in exc.value.message_dict["code"][0]
    # the same code at another agency is another catalogue entry
    make(users.coordinator, tree.province, level=Level.COMMUNE)
    with pytest.raises(ServiceError) as exc:
        make(users.coordinator, tree.agency("SXD"), code="1.000002", level=Level.COMMUNE)
    assert "level" in exc.value.message_dict
    with pytest.raises(ServiceError) as exc:
        make(users.admin, tree.former, code="1.000003")
    assert "hết hiệu lực" in exc.value.message_dict["agency"][0]


def test_saving_an_unchanged_procedure_writes_nothing(tree, users):
    p = make(users.coordinator, tree.agency("STP"))
    count = AuditEntry.objects.count()
    services.procedure_save(actor=users.coordinator, procedure=p, name=p.name, processing_time="5")
    assert AuditEntry.objects.count() == count
    services.procedure_save(actor=users.coordinator, procedure=p, online_mode=OnlineMode.FULL)
    entry = AuditEntry.objects.latest("pk")
    assert entry.action == "procedure.update"
    assert entry.before["online_mode"] == "none" and entry.after["online_mode"] == "full"


def test_steps_add_up_to_no_more_than_the_processing_time(tree, users):
    p = make(users.coordinator, tree.agency("STP"), processing_time=Decimal(3))
    b1 = services.step_save(
        actor=users.coordinator,
        procedure=p,
        name="Tiếp nhận",
        actor_role="Bộ phận một cửa",
        time_allowed="0,5",
    )
    b2 = services.step_save(
        actor=users.coordinator,
        procedure=p,
        name="Thẩm định",
        actor_role="Chuyên viên phòng chuyên môn",
        time_allowed=2,
    )
    assert (b1.label, b2.label, b1.time_allowed) == ("B1", "B2", Decimal("0.5"))
    with pytest.raises(ServiceError) as exc:
        services.step_save(
            actor=users.coordinator, procedure=p, name="Ký", actor_role="Lãnh đạo", time_allowed=1
        )
    assert "vượt thời hạn giải quyết (3 ngày làm việc)" in exc.value.message_dict["time_allowed"][0]
    with pytest.raises(ServiceError) as exc:  # nor can the processing time shrink below the steps
        services.procedure_save(actor=users.coordinator, procedure=p, processing_time=Decimal(2))
    assert "2,5 ngày làm việc" in exc.value.message_dict["processing_time"][0]
    b3 = services.step_save(
        actor=users.coordinator, procedure=p, name="Ký", actor_role="Lãnh đạo", time_allowed="0.5"
    )
    services.step_move(actor=users.coordinator, step=b3, offset=-1)
    assert list(p.steps.values_list("name", flat=True)) == ["Tiếp nhận", "Ký", "Thẩm định"]
    with raises_code("step_move_outside"):
        services.step_move(actor=users.coordinator, step=Step.objects.get(name="Tiếp nhận"), offset=-1)
    services.step_delete(actor=users.coordinator, step=Step.objects.get(name="Tiếp nhận"))
    assert list(p.steps.values_list("position", "name")) == [(1, "Ký"), (2, "Thẩm định")]
    with pytest.raises(PermissionDenied):
        services.step_save(actor=users.officer, procedure=p, name="X", actor_role="Y", time_allowed=0.1)


def test_components(tree, users):
    p = make(users.coordinator, tree.agency("STP"))
    form = services.component_save(
        actor=users.coordinator, procedure=p, name="Tờ khai đăng ký khai sinh", form_template="Mẫu số 01"
    )
    services.component_save(actor=users.coordinator, procedure=p, name="Giấy chứng sinh", mandatory=False)
    with pytest.raises(ServiceError) as exc:
        services.component_save(actor=users.coordinator, procedure=p, name="", copies=0)
    assert set(exc.value.message_dict) == {"name", "copies"}
    services.component_delete(actor=users.coordinator, component=form)
    assert list(p.components.values_list("position", "name", "mandatory")) == [(1, "Giấy chứng sinh", False)]
    assert AuditEntry.objects.filter(action__startswith="procedure.component").count() == 3


def test_set_parts_replaces_the_process_at_once(tree, users):
    p = make(users.coordinator, tree.agency("STP"), processing_time=Decimal(2))
    steps = [
        {"name": "Tiếp nhận", "actor_role": "Bộ phận một cửa", "time_allowed": Decimal("0.5")},
        {"name": "Giải quyết", "actor_role": "Chuyên viên", "time_allowed": Decimal("1.5")},
    ]
    services.procedure_set_parts(
        actor=users.coordinator, procedure=p, steps=steps, components=[{"name": "Đơn"}]
    )
    assert p.steps.count() == 2 and p.components.count() == 1
    with pytest.raises(ServiceError) as exc:
        services.procedure_set_parts(
            actor=users.coordinator, procedure=p, steps=[*steps, {**steps[0]}], components=[]
        )
    assert "B3:" in exc.value.messages[0]
    assert p.steps.count() == 2  # refused: nothing changed


# --- selectors and pages -----------------------------------------------------------------------


@pytest.fixture
def catalogue(tree, users):
    c = users.coordinator
    return [
        make(
            c, tree.province, code="1.001193", name="Đăng ký khai sinh", field="Hộ tịch", level=Level.COMMUNE
        ),
        make(c, tree.agency("STP"), code="2.000635", name="Cấp bản sao Trích lục hộ tịch", field="Hộ tịch"),
        make(
            c,
            tree.agency("SXD"),
            code="1.012753.H19",
            name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
            field="Hoạt động xây dựng",
            online_mode=OnlineMode.PARTIAL,
        ),
        make(c, tree.communes[0], code="1.000001", name="Đăng ký tổ chức lễ hội", level=Level.COMMUNE),
    ]


def _codes(qs):
    return sorted(p.code for p in qs)


def test_search_ignores_accents_and_case(catalogue, tree, users):
    user = users.commune_officer
    assert _codes(procedure_list(user=user, filters=Filters(q="dang ky KHAI sinh"))) == ["1.001193"]
    assert _codes(procedure_list(user=user, filters=Filters(q="ĐĂNG KÝ"))) == ["1.000001", "1.001193"]
    assert _codes(procedure_list(user=user, filters=Filters(q="ho tich"))) == ["1.001193", "2.000635"]
    assert _codes(procedure_list(user=user, filters=Filters(q="1.012753"))) == ["1.012753.H19"]
    assert _codes(procedure_list(user=user, filters=Filters(field="Hộ tịch", level=Level.PROVINCE))) == [
        "2.000635"
    ]
    assert _codes(procedure_list(user=user, filters=Filters(online_mode=OnlineMode.PARTIAL))) == [
        "1.012753.H19"
    ]
    sxd = catalogue[2].agency_id
    assert _codes(procedure_list(user=user, filters=Filters(agency=sxd))) == ["1.012753.H19"]
    make(users.coordinator, tree.agency("STC"), code="1.000000", name="Khai thuế theo từng lần phát sinh")
    found = procedure_list(user=user, filters=Filters(q="khai sinh"))
    assert [p.code for p in found] == ["1.001193", "1.000000"]  # the words side by side first


def test_a_commune_carries_out_its_own_and_the_provinces_commune_level_procedures(catalogue, tree):
    assert _codes(procedures_for_unit(tree.communes[0])) == ["1.000001", "1.001193"]
    assert _codes(procedures_for_unit(tree.communes[1])) == ["1.001193"]
    assert _codes(procedures_for_unit(tree.agency("SXD"))) == ["1.012753.H19"]
    assert len(procedures_for_unit(tree.province)) == 4


def test_list_page_query_count_does_not_grow_with_the_catalogue(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    url = reverse("procedures:list")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        make(
            users.coordinator,
            tree.agency("STP"),
            code=f"1.00000{i}",
            name=f"Thủ tục {i}",
            field=f"Lĩnh vực {i}",
        )
    few = queries()
    for i in range(3, 30):
        agency = tree.agency("SXD") if i % 2 else tree.agency("STP")
        make(users.coordinator, agency, code=f"1.0000{i:02d}", name=f"Thủ tục {i}", field=f"Lĩnh vực {i}")
    many = queries()
    assert many == few, f"{few} queries for 3 procedures, {many} for 30"
    assert many <= 12


def test_list_page_filters_and_paginates(client, catalogue, users):
    client.login(username=users.commune_officer.username, password=PASSWORD)
    page = client.get(reverse("procedures:list"), {"q": "giay phep xay dung"}).content.decode()
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in page and "Đăng ký khai sinh" not in page
    assert "+ Thêm thủ tục" not in page  # an officer reads only
    page = client.get(reverse("procedures:list"), {"cap": "commune", "trang": "9"}).content.decode()
    assert "UBND cấp xã (Tỉnh Đồng Nai)" in page and "2 thủ tục" in page


def test_detail_shows_components_and_steps(client, catalogue, users):
    p = catalogue[1]
    services.component_save(actor=users.coordinator, procedure=p, name="Tờ khai", form_template="Mẫu số 01")
    services.step_save(
        actor=users.coordinator, procedure=p, name="Tiếp nhận", actor_role="Bộ phận một cửa", time_allowed=1
    )
    client.login(username=users.officer_other.username, password=PASSWORD)
    page = client.get(reverse("procedures:detail", args=[p.pk])).content.decode()
    assert "Tờ khai" in page and "Mẫu số 01" in page and "B1" in page and "Bộ phận một cửa" in page
    assert "còn 4 ngày làm việc chưa giao" in page and "Sửa thông tin" not in page


def test_create_and_edit_forms(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    data = {
        "code": "1.0012",
        "name": "Đăng ký kết hôn",
        "level": "commune",
        "agency": tree.province.pk,
        "time_unit": "working_day",
        "online_mode": "full",
        "processing_time": "1",
    }
    response = client.post(reverse("procedures:create"), data)
    assert response.status_code == 200
    assert "phần sau dấu chấm phải có đúng 6 chữ số" in response.content.decode()
    response = client.post(reverse("procedures:create"), data | {"code": "1.000894"})
    p = Procedure.objects.get(code="1.000894")
    assert response.status_code == 302 and response["Location"] == p.get_absolute_url()
    response = client.post(
        reverse("procedures:edit", args=[p.pk]), data | {"code": "1.000894", "fee_amount": "0"}
    )
    p.refresh_from_db()
    assert response.status_code == 302 and p.fee_amount == 0
    response = client.post(
        reverse("procedures:step_add", args=[p.pk]),
        {"name": "Tiếp nhận", "actor_role": "Bộ phận một cửa", "time_allowed": "2"},
    )
    assert "vượt thời hạn giải quyết" in response.content.decode()
    response = client.post(reverse("procedures:delete", args=[p.pk]))
    assert response.status_code == 302 and not Procedure.objects.filter(pk=p.pk).exists()


# --- import ------------------------------------------------------------------------------------

HEADER = "ma_tthc,ten_tthc,linh_vuc,cap_thuc_hien,co_quan,thoi_han,don_vi_thoi_han,phi_le_phi,muc_do,ket_qua,ngay_cong_bo,quyet_dinh_cong_bo"
GOOD = [
    "1.001193,Đăng ký khai sinh,Hộ tịch,xa,P75,1,ngay_lam_viec,Không,toan_trinh,Giấy khai sinh,15/03/2025,1234/QĐ-UBND",
    "1.000894,Đăng ký kết hôn,Hộ tịch,xa,P75,1,,0,toan_trinh,Giấy chứng nhận kết hôn,15/03/2025,1234/QĐ-UBND",
    '1.012753.H19,Cấp giấy phép xây dựng,Hoạt động xây dựng,tinh,P75.SXD,"15 ngày làm việc",,"75.000 đồng/giấy phép",mot_phan,Giấy phép xây dựng,2025-04-01,',
    "2.000635,Cấp bản sao trích lục hộ tịch,,,,,,,,,,",
]
BAD = [
    "1.00119,Mã sai,Hộ tịch,xa,P75,1,,,,,,",
    "1.000001,,Hộ tịch,xa,P75,1,,,,,,",
    "1.000002,Đơn vị không có,,tinh,P99.XYZ,5,,,,,,",
    "1.000003,Ngày sai,,tinh,P75.STP,5,,,,,31/02/2025,",
    "1.000004,Mức độ sai,,tinh,P75.STP,5,,,thinh_thoang,,,",
    "1.000005,Thời hạn sai,,tinh,P75.STP,-3,,,,,,",
    "1.000006,Cấp sai,,xa,P75.STP,5,,,,,,",
    "1.001193,Đăng ký khai sinh (trùng),Hộ tịch,xa,P75,1,,,,,,",
]


def csv_file(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def test_import_creates_reports_bad_rows_and_is_idempotent(tree, users):
    content = csv_file(*GOOD, *BAD)
    result = services.catalogue_import(
        actor=users.coordinator, filename="danh-muc.csv", content=content, default_agency=tree.agency("STP")
    )
    assert len(result.created) == 4 and not result.updated
    by_line = {e.line: e for e in result.errors}
    assert sorted(by_line) == [6, 7, 8, 9, 10, 11, 12, 13]
    assert "phần sau dấu chấm phải có đúng 6 chữ số" in by_line[6].message and by_line[6].column == "ma_tthc"
    assert by_line[7].message == "Thiếu tên thủ tục."
    assert by_line[8].message == "Không có đơn vị mã “P99.XYZ”."
    assert "“31/02/2025” không phải là ngày" in by_line[9].message
    assert "toan_trinh, mot_phan hoặc khong" in by_line[10].message
    assert by_line[11].column == "thoi_han"
    assert (
        by_line[12].column == "cap_thuc_hien" and "Thủ tục cấp xã do UBND xã thực hiện" in by_line[12].message
    )
    assert "đã có ở dòng 2" in by_line[13].message
    permit = Procedure.objects.get(code="1.012753.H19")
    assert (permit.fee_amount, permit.fee_note, permit.online_mode) == (
        75000,
        "75.000 đồng/giấy phép",
        "partial",
    )
    assert permit.processing_time == 15 and permit.time_unit == TimeUnit.WORKING_DAY
    birth = Procedure.objects.get(code="1.001193")
    assert (birth.agency, birth.level, birth.fee_amount) == (tree.province, Level.COMMUNE, 0)
    assert birth.published_on == dt.date(2025, 3, 15) and birth.announcement_decision == "1234/QĐ-UBND"
    assert Procedure.objects.get(code="2.000635").agency == tree.agency("STP")  # the default agency

    audit = AuditEntry.objects.count()
    again = services.catalogue_import(
        actor=users.coordinator, filename="danh-muc.csv", content=content, default_agency=tree.agency("STP")
    )
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 4)
    assert AuditEntry.objects.count() == audit and Procedure.objects.count() == 4


def test_import_updates_changed_cells_and_keeps_blank_ones(tree, users):
    services.catalogue_import(actor=users.coordinator, filename="a.csv", content=csv_file(*GOOD))
    changed = GOOD[0].replace(",1,ngay_lam_viec,", ",3,ngay_lam_viec,").replace("Giấy khai sinh", "")
    result = services.catalogue_import(actor=users.coordinator, filename="b.csv", content=csv_file(changed))
    assert len(result.updated) == 1
    assert result.updated[0].changes == [("thời hạn giải quyết", "1", "3")]
    birth = Procedure.objects.get(code="1.001193")
    assert birth.processing_time == 3 and birth.result_type == "Giấy khai sinh"


def test_dry_run_saves_nothing(tree, users):
    result = services.catalogue_import(
        actor=users.coordinator, filename="a.csv", content=csv_file(*GOOD), dry_run=True
    )
    assert len(result.created) == 3 and len(result.errors) == 1  # the last row has no agency
    assert result.errors[0].column == "co_quan"
    assert (
        not Procedure.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="procedure").exists()
    )


def test_import_refuses_rows_outside_the_users_subtree(tree, users):
    result = services.catalogue_import(
        actor=users.commune_coordinator, filename="a.csv", content=csv_file(*GOOD[:3])
    )
    assert not result.changes and len(result.errors) == 3
    assert "Bạn không có quyền quản lý thủ tục của" in result.errors[0].message


def test_import_xlsx(tree, users):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Mã TTHC", "Tên TTHC", "Cơ quan", "Thời hạn", "Phí lệ phí", "Ngày công bố", "Mức độ"])
    sheet.append(["1.001193", "Đăng ký khai sinh", "P75", 1, 0, dt.datetime(2025, 3, 15), "Toàn trình"])
    sheet.append(["1.000894", "Đăng ký kết hôn", "P75.STP", 2.5, 50000, "16/03/2025", "Một phần"])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["1.00089", "Mã sai", "P75.STP", 2, None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    result = services.catalogue_import(
        actor=users.coordinator, filename="danh-muc.xlsx", content=buffer.getvalue()
    )
    assert len(result.created) == 2 and [e.line for e in result.errors] == [5]
    marriage = Procedure.objects.get(code="1.000894")
    assert (marriage.processing_time, marriage.fee_amount, marriage.online_mode) == (
        Decimal("2.5"),
        50000,
        "partial",
    )
    assert Procedure.objects.get(code="1.001193").published_on == dt.date(2025, 3, 15)


@pytest.mark.parametrize(
    "filename, content, message",
    [
        ("a.csv", b"", "Tệp rỗng."),
        ("a.csv", "ten_tthc\nĐăng ký khai sinh\n".encode(), "thiếu cột bắt buộc: ma_tthc"),
        ("a.csv", b"ma_tthc,ten_tthc\n1.001193,\xd0\xe3ng k\xfd khai sinh\n", "UTF-8"),  # Windows-1258
        ("a.pdf", b"%PDF-1.4", "chỉ nhận tệp .csv hoặc .xlsx"),
        ("a.xlsx", b"PK\x03\x04 not really", "Không đọc được tệp Excel"),
    ],
)
def test_a_bad_file_is_refused_as_a_whole(tree, users, filename, content, message):
    with pytest.raises(ImportFileError) as exc:
        services.catalogue_import(actor=users.coordinator, filename=filename, content=content)
    assert message in " ".join(exc.value.messages)


def test_semicolon_csv_from_excel(tree, users):
    content = "\ufeffMã TTHC;Tên TTHC;Cơ quan\n1.001193;Đăng ký khai sinh;P75.STP\n".encode()
    result = services.catalogue_import(actor=users.coordinator, filename="a.csv", content=content)
    assert [c.code for c in result.created] == ["1.001193"]


def test_import_command(tree, tmp_path, capsys):
    path = tmp_path / "danh-muc.csv"
    path.write_bytes(csv_file(*GOOD, BAD[0]))
    call_command("procedures_import", str(path), "--agency", "p75.stp", "--dry-run")
    assert not Procedure.objects.exists()
    call_command("procedures_import", str(path), "--agency", "P75.STP")
    out, err = capsys.readouterr()
    assert Procedure.objects.count() == 4
    assert "đã tạo 4" in out and "danh-muc.csv, dòng 6, cột ma_tthc: Mã thủ tục “1.00119” không đúng" in err
    bad = tmp_path / "sai.csv"
    bad.write_text("ma,ten\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("procedures_import", str(bad))
    assert exc.value.returncode == 2 and "\n" not in str(exc.value) and "thiếu cột bắt buộc" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        call_command("procedures_import", str(tmp_path / "khong-co.csv"))
    assert exc.value.returncode == 2
    with pytest.raises(CommandError) as exc:
        call_command("procedures_import", str(path), "--strict")
    assert exc.value.returncode == 2


def test_cchc_procedures_import_maps_to_the_command(db):
    from cchc.cli import _command_name

    assert _command_name(["procedures", "import", "f.csv", "--dry-run"]) == [
        "procedures_import",
        "f.csv",
        "--dry-run",
    ]


def test_import_pages_preview_then_confirm(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    upload = SimpleUploadedFile("danh-muc.csv", csv_file(*GOOD, BAD[2]), content_type="text/csv")
    response = client.post(reverse("procedures:import"), {"file": upload, "agency": tree.agency("STP").pk})
    page = response.content.decode()
    assert response.status_code == 200 and "Xác nhận nhập 4 thủ tục" in page
    assert "Không có đơn vị mã “P99.XYZ”." in page and not Procedure.objects.exists()
    sha = client.session["procedures_import"]["sha256"]
    response = client.post(reverse("procedures:import_confirm"), {"sha256": sha})
    assert response.status_code == 302 and Procedure.objects.count() == 4
    response = client.post(reverse("procedures:import_confirm"), {"sha256": sha})
    assert response.status_code == 302 and response["Location"] == reverse("procedures:import")
    bad = SimpleUploadedFile("danh-muc.csv", b"ten\nx\n", content_type="text/csv")
    response = client.post(reverse("procedures:import"), {"file": bad})
    assert response.status_code == 400 and "thiếu cột bắt buộc" in response.content.decode()


# --- the name cleaner --------------------------------------------------------------------------

# Hand-checked against the source text: (code, the exact clean name). Every kind of noise, and
# names that must come through untouched.
HAND_CHECKED = {
    # field
    "1.000028": "Cấp Giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn, xe bánh xích, xe vận chuyển hàng siêu trường, siêu trọng trên đường bộ",
    "1.000294": "Bãi bỏ đường ngang",
    "1.003970": "Đăng ký lại phương tiện trong trường hợp chuyển quyền sở hữu phương tiện đồng thời thay đổi cơ quan đăng ký phương tiện",
    "1.001296": "Cấp lại Giấy chứng nhận đủ điều kiện hoạt động kiểm định xe cơ giới",
    "1.012888": "Công nhận Ban quản trị nhà chung cư",
    "1.012900": "Cấp giấy phép hoạt động của Sàn giao dịch bất động sản",
    "1.008891": "Thủ tục cấp chứng chỉ hành nghề kiến trúc",
    "1.002693": "Cấp giấy phép chặt hạ, dịch chuyển cây xanh",
    "1.004944": "Chấm dứt việc chăm sóc thay thế cho trẻ em giúp xã hội",
    "2.000282": "Tiếp nhận đối tượng cần bảo vệ khẩn cấp vào cơ sở trợ giúp xã hội",
    "2.000303": "Cấp Giấy chứng nhận xuất xứ hàng hoá (C/O) ưu đãi mẫu AI",
    # agency and its address
    "1.000040": "Thủ tục cấp giấy phép triển lãm mỹ thuật (thẩm quyền của Bộ Văn hóa, Thể thao và Du lịch)",
    "1.000059": "Thỏa thuận bổ nhiệm người đứng đầu cơ quan báo chí",
    "1.000747": "Thủ tục tiếp nhận thông báo nhập khẩu văn hóa phẩm là các bản ghi âm, ghi hình về nghệ thuật biểu diễn không nhằm mục đích kinh doanh",
    "1.004574": "Thủ tục thu hồi giấy phép kinh doanh dịch vụ lữ hành quốc tế trong trường hợp doanh nghiệp phá sản",
    "1.013803": "Bổ nhiệm Công chứng viên",
    "1.004566": "Thủ tục công nhận hạng cơ sở lưu trú du lịch: Hạng 4 sao, 5 sao đối với khách sạn, biệt thự du lịch, căn hộ du lịch, tàu thủy lưu trú du lịch",
    # legal reference
    "1.000140": "Cấp chứng chỉ kiểm định viên",
    "1.000162": "Chấp thuận đầu tư đổi mới thiết bị, công nghệ, đầu tư sản xuất thuốc lá xuất khẩu, gia công thuốc lá xuất khẩu, di chuyển địa điểm theo quy hoạch; đầu tư chế biến nguyên liệu thuốc lá",
    "1.000264": "Đăng ký Giấy chứng nhận hạn ngạch thuế quan xuất khẩu mật ong tự nhiên sang Nhật Bản",
    "1.014125": "Cấp giấy chứng nhận huấn luyện kỹ thuật an toàn trong khai thác khoáng sản",
    "1.013990": "Cấp lại quyết định chỉ định",
    # stray number, roman numeral, tick mark
    "1.000091": "Đề nghị chấm dứt hoạt động của cơ sở hỗ trợ nạn nhân",
    "1.000387": "Cấp lại Giấy chứng nhận đủ điều kiện thương nhân xuất khẩu, nhập khẩu CNG",
    "1.003775": "Cấp lại Giấy phép sản xuất hóa chất Bảng 1",
    "2.002722.H13": "Thủ tục xác định nhiệm vụ khoa học và công nghệ cấp cơ sở sử dụng ngân sách nhà nước",
    "1.000168": "Chấm dứt hoạt động Chi nhánh của thương nhân nước ngoài tại Việt Nam",
    "1.000704": "Cấp điều chỉnh Giấy chứng nhận đủ điều kiện sản xuất chai LPG mini",
    "1.000564": "Xét tặng “Giải thưởng Nhà nước” về văn học, nghệ thuật",
    "1.014391.H13": "Cấp Giấy chứng nhận văn phòng đại diện, chi nhánh của tổ chức khoa học và công nghệ",
    # result document, required component, source database
    "1.000058": "Miễn, giảm tiền dịch vụ môi trường rừng (đối với bên sử dụng dịch vụ môi trường rừng trong phạm vi địa giới hành chính của một tỉnh)",
    "1.000145": "Cho phép thành lập trường cao đẳng tư thục hoạt động không vì lợi nhuận",
    "1.000464": "Gia hạn Giấy phép hoạt động cho thuê lại lao động",
    "1.000216": "Thủ tục cấp Giấy phép thu, chi ngoại tệ và hoạt động ngoại hối khác (đối với doanh nghiệp kinh doanh trò chơi điện tử có thưởng) dành cho người nước ngoài",
    "1.001088": "Xin học lại tại trường khác đối với học sinh trung học",
    "1.010038": "Tách hộ",
    "1.001694": "Cử đi học nước ngoài",
    "2.001263": "Đăng ký việc nuôi con nuôi trong nước",
    "1.014339": "Thủ tục đề nghị thay đổi trụ sở của tổ chức tôn giáo, tổ chức tôn giáo trực thuộc",
    # level, field and level together
    "2.002400.H05": "Thủ tục kê khai tài sản, thu nhập",
    "1.010943.H05": "Thủ tục tiếp công dân cấp tỉnh",
    "2.002411.H05": "Thủ tục giải quyết khiếu nại lần hai tại cấp tỉnh",
    # notes, footnotes, form codes, time limits
    "1.001653": "Đổi, cấp lại Giấy xác nhận khuyết tật",
    "2.000477": "Dừng trợ giúp xã hội tại cơ sở trợ giúp xã hội",
    "1.012644": "Thủ tục đề nghị thay đổi trụ sở của tổ chức tôn giáo, tổ chức tôn giáo trực thuộc",
    "1.012510.H05": "Thu hồi chứng chỉ nghiệp vụ chuyên môn về đấu thầu",
    "1.014445": "Thủ tục cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
    "1.013644": "Cấp phép đối với các hoạt động liên quan đến đê điều thuộc trách nhiệm của Uỷ ban nhân dân tỉnh",
    "1.014155": "Thẩm định nhiệm vụ quy hoạch, nhiệm vụ điều chỉnh quy hoạch đô thị và nông thôn do nhà đầu tư đã được lựa chọn để thực hiện dự án đầu tư tổ chức lập",
    # a dangling parenthesis is cut (and flagged); what is not a name is emptied (and flagged)
    "1.001833": "Tiếp nhận thông báo tổ chức thi sáng tác tác phẩm mỹ thuật",
    "1.014390": "",
    "1.009642.H05": "",
    # must not be over-cleaned
    "1.004222": "Đăng ký thường trú tại chỗ ở hợp pháp không thuộc quyền sở hữu của mình đối với những trường hợp quy định tại khoản 2 Điều 20",
    "2.000260": "Cấp Giấy chứng nhận xuất xứ hàng hóa (C/O) ưu đãi mẫu X",
    "1.014287": "Điều chỉnh giấy phép khai thác khoáng sản nhóm IV",
    "2.000635": "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
    "1.003425": "Kiểm tra, xét duyệt nhân sự, cấp phép nhập cảnh cho người nước ngoài, người Việt Nam định cư ở nước ngoài nhập cảnh vào Việt Nam tại Cục QLXNC (cấp Cục)",
    "2.001035": "Chứng thực giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở",
    "1.001193": "Thủ tục đăng ký khai sinh",
}
EXPECTED_CHANGED = 554
EXPECTED_RULES = {
    "agency": 79,
    "document": 99,
    "field": 164,
    "footnote": 4,
    "leading_field": 1,
    "legal_reference": 47,
    "level": 13,
    "note": 12,
    "source": 13,
    "stray_mark": 69,
    "stray_number": 64,
    "time_limit": 11,
    "unbalanced": 7,
}
EXPECTED_FLAGS = {"not_a_name": 5, "truncated": 28}


@pytest.fixture(scope="module")
def report():
    return clean_file(RAW_NAMES)


def _pairs(report, n=30) -> str:
    return "\n".join(f"{code}: {c.original!r}\n   → {c.name!r} {c.rules}" for code, c in report.changed[:n])


def test_cleaner_figures_over_the_whole_file(report):
    print(report.summary())
    assert len(report.rows) == 1320
    assert len(report.changed) == EXPECTED_CHANGED, _pairs(report)
    assert dict(report.rule_counts()) == EXPECTED_RULES, _pairs(report)
    assert dict(report.flag_counts()) == EXPECTED_FLAGS, _pairs(report)


def test_cleaner_hand_checked_rows(report):
    rows = dict(report.rows)
    assert len(HAND_CHECKED) >= 40
    wrong = [
        (code, rows[code].name, expected)
        for code, expected in HAND_CHECKED.items()
        if rows[code].name != expected
    ]
    assert not wrong, "\n".join(f"{c}: {got!r}\n   expected {exp!r}" for c, got, exp in wrong[:30])


def test_cleaner_only_shortens_and_never_invents(report):
    for code, c in report.changed:
        if "leading_field" in c.rules or "footnote" in c.rules or not c.name:
            continue
        assert c.original.startswith(c.name), f"{code}: {c.original!r} → {c.name!r}"
        assert len(c.name.split()) >= 2


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Cấp Giấy phép vận tải đường bộ quốc tế Đường bộ", "Cấp Giấy phép vận tải đường bộ quốc tế"),
        ("Cấp lại Giấy phép lái xe", "Cấp lại Giấy phép lái xe"),  # governed, not a stray document
        ("Đổi Giấy phép lái xe Giấy khám sức khỏe", "Đổi Giấy phép lái xe"),
        ("Cấp Giấy phép sản xuất hóa chất Bảng 2 Khoản 6 Điều 9", "Cấp Giấy phép sản xuất hóa chất Bảng 2"),
        ("Thủ tục X quy định tại Điều 20", "Thủ tục X quy định tại Điều 20"),
        ("Công nhận kết quả đánh giá X X", "Công nhận kết quả đánh giá"),
    ],
)
def test_cleaner_rules_on_made_up_names(raw, expected):
    assert clean_name(raw).name == expected


def test_shipped_clean_catalogue_matches_the_cleaner(report):
    shipped = read_clean(CLEAN_NAMES)
    assert [(r["ma_tthc"], r["ten_tthc"]) for r in shipped] == [(code, c.name) for code, c in report.rows], (
        "data/tthc-clean.csv is stale: run `python -m cchc.procedures.clean_names`"
    )


# --- the demo catalogue ------------------------------------------------------------------------


def test_demo_catalogue(tree):
    from collections import Counter

    from cchc.procedures.demo import catalogue_rows, load_demo_catalogue

    created = load_demo_catalogue(actor=SYSTEM, province=tree.province)
    assert created == len(catalogue_rows()) == Procedure.objects.count()
    assert 900 <= created <= 1100
    levels = Counter(Procedure.objects.values_list("level", flat=True))
    assert (
        levels[Level.PROVINCE] > 600
        and 80 <= levels[Level.COMMUNE] <= 200
        and 50 <= levels[Level.CENTRAL_LOCAL] <= 150
    )
    agencies = Counter(Procedure.objects.values_list("agency__code", flat=True))
    assert {"P75.STP", "P75.SXD", "P75.SCT", "P75.SGDDT", "P75.SYT", "P75.SNV", "P75.SKHCN"} <= set(agencies)
    assert agencies["P75"] == levels[Level.COMMUNE]
    modes = Counter(Procedure.objects.values_list("online_mode", flat=True))
    assert 0.4 < modes[OnlineMode.FULL] / created < 0.65 and modes[OnlineMode.NONE] / created < 0.15
    free = Procedure.objects.filter(fee_amount=0).count()
    assert 0.55 < free / created < 0.8
    assert Procedure.objects.filter(synced_to_national_portal=True).count() / created > 0.85
    birth = Procedure.objects.get(name="Thủ tục đăng ký khai sinh")
    assert (birth.level, birth.agency, birth.field) == (Level.COMMUNE, tree.province, "Hộ tịch")
    for p in Procedure.objects.prefetch_related("steps", "components"):
        steps = list(p.steps.all())
        assert 2 <= len(steps) <= 5 and 1 <= len(p.components.all()) <= 4, p
        assert sum(s.time_allowed for s in steps) == p.processing_time, p
        assert steps[0].actor_role == "Bộ phận một cửa" and p.announcement_decision.endswith("/QĐ-UBND")
    assert load_demo_catalogue(actor=SYSTEM, province=tree.province) == 0  # loading again adds nothing


def test_demo_classification_is_documented_and_stable():
    from cchc.procedures.fields import classify

    assert classify("Thủ tục đăng ký kết hôn có yếu tố nước ngoài").field == "Hộ tịch"
    assert classify("Cấp lại Giấy phép đào tạo lái xe ô tô").agency == "SXD"  # before "đào tạo"
    assert classify("Cho thuê nhà ở công vụ").field == "Nhà ở, bất động sản"  # "thuê" is not "thuế"
    assert classify("Hoàn thuế giá trị gia tăng đối với dự án đầu tư").field == "Thuế"
    assert classify("Cấp giấy phép hoạt động in xuất bản phẩm (địa phương)").agency == "SVHTTDL"
    assert classify("Thành lập hoặc cho phép thành lập trường tiểu học").level == "commune"
    assert classify("Công nhận doanh nghiệp", "Đường bộ").field == "Thành lập và hoạt động doanh nghiệp"
    assert classify("Cấp lại giấy chứng nhận cải tạo", "Đăng kiểm").field == "Đường bộ"
