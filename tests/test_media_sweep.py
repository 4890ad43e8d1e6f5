"""`cchc media sweep`: a file left by a killed upload (no row refers to it) is found and, with
--delete, removed; files in use and recent uploads are never touched."""

import os
import time

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from cchc.core.media_sweep import media_sweep
from cchc.tracking.models import Assignment
from cchc.tracking.services import progress_post


def test_sweep_finds_and_removes_only_old_orphans(issued_plan, users, capsys):
    a = Assignment.objects.select_related("task__plan", "unit").get(
        task__plan=issued_plan, unit__code="P75.STP", task__number="2"
    )
    update = progress_post(
        actor=users.officer,
        assignment=a,
        percent=10,
        narrative="Có tệp",
        files=[SimpleUploadedFile("kq.pdf", b"%PDF-1.4 that")],
    )
    kept = settings.MEDIA_ROOT / update.evidence.get().file.name
    orphan = settings.MEDIA_ROOT / "evidence" / "2026" / "01" / "mo-coi"
    recent = settings.MEDIA_ROOT / "evidence" / "2026" / "01" / "dang-tai"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"x" * 10)
    recent.write_bytes(b"y")
    two_days_ago = time.time() - 48 * 3600
    for path in (kept, orphan):
        os.utime(path, (two_days_ago, two_days_ago))

    found = media_sweep(older_than_hours=24)
    assert orphan in found.orphans and kept not in found.orphans and recent not in found.orphans
    assert orphan.exists()  # listing deletes nothing

    call_command("media_sweep", "--delete")
    assert not orphan.exists() and kept.exists() and recent.exists()
    assert str(orphan) in capsys.readouterr().out
