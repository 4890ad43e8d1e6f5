import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from cchc.core.actors import SYSTEM
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.models import AuditEntry
from cchc.tracking import exports
from cchc.tracking.models import Assignment, Evidence, ProgressUpdate
from cchc.tracking.selectors import my_assignments, plan_dashboard, plan_dashboard_assignments
from cchc.tracking.services import progress_post
from cchc.tracking.status import Status, annotate_status, status_of

from .conftest import raises_code

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _assignment(plan, unit):
    return Assignment.objects.select_related("task__plan", "unit").get(
        task__plan=plan, unit=unit, task__number="2"
    )


def test_progress_post_updates_summary_and_audits(issued_plan, users, tree):
    a = _assignment(issued_plan, tree.agency("STP"))
    update = progress_post(
        actor=users.officer,
        assignment=a,
        percent=40,
        narrative="Đã công khai 40 thủ tục.",
        files=[SimpleUploadedFile("bao-cao.pdf", PDF)],
    )
    a.refresh_from_db()
    assert (a.percent, a.updates_count, a.completed_on, a.last_reported_on) == (
        40,
        1,
        None,
        update.reported_on,
    )
    ev = Evidence.objects.get(update=update)
    assert ev.original_name == "bao-cao.pdf" and ev.content_type == "application/pdf" and ev.size == len(PDF)
    assert (
        ev.file.name.startswith("evidence/") and "bao-cao" not in ev.file.name
    )  # stored under a random name
    entry = AuditEntry.objects.get(action="progress.post")
    assert entry.before["percent"] == 0 and entry.after["percent"] == 40 and entry.unit_id == a.unit_id
    progress_post(actor=users.officer, assignment=a, percent=100, narrative="Hoàn thành.")
    a.refresh_from_db()
    assert a.completed_on == dt.date.today()


def test_officer_cannot_report_for_another_unit(issued_plan, users, tree):
    a = _assignment(issued_plan, tree.agency("SCT"))
    for actor in (users.officer, users.leader, users.commune_officer, users.foreign_coordinator):
        with pytest.raises(PermissionDenied):
            progress_post(actor=actor, assignment=a, percent=10, narrative="x")
    assert not ProgressUpdate.objects.exists()
    progress_post(
        actor=users.coordinator, assignment=a, percent=10, narrative="Báo cáo thay đơn vị"
    )  # coordinators may


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("virus.exe", b"MZ\x90\x00", "không được chấp nhận"),
        ("bao-cao.pdf", b"MZ\x90\x00 not a pdf", "không đúng định dạng PDF"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_saved(issued_plan, users, tree, name, content, message):
    a = _assignment(issued_plan, tree.agency("STP"))
    with pytest.raises(ServiceError) as exc:
        progress_post(
            actor=users.officer,
            assignment=a,
            percent=30,
            narrative="Có tệp",
            files=[SimpleUploadedFile(name, content)],
        )
    assert message in exc.value.message_dict["files"][0]
    a.refresh_from_db()
    assert a.updates_count == 0 and not ProgressUpdate.objects.exists() and not Evidence.objects.exists()


def test_too_large_evidence_is_refused(issued_plan, users, tree, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    a = _assignment(issued_plan, tree.agency("STP"))
    with raises_code("progress_report_invalid"):
        progress_post(
            actor=users.officer,
            assignment=a,
            percent=30,
            narrative="Tệp lớn",
            files=[SimpleUploadedFile("lon.pdf", PDF + b"0" * 2048)],
        )


def test_progress_validation(issued_plan, users, tree):
    a = _assignment(issued_plan, tree.agency("STP"))
    with pytest.raises(ServiceError) as exc:
        progress_post(
            actor=users.officer,
            assignment=a,
            percent=120,
            narrative=" ",
            reported_on=dt.date.today() + dt.timedelta(days=2),
        )
    assert set(exc.value.message_dict) == {"percent", "narrative", "reported_on"}


def test_failure_after_files_are_written_removes_them(
    issued_plan, users, tree, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    a = _assignment(issued_plan, tree.agency("STP"))
    import cchc.tracking.services as svc

    def broken_audit(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(svc, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        progress_post(
            actor=users.officer,
            assignment=a,
            percent=30,
            narrative="x",
            files=[SimpleUploadedFile("a.pdf", PDF)],
        )
    stored = (
        list((settings.MEDIA_ROOT / "evidence").rglob("*"))
        if (settings.MEDIA_ROOT / "evidence").exists()
        else []
    )
    assert not [p for p in stored if p.is_file()]
    assert not ProgressUpdate.objects.exists()


def test_closed_or_draft_plans_take_no_progress(plan, users, tree):
    from cchc.plans.services import plan_close, plan_issue

    plan_issue(actor=users.coordinator, plan=plan)
    plan_close(actor=users.coordinator, plan=plan)
    a = _assignment(plan, tree.agency("STP"))
    with raises_code("plan_not_reporting"):
        progress_post(actor=users.officer, assignment=a, percent=10, narrative="x")


@pytest.mark.parametrize(
    "completed_on, final_due, updates, today, expected",
    [
        (None, None, 0, dt.date(2026, 5, 1), Status.NOT_STARTED),
        (None, dt.date(2026, 6, 30), 2, dt.date(2026, 5, 1), Status.IN_PROGRESS),
        (None, dt.date(2026, 3, 31), 2, dt.date(2026, 5, 1), Status.OVERDUE),
        (None, dt.date(2026, 3, 31), 0, dt.date(2026, 5, 1), Status.OVERDUE),
        (dt.date(2026, 3, 30), dt.date(2026, 3, 31), 1, dt.date(2026, 5, 1), Status.DONE),
        (dt.date(2026, 3, 31), dt.date(2026, 3, 31), 1, dt.date(2026, 5, 1), Status.DONE),
        (dt.date(2026, 4, 2), dt.date(2026, 3, 31), 1, dt.date(2026, 5, 1), Status.DONE_LATE),
        (dt.date(2026, 4, 2), None, 1, dt.date(2026, 5, 1), Status.DONE),
    ],
)
def test_status_rule(completed_on, final_due, updates, today, expected):
    assert (
        status_of(completed_on=completed_on, final_due=final_due, updates_count=updates, today=today)
        == expected
    )


def test_sql_status_agrees_with_python(issued_plan, users, tree):
    year = issued_plan.from_year
    rows = list(Assignment.objects.filter(task__plan=issued_plan).select_related("task"))
    # put the assignments in different situations
    rows[0].completed_on, rows[0].updates_count = dt.date(year, 3, 1), 2
    rows[1].completed_on, rows[1].updates_count = dt.date(year, 5, 1), 3
    rows[2].updates_count = 1
    Assignment.objects.bulk_update(rows, ["completed_on", "updates_count"])
    for today in (dt.date(year, 2, 1), dt.date(year, 4, 15), dt.date(year, 12, 31)):
        for a in annotate_status(
            Assignment.objects.filter(task__plan=issued_plan).select_related("task"), today
        ):
            assert a.status == status_of(
                completed_on=a.completed_on,
                final_due=a.task.final_due,
                updates_count=a.updates_count,
                today=today,
            )


def test_dashboard_counts_agree_with_row_statuses(issued_plan, users, tree):
    year = issued_plan.from_year
    rows = list(Assignment.objects.filter(task__plan=issued_plan).select_related("task").order_by("id"))
    rows[0].completed_on, rows[0].updates_count = dt.date(year, 3, 1), 2
    rows[1].completed_on, rows[1].updates_count = dt.date(year, 5, 1), 3
    rows[2].updates_count = 1
    rows[4].updates_count = 4
    Assignment.objects.bulk_update(rows, ["completed_on", "updates_count"])
    for today in (dt.date(year, 2, 1), dt.date(year, 4, 15), dt.date(year, 12, 31)):
        expected: dict[str, int] = {}
        for a in annotate_status(Assignment.objects.filter(task__plan=issued_plan), today):
            expected[a.status] = expected.get(a.status, 0) + 1
        assert plan_dashboard(user=users.coordinator, plan=issued_plan, today=today).totals == expected


def test_my_tasks_shows_only_own_units(issued_plan, users, tree):
    mine = my_assignments(user=users.officer)
    assert {a.unit.code for a in mine} == {"P75.STP"} and mine.count() == 2
    assert {a.unit_id for a in my_assignments(user=users.commune_officer)} == {tree.communes[0].pk}
    assert not my_assignments(user=users.foreign_coordinator).exists()


def test_dashboard_counts_and_stale_units(issued_plan, users, tree):
    year = issued_plan.from_year
    today = dt.date(year, 11, 20)
    a = _assignment(issued_plan, tree.agency("STP"))
    Assignment.objects.filter(pk=a.pk).update(
        percent=100, completed_on=dt.date(year, 10, 1), updates_count=2, last_reported_on=dt.date(year, 10, 1)
    )
    d = plan_dashboard(user=users.coordinator, plan=issued_plan, today=today)
    assert d.total == 7 and d.totals[Status.DONE] == 1
    assert d.totals[Status.OVERDUE] == 1 and d.overdue[0].task.number == "1"  # Quý I, never reported
    assert d.totals[Status.NOT_STARTED] == 5
    # units with open work and no report since the window opened (15/9); STP reported on 1/10
    assert {u.name for u in d.stale_units} == {
        "Sở Công Thương",
        "Sở Khoa học và Công nghệ",
        *[c.name for c in tree.communes],
    }
    assert d.window_label == f"Quý IV/{year}" and d.window_start == dt.date(year, 9, 15)
    by_area = {area: total for area, _label, _counts, total in d.areas}
    assert by_area == {"the_che": 1, "thu_tuc_hanh_chinh": 5, "chinh_quyen_so": 1}


def test_dashboard_is_scoped_for_a_commune_leader(issued_plan, users, tree):
    from cchc.orgs.models import Role
    from cchc.orgs.services import user_create

    leader = user_create(
        actor=SYSTEM, username="lanhdao.xa", password=None, roles=[(tree.communes[0], Role.LEADER)]
    )
    d = plan_dashboard(user=leader, plan=issued_plan)
    assert d.scoped and {u.unit_id for u in d.units} == {tree.communes[0].pk}
    with pytest.raises(PermissionDenied):
        plan_dashboard(user=users.officer, plan=issued_plan)


def _bigger_plan(issued_plan, users, tree, n):
    from cchc.plans.services import task_save

    for i in range(n):
        task_save(
            actor=users.coordinator,
            plan=issued_plan,
            area="cong_vu",
            content=f"Nhiệm vụ bổ sung {i}",
            lead_units=[tree.agency("STP"), tree.communes[i % 3]],
            deadline_text="Quý II",
        )


def test_query_counts_do_not_grow_with_tasks(issued_plan, users, tree):
    from cchc.orgs.models import User
    from cchc.plans.models import Plan

    def count():
        coordinator, officer = (
            User.objects.get(pk=users.coordinator.pk),
            User.objects.get(pk=users.officer.pk),
        )
        plan = Plan.objects.select_related("issuer").get(pk=issued_plan.pk)  # as the view loads it
        with CaptureQueriesContext(connection) as ctx:
            plan_dashboard(user=coordinator, plan=plan)
            list(my_assignments(user=officer))
        return len(ctx.captured_queries)

    before = count()
    _bigger_plan(issued_plan, users, tree, 12)
    assert count() == before == 6  # memberships ×2, grouped figures, unit names, overdue list, my tasks


def test_xlsx_exports_open_and_hold_the_rows(issued_plan, users, tree):
    wb = load_workbook(io.BytesIO(exports.assignments_xlsx(my_assignments(user=users.officer))))
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    # a title, the date of the figures, a blank row, then the table
    assert rows[0][0] == "Nhiệm vụ của tôi" and rows[1][0].startswith("Số liệu đến ngày ")
    assert rows[3][0] == "Kế hoạch" and len(rows) == 3 + 3
    assert {r[3] for r in rows[4:]} == {"Sở Tư pháp"}
    d = plan_dashboard(user=users.coordinator, plan=issued_plan)
    tasks = plan_dashboard_assignments(user=users.coordinator, plan=issued_plan)
    wb = load_workbook(io.BytesIO(exports.dashboard_xlsx(d, tasks)))
    assert wb.sheetnames == ["Tiến độ theo đơn vị", "Nhiệm vụ"]
    by_unit = list(wb["Tiến độ theo đơn vị"].iter_rows(values_only=True))
    assert by_unit[0][0].startswith("Tiến độ thực hiện kế hoạch: ") and issued_plan.title in by_unit[0][0]
    assert "số liệu đến ngày" in by_unit[1][0] and by_unit[3][0] == "Đơn vị"
    assert len(by_unit) == 4 + len(d.units)
    task_rows = list(wb["Nhiệm vụ"].iter_rows(values_only=True))[4:]
    assert len(task_rows) == tasks.count() > 0
    assert {r[2] for r in task_rows} == set(issued_plan.tasks.values_list("content", flat=True))
