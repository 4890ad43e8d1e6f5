"""The live totals no longer hold the on-time measures of open dossiers (they are judged when read,
at min(period end, now)): recompute the stored totals of a database that has dossiers."""

from django.db import migrations


def recompute(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    if not Dossier.objects.filter(received_at__isnull=False).exists():
        return
    from cchc.indicators.rebuild import rebuild  # the current code: this is the latest schema

    rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_reporting_year_key"),
        ("dossiers", "0005_open_dossiers_index"),
    ]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
