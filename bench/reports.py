"""Benchmark of periodic reports (prints figures; asserts nothing). Run with `make bench`.

    .venv/bin/python bench/reports.py [--dossiers 100000] [--postgres]

Data: the Đồng Nai tree of the demo (province, its agencies, 95 communes — every unit that owes
the province a report), the demo procedure catalogue, ``--dossiers`` generated dossiers of the
year imported through the normal import (live indicators included), and one accepted yearly
report of every reporting unit with its own annex (communes added up to 130 reporting units). Timed:

* drafting the province's consolidated yearly report (`builder.build`: its own figures, every
  subordinate report quoted and rolled up, targets, tasks) — aim under 3 s;
* writing it as DOCX and the annex as XLSX;
* the register page (who reported, rates, chart) through the full Django stack — aim under 200 ms.

The dossier count is a parameter with a modest default (100,000): the draft reads the live
aggregates the import maintains, not the dossiers, so its time hardly moves with the count
(`bench/indicators_live.py` measures those aggregates on 5,000,000 dossiers).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import fresh_postgres_database, measure, setup_django  # noqa: E402

PROVINCE = "P75"
REPORTERS = 130


def build(dossiers: int):
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="use BENCH_DATABASE_URL")
    parser.add_argument("--dossiers", type=int, default=100_000, help="generated dossiers (default 100,000)")
    args = parser.parse_args()
    setup_django(fresh_postgres_database(os.environ["BENCH_DATABASE_URL"]) if args.postgres else None)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cchc.reports import builder, exports, windows
    from cchc.reports.models import Report

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    print(f"\n## Periodic reports on {connection.vendor}: the province's consolidated yearly report")
    province, coordinator, year = build(args.dossiers)

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


if __name__ == "__main__":
    main()
