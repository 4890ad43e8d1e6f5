"""Benchmark of the dossier import into PostgreSQL (prints figures; never a timed assertion).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/dossiers_import.py [--count 1000000] [--seed 42] [--year 2026]
        [--source file | generate] [--batch-size N] [--no-reimport] [--keep]

1. A dedicated database ``cchc_bench_dossiers`` is dropped and created on the server (never the
   server's own), migrated, and given what the dossiers refer to: the administrative units, the
   Đồng Nai agencies and the demo procedure catalogue (what `cchc demo` loads).
2. ``--source file`` (default): ``--count`` generated dossiers of Đồng Nai (docs/dossier-generator.md),
   written once to the system temp directory (keyed by count, seed and year) and reused, are
   imported with `dossiers_import` — what `cchc dossiers import` does. ``--source generate``:
   the same rows straight from the generator (`cchc dossiers generate --database`), no file.
3. The same file again (``file`` only, unless ``--no-reimport``): nothing may change.

Printed: rows and events per second, total time, the CPU time of the importing process, of its
reading child and of the PostgreSQL backend (what dominates), peak memory (``ru_maxrss``) of the
importing process and of its child, and the disk size of the tables afterwards. Each phase runs
in its own process so that its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "cchc_bench_dossiers"
PROVINCE = "P75"
TABLES = ("dossiers_dossier", "dossiers_dossierevent", "indicators_measuretotal", "core_auditentry")


def vn(n: float, digits: int = 0) -> str:
    """1.234.567,8 — Vietnamese separators."""
    return f"{n:,.{digits}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def db_url(server: str, name: str) -> str:
    return server.rsplit("/", 1)[0] + "/" + name


def fresh_database(server: str, template: str | None = None) -> str:
    """An empty database ``DB_NAME`` (or a copy of ``template``)."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}" + (f" TEMPLATE {template}" if template else ""))
    return db_url(server, DB_NAME)


def drop_database(server: str, name: str | None = None) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name or DB_NAME}")


def base_database(server: str) -> str:
    """Renamed from a freshly set-up ``DB_NAME``: each method starts from a copy (the set-up,
    migrations and catalogue, is done once)."""
    import psycopg

    base = f"{DB_NAME}_base"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {base}")
        conn.execute(f"ALTER DATABASE {DB_NAME} RENAME TO {base}")
    return base


def setup_django(url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"  # CCHC_DATA_DIR set by main
    os.environ["DATABASE_URL"] = "" if url == "sqlite" else url  # "": the embedded SQLite
    import django

    django.setup()


def cpu(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def backend_cpu() -> float | None:
    """CPU seconds of this connection's server process (when the server runs on this machine)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- phases (each in its own process) ------------------------------------------------------------------


def phase_setup(url: str) -> dict:
    setup_django(url)

    from django.core.management import call_command

    from cchc.core.actors import SYSTEM
    from cchc.orgs.models import Unit
    from cchc.orgs.services import province_agencies_create, units_load_administrative
    from cchc.procedures.demo import load_demo_catalogue

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    units_load_administrative(actor=SYSTEM)
    province = Unit.objects.get(code=PROVINCE)
    province_agencies_create(actor=SYSTEM, province=province)
    procedures = load_demo_catalogue(province=province, actor=SYSTEM)
    return {"seconds": time.perf_counter() - t0, "units": Unit.objects.count(), "procedures": procedures}


METHODS = {
    "rows": "trước: sự kiện tạo bằng Python, COPY từng lô (staged=False)",
    "staged": "sau: bảng tạm + INSERT … SELECT, từng lô một giao dịch (bulk=False)",
    "auto": "sau: như trên, tự chọn nạp khối khi tệp lớn so với bảng (mặc định)",
}


def phase_import(
    url: str, source: str, count: int, seed: str, year: int, path: str, batch_size: int, method: str = "auto"
) -> dict:
    setup_django(url)

    from django.db import connection

    from cchc.core.actors import SYSTEM
    from cchc.dossiers.imports import BATCH_SIZE, dossiers_generate, dossiers_import
    from cchc.exchange.generate import province_units

    batch_size = batch_size or BATCH_SIZE

    last = [time.perf_counter()]
    started = time.perf_counter()

    def progress(lines: int) -> None:
        if time.perf_counter() - last[0] >= 30:
            last[0] = time.perf_counter()
            rate = lines / (last[0] - started)
            print(f"    … {vn(lines)} dòng ({vn(rate)} dòng/giây)", file=sys.stderr, flush=True)

    server_before = backend_cpu()
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    options: dict = {}
    if method == "rows":
        options = {"staged": False}
    elif method == "staged":
        options = {"bulk": False}
    bulk = None
    if source == "file" and connection.vendor == "postgresql" and method == "auto":
        from cchc.dossiers.imports.run import _count_lines
        from cchc.dossiers.imports.staged import bulk_wanted

        bulk = bulk_wanted(connection, _count_lines(path))
    if source == "file":
        report = dossiers_import(actor=SYSTEM, path=path, batch_size=batch_size, progress=progress, **options)
    else:
        report = dossiers_generate(
            actor=SYSTEM,
            count=count,
            seed=seed,
            units=province_units(PROVINCE),
            year=year,
            batch_size=batch_size,
            progress=progress,
            **({"staged": False} if method == "rows" else {}),
        )
    seconds = time.perf_counter() - t0
    me2, kids2 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    server_after = backend_cpu()
    sizes = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in TABLES:
                cursor.execute("SELECT pg_total_relation_size(%s), pg_relation_size(%s)", [table, table])
                sizes[table] = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        stored = cursor.fetchone()[0]
    return {
        "seconds": seconds,
        "method": method,
        "bulk": bulk,
        "batch_size": batch_size,
        "created": report.created,
        "unchanged": report.unchanged,
        "bad": len(report.bad),
        "events": report.events,
        "verified": report.verified,
        "lines": report.lines,
        "stored": stored,
        "cpu_parent": cpu(me2) - cpu(me),
        "cpu_child": cpu(kids2) - cpu(kids),
        "cpu_server": None if server_before is None else server_after - server_before,
        "peak_parent_mib": me2.ru_maxrss / 1024,
        "peak_child_mib": kids2.ru_maxrss / 1024,
        "sizes": sizes,
    }


def phase_floor(url: str) -> dict:
    """The baseline of the same run: the dossiers and events just stored, copied out as binary COPY
    data and loaded again by binary COPY into tables of the same columns with no index, no key
    and no trigger — what the server needs merely to take the rows, with nothing computed."""
    setup_django(url)
    from django.db import connection, transaction

    out = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("dossiers_dossier", "dossiers_dossierevent"):
            cursor.execute(f"CREATE TEMP TABLE floor_{table} (LIKE {table} INCLUDING DEFAULTS)")
            with tempfile.TemporaryFile() as spool:
                with cursor.copy(f"COPY {table} TO STDOUT (FORMAT BINARY)") as copy:
                    for data in copy:
                        spool.write(data)
                spool.seek(0)
                before = backend_cpu()
                t0 = time.perf_counter()
                with cursor.copy(f"COPY floor_{table} FROM STDIN (FORMAT BINARY)") as copy:
                    while data := spool.read(1 << 20):
                        copy.write(data)
                out[table] = (time.perf_counter() - t0, (backend_cpu() or 0) - (before or 0))
        cursor.execute("SELECT count(*) FROM floor_dossiers_dossier")
        out["rows"] = cursor.fetchone()[0]
        transaction.set_rollback(True)
    return out


def run_phase(*args: str) -> dict:
    """This script with ``--phase``, in a child process; its last stdout line is JSON."""
    proc = subprocess.run(
        [sys.executable, __file__, "--phase", *args], cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"phase {args[0]} failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- the report ------------------------------------------------------------------------------------------


def mib(n: int) -> str:
    return f"{vn(n / 2**20)} MiB"


def print_import(label: str, r: dict) -> None:
    s = r["seconds"]
    how = (
        "cả lần nhập một giao dịch, bỏ rồi dựng lại chỉ mục phụ và khóa ngoại"
        if r.get("bulk")
        else "mỗi lô một giao dịch"
    )
    print(f"\n## {label} (lô {vn(r['batch_size'])} dòng, {how})")
    print(
        f"{vn(r['lines'])} dòng trong {vn(s, 1)} giây: {vn(r['created'])} hồ sơ mới, {vn(r['unchanged'])} đã có, "
        f"{vn(r['bad'])} dòng lỗi; {vn(r['events'])} sự kiện; {vn(r['verified'])} dòng đối chiếu với cách tính chuẩn"
    )
    print(f"  dòng/giây:     {vn(r['lines'] / s)}")
    if r["created"]:
        print(f"  hồ sơ/giây:    {vn(r['created'] / s)}")
        print(f"  sự kiện/giây:  {vn(r['events'] / s)}")
    per_row = 1e6 / max(r["lines"], 1)
    server = (
        ""  # SQLite runs inside the importing process
        if r["cpu_server"] is None
        else f", máy chủ PostgreSQL {vn(r['cpu_server'], 1)} s ({vn(r['cpu_server'] * per_row)} µs/dòng)"
    )
    print(
        f"  CPU: tiến trình nhập {vn(r['cpu_parent'], 1)} s ({vn(r['cpu_parent'] * per_row)} µs/dòng), "
        f"tiến trình đọc {vn(r['cpu_child'], 1)} s ({vn(r['cpu_child'] * per_row)} µs/dòng){server}"
    )
    print(
        f"  bộ nhớ đỉnh: tiến trình nhập {vn(r['peak_parent_mib'])} MiB, tiến trình đọc {vn(r['peak_child_mib'])} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Đo tốc độ nhập hồ sơ vào PostgreSQL.")
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", default="42")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--source", choices=("file", "generate"), default="file")
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--no-reimport", action="store_true")
    parser.add_argument("--keep", action="store_true", help=f"giữ lại CSDL {DB_NAME} sau khi đo")
    parser.add_argument(
        "--sqlite", action="store_true", help="nhập vào SQLite nhúng (CSDL mới) thay cho PostgreSQL"
    )
    parser.add_argument(
        "--methods",
        default="rows,auto",
        help="các cách nhập đo lần lượt, mỗi cách một CSDL mới, cùng tệp: "
        + "; ".join(f"{k} = {v}" for k, v in METHODS.items())
        + " (mặc định rows,auto: trước và sau trong cùng lượt; SQLite chỉ đo một cách)",
    )
    parser.add_argument("--database-name", default=DB_NAME, help="tên CSDL đo (bị xóa và tạo lại)")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    globals()["DB_NAME"] = args.database_name

    if args.phase:
        name, *rest = args.phase
        if name == "setup":
            out = phase_setup(rest[0])
        elif name == "floor":
            out = phase_floor(rest[0])
        else:
            url, source, count, seed, year, path, batch, method = rest
            out = phase_import(url, source, int(count), seed, int(year), path, int(batch), method)
        print(json.dumps(out))
        return

    server = "sqlite" if args.sqlite else os.environ.get("BENCH_DATABASE_URL")
    if not server:
        raise SystemExit(
            "Cần BENCH_DATABASE_URL (máy chủ PostgreSQL), ví dụ: "
            "BENCH_DATABASE_URL=$(PYTHON=.venv/bin/python scripts/ensure-postgres.sh) .venv/bin/python bench/dossiers_import.py"
        )
    batch = args.batch_size or 0  # 0: the import's default
    print(
        f"# Nhập hồ sơ vào {'SQLite' if args.sqlite else 'PostgreSQL'}: {vn(args.count)} hồ sơ (seed {args.seed}, năm {args.year}), "
        f"nguồn: {'tệp CSV' if args.source == 'file' else 'bộ sinh, không qua tệp'}"
    )
    path = Path(tempfile.gettempdir()) / f"cchc-bench-dossiers-{args.count}-{args.seed}-{args.year}.csv"
    if args.source == "file":
        t0 = time.perf_counter()
        if not path.exists():
            from cchc.exchange.generate import generate_files

            partial = path.with_suffix(".part")
            generate_files(
                count=args.count, seed=args.seed, out=str(partial), province=PROVINCE, year=args.year
            )
            partial.rename(path)
            print(
                f"tệp sinh mới: {path} ({mib(path.stat().st_size)}) trong {vn(time.perf_counter() - t0, 1)} giây"
            )
        else:
            print(f"tệp có sẵn: {path} ({mib(path.stat().st_size)})")

    methods = ["auto"] if args.sqlite else [m for m in args.methods.split(",") if m]
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise SystemExit(f"cách nhập không có: {', '.join(unknown)} (có: {', '.join(METHODS)})")
    common = (args.source, str(args.count), str(args.seed), str(args.year), str(path), str(batch))
    results: dict[str, dict] = {}
    data = tempfile.mkdtemp(prefix="cchc-bench-import-")  # the settings' data directory (secret key)
    os.environ["CCHC_DATA_DIR"] = data
    try:
        base = None
        if not args.sqlite and len(methods) > 1:
            ready = run_phase("setup", fresh_database(server))
            base = base_database(server)
        for i, method in enumerate(methods):
            last = i == len(methods) - 1
            if args.sqlite:
                url = "sqlite"
                ready = run_phase("setup", url)
            elif base:
                url = fresh_database(server, template=base)
            else:
                url = fresh_database(server)
                ready = run_phase("setup", url)
            print(
                f"\n# Cách «{method}»: {METHODS[method]}\nCSDL {DB_NAME} mới: {vn(ready['units'])} đơn vị, "
                f"{vn(ready['procedures'])} thủ tục (chuẩn bị {vn(ready['seconds'], 1)} giây)"
            )
            first = results[method] = run_phase("import", url, *common, method)
            print_import(f"Lần nhập đầu, cách «{method}»", first)
            if not last:
                continue
            if first["sizes"]:
                print("\n## Dung lượng sau khi nhập (bảng + chỉ mục)")
                for table, (total, heap) in first["sizes"].items():
                    print(f"  {table:28} {mib(total):>14} (dữ liệu {mib(heap)})")
                total = sum(t for t, _ in first["sizes"].values())
                print(f"  {'tổng':28} {mib(total):>14}; {vn(total / max(first['stored'], 1))} byte mỗi hồ sơ")
                floor = run_phase("floor", url)
                seconds = sum(s for s, _ in (floor["dossiers_dossier"], floor["dossiers_dossierevent"]))
                server_cpu = sum(c for _, c in (floor["dossiers_dossier"], floor["dossiers_dossierevent"]))
                print(
                    "\n## Mốc so sánh cùng lượt: chỉ nạp lại đúng các dòng đó (COPY nhị phân, bảng không chỉ mục, "
                    "không khóa ngoại, không tính gì)"
                )
                print(
                    f"  {vn(floor['rows'])} hồ sơ + sự kiện trong {vn(seconds, 1)} giây: {vn(floor['rows'] / seconds)} hồ sơ/giây "
                    f"(máy chủ {vn(server_cpu * 1e6 / max(floor['rows'], 1))} µs/hồ sơ)"
                )
                for name, r in results.items():
                    print(
                        f"  «{name}» / mốc: {vn(r['seconds'] / seconds, 2)}× thời gian "
                        f"({vn(r['created'] / r['seconds'])} hồ sơ/giây)"
                    )
            if not args.no_reimport:
                again = run_phase("import", url, *common, method)
                print_import(f"Nhập lại cùng nguồn, cách «{method}» (không được thay đổi gì)", again)
                changed = again["created"] != 0 or again["stored"] != first["stored"]
                print(f"  thay đổi: {'CÓ — lỗi!' if changed else 'không'}")
        if len(results) > 1:
            print("\n## Trước / sau, cùng tệp, cùng lượt")
            base = next(iter(results.values()))
            for name, r in results.items():
                print(
                    f"  «{name}»: {vn(r['lines'] / r['seconds'])} dòng/giây, "
                    f"{vn(r['created'] / r['seconds'])} hồ sơ/giây, {vn(r['seconds'], 1)} giây "
                    f"({vn(base['seconds'] / r['seconds'], 2)}× nhanh hơn «{next(iter(results))}»)"
                )
    finally:
        shutil.rmtree(data, ignore_errors=True)
        if not args.keep and not args.sqlite:
            drop_database(server)
        if not args.sqlite and len(methods) > 1:
            drop_database(server, f"{DB_NAME}_base")


if __name__ == "__main__":
    main()
