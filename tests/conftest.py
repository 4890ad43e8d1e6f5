"""Shared fixtures: a small province tree with agencies and communes, and users for every role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from cchc.core.actors import SYSTEM
from cchc.core.errors import ServiceError
from cchc.orgs.models import Role, Unit, UnitKind
from cchc.orgs.services import province_agencies_create, unit_create, user_create
from cchc.plans import services as plan_services
from cchc.plans.models import PlanKind

PASSWORD = "Mat-khau-thu-nghiem-1"


@contextmanager
def raises_code(code: str) -> Iterator[pytest.ExceptionInfo[ServiceError]]:
    """The block is refused by the rule `code` (a ServiceError code, docs/errors.md)."""
    with pytest.raises(ServiceError) as excinfo:
        yield excinfo
    assert excinfo.value.code == code, f"refused with {excinfo.value.code!r}: {excinfo.value.messages}"


@pytest.fixture
def tree(db):
    """Two provinces; the first with its standard agencies and three communes."""
    province = unit_create(
        actor=SYSTEM, name="Tỉnh Đồng Nai", kind=UnitKind.PROVINCE, code="P75", gso_code="75"
    )
    other_province = unit_create(
        actor=SYSTEM, name="Tỉnh Tây Ninh", kind=UnitKind.PROVINCE, code="P80", gso_code="80"
    )
    province_agencies_create(actor=SYSTEM, province=province)
    communes = [
        unit_create(actor=SYSTEM, name=name, kind=UnitKind.COMMUNE, parent=province, code=f"W{i:05d}")
        for i, name in enumerate(["Phường Đồng Xoài", "Phường Biên Hòa", "Xã Lộc Ninh"], start=1)
    ]
    other_commune = unit_create(
        actor=SYSTEM, name="Phường Tân Ninh", kind=UnitKind.COMMUNE, parent=other_province, code="W09999"
    )
    former = unit_create(
        actor=SYSTEM,
        name="Tỉnh Bình Phước",
        short_name="Bình Phước",
        kind=UnitKind.PROVINCE,
        code="P70-2025",
        valid_to=dt.date(2025, 6, 30),
        successor=province,
    )

    class Tree:
        pass

    t = Tree()
    t.province, t.other_province, t.communes, t.other_commune, t.former = (
        province,
        other_province,
        communes,
        other_commune,
        former,
    )
    t.agency = lambda suffix: Unit.objects.get(code=f"P75.{suffix}")
    return t


@pytest.fixture
def users(tree):
    def make(username, *roles, superuser=False):
        user = user_create(
            actor=SYSTEM, username=username, password=PASSWORD, full_name=username, roles=roles
        )
        if superuser:
            user.is_superuser = True
            user.save()
        return user

    class Users:
        pass

    u = Users()
    u.admin = make("quantri", superuser=True)
    u.coordinator = make("dieuphoi", (tree.province, Role.COORDINATOR), (tree.agency("SNV"), Role.OFFICER))
    u.leader = make("lanhdao", (tree.province, Role.LEADER))
    u.officer = make("canbo.tuphap", (tree.agency("STP"), Role.OFFICER))
    u.officer_other = make("canbo.congthuong", (tree.agency("SCT"), Role.OFFICER))
    u.commune_officer = make("canbo.xa", (tree.communes[0], Role.OFFICER))
    u.commune_coordinator = make("dieuphoi.xa", (tree.communes[0], Role.COORDINATOR))
    u.foreign_coordinator = make("dieuphoi.tayninh", (tree.other_province, Role.COORDINATOR))
    return u


@pytest.fixture
def plan(tree, users):
    """A draft annual plan of the province with two targets and three tasks."""
    year = dt.date.today().year
    p = plan_services.plan_create(
        actor=users.coordinator,
        issuer=tree.province,
        title=f"Kế hoạch cải cách hành chính năm {year}",
        from_year=year,
        to_year=year,
        kind=PlanKind.ANNUAL,
        number="12/KH-UBND",
    )
    plan_services.target_save(
        actor=users.coordinator,
        plan=p,
        text="Trên 95% hồ sơ TTHC được giải quyết đúng hạn.",
        area="thu_tuc_hanh_chinh",
        comparator=">",
        value=95,
        unit_of_measure="%",
        year=year,
    )
    plan_services.target_save(
        actor=users.coordinator,
        plan=p,
        text="100% văn bản QPPL được rà soát.",
        area="the_che",
        comparator="=",
        value=100,
        unit_of_measure="%",
        year=year,
    )
    plan_services.task_save(
        actor=users.coordinator,
        plan=p,
        number="1",
        area="the_che",
        content="Rà soát văn bản quy phạm pháp luật.",
        lead_units=[tree.agency("STP")],
        coordinating_units=[tree.agency("SNV")],
        deadline_text=f"Quý I/{year}",
    )
    plan_services.task_save(
        actor=users.coordinator,
        plan=p,
        number="2",
        area="thu_tuc_hanh_chinh",
        content="Công khai thủ tục hành chính.",
        lead_units=[tree.agency("STP"), tree.agency("SCT"), *tree.communes],
        deadline_text="Thường xuyên trong năm",
    )
    plan_services.task_save(
        actor=users.coordinator,
        plan=p,
        number="3",
        area="chinh_quyen_so",
        content="Triển khai chuyển đổi số.",
        lead_units=[tree.agency("SKHCN")],
        deadline_text=f"Tháng 12/{year}",
    )
    return p


@pytest.fixture
def issued_plan(plan, users):
    plan_services.plan_issue(actor=users.coordinator, plan=plan)
    plan.refresh_from_db()
    return plan
