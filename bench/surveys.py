"""Benchmark of satisfaction surveys (prints figures; asserts nothing). Run with `make bench`.

A campaign of the public-service questionnaire (22 statements on the 1–5 scale, 5 elements) over
130 units with 200,000 responses, every statement answered (4.4 million answers). Times, on the
embedded SQLite (and on PostgreSQL with --postgres and BENCH_DATABASE_URL):

* recompute: the answer counts rebuilt from every answer (`tallies.recount`, one GROUP BY), and
  the figures of every unit from them (`selectors.campaign_results`);
* the results page and a unit's page through the full Django stack (median, p95, queries);
* the same figures from files (`cchc survey results` on the exported questionnaire and answers);
* drawing a 5% sample from --dossiers finished dossiers in the database (`sample_draw`), before
  (the frame read into Python, as the draw was; rolled back) and after (counted, ranked and
  inserted in SQL, `surveys/drawing.py`), then the results page again with the sample drawn.
  `make bench` runs it on SQLite at 200,000 dossiers and on PostgreSQL at 5,000,000 (generated
  in SQL, `_dossiers_in_sql`).

Aims (the survey issue): results page < 200 ms, recompute < 2 s, a 5% sample of 5 million < 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import fresh_postgres_database, measure, setup_django  # noqa: E402

UNITS = 130
INSERT_ANSWER = (
    "INSERT INTO surveys_answer (response_id, question_id, score, text, campaign_id, unit_id, element)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s)"
)


def build(responses: int, dossiers: int):
    """Bulk-build the data set (set-up speed is not what is measured)."""
    from django.db import connection, transaction

    from cchc.core.actors import SYSTEM
    from cchc.dossiers.models import Dossier
    from cchc.orgs.models import Role, UnitKind
    from cchc.orgs.services import unit_create, user_create
    from cchc.procedures.models import Level, Procedure
    from cchc.surveys.models import Campaign, Questionnaire, Response
    from cchc.surveys.services.campaigns import campaign_create

    rng = random.Random(42)
    with transaction.atomic():
        province = unit_create(actor=SYSTEM, name="Tỉnh Thử nghiệm", kind=UnitKind.PROVINCE, code="BS")
        units = [
            unit_create(
                actor=SYSTEM,
                name=f"{'Sở' if i < 30 else 'Xã'} thử nghiệm {i:03d}",
                kind=UnitKind.AGENCY if i < 30 else UnitKind.COMMUNE,
                parent=province,
                code=f"BS.{i:03d}",
            )
            for i in range(UNITS)
        ]
        coordinator = user_create(
            actor=SYSTEM, username="bench-coord", password=None, roles=[(province, Role.COORDINATOR)]
        )
        sipas = Questionnaire.objects.get(code="SIPAS-HCC")
        campaign = campaign_create(
            actor=coordinator,
            owner=province,
            name="Đợt thử tải",
            questionnaire=sipas,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
            mode=Campaign.Mode.SAMPLED,
            sample_sizes={u: 0 for u in units},
            seed=2026,
        )
        scale = list(sipas.questions.filter(kind="thang_5").values_list("id", "section__code"))
        made = Response.objects.bulk_create(
            (
                Response(
                    campaign=campaign,
                    unit=units[i % UNITS],
                    channel=Response.Channel.IMPORT,
                    form_code=f"B{i}",
                )
                for i in range(responses)
            ),
            batch_size=5000,
        )
        ids = (
            [r.pk for r in made]
            if made[0].pk
            else list(campaign.responses.order_by("id").values_list("id", flat=True))
        )
        # each unit has its own level of satisfaction, so that the figures differ
        bias = [rng.uniform(-1.2, 0.8) for _ in range(UNITS)]
        copy = None
        if connection.vendor == "postgresql":  # COPY: millions of rows in seconds, not minutes
            connection.ensure_connection()
            raw = connection.connection.cursor()
            copy_cm = raw.copy(
                "COPY surveys_answer (response_id, question_id, score, text, campaign_id, unit_id, element)"
                " FROM STDIN"
            )
            copy = copy_cm.__enter__()
        with connection.cursor() as cursor:
            batch = []
            for n, response_id in enumerate(ids):
                b = bias[n % UNITS]
                unit_id = units[n % UNITS].pk
                for q, element in scale:
                    score = min(5, max(1, round(rng.gauss(4 + b, 0.9))))
                    batch.append((response_id, q, score, "", campaign.pk, unit_id, element))
                if len(batch) >= 50_000:
                    if copy is not None:
                        for row in batch:
                            copy.write_row(row)
                    else:
                        cursor.executemany(INSERT_ANSWER, batch)
                    batch = []
            if batch:
                if copy is not None:
                    for row in batch:
                        copy.write_row(row)
                else:
                    cursor.executemany(INSERT_ANSWER, batch)
        if copy is not None:
            copy_cm.__exit__(None, None, None)
            raw.close()
        procedures = [
            Procedure.objects.create(
                code=f"9.{i:06d}", name=f"Thủ tục thử {i}", agency=units[0], level=Level.PROVINCE
            )
            for i in range(40)
        ]
        finished = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
        if connection.vendor == "postgresql" and dossiers > 10_000:
            _dossiers_in_sql(dossiers, procedures, units, finished)
            return campaign, coordinator, units, len(ids) * len(scale)
        Dossier.objects.bulk_create(
            (
                Dossier(
                    code=f"BS-{i:08d}",
                    procedure=procedures[min(39, int(rng.expovariate(0.15)))],
                    handling_unit=units[i % UNITS],
                    receiving_unit=units[i % UNITS],
                    channel="truc_tiep",
                    applicant_name="(thử)",
                    state="returned",
                    finished_at=finished + dt.timedelta(minutes=i % 200_000),
                )
                for i in range(dossiers)
            ),
            batch_size=5000,
        )
    return campaign, coordinator, units, len(ids) * len(scale)


def _dossiers_in_sql(count: int, procedures, units, finished) -> None:
    """PostgreSQL: millions of finished dossiers in one INSERT … SELECT from generate_series,
    copying every other column from one dossier saved the normal way (minutes faster than
    building the objects; the rows are the same shape as the bulk_create above: the same unit
    rotation, a procedure skewed like expovariate(0.15) capped at the 40th, finished in the window)."""
    from django.db import connection

    from cchc.dossiers.models import Dossier

    template = Dossier.objects.create(
        code="BS-MAU",
        procedure=procedures[0],
        handling_unit=units[0],
        receiving_unit=units[0],
        channel="truc_tiep",
        applicant_name="(thử)",
        state="returned",
        finished_at=finished,
    )
    computed = {
        "code": "'BS-' || lpad(g::text, 8, '0')",
        "procedure_id": "(%s)[least(40, 1 + floor(-ln(1 - random()) / 0.15))::int]",
        "handling_unit_id": "(%s)[1 + g %% " + str(len(units)) + "]",
        "receiving_unit_id": "(%s)[1 + g %% " + str(len(units)) + "]",
        "finished_at": "%s + make_interval(mins => g %% 200000)",
    }
    columns = [f.column for f in Dossier._meta.concrete_fields if not f.primary_key]
    select = ", ".join(computed.get(c, f"t.{c}") for c in columns)
    unit_ids = [u.pk for u in units]
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            f"INSERT INTO dossiers_dossier ({', '.join(columns)}) SELECT {select} "
            "FROM dossiers_dossier t, generate_series(0, %s) g WHERE t.id = %s",
            [[p.pk for p in procedures], unit_ids, unit_ids, finished, count - 2, template.pk],
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="use BENCH_DATABASE_URL")
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--dossiers", type=int, default=200_000, help="finished dossiers in the database")
    parser.add_argument(
        "--no-before",
        dest="before",
        action="store_false",
        help="skip the draw as it was (minutes at 5 million)",
    )
    args = parser.parse_args()
    setup_django(fresh_postgres_database(os.environ["BENCH_DATABASE_URL"]) if args.postgres else None)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cchc.surveys import selectors, tallies
    from cchc.surveys.exports import questionnaire_csv, responses_csv
    from cchc.surveys.services.campaigns import sample_draw

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    started = time.perf_counter()
    campaign, coordinator, units, answers = build(args.responses, args.dossiers)
    print(
        f"\n## Surveys on {connection.vendor}: {args.responses:,} responses, {UNITS} units, {answers:,} answers"
    )
    print(f"set-up: {time.perf_counter() - started:.1f} s")

    # the statistics autovacuum / a running database would have (PostgreSQL's index-only scans
    # need the visibility map that VACUUM writes)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE surveys_answer" if connection.vendor == "postgresql" else "ANALYZE")
    # before: the same counts grouped through the join to the responses (the recount before the
    # answers carried their campaign, unit and element), once, for the ratio in this run
    from django.db.models import Count

    from cchc.surveys.models import Answer

    t = time.perf_counter()
    len(
        Answer.objects.filter(response__campaign=campaign, score__isnull=False)
        .values_list("response__unit_id", "question_id", "score")
        .annotate(c=Count("id"))
        .order_by()
    )
    print(f"before: the counts grouped through the join to the responses: {time.perf_counter() - t:.2f} s")
    times = []
    for _ in range(3):
        t = time.perf_counter()
        tallies.recount(campaign)
        selectors.campaign_results(campaign)
        times.append(time.perf_counter() - t)
    print(
        f"recompute (counts from every answer, then every unit's figures): median {statistics.median(times):.2f} s"
    )
    times = []
    for _ in range(7):
        t = time.perf_counter()
        _, rows = selectors.campaign_results(campaign)
        times.append(time.perf_counter() - t)
    print(
        f"figures of {len(rows)} units from the kept counts: median {statistics.median(times) * 1000:.0f} ms"
    )

    client = Client(SERVER_NAME="localhost")
    client.force_login(coordinator)
    print(f"{'page':<34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, url in (
        ("results, ranking, chart", f"/khao-sat/{campaign.pk}/"),
        ("a unit: elements, trend", f"/khao-sat/{campaign.pk}/don-vi/{units[5].pk}/"),
    ):
        median, p95, queries = measure(client, url)
        print(f"{name:<34} {median:>10.1f} {p95:>8.1f} {queries:>8}")

    tmp = Path(tempfile.mkdtemp(prefix="cchc-bench-surveys-"))
    (tmp / "q.csv").write_text(questionnaire_csv(campaign.questionnaire), encoding="utf-8")
    t = time.perf_counter()
    (tmp / "r.csv").write_text(responses_csv(campaign), encoding="utf-8")
    exported = time.perf_counter() - t
    t = time.perf_counter()
    call_command(
        "survey_results",
        questionnaire=str(tmp / "q.csv"),
        responses=str(tmp / "r.csv"),
        out=str(tmp / "o.csv"),
    )
    print(
        f"from files: export responses.csv {exported:.1f} s, cchc survey results {time.perf_counter() - t:.1f} s "
        f"({(tmp / 'r.csv').stat().st_size / 2**20:.0f} MiB)"
    )

    campaign.targets.update(sample_size=max(1, args.dossiers * 5 // 100 // UNITS))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE dossiers_dossier" if connection.vendor == "postgresql" else "ANALYZE")
    if args.before:
        t = time.perf_counter()
        drawn = _draw_before(campaign)
        print(
            f"before: 5% sample from {args.dossiers:,} finished dossiers, frame read into Python"
            f" (random.Random per stratum, bulk insert): {drawn:,} drawn in {time.perf_counter() - t:.2f} s"
        )
    t = time.perf_counter()
    drawn = sample_draw(actor=coordinator, campaign=campaign)
    print(
        f"after: 5% sample from {args.dossiers:,} finished dossiers, counted, ranked and inserted in SQL:"
        f" {drawn:,} drawn in {time.perf_counter() - t:.2f} s"
    )
    median, p95, queries = measure(client, f"/khao-sat/{campaign.pk}/")
    print(f"{'results page with the sample drawn':<34} {median:>10.1f} {p95:>8.1f} {queries:>8}")


def _draw_before(campaign) -> int:
    """The draw as it was (for the ratio, rolled back): every finished dossier of the window read
    into Python, each stratum shuffled with `random.Random(seed:unit:procedure)`, the entries
    inserted by bulk_create."""
    from django.db import transaction

    from cchc.dossiers.models import Dossier
    from cchc.orgs.models import Unit
    from cchc.surveys.models import SampleEntry
    from cchc.surveys.sampling import allocate
    from cchc.surveys.services.campaigns import _window

    with transaction.atomic():
        start, end = _window(campaign)
        targets = list(campaign.targets.select_related("unit").order_by("unit__code"))
        stratum_of: dict[int, int] = {}
        deepest_first = sorted(targets, key=lambda t: -len(t.unit.path))
        for unit_id, path in Unit.objects.filter(path__startswith=campaign.owner.path).values_list(
            "id", "path"
        ):
            target = next((t for t in deepest_first if path.startswith(t.unit.path)), None)
            if target is not None:
                stratum_of[unit_id] = target.unit_id
        frames: dict[int, list[tuple[int, int]]] = {t.unit_id: [] for t in targets}
        rows = Dossier.objects.filter(
            handling_unit_id__in=list(stratum_of), finished_at__gte=start, finished_at__lt=end
        ).values_list("id", "procedure_id", "handling_unit_id")
        for dossier_id, procedure_id, handling_unit_id in rows.iterator(chunk_size=50_000):
            frames[stratum_of[handling_unit_id]].append((dossier_id, procedure_id))
        entries = []
        for target in targets:
            by_procedure: dict[int, list[int]] = {}
            for dossier_id, procedure_id in frames.pop(target.unit_id):
                by_procedure.setdefault(procedure_id, []).append(dossier_id)
            shares = allocate({p: len(ids) for p, ids in by_procedure.items()}, target.sample_size)
            for procedure_id in sorted(by_procedure):
                if shares[procedure_id]:
                    rng = random.Random(f"{campaign.seed}:{target.unit.code}:{procedure_id}")
                    for d in sorted(rng.sample(sorted(by_procedure[procedure_id]), shares[procedure_id])):
                        entries.append(
                            SampleEntry(
                                campaign=campaign, unit=target.unit, dossier_id=d, procedure_id=procedure_id
                            )
                        )
        SampleEntry.objects.bulk_create(entries, batch_size=5000)
        transaction.set_rollback(True)
    return len(entries)


if __name__ == "__main__":
    main()
