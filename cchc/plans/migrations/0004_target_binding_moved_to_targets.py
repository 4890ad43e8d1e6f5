"""The indicator binding of a target now lives in targets.TargetBinding (copied there first)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_target_indicator_binding"),
        ("targets", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="target", name="indicator"),
        migrations.RemoveField(model_name="target", name="indicator_confirmed_at"),
        migrations.RemoveField(model_name="target", name="indicator_confirmed_by"),
        migrations.RemoveField(model_name="target", name="indicator_suggested"),
        migrations.RemoveField(model_name="target", name="measured_unit"),
    ]
