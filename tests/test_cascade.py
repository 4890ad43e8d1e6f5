import pytest
from django.urls import reverse

from cchc.core.errors import PermissionDenied
from cchc.plans.cascade import cascade_candidates, plan_cascade, plan_coverage
from cchc.plans.models import TaskRole

from .conftest import PASSWORD, raises_code


def test_a_commune_starts_its_plan_from_the_province_plan(issued_plan, users, tree):
    commune = tree.communes[0]
    assert commune in cascade_candidates(user=users.commune_coordinator, plan=issued_plan)
    plan = plan_cascade(actor=users.commune_coordinator, superior=issued_plan, unit=commune)
    assert plan.parent == issued_plan and plan.issuer == commune and plan.status == "draft"
    assert plan.title == f"Kế hoạch cải cách hành chính năm {issued_plan.from_year} của UBND phường Đồng Xoài"
    # the one task the commune leads, linked back; every target, linked back
    assert [t.source.number for t in plan.tasks.all()] == ["2"]
    task = plan.tasks.get()
    assert list(task.task_units.filter(role=TaskRole.LEAD).values_list("unit", flat=True)) == [commune.pk]
    assert task.deadline_text == "Thường xuyên trong năm" and task.due_dates
    assert plan.targets.count() == 2 and all(t.source for t in plan.targets.all())


def test_coordinating_units_take_up_tasks_too(issued_plan, users, tree):
    plan = plan_cascade(actor=users.coordinator, superior=issued_plan, unit=tree.agency("SNV"))
    task = plan.tasks.get()
    assert task.source.number == "1" and task.note.startswith("Phối hợp với")


def test_cascade_refusals(plan, issued_plan, users, tree):
    with pytest.raises(PermissionDenied):
        plan_cascade(actor=users.commune_coordinator, superior=issued_plan, unit=tree.communes[1])
    with raises_code("nothing_assigned"):
        plan_cascade(actor=users.coordinator, superior=issued_plan, unit=tree.agency("SYT"))
    with raises_code("not_in_subtree"):
        plan_cascade(actor=users.admin, superior=issued_plan, unit=tree.other_commune)


def test_coverage_shows_what_no_subordinate_takes_up(issued_plan, users, tree):
    plan_cascade(actor=users.commune_coordinator, superior=issued_plan, unit=tree.communes[0])
    plan_cascade(actor=users.coordinator, superior=issued_plan, unit=tree.agency("STP"))
    coverage = plan_coverage(user=users.coordinator, plan=issued_plan)
    assert len(coverage.children) == 2
    taken = {r.item.number: r.taken_up_by for r in coverage.tasks}
    assert sum(taken["2"]) == 2 and sum(taken["1"]) == 1 and not any(taken["3"])
    assert coverage.tasks_uncovered == 1 and coverage.targets_uncovered == 0


def test_cascade_and_coverage_pages(client, issued_plan, users, tree):
    client.login(username=users.commune_coordinator.username, password=PASSWORD)
    response = client.post(reverse("plans:cascade", args=[issued_plan.pk]), {"unit": tree.communes[1].pk})
    assert response.status_code == 403
    response = client.post(reverse("plans:cascade", args=[issued_plan.pk]), {"unit": tree.communes[0].pk})
    assert response.status_code == 302
    assert client.get(reverse("plans:coverage", args=[issued_plan.pk])).status_code == 403
    client.login(username=users.leader.username, password=PASSWORD)
    body = client.get(reverse("plans:coverage", args=[issued_plan.pk])).content.decode()
    assert "UBND phường Đồng Xoài" in body and "✓" in body
