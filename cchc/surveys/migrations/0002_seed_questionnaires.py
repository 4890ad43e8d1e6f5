from django.db import migrations


def seed(apps, schema_editor):
    from cchc.surveys.services.questionnaires import load_seeded

    load_seeded(apps.get_model("surveys", "Questionnaire"), apps.get_model("surveys", "Section"), apps.get_model("surveys", "Question"))


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
