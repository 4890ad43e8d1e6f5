"""Backups of one instance — its database and its uploaded files — as one `.tar.gz` that can be
checked on its own and restored into an empty instance (docs/operations.md).

The archive holds `manifest.json`, the database (`database.sqlite3`, a consistent copy made with
SQLite's online backup API, or `database.pgdump`, PostgreSQL's custom format) and `media/…`.
The manifest records, for every table, how many rows the copy holds — counted in the copy
itself for SQLite and, for PostgreSQL, in the very snapshot pg_dump dumps (`pg_export_snapshot`),
so that a write during the backup cannot make the counts disagree with the data — and the
SHA-256 of every member, so that `verify` detects a damaged or truncated file.

The database copy is made with the database's own tools, not `dumpdata`: it is exact (types,
sequences, constraints), fast on millions of rows, and restorable with the same tools by an
administrator who does not have this program at hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

FORMAT = "cchc-backup/1"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"


class BackupError(Exception):
    """The backup cannot be made, checked or restored; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Summary:
    vendor: str
    tables: int
    rows: int
    files: int
    created_at: str


# --- making a backup --------------------------------------------------------------------------


def backup_create(out: Path, *, progress: Callable[[str], None] = lambda _: None) -> Summary:
    """Write the archive to ``out`` (a temporary name first, renamed when complete, so that a
    failed backup never leaves a file that looks like a good one)."""
    out = Path(out)
    if out.exists():
        raise BackupError(f"Tệp {out} đã có; chọn tên khác (bản sao lưu không ghi đè tệp cũ).")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="cchc-backup-") as tmp:
        work = Path(tmp)
        progress("Sao chép cơ sở dữ liệu")
        if connection.vendor == "sqlite":
            member = SQLITE_MEMBER
            _sqlite_copy(work / member)
            counts = _sqlite_counts(work / member)
        elif connection.vendor == "postgresql":
            member = PG_MEMBER
            counts = _pg_dump(work / member)
        else:
            raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "vendor": connection.vendor,
            "database": member,
            "tables": counts,
            "sha256": {member: _sha256(work / member)},
        }
        media = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
        progress(f"Tệp đính kèm: {len(media)} tệp")
        for path in media:
            manifest["sha256"]["media/" + path.relative_to(media_root).as_posix()] = _sha256(path)
        partial = out.with_name(out.name + ".dang-ghi")
        try:
            with tarfile.open(partial, "w:gz") as tar:
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
                tar.add(work / member, arcname=member)
                for path in media:
                    tar.add(path, arcname="media/" + path.relative_to(media_root).as_posix())
            partial.chmod(0o600)  # citizens' data: readable by the owner only
            partial.replace(out)
        finally:
            partial.unlink(missing_ok=True)
    return _summary(manifest)


def _sqlite_copy(dest: Path) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(dest)
    try:
        connection.connection.backup(target)  # consistent even while others write (online backup)
    finally:
        target.close()


def _sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {n: db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        db.close()


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(
            f"Không tìm thấy chương trình {name} (gói postgresql-client) để sao lưu PostgreSQL."
        )
    return tool


def _pg_dump(dest: Path) -> dict[str, int]:
    """pg_dump of the snapshot the row counts are taken in."""
    tool = _pg_tool("pg_dump")
    args, env = _pg_env()
    connection.ensure_connection()
    raw = connection.connection
    autocommit = raw.autocommit
    raw.autocommit = True
    try:
        with raw.cursor() as cur:
            cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            cur.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            )
            names = [r[0] for r in cur.fetchall()]
            counts = {}
            for n in names:
                cur.execute(f'SELECT COUNT(*) FROM "{n}"')
                counts[n] = cur.fetchone()[0]
            done = subprocess.run(
                [
                    tool,
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(dest),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            cur.execute("COMMIT")
    finally:
        raw.autocommit = autocommit
    if done.returncode != 0:
        raise BackupError("pg_dump không thành công: " + _last_line(done.stderr))
    return counts


# --- checking a backup ------------------------------------------------------------------------


@contextmanager
def _opened(archive: Path) -> Iterator[tuple[tarfile.TarFile, dict[str, Any]]]:
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"Không có tệp {archive}.")
    try:
        tar = tarfile.open(archive, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive} không phải bản sao lưu đọc được ({exc}).") from exc
    with tar:
        try:
            raw = tar.extractfile("manifest.json")
            manifest = json.loads(raw.read()) if raw else None
        except (KeyError, ValueError, tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            raise BackupError(f"{archive}: bản sao lưu bị cắt cụt, hỏng hoặc thiếu manifest.json.") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"{archive}: không phải bản sao lưu CCHC ({FORMAT}).")
        try:
            yield tar, manifest
        except (tarfile.TarError, EOFError, zlib.error) as exc:
            raise BackupError(f"{archive}: bản sao lưu bị cắt cụt hoặc hỏng ({exc}).") from exc


def backup_verify(archive: Path, *, progress: Callable[[str], None] = lambda _: None) -> Summary:
    """Check every member against its checksum and the database copy against its row counts."""
    with _opened(archive) as (tar, manifest), tempfile.TemporaryDirectory(prefix="cchc-verify-") as tmp:
        expected: dict[str, str] = manifest["sha256"]
        seen = set()
        for member in tar:
            if member.name == "manifest.json" or not member.isfile():
                continue
            if member.name not in expected:
                raise BackupError(f"Tệp lạ trong bản sao lưu: {member.name}.")
            handle = tar.extractfile(member)
            assert handle is not None
            digest = _stream_sha256(handle)
            if digest.hexdigest() != expected[member.name]:
                raise BackupError(f"Tệp {member.name} trong bản sao lưu đã bị thay đổi hoặc hỏng.")
            seen.add(member.name)
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(f"Bản sao lưu thiếu {len(missing)} tệp, ví dụ {missing[0]}.")
        progress("Tổng kiểm tra (SHA-256) khớp")
        db_member = manifest["database"]
        tar.extract(db_member, tmp, filter="data")
        copy = Path(tmp) / db_member
        if manifest["vendor"] == "sqlite":
            db = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
            try:
                if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise BackupError("Bản sao cơ sở dữ liệu SQLite không toàn vẹn (integrity_check).")
            finally:
                db.close()
            if _sqlite_counts(copy) != manifest["tables"]:
                raise BackupError("Số dòng các bảng trong bản sao không khớp với manifest.")
        else:
            listed = subprocess.run(
                [_pg_tool("pg_restore"), "--list", str(copy)], capture_output=True, text=True
            )
            if listed.returncode != 0:
                raise BackupError("pg_restore không đọc được bản sao: " + _last_line(listed.stderr))
        progress("Cơ sở dữ liệu trong bản sao đọc được")
    return _summary(manifest)


# --- restoring --------------------------------------------------------------------------------


def backup_restore(archive: Path, *, progress: Callable[[str], None] = lambda _: None) -> Summary:
    """Restore into this instance, which must be empty (no table, no uploaded file): a restore
    never merges into or overwrites live data. The archive is verified first; afterwards the
    restored database's row counts are checked against the manifest."""
    summary = backup_verify(archive, progress=progress)
    media_root = Path(settings.MEDIA_ROOT)
    if connection.introspection.table_names():
        raise BackupError("Cơ sở dữ liệu đích đã có dữ liệu; chỉ khôi phục vào một bản cài đặt trống.")
    if media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*")):
        raise BackupError(
            f"Thư mục tệp đính kèm {media_root} đã có tệp; chỉ khôi phục vào một bản cài đặt trống."
        )
    with _opened(archive) as (tar, manifest), tempfile.TemporaryDirectory(prefix="cchc-restore-") as tmp:
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"Bản sao lưu của {manifest['vendor']} không khôi phục được vào {connection.vendor}."
            )
        tar.extract(manifest["database"], tmp, filter="data")
        copy = Path(tmp) / manifest["database"]
        progress("Khôi phục cơ sở dữ liệu")
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            args, env = _pg_env()
            connection.close()  # pg_restore works in its own session
            done = subprocess.run(
                [
                    _pg_tool("pg_restore"),
                    *args,
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    str(copy),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise BackupError("pg_restore không thành công: " + _last_line(done.stderr))
        media = [m for m in tar.getmembers() if m.name.startswith("media/") and m.isfile()]
        progress(f"Khôi phục {len(media)} tệp đính kèm")
        media_root.mkdir(parents=True, exist_ok=True)
        for member in media:
            member.name = member.name.removeprefix("media/")
            tar.extract(member, media_root, filter="data")  # the data filter refuses ../ and links
    restored = _live_counts()
    wrong = [t for t, n in manifest["tables"].items() if restored.get(t) != n]
    if wrong:
        raise BackupError(f"Sau khi khôi phục, số dòng bảng {wrong[0]} không khớp với bản sao lưu.")
    return summary


def _live_counts() -> dict[str, int]:
    with connection.cursor() as cur:
        counts = {}
        for name in connection.introspection.table_names(cur):
            cur.execute(f'SELECT COUNT(*) FROM "{name}"')
            counts[name] = cur.fetchone()[0]
        return counts


# --- helpers ------------------------------------------------------------------------------------


def _stream_sha256(stream: Any) -> Any:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    return digest


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return str(_stream_sha256(f).hexdigest())


def _summary(manifest: dict[str, Any]) -> Summary:
    return Summary(
        vendor=manifest["vendor"],
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=sum(1 for k in manifest["sha256"] if k.startswith("media/")),
        created_at=manifest["created_at"],
    )


def _last_line(text: str) -> str:
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else "không rõ lý do"
