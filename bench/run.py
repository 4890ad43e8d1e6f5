"""Benchmarks that print figures (never timed assertions). Run with `make bench`.

tracking: a plan of 500 tasks, each assigned to the same 100 units (50,000 assignments), with
12 progress updates per assignment (600,000 updates); the plan dashboard and a unit's "my
tasks" page (500 rows) are requested through the full Django stack (middleware, selectors,
templates) by one user; we print the median and 95th percentile and the query count, and the
query count again for a plan ten times smaller to show it does not grow with the tasks.

Runs on the embedded SQLite in a fresh temporary data directory, and on PostgreSQL too when
BENCH_DATABASE_URL is set (make bench sets it when a server answers).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(database_url: str | None) -> None:
    os.environ["CCHC_DATA_DIR"] = tempfile.mkdtemp(prefix="cchc-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def build(tasks: int, units: int, updates: int):
    """Bulk-build the data set (setup speed is not what is measured)."""
    import datetime as dt
    import random

    from django.db import transaction
    from django.utils import timezone

    from cchc.core.actors import SYSTEM  # after django.setup()
    from cchc.orgs.models import Role, UnitKind
    from cchc.orgs.services import unit_create, user_create
    from cchc.plans.models import Plan, Task, TaskRole, TaskUnit
    from cchc.tracking.models import Assignment, ProgressUpdate

    rng = random.Random(42)
    year = timezone.localdate().year
    with transaction.atomic():
        code = f"B{Plan.objects.count()}"
        province = unit_create(
            actor=SYSTEM, name=f"Tỉnh Thử nghiệm {code}", kind=UnitKind.PROVINCE, code=f"{code}-P"
        )
        members = [
            unit_create(
                actor=SYSTEM,
                name=f"Đơn vị {i:03d}",
                kind=UnitKind.AGENCY,
                parent=province,
                code=f"{code}-U{i}",
            )
            for i in range(units)
        ]
        coordinator = user_create(
            actor=SYSTEM, username=f"coord-{code}", password=None, roles=[(province, Role.COORDINATOR)]
        )
        officer = user_create(
            actor=SYSTEM, username=f"officer-{code}", password=None, roles=[(members[0], Role.OFFICER)]
        )
        plan = Plan.objects.create(
            issuer=province,
            title="Kế hoạch thử tải",
            from_year=year,
            to_year=year,
            status="issued",
            issued_on=dt.date(year, 1, 5),
        )
        areas = [
            "the_che",
            "thu_tuc_hanh_chinh",
            "to_chuc_bo_may",
            "cong_vu",
            "tai_chinh_cong",
            "chinh_quyen_so",
            "chi_dao_dieu_hanh",
        ]
        task_objs = Task.objects.bulk_create(
            [
                Task(
                    plan=plan,
                    position=i,
                    number=str(i + 1),
                    area=areas[i % 7],
                    content=f"Nhiệm vụ cải cách hành chính số {i + 1} với nội dung mô tả đầy đủ như trong kế hoạch",
                    deadline_text="Quý II",
                    deadline_kind="fixed",
                    due_dates=[f"{year}-06-30"],
                    final_due=dt.date(year, rng.choice([3, 6, 9, 12]), 28),
                )
                for i in range(tasks)
            ],
            batch_size=1000,
        )
        TaskUnit.objects.bulk_create(
            [TaskUnit(task=t, unit=u, role=TaskRole.LEAD) for t in task_objs for u in members],
            batch_size=5000,
        )
        today = timezone.localdate()
        assignments = []
        for t in task_objs:
            for u in members:
                pct = rng.choice([0, 20, 50, 80, 100])
                done = dt.date(year, rng.randint(1, max(1, today.month)), 1) if pct == 100 else None
                assignments.append(
                    Assignment(
                        task=t,
                        unit=u,
                        percent=pct,
                        completed_on=done,
                        updates_count=updates,
                        last_reported_on=dt.date(year, rng.randint(1, max(1, today.month)), 1),
                    )
                )
        Assignment.objects.bulk_create(assignments, batch_size=5000)
        ids = list(Assignment.objects.filter(task__plan=plan).values_list("id", flat=True))
        batch = []
        for aid in ids:
            for k in range(updates):
                batch.append(
                    ProgressUpdate(
                        assignment_id=aid,
                        reported_on=dt.date(year, 1 + k % 12, 1)
                        if dt.date(year, 1 + k % 12, 1) <= today
                        else today,
                        percent=min(100, 8 * k),
                        narrative="Cập nhật tiến độ định kỳ",
                    )
                )
                if len(batch) >= 20000:
                    ProgressUpdate.objects.bulk_create(batch)
                    batch = []
        ProgressUpdate.objects.bulk_create(batch)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")
    else:
        with connection.cursor() as c:
            c.execute("ANALYZE")
    return plan, coordinator, officer


def measure(client, url: str, runs: int = 25):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], len(ctx.captured_queries)


def bench_tracking() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)  # as `cchc serve` does
    engine = connection.vendor
    print(f"\n## Tracking pages on {engine} (single user, full request through Django)")
    rows = []
    for tasks, units, updates in [(50, 100, 12), (500, 100, 12)]:
        started = time.perf_counter()
        plan, coordinator, officer = build(tasks, units, updates)
        built = time.perf_counter() - started
        client = Client(SERVER_NAME="localhost")
        client.force_login(coordinator)
        dash = measure(client, f"/theo-doi/ke-hoach/{plan.pk}/")
        officer_client = Client(SERVER_NAME="localhost")
        officer_client.force_login(officer)
        mine = measure(officer_client, "/theo-doi/cua-toi/")
        n_assign = tasks * units
        rows.append((tasks, units, n_assign, n_assign * updates, built, dash, mine))
    print(
        f"{'tasks':>6} {'units':>6} {'assignments':>12} {'updates':>9} {'setup s':>8} | {'dashboard median/p95 ms':>24} {'queries':>7} | {'my tasks median/p95 ms':>23} {'queries':>7}"
    )
    for tasks, units, n_assign, n_upd, built, dash, mine in rows:
        print(
            f"{tasks:>6} {units:>6} {n_assign:>12,} {n_upd:>9,} {built:>8.1f} | {dash[0]:>14.1f} / {dash[1]:>7.1f} {dash[2]:>7} | {mine[0]:>13.1f} / {mine[1]:>7.1f} {mine[2]:>7}"
        )


def bench_units() -> None:
    from cchc.core.actors import SYSTEM  # after django.setup()
    from cchc.orgs.models import Unit
    from cchc.orgs.services import units_load_administrative

    started = time.perf_counter()
    result = units_load_administrative(actor=SYSTEM)
    elapsed = time.perf_counter() - started
    print(
        f"\n## Administrative units\nloaded {result['created']:,} units (34 provinces, 3,321 communes, 29 former provinces) in {elapsed:.2f} s; "
        f"{Unit.objects.count():,} in the tree"
    )


def fresh_postgres_database(server_url: str) -> str:
    """A dedicated, empty benchmark database on the given server (never the server's own)."""
    import psycopg

    # BENCH_DATABASE_NAME: another name, so that benches run side by side on one server
    name = os.environ.get("BENCH_DATABASE_NAME", "cchc_bench")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"BENCH_DATABASE_NAME: letters, digits and _ only, not {name!r}")
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    database_url = None
    if "--postgres" in sys.argv:
        database_url = fresh_postgres_database(os.environ["BENCH_DATABASE_URL"])
    setup_django(database_url)
    bench_tracking()
    bench_units()


if __name__ == "__main__":
    main()
