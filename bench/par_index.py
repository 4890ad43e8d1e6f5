"""Benchmark of the CCHC index (prints figures; asserts nothing). Run with `make bench`.

A round of 30 agencies and 100 communes on a framework of 60 sub-criteria (8 areas, every
method, some leaves for one group only), every unit self-scored and most appraised (7,800
scores). Times, on the embedded SQLite (and on PostgreSQL when BENCH_DATABASE_URL is set):

* computing every unit's scores, indexes and ranks from the database (`selectors.round_results`),
  and the same from files (`cchc par compute` on the round's exported framework and scores);
* the results page, the round's register and a unit's points-at-risk page through the full
  Django stack (median and p95 of 25 requests, and the query count).

Aims (issue 11): scores in under 1 s, pages under 200 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import fresh_postgres_database, measure, setup_django  # noqa: E402

AREAS = 8
LEAVES = 60


def framework_csv() -> str:
    """8 areas × 2 criteria, 60 leaves with every method; parents' maxima left to be summed."""
    rng = random.Random(7)
    rows = ["ma,ten,diem_toi_da,phuong_phap,ap_dung"]
    methods = ["tu_cham"] * 6 + ["du_lieu", "khao_sat"]
    n = 0
    for a in range(1, AREAS + 1):
        rows.append(f"{a},Lĩnh vực {a},,,")
        for c in range(1, 3):
            if n == LEAVES:
                break
            rows.append(f"{a}.{c},Tiêu chí {a}.{c},,,")
            for s in range(1, 5):
                if n == LEAVES:
                    break
                n += 1
                method = "diem_thuong" if n % 29 == 0 else "diem_tru" if n % 31 == 0 else rng.choice(methods)
                group = "so" if n % 11 == 0 else "xa" if n % 13 == 0 else ""
                rows.append(
                    f"{a}.{c}.{s},Tiêu chí thành phần {n},{rng.choice([1, 1.5, 2, 3])},{method},{group}"
                )
    return "\n".join(rows) + "\n"


def build():
    from django.db import transaction

    from cchc.core.actors import SYSTEM
    from cchc.evaluation import services
    from cchc.evaluation.models import Method, Participant, Score
    from cchc.orgs.models import Role, UnitKind
    from cchc.orgs.services import unit_create, user_create

    rng = random.Random(42)
    with transaction.atomic():
        province = unit_create(actor=SYSTEM, name="Tỉnh Thử nghiệm", kind=UnitKind.PROVINCE, code="BP")
        units = [
            unit_create(
                actor=SYSTEM,
                name=f"{'Sở' if i < 30 else 'Xã'} thử nghiệm {i:03d}",
                kind=UnitKind.AGENCY if i < 30 else UnitKind.COMMUNE,
                parent=province,
                code=f"BP.{i:03d}",
            )
            for i in range(130)
        ]
        coordinator = user_create(
            actor=SYSTEM, username="bench-coord", password=None, roles=[(province, Role.COORDINATOR)]
        )
        officer = user_create(
            actor=SYSTEM, username="bench-officer", password=None, roles=[(units[0], Role.OFFICER)]
        )
        framework = services.framework_import(
            actor=coordinator,
            unit=province,
            year=2026,
            name="Bộ chỉ số thử tải",
            data=framework_csv().encode(),
        )
        framework = services.framework_issue(actor=coordinator, framework=framework)
        round_ = services.round_open(
            actor=coordinator,
            framework=framework,
            title="Đợt thử tải",
            units=units,
            self_due=dt.date(2027, 1, 15),
            appraisal_due=dt.date(2027, 2, 28),
        )
        scores = list(Score.objects.filter(participant__round=round_).select_related("criterion"))
        for s in scores:
            top = float(s.criterion.max_points)
            value = Decimal(str(round(rng.uniform(0, top) * 4) / 4))
            if s.criterion.method in (Method.SELF, Method.BONUS, Method.DEDUCTION):
                s.self_points = value
                s.appraised_points = value - Decimal("0.25") if value and rng.random() < 0.3 else None
            else:
                s.appraised_points = value
        Score.objects.bulk_update(scores, ["self_points", "appraised_points"], batch_size=1000)
        round_.participants.update(state=Participant.State.SUBMITTED)
    return round_, coordinator, officer, len(scores)


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

    from cchc.evaluation import files, formulas, selectors

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    started = time.perf_counter()
    round_, coordinator, officer, n_scores = build()
    print(f"\n## CCHC index on {connection.vendor}: 30 agencies + 100 communes × {LEAVES} sub-criteria")
    print(f"set-up: {n_scores:,} scores in {time.perf_counter() - started:.1f} s")

    times = []
    for _ in range(7):
        t = time.perf_counter()
        res = selectors.round_results(round_)
        times.append(time.perf_counter() - t)
    ranked = sum(r.rank is not None for r in res.results)
    print(
        f"scores, indexes, ranks from the database: median {statistics.median(times) * 1000:.0f} ms ({ranked} units ranked)"
    )

    tmp = Path(tempfile.mkdtemp(prefix="cchc-bench-par-"))
    (tmp / "framework.csv").write_text(
        files.write_csv(selectors.framework_rows(round_.framework), formulas.FRAMEWORK_COLUMNS),
        encoding="utf-8",
    )
    (tmp / "scores.csv").write_text(
        files.write_csv(selectors.scores_rows(round_), formulas.SCORE_COLUMNS), encoding="utf-8"
    )
    times = []
    for _ in range(7):
        t = time.perf_counter()
        call_command(
            "par_compute",
            framework=str(tmp / "framework.csv"),
            scores=str(tmp / "scores.csv"),
            out=str(tmp / "r.csv"),
        )
        times.append(time.perf_counter() - t)
    print(
        f"the same from files (cchc par compute, in process): median {statistics.median(times) * 1000:.0f} ms"
    )

    client = Client(SERVER_NAME="localhost")
    client.force_login(coordinator)
    officer_client = Client(SERVER_NAME="localhost")
    officer_client.force_login(officer)
    print(f"{'page':<34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, c, url in (
        ("results and ranking", client, f"/chi-so-cchc/dot/{round_.pk}/ket-qua/"),
        ("register of the round", client, f"/chi-so-cchc/dot/{round_.pk}/"),
        ("points at risk (an agency)", officer_client, "/chi-so-cchc/diem-co-nguy-co/"),
    ):
        median, p95, queries = measure(c, url)
        print(f"{name:<34} {median:>10.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
