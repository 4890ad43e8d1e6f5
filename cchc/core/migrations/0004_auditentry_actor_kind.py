from django.db import migrations, models


def kinds_of_existing_rows(apps, schema_editor):
    """Rows written before the kind existed: a user if one is recorded, else the system (the
    public pages then also recorded no user; the two cannot be told apart afterwards)."""
    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditEntry.objects.filter(actor__isnull=False).update(actor_kind="user")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_calendar_day_work_schedule"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="actor_kind",
            field=models.CharField(
                choices=[("user", "người dùng"), ("system", "hệ thống"), ("citizen", "người dân")],
                default="system",
                max_length=8,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(kinds_of_existing_rows, migrations.RunPython.noop),
    ]
