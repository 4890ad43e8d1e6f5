"""Manual reports are stored under the reporting-window keys of `cchc.core.periods`:
"2026-Q1" → "BC-2026-Q1", "2026-H1" → "BC-2026-H1", "2026-9M" → "BC-2026-9M", "2026-Y" →
"BC-2026-Y" (one period vocabulary, docs/decisions.md). Reversible. The audit log keeps the
keys as they were written at the time."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

PREFIX = "BC-"


def forward(apps, schema_editor):
    ManualReport = apps.get_model("manual_indicators", "ManualReport")
    ManualReport.objects.exclude(period__startswith=PREFIX).update(period=Concat(Value(PREFIX), F("period")))


def backward(apps, schema_editor):
    ManualReport = apps.get_model("manual_indicators", "ManualReport")
    ManualReport.objects.filter(period__startswith=PREFIX).update(period=Substr("period", len(PREFIX) + 1))


class Migration(migrations.Migration):
    dependencies = [("manual_indicators", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
