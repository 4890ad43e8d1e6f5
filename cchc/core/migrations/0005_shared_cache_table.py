"""The table of the database cache (settings.CACHES in the embedded mode): created with the schema,
so `migrate` alone — `make run`, `cchc serve`, the tests — leaves the rate limits working."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_auditentry_actor_kind")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
