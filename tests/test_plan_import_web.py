"""Upload → review → save in the web interface (the browser journey is in test_browser.py)."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.plans.models import Plan

from .conftest import PASSWORD

FIXTURES = Path(__file__).parent / "fixtures" / "plans"


def _upload(client, tree, name="ubnd-binhphuoc-2023.txt", content=None):
    data = content if content is not None else (FIXTURES / name).read_bytes()
    return client.post(
        reverse("plans:import"), {"file": SimpleUploadedFile(name, data), "issuer": tree.province.pk}
    )


def _management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(total),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_upload_shows_the_review_and_saves_nothing_yet(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    response = _upload(client, tree)
    assert response.status_code == 302 and response["Location"] == reverse("plans:import_review")
    page = client.get(reverse("plans:import_review")).content.decode()
    assert "Đã nhận diện 19 chỉ tiêu và 41 nhiệm vụ" in page
    assert 'id="dong-0"' in page and "↔ dòng" in page  # the source text beside what was found
    assert "Chưa xác định được đơn vị" in page  # "Cơ quan được giao chủ trì…" is flagged for a person
    assert not Plan.objects.exists()


def test_review_saves_what_the_person_kept_and_corrected(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    _upload(client, tree)
    data = {
        "meta-title": "Kế hoạch CCHC năm 2023 (nhập lại)",
        "meta-number": "99/KH-UBND",
        "meta-issued_on": "05/01/2023",
        "meta-kind": "annual",
        "meta-from_year": "2023",
        "meta-to_year": "2023",
        **_management("target", 2),
        **_management("task", 2),
        "target-0-include": "on",
        "target-0-text": "Trên 95% hồ sơ được giải quyết đúng hạn.",
        "target-0-area": "thu_tuc_hanh_chinh",
        "target-0-comparator": ">",
        "target-0-value": "95",
        "target-0-unit": "%",
        "target-0-year": "2023",
        "target-1-text": "Bỏ chỉ tiêu này",
        "target-1-comparator": "=",
        "target-1-value": "1",  # not included
        "task-0-include": "on",
        "task-0-stt": "1",
        "task-0-area": "the_che",
        "task-0-content": "Rà soát văn bản QPPL.",
        "task-0-lead": "Sở Tư pháp",
        "task-0-coordinating": "Các sở, ban, ngành tỉnh",
        "task-0-deadline": "Quý I/2023",
        "task-1-include": "on",
        "task-1-stt": "2",
        "task-1-area": "",
        "task-1-content": "Thiếu lĩnh vực",
    }
    response = client.post(reverse("plans:import_review"), data)
    assert response.status_code == 200 and "Chọn lĩnh vực cải cách" in response.content.decode()
    assert not Plan.objects.exists()
    data["task-1-area"] = "cong_vu"
    data["task-1-lead"] = "Sở Nội vụ"
    response = client.post(reverse("plans:import_review"), data)
    plan = Plan.objects.get()
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert (plan.title, plan.number, plan.status, plan.issuer) == (
        "Kế hoạch CCHC năm 2023 (nhập lại)",
        "99/KH-UBND",
        "draft",
        tree.province,
    )
    assert plan.targets.count() == 1 and plan.tasks.count() == 2
    task = plan.tasks.get(number="1")
    assert task.final_due.isoformat() == "2023-03-31"
    assert list(task.units.filter(task_roles__role="lead").values_list("name", flat=True)) == ["Sở Tư pháp"]
    assert client.get(reverse("plans:import_review")).status_code == 302  # the pending import is gone


def test_bad_files_are_refused_with_a_reason(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    page = _upload(client, tree, name="bang.xls", content=b"\xd0\xcf\x11\xe0 old excel").content.decode()
    assert "không được hỗ trợ" in page
    page = _upload(client, tree, name="rong.txt", content=b"").content.decode()
    assert "errorlist" in page
    assert not Plan.objects.exists()


def test_only_coordinators_import(client, tree, users):
    client.login(username=users.officer.username, password=PASSWORD)
    assert client.get(reverse("plans:import")).status_code == 403
    assert client.get(reverse("plans:import_review")).status_code == 403


def test_cancel_forgets_the_document(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    _upload(client, tree)
    client.post(reverse("plans:import_cancel"))
    assert client.get(reverse("plans:import_review")).status_code == 302
    assert not Plan.objects.exists()
