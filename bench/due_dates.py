"""Benchmark of the working-time engine (prints figures; never a timed assertion).

    .venv/bin/python bench/due_dates.py [--count 1000000] [--seed 42]

1,000,000 receipts spread uniformly over 2025–2026 (any minute of any day, weekends and holidays
included), random durations of 1–30 working days, default policy and shipped calendar:
- bulk: ``DuePolicy.bulk_due`` (list look-ups over the precomputed working-day arrays);
- single calls: ``DuePolicy.due_date`` (full result: effective start, skipped days with reasons),
  median and 95th percentile latency;
- a check that bulk and single results agree on a sample.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cchc.core.workingtime import TZ, DuePolicy, default_calendar  # noqa: E402


def receipts(count: int, seed: int) -> tuple[list[dt.datetime], list[int]]:
    rng = random.Random(seed)
    start = dt.datetime(2025, 1, 1, tzinfo=TZ)
    minutes = (dt.date(2027, 1, 1) - dt.date(2025, 1, 1)).days * 24 * 60
    received = [start + dt.timedelta(minutes=rng.randrange(minutes)) for _ in range(count)]
    durations = [rng.randint(1, 30) for _ in range(count)]
    return received, durations


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--single", type=int, default=20_000, help="number of single calls timed")
    args = parser.parse_args()

    t0 = time.perf_counter()
    policy = DuePolicy(default_calendar(years=(2025, 2027)))
    build = time.perf_counter() - t0
    print(f"calendar + policy built in {build * 1000:.1f} ms ({policy.calendar!r})")

    received, durations = receipts(args.count, args.seed)
    policy.bulk_due(received[:1000], durations[:1000])  # warm-up: lookup tables

    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        dues = policy.bulk_due(received, durations)
        runs.append(time.perf_counter() - t0)
    best = min(runs)
    rate = args.count / best
    print(f"bulk:   {args.count:,} due dates in {best:.3f} s (best of 3) → {rate:,.0f} due dates/s")
    print(f"        target ≥ 200,000/s: {'met' if rate >= 200_000 else 'NOT met'}")

    naive = [r.replace(tzinfo=None) for r in received[:200_000]]
    t0 = time.perf_counter()
    policy.bulk_due(naive, durations[:200_000])
    elapsed = time.perf_counter() - t0
    print(f"bulk (naive local datetimes): {len(naive) / elapsed:,.0f} due dates/s")

    utc = [r.astimezone(dt.UTC) for r in received[:200_000]]
    t0 = time.perf_counter()
    policy.bulk_due(utc, durations[:200_000])
    elapsed = time.perf_counter() - t0
    print(f"bulk (UTC datetimes, converted): {len(utc) / elapsed:,.0f} due dates/s")

    n = min(args.single, args.count)
    latencies = []
    for r, d in zip(received[:n], durations[:n], strict=True):
        t0 = time.perf_counter()
        policy.due_date(r, d)
        latencies.append(time.perf_counter() - t0)
    latencies.sort()
    p50 = statistics.median(latencies) * 1e6
    p95 = latencies[int(0.95 * len(latencies))] * 1e6
    print(
        f"single: due_date() with explanation data: median {p50:.1f} µs, p95 {p95:.1f} µs "
        f"({1 / statistics.mean(latencies):,.0f} calls/s)"
    )

    explained = [policy.due_date(r, d) for r, d in zip(received[:2000], durations[:2000], strict=True)]
    t0 = time.perf_counter()
    for result in explained:
        result.explain()
        result.to_json()
    per = (time.perf_counter() - t0) / len(explained) * 1e6
    print(f"single: explain() + to_json(): {per:.1f} µs per due date")

    sample = random.Random(args.seed + 1).sample(range(args.count), min(5_000, args.count))
    mismatches = sum(policy.due_date(received[i], durations[i]).due != dues[i] for i in sample)
    print(f"check:  bulk == due_date() on {len(sample):,} samples: {'OK' if not mismatches else mismatches}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
