import datetime as dt

import pytest

from cchc.core.actors import SYSTEM
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.models import AuditEntry
from cchc.orgs.access import Access, require_manager
from cchc.orgs.models import Unit, UnitKind
from cchc.orgs.resolve import UnitResolver, resolved_units
from cchc.orgs.services import unit_create, units_load_administrative

from .conftest import raises_code


@pytest.mark.django_db
def test_load_administrative_units_is_complete_and_idempotent():
    first = units_load_administrative(actor=SYSTEM)
    assert Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True).count() == 34
    assert Unit.objects.filter(kind=UnitKind.COMMUNE).count() == 3321
    former = Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=False)
    assert former.count() == 29
    assert first["created"] == 34 + 3321 + 29
    binh_phuoc = former.get(gso_code="70")
    assert binh_phuoc.successor.name == "Đồng Nai" and binh_phuoc.valid_to == dt.date(2025, 6, 30)
    # every commune sits under its province in the materialised path
    dong_nai = Unit.objects.get(code="P75")
    assert Unit.objects.subtree_of(dong_nai).filter(kind=UnitKind.COMMUNE).count() == 95
    assert all(u.path.startswith(dong_nai.path) for u in dong_nai.children.all())
    again = units_load_administrative(actor=SYSTEM)
    assert again == {"created": 0, "updated": 0}
    assert Unit.objects.count() == first["created"]


@pytest.mark.django_db
def test_unit_create_validates_and_audits(tree):
    with pytest.raises(ServiceError) as exc:
        unit_create(actor=SYSTEM, name="  ", kind=UnitKind.AGENCY, parent=tree.province)
    assert "name" in exc.value.message_dict
    with raises_code("unit_code_taken"):
        unit_create(
            actor=SYSTEM, name="Sở Nội vụ", kind=UnitKind.AGENCY, parent=tree.province, code="P75.SNV"
        )
    unit = unit_create(actor=SYSTEM, name="Phòng Tổ chức", kind=UnitKind.SUBUNIT, parent=tree.agency("SNV"))
    assert unit.path == f"{tree.agency('SNV').path}{unit.pk}/" and unit.depth == 2
    assert AuditEntry.objects.filter(action="unit.create", object_id=str(unit.pk)).exists()


def test_access_scopes(tree, users):
    commune, other = tree.communes[0], tree.communes[1]
    coordinator = Access.for_user(users.coordinator)
    assert coordinator.can_manage_unit(commune) and coordinator.can_manage_unit(tree.province)
    assert not coordinator.can_manage_unit(tree.other_commune)
    officer = Access.for_user(users.commune_officer)
    assert officer.can_report_for(commune) and not officer.can_report_for(other)
    assert not officer.can_manage_unit(commune)
    leader = Access.for_user(users.leader)
    assert (
        leader.can_oversee_unit(commune)
        and not leader.can_report_for(commune)
        and not leader.can_manage_unit(commune)
    )
    assert set(Access.for_user(users.commune_officer).readable_units()) == {commune}


@pytest.mark.parametrize(
    "phrase, expected, how",
    [
        ("Sở Tư pháp", ["Sở Tư pháp"], "exact"),
        ("Văn phòng UBND tỉnh", ["Văn phòng Ủy ban nhân dân tỉnh"], "exact"),
        ("Sở TT&TT", ["Sở Khoa học và Công nghệ"], "historical"),
        ("Sở Kế hoạch và Đầu tư", ["Sở Tài chính"], "historical"),
        ("Sở Văn hoá, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"], "exact"),
        ("Sở Nội vụ thẩm định", ["Sở Nội vụ"], "exact"),
        ("Trung tâm Phục vụ hành chính công", ["Trung tâm Phục vụ hành chính công tỉnh"], "exact"),
        ("Đài Phát thanh - Truyền hình và Báo Bình Phước", ["Báo và Phát thanh, Truyền hình tỉnh"], "exact"),
        ("UBND phường Biên Hòa", ["Phường Biên Hòa"], "exact"),
    ],
)
def test_resolver_names(tree, phrase, expected, how):
    results = UnitResolver(tree.province).resolve(phrase)
    assert [u.name for u in resolved_units(results)] == expected
    assert results[0].how == how


def test_resolver_groups_and_splits(tree):
    resolver = UnitResolver(tree.province)
    agencies = resolved_units(resolver.resolve("Các sở, ban, ngành tỉnh"))
    assert len(agencies) == 14 and all(u.kind == UnitKind.AGENCY for u in agencies)
    communes = resolver.resolve("UBND cấp huyện")
    assert {u.name for u in resolved_units(communes)} == {c.name for c in tree.communes}
    assert "01/7/2025" in communes[0].note
    mixed = resolved_units(
        resolver.resolve(
            "các Sở: Tài chính, Tư pháp, Thông tin và Truyền thông và các cơ quan, đơn vị có liên quan"
        )
    )
    assert [u.name for u in mixed] == ["Sở Tài chính", "Sở Tư pháp", "Sở Khoa học và Công nghệ"]


def test_resolver_flags_what_it_cannot_resolve(tree):
    results = UnitResolver(tree.province).resolve("Cơ quan được giao chủ trì soạn thảo văn bản QPPL")
    assert results[0].how == "unresolved" and results[0].needs_person and not results[0].units
    fuzzy = UnitResolver(tree.province).resolve("Sở Tư phap tinh")
    assert fuzzy[0].units and fuzzy[0].units[0].name == "Sở Tư pháp"


def test_province_is_the_unit_or_its_nearest_province_ancestor(tree, django_assert_num_queries):
    agency = tree.agency("STP")
    subunit = unit_create(actor=SYSTEM, name="Phòng Hành chính", kind=UnitKind.SUBUNIT, parent=agency)
    other = unit_create(actor=SYSTEM, name="Hội Luật gia", kind=UnitKind.OTHER, code="O1")
    with django_assert_num_queries(0):
        assert tree.province.province() == tree.province
        assert other.province() is None  # nothing above it
    for unit in (agency, subunit, tree.communes[0]):
        with django_assert_num_queries(1):
            assert unit.province() == tree.province
    assert tree.other_commune.province() == tree.other_province


def test_require_manager_refuses_with_the_callers_message(tree, users):
    require_manager(users.coordinator, tree.agency("STP"))
    require_manager(users.admin, tree.other_province)
    with pytest.raises(PermissionDenied, match="quản lý đơn vị này"):
        require_manager(users.leader, tree.province)
    with pytest.raises(PermissionDenied, match="^Không được$"):
        require_manager(users.foreign_coordinator, tree.province, "Không được")
