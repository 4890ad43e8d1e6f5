# The open dossiers' partial index carries the columns the live indicators judge them on, so that
# judging them when a figure is read is an index-only scan (docs/scaling.md, "First bottleneck").
# PostgreSQL only (SQLite has no INCLUDE); the index keeps its name, columns and condition, so
# Django's model state is unchanged.

from django.db import migrations

COVERING = (
    "CREATE INDEX {name} ON dossiers_dossier (handling_unit_id, received_at) "
    "INCLUDE (on_time_until, supplement_count, apologised, finished_at, id) "
    "WHERE finished_at IS NULL AND received_at IS NOT NULL"
)
PLAIN = (
    "CREATE INDEX {name} ON dossiers_dossier (handling_unit_id, received_at) "
    "WHERE finished_at IS NULL AND received_at IS NOT NULL"
)


def _swap(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("DROP INDEX IF EXISTS dossier_unit_open")
        schema_editor.execute(sql.format(name="dossier_unit_open"))

    return run


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0008_fewer_redundant_indexes")]

    operations = [migrations.RunPython(_swap(COVERING), _swap(PLAIN))]
