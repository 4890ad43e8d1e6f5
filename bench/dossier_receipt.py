"""Benchmark of receipt-to-saved latency at the one-stop desk (prints figures; never a timed assertion).

    .venv/bin/python bench/dossier_receipt.py [--dossiers 200000] [--runs 500] [--http-runs 200]
        [--seed 42] [--sqlite-only | --postgres-only]

A database already holding ``--dossiers`` generated dossiers of Đồng Nai (imported as they stand
now, with their events and the live indicator totals — docs/dossier-generator.md), the units and
the demo procedure catalogue; then a desk officer of the busiest commune receives complete
dossiers of the commune's most common procedure (birth registration when the catalogue has it):

1. the service, `cchc.dossiers.services.dossier_receive` (checks, the appointment from the
   working-time calendar, the dossier code from its counter, the events, the live indicators,
   the audit row; one transaction), ``--runs`` times: median, p95, p99 and the queries per receipt;
2. the full HTTP path, a Django test `Client` POST of the receipt form (/ho-so/tiep-nhan/) as that
   officer — middleware, session, form, service, redirect — ``--http-runs`` times: median, p95
   and the queries per request.

On the embedded SQLite (a fresh data directory) and on PostgreSQL when BENCH_DATABASE_URL is set
(a dedicated database ``cchc_bench_receipt``, dropped afterwards). Each engine runs in its own
process.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "cchc_bench_receipt"
PROVINCE = "P75"
PROCEDURE = "1.001193"  # Đăng ký khai sinh, the commonest commune procedure of the generator


def vn(n: float, digits: int = 0) -> str:
    return f"{n:,.{digits}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def dossiers_file(count: int, seed: str, year: int) -> Path:
    """The generated file, cached in the temp directory (the same cache as bench/dossiers_import.py)."""
    from cchc.exchange.generate import generate_files

    path = Path(tempfile.gettempdir()) / f"cchc-bench-dossiers-{count}-{seed}-{year}.csv"
    if not path.exists():
        partial = path.with_suffix(".part")
        generate_files(count=count, seed=seed, out=str(partial), province=PROVINCE, year=year)
        partial.rename(path)
    return path


def engine_main(database_url: str, count: int, seed: str, runs: int, http_runs: int) -> dict:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"  # CCHC_DATA_DIR set by run_engine
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from cchc.core.actors import SYSTEM
    from cchc.dossiers import services
    from cchc.dossiers.imports import dossiers_import
    from cchc.dossiers.models import Dossier
    from cchc.dossiers.personal import Applicant
    from cchc.orgs.models import Role, Unit, UnitKind
    from cchc.orgs.services import province_agencies_create, units_load_administrative, user_create
    from cchc.procedures.demo import load_demo_catalogue
    from cchc.procedures.models import Level
    from cchc.procedures.selectors import procedures_for_unit

    setup_test_environment()
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # served by WhiteNoise; none needed here
    call_command("migrate", interactive=False, verbosity=0)
    units_load_administrative(actor=SYSTEM)
    province = Unit.objects.get(code=PROVINCE)
    province_agencies_create(actor=SYSTEM, province=province)
    load_demo_catalogue(province=province, actor=SYSTEM)
    now = timezone.now()
    t0 = time.perf_counter()
    report = dossiers_import(actor=SYSTEM, path=dossiers_file(count, seed, now.year), as_of_time=now)
    imported = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    busiest = (
        Dossier.objects.filter(handling_unit__kind=UnitKind.COMMUNE)
        .values("handling_unit")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    commune = Unit.objects.get(pk=busiest["handling_unit"])
    offered = procedures_for_unit(commune).filter(level=Level.COMMUNE, processing_time__isnull=False)
    procedure = offered.filter(code=PROCEDURE).first() or offered.order_by("code").first()
    officer = user_create(actor=SYSTEM, username="bench-desk", password=None, roles=[(commune, Role.OFFICER)])
    counter = [0]

    def applicant() -> Applicant:
        counter[0] += 1
        return Applicant(
            name=f"Nguyễn Văn Thử {counter[0]}",
            id_number=f"{79_000_000_000 + counter[0]:012d}",
            phone=f"09{counter[0] % 10**8:08d}",
            email="",
            address="Phường Biên Hòa, Đồng Nai",
        )

    def receive():
        return services.dossier_receive(
            actor=officer,
            procedure=procedure,
            handling_unit=commune,
            receiving_unit=commune,
            channel="truc_tiep",
            applicant=applicant(),
        )

    for _ in range(5):  # warm-up: caches, prepared plans
        receive()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        receive()
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        receive()
    service_queries = len(ctx.captured_queries)

    client = Client(SERVER_NAME="localhost")
    client.force_login(officer)

    def post():
        a = applicant()
        response = client.post(
            "/ho-so/tiep-nhan/",
            {
                "receiving_unit": commune.pk,
                "procedure": procedure.pk,
                "handling_unit": "",
                "channel": "truc_tiep",
                "applicant_kind": "citizen",
                "applicant_name": a.name,
                "applicant_id_number": a.id_number,
                "applicant_phone": a.phone,
                "applicant_email": "",
                "applicant_address": a.address,
                "outcome": "complete",
                "missing": "",
                "reason": "",
            },
        )
        assert response.status_code == 302, (response.status_code, response.content[:2000])

    for _ in range(3):
        post()
    http = []
    for _ in range(http_runs):
        started = time.perf_counter()
        post()
        http.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        post()
    return {
        "engine": connection.vendor,
        "imported": report.created,
        "import_seconds": imported,
        "stored": Dossier.objects.count(),
        "commune": f"{commune.code} {commune.name}",
        "procedure": f"{procedure.code} {procedure.name[:60]}",
        "service": times,
        "service_queries": service_queries,
        "http": http,
        "http_queries": len(ctx.captured_queries),
    }


def run_engine(database_url: str, args) -> dict:
    """One engine in a child process, in a fresh data directory (SQLite's file) removed afterwards."""
    data = tempfile.mkdtemp(prefix="cchc-bench-receipt-")
    try:
        return _run_engine(database_url, args, data)
    finally:
        shutil.rmtree(data, ignore_errors=True)


def _run_engine(database_url: str, args, data: str) -> dict:
    proc = subprocess.run(
        [
            sys.executable,
            __file__,
            "--engine",
            database_url,
            str(args.dossiers),
            args.seed,
            str(args.runs),
            str(args.http_runs),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
        env={**os.environ, "CCHC_DATA_DIR": data},
    )
    if proc.returncode != 0:
        raise SystemExit(f"engine {database_url or 'sqlite'} failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def show(r: dict) -> None:
    s, h = r["service"], r["http"]
    print(
        f"\n## {r['engine']}: {vn(r['stored'])} hồ sơ trong CSDL ({vn(r['imported'])} nhập trong {vn(r['import_seconds'], 1)} giây)"
    )
    print(f"nơi tiếp nhận {r['commune']}; thủ tục {r['procedure']}")
    print(
        f"  dịch vụ dossier_receive ×{len(s)}: trung vị {vn(statistics.median(s), 1)} ms, "
        f"p95 {vn(percentile(s, 95), 1)} ms, p99 {vn(percentile(s, 99), 1)} ms; {r['service_queries']} truy vấn/lần"
    )
    print(
        f"  HTTP POST /ho-so/tiep-nhan/ ×{len(h)}: trung vị {vn(statistics.median(h), 1)} ms, "
        f"p95 {vn(percentile(h, 95), 1)} ms; {r['http_queries']} truy vấn/lần"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Đo độ trễ tiếp nhận hồ sơ (từ lúc nhận đến lúc lưu).")
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--http-runs", type=int, default=200)
    parser.add_argument("--seed", default="42")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--sqlite-only", action="store_true")
    group.add_argument("--postgres-only", action="store_true")
    parser.add_argument("--engine", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        url, count, seed, runs, http_runs = args.engine
        print(json.dumps(engine_main(url, int(count), seed, int(runs), int(http_runs))))
        return

    print(
        f"# Tiếp nhận hồ sơ: độ trễ từ lúc gọi đến lúc lưu xong, CSDL có sẵn {vn(args.dossiers)} hồ sơ "
        f"(seed {args.seed})"
    )
    if not args.postgres_only:
        show(run_engine("", args))
    server = os.environ.get("BENCH_DATABASE_URL")
    if args.sqlite_only:
        return
    if not server:
        print("\n(PostgreSQL: đặt BENCH_DATABASE_URL để đo cả trên PostgreSQL)")
        return
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    try:
        show(run_engine(server.rsplit("/", 1)[0] + "/" + DB_NAME, args))
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")


if __name__ == "__main__":
    main()
