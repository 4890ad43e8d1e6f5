import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("surveys", "0004_answer_campaign_unit_element"),
    ]

    operations = [
        migrations.AlterField(
            model_name="answer",
            name="campaign",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="surveys.campaign",
            ),
        ),
        migrations.AlterField(
            model_name="answer",
            name="unit",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="orgs.unit"
            ),
        ),
        migrations.AddIndex(
            model_name="answer",
            index=models.Index(
                condition=models.Q(score__isnull=False),
                fields=["campaign", "unit", "element", "score"],
                name="survey_answer_tally_idx",
            ),
        ),
    ]
