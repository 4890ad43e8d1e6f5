"""The import keeps the document's own title ("Kế hoạch cải cách hành chính giai đoạn 2025 - 2026
trên địa bàn xã Lộc Ninh, tỉnh Đồng Nai"), not a title made up from the period and the issuer."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from cchc.plans.importer import parse_plan_file
from cchc.plans.importer.metadata import Metadata
from cchc.plans.models import Plan

from .conftest import PASSWORD

FIXTURES = Path(__file__).parent / "fixtures" / "plans"
LOC_NINH = "Kế hoạch cải cách hành chính giai đoạn 2025 - 2026 trên địa bàn xã Lộc Ninh, tỉnh Đồng Nai"


@pytest.mark.parametrize(
    "name,title",
    [
        ("xa-locninh-2025-2026.docx", LOC_NINH),
        ("sonv-tayninh-2024.pdf", "Kế hoạch cải cách hành chính năm 2024 của Sở Nội vụ"),
        (
            "ubnd-binhphuoc-2023.txt",
            "Kế hoạch cải cách hành chính nhà nước năm 2023 trên địa bàn tỉnh Bình Phước",
        ),
        ("sxd-dongnai-2022.md", "Kế hoạch cải cách hành chính năm 2022"),
    ],
)
def test_the_documents_title_is_read(name, title):
    structured = parse_plan_file(FIXTURES / name, with_title=True)
    assert structured["title"] == title
    assert "title" not in parse_plan_file(FIXTURES / name)  # the contract's keys stay as they are


def test_an_all_caps_heading_keeps_the_numbers_it_cites():
    meta = Metadata(["KẾ HOẠCH", "TRIỂN KHAI QUYẾT ĐỊNH SỐ 06/QĐ-TTG CỦA THỦ TƯỚNG"], "")
    assert meta.document_title() == "Kế hoạch triển khai quyết định số 06/QĐ-TTG của thủ tướng"
    assert Metadata(["CHƯƠNG TRÌNH", "Phát triển Chính phủ số"], "").document_title() == (
        "Chương trình phát triển Chính phủ số"
    )
    assert Metadata(["Số: 12/KH-UBND"], "").document_title() == ""


def test_the_review_starts_from_the_documents_title_and_the_plan_keeps_it(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    data = (FIXTURES / "xa-locninh-2025-2026.docx").read_bytes()
    client.post(
        reverse("plans:import"),
        {"file": SimpleUploadedFile("xa-locninh-2025-2026.docx", data), "issuer": tree.communes[2].pk},
    )
    page = client.get(reverse("plans:import_review"))
    assert page.status_code == 200
    assert LOC_NINH in page.content.decode()  # the title field starts from the document's own


def test_the_command_saves_the_documents_title(tree, users):
    call_command(
        "plan_import", str(FIXTURES / "sonv-tayninh-2024.pdf"), issuer="P75", actor=users.coordinator.username
    )
    assert Plan.objects.get().title == "Kế hoạch cải cách hành chính năm 2024 của Sở Nội vụ"
