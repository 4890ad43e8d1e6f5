"""Benchmark of the REST API v1 (prints figures; asserts nothing). Run with `make bench`.

    .venv/bin/python bench/api.py [--dossiers 2000] [--baseline 50] [--batch 1000] [--reads 200] [--postgres]

A province (its agencies and communes, a procedure with three steps) and a write client; then,
through the full Django stack (test Client: middleware, token, validation, the dossier services,
the live indicators, the audit log, the JSON answer):

1. ingesting ``--dossiers`` dossiers' lives — receipt, hand-overs to B2 and B3, the result, the
   return: 5 events each — as ``POST /api/v1/dossier-events`` batches of ``--batch`` events:
   events/s, and the time per batch (aim: ≥ 2,000 events/s in batches); before that, in the same
   run, ``--baseline`` dossiers through the one-by-one path (each event through the services
   with its own savepoint, as before the batch path) for the ratio;
2. indicator reads over what was ingested — ``GET /api/v1/indicators/values`` (the dossier
   on-time rate of the province for the year, its quarters and months) and ``GET /api/v1/units``
   — ``--reads`` times each: median and p95 (aim: p95 under 50 ms), and queries per request.

On the embedded SQLite (a fresh data directory), or with ``--postgres`` on a fresh database of
the server in BENCH_DATABASE_URL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import fresh_postgres_database, setup_django  # noqa: E402


def vn(n: float, digits: int = 0) -> str:
    return f"{n:,.{digits}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def build():
    """The province, its agencies and communes, a three-step procedure; a write client's token."""
    from decimal import Decimal

    from django.core.management import call_command

    from cchc.api.services import client_register
    from cchc.core.actors import SYSTEM
    from cchc.orgs.models import Unit, UnitKind
    from cchc.orgs.services import province_agencies_create, unit_create
    from cchc.procedures import services as procedure_services
    from cchc.procedures.models import Level, OnlineMode, TimeUnit

    call_command("migrate", verbosity=0)
    province = unit_create(
        actor=SYSTEM, name="Tỉnh Đồng Nai", kind=UnitKind.PROVINCE, code="P75", gso_code="75"
    )
    province_agencies_create(actor=SYSTEM, province=province)
    for i in range(1, 21):
        unit_create(actor=SYSTEM, name=f"Xã số {i}", kind=UnitKind.COMMUNE, parent=province, code=f"W{i:05d}")
    agency = Unit.objects.get(code="P75.STP")
    procedure = procedure_services.procedure_save(
        actor=SYSTEM,
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        agency=agency,
        level=Level.PROVINCE,
        processing_time=Decimal(5),
        time_unit=TimeUnit.WORKING_DAY,
        fee_amount=0,
        online_mode=OnlineMode.FULL,
    )
    for name, role, time_allowed in (
        ("Tiếp nhận, kiểm tra và chuyển hồ sơ", "Bộ phận một cửa", "0.5"),
        ("Thẩm định hồ sơ, dự thảo kết quả", "Chuyên viên", "3.5"),
        ("Phê duyệt kết quả", "Lãnh đạo", "1"),
    ):
        procedure_services.step_save(
            actor=SYSTEM, procedure=procedure, name=name, actor_role=role, time_allowed=time_allowed
        )
    registered = client_register(
        actor=SYSTEM,
        name="Một cửa điện tử (đo hiệu năng)",
        unit=province,
        scope="write",
        rate_per_minute=10**6,
    )
    return registered.token


def lives(count: int, prefix: str = "MC") -> list[dict]:
    """5 events per dossier, in time order per dossier; receipts spread over the last 60 days."""
    start = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=60)
    events = []
    for n in range(count):
        at = start + dt.timedelta(minutes=30 * n % (50 * 24 * 60))
        code = f"{prefix}-{n:07d}"
        events += [
            {
                "event_id": f"{code}-r",
                "kind": "receipt",
                "dossier_code": code,
                "at": at.isoformat(),
                "procedure_code": "1.001193",
                "handling_unit_code": "P75.STP",
                "receiving_unit_code": "P75.TTPVHCC",
                "channel": "truc_tiep",
                "applicant": {"name": "Nguyễn Văn An", "id_number": "001090012345", "phone": "0912345678"},
            },
            {
                "event_id": f"{code}-s",
                "kind": "step",
                "dossier_code": code,
                "at": (at + dt.timedelta(hours=1)).isoformat(),
                "step": 2,
            },
            {
                "event_id": f"{code}-s3",
                "kind": "step",
                "dossier_code": code,
                "at": (at + dt.timedelta(days=2)).isoformat(),
                "step": 3,
            },
            {
                "event_id": f"{code}-k",
                "kind": "result",
                "dossier_code": code,
                "at": (at + dt.timedelta(days=3)).isoformat(),
                "granted": n % 10 != 0,
                "reason": "" if n % 10 else "Không đủ điều kiện.",
            },
            {
                "event_id": f"{code}-t",
                "kind": "return",
                "dossier_code": code,
                "at": (at + dt.timedelta(days=3, hours=2)).isoformat(),
                "method": "desk",
            },
        ]
    return events


def bench_ingest(client, headers: dict, events: list[dict], batch: int, *, repeat: bool = True) -> float:
    # whole lives go together in one batch (events of a dossier in order); batches in order
    times, applied, rejected = [], 0, 0
    started = time.perf_counter()
    for i in range(0, len(events), batch):
        t0 = time.perf_counter()
        response = client.post(
            "/api/v1/dossier-events",
            json.dumps({"events": events[i : i + batch]}),
            content_type="application/json",
            headers=headers,
        )
        times.append(time.perf_counter() - t0)
        body = response.json()
        applied += body["applied"]
        rejected += body["rejected"]
        if body["rejected"] and rejected == body["rejected"]:
            first = next(r for r in body["results"] if r["status"] == "rejected")
            print(f"  (first rejected event: {first['event_id']}: {first['error']['message']})")
    seconds = time.perf_counter() - started
    print(
        f"  {vn(len(events))} events in {vn(len(times))} batches of ≤ {vn(batch)}: {vn(seconds, 1)} s, "
        f"{vn(len(events) / seconds)} events/s (aim ≥ 2.000); per batch median {vn(statistics.median(times) * 1000)} ms; "
        f"applied {vn(applied)}, rejected {vn(rejected)}"
    )
    if not repeat:
        return len(events) / seconds
    again = time.perf_counter()
    client.post(
        "/api/v1/dossier-events",
        json.dumps({"events": events[:batch]}),
        content_type="application/json",
        headers=headers,
    )
    repeat = time.perf_counter() - again
    print(
        f"  the first batch sent again (all duplicates): {vn(repeat * 1000)} ms, {vn(min(batch, len(events)) / repeat)} events/s"
    )
    return len(events) / seconds


def bench_ingest_both(client, headers: dict, args) -> None:
    """Before (each event through the services with its savepoint, `events.events_apply`, as
    before the batch path) and after (`events_batch.events_apply_batch`), in the same run."""
    from cchc.api import endpoints_write
    from cchc.api.events import events_apply

    batch_path = endpoint_write_path = endpoints_write.events_apply_batch
    print(f"  before — one event at a time ({vn(args.baseline)} dossiers):")
    endpoints_write.events_apply_batch = events_apply
    try:
        before = bench_ingest(client, headers, lives(args.baseline, "OLD"), args.batch, repeat=False)
    finally:
        endpoints_write.events_apply_batch = endpoint_write_path
    assert endpoints_write.events_apply_batch is batch_path
    print(f"  after — in batches ({vn(args.dossiers)} dossiers):")
    after = bench_ingest(client, headers, lives(args.dossiers), args.batch)
    print(f"  batch path / one by one: × {vn(after / before, 1)}")


def bench_reads(client, headers: dict, runs: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    year = dt.date.today().year
    periods = [str(year)] + [f"{year}-Q{q}" for q in range(1, 5)] + [f"{year}-{m:02d}" for m in range(1, 13)]
    for label, path, params in (
        (
            "indicator dung_han, P75, 17 periods",
            "/api/v1/indicators/values",
            {"indicator": "dung_han", "unit": "P75", "period": periods},
        ),
        (
            "indicator dung_han, P75.STP, 1 period",
            "/api/v1/indicators/values",
            {"indicator": "dung_han", "unit": "P75.STP", "period": [str(year)]},
        ),
        ("units, a page of 50", "/api/v1/units", {"limit": 50}),
    ):
        for _ in range(3):
            assert client.get(path, params, headers=headers).status_code == 200
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            client.get(path, params, headers=headers)
            times.append((time.perf_counter() - t0) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            client.get(path, params, headers=headers)
        print(
            f"  {label}: median {vn(statistics.median(times), 1)} ms, p95 {vn(p95(times), 1)} ms "
            f"(aim < 50), {len(ctx.captured_queries)} queries"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=2000, help="dossiers ingested (5 events each)")
    parser.add_argument(
        "--baseline", type=int, default=50, help="dossiers ingested one event at a time first (0: none)"
    )
    parser.add_argument("--batch", type=int, default=1000, help="events per request (≤ 1.000)")
    parser.add_argument("--reads", type=int, default=200, help="requests per read measured")
    parser.add_argument("--postgres", action="store_true", help="on a fresh database of BENCH_DATABASE_URL")
    args = parser.parse_args()
    database_url = fresh_postgres_database(os.environ["BENCH_DATABASE_URL"]) if args.postgres else None
    setup_django(database_url)
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    token = build()
    client = Client()
    headers = {"Authorization": f"Bearer {token}"}
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"REST API v1 on {engine}: dossiers × 5 events (receipt, B2, B3, result, return)")
    if args.baseline:
        bench_ingest_both(client, headers, args)
    else:
        bench_ingest(client, headers, lives(args.dossiers), args.batch)
    bench_reads(client, headers, args.reads)


if __name__ == "__main__":
    main()
