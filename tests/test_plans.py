import datetime as dt

import pytest

from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.models import AuditEntry
from cchc.plans import services
from cchc.plans.models import Plan, PlanStatus, Target, Task, TaskRole
from cchc.plans.selectors import plan_list, plan_tasks_by_area
from cchc.tracking.models import Assignment

from .conftest import raises_code


def test_plan_create_validates_period_and_title(tree, users):
    with pytest.raises(ServiceError) as exc:
        services.plan_create(
            actor=users.coordinator, issuer=tree.province, title="", from_year=2026, to_year=2025
        )
    assert set(exc.value.message_dict) == {"to_year"} or "title" in exc.value.message_dict
    with pytest.raises(ServiceError) as exc:
        services.plan_create(
            actor=users.coordinator,
            issuer=tree.province,
            title="KH",
            from_year=2026,
            to_year=2027,
            kind="annual",
        )
    assert "Kế hoạch năm chỉ gồm một năm." in exc.value.message_dict["to_year"]
    assert not Plan.objects.exists()


def test_plan_create_requires_a_coordinator_of_the_issuer(tree, users):
    for actor in (users.officer, users.leader, users.foreign_coordinator):
        with pytest.raises(PermissionDenied):
            services.plan_create(
                actor=actor, issuer=tree.province, title="KH CCHC", from_year=2026, to_year=2026
            )
    plan = services.plan_create(
        actor=users.commune_coordinator,
        issuer=tree.communes[0],
        title="KH CCHC của phường",
        from_year=2026,
        to_year=2026,
    )
    assert plan.status == PlanStatus.DRAFT


def test_text_is_normalised_to_nfc(tree, users):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Kế hoạch cải cách hành chính")
    plan = services.plan_create(
        actor=users.coordinator, issuer=tree.province, title=decomposed, from_year=2026, to_year=2026
    )
    assert plan.title == "Kế hoạch cải cách hành chính" and unicodedata.is_normalized("NFC", plan.title)


def test_task_deadline_becomes_due_dates(plan):
    year = plan.from_year
    t1, t2, t3 = plan.tasks.order_by("position")
    assert t1.deadline_kind == "fixed" and t1.final_due == dt.date(year, 3, 31)
    assert t2.deadline_kind == "continuous" and len(t2.due_dates) >= 4
    assert t3.final_due == dt.date(year, 12, 31)
    assert all(dt.date(year, 1, 1) <= dt.date.fromisoformat(d) <= dt.date(year, 12, 31) for d in t2.due_dates)


def test_conditional_deadline_takes_a_person_date(plan, users, tree):
    year = plan.from_year
    task = services.task_save(
        actor=users.coordinator,
        plan=plan,
        area="the_che",
        content="Sửa đổi quy chế khi có hướng dẫn.",
        lead_units=[tree.agency("STP")],
        deadline_text="Khi có hướng dẫn của Bộ, ngành Trung ương",
    )
    assert task.deadline_kind == "conditional" and task.final_due is None
    task = services.task_save(
        actor=users.coordinator,
        plan=plan,
        task=task,
        area="the_che",
        content=task.content,
        lead_units=[tree.agency("STP")],
        deadline_text=task.deadline_text,
        final_due=dt.date(year, 9, 30),
    )
    assert task.final_due == dt.date(year, 9, 30)
    with pytest.raises(ServiceError) as exc:
        services.task_save(
            actor=users.coordinator,
            plan=plan,
            task=task,
            area="the_che",
            content=task.content,
            lead_units=[tree.agency("STP")],
            final_due=dt.date(year + 1, 1, 5),
        )
    assert "final_due" in exc.value.message_dict


def test_task_requires_content_area_and_lead(plan, users):
    with pytest.raises(ServiceError) as exc:
        services.task_save(actor=users.coordinator, plan=plan, content=" ", area="khac", lead_units=[])
    assert set(exc.value.message_dict) == {"content", "area", "lead_units"}
    assert plan.tasks.count() == 3


def test_target_validation(plan, users):
    with pytest.raises(ServiceError) as exc:
        services.target_save(
            actor=users.coordinator,
            plan=plan,
            text="Tỷ lệ",
            area="the_che",
            comparator=">",
            value=120,
            unit_of_measure="%",
        )
    assert "0–100" in exc.value.message_dict["value"][0]
    with pytest.raises(ServiceError) as exc:
        services.target_save(
            actor=users.coordinator,
            plan=plan,
            text="Tỷ lệ",
            area="the_che",
            comparator=">",
            value=50,
            unit_of_measure="%",
            year=plan.from_year + 3,
        )
    assert "year" in exc.value.message_dict
    assert Target.objects.filter(plan=plan).count() == 2


def test_issue_assigns_each_task_to_its_lead_units(plan, users, tree):
    services.plan_issue(actor=users.coordinator, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED and plan.issued_on
    expected = sum(t.task_units.filter(role=TaskRole.LEAD).count() for t in plan.tasks.all())
    assert Assignment.objects.filter(task__plan=plan).count() == expected == 1 + 5 + 1
    # coordinating units are not assigned
    assert not Assignment.objects.filter(unit=tree.agency("SNV")).exists()
    entry = AuditEntry.objects.get(action="plan.issue", object_id=str(plan.pk))
    assert (
        entry.before["status"] == "draft"
        and entry.after["status"] == "issued"
        and entry.actor == users.coordinator
    )
    with raises_code("plan_wrong_state"):
        services.plan_issue(actor=users.coordinator, plan=plan)


def test_issue_refuses_a_plan_without_tasks(tree, users):
    plan = services.plan_create(
        actor=users.coordinator, issuer=tree.province, title="KH trống", from_year=2026, to_year=2026
    )
    with raises_code("plan_without_tasks"):
        services.plan_issue(actor=users.coordinator, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_editing_an_issued_task_syncs_assignments_and_keeps_reported_work(issued_plan, users, tree):
    from cchc.tracking.services import progress_post

    task = issued_plan.tasks.get(number="1")
    services.task_save(
        actor=users.coordinator,
        plan=issued_plan,
        task=task,
        area=task.area,
        content=task.content,
        lead_units=[tree.agency("STP"), tree.agency("SYT")],
        deadline_text=task.deadline_text,
    )
    assert set(task.assignments.values_list("unit__code", flat=True)) == {"P75.STP", "P75.SYT"}
    progress_post(
        actor=users.officer,
        assignment=task.assignments.get(unit=tree.agency("STP")),
        percent=50,
        narrative="Đang rà soát",
    )
    with raises_code("lead_has_reported"):
        services.task_save(
            actor=users.coordinator,
            plan=issued_plan,
            task=task,
            area=task.area,
            content="Nội dung mới",
            lead_units=[tree.agency("SYT")],
            deadline_text=task.deadline_text,
        )
    task.refresh_from_db()
    assert task.content == "Rà soát văn bản quy phạm pháp luật."  # the failed edit left nothing behind
    assert task.assignments.count() == 2


def test_closed_plan_is_read_only(issued_plan, users):
    services.plan_close(actor=users.coordinator, plan=issued_plan)
    with raises_code("plan_closed"):
        services.plan_update(actor=users.coordinator, plan=issued_plan, title="Đổi tên")


def test_plan_update_moves_deadlines_with_the_period(plan, users):
    year = plan.from_year
    services.plan_update(actor=users.coordinator, plan=plan, from_year=year + 1, to_year=year + 1)
    task = plan.tasks.get(number="3")
    # "Tháng 12/<year>" now lies outside the plan period: no date, flagged for a person
    assert task.final_due is None or task.final_due.year == year + 1


def test_plan_list_is_scoped(issued_plan, tree, users):
    assert list(plan_list(user=users.coordinator)) == [issued_plan]
    assert list(plan_list(user=users.commune_officer)) == [issued_plan]  # a commune has work in it
    assert list(plan_list(user=users.foreign_coordinator)) == []
    draft = services.plan_create(
        actor=users.commune_coordinator,
        issuer=tree.communes[0],
        title="KH phường",
        from_year=2026,
        to_year=2026,
    )
    assert draft in plan_list(user=users.coordinator)  # the province oversees its communes
    assert draft not in plan_list(user=users.officer)


def test_tasks_grouped_by_area_in_official_order(plan):
    areas = [a for a, _, _ in plan_tasks_by_area(plan=plan)]
    assert areas == ["the_che", "thu_tuc_hanh_chinh", "chinh_quyen_so"]


def test_delete_draft_only(plan, users):
    services.plan_issue(actor=users.coordinator, plan=plan)
    with raises_code("plan_wrong_state"):
        services.plan_delete(actor=users.coordinator, plan=plan)
    assert Task.objects.filter(plan=plan).count() == 3


def test_labels_read_as_people_write_them(plan, tree):
    from decimal import Decimal

    from cchc.plans.models import Target

    labels = [t.goal_label for t in plan.targets.all()]
    assert labels == ["Trên 95%", "Đạt 100%"]
    assert (
        Target(comparator=">=", value=Decimal("2.5"), unit_of_measure="cuộc/năm").goal_label
        == "Tối thiểu 2,5 cuộc/năm"
    )
    assert (
        Target(comparator=">=", value=Decimal("10"), unit_of_measure="%", reduction=True).goal_label
        == "Giảm tối thiểu 10%"
    )
    assert tree.province.body_name == "UBND tỉnh Đồng Nai"
    assert tree.communes[0].body_name == "UBND phường Đồng Xoài"
    assert tree.agency("STP").body_name == "Sở Tư pháp"
