"""Benchmark of the public portal (prints figures; asserts nothing). Run with `make bench`.

A province of 30 agencies and 100 communes with 2,000 procedures in force, and a year of dossier
figures per unit and period in the live aggregates (written here in bulk, as the live engine
would have: the dossier pipeline has its own benchmarks). Times, on the embedded SQLite (and on
PostgreSQL with --postgres and BENCH_DATABASE_URL), median and p95 of 25 requests through the
full Django stack, and the query count:

* the catalogue: a search without accents, a code, a search with filters, a far page;
* the scoreboard and a unit's months, before caching (the shared cache emptied before every
  request) and after (the table from the cache), and a revalidation answered 304.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import fresh_postgres_database, measure, setup_django  # noqa: E402

AGENCIES, COMMUNES, PROCEDURES = 30, 100, 2000
VERBS = ["Cấp", "Cấp lại", "Điều chỉnh", "Gia hạn", "Đăng ký", "Thẩm định", "Xác nhận", "Thu hồi"]
OBJECTS = [
    "giấy phép kinh doanh",
    "giấy chứng nhận đủ điều kiện",
    "giấy phép xây dựng",
    "khai sinh",
    "chứng chỉ hành nghề",
    "giấy phép lái xe",
    "quyền sử dụng đất",
    "hộ kinh doanh",
    "giấy phép lao động",
    "dấu nghiệp vụ",
]
FIELDS = ["Hộ tịch", "Xây dựng", "Đất đai", "Lao động", "Y tế", "Giáo dục", "Công thương", "Giao thông"]


def build():
    from django.db import transaction
    from django.utils import timezone

    from cchc.core.actors import SYSTEM  # after django.setup()
    from cchc.core.text import fold
    from cchc.indicators.models import FIELDS as MEASURE_FIELDS
    from cchc.indicators.models import MeasureTotal
    from cchc.orgs.models import UnitKind
    from cchc.orgs.services import unit_create
    from cchc.procedures.models import Level, OnlineMode, Procedure

    rng = random.Random(11)
    year = timezone.localdate().year
    with transaction.atomic():
        province = unit_create(actor=SYSTEM, name="Tỉnh Đồng Nai", kind=UnitKind.PROVINCE, code="P75")
        agencies = [
            unit_create(
                actor=SYSTEM, name=f"Sở số {i}", kind=UnitKind.AGENCY, parent=province, code=f"P75.S{i:02d}"
            )
            for i in range(AGENCIES)
        ]
        communes = [
            unit_create(
                actor=SYSTEM, name=f"Xã số {i}", kind=UnitKind.COMMUNE, parent=province, code=f"W{i:05d}"
            )
            for i in range(COMMUNES)
        ]
        procedures = []
        for i in range(PROCEDURES):
            name = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} (trường hợp {i})"
            field = rng.choice(FIELDS)
            code = f"1.{i:06d}"
            procedures.append(
                Procedure(
                    code=code,
                    name=name,
                    field=field,
                    level=Level.PROVINCE,
                    agency=rng.choice(agencies),
                    processing_time=rng.choice([3, 5, 10, 15]),
                    fee_amount=rng.choice([0, 50_000, 100_000]),
                    online_mode=rng.choice(OnlineMode.values),
                    search_text=fold(f"{code} {name} {field}"),  # what procedure_save keeps
                )
            )
        Procedure.objects.bulk_create(procedures, batch_size=500)
        keys = [str(year)] + [f"{year}-Q{q}" for q in range(1, 5)] + [f"{year}-{m:02d}" for m in range(1, 13)]
        totals = []
        for unit in agencies + communes:
            for key in keys:
                r = rng.randint(50, 900) * (12 if len(key) == 4 else 3 if "Q" in key else 1)
                counts = dict.fromkeys(MEASURE_FIELDS, 0)
                s = r
                counts |= {
                    "r": r,
                    "s": s,
                    "f": r - r // 10,
                    "s_dung_han": s - rng.randint(0, s // 8),
                    "s_tre_han": rng.randint(0, s // 8),
                    "r_truc_tuyen": rng.randint(r // 3, r),
                    "f_danh_gia": r // 4,
                    "f_hai_long": r // 4 - rng.randint(0, r // 40),
                }
                totals.append(
                    MeasureTotal(
                        unit=unit, period=key, **{k: v for k, v in counts.items() if k in MEASURE_FIELDS}
                    )
                )
        MeasureTotal.objects.bulk_create(totals, batch_size=500)
    return province, agencies[0]


def cold(client, url: str, runs: int = 10):
    """Median and p95 with the shared cache emptied before every request (no fragment kept)."""
    from django.core.cache import cache

    times = []
    for _ in range(runs):
        cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def revalidate(client, url: str, runs: int = 25):
    etag = client.get(url)["ETag"]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 304, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="use BENCH_DATABASE_URL")
    args = parser.parse_args()
    import os

    setup_django(fresh_postgres_database(os.environ["BENCH_DATABASE_URL"]) if args.postgres else None)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cchc.portal import views

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    views.SEARCHES_PER_MINUTE = 10**9  # one client asks hundreds of times: not what is measured here
    started = time.perf_counter()
    province, agency = build()
    print(
        f"\n## Public portal on {connection.vendor}: {AGENCIES} agencies + {COMMUNES} communes, {PROCEDURES:,} procedures"
    )
    print(f"set-up: {time.perf_counter() - started:.1f} s")
    client = Client(SERVER_NAME="localhost")
    print(f"{'catalogue page':<44} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, url in (
        ("search without accents (cap giay phep)", "/cong-khai/thu-tuc/?q=cap+giay+phep"),
        ("search by code (1.001234)", "/cong-khai/thu-tuc/?q=1.001234"),
        (
            "search + field + order by code",
            "/cong-khai/thu-tuc/?q=dang+ky&linh_vuc=H%E1%BB%99+t%E1%BB%8Bch&sap_xep=ma",
        ),
        ("whole catalogue, page 50", "/cong-khai/thu-tuc/?trang=50"),
        ("a procedure", "/cong-khai/thu-tuc/1/"),
    ):
        median, p95, queries = measure(client, url)
        print(f"{name:<44} {median:>10.1f} {p95:>8.1f} {queries:>8}")

    print(f"{'figure page':<44} {'before ms':>10} {'after ms':>9} {'304 ms':>8} {'queries after':>14}")
    for name, url in (
        ("scoreboard (131 units × 4 figures)", "/cong-khai/ket-qua-giai-quyet/"),
        ("scoreboard ranked by the online share", "/cong-khai/ket-qua-giai-quyet/?sap_xep=truc_tuyen"),
        ("one agency's months", f"/cong-khai/ket-qua-giai-quyet/{agency.code}/"),
        ("reform progress", "/cong-khai/tien-do-cai-cach/"),
    ):
        before, _ = cold(client, url)
        after, _p95, queries = measure(client, url)
        not_modified, _ = revalidate(client, url)
        print(f"{name:<44} {before:>10.1f} {after:>9.1f} {not_modified:>8.1f} {queries:>14}")


if __name__ == "__main__":
    main()
