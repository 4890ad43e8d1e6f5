"""Answers repeat their response's campaign and unit and their question's element (the survey
recount groups the answers without joins); filled for the answers already stored."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Answer = apps.get_model("surveys", "Answer")
    Response = apps.get_model("surveys", "Response")
    Question = apps.get_model("surveys", "Question")
    response = Response.objects.filter(pk=OuterRef("response_id"))
    Answer.objects.update(
        campaign_id=Subquery(response.values("campaign_id")[:1]),
        unit_id=Subquery(response.values("unit_id")[:1]),
        element=Subquery(Question.objects.filter(pk=OuterRef("question_id")).values("section__code")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("surveys", "0003_answer_tallies"),
    ]

    operations = [
        migrations.AddField(
            model_name="answer",
            name="campaign",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="surveys.campaign",
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.unit",
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="element",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
