"""Benchmark of the 766 computation on PostgreSQL (prints figures; asserts nothing).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/index766.py --dossiers 2000000 [--communes 100] [--keep]

Creates a scratch database (cchc_bench766_<pid>) on the server BENCH_DATABASE_URL names, migrates it,
fills one province (20 agencies, the communes, 1,500 procedures) and the dossiers with
INSERT … SELECT generate_series (random facts spread over two years), then times
`index766_compute` for a year, a quarter and a month, and drops the database (unless --keep).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _scratch_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = f"cchc_bench766_{os.getpid()}"
    return urlunsplit(parts._replace(path=f"/{name}")), name


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def _literal(field) -> str:
    from django.db import models

    if field.null:
        return "NULL"
    if isinstance(field, models.BooleanField):
        return "false"
    if isinstance(field, models.JSONField):
        return "'[]'::jsonb" if field.default is list else "'{}'::jsonb"
    if isinstance(field, (models.IntegerField, models.DecimalField)):
        return "0"
    if isinstance(field, models.DateTimeField):
        return "now()"
    return "''"


def _fill(dossiers: int, communes: int) -> None:
    from django.db import connection

    from cchc.dossiers.models import Dossier
    from cchc.orgs.models import Unit, UnitKind
    from cchc.procedures.models import Procedure

    province = Unit.objects.create(
        code="P99", name="Tỉnh Thử Nghiệm", kind=UnitKind.PROVINCE, path="", depth=0
    )
    Unit.objects.filter(pk=province.pk).update(path=f"{province.pk}/")
    province.refresh_from_db()
    units = [province]
    for i in range(20 + communes):
        kind = UnitKind.AGENCY if i < 20 else UnitKind.COMMUNE
        u = Unit.objects.create(
            code=f"P99.{i}", name=f"Đơn vị {i}", kind=kind, parent=province, path="", depth=1
        )
        Unit.objects.filter(pk=u.pk).update(path=f"{province.pk}/{u.pk}/")
        units.append(u)
    procs = [
        Procedure(code=f"1.{i:06d}", name=f"Thủ tục {i}", agency=units[1 + i % 20] if i % 3 else province,
                  level="province" if i % 3 else "commune", fee_amount=(i % 4) * 10_000, online_mode="full" if i % 2 else "partial",
                  result_type="Giấy phép", applicant_type="citizen", published_on=None)
        for i in range(1500)
    ]  # fmt: skip
    Procedure.objects.bulk_create(procs, batch_size=1000)
    unit_ids = [u.pk for u in units[1:]]
    proc_ids = list(Procedure.objects.values_list("pk", flat=True))
    custom = {
        "code": "'B' || g",
        "procedure_id": f"(ARRAY{proc_ids})[(1 + (g * 7919) % {len(proc_ids)})::int]",
        "handling_unit_id": f"(ARRAY{unit_ids})[(1 + (g * 104729) % {len(unit_ids)})::int]",
        "receiving_unit_id": f"(ARRAY{unit_ids})[(1 + (g * 104729) % {len(unit_ids)})::int]",
        "channel": "(ARRAY['truc_tiep','truc_tuyen','buu_chinh'])[(1 + g % 3)::int]",
        "applicant_name": "'x'",
        "state": "'returned'",
        "received_at": "r",
        "submitted_at": "r",
        "due_at": "r + interval '5 days'",
        "current_due_at": "r + interval '5 days'",
        "on_time_until": "r + interval '5 days' + (g % 7) * interval '1 hour'",
        "paused_elapsed_hours": "(g % 7)",
        "supplement_count": "(g % 11) / 9",
        "finished_at": "CASE WHEN g % 10 = 0 THEN NULL ELSE r + (g % 9) * interval '1 day' END",
        "result": "CASE WHEN g % 10 = 0 THEN '' ELSE 'chap_thuan' END",
        "fee_due": "g % 4 = 0",
        "paid_online": "g % 8 = 0",
        "electronic_result": "g % 3 = 0",
        "digitised": "g % 5 <> 0",
        "data_reused": "g % 6 = 0",
        "vneid_authenticated": "g % 2 = 0",
        "linked_to_personal_data_store": "g % 7 = 0",
        "synced_to_national_portal": "g % 13 <> 0",
        "synced_at": "r + (g % 120) * interval '1 minute'",
        "rating": "CASE WHEN g % 17 = 0 THEN 'khong_hai_long' ELSE '' END",
    }
    cols, values = [], []
    for f in Dossier._meta.concrete_fields:
        if f.primary_key:
            continue
        cols.append(f.column)
        values.append(custom.get(f.attname, _literal(f)))
    sql = (
        f"INSERT INTO {Dossier._meta.db_table} ({', '.join(cols)}) "
        f"SELECT {', '.join(values)} FROM (SELECT g, timestamptz '2025-01-01 08:00+07' + "
        f"(g * 7331 % (730 * 24 * 60)) * interval '1 minute' AS r FROM generate_series(1::bigint, %s) g) s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("%", "%%").replace("%%s", "%s"), [dossiers])
        cursor.execute(f"ANALYZE {Dossier._meta.db_table}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        print("BENCH_DATABASE_URL must name a PostgreSQL server.", file=sys.stderr)
        return 2
    url, name = _scratch_url(base)
    _admin(base, f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    try:
        import django

        django.setup()

        from django.core.management import call_command

        from cchc.core.actors import SYSTEM

        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        _fill(args.dossiers, args.communes)
        print(f"fill {args.dossiers:,} dossiers: {time.perf_counter() - t:.1f} s")
        from django.db import connection

        from cchc.index766.compute import index766_compute

        for key in ("2026", "2026-Q1", "2026-03"):
            t = time.perf_counter()
            report = index766_compute(actor=SYSTEM, period_keys=[key])
            print(f"compute {key}: {report.units} units in {time.perf_counter() - t:.2f} s "
                  f"(total of the province {report.roots[0][2]})")  # fmt: skip
        connection.close()
    finally:
        if not args.keep:
            _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
