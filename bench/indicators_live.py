"""Live-mode indicator benchmark on PostgreSQL (issue 5). Prints figures; asserts nothing.

    python bench/indicators_live.py [--count 5000000] [--seed 1] [--fresh]

Data: the Đồng Nai tree of the demo (province, agencies, 95 communes), the demo catalogue, and
``--count`` generated dossiers of the current year (docs/dossier-generator.md) imported as they
stand now (later events cut off, so a realistic share is still open). The database
``cchc_bench_live`` is kept between runs and reused when it holds the same count and seed
(``--fresh`` rebuilds it): loading 5 million dossiers with their events takes a while.

Measured, each phase in its own process so that its peak memory (ru_maxrss) is its own:
1. full rebuild of the year — every unit, every live period (27 a year);
2. event → figure: a desk officer's result decision through the service, then the province
   figure read back; the figure must have moved (checked), the delay is printed;
3. the province dashboard page (`/chi-so/`) through the full Django stack: median and p95.

The server is $BENCH_DATABASE_URL (make bench sets it), e.g. postgres://postgres@127.0.0.1:5432/postgres.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "cchc_bench_live"
PROVINCE = "P75"


def _db_url(server: str, name: str) -> str:
    base = server.rsplit("/", 1)[0]
    return f"{base}/{name}"


def _setup_django(url: str) -> None:
    os.environ.setdefault("CCHC_DATA_DIR", tempfile.mkdtemp(prefix="cchc-bench-live-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _marker(server: str) -> dict | None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)).fetchone():
            return None
    try:
        with psycopg.connect(_db_url(server, DB_NAME)) as conn:
            row = conn.execute("SELECT info FROM bench_marker").fetchone()
            return json.loads(row[0]) if row else None
    except psycopg.Error:
        return None


# --- phases (run in child processes) -----------------------------------------------------------------


def phase_load(url: str, count: int, seed: str) -> dict:
    _setup_django(url)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from cchc.core.actors import SYSTEM
    from cchc.dossiers.imports import dossiers_import
    from cchc.exchange.generate import generate_files
    from cchc.orgs.models import Role, Unit
    from cchc.orgs.services import province_agencies_create, units_load_administrative, user_create
    from cchc.procedures.demo import load_demo_catalogue

    call_command("migrate", interactive=False, verbosity=0)
    units_load_administrative(actor=SYSTEM)
    province = Unit.objects.get(code=PROVINCE)
    province_agencies_create(actor=SYSTEM, province=province)
    load_demo_catalogue(province=province, actor=SYSTEM)
    user_create(
        actor=SYSTEM, username="bench-coordinator", password=None, roles=[(province, Role.COORDINATOR)]
    )
    year = timezone.localdate().year
    cache = Path(tempfile.gettempdir()) / f"cchc-bench-dossiers-{count}-{seed}-{year}.csv"
    t0 = time.perf_counter()
    if not cache.exists():
        partial = cache.with_suffix(".part")
        generate_files(count=count, seed=seed, out=str(partial), province=PROVINCE, year=year)
        partial.rename(cache)
    generated = time.perf_counter() - t0
    t1 = time.perf_counter()
    last = [time.perf_counter()]

    def progress(lines: int) -> None:
        if time.perf_counter() - last[0] > 30:
            last[0] = time.perf_counter()
            rate = lines / (last[0] - t1)
            print(f"    … {lines:,} dòng ({rate:,.0f}/s)", file=sys.stderr, flush=True)

    report = dossiers_import(actor=SYSTEM, path=cache, as_of_time=timezone.now(), progress=progress)
    imported = time.perf_counter() - t1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_marker (info text)")
        cursor.execute("DELETE FROM bench_marker")
        info = {"count": count, "seed": seed, "year": year, "created": report.created}
        cursor.execute("INSERT INTO bench_marker VALUES (%s)", [json.dumps(info)])
    return {
        "generated_s": generated,
        "imported_s": imported,
        "created": report.created,
        "peak_mib": _peak_mib(),
    }


def phase_rebuild(url: str) -> dict:
    _setup_django(url)
    from django.utils import timezone

    from cchc.indicators.rebuild import rebuild

    year = timezone.localdate().year
    t0 = time.perf_counter()
    report = rebuild(years=[year])
    return {
        "seconds": time.perf_counter() - t0,
        "dossiers": report.dossiers,
        "rows": report.rows,
        "periods": len(report.periods),
        "stages": report.stages,
        "peak_mib": _peak_mib(),
    }


def phase_events(url: str, runs: int) -> dict:
    _setup_django(url)
    from django.utils import timezone

    from cchc.dossiers import services
    from cchc.dossiers.models import Dossier
    from cchc.indicators import live
    from cchc.orgs.models import Unit, User

    actor = User.objects.get(username="bench-coordinator")
    province = Unit.objects.get(code=PROVINCE)
    now = timezone.now()
    key = f"{timezone.localdate():%Y-%m}"
    open_ones = list(
        Dossier.objects.filter(state__in=["received", "in_progress"], last_event_at__lt=now)
        .select_related("procedure", "handling_unit", "receiving_unit")
        .order_by("?")[:runs]
    )
    delays, reads = [], []
    for d in open_ones:
        before = live.unit_values(province, key)["da_giai_quyet"].value
        t0 = time.perf_counter()
        services.dossier_decide(actor=actor, dossier=d, granted=True)  # one transaction, committed
        t1 = time.perf_counter()
        after = live.unit_values(province, key)["da_giai_quyet"].value
        t2 = time.perf_counter()
        if after != before + 1:
            raise SystemExit(f"figure did not move: {before} → {after}")
        delays.append(t2 - t0)
        reads.append(t2 - t1)
    return {
        "runs": len(delays),
        "delay_median_ms": statistics.median(delays) * 1000,
        "delay_p95_ms": statistics.quantiles(delays, n=20)[18] * 1000,
        "read_median_ms": statistics.median(reads) * 1000,
        "peak_mib": _peak_mib(),
    }


def phase_dashboard(url: str, runs: int) -> dict:
    _setup_django(url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from cchc.indicators import live
    from cchc.orgs.models import Unit, User

    province = Unit.objects.get(code=PROVINCE)
    year = timezone.localdate().year
    try:
        url_path = reverse("indicators:dashboard")
    except NoReverseMatch:
        url_path = None
    times = []
    if url_path:
        from django.core.management import call_command

        call_command("collectstatic", verbosity=0, interactive=False)  # as `cchc serve` does
        client = Client(SERVER_NAME="localhost")
        client.force_login(User.objects.get(username="bench-coordinator"))
        target = f"{url_path}?unit={province.code}&period={year}"
        first = client.get(target)
        if first.status_code != 200:
            raise SystemExit(f"dashboard answered {first.status_code}")
        with CaptureQueriesContext(connection) as ctx:
            client.get(target)
        queries = len(ctx.captured_queries)
        for _ in range(runs):
            t0 = time.perf_counter()
            client.get(target)
            times.append(time.perf_counter() - t0)
        what = "page"
    else:  # the page is not there: the selectors it would call
        with CaptureQueriesContext(connection) as ctx:
            live.unit_values(province, str(year))
            live.children_values(province, str(year))
        queries = len(ctx.captured_queries)
        for _ in range(runs):
            t0 = time.perf_counter()
            live.unit_values(province, str(year))
            live.children_values(province, str(year))
            times.append(time.perf_counter() - t0)
        what = "selectors"
    return {
        "what": what,
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": statistics.quantiles(times, n=20)[18] * 1000,
        "queries": queries,
        "peak_mib": _peak_mib(),
    }


# --- orchestration ---------------------------------------------------------------------------------


def _child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5_000_000)
    parser.add_argument("--seed", default="1")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--phase")
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.phase:
        result = {
            "load": lambda: phase_load(args.url, args.count, args.seed),
            "rebuild": lambda: phase_rebuild(args.url),
            "events": lambda: phase_events(args.url, args.runs),
            "dashboard": lambda: phase_dashboard(args.url, args.runs),
        }[args.phase]()
        print(json.dumps(result))
        return

    server = os.environ.get("BENCH_DATABASE_URL")
    if not server:
        print("BENCH_DATABASE_URL is not set: the live-mode benchmark needs PostgreSQL", file=sys.stderr)
        sys.exit(2)
    url = _db_url(server, DB_NAME)
    marker = _marker(server)
    wanted = {"count": args.count, "seed": args.seed}
    if args.fresh or not marker or {k: marker.get(k) for k in wanted} != wanted:
        import psycopg

        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
            conn.execute(f"CREATE DATABASE {DB_NAME}")
        print(f"Loading {args.count:,} dossiers into {DB_NAME} (kept for later runs)…", flush=True)
        load = _child("--phase", "load", "--url", url, "--count", str(args.count), "--seed", args.seed)
        print(
            f"  generated in {load['generated_s']:.1f} s, imported {load['created']:,} dossiers in "
            f"{load['imported_s']:.1f} s ({load['created'] / load['imported_s']:,.0f}/s, live totals kept "
            f"during the import), peak {load['peak_mib']:,.0f} MiB"
        )
    else:
        print(
            f"Reusing {DB_NAME}: {marker['created']:,} dossiers (count {marker['count']:,}, seed {marker['seed']})"
        )

    r = _child("--phase", "rebuild", "--url", url)
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in r["stages"].items())
    print(
        f"Full rebuild of the year: {r['seconds']:.1f} s for {r['dossiers']:,} dossiers, {r['periods']} periods, "
        f"{r['rows']:,} unit×period rows ({stages}); peak {r['peak_mib']:,.0f} MiB   [aim < 60 s]"
    )
    e = _child("--phase", "events", "--url", url, "--runs", str(args.runs))
    print(
        f"Event → figure ({e['runs']} result decisions): median {e['delay_median_ms']:.1f} ms, "
        f"p95 {e['delay_p95_ms']:.1f} ms (of which reading the province figure {e['read_median_ms']:.1f} ms); "
        f"peak {e['peak_mib']:,.0f} MiB   [aim < 1 s]"
    )
    d = _child("--phase", "dashboard", "--url", url, "--runs", str(args.runs))
    print(
        f"Province dashboard ({d['what']}): median {d['median_ms']:.1f} ms, p95 {d['p95_ms']:.1f} ms, "
        f"{d['queries']} queries; peak {d['peak_mib']:,.0f} MiB   [aim < 150 ms]"
    )


if __name__ == "__main__":
    main()
