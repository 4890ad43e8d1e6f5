"""`cchc backup create | verify | restore`: a backup of a real instance (database and uploaded
files) restores into an empty instance with the same rows and files; a damaged archive and a
non-empty target are refused with one line and exit status 2. Runs on the suite's database
engine: SQLite files, or two scratch PostgreSQL databases."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest

CCHC = Path(sys.executable).parent / "cchc"
PG = (os.environ.get("DATABASE_URL") or "").startswith("postgres")

MAKE_DATA = """
from django.conf import settings
from pathlib import Path
from cchc.core.actors import SYSTEM
from cchc.orgs.models import UnitKind
from cchc.orgs.services import province_agencies_create, unit_create
p = unit_create(actor=SYSTEM, name="Tỉnh Đồng Nai", kind=UnitKind.PROVINCE, code="P75", gso_code="75")
province_agencies_create(actor=SYSTEM, province=p)
folder = Path(settings.MEDIA_ROOT) / "evidence" / "2026" / "12"
folder.mkdir(parents=True, exist_ok=True)
(folder / "a1b2").write_bytes(b"%PDF-1.4 bao cao")
"""

SHOW = """
from django.conf import settings
from pathlib import Path
from cchc.orgs.models import Unit
from cchc.core.models import AuditEntry
print(Unit.objects.count(), AuditEntry.objects.count(), (Path(settings.MEDIA_ROOT) / "evidence/2026/12/a1b2").read_bytes().decode())
"""


@pytest.fixture
def instances(tmp_path):
    """Two instances: the source and an empty target (own data folders; own databases)."""
    envs = []
    names = []
    for name in ("nguon", "dich"):
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env["CCHC_DATA_DIR"] = str(tmp_path / name)
        env["MEDIA_ROOT"] = str(tmp_path / name / "media")
        if PG:
            import psycopg

            db = f"test_backup_{name}_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(
                os.environ["DATABASE_URL"].replace("postgres://", "postgresql://"), autocommit=True
            ) as c:
                c.execute(f'CREATE DATABASE "{db}"')
            names.append(db)
            env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + db
        else:
            env["DATABASE_URL"] = ""
        envs.append(env)
    yield envs
    if PG:
        import psycopg

        with psycopg.connect(
            os.environ["DATABASE_URL"].replace("postgres://", "postgresql://"), autocommit=True
        ) as c:
            for db in names:
                c.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def cchc(env, *args):
    return subprocess.run(
        [str(CCHC), *args], capture_output=True, text=True, encoding="utf-8", env=env, timeout=300
    )


def test_backup_restores_into_an_empty_instance_and_refuses_damage(instances, tmp_path):
    source, target = instances
    assert cchc(source, "migrate", "-v", "0").returncode == 0
    made = cchc(source, "shell", "-c", MAKE_DATA)
    assert made.returncode == 0, made.stderr
    before = cchc(source, "shell", "-c", SHOW)
    assert before.returncode == 0, before.stderr

    archive = tmp_path / "sao-luu.tar.gz"
    created = cchc(source, "backup", "create", "--out", str(archive))
    assert created.returncode == 0, created.stderr
    assert "1 tệp đính kèm" in created.stdout and archive.stat().st_mode & 0o077 == 0
    again = cchc(source, "backup", "create", "--out", str(archive))  # never overwrites
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "đã có" in again.stderr

    checked = cchc(source, "backup", "verify", str(archive))
    assert checked.returncode == 0 and "Bản sao lưu tốt" in checked.stdout, checked.stderr

    # a member changed after the backup was made: caught by its checksum
    damaged = tmp_path / "hong.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for m in src.getmembers():
            data = src.extractfile(m).read() if m.isfile() else None
            if m.name.startswith("media/"):
                data = b"%PDF-1.4 da bi sua"
                m.size = len(data)
            dst.addfile(m, io.BytesIO(data) if data is not None else None)
    refused = cchc(source, "backup", "verify", str(damaged))
    assert refused.returncode == 2 and "bị thay đổi hoặc hỏng" in refused.stderr
    truncated = tmp_path / "cut.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert cchc(source, "backup", "verify", str(truncated)).returncode == 2

    # into a non-empty instance: refused, nothing touched
    busy = cchc(source, "backup", "restore", str(archive))
    assert busy.returncode == 2 and "trống" in busy.stderr

    restored = cchc(target, "backup", "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    after = cchc(target, "shell", "-c", SHOW)
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout  # same rows, same audit trail, same file
    assert cchc(target, "migrate", "--check", "-v", "0").returncode == 0  # nothing left to migrate
