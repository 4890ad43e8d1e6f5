"""Benchmark of periodic reports (prints figures; asserts nothing). Run with `make bench`.

    .venv/bin/python bench/reports.py [--dossiers 100000] [--imported 50000] [--postgres [--reuse]]

Data: the Đồng Nai tree of the demo (province, its agencies, 95 communes — every unit that owes
the province a report), the demo procedure catalogue, ``--imported`` generated dossiers of the
year imported through the normal import (live indicators included), grown to ``--dossiers`` on
PostgreSQL by copies made inside the database (``INSERT … SELECT``, codes suffixed ``~k``, as
bench/scale.py grows ``cchc_scale``; the live totals multiplied by the number of copies, which is
exactly what the import would have added, and checked against a count of the dossiers), and one
accepted yearly report of every reporting unit with its own annex (communes added up to 130
reporting units). `make bench` runs it at 5,000,000 dossiers on PostgreSQL (the issue's figure)
and 20,000 on SQLite. Timed:

* drafting the province's consolidated yearly report (`builder.build`: its own figures, every
  subordinate report quoted and rolled up, targets, tasks) — aim under 3 s;
* writing it as DOCX and the annex as XLSX;
* the register page (who reported, rates, chart) through the full Django stack — aim under 200 ms.

The draft reads the live aggregates the import maintains, and, for the open dossiers that are
judged when read, only those (a partial index): its time should hardly move with the count.
The copies are dossiers without their events (nothing here reads events). The database is
$BENCH_DATABASE_NAME (default cchc_bench) on $BENCH_DATABASE_URL's server, made afresh.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import fresh_postgres_database, measure, setup_django  # noqa: E402

PROVINCE = "P75"
REPORTERS = 130


def build(dossiers: int, grow_to: int):
    from django.db import transaction
    from django.utils import timezone

    from cchc.core.actors import SYSTEM
    from cchc.dossiers.imports.generated import dossiers_generate
    from cchc.exchange.generate import province_units
    from cchc.orgs.models import Role, Unit
    from cchc.orgs.services import province_agencies_create, unit_create, user_create
    from cchc.procedures.demo import load_demo_catalogue
    from cchc.reports import figures, outline, windows
    from cchc.reports.calendar import expected_reporters
    from cchc.reports.models import Report

    year = timezone.localdate().year
    tree = province_units(PROVINCE)
    with transaction.atomic():
        province = unit_create(actor=SYSTEM, name=tree[0][1], kind="province", code=PROVINCE)
        province_agencies_create(actor=SYSTEM, province=province)
        known = set(Unit.objects.values_list("code", flat=True))
        by_code = {u.code: u for u in Unit.objects.all()}
        for code, name, parent in tree[1:]:
            if code not in known and parent in by_code:
                kind = "commune" if parent == PROVINCE and not code.startswith(f"{PROVINCE}.") else "subunit"
                by_code[code] = unit_create(
                    actor=SYSTEM, name=name, kind=kind, parent=by_code[parent], code=code
                )
        load_demo_catalogue(province=province, actor=SYSTEM)
    coordinator = user_create(
        actor=SYSTEM, username="bench-coordinator", password=None, roles=[(province, Role.COORDINATOR)]
    )
    t = time.perf_counter()
    result = dossiers_generate(actor=SYSTEM, count=dossiers, seed=42, units=tree, year=year)
    print(f"set-up: {result.created:,} dossiers imported in {time.perf_counter() - t:.1f} s")
    grow(grow_to)
    window = windows.window("nam", year, 0)
    reporters = expected_reporters(province)
    for i in range(len(reporters), REPORTERS):  # the tree has fewer: extra communes up to 130
        unit_create(
            actor=SYSTEM, name=f"Xã thử nghiệm {i:03d}", kind="commune", parent=province, code=f"BX{i:03d}"
        )
    reporters = expected_reporters(province)
    now = timezone.now()
    t = time.perf_counter()
    rows = [
        Report(
            unit=u,
            receiver=province,
            kind="nam",
            year=year,
            number=0,
            period_key=window.key,
            period_start=window.start,
            period_end=window.end,
            due_on=window.end,
            state=Report.State.ACCEPTED,
            sections={h.key: f"{u.name}: kết quả {h.title.lower()} trong năm. " * 5 for h in outline.OUTLINE},
            annex=figures.annex_rows(u, "nam", year, 0),
            facts={},
            doc_number=f"{i}/BC",
            first_submitted_at=now,
            submitted_at=now,
        )
        for i, u in enumerate(reporters, start=1)
    ]
    Report.objects.bulk_create(rows)
    print(f"set-up: {len(rows)} accepted subordinate reports in {time.perf_counter() - t:.1f} s")
    return province, coordinator, year


def grow(dossiers: int) -> None:
    """Copies of the imported dossiers inside PostgreSQL up to about ``dossiers`` (see the module
    docstring); the live totals multiplied to match, then checked against a count."""
    from django.db import connection

    from cchc.dossiers.models import Dossier
    from cchc.indicators.models import FIELDS, MeasureTotal

    table = Dossier._meta.db_table
    base = Dossier.objects.count()
    copies = max(0, round(dossiers / base) - 1) if base else 0
    if not copies:
        return
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
            [table],
        )
        other = [c for (c,) in cur.fetchall() if c not in ("id", "code")]
        cur.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)""",
            [table],
        )
        dropped = cur.fetchall()
        cur.execute("SET session_replication_role = replica")  # no FK triggers: copies of consistent rows
        for name, _ in dropped:
            cur.execute(f'DROP INDEX "{name}"')
        cur.execute(f"SELECT max(id) FROM {table}")
        top = cur.fetchone()[0]
        cols = ", ".join(other)
        cur.execute(
            f"INSERT INTO {table} (id, code, {cols}) SELECT d.id + k * {top}, d.code || '~' || k, {cols} "
            f"FROM {table} d CROSS JOIN generate_series(1, {copies}) k WHERE d.id <= {top}"
        )
        for _, definition in dropped:
            cur.execute(definition)
        cur.execute("SET session_replication_role = DEFAULT")
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        factor = copies + 1
        cur.execute(
            f"UPDATE {MeasureTotal._meta.db_table} SET " + ", ".join(f"{f} = {f} * {factor}" for f in FIELDS)
        )
        # as autovacuum would leave a table this size: statistics, and the visibility map that lets
        # the open dossiers be judged from the partial index alone (`live.open_judged`)
        cur.execute(f"VACUUM ANALYZE {table}")
        cur.execute(f"ANALYZE {MeasureTotal._meta.db_table}")
    total = Dossier.objects.count()
    print(f"set-up: grown to {total:,} dossiers ({copies} copies in SQL) in {time.perf_counter() - t:.0f} s")


def check_totals(province, year: int) -> None:
    """The live figure equals a count of the dossiers (the copies kept the totals honest)."""
    from django.utils import timezone

    from cchc.dossiers.models import Dossier
    from cchc.indicators import live
    from cchc.reports import windows

    w = windows.window("nam", year, 0)
    live_count = live.unit_values(province, w.key)["tiep_nhan"].value
    start = timezone.make_aware(dt.datetime.combine(w.start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(w.end + dt.timedelta(days=1), dt.time.min))
    counted = Dossier.objects.filter(
        handling_unit__path__startswith=province.path, received_at__gte=start, received_at__lt=end
    ).count()
    print(f"set-up: dossiers received in {w.key}: live figure {live_count:,}, counted {counted:,}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="use BENCH_DATABASE_URL")
    parser.add_argument("--dossiers", type=int, default=100_000, help="dossiers in all (default 100,000)")
    parser.add_argument(
        "--imported", type=int, default=50_000, help="of which imported; the rest copied in SQL (PostgreSQL)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="PostgreSQL: time the database a previous run left (no set-up)"
    )
    args = parser.parse_args()
    if args.postgres and args.reuse:
        name = os.environ.get("BENCH_DATABASE_NAME", "cchc_bench")
        setup_django(os.environ["BENCH_DATABASE_URL"].rsplit("/", 1)[0] + "/" + name)
    else:
        setup_django(fresh_postgres_database(os.environ["BENCH_DATABASE_URL"]) if args.postgres else None)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cchc.reports import builder, exports, selectors, windows
    from cchc.reports.models import Report

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    print(f"\n## Periodic reports on {connection.vendor}: the province's consolidated yearly report")
    if args.postgres and args.reuse:
        from django.utils import timezone

        from cchc.dossiers.models import Dossier
        from cchc.orgs.models import Unit, User

        province, year = Unit.objects.get(code=PROVINCE), timezone.localdate().year
        coordinator = User.objects.get(username="bench-coordinator")
        print(f"set-up: reused, {Dossier.objects.count():,} dossiers")
    else:
        imported = min(args.dossiers, args.imported) if connection.vendor == "postgresql" else args.dossiers
        province, coordinator, year = build(imported, grow_to=args.dossiers)
        check_totals(province, year)

    times = []
    for _ in range(5):
        t = time.perf_counter()
        draft = builder.build(province, "nam", year, 0)
        times.append(time.perf_counter() - t)
    quoted = len(draft.facts["subordinates"])
    print(
        f"drafting the consolidated yearly report ({quoted} reports quoted and rolled up, "
        f"{len(draft.annex)} annex rows): median {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms (aim < 3000 ms)"
    )
    report = Report(
        unit=province,
        kind="nam",
        year=year,
        number=0,
        period_key=f"BC-{year}-Y",
        period_start=windows.window("nam", year).start,
        period_end=windows.window("nam", year).end,
        due_on=windows.window("nam", year).end,
        sections=draft.sections,
        annex=draft.annex,
        facts=draft.facts,
    )
    t = time.perf_counter()
    docx = exports.report_docx(report)
    xlsx = exports.annex_xlsx(report)
    print(
        f"DOCX ({len(docx) // 1024} KB) and annex XLSX ({len(xlsx) // 1024} KB): "
        f"{(time.perf_counter() - t) * 1000:.0f} ms"
    )
    client = Client(SERVER_NAME="localhost")
    client.force_login(coordinator)
    print(f"{'page':<34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    url = f"/bao-cao/tinh-hinh-nop/?don_vi={province.pk}&loai=nam&nam={year}"
    median, p95, queries = measure(client, url)
    print(f"{'register (aim < 200 ms)':<34} {median:>10.1f} {p95:>8.1f} {queries:>8}")
    median, p95, queries = measure(client, "/bao-cao/tiep-nhan/")
    print(f"{'review queue (130 reports)':<34} {median:>10.1f} {p95:>8.1f} {queries:>8}")
    # the queue's rows read whole (as before) and without the JSON it does not show (as now)
    whole = Report.objects.filter(receiver=province).select_related("unit", "receiver")
    light = whole.defer(*selectors.HEAVY)
    for label, qs in (("read whole (before)", whole), ("without sections/annex/facts (now)", light)):
        times = []
        for _ in range(10):
            t = time.perf_counter()
            rows = list(qs.all())  # a fresh queryset: not the cached rows of the last turn
            times.append((time.perf_counter() - t) * 1000)
        print(f"  the queue's {len(rows)} reports {label}: median {statistics.median(times):.1f} ms")


if __name__ == "__main__":
    main()
