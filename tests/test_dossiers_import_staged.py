"""The PostgreSQL import through the stage (cchc/dossiers/imports/staged.py): the server makes the
dossiers' events, a sample is checked as stored, a bulk load drops and remakes the secondary
indexes and keys in its own transaction. The tests of tests/test_dossiers_import.py run through
the stage on PostgreSQL too; these add what only the stage has."""

import pytest
from django.db import connection

from cchc.core.models import AuditEntry
from cchc.dossiers.imports import FastPathMismatch, dossiers_import, staged
from cchc.dossiers.models import Dossier, DossierEvent
from cchc.dossiers.observers import observers
from cchc.exchange import iter_dossiers
from cchc.indicators.rebuild import rebuild

from .test_dossiers_import import (  # noqa: F401 - fixtures
    EDGE_ROWS,
    assert_equals_reference,
    exchange_file,
    generated,
    procedure,
    stored,
    write_csv,
)

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the stage is PostgreSQL's")


def schema() -> tuple[list, list]:
    """The dossiers' and events' index and foreign-key definitions."""
    tables = [Dossier._meta.db_table, DossierEvent._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = ANY(%s::regclass[]) ORDER BY 1",
            [tables],
        )
        indexes = [r[0] for r in cursor.fetchall()]
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1",
            [tables],
        )
        keys = cursor.fetchall()
    return indexes, keys


def test_the_stage_and_the_python_events_store_the_same(generated, users):  # noqa: F811 - the fixture imported above
    path, _ = generated
    report = dossiers_import(actor=users.admin, path=path, batch_size=900, staged=False)
    first = stored()
    Dossier.objects.all().delete()
    again = dossiers_import(actor=users.admin, path=path, batch_size=900)
    assert stored() == first and len(first) == 2500
    assert (again.created, again.events, again.bad) == (report.created, report.events, report.bad)
    assert again.verified > 30  # the sample was compared as stored


def test_edge_rows_through_the_stage(procedure, users, tmp_path):  # noqa: F811 - the fixture imported above
    path = write_csv(tmp_path, EDGE_ROWS)
    report = dossiers_import(actor=users.admin, path=path)
    assert (report.created, report.bad, report.verified) == (len(EDGE_ROWS), [], len(EDGE_ROWS))
    rows = list(iter_dossiers(path, {"W00001", "W00002", "W00003"}))
    assert assert_equals_reference(rows) == len(EDGE_ROWS)


def test_bulk_load_equals_the_reference_and_gives_back_every_index_and_key(generated, users):  # noqa: F811 - the fixture imported above
    path, units = generated
    before = schema()
    report = dossiers_import(actor=users.admin, path=path, batch_size=700, bulk=True)
    assert report.created == 2500 and report.bad == []
    assert schema() == before  # same indexes, same keys, validated
    assert assert_equals_reference(list(iter_dossiers(path, {c for c, _, _ in units}))) == 2500
    assert rebuild(check=True).differences == []  # the live totals, batch by batch
    assert AuditEntry.objects.filter(action="dossiers.import").count() == 4
    again = dossiers_import(actor=users.admin, path=path, bulk=True)
    assert (again.created, again.unchanged) == (0, 2500) and schema() == before


def test_a_failing_bulk_load_leaves_nothing(generated, users):  # noqa: F811 - the fixture imported above
    """A bulk load is one transaction: the batches already loaded go too, and the indexes and
    keys dropped for it are back. The live totals count the whole load once, at its end."""
    path, _ = generated
    before = schema()
    calls = []

    class FailAtTheEnd:
        def dossier_changed(self, before, after, *, unit_id, channel):
            pass

        def dossiers_added(self, dossiers):
            calls.append(len(dossiers))
            if sum(calls) == 2500:
                raise RuntimeError("máy chủ ngừng giữa chừng")

    failing = observers.register(FailAtTheEnd())
    try:
        with pytest.raises(RuntimeError):
            dossiers_import(actor=users.admin, path=path, batch_size=700, bulk=True)
    finally:
        observers.unregister(failing)
    assert calls == [2500]
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()
    assert not AuditEntry.objects.filter(action="dossiers.import").exists()
    assert schema() == before


def test_events_the_server_makes_otherwise_stop_the_import(exchange_file, users, monkeypatch):  # noqa: F811 - the fixture imported above
    """The sample compares the stored events with the reference: a change to the SQL that
    `events_for` does not make is caught before the batch commits."""
    wrong = staged.events_sql

    def drifted(dossiers, events_table):
        return wrong(dossiers, events_table).replace("'reason', ''", "'reason', 'khác'")

    monkeypatch.setattr(staged, "events_sql", drifted)
    with pytest.raises(FastPathMismatch, match="HS-2"):  # the one apology of the file
        dossiers_import(actor=users.admin, path=exchange_file)
    assert not Dossier.objects.exists()


def test_bulk_is_chosen_for_a_file_large_against_the_table(db, monkeypatch):
    monkeypatch.setattr(staged, "BULK_MIN_ROWS", 10)
    assert not staged.bulk_wanted(connection, 9)
    assert staged.bulk_wanted(connection, 10)  # an empty table
