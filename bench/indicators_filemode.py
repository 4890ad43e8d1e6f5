"""Benchmark of the file mode of the dossier indicators (prints figures; never a timed assertion).

    .venv/bin/python bench/indicators_filemode.py [--rows 5000000] [--seed 42] [--repeat 2]

1. The generator: Đồng Nai (P75: the province, its agencies and its 95 communes), ``--rows``
   dossiers of 2026, written once to a cache directory under /tmp and reused afterwards; its
   throughput is measured on every run (on a 1,000,000-row sample when the file is cached).
2. ``cchc indicators compute`` for the year and its four quarters (every unit × 5 periods × 13
   indicators, full validation of every row, roll-up), in a child process, twice: *before* (every
   row through the full rules with their reasons, ``compute_file(fast_pass=False)``, what the
   command did until issue 16) and *after* (the fast pass, the full pass only when a row needs it).
3. Side by side, in child processes too, two plain DuckDB queries over the same CSV (types sniffed
   by DuckDB, no validation, no roll-up): the historical baseline, ``dung_han`` only, and the fair
   one, every measure of the 13 indicators per unit and period with every column of the format
   parsed — the same figures from the same columns.

For each side: wall time (best and median of ``--repeat`` runs, alternating) and the peak memory of
the child process (``ru_maxrss`` from ``os.wait4``), then the ratios of the best times; the two
file-mode results are compared byte for byte.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PERIODS = ["2026", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]

FILEMODE_CHILD = """
import json, sys, time
t0 = time.perf_counter()
from cchc.indicators.filemode import compute_file, write_result
from cchc.core.periods import parse_calendar_periods
periods = parse_calendar_periods(sys.argv[5:])
result = compute_file(sys.argv[1], sys.argv[2], periods, fast_pass=sys.argv[4] == "fast")
with open(sys.argv[3], "w", encoding="utf-8", newline="") as fh:
    write_result(fh, result.rows)
print(json.dumps({"seconds": time.perf_counter() - t0, "stages": result.stages, "valid": result.valid,
                  "bad": len(result.bad), "rows": len(result.rows)}))
"""

PLAIN_CHILD = """
import json, sys, time
t0 = time.perf_counter()
import duckdb
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
periods = ", ".join(
    f"({i}, TIMESTAMP '{a}', TIMESTAMP '{b}')" for i, (a, b) in enumerate(json.loads(sys.argv[2]))
)
rows = con.execute(f'''
WITH p(pid, a, b) AS (VALUES {periods})
SELECT ma_don_vi, pid,
  count(*) FILTER (WHERE so_lan_bo_sung <= 1
    AND (CASE WHEN ket_thuc_luc < b THEN ket_thuc_luc ELSE b END)
        - to_microseconds(CAST(tam_dung_gio * 3600000000 AS BIGINT)) <= han_tra) AS dung_han,
  count(*) AS xu_ly
FROM read_csv('{sys.argv[1]}', header = true) d
JOIN p ON (d.tiep_nhan_luc >= p.a AND d.tiep_nhan_luc < p.b) OR (d.ket_thuc_luc >= p.a AND d.ket_thuc_luc < p.b)
GROUP BY ALL''').fetchall()
print(json.dumps({"seconds": time.perf_counter() - t0, "rows": len(rows)}))
"""


# The fair baseline: the same figures (every measure of `definitions.MEASURES` per unit × period)
# from one plain query over the same CSV with DuckDB's typed reader — every column of the format
# is parsed (the four no indicator uses are counted, so that they are), nothing is checked,
# nothing is rolled up.
FAIR_CHILD = """
import json, sys, time
t0 = time.perf_counter()
import duckdb
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
periods = ", ".join(
    f"({i}, TIMESTAMP '{a}', TIMESTAMP '{b}')" for i, (a, b) in enumerate(json.loads(sys.argv[2]))
)
rows = con.execute(f'''
WITH p(pid, a, b) AS (VALUES {periods})
SELECT ma_don_vi, pid,
  count_if(in_r) AS r, count_if(in_f) AS f, count(*) AS s,
  count_if(on_time) AS s_dung_han, count_if(NOT on_time) AS s_tre_han,
  count_if(NOT on_time AND xin_loi = 1) AS s_tre_han_xin_loi,
  count_if(in_r AND kenh = 'truc_tuyen') AS r_truc_tuyen,
  count_if(in_r AND kenh = 'buu_chinh') AS r_buu_chinh,
  count_if(in_r AND co_nghia_vu_tai_chinh = 1) AS r_co_phi,
  count_if(in_r AND co_nghia_vu_tai_chinh = 1 AND thanh_toan_truc_tuyen = 1) AS r_co_phi_tt,
  count_if(in_f AND ket_qua = 'chap_thuan') AS f_chap_thuan,
  count_if(in_f AND ket_qua = 'chap_thuan' AND ket_qua_dien_tu = 1) AS f_chap_thuan_dien_tu,
  count_if(in_r AND so_hoa = 1) AS r_so_hoa,
  count_if(in_r AND tai_su_dung = 1) AS r_tai_su_dung,
  count_if(in_f AND danh_gia IS NOT NULL) AS f_danh_gia,
  count_if(in_f AND danh_gia IN ('rat_hai_long', 'hai_long')) AS f_hai_long,
  sum(CASE WHEN in_f THEN epoch_us(ket_thuc_luc) - epoch_us(tiep_nhan_luc)
      - CAST(tam_dung_gio * 3600000000 AS BIGINT) END) AS f_thoi_gian,
  -- the columns no indicator uses but every reader must read: parsed here too
  count(ma_ho_so) AS n_ma_ho_so, count(ma_tthc) AS n_ma_tthc,
  count(han_tra_moi) AS n_han_tra_moi, count(tra_kq_luc) AS n_tra_kq_luc
FROM (
  SELECT d.*, p.pid,
    d.tiep_nhan_luc >= p.a AND d.tiep_nhan_luc < p.b AS in_r,
    coalesce(d.ket_thuc_luc >= p.a AND d.ket_thuc_luc < p.b, FALSE) AS in_f,
    d.so_lan_bo_sung <= 1 AND (CASE WHEN d.ket_thuc_luc < p.b THEN d.ket_thuc_luc ELSE p.b END)
        - to_microseconds(CAST(d.tam_dung_gio * 3600000000 AS BIGINT)) <= d.han_tra AS on_time
  FROM read_csv('{sys.argv[1]}', header = true) d
  JOIN p ON (d.tiep_nhan_luc >= p.a AND d.tiep_nhan_luc < p.b)
    OR (d.ket_thuc_luc >= p.a AND d.ket_thuc_luc < p.b)
)
GROUP BY ALL''').fetchall()
print(json.dumps({"seconds": time.perf_counter() - t0, "rows": len(rows)}))
"""


def child(code: str, *args: str) -> tuple[float, float, dict]:
    """Run ``python -c code args`` and return (wall seconds, peak RSS in MiB, its JSON output)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"child failed ({proc.returncode}):\n{err.read().decode()}")
        text = out.read().decode()
    return wall, usage.ru_maxrss / 1024, json.loads(text.strip().splitlines()[-1])


def ensure_data(cache: Path, rows: int, seed: int) -> tuple[Path, Path, float | None]:
    from cchc.exchange.generate import generate, province_units
    from cchc.exchange.orgs import write_orgs

    cache.mkdir(parents=True, exist_ok=True)
    orgs = cache / "orgs-P75.csv"
    dossiers = cache / f"dossiers-P75-{rows}-{seed}.csv"
    units = province_units("P75")
    if not orgs.exists():
        write_orgs(orgs, units)
    rate = None
    if not dossiers.exists():
        print(f"generating {rows:,} dossiers into {dossiers} …", flush=True)
        partial = dossiers.with_suffix(".part")
        with partial.open("w", encoding="utf-8", newline="") as fh:
            stats = generate(fh, count=rows, seed=seed, units=units, year=2026)
        partial.rename(dossiers)
        rate = stats.rate
        print(f"generator: {rows:,} rows in {stats.seconds:.1f} s → {rate:,.0f} rows/s (file written)")
    return orgs, dossiers, rate


def generator_rate(sample: int, seed: int) -> float:
    from cchc.exchange.generate import generate, province_units

    class Sink(io.TextIOBase):
        def write(self, s):  # noqa: D401 - discard
            return len(s)

    stats = generate(Sink(), count=sample, seed=seed, units=province_units("P75"), year=2026)
    return stats.rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each side (alternating)")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "cchc-bench-indicators"))
    args = parser.parse_args()

    orgs, dossiers, rate = ensure_data(Path(args.cache), args.rows, args.seed)
    if rate is None:
        sample = min(args.rows, 1_000_000)
        rate = generator_rate(sample, args.seed)
        print(
            f"generator: {rate:,.0f} rows/s ({sample:,}-row sample, {os.cpu_count()} CPUs, output discarded)"
        )
    size = dossiers.stat().st_size
    print(f"input: {args.rows:,} dossiers, {size / 2**20:,.0f} MiB; periods {', '.join(PERIODS)}")

    from cchc.core.periods import parse_calendar_period

    bounds = json.dumps([[str(parse_calendar_period(k).a), str(parse_calendar_period(k).b)] for k in PERIODS])
    out = Path(args.cache) / "result.csv"
    sides = {
        "before": (
            "file mode, full pass only (before)",
            FILEMODE_CHILD,
            (str(orgs), str(dossiers), str(out) + ".before", "full", *PERIODS),
        ),
        "after": (
            "file mode (after: fast pass)",
            FILEMODE_CHILD,
            (str(orgs), str(dossiers), str(out), "fast", *PERIODS),
        ),
        "plain": ("plain DuckDB query (dung_han only)", PLAIN_CHILD, (str(dossiers), bounds)),
        "fair": ("plain DuckDB query (same figures, columns)", FAIR_CHILD, (str(dossiers), bounds)),
    }
    runs: dict[str, list] = {k: [] for k in sides}
    for i in range(args.repeat):
        for key, (label, code, argv) in sides.items():
            wall, rss, info = child(code, *argv)
            runs[key].append((wall, rss, info))
            stages = ", ".join(f"{k} {v:.2f} s" for k, v in info.get("stages", {}).items())
            print(
                f"  run {i + 1} {label:38s} {wall:6.2f} s, peak {rss:,.0f} MiB {f'({stages})' if stages else ''}",
                flush=True,
            )
    same = (Path(str(out) + ".before")).read_bytes() == out.read_bytes()
    print()
    best = {k: min(w for w, _, _ in v) for k, v in runs.items()}
    for key, (label, _, _) in sides.items():
        walls = [w for w, _, _ in runs[key]]
        print(
            f"{label:40s} best {best[key]:6.2f} s, median {statistics.median(walls):6.2f} s, "
            f"peak {max(r for _, r, _ in runs[key]):,.0f} MiB"
        )
    info = runs["after"][0][2]
    print(
        f"rows: {info['valid']:,} valid, {info['bad']:,} bad; {info['rows']:,} result rows; "
        f"before and after write the same result: {'yes' if same else 'NO'}"
    )
    print(f"rate (after): {args.rows / best['after']:,.0f} dossiers/s")
    for key in ("before", "after"):
        print(
            f"ratio {key:6s} / plain (same figures and columns): {best[key] / best['fair']:.2f}×, "
            f"/ plain (dung_han only): {best[key] / best['plain']:.2f}×"
        )
    ratio = best["after"] / best["fair"]
    print(
        f"aim ≤ 1.5× the plain query computing the same figures: {'met' if ratio <= 1.5 else 'NOT met'} ({ratio:.2f}×)"
    )
    print(f"generator throughput: {rate:,.0f} rows/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
