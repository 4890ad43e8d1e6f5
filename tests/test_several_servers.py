"""Settings for several application servers (docs/scaling.md): nothing an application server keeps
for itself — sessions in the database (read through the shared Redis cache when there is one),
the cache shared, uploaded files on a shared directory or an S3-compatible store, a replica alias
for the dashboards. Each case loads the production settings in a fresh process, as a server does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOW = """
import django, json; django.setup()
from django.conf import settings
from django.core.cache import cache
out = {"cache": settings.CACHES["default"]["BACKEND"], "session": settings.SESSION_ENGINE,
       "storage": settings.STORAGES["default"], "databases": sorted(settings.DATABASES),
       "replica_test": settings.DATABASES.get("replica", {}).get("TEST"),
       "routers": settings.DATABASE_ROUTERS}
if len(__import__("sys").argv) > 1:
    cmd, key = __import__("sys").argv[1:3]
    if cmd == "set":
        cache.set(key, "đặt bởi máy chủ A", 60)
    out["got"] = cache.get(key)
print(json.dumps(out))
"""


def server(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CCHC_", "CACHE_", "DATABASE_"))
    }
    base |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "CCHC_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "sqlite:///" + str(tmp_path / "db.sqlite3"),
        "JOBS_URL": "redis://127.0.0.1:6379/1",  # production refuses to start without a job queue
    } | env
    return subprocess.run(
        [sys.executable, "-c", SHOW, *args], capture_output=True, text=True, env=base, cwd=ROOT, timeout=120
    )


def shown(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_one_server_defaults(tmp_path):
    s = shown(server(tmp_path))
    assert s["cache"].endswith("DatabaseCache")  # shared by every worker through the database
    assert s["session"] == "django.contrib.sessions.backends.db"
    assert s["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert s["databases"] == ["default"]
    assert s["routers"] == ["cchc.core.db_router.ReplicaRouter"]


def test_the_replica_alias_comes_from_the_environment(tmp_path):
    s = shown(server(tmp_path, DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:5442/cchc"))
    assert s["databases"] == ["default", "replica"]
    assert s["replica_test"]["MIRROR"] == "default"  # tests never build a second test database


def test_s3_storage_is_configured_from_the_environment(tmp_path):
    s = shown(
        server(
            tmp_path,
            CCHC_MEDIA_STORAGE="s3",
            CCHC_S3_BUCKET="cchc-dong-nai",
            CCHC_S3_ENDPOINT_URL="https://s3.dongnai.gov.vn",
        )
    )
    assert s["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = s["storage"]["OPTIONS"]
    assert (
        options["bucket_name"] == "cchc-dong-nai" and options["endpoint_url"] == "https://s3.dongnai.gov.vn"
    )
    assert options["default_acl"] == "private" and options["file_overwrite"] is False


def test_an_unknown_storage_refuses_to_start(tmp_path):
    proc = server(tmp_path, CCHC_MEDIA_STORAGE="ftp")
    assert proc.returncode != 0
    assert "ImproperlyConfigured" in proc.stderr and "CCHC_MEDIA_STORAGE" in proc.stderr


def test_two_servers_share_the_redis_cache_and_read_sessions_through_it(tmp_path):
    pytest.importorskip("redis", reason="gói redis (cchc[redis]) chưa được cài")
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("không có Redis ở 127.0.0.1:6379")
    key = f"cchc-test-shared-{os.getpid()}"
    a = shown(server(tmp_path, "set", key, CACHE_URL="redis://127.0.0.1:6379/0"))
    b = shown(server(tmp_path, "get", key, CACHE_URL="redis://127.0.0.1:6379/0"))
    assert a["cache"].endswith("RedisCache") and a["session"] == "django.contrib.sessions.backends.cached_db"
    assert b["got"] == "đặt bởi máy chủ A"  # what one server put, another reads
