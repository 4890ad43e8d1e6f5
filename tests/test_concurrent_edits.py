"""Two people, one record: the second save never silently undoes the first (optimistic
versioning on the edit forms), and concurrent progress posts never lose a count."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from cchc.core.versioning import EditedMeanwhile
from cchc.plans import services as plan_services
from cchc.tracking.models import Assignment
from cchc.tracking.services import progress_post

from .conftest import PASSWORD, raises_code


def _task_post_data(task, **changes):
    data = {
        "number": task.number,
        "area": task.area,
        "content": task.content,
        "output": task.output,
        "lead_units": [str(u) for u in task.task_units.filter(role="lead").values_list("unit_id", flat=True)],
        "deadline_text": task.deadline_text,
        "note": task.note,
        "version": str(task.version),
    }
    data.update(changes)
    return data


def test_second_save_of_a_task_is_refused_and_shown_the_change(client, plan, users):
    task = plan.tasks.order_by("position").first()
    opened_by_a = _task_post_data(task, content="Nội dung do chị A sửa.")
    opened_by_b = _task_post_data(task, content="Nội dung do anh B sửa.")
    url = reverse("plans:task_edit", args=[plan.pk, task.pk])
    client.login(username=users.coordinator.username, password=PASSWORD)

    assert client.post(url, opened_by_a).status_code == 302
    conflict = client.post(url, opened_by_b)
    assert conflict.status_code == 409
    page = conflict.content.decode()
    assert "vừa được sửa bởi dieuphoi" in page and "Nội dung do chị A sửa." in page  # the saved text, shown
    task.refresh_from_db()
    assert task.content == "Nội dung do chị A sửa."  # nothing reverted
    # B has now seen the change: the page carries the new version, and saving again is on purpose
    again = dict(opened_by_b, version=str(task.version))
    assert client.post(url, again).status_code == 302
    task.refresh_from_db()
    assert task.content == "Nội dung do anh B sửa."


def test_plan_update_with_a_stale_version_is_refused(plan, users):
    stale = plan.version
    plan_services.plan_update(actor=users.coordinator, plan=plan, version=stale, title="Tên mới")
    with raises_code("edited_meanwhile"):
        plan_services.plan_update(actor=users.coordinator, plan=plan, version=stale, summary="Khác")
    plan.refresh_from_db()
    assert (plan.title, plan.summary, plan.version) == ("Tên mới", "", stale + 1)


def test_plan_edit_page_answers_409_on_a_stale_form(client, plan, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    url = reverse("plans:edit", args=[plan.pk])
    form = {
        "title": plan.title,
        "number": plan.number,
        "kind": plan.kind,
        "from_year": plan.from_year,
        "to_year": plan.to_year,
        "summary": "",
        "version": plan.version,
    }
    assert client.post(url, dict(form, title="Bản của A")).status_code == 302
    response = client.post(url, dict(form, summary="Bản của B"))
    assert response.status_code == 409 and "Bản của A" in response.content.decode()


def test_an_import_without_a_form_version_always_saves(plan, users):
    task = plan.tasks.first()
    saved = plan_services.task_save(
        actor=users.coordinator,
        plan=plan,
        task=task,
        content="Theo văn bản mới",
        area=task.area,
        lead_units=list(task.units.all()),
    )
    assert saved.version == 2
    with pytest.raises(EditedMeanwhile):
        plan_services.task_save(
            actor=users.coordinator,
            plan=plan,
            task=task,
            content="Bản cũ",
            area=task.area,
            lead_units=list(task.units.all()),
            version=1,
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite serialises all writers anyway")
def test_concurrent_progress_posts_lose_no_count(issued_plan, users):
    assignment = Assignment.objects.get(task__plan=issued_plan, unit__code="P75.STP", task__number="2")
    errors = []

    def post(i):
        try:
            a = Assignment.objects.select_related("task__plan", "unit").get(pk=assignment.pk)
            progress_post(actor=users.officer, assignment=a, percent=10 + i, narrative=f"Lần {i}")
        except Exception as exc:  # reported below; a thread's exception would be lost
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection, or the test database cannot be dropped

    threads = [threading.Thread(target=post, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assignment.refresh_from_db()
    assert assignment.updates_count == 10 == assignment.updates.count()
    assert connection.vendor == "postgresql"
