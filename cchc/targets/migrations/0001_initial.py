"""Target bindings move out of plans.Target into their own table (copied here; plans'
next migration drops the old columns)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_bindings(apps, schema_editor):
    Target = apps.get_model("plans", "Target")
    TargetBinding = apps.get_model("targets", "TargetBinding")
    rows = (
        Target.objects.exclude(indicator="", indicator_suggested="", measured_unit=None)
        .values_list("pk", "indicator", "indicator_suggested", "indicator_confirmed_by_id",
                     "indicator_confirmed_at", "measured_unit_id")
        .order_by("pk")
    )
    TargetBinding.objects.bulk_create(
        [
            TargetBinding(target_id=pk, indicator=ind, suggested=sug, confirmed_by_id=by,
                          confirmed_at=at, measured_unit_id=unit)
            for pk, ind, sug, by, at, unit in rows
        ],
        batch_size=1000,
    )


def copy_back(apps, schema_editor):
    Target = apps.get_model("plans", "Target")
    TargetBinding = apps.get_model("targets", "TargetBinding")
    for b in TargetBinding.objects.all():
        Target.objects.filter(pk=b.target_id).update(
            indicator=b.indicator, indicator_suggested=b.suggested, indicator_confirmed_by_id=b.confirmed_by_id,
            indicator_confirmed_at=b.confirmed_at, measured_unit_id=b.measured_unit_id,
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("orgs", "0001_initial"),
        ("plans", "0003_target_indicator_binding"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TargetBinding",
            fields=[
                (
                    "target",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="binding",
                        serialize=False,
                        to="plans.target",
                    ),
                ),
                ("indicator", models.CharField(blank=True, max_length=80, verbose_name="chỉ số đo")),
                ("suggested", models.CharField(blank=True, max_length=80, verbose_name="chỉ số hệ thống đề xuất")),
                ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="xác nhận chỉ số lúc")),
                (
                    "confirmed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người xác nhận chỉ số",
                    ),
                ),
                (
                    "measured_unit",
                    models.ForeignKey(
                        blank=True,
                        help_text="Để trống: cơ quan ban hành kế hoạch.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="orgs.unit",
                        verbose_name="đơn vị lấy số liệu",
                    ),
                ),
            ],
            options={"verbose_name": "chỉ số đo chỉ tiêu"},
        ),
        migrations.RunPython(copy_bindings, copy_back),
    ]
