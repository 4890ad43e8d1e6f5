"""Benchmark of inspections (prints figures; asserts nothing). Run with `make bench`.

A province with 30 agencies and 100 communes, a year's plan inspecting every one of them (130
inspections, 9 results each, 3 findings each — 390 findings, a third remedied on time, a third
late, a third overdue). Times, on the embedded SQLite (and on PostgreSQL when BENCH_DATABASE_URL
is set):

* the four `kiem_tra:*` figures for the year and its 12 months (what a target's status asks);
* the index, the overdue list and the plan's page through the full Django stack (median and p95
  of 25 requests, and the query count).

Aims: the figures in under 100 ms, pages under 200 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import fresh_postgres_database, measure, setup_django  # noqa: E402

YEAR = 2026


def build():
    """Bulk-built (set-up speed is not what is measured); the states as the services leave them."""
    from django.db import transaction

    from cchc.core.actors import SYSTEM
    from cchc.inspections import services
    from cchc.inspections.models import Finding, Inspection, ItemResult, Mode, TeamMember, TeamRole
    from cchc.orgs.models import Role, UnitKind
    from cchc.orgs.services import unit_create, user_create

    with transaction.atomic():
        province = unit_create(actor=SYSTEM, name="Tỉnh Thử nghiệm", kind=UnitKind.PROVINCE, code="BI")
        units = [
            unit_create(
                actor=SYSTEM,
                name=f"{'Sở' if i < 30 else 'Xã'} thử nghiệm {i:03d}",
                kind=UnitKind.AGENCY if i < 30 else UnitKind.COMMUNE,
                parent=province,
                code=f"BI.{i:03d}",
            )
            for i in range(130)
        ]
        coordinator = user_create(
            actor=SYSTEM, username="bench-insp", password=None, roles=[(province, Role.COORDINATOR)]
        )
        plan = services.plan_create(actor=coordinator, unit=province, year=YEAR, title="Kế hoạch thử tải")
        items = list(plan.checklist.all())
        inspections = Inspection.objects.bulk_create(
            Inspection(
                plan=plan,
                unit=u,
                start_date=dt.date(YEAR, 1 + i % 11, 10),
                end_date=dt.date(YEAR, 1 + i % 11, 10),
                mode=Mode.ONLINE if i % 2 else Mode.ON_SITE,
                state=Inspection.State.CONCLUDED,
                concluded_on=dt.date(YEAR, 1 + i % 11, 12),
                summary="Thử tải.",
            )
            for i, u in enumerate(units)
        )
        TeamMember.objects.bulk_create(
            TeamMember(inspection=x, user=coordinator, role=TeamRole.LEAD) for x in inspections
        )
        ItemResult.objects.bulk_create(
            ItemResult(
                inspection=x, item=it, area=it.area, position=it.position, content=it.content, verdict="dat"
            )
            for x in inspections
            for it in items
        )
        findings = []
        for x in inspections:
            due = x.start_date + dt.timedelta(days=40)
            for n in range(3):
                closed = n < 2
                findings.append(
                    Finding(
                        inspection=x,
                        position=n + 1,
                        content=f"Tồn tại {n + 1}",
                        owner=x.unit,
                        deadline_text=f"{due:%d/%m/%Y}",
                        due_date=due,
                        state=Finding.State.CLOSED if closed else Finding.State.OPEN,
                        remediated_on=(due - dt.timedelta(days=5) if n == 0 else due + dt.timedelta(days=9))
                        if closed
                        else None,
                    )
                )
        Finding.objects.bulk_create(findings)
    return plan, province, coordinator


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="use BENCH_DATABASE_URL")
    args = parser.parse_args()
    import os

    setup_django(fresh_postgres_database(os.environ["BENCH_DATABASE_URL"]) if args.postgres else None)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cchc.core.indicator_sources import readings_many
    from cchc.inspections.source import CODES

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    started = time.perf_counter()
    plan, province, coordinator = build()
    print(f"\n## Inspections on {connection.vendor}: 130 units inspected, 390 findings")
    print(f"set-up: {time.perf_counter() - started:.1f} s")
    keys = [str(YEAR), *(f"{YEAR}-{m:02d}" for m in range(1, 13))]
    times = []
    for _ in range(7):
        t = time.perf_counter()
        got = readings_many((code, province, keys) for code in CODES)
        times.append(time.perf_counter() - t)
    year = {code: r[str(YEAR)].value for code, r in zip(CODES, got, strict=True)}
    print(f"4 figures × 13 periods: median {statistics.median(times) * 1000:.0f} ms; the year: {year}")

    client = Client(SERVER_NAME="localhost")
    client.force_login(coordinator)
    print(f"{'page':<34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, url in (
        ("index", "/kiem-tra/"),
        ("overdue findings", "/kiem-tra/ton-tai/"),
        ("the plan", f"/kiem-tra/ke-hoach/{plan.pk}/"),
    ):
        median, p95, queries = measure(client, url)
        print(f"{name:<34} {median:>10.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
