"""The open dossiers' partial index covers what the live indicators judge them on (migration
dossiers.0006, docs/scaling.md "First bottleneck"): reading a figure judges the open dossiers by
an index-only scan on PostgreSQL. SQLite has no INCLUDE and keeps the plain partial index."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_open_dossiers_index_is_covering_on_postgresql():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'dossier_unit_open'")
            (definition,) = cursor.fetchone()
            assert "INCLUDE (on_time_until, supplement_count, apologised, finished_at, id)" in definition
            assert "WHERE ((finished_at IS NULL) AND (received_at IS NOT NULL))" in definition
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'dossier_unit_open'")
            (definition,) = cursor.fetchone()
            assert '"finished_at" IS NULL' in definition
