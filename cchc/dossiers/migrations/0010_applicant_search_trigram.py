# The staff search by the applicant's name (cchc/dossiers/search.py) looks for " word" anywhere in
# the folded name: on PostgreSQL a trigram index (pg_trgm, GIN) answers that from the index instead
# of reading the dossiers one by one in the queue's order. PostgreSQL only, created here and not
# in the model (SQLite has no such index and keeps the plain search; the results are the same);
# Django's model state is unchanged. Partial: imported dossiers carry no name.

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS dossier_applicant_trgm ON dossiers_dossier "
    "USING gin (applicant_search gin_trgm_ops) WHERE applicant_search <> ''"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS dossier_applicant_trgm")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0009_open_dossiers_index_covering")]

    operations = [migrations.RunPython(create, drop)]
