"""Live indicators at 1, 2, 5 and 10 million dossiers (issue 16, item 6). Prints figures and
writes them to bench/results/scaling.json (docs/scaling.md draws its curve from that file with
bench/scaling_chart.py); asserts nothing.

    python bench/scale.py [--scales 1,2,5,10] [--runs 40] [--base 1000000]

Data: the database ``cchc_scale`` on $BENCH_DATABASE_URL's server, made once and kept between
runs. The first million dossiers are generated and imported exactly as bench/indicators_live.py
does (the Đồng Nai tree, the demo catalogue, dossiers of the current year "as of now"). Larger
scales are *copies* of that million made inside PostgreSQL — ``INSERT … SELECT`` with the codes
suffixed ``~k`` and the ids shifted — the fastest path there is (no Python per row, foreign-key
triggers off for the copy, secondary indexes dropped and rebuilt once per step). The copies have
the same distribution over units, procedures and days as the generated million: what grows is the
volume per unit and day, which is what the aggregates feel.

At each scale, each phase in its own process (bench/indicators_live.py's phases): the full
rebuild of the year, event → figure through the service (the province figure read back and
checked to have moved), and the province dashboard page through the full Django stack.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIVE = ROOT / "bench" / "indicators_live.py"
RESULTS = ROOT / "bench" / "results" / "scaling.json"
DB_NAME = "cchc_scale"
DOSSIERS = "dossiers_dossier"
EVENTS = "dossiers_dossierevent"


def _db_url(server: str, name: str) -> str:
    return f"{server.rsplit('/', 1)[0]}/{name}"


def _phase(url: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, str(LIVE), "--url", url, *args], check=True, stdout=subprocess.PIPE, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _base_top(conn) -> int:
    """The highest id of the imported base, remembered at the first look: dossiers received later
    (the load test's desk, bench/load.py) are neither base nor copied."""
    conn.execute("CREATE TABLE IF NOT EXISTS scale_base (top bigint)")
    row = conn.execute("SELECT top FROM scale_base").fetchone()
    if row:
        return row[0]
    top = conn.execute(f"SELECT max(id) FROM {DOSSIERS} WHERE code NOT LIKE '%%~%%'").fetchone()[0]
    conn.execute("INSERT INTO scale_base VALUES (%s)", [top])
    return top


def _counts(url: str) -> tuple[int, int]:
    """(dossiers, base dossiers)."""
    with _connect(url) as conn:
        total = conn.execute(f"SELECT count(*) FROM {DOSSIERS}").fetchone()[0]
        base = conn.execute(f"SELECT count(*) FROM {DOSSIERS} WHERE id <= %s", [_base_top(conn)]).fetchone()[
            0
        ]
    return total, base


def _secondary_indexes(conn, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the indexes that back no constraint (these can be dropped and rebuilt)."""
    return conn.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.tablename = %s AND i.schemaname = 'public'
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)""",
        [table],
    ).fetchall()


def grow(url: str, copies_wanted: int) -> dict:
    """Add copies of the base million until there are ``copies_wanted`` copies besides it."""
    t0 = time.perf_counter()
    with _connect(url) as conn:
        cols = [
            r[0]
            for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
                [DOSSIERS],
            )
        ]
        ecols = [
            r[0]
            for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
                [EVENTS],
            )
        ]
        top = _base_top(conn)
        have = conn.execute(
            f"SELECT count(DISTINCT split_part(code, '~', 2)) FROM {DOSSIERS} WHERE code LIKE '%%~%%'"
        ).fetchone()[0]
        todo = list(range(have + 1, copies_wanted + 1))
        if not todo:
            return {"seconds": 0.0, "copies": 0}
        conn.execute("SET session_replication_role = replica")  # no FK triggers: copies of consistent rows
        conn.execute("SET maintenance_work_mem = '512MB'")
        dropped = _secondary_indexes(conn, DOSSIERS) + _secondary_indexes(conn, EVENTS)
        for name, _ in dropped:
            conn.execute(f'DROP INDEX IF EXISTS "{name}"')
        other = [c for c in cols if c not in ("id", "code")]
        eother = [c for c in ecols if c not in ("id", "dossier_id")]
        for k in todo:
            shift = conn.execute(f"SELECT max(id) FROM {DOSSIERS}").fetchone()[0]  # above everything
            t = time.perf_counter()
            conn.execute(
                f"INSERT INTO {DOSSIERS} (id, code, {', '.join(other)}) "
                f"SELECT id + {shift}, code || '~{k}', {', '.join(other)} FROM {DOSSIERS} WHERE id <= {top}"
            )
            conn.execute(
                f"INSERT INTO {EVENTS} (dossier_id, {', '.join(eother)}) "
                f"SELECT dossier_id + {shift}, {', '.join(eother)} FROM {EVENTS} WHERE dossier_id <= {top}"
            )
            print(f"    copy {k}: {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
        t = time.perf_counter()
        for _, definition in dropped:
            conn.execute(definition)
        print(f"    indexes rebuilt: {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{DOSSIERS}', 'id'), (SELECT max(id) FROM {DOSSIERS}))"
        )
        conn.execute(f"VACUUM ANALYZE {DOSSIERS}")
        conn.execute(f"VACUUM ANALYZE {EVENTS}")
    return {"seconds": time.perf_counter() - t0, "copies": len(todo)}


def _load_base(server: str, url: str, base: int) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    print(f"Loading the base {base:,} dossiers into {DB_NAME} (kept for later runs)…", flush=True)
    r = _phase(url, "--phase", "load", "--count", str(base), "--seed", "1")
    print(f"  imported {r['created']:,} dossiers in {r['imported_s']:.0f} s", flush=True)


def _has_base(server: str, url: str) -> bool:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)).fetchone():
            return False
    with _connect(url) as conn:
        return bool(conn.execute("SELECT to_regclass('bench_marker') IS NOT NULL").fetchone()[0])


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="1,2,5,10", help="millions of dossiers, ascending")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--base", type=int, default=1_000_000)
    args = parser.parse_args()
    server = os.environ.get("BENCH_DATABASE_URL")
    if not server:
        print("BENCH_DATABASE_URL is not set: the scaling benchmark needs PostgreSQL", file=sys.stderr)
        sys.exit(2)
    url = _db_url(server, DB_NAME)
    if not _has_base(server, url):
        _load_base(server, url, args.base)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"runs": []}
    for scale in [int(s) for s in args.scales.split(",")]:
        total, base = _counts(url)
        copies = max(0, round(scale * 1_000_000 / base) - 1)
        if total < base * (copies + 1):
            print(f"Growing to {base * (copies + 1):,} dossiers…", flush=True)
            g = grow(url, copies)
            print(f"  {g['copies']} copies in {g['seconds']:.0f} s", flush=True)
        total, _ = _counts(url)
        r = _phase(url, "--phase", "rebuild")
        e = _phase(url, "--phase", "events", "--runs", str(args.runs))
        d = _phase(url, "--phase", "dashboard", "--runs", str(args.runs))
        row = {
            "dossiers": total,
            "rebuild_s": round(r["seconds"], 2),
            "event_p95_ms": round(e["delay_p95_ms"], 1),
            "event_median_ms": round(e["delay_median_ms"], 1),
            "dashboard_p95_ms": round(d["p95_ms"], 1),
            "dashboard_median_ms": round(d["median_ms"], 1),
            "dashboard_queries": d["queries"],
            "load_average": round(os.getloadavg()[0], 1),
            "at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        }
        print(
            f"{total:>12,} dossiers: rebuild {row['rebuild_s']:.1f} s [aim < 60 s], event → figure p95 "
            f"{row['event_p95_ms']:.1f} ms [aim < 20 ms], province dashboard p95 {row['dashboard_p95_ms']:.1f} ms "
            f"[aim < 100 ms] (load average {row['load_average']})",
            flush=True,
        )
        results["runs"] = [x for x in results["runs"] if x["dossiers"] != total] + [row]
        results["runs"].sort(key=lambda x: x["dossiers"])
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
