"""Run by tests/test_db_router.py in a child process (its own Django, two real servers): the
primary as ``default`` and its streaming replica as ``replica`` (scripts/start-replica.sh).
Prints one JSON line of what it observed; the test asserts on it.

    DATABASE_URL=<primary db> DATABASE_REPLICA_URL=<replica db> python tests/replica_probe.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"


def main() -> None:
    import django

    django.setup()
    from django.db import connections, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from cchc.core.actors import SYSTEM
    from cchc.core.db_router import replica_reads
    from cchc.indicators import live
    from cchc.indicators.dashboard import unit_dashboard
    from cchc.indicators.models import MeasureTotal
    from cchc.orgs.models import Role, Unit, UnitKind, User
    from cchc.orgs.services import unit_create, user_create

    primary, replica = connections["default"], connections["replica"]
    province = Unit.objects.filter(code="P75").first() or unit_create(
        actor=SYSTEM, name="Tỉnh Đồng Nai", kind=UnitKind.PROVINCE, code="P75", gso_code="75"
    )
    user = User.objects.filter(username="probe-coordinator").first() or user_create(
        actor=SYSTEM, username="probe-coordinator", password=None, roles=[(province, Role.COORDINATOR)]
    )
    year = str(timezone.localdate().year)
    mark = int(time.time() * 1000) % 1_000_000_000  # a value this run writes and then reads back
    MeasureTotal.objects.update_or_create(unit=province, period=year, defaults={"r": mark})

    # the write streamed to the replica: wait for it (the lag, measured)
    t0 = time.perf_counter()
    while True:
        with replica.cursor() as cursor:
            cursor.execute(
                f"SELECT r FROM {MeasureTotal._meta.db_table} WHERE unit_id = %s AND period = %s",
                [province.pk, year],
            )
            row = cursor.fetchone()
        if row and row[0] == mark:
            break
        if time.perf_counter() - t0 > 20:
            raise SystemExit("the replica did not receive the write within 20 s")
        time.sleep(0.01)
    lag_ms = (time.perf_counter() - t0) * 1000

    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        in_recovery = cursor.fetchone()[0]

    def where(func) -> tuple[int, int, object]:
        with CaptureQueriesContext(primary) as p, CaptureQueriesContext(replica) as r:
            value = func()
        return len(p.captured_queries), len(r.captured_queries), value

    def tolerant_read():
        with replica_reads():
            return live.unit_totals(province, year)["R"]

    def tolerant_read_in_transaction():
        with transaction.atomic(), replica_reads():
            return live.unit_totals(province, year)["R"]

    def tolerant_write():
        with replica_reads():
            return MeasureTotal.objects.filter(unit=province, period=year).update(r=mark)

    def dashboard():
        d = unit_dashboard(
            user=user, unit=province, period_key=year, sort="dung_han", today=timezone.localdate()
        )
        return next(line.value.raw_numerator for line in d.lines if line.indicator.code == "tiep_nhan")

    out = {
        "in_recovery": in_recovery,
        "lag_ms": lag_ms,
        "mark": mark,
        "plain_read": where(lambda: live.unit_totals(province, year)["R"]),
        "tolerant_read": where(tolerant_read),
        "tolerant_read_in_transaction": where(tolerant_read_in_transaction),
        "tolerant_write": where(tolerant_write),
        "dashboard": where(dashboard),
        "at": dt.datetime.now(dt.UTC).isoformat(),
    }
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
