"""Saving an imported plan: a draft through the services, bodies resolved to units, warnings, atomicity."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from cchc.core.errors import PermissionDenied
from cchc.plans import services
from cchc.plans.importer import parse_plan_file
from cchc.plans.importer.save import plan_import_save
from cchc.plans.models import Plan, PlanStatus, TaskRole

FIXTURES = Path(__file__).parent / "fixtures" / "plans"


def structured(**changes) -> dict:
    plan = {
        "source": "ke-hoach.docx",
        "issuer": "Ủy ban nhân dân tỉnh Đồng Nai",
        "province": "Đồng Nai",
        "number": "12/KH-UBND",
        "issued_date": "2024-12-30",
        "period": {"from_year": 2025, "to_year": 2025},
        "kind": "annual",
        "reform_areas_present": ["the_che", "thu_tuc_hanh_chinh"],
        "targets": [
            {"text": "Trên 95% hồ sơ TTHC được giải quyết đúng hạn.", "area": "thu_tuc_hanh_chinh",
             "comparator": ">", "value": 95, "unit": "%", "year": 2025, "section": "II. CHỈ TIÊU"},
            {"text": "Hoàn thành 100% các chỉ tiêu kinh tế - xã hội.", "area": None,
             "comparator": "=", "value": 100, "unit": "%", "year": 2025, "section": "II. CHỈ TIÊU"},
            {"text": "Giảm ít nhất 10% thời gian giải quyết.", "area": "thu_tuc_hanh_chinh",
             "comparator": ">=", "value": 10, "unit": "%", "year": 2025, "section": "II. CHỈ TIÊU",
             "reduction": True},
        ],
        "tasks": [
            {"stt": "1", "group": "I Cải cách thể chế", "area": "the_che",
             "content": "Rà soát văn bản quy phạm pháp luật", "target": None, "output": "Báo cáo",
             "lead": ["Sở Tư pháp"], "coordinating": ["Các sở, ban, ngành tỉnh", "UBND cấp xã"],
             "deadline": "Quý II/2025", "note": None},
            {"stt": "2", "group": "II Cải cách thủ tục hành chính", "area": "thu_tuc_hanh_chinh",
             "content": "Số hóa hồ sơ thủ tục hành chính", "target": "100% hồ sơ được số hóa", "output": None,
             "lead": ["Ban Quản lý dự án Xanh"], "coordinating": ["Sở Thông tin và Truyền thông"],
             "deadline": "Thường xuyên", "note": None},
            {"stt": "3", "group": "", "area": None,
             "content": "Tổ chức hội nghị sơ kết công tác cải cách hành chính", "target": None, "output": None,
             "lead": ["Sở Nội vụ", "Hội đồng thi đua X"], "coordinating": [],
             "deadline": "Tháng 7/2025", "note": None},
        ],
    }  # fmt: skip
    plan.update(changes)
    return plan


def test_saves_a_draft_with_targets_tasks_and_units(tree, users):
    plan, warnings = plan_import_save(actor=users.coordinator, issuer=tree.province, structured=structured())
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert (plan.number, plan.issued_on.isoformat(), plan.from_year, plan.to_year) == (
        "12/KH-UBND", "2024-12-30", 2025, 2025,
    )  # fmt: skip
    assert plan.title.startswith("Kế hoạch cải cách hành chính năm 2025")
    targets = list(plan.targets.order_by("position"))
    assert [(t.comparator, int(t.value), t.area, t.reduction) for t in targets] == [
        (">", 95, "thu_tuc_hanh_chinh", False),
        ("=", 100, "", False),  # a target with no area is kept, area ""
        (">=", 10, "thu_tuc_hanh_chinh", True),
    ]
    tasks = list(plan.tasks.order_by("position"))
    assert [t.number for t in tasks] == ["1", "2", "3"]
    first = tasks[0]
    assert [u.code for u in first.units.filter(task_roles__role=TaskRole.LEAD)] == ["P75.STP"]
    coordinating = first.task_units.filter(role=TaskRole.COORDINATING)
    assert coordinating.count() > 3  # every agency of the province and every commune
    assert first.deadline_text == "Quý II/2025" and first.final_due.isoformat() == "2025-06-30"
    assert first.coordinating_text == "Các sở, ban, ngành tỉnh; UBND cấp xã"
    # the historical "Sở Thông tin và Truyền thông" is today's Sở Khoa học và Công nghệ
    second = tasks[1]
    assert [u.code for u in second.units.filter(task_roles__role=TaskRole.COORDINATING)] == ["P75.SKHCN"]
    # no unit found for the lead: the issuer stands in, the text is kept, a person is told
    assert [u.pk for u in second.units.filter(task_roles__role=TaskRole.LEAD)] == [tree.province.pk]
    assert second.lead_text == "Ban Quản lý dự án Xanh"
    assert "Mục tiêu: 100% hồ sơ được số hóa" in second.note
    lead_warnings = [w for w in warnings if "Số hóa hồ sơ thủ tục hành chính" in w]
    assert (
        lead_warnings
        and "Ban Quản lý dự án Xanh" in lead_warnings[0]
        and tree.province.name in lead_warnings[0]
    )
    # one of two leads found: saved with it, the other reported
    third = tasks[2]
    assert [u.code for u in third.units.filter(task_roles__role=TaskRole.LEAD)] == ["P75.SNV"]
    assert any("Hội đồng thi đua X" in w for w in warnings)
    assert third.area == "chi_dao_dieu_hanh"  # none given: read from the content


def test_a_failure_midway_leaves_no_plan(tree, users, monkeypatch):
    real = services.task_save
    calls = []

    def failing(**kwargs):
        calls.append(kwargs["content"])
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "task_save", failing)
    before = Plan.objects.count()
    with pytest.raises(RuntimeError):
        plan_import_save(actor=users.coordinator, issuer=tree.province, structured=structured())
    assert Plan.objects.count() == before
    assert len(calls) == 2


def test_refused_items_are_reported_not_fatal(tree, users):
    bad = structured()
    bad["targets"].append(
        {"text": "Đạt 120% kế hoạch", "area": None, "comparator": "=", "value": 120, "unit": "%", "year": 2025,
         "section": ""}
    )  # fmt: skip
    plan, warnings = plan_import_save(actor=users.coordinator, issuer=tree.province, structured=bad)
    assert plan.targets.count() == 3
    assert any("120%" in w for w in warnings)


def test_actor_must_manage_the_issuer(tree, users):
    with pytest.raises(PermissionDenied):
        plan_import_save(actor=users.officer, issuer=tree.province, structured=structured())
    assert not Plan.objects.exists()


def test_bodies_are_resolved_in_the_issuers_province(tree, users):
    agency = tree.agency("SXD")
    assert agency.province() == tree.province
    assert tree.communes[0].province() == tree.province
    plan, _ = plan_import_save(actor=users.coordinator, issuer=agency, structured=structured())
    assert plan.issuer == agency
    first = plan.tasks.get(number="1")
    assert [u.code for u in first.units.filter(task_roles__role=TaskRole.LEAD)] == ["P75.STP"]


def test_a_whole_sample_plan(tree, users):
    """The 2023 plan of the former Bình Phước province, now part of Đồng Nai."""
    parsed = parse_plan_file(FIXTURES / "ubnd-binhphuoc-2023.txt")
    plan, warnings = plan_import_save(actor=users.coordinator, issuer=tree.province, structured=parsed)
    assert plan.tasks.count() == 41
    assert plan.targets.count() == 19
    task_24 = plan.tasks.get(number="24")  # "Sở Thông tin và Truyền thông" → Sở Khoa học và Công nghệ
    assert [u.code for u in task_24.units.filter(task_roles__role=TaskRole.LEAD)] == ["P75.SKHCN"]
    assert task_24.final_due.isoformat() == "2023-12-31"
    # every task has a lead unit, so the plan can be issued once a person has checked the warnings
    assert all(t.task_units.filter(role=TaskRole.LEAD).exists() for t in plan.tasks.all())
    assert all(w.startswith("Nhiệm vụ") for w in warnings)


def test_command_saves_and_prints_the_plan_id(tree, users):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "plan_import",
        str(FIXTURES / "sxd-dongnai-2022.md"),
        issuer=tree.agency("SXD").code,
        actor=users.coordinator.username,
        stdout=out,
        stderr=err,
    )
    plan = Plan.objects.get(pk=int(out.getvalue().strip()))
    assert plan.issuer == tree.agency("SXD")
    assert plan.tasks.count() == 55
    # the Sở's own rooms ("Văn phòng Sở", "Các phòng nghiệp vụ thuộc Sở") are not in the tree: reported
    assert "Cảnh báo: Nhiệm vụ" in err.getvalue()


def test_command_needs_an_issuer_to_save(tree, users, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("plan_import", str(FIXTURES / "sngv-binhphuoc-2022.txt"))
    assert exit_.value.code == 2
    assert "--issuer" in capsys.readouterr().err


def test_command_saves_nothing_for_a_document_without_tasks(tree, users, capsys, tmp_path):
    letter = tmp_path / "cong-van.txt"
    letter.write_text(
        "UỶ BAN NHÂN DÂN TỈNH ĐỒNG NAI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "V/v mời họp giao ban quý IV\nKính gửi: các sở, ban, ngành.\n"
        "Ủy ban nhân dân tỉnh mời dự họp giao ban vào 8 giờ ngày 15/12/2026.\n",
        encoding="utf-8",
    )
    before = Plan.objects.count()
    with pytest.raises(SystemExit) as exit_:
        call_command("plan_import", str(letter), issuer=tree.province.code, actor=users.coordinator.username)
    assert exit_.value.code == 2
    assert "không tìm thấy nhiệm vụ" in capsys.readouterr().err
    assert Plan.objects.count() == before
