"""Benchmark of the one-stop desk's pages (prints figures; never a timed assertion).

    .venv/bin/python bench/desk.py [--dossiers 200000] [--runs 40] [--seed 42]
        [--sqlite-only | --postgres-only]

A database holding ``--dossiers`` generated dossiers of Đồng Nai (imported as they stand now —
docs/dossier-generator.md — then given applicants' names and ID numbers in one UPDATE, since
the exchange format carries none), plus a few dossiers received at the desk through the service
with their checklist of components, half of them paid. Through the full Django stack (test
`Client`: middleware, session, selectors, templates), ``--runs`` requests each, median and p95
and the queries per request:

* the desk queue (/ho-so/) of a commune's desk officer, and of the province's coordinator
  (every dossier of the province in scope), its first page and a far page;
* the dossier page (/ho-so/<code>/) of a dossier received at the desk (components, payment) and
  of an imported one; the receipt slip with its QR code;
* the staff search by the applicant's name (accents ignored) and by ID number, as the coordinator.

On the embedded SQLite (a fresh data directory) and on PostgreSQL when BENCH_DATABASE_URL is set
(a dedicated database ``cchc_bench_desk``, dropped afterwards); each engine in its own process.
Under shared load the absolute figures are noisy: read them against each other (the list against
the detail page, the commune against the province).
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
sys.path.insert(0, str(Path(__file__).resolve().parent))
from dossier_receipt import dossiers_file, percentile, vn  # noqa: E402

DB_NAME = os.environ.get("BENCH_DESK_DB", "cchc_bench_desk")  # one per engineer on a shared server
PROVINCE = "P75"
SURNAMES = ["nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang"]
MIDDLE = ["van", "thi", "minh", "thanh", "ngoc", "duc", "hoang", "quoc"]
GIVEN = ["an", "binh", "chau", "dung", "giang", "ha", "hai", "hoa", "hung", "khanh",
         "lan", "linh", "long", "mai", "nam", "phuc", "quang", "son", "thao", "tuan"]  # fmt: skip


def _case(expr: str, words: list[str]) -> str:
    return "CASE " + expr + " " + " ".join(f"WHEN {i} THEN '{w}'" for i, w in enumerate(words)) + " END"


def name_applicants(connection) -> None:
    """Names and ID numbers for the imported dossiers, in one statement per engine."""
    from cchc.dossiers.models import Dossier

    table = connection.ops.quote_name(Dossier._meta.db_table)
    folded = (
        f"' ' || {_case('id % 10', SURNAMES)} || ' ' || {_case('(id / 10) % 8', MIDDLE)} || ' ' || "
        f"{_case('(id / 80) % 20', GIVEN)}"
    )
    id_number = (
        "lpad(CAST(id AS TEXT), 12, '0')"
        if connection.vendor == "postgresql"
        else "substr('000000000000' || id, -12, 12)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET applicant_search = {folded}, applicant_id_number = {id_number} "
            "WHERE applicant_search = ''"
        )


def engine_main(database_url: str, count: int, seed: str, runs: int) -> dict:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"  # CCHC_DATA_DIR set by run_engine
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, F
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from cchc.core.actors import SYSTEM
    from cchc.dossiers import services
    from cchc.dossiers.imports import dossiers_import
    from cchc.dossiers.models import Dossier
    from cchc.dossiers.personal import Applicant
    from cchc.orgs.models import Role, Unit, UnitKind, User
    from cchc.orgs.services import province_agencies_create, units_load_administrative, user_create
    from cchc.procedures.demo import load_demo_catalogue
    from cchc.procedures.models import Level
    from cchc.procedures.selectors import procedures_for_unit

    setup_test_environment()
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)  # as `cchc serve` does
    imported, created = 0.0, 0
    if not Dossier.objects.exists():  # else a kept database (BENCH_DESK_KEEP=1), loaded before
        units_load_administrative(actor=SYSTEM)
        province_agencies_create(actor=SYSTEM, province=Unit.objects.get(code=PROVINCE))
        load_demo_catalogue(province=Unit.objects.get(code=PROVINCE), actor=SYSTEM)
        now = timezone.now()
        t0 = time.perf_counter()
        report = dossiers_import(actor=SYSTEM, path=dossiers_file(count, seed, now.year), as_of_time=now)
        imported, created = time.perf_counter() - t0, report.created
        name_applicants(connection)
    province = Unit.objects.get(code=PROVINCE)
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
    offered = procedures_for_unit(commune).filter(
        level=Level.COMMUNE, processing_time__isnull=False, fee_amount__gt=0
    )
    procedure = (
        offered.order_by("code").first()
        or procedures_for_unit(commune)
        .filter(level=Level.COMMUNE, processing_time__isnull=False)
        .order_by("code")
        .first()
    )
    User.objects.filter(username__in=["bench-desk", "bench-coordinator"]).update(username=F("id"))  # kept db
    officer = user_create(actor=SYSTEM, username="bench-desk", password=None, roles=[(commune, Role.OFFICER)])
    coordinator = user_create(
        actor=SYSTEM, username="bench-coordinator", password=None, roles=[(province, Role.COORDINATOR)]
    )
    received = []
    for i in range(20):
        d = services.dossier_receive(
            actor=officer,
            procedure=procedure,
            handling_unit=commune,
            receiving_unit=commune,
            channel="truc_tiep",
            applicant=Applicant(
                name=f"Nguyễn Thị Thử {i}",
                id_number=f"{79_100_000_000 + i:012d}",
                phone=f"0912{i:06d}",
            ),
            components=[services.ReceivedItem(c) for c in procedure.components.all()],
        )
        if i % 2 and d.fee_due:
            services.payment_record_at_desk(actor=officer, dossier=d)
        received.append(d)
    imported_one = (
        Dossier.objects.filter(handling_unit=commune, created_by__isnull=True).order_by("-id").first()
    )

    desk, coord = Client(SERVER_NAME="localhost"), Client(SERVER_NAME="localhost")
    desk.force_login(officer)
    coord.force_login(coordinator)
    commune_total = Dossier.objects.filter(handling_unit=commune).count()

    def far(user, page: int) -> str:
        """The queue's page `page` (of 25): by keyset where the queue has it (the link a person
        reaches by "Trang sau", built here from the dossier before it), else by number."""
        try:
            from cchc.dossiers.paging import Key
        except ImportError:  # before keyset pages
            return f"/ho-so/?trang={page}"
        from cchc.dossiers.selectors import dossier_list

        before = dossier_list(user=user)[(page - 1) * 25 - 1]
        return f"/ho-so/?sau={Key.of(before).token}"

    pages = [
        ("mốc so sánh: trang tìm kiếm chưa nhập gì", desk, "/ho-so/tim-theo-nguoi-nop/"),
        ("hàng đợi của một cửa xã, trang 1", desk, "/ho-so/"),
        ("hàng đợi của một cửa xã, trang 40", desk, far(officer, 40)),
        ("hàng đợi của điều phối tỉnh, trang 1", coord, "/ho-so/"),
        ("hàng đợi của điều phối tỉnh, trang 400", coord, far(coordinator, 400)),
        ("hàng đợi lọc đang giải quyết, quá hạn (tỉnh)", coord, "/ho-so/?han=qua_han"),
        ("tìm theo mã hồ sơ (tỉnh)", coord, f"/ho-so/?q={imported_one.code}"),
        ("trang hồ sơ tiếp nhận tại quầy", desk, f"/ho-so/{received[1].code}/"),
        ("trang hồ sơ nhập từ tệp", desk, f"/ho-so/{imported_one.code}/"),
        ("giấy hẹn có mã QR", desk, f"/ho-so/{received[1].code}/giay-hen/"),
        ("tìm theo họ tên không dấu (tỉnh)", coord, "/ho-so/tim-theo-nguoi-nop/?ten=tran+thi+lan"),
        ("tìm theo số định danh (tỉnh)", coord, f"/ho-so/tim-theo-nguoi-nop/?so_dinh_danh={imported_one.applicant_id_number}"),
    ]  # fmt: skip
    out = []
    for label, client, url in pages:
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
        out.append({"label": label, "url": url, "times": times, "queries": len(ctx.captured_queries)})
    return {
        "engine": connection.vendor,
        "imported": created,
        "import_seconds": imported,
        "stored": Dossier.objects.count(),
        "commune": f"{commune.code} {commune.name} ({vn(commune_total)} hồ sơ)",
        "procedure": f"{procedure.code} {procedure.name[:60]}",
        "pages": out,
    }


def run_engine(database_url: str, args) -> dict:
    """One engine in a child process, in a fresh data directory (SQLite's file) removed afterwards."""
    data = tempfile.mkdtemp(prefix="cchc-bench-desk-")
    try:
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--engine",
                database_url,
                str(args.dossiers),
                args.seed,
                str(args.runs),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            check=False,
            env={**os.environ, "CCHC_DATA_DIR": data},
        )
    finally:
        shutil.rmtree(data, ignore_errors=True)
    if proc.returncode != 0:
        raise SystemExit(f"engine {database_url or 'sqlite'} failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def show(r: dict) -> None:
    print(
        f"\n## {r['engine']}: {vn(r['stored'])} hồ sơ trong CSDL "
        f"({vn(r['imported'])} nhập trong {vn(r['import_seconds'], 1)} giây)"
    )
    print(f"một cửa {r['commune']}; thủ tục {r['procedure']}")
    for p in r["pages"]:
        t = p["times"]
        print(
            f"  {p['label']:<46} trung vị {vn(statistics.median(t), 1):>7} ms, "
            f"p95 {vn(percentile(t, 95), 1):>7} ms; {p['queries']} truy vấn  {p['url'][:60]}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description="Đo trang hồ sơ, hàng đợi một cửa và tìm kiếm.")
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--seed", default="42")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--sqlite-only", action="store_true")
    group.add_argument("--postgres-only", action="store_true")
    parser.add_argument("--engine", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        url, count, seed, runs = args.engine
        print(json.dumps(engine_main(url, int(count), seed, int(runs))))
        return
    print(
        f"# Trang một cửa với {vn(args.dossiers)} hồ sơ; {args.runs} lượt mỗi trang (máy dùng chung: so sánh tương đối)"
    )
    if not args.postgres_only:
        show(run_engine("", args))
    server = os.environ.get("BENCH_DATABASE_URL")
    if server and not args.sqlite_only:
        import psycopg

        keep = os.environ.get("BENCH_DESK_KEEP") == "1"  # keep the loaded database for the next run
        with psycopg.connect(server, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
            if not (keep and exists):
                conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {DB_NAME}")
        try:
            show(run_engine(server.rsplit("/", 1)[0] + f"/{DB_NAME}", args))
        finally:
            if not keep:
                with psycopg.connect(server, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    main()
