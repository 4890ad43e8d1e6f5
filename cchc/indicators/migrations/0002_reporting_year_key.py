"""The live totals of a year's CCHC reporting window are stored under "BC-2026-Y" (was "BC-2026"),
the one spelling of `cchc.core.periods` (docs/decisions.md, one period vocabulary). The other
keys ("2026", "2026-Q1", …, "BC-2026-Q1", "BC-2026-H1", "BC-2026-9M") do not change. Reversible."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr

YEAR_WINDOW_LENGTH = len("BC-2026")


def forward(apps, schema_editor):
    MeasureTotal = apps.get_model("indicators", "MeasureTotal")
    (
        MeasureTotal.objects.annotate(key_length=Length("period"))
        .filter(period__startswith="BC-", key_length=YEAR_WINDOW_LENGTH)
        .update(period=Concat(F("period"), Value("-Y")))
    )


def backward(apps, schema_editor):
    MeasureTotal = apps.get_model("indicators", "MeasureTotal")
    (
        MeasureTotal.objects.filter(period__startswith="BC-", period__endswith="-Y").update(
            period=Substr("period", 1, YEAR_WINDOW_LENGTH)
        )
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_measure_totals")]

    operations = [migrations.RunPython(forward, backward)]
