"""The collation `vi` (Vietnamese dictionary order, ICU) in PostgreSQL; SQLite gets its `vi` from
`cchc.core.collation`, registered on each connection."""

from django.db import migrations

CREATE = "CREATE COLLATION IF NOT EXISTS vi (provider = icu, locale = 'vi')"
DROP = "DROP COLLATION IF EXISTS vi"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_audit_api_client")]

    operations = [migrations.RunPython(create, drop)]
