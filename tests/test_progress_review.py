"""The coordinator's review of progress: accept or return with a reason; where the plan asks for
it, a task is done only once its 100 % update is accepted."""

import datetime as dt

import pytest
from django.urls import reverse

from cchc.core.errors import PermissionDenied
from cchc.core.models import AuditEntry
from cchc.tracking.models import Assignment, ReviewStatus
from cchc.tracking.selectors import my_assignments, review_queue
from cchc.tracking.services import progress_post, progress_review, review_policy_set
from cchc.tracking.status import Status

from .conftest import PASSWORD, raises_code


def _stp(plan):
    return Assignment.objects.select_related("task__plan", "unit").get(
        task__plan=plan, unit__code="P75.STP", task__number="2"
    )


def test_without_policy_the_units_word_is_enough_and_a_return_reopens(issued_plan, users):
    a = _stp(issued_plan)
    update = progress_post(actor=users.officer, assignment=a, percent=100, narrative="Đã xong.")
    a.refresh_from_db()
    assert a.completed_on == dt.date.today() and update.review_status == ReviewStatus.PENDING

    progress_review(actor=users.coordinator, update=update, accept=False, comment="Thiếu văn bản kèm theo.")
    a.refresh_from_db()
    update.refresh_from_db()
    # the returned claim no longer counts: the task is open again at the previous figure
    assert (a.completed_on, a.percent, a.updates_count) == (None, 0, 1)
    assert (
        update.review_status == ReviewStatus.RETURNED and update.review_comment == "Thiếu văn bản kèm theo."
    )
    assert update.reviewed_by == users.coordinator and update.reviewed_at is not None
    entry = AuditEntry.objects.get(action="progress.return")
    assert entry.before["review_status"] == "pending" and entry.after["review_status"] == "returned"
    assert entry.unit_id == a.unit_id
    # the unit sees it on its task list
    row = my_assignments(user=users.officer).get(pk=a.pk)
    assert row.last_review == ReviewStatus.RETURNED


def test_with_policy_done_only_when_accepted(issued_plan, users):
    review_policy_set(actor=users.coordinator, plan=issued_plan, acceptance_required=True)
    a = _stp(issued_plan)
    progress_post(actor=users.officer, assignment=a, percent=60, narrative="Đang làm.")
    update = progress_post(
        actor=users.officer, assignment=a, percent=100, narrative="Xong.", reported_on=dt.date.today()
    )
    a.refresh_from_db()
    assert a.completed_on is None and a.percent == 100
    assert my_assignments(user=users.officer).get(pk=a.pk).status == Status.IN_PROGRESS
    assert [u.pk for u in review_queue(user=users.coordinator, plan=issued_plan)][-1] == update.pk

    progress_review(actor=users.coordinator, update=update, accept=True)
    a.refresh_from_db()
    assert a.completed_on == dt.date.today()
    assert my_assignments(user=users.officer).get(pk=a.pk).status in (Status.DONE, Status.DONE_LATE)
    assert update.pk not in {u.pk for u in review_queue(user=users.coordinator, plan=issued_plan)}


def test_turning_the_policy_on_and_off_moves_statuses_at_once(issued_plan, users):
    a = _stp(issued_plan)
    progress_post(actor=users.officer, assignment=a, percent=100, narrative="Xong.")
    assert review_policy_set(actor=users.coordinator, plan=issued_plan, acceptance_required=True) == 1
    a.refresh_from_db()
    assert a.completed_on is None
    assert review_policy_set(actor=users.coordinator, plan=issued_plan, acceptance_required=True) == 0
    assert review_policy_set(actor=users.coordinator, plan=issued_plan, acceptance_required=False) == 1
    a.refresh_from_db()
    assert a.completed_on == dt.date.today()
    assert AuditEntry.objects.filter(action="plan.review_policy").count() == 2


def test_review_rules(issued_plan, users):
    a = _stp(issued_plan)
    update = progress_post(actor=users.officer, assignment=a, percent=30, narrative="Bắt đầu.")
    with raises_code("progress_return_reason_required"):
        progress_review(actor=users.coordinator, update=update, accept=False, comment="   ")
    update.refresh_from_db()
    assert update.review_status == ReviewStatus.PENDING  # nothing saved
    for outsider in (users.officer, users.leader, users.commune_coordinator, users.foreign_coordinator):
        with pytest.raises(PermissionDenied):
            progress_review(actor=outsider, update=update, accept=True)
    progress_review(actor=users.coordinator, update=update, accept=True)
    with raises_code("progress_already_reviewed"):
        progress_review(actor=users.coordinator, update=update, accept=False, comment="Đổi ý")
    assert AuditEntry.objects.filter(action__in=["progress.accept", "progress.return"]).count() == 1


def test_pages_return_accept_and_show_the_reason(client, issued_plan, users):
    a = _stp(issued_plan)
    first = progress_post(actor=users.officer, assignment=a, percent=100, narrative="Đã xong.")
    client.login(username=users.coordinator.username, password=PASSWORD)
    queue = client.get(reverse("tracking:review_queue", args=[issued_plan.pk]))
    assert queue.status_code == 200 and "Đã xong." in queue.content.decode()
    # returning without a reason keeps the update pending and says why
    response = client.post(
        reverse("tracking:review", args=[first.pk]), {"decision": "tra_lai", "quay_lai": "hang_cho"}
    )
    assert response.status_code == 302 and response.url == reverse(
        "tracking:review_queue", args=[issued_plan.pk]
    )
    first.refresh_from_db()
    assert first.review_status == ReviewStatus.PENDING
    client.post(
        reverse("tracking:review", args=[first.pk]),
        {"decision": "tra_lai", "comment": "Bổ sung quyết định công bố."},
    )
    client.post(reverse("tracking:review_policy", args=[issued_plan.pk]), {"acceptance_required": "on"})

    client.logout()
    client.login(username=users.officer.username, password=PASSWORD)
    page = client.get(reverse("tracking:assignment", args=[a.pk])).content.decode()
    assert "Bị trả lại" in page and "Bổ sung quyết định công bố." in page
    assert "Bị trả lại — xem ý kiến" in client.get(reverse("tracking:my_tasks")).content.decode()
    second = progress_post(actor=users.officer, assignment=a, percent=100, narrative="Đã bổ sung.")

    client.logout()
    client.login(username=users.coordinator.username, password=PASSWORD)
    detail = client.get(reverse("tracking:assignment", args=[a.pk])).content.decode()
    assert reverse("tracking:review", args=[second.pk]) in detail  # the form is on the task page too
    client.post(reverse("tracking:review", args=[second.pk]), {"decision": "chap_nhan"})
    a.refresh_from_db()
    assert a.completed_on == dt.date.today()
