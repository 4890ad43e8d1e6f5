"""Load test (issue 16, item 5): gunicorn + PostgreSQL holding the scale database (bench/scale.py,
``cchc_scale``), driven by locust headless on the loopback (bench/locustfile.py: officers on the
dashboard, tasks and dossier list; the desk receiving dossiers; citizens on the lookup and the
public catalogue). Steps of growing numbers of users, each bounded in time; prints per step the
requests/s, p95, errors, the slowest request and who used the CPU (the application's workers or
the database's backends). Reports the most users held at p95 < 500 ms with no error.

    python bench/load.py [--steps 5,10,20,40] [--seconds 60] [--workers 4]

$BENCH_DATABASE_URL names the server (make bench sets it); the shared cache is Redis at
$CACHE_URL (default redis://127.0.0.1:6379/15), as in production. Asserts nothing.
"""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = "cchc_scale"
PORT = 8765
RESULTS = ROOT / "bench" / "results" / "load.json"
SECRET = "load-test-" + "x" * 50


def _db_url(server: str) -> str:
    return f"{server.rsplit('/', 1)[0]}/{DB_NAME}"


def prepare(url: str, out: Path) -> dict:
    """Accounts, their sessions, lookups and procedures for the locust mix (in cchc_scale)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from cchc.core.actors import SYSTEM
    from cchc.dossiers.models import Dossier
    from cchc.orgs.models import Role, Unit, UnitKind, User
    from cchc.orgs.services import user_create
    from cchc.procedures.models import Procedure

    call_command("collectstatic", verbosity=0, interactive=False)  # the pages need the manifest
    province = Unit.objects.get(code="P75")
    with connection.cursor() as cursor:  # the busiest commune desk (from the stored totals)
        cursor.execute(
            "SELECT d.receiving_unit_id, d.procedure_id, d.handling_unit_id FROM dossiers_dossier d "
            "JOIN orgs_unit u ON u.id = d.receiving_unit_id WHERE u.kind = %s AND d.id < 200000 "
            "GROUP BY 1, 2, 3 ORDER BY count(*) DESC LIMIT 1",
            [UnitKind.COMMUNE],
        )
        desk_id, procedure_id, handling_id = cursor.fetchone()
    commune = Unit.objects.get(pk=desk_id)

    def account(name: str, unit: Unit, role: str) -> User:
        return User.objects.filter(username=name).first() or user_create(
            actor=SYSTEM, username=name, password=None, roles=[(unit, role)]
        )

    def session(user: User) -> str:
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        return client.cookies["sessionid"].value

    coordinator = account("load-coordinator", province, Role.COORDINATOR)
    officer = account("load-officer", commune, Role.OFFICER)
    desk = account("load-desk", commune, Role.OFFICER)
    form = {
        "receiving_unit": str(desk_id),
        "procedure": str(procedure_id),
        "handling_unit": str(handling_id),
        "channel": "truc_tiep",
        "applicant_kind": "citizen",
        "applicant_email": "",
        "applicant_address": "Khu phố 1",
        "outcome": "complete",
    }
    # the form must be accepted (else every desk request would count as an error)
    client = Client(SERVER_NAME="localhost")
    client.force_login(desk)
    probe = client.post(
        "/ho-so/tiep-nhan/",
        {
            **form,
            "applicant_name": "Thử Tải",
            "applicant_id_number": "012345678901",
            "applicant_phone": "0912345678",
        },
    )
    if probe.status_code != 302:
        import re

        errors = re.findall(r'class="[^"]*(?:error|errorlist)[^"]*"[^>]*>(.*?)<', probe.content.decode())
        raise SystemExit(f"the desk's receipt form was refused ({probe.status_code}): {errors}")
    top = Dossier.objects.order_by("-id").values_list("id", flat=True).first() or 0
    rng = random.Random(1)
    ids = [rng.randrange(1, top + 1) for _ in range(3000)]
    with connection.cursor() as cursor:  # imported dossiers carry no personal data: give these a phone
        cursor.execute(
            "UPDATE dossiers_dossier SET applicant_phone = '09' || lpad((id %% 100000000)::text, 8, '0') "
            "WHERE id = ANY(%s) AND applicant_phone = ''",
            [ids],
        )
    lookups = [
        (code, phone[-4:])
        for code, phone in Dossier.objects.filter(id__in=ids).values_list("code", "applicant_phone")
        if len(phone) >= 4
    ]
    candidates = (
        Procedure.objects.filter(valid_to__isnull=True).order_by("?").values_list("id", flat=True)[:60]
    )
    public = Client(SERVER_NAME="localhost")
    procedures = [pk for pk in candidates if public.get(f"/cong-khai/thu-tuc/{pk}/").status_code == 200][:20]
    config = {
        "officers": [{"session": session(coordinator)}, {"session": session(officer)}],
        "desk": {"session": session(desk), "form": form},
        "lookups": lookups,
        "procedures": procedures,
        "dossiers": Dossier.objects.count(),
    }
    out.write_text(json.dumps(config))
    return {"dossiers": config["dossiers"], "lookups": len(lookups), "procedures": len(procedures)}


# --- CPU use by process group (from /proc) ----------------------------------------------------------


def _ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
        except (FileNotFoundError, IndexError, ProcessLookupError):
            pass
    return total


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _db_backends(server: str) -> list[int]:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        return [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [DB_NAME])]


def run_step(users: int, seconds: int, config: Path, server: str, gunicorn_pid: int) -> dict:
    prefix = Path(tempfile.mkdtemp(prefix="cchc-load-")) / "step"
    env = {**os.environ, "CCHC_LOAD_CONFIG": str(config)}
    workers = _children(gunicorn_pid)
    before_app, before_db = _ticks(workers), _ticks(_db_backends(server))
    t0 = time.monotonic()
    subprocess.run(
        [
            str(Path(sys.executable).with_name("locust")),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--host",
            f"http://127.0.0.1:{PORT}",
            "-u",
            str(users),
            "-r",
            str(max(1, users // 5)),
            "-t",
            f"{seconds}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "ERROR",
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=seconds + 120,
    )
    wall = time.monotonic() - t0
    hz = os.sysconf("SC_CLK_TCK")
    app_cpu = (_ticks(workers) - before_app) / hz
    db_cpu = (_ticks(_db_backends(server)) - before_db) / hz
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    named = [r for r in rows if r["Name"] != "Aggregated" and int(r["Request Count"])]
    slowest = max(named, key=lambda r: float(r["95%"]))
    return {
        "users": users,
        "requests": int(total["Request Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "p95_ms": float(total["95%"]),
        "median_ms": float(total["50%"]),
        "errors": int(total["Failure Count"]),
        "slowest": slowest["Name"],
        "slowest_p95_ms": float(slowest["95%"]),
        "per_request": {r["Name"]: {"p95_ms": float(r["95%"]), "n": int(r["Request Count"])} for r in named},
        "app_cpu_s": round(app_cpu, 1),
        "db_cpu_s": round(db_cpu, 1),
        "wall_s": round(wall, 1),
        "load_average": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", default="5,10,20,40")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--label", default="")
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--url")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.prepare_only:
        print(json.dumps(prepare(args.url, Path(args.out))))
        return
    server = os.environ.get("BENCH_DATABASE_URL")
    if not server:
        print("BENCH_DATABASE_URL is not set: the load test needs PostgreSQL", file=sys.stderr)
        sys.exit(2)
    url = _db_url(server)
    workdir = Path(tempfile.mkdtemp(prefix="cchc-load-"))
    config = workdir / "config.json"
    info = json.loads(
        subprocess.run(
            [sys.executable, __file__, "--prepare-only", "--url", url, "--out", str(config)],
            env={**os.environ, "SECRET_KEY": SECRET},  # the server's key, or the sessions are void
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    print(f"Load test on {info['dossiers']:,} dossiers; gunicorn {args.workers} workers on 127.0.0.1:{PORT}")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/15"),
        # production refuses to start without its job queue (docs/operations.md)
        "JOBS_URL": os.environ.get("JOBS_URL", "redis://127.0.0.1:6379/14"),
        "CCHC_DATA_DIR": str(workdir),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    server_proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cchc.cli",
            "serve",
            "--no-migrate",
            "--port",
            str(PORT),
            "--workers",
            str(args.workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "gunicorn.err", "w"),
        start_new_session=True,
    )
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/cong-khai/", timeout=5)
                break
            except OSError:
                if server_proc.poll() is not None:  # the server stopped: say why, measure nothing
                    err = (workdir / "gunicorn.err").read_text(errors="replace").strip().splitlines()
                    raise SystemExit(
                        f"the server did not start: {err[-1] if err else server_proc.returncode}"
                    ) from None
                time.sleep(0.5)
        gunicorn_pid = server_proc.pid  # `cchc serve` is the gunicorn master; workers are its children
        steps = []
        for users in [int(u) for u in args.steps.split(",")]:
            s = run_step(users, args.seconds, config, server, gunicorn_pid)
            steps.append(s)
            held = s["p95_ms"] < 500 and s["errors"] == 0
            print(
                f"  {users:>4} users: {s['rps']:6.1f} req/s, p95 {s['p95_ms']:6.0f} ms, median {s['median_ms']:5.0f} ms, "
                f"{s['errors']} errors; slowest {s['slowest']} p95 {s['slowest_p95_ms']:.0f} ms; CPU app {s['app_cpu_s']} s "
                f"/ database {s['db_cpu_s']} s in {s['wall_s']} s (load average {s['load_average']})"
                f"{'' if held else '   ← not held'}",
                flush=True,
            )
        held_users = max([s["users"] for s in steps if s["p95_ms"] < 500 and s["errors"] == 0], default=0)
        print(f"Users held at p95 < 500 ms with 0 errors: {held_users}")
        results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        results[args.label or f"{info['dossiers']}"] = {
            "dossiers": info["dossiers"],
            "workers": args.workers,
            "seconds": args.seconds,
            "held_users": held_users,
            "steps": steps,
        }
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    finally:
        os.killpg(server_proc.pid, signal.SIGTERM)
        server_proc.wait(timeout=30)


if __name__ == "__main__":
    main()
