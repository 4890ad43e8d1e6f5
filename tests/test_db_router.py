"""The database router (cchc.core.db_router): replica-tolerant reads go to a streaming replica when
one is configured, everything else to the primary.

The first test runs in the suite's own database (no replica configured: everything stays on
``default``). The second starts a real primary and streaming replica on this machine
(scripts/start-replica.sh: a scratch cluster on ports 5441/5442, about 15 s the first time, then
reused) and observes the routing from a child process configured with both; it runs on the
PostgreSQL pass of the suite and is skipped, with the reason, when PostgreSQL's server binaries
are not installed or the suite runs on SQLite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from cchc.core.db_router import REPLICA, ReplicaRouter, replica_configured, replica_reads
from cchc.indicators import live
from cchc.indicators.models import MeasureTotal

ROOT = Path(__file__).resolve().parent.parent
PROBE_DB = "cchc_router_probe"


@pytest.mark.django_db
def test_without_a_replica_every_read_stays_on_the_primary(tree):
    assert not replica_configured()
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(MeasureTotal) is None  # → default
        with CaptureQueriesContext(connection) as ctx:
            live.unit_totals(tree.province, "2026")
        assert len(ctx.captured_queries) == 2  # stored totals + open dossiers, on default
    assert router.db_for_write(MeasureTotal) == "default"
    assert router.allow_migrate("default", "indicators") is True
    assert router.allow_migrate(REPLICA, "indicators") is False
    assert list(connections) == ["default"]


def _replica_urls() -> tuple[str, str]:
    if connection.vendor != "postgresql":
        pytest.skip("bản sao thật chỉ chạy ở lượt PostgreSQL của bộ kiểm thử")
    run = subprocess.run(
        [str(ROOT / "scripts" / "start-replica.sh")], capture_output=True, text=True, timeout=300
    )
    if run.returncode == 2:
        pytest.skip(f"không có máy chủ PostgreSQL để dựng bản sao: {run.stderr.strip()}")
    assert run.returncode == 0, run.stderr
    urls = dict(line.split("=", 1) for line in run.stdout.split())
    return urls["PRIMARY_URL"], urls["REPLICA_URL"]


def _on(url: str, db: str) -> str:
    return f"{url.rsplit('/', 1)[0]}/{db}"


def test_a_real_streaming_replica_serves_the_dashboard_and_nothing_else(tmp_path):
    import psycopg

    primary, replica = _replica_urls()
    with psycopg.connect(primary, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PROBE_DB]).fetchone():
            conn.execute(f"CREATE DATABASE {PROBE_DB}")
    env = {
        **os.environ,
        "CCHC_DATA_DIR": str(tmp_path),
        "DATABASE_URL": _on(primary, PROBE_DB),
        "DATABASE_REPLICA_URL": _on(replica, PROBE_DB),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # the scratch database is kept between runs: migrate does only what is new
    subprocess.run(
        [sys.executable, "-m", "cchc.cli", "migrate", "--no-input", "-v", "0"],
        env=env,
        check=True,
        timeout=600,
    )
    run = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "replica_probe.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])

    assert seen["in_recovery"] is True  # the alias really is a standby
    mark = seen["mark"]
    # (queries on the primary, queries on the replica, value read)
    assert seen["plain_read"] == [2, 0, mark]  # not marked: the primary
    assert seen["tolerant_read"] == [0, 2, mark]  # marked: the replica, which has the streamed write
    p, r, value = seen["tolerant_read_in_transaction"]
    assert r == 0 and p >= 2 and value == mark  # inside a transaction: the primary (read your writes)
    p, r, updated = seen["tolerant_write"]
    assert r == 0 and p == 1 and updated == 1  # writes never go to the (read-only) replica
    p, r, received = seen["dashboard"]
    assert p == 0 and r > 0 and received == mark  # the marked dashboard selector reads the replica only
