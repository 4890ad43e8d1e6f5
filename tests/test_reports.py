"""Periodic CCHC reports: the calendar, the draft written from the data, the services (open, save,
submit, accept, return), consolidation, the register, documents, snapshots (docs/reports.md)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from cchc.core.errors import PermissionDenied
from cchc.core.models import AuditEntry
from cchc.core.periods import reporting_window
from cchc.core.text import vi_sort_key
from cchc.indicators import live
from cchc.orgs.models import Unit
from cchc.reports import exports, figures, outline, selectors, windows
from cchc.reports.builder import build
from cchc.reports.calendar import expected_reporters, schedule_for
from cchc.reports.models import Report, ReportSchedule
from cchc.reports.services import (
    report_accept,
    report_open,
    report_refresh,
    report_return,
    report_save,
    report_submit,
)
from cchc.tracking.models import Assignment
from cchc.tracking.services import progress_post, progress_review

from .conftest import raises_code
from .test_dossiers_support import local, make_world, pdf

TODAY = timezone.localdate()
W = reporting_window(TODAY)  # the quarterly window running today: progress posted today is in it
QUARTER = dict(kind="quy", year=W.year, number=int(W.part[1]))


def _fill(report, actor, **extra):
    texts = {h.key: f"Nội dung {h.title.lower()}." for h in outline.OUTLINE}
    return report_save(actor=actor, report=report, sections={**texts, **extra})


def _submit(report, actor, number):
    return report_submit(
        actor=actor,
        report=report,
        doc_number=number,
        doc_date=TODAY,
        signer="Nguyễn Văn An",
        signer_title="Giám đốc",
    )


@pytest.fixture
def progress(issued_plan, users, tree):
    return make_progress(issued_plan, users, tree)


def make_progress(issued_plan, users, tree):
    """Progress of Sở Tư pháp on tasks 1 (thể chế) and 2 (TTHC, with evidence) and of the commune on 2."""
    stp = tree.agency("STP")
    a1 = Assignment.objects.get(task__plan=issued_plan, task__number="1", unit=stp)
    a2 = Assignment.objects.get(task__plan=issued_plan, task__number="2", unit=stp)
    ac = Assignment.objects.get(task__plan=issued_plan, task__number="2", unit=tree.communes[0])
    u1 = progress_post(actor=users.officer, assignment=a1, percent=60, narrative="Đã rà soát 120 văn bản.")
    evidence = SimpleUploadedFile("bao-cao-ra-soat.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    u2 = progress_post(
        actor=users.officer, assignment=a2, percent=100, narrative="Công khai 45 thủ tục.", files=[evidence]
    )
    uc = progress_post(
        actor=users.commune_officer, assignment=ac, percent=50, narrative="Niêm yết tại bộ phận một cửa."
    )
    for update in (u1, u2, uc):  # the province's coordinator accepts them: only accepted progress counts
        progress_review(actor=users.coordinator, update=update, accept=True)
    return stp


# --- calendar and outline ---------------------------------------------------------------------


def test_kinds_windows_and_bad_numbers():
    assert windows.window("quy", 2026, 1).key == "BC-2026-Q1"
    assert windows.window("quy", 2026, 1).start == dt.date(2025, 12, 15)
    assert windows.window("6thang", 2026).end == dt.date(2026, 6, 14)
    assert windows.window("9thang", 2026).key == "BC-2026-9M"
    assert windows.window("nam", 2026).key == "BC-2026-Y"
    assert windows.window("thang", 2026, 2).end == dt.date(2026, 2, 28)
    assert windows.calendar_key("quy", 2026, 3) == "2026-Q3"
    for kind, number in (("quy", None), ("quy", 5), ("thang", 13), ("nam", 2), ("tuan", 1)):
        with pytest.raises(windows.KindError):
            windows.check(kind, 2026, number)
    assert windows.check("nam", 2026, None) == 0


def test_schedule_defaults_and_province_rows(tree):
    assert schedule_for(tree.province, "quy").due_after_days == 6  # 14/3 → 20/3
    assert not schedule_for(tree.province, "thang").required
    ReportSchedule.objects.create(province=tree.province, kind="thang", required=True, due_after_days=3)
    rule = schedule_for(tree.province, "thang")
    assert rule.required and rule.due_after_days == 3
    assert not schedule_for(tree.other_province, "thang").required


def test_who_reports_to_whom(tree):
    reporters = expected_reporters(tree.province)
    codes = {u.code for u in reporters}
    assert {"P75.STP", "P75.SCT", "W00001", "W00002", "W00003"} <= codes
    assert tree.other_commune not in reporters and tree.former not in reporters
    names = [u.name for u in reporters]
    assert names == sorted(names, key=vi_sort_key)


def test_vietnamese_sort_order():
    names = ["Xã Ý Yên", "Phường Đồng Xoài", "Phường Bình Đa", "Phường Dĩ An", "Xã An Bình", "Phường Ân Thi"]
    assert sorted(names, key=vi_sort_key) == [
        "Phường Ân Thi",
        "Phường Bình Đa",
        "Phường Dĩ An",
        "Phường Đồng Xoài",
        "Xã An Bình",
        "Xã Ý Yên",
    ]


def test_tasks_are_placed_by_the_plans_group_then_area():
    assert outline.heading_of("chi_dao_dieu_hanh", "II. CÔNG TÁC TUYÊN TRUYỀN CCHC") == "tuyen_truyen"
    assert outline.heading_of("the_che", "Nhóm nhiệm vụ cải cách thủ tục hành chính") == "thu_tuc_hanh_chinh"
    assert outline.heading_of("cong_vu", "") == "cong_vu"
    assert outline.heading_of("chi_dao_dieu_hanh", "", "Tuyên truyền trên báo, đài") == "tuyen_truyen"
    assert outline.heading_of("unknown", "") == outline.FALLBACK


# --- the draft --------------------------------------------------------------------------------


def test_the_draft_writes_itself_from_the_windows_progress(progress, users):
    report = report_open(actor=users.officer, unit=progress, **QUARTER)
    assert report.state == Report.State.DRAFT and report.receiver.code == "P75"
    assert report.period_key == W.key and report.due_on == W.end + dt.timedelta(days=6)
    assert "Đã rà soát 120 văn bản." in report.sections["the_che"]
    tthc = report.sections["thu_tuc_hanh_chinh"]
    assert "Công khai 45 thủ tục." in tthc and "bao-cao-ra-soat.pdf" in tthc
    assert "Niêm yết" not in tthc  # the commune's progress is the commune's report
    evidence = report.facts["progress"][1]["evidence"]
    assert evidence[0]["name"] == "bao-cao-ra-soat.pdf" and evidence[0]["id"]
    codes = [r["code"] for r in report.annex]
    assert codes[:3] == ["tiep_nhan", "da_giai_quyet", "dung_han"] and "766" in codes
    assert AuditEntry.objects.filter(action="report.open", object_id=str(report.pk)).exists()
    # opening again returns the same report
    assert report_open(actor=users.officer, unit=progress, **QUARTER).pk == report.pk


def test_targets_and_overdue_tasks_fill_the_assessment(progress, issued_plan, users, tree):
    Assignment.objects.filter(task__plan=issued_plan, task__number="1").update()
    task = issued_plan.tasks.get(number="1")
    task.final_due = W.start  # due at the window's start and not done: overdue
    task.save(update_fields=["final_due"])
    report = report_open(actor=users.coordinator, unit=tree.province, **QUARTER)
    assert len(report.facts["targets"]) == 2
    assert all(t["goal"] for t in report.facts["targets"])
    assert report.consolidated and report.receiver is None
    # the province's own units exclude its reporting agencies: STP's overdue task is STP's
    assert report.facts["overdue"] == []
    stp = report_open(actor=users.officer, unit=progress, **QUARTER)
    assert [o["task"] for o in stp.facts["overdue"]] == ["Rà soát văn bản quy phạm pháp luật."]
    assert "quá hạn: Rà soát văn bản" in stp.sections["ton_tai"]


def test_bad_input_is_refused_with_codes(progress, users, tree):
    with raises_code("report_period_invalid"):
        report_open(actor=users.officer, unit=progress, kind="quy", year=W.year, number=7)
    with raises_code("report_period_invalid"):
        report_open(actor=users.officer, unit=progress, kind="nam", year=W.year, number=2)
    with raises_code("report_period_not_started"):
        report_open(actor=users.officer, unit=progress, kind="nam", year=TODAY.year + 2)
    with raises_code("report_no_data"):
        report_open(actor=users.officer, unit=progress, kind="quy", year=2001, number=1)
    assert not Report.objects.exists()
    with pytest.raises(PermissionDenied):
        report_open(actor=users.officer_other, unit=progress, **QUARTER)
    with pytest.raises(PermissionDenied):  # the province coordinator does not write for an agency
        report_open(actor=users.coordinator, unit=progress, **QUARTER)


def test_submit_checks_and_keeps_the_draft(progress, users):
    report = report_open(actor=users.officer, unit=progress, **QUARTER)
    report = report_save(actor=users.officer, report=report, sections={"uu_diem": "  Hoàn thành tốt. "})
    assert report.sections["uu_diem"] == "Hoàn thành tốt."
    with raises_code("report_section_empty") as exc:
        _submit(report, users.officer, "1/BC-STP")
    assert "nguyen_nhan" in exc.value.message_dict
    fresh = Report.objects.get(pk=report.pk)
    assert fresh.state == Report.State.DRAFT and fresh.sections["uu_diem"] == "Hoàn thành tốt."
    _fill(report, users.officer)
    with raises_code("report_submission_incomplete"):
        report_submit(actor=users.officer, report=report, doc_number="", doc_date=None, signer="")
    with raises_code("report_section_unknown"):
        report_save(actor=users.officer, report=report, sections={"khong_co": "x"})
    done = _submit(report, users.officer, "1/BC-STP")
    assert done.state == Report.State.SUBMITTED and done.first_submitted_at and done.on_time
    with raises_code("report_not_editable"):
        report_save(actor=users.officer, report=done, sections={"uu_diem": "Sửa sau khi gửi"})
    # the same number again that year, for another report of the unit
    half = report_open(actor=users.officer, unit=progress, kind="nam", year=W.year)
    _fill(half, users.officer)
    with raises_code("report_doc_number_taken"):
        _submit(half, users.officer, "1/BC-STP")
    assert Report.objects.get(pk=half.pk).state == Report.State.DRAFT


def test_review_return_fix_accept(progress, users, tree):
    report = _fill(report_open(actor=users.officer, unit=progress, **QUARTER), users.officer)
    report = _submit(report, users.officer, "2/BC-STP")
    with pytest.raises(PermissionDenied):
        report_accept(actor=users.commune_coordinator, report=report)
    with pytest.raises(PermissionDenied):
        report_accept(actor=users.leader, report=report)  # leaders read, coordinators review
    with raises_code("report_comment_required"):
        report_return(actor=users.coordinator, report=report, comment=" ")
    returned = report_return(actor=users.coordinator, report=report, comment="Bổ sung số liệu tuyên truyền.")
    assert returned.state == Report.State.RETURNED and returned.reviews.get().comment.startswith("Bổ sung")
    with raises_code("report_not_submitted"):
        report_accept(actor=users.coordinator, report=returned)
    fixed = report_save(actor=users.officer, report=returned, sections={"tuyen_truyen": "Đăng 12 tin bài."})
    first = fixed.first_submitted_at
    again = _submit(fixed, users.officer, "2/BC-STP")  # its own number again: allowed
    assert again.first_submitted_at == first
    accepted = report_accept(actor=users.coordinator, report=again, comment="")
    assert accepted.state == Report.State.ACCEPTED
    assert list(accepted.reviews.values_list("decision", flat=True)) == ["accepted", "returned"]


def test_who_reads_what(progress, users, tree):
    from cchc.reports.permissions import can_read

    report = report_open(actor=users.officer, unit=progress, **QUARTER)
    assert can_read(users.officer, report) and not can_read(users.coordinator, report)  # a draft
    _submit(_fill(report, users.officer), users.officer, "3/BC-STP")
    report.refresh_from_db()
    assert can_read(users.coordinator, report) and can_read(users.leader, report)
    assert not can_read(users.officer_other, report) and not can_read(users.foreign_coordinator, report)
    assert not can_read(users.commune_coordinator, report)


# --- consolidation ----------------------------------------------------------------------------


def test_the_province_consolidates_accepted_reports(progress, users, tree):
    stp = _submit(
        _fill(report_open(actor=users.officer, unit=progress, **QUARTER), users.officer),
        users.officer,
        "4/BC",
    )
    commune = report_open(actor=users.commune_officer, unit=tree.communes[0], **QUARTER)
    commune = _submit(
        _fill(commune, users.commune_officer, tuyen_truyen="Xã tổ chức 3 hội nghị tuyên truyền."),
        users.commune_officer,
        "1/BC-UBND",
    )
    report_accept(actor=users.coordinator, report=stp)
    draft = build(tree.province, **QUARTER)
    assert [s["unit"] for s in draft.facts["subordinates"]] == [
        progress.name
    ]  # the commune is not accepted yet
    report_accept(actor=users.coordinator, report=commune)
    province = report_open(actor=users.coordinator, unit=tree.province, **QUARTER)
    quoted = province.sections["tuyen_truyen"]
    assert f"- {tree.communes[0].name}: Xã tổ chức 3 hội nghị tuyên truyền." in quoted
    not_reported = province.facts["not_reported"]
    assert tree.communes[1].name in not_reported and progress.name not in not_reported
    assert "Đơn vị chưa gửi báo cáo" in province.sections["ton_tai"]
    assert province.facts["rollup"]["tiep_nhan"]["reports"] == 2


def test_rollup_sums_counts_and_recomputes_rates_never_averages():
    own = [
        {"code": "tiep_nhan", "kind": "count", "value": "0", "numerator": None, "denominator": None},
        {"code": "dung_han", "kind": "percent", "value": None, "numerator": None, "denominator": None},
        {"code": "766", "kind": "points", "value": "80", "numerator": None, "denominator": None},
    ]
    a = [
        {"code": "tiep_nhan", "kind": "count", "value": "10", "numerator": None, "denominator": None},
        {"code": "dung_han", "kind": "percent", "value": "100.00", "numerator": "1", "denominator": 1},
        {"code": "766", "kind": "points", "value": "90", "numerator": None, "denominator": None},
    ]
    b = [
        {"code": "tiep_nhan", "kind": "count", "value": "30", "numerator": None, "denominator": None},
        {"code": "dung_han", "kind": "percent", "value": "50.00", "numerator": "9", "denominator": 18},
        {"code": "766", "kind": "points", "value": "70", "numerator": None, "denominator": None},
    ]
    got = figures.rollup(own, [a, b])
    assert got["tiep_nhan"]["value"] == "40"
    # (1 + 9) / (1 + 18) = 52,63% — the average of 100% and 50% would be 75%
    assert got["dung_han"]["value"] == "52.63" and got["dung_han"]["denominator"] == 19
    assert got["766"]["value"] is None  # points without their parts are not rolled up


def test_rollup_sums_the_manual_figures_that_add_up():
    """A manual count (or a number summed over units) is summed; a mean is not rolled up; a sum
    nobody reported stays empty; rows stored before `additive` existed still roll up counts."""

    def row(code, kind, value, additive=None):
        r = {"code": code, "kind": kind, "value": value, "numerator": None, "denominator": None}
        return r if additive is None else {**r, "additive": additive}

    own = [
        row("manual:so-van-ban", "number", None, True),
        row("manual:diem-tb", "number", None, False),
        row("manual:chua-bao-cao", "number", None, True),
        row("tiep_nhan", "count", "0", True),
    ]
    a = [
        row("manual:so-van-ban", "number", "12", True),
        row("manual:diem-tb", "number", "8.5", False),
        row("manual:chua-bao-cao", "number", None, True),
        row("tiep_nhan", "count", "7"),  # an old snapshot: no `additive`
    ]
    b = [
        row("manual:so-van-ban", "number", "30.5", True),
        row("manual:diem-tb", "number", "9.5", False),
        row("manual:chua-bao-cao", "number", None, True),
        row("tiep_nhan", "count", "3"),
    ]
    got = figures.rollup(own, [a, b])
    assert got["manual:so-van-ban"]["value"] == "42.5" and got["manual:so-van-ban"]["reports"] == 2
    assert got["manual:diem-tb"]["value"] is None  # 9,0 would be an average
    assert got["manual:chua-bao-cao"]["value"] is None
    assert got["tiep_nhan"]["value"] == "10"


def test_manual_sources_say_whether_they_add_up(tree, users):
    from cchc.core.indicator_sources import source_of
    from cchc.manual_indicators.models import Aggregation, Kind, ManualIndicator, Periodicity

    def define(code, kind, aggregation=Aggregation.SUM, measure=""):
        ManualIndicator.objects.create(
            unit=tree.province,
            code=code,
            name=code,
            kind=kind,
            aggregation=aggregation,
            unit_of_measure=measure,
            periodicity=Periodicity.QUARTER,
            created_by=users.coordinator,
        )

    define("dem", Kind.COUNT)
    define("tong", Kind.NUMBER, measure="tỷ đồng")
    define("binh-quan", Kind.NUMBER, Aggregation.MEAN, measure="điểm")
    define("ty-le", Kind.RATIO)
    stp = tree.agency("STP")
    assert source_of("manual:dem", stp).sums and source_of("manual:tong", stp).sums
    assert not source_of("manual:binh-quan", stp).sums and not source_of("manual:ty-le", stp).sums
    assert source_of("tiep_nhan").sums and not source_of("dung_han").sums


# --- figures equal the dashboards; submitted reports are snapshots -----------------------------


@pytest.fixture
def w(tree, users):
    return make_world(tree, users)


def _dossier(w, users, received, *, late):

    d = w.receive(at=received)
    done = received + dt.timedelta(days=20 if late else 1)
    w.decide(d, granted=True, result_file=pdf(), at=done)
    return d


def test_numbers_equal_the_dashboard_and_submitted_reports_do_not_move(w, users, tree):
    for day, late in ((5, False), (6, False), (7, True)):
        _dossier(w, users, local(2026, 1, day, 9), late=late)
    stp = w.agency
    q1 = report_open(actor=users.officer, unit=stp, kind="quy", year=2026, number=1)
    annex = {r["code"]: r for r in q1.annex}
    dashboard = live.unit_values(stp, "BC-2026-Q1")
    for code in ("tiep_nhan", "da_giai_quyet", "dung_han", "truc_tuyen"):
        assert Decimal(annex[code]["value"]) == Decimal(str(dashboard[code].value)), code
    assert annex["tiep_nhan"]["value"] == "3" and annex["dung_han"]["value"] == "66.67"
    assert annex["dung_han"]["numerator"] == "2" and annex["dung_han"]["denominator"] == 3
    province = live.unit_values(tree.province, "BC-2026-Q1")
    built = {r["code"]: r for r in figures.annex_rows(tree.province, "quy", 2026, 1)}
    assert Decimal(built["dung_han"]["value"]) == Decimal(str(province["dung_han"].value))
    q1 = _submit(_fill(q1, users.officer), users.officer, "5/BC-STP")
    # a dossier of the first quarter recorded after submission
    _dossier(w, users, local(2026, 2, 10, 9), late=True)
    q1.refresh_from_db()
    assert {r["code"]: r for r in q1.annex}["tiep_nhan"]["value"] == "3"
    assert "3" in exports.annex_table(q1)[1][0][3]
    with raises_code("report_not_editable"):
        report_refresh(actor=users.officer, report=q1)
    half = report_open(actor=users.officer, unit=stp, kind="6thang", year=2026)
    assert {r["code"]: r for r in half.annex}["tiep_nhan"]["value"] == "4"


def test_documents_carry_the_same_numbers(w, users):
    _dossier(w, users, local(2026, 1, 5, 9), late=False)
    report = _fill(
        report_open(actor=users.officer, unit=w.agency, kind="quy", year=2026, number=1), users.officer
    )
    report = _submit(report, users.officer, "6/BC-STP")
    doc = Document(io.BytesIO(exports.report_docx(report)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    issuer, national = cells[0].splitlines(), cells[1].splitlines()
    assert issuer == ["UBND TỈNH ĐỒNG NAI", "SỞ TƯ PHÁP", "———", "Số: 6/BC-STP"]
    assert national[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert (
        national[3]
        == f"Đồng Nai, ngày {TODAY:%d} tháng {TODAY.month if TODAY.month > 2 else f'0{TODAY.month}'} năm {TODAY.year}"
    )
    cells = [line for c in cells for line in c.splitlines()]
    assert "BÁO CÁO" in text and "I. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH" in text
    assert "Nội dung ưu điểm." in text and "Nguyễn Văn An" in cells
    assert "Số hồ sơ tiếp nhận" in cells and "100,00%" in cells
    book = load_workbook(io.BytesIO(exports.annex_xlsx(report)))
    rows = {r[1]: r for r in book.active.iter_rows(min_row=5, values_only=True)}
    assert rows["tiep_nhan"][5] == 1 and rows["dung_han"][5] == 100


# --- the register -----------------------------------------------------------------------------


def test_register_rates(progress, users, tree, django_assert_max_num_queries):
    report = _submit(
        _fill(report_open(actor=users.officer, unit=progress, **QUARTER), users.officer),
        users.officer,
        "7/BC",
    )
    late = report_open(actor=users.commune_officer, unit=tree.communes[0], **QUARTER)
    Report.objects.filter(pk=late.pk).update(due_on=TODAY - dt.timedelta(days=1))
    late.refresh_from_db()
    _submit(_fill(late, users.commune_officer), users.commune_officer, "8/BC")
    after_due = W.end + dt.timedelta(days=30)
    with django_assert_max_num_queries(8):
        reg = selectors.register(user=users.coordinator, receiver=tree.province, today=after_due, **QUARTER)
    by_unit = {r.unit.code: r.status for r in reg.rows}
    assert by_unit["P75.STP"] == selectors.ON_TIME and by_unit["W00001"] == selectors.LATE
    assert by_unit["W00002"] == selectors.MISSING
    assert reg.reported == 2 and reg.completeness == (Decimal(200) / reg.expected).quantize(Decimal("0.01"))
    assert reg.timeliness == (Decimal(100) / reg.expected).quantize(Decimal("0.01"))
    assert report.on_time
    with pytest.raises(PermissionDenied):
        selectors.register(user=users.officer, receiver=tree.province, **QUARTER)
    with pytest.raises(PermissionDenied):
        selectors.register(user=users.foreign_coordinator, receiver=tree.province, **QUARTER)
    assert Unit.objects.get(code="P75") == tree.province


def test_register_page_rows(client, progress, users, tree):
    """The register's rows (rendered in the view): a sent report links to it with its first
    sending time and state, a unit that sent nothing shows dashes."""
    from django.urls import reverse
    from django.utils import timezone

    from .conftest import PASSWORD

    report = _submit(
        _fill(report_open(actor=users.officer, unit=progress, **QUARTER), users.officer),
        users.officer,
        "7/BC",
    )
    assert client.login(username=users.coordinator.username, password=PASSWORD)
    url = reverse("reports:register") + (
        f"?don_vi={tree.province.pk}&loai={QUARTER['kind']}&nam={QUARTER['year']}&so={QUARTER['number']}"
    )
    html = client.get(url).content.decode()
    sent = timezone.localtime(Report.objects.get(pk=report.pk).first_submitted_at).strftime("%H:%M %d/%m/%Y")
    assert (
        f'<tr id="don-vi-P75.STP"><td data-label="Đơn vị"><a href="{reverse("reports:detail", args=[report.pk])}">'
        in html
    )
    assert (
        f'<td data-label="Gửi lần đầu">{sent}</td><td data-label="Trạng thái">Đã gửi, chờ tiếp nhận</td>'
        in html
    )
    missing = html[html.index('<tr id="don-vi-W00002">') :]
    assert missing.index('<td data-label="Trạng thái">—</td>') < missing.index("</tr>")


# --- reminders --------------------------------------------------------------------------------


def test_reminders_before_the_due_date_and_for_returned_reports(
    progress, users, tree, mailoutbox, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from cchc.reports.reminders import reminders_due

    users.officer.email = "stp@dongnai.gov.vn"
    users.officer.save()
    users.commune_officer.email = "xa@dongnai.gov.vn"
    users.commune_officer.save()
    due = W.end + dt.timedelta(days=6)
    assert not [r for r in reminders_due(due - dt.timedelta(days=10)) if "quý" in r.subject]
    soon = [r for r in reminders_due(due - dt.timedelta(days=2)) if f"quý {outline_roman()}" in r.subject]
    assert {r.unit.code for r in soon} >= {"P75.STP", "W00001"} and "Sắp đến hạn" in soon[0].subject
    report = _submit(
        _fill(report_open(actor=users.officer, unit=progress, **QUARTER), users.officer), users.officer, "R/1"
    )
    later = [r for r in reminders_due(due + dt.timedelta(days=1)) if f"quý {outline_roman()}" in r.subject]
    assert "P75.STP" not in {r.unit.code for r in later} and "Quá hạn" in later[0].subject
    report_return(actor=users.coordinator, report=report, comment="Bổ sung phụ lục.")
    returned = [r for r in reminders_due(due + dt.timedelta(days=1)) if "trả lại" in r.subject]
    assert returned[0].recipients == ["stp@dongnai.gov.vn"] and "Bổ sung phụ lục." in returned[0].body
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "report_remind", "--date", (due + dt.timedelta(days=1)).isoformat(), stdout=io.StringIO()
        )
    assert any("trả lại" in m.subject for m in mailoutbox)
    assert any(m.to == ["xa@dongnai.gov.vn"] for m in mailoutbox)
    assert AuditEntry.objects.filter(action="report.remind").exists()


def outline_roman() -> str:
    return windows.ROMAN[QUARTER["number"] - 1]


def test_only_accepted_progress_is_written_into_the_draft(issued_plan, users, tree):
    stp = tree.agency("STP")
    a1 = Assignment.objects.get(task__plan=issued_plan, task__number="1", unit=stp)
    a2 = Assignment.objects.get(task__plan=issued_plan, task__number="2", unit=stp)
    accepted = progress_post(
        actor=users.officer, assignment=a1, percent=40, narrative="Đã rà soát 80 văn bản."
    )
    progress_review(actor=users.coordinator, update=accepted, accept=True)
    returned = progress_post(actor=users.officer, assignment=a2, percent=90, narrative="Công khai gần hết.")
    progress_review(actor=users.coordinator, update=returned, accept=False, comment="Thiếu tài liệu.")
    progress_post(actor=users.officer, assignment=a2, percent=95, narrative="Chờ xem xét.")
    report = report_open(actor=users.officer, unit=stp, **QUARTER)
    assert [p["task"] for p in report.facts["progress"]] == ["Rà soát văn bản quy phạm pháp luật."]
    assert "Đã rà soát 80 văn bản." in report.sections["the_che"]
    assert "Công khai gần hết." not in report.sections["thu_tuc_hanh_chinh"]
    assert "Chờ xem xét." not in report.sections["thu_tuc_hanh_chinh"]


def test_schedule_service_and_plan_rows(tree, users, issued_plan):
    from cchc.reports.calendar import due_on, rule_for
    from cchc.reports.services import schedule_save

    with pytest.raises(PermissionDenied):
        schedule_save(
            actor=users.officer,
            province=tree.province,
            kind="thang",
            required=True,
            due_after_days=3,
            remind_days_before=2,
        )
    with raises_code("report_schedule_invalid"):
        schedule_save(
            actor=users.coordinator,
            province=tree.province,
            kind="thang",
            required=True,
            due_after_days=99,
            remind_days_before=2,
        )
    year = issued_plan.from_year
    assert not rule_for(tree.province, "thang", year).required
    schedule_save(
        actor=users.coordinator,
        province=tree.province,
        plan=issued_plan,
        kind="thang",
        required=True,
        due_after_days=4,
        remind_days_before=2,
    )
    assert rule_for(tree.province, "thang", year).required  # the plan asks for monthly reports
    assert not rule_for(tree.province, "thang", year + 3).required
    assert due_on(tree.agency("STP"), "thang", year, 2) == windows.window(
        "thang", year, 2
    ).end + dt.timedelta(days=4)
    schedule_save(
        actor=users.coordinator,
        province=tree.province,
        kind="quy",
        required=True,
        due_after_days=10,
        remind_days_before=5,
    )
    assert due_on(tree.communes[0], "quy", year, 1) == windows.window("quy", year, 1).end + dt.timedelta(
        days=10
    )
    assert AuditEntry.objects.filter(action="report.schedule").count() == 2


def test_a_plans_monthly_reports_are_owed_by_the_plans_units(tree, users, issued_plan):
    """Monthly reports asked by a plan only: owed by the units holding its tasks (the register
    and the reminders list those), not by every agency and commune of the province."""
    from cchc.reports.calendar import reporters_for
    from cchc.reports.reminders import reminders_due
    from cchc.reports.services import schedule_save

    year = issued_plan.from_year
    everyone = expected_reporters(tree.province)
    assert reporters_for(tree.province, "thang", year) == everyone  # nobody requires it: anyone may
    schedule_save(
        actor=users.coordinator,
        province=tree.province,
        plan=issued_plan,
        kind="thang",
        required=True,
        due_after_days=4,
        remind_days_before=2,
    )
    holders = set(Assignment.objects.filter(task__plan=issued_plan).values_list("unit__code", flat=True))
    owed = reporters_for(tree.province, "thang", year)
    assert {u.code for u in owed} == holders and len(owed) < len(everyone)
    assert reporters_for(tree.province, "quy", year) == everyone  # the province requires quarters
    reg = selectors.register(
        user=users.coordinator, receiver=tree.province, kind="thang", year=year, number=2
    )
    assert {r.unit.code for r in reg.rows} == holders
    due = windows.window("thang", year, 2).end + dt.timedelta(days=4)
    monthly = [r for r in reminders_due(due) if "tháng 2/" in r.subject]
    assert {r.unit.code for r in monthly} == holders
    draft = build(tree.province, "thang", year, 2)
    assert draft.facts["expected"] == len(holders)


def test_schedule_page(client, users, tree):
    from django.urls import reverse

    from .conftest import PASSWORD

    client.login(username=users.coordinator.username, password=PASSWORD)
    data = {f"{k}-han": "6" for k in windows.KINDS} | {f"{k}-nhac": "3" for k in windows.KINDS}
    data |= {f"{k}-bat_buoc": "1" for k in ("quy", "nam")} | {"nam-han": "abc"}
    page = client.post(reverse("reports:schedule"), data)
    assert page.status_code == 200 and "Hạn nộp: từ 0 đến 60 ngày" in page.content.decode()
    assert not ReportSchedule.objects.exists()  # the kinds before the bad one are not saved either
    data["nam-han"] = "5"
    assert client.post(reverse("reports:schedule"), data).status_code == 302
    assert not schedule_for(tree.province, "6thang").required and schedule_for(tree.province, "nam").required
