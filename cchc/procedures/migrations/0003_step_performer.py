"""Step.performer: who performs a step, until now read from the step's words each time. Existing
steps are filled by the same words rule (frozen here, as it stood when the field arrived), so
every process routes as before."""

import unicodedata

from django.db import migrations, models

DESK_WORDS = ("một cửa", "tiếp nhận và trả kết quả", "phục vụ hành chính công")
LEADER_WORDS = (
    "lãnh đạo",
    "chủ tịch",
    "giám đốc",
    "trưởng phòng",
    "thủ trưởng",
    "người đứng đầu",
    "cục trưởng",
    "trưởng ban",
)


def performer_from_words(actor_role):
    text = unicodedata.normalize("NFC", actor_role or "").casefold()
    if any(w in text for w in DESK_WORDS):
        return "desk"
    if any(w in text for w in LEADER_WORDS):
        return "leader"
    return "specialist"


def fill(apps, schema_editor):
    Step = apps.get_model("procedures", "Step")
    for performer in ("desk", "leader"):
        ids = [
            pk
            for pk, words in Step.objects.values_list("pk", "actor_role").iterator()
            if performer_from_words(words) == performer
        ]
        for start in range(0, len(ids), 5000):
            Step.objects.filter(pk__in=ids[start : start + 5000]).update(performer=performer)


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0002_procedure_applicant_type"),
    ]

    operations = [
        migrations.AddField(
            model_name="step",
            name="performer",
            field=models.CharField(
                choices=[
                    ("desk", "Bộ phận một cửa"),
                    ("specialist", "Chuyên viên xử lý"),
                    ("leader", "Lãnh đạo (phân công, xem xét, ký duyệt)"),
                ],
                default="specialist",
                max_length=16,
                verbose_name="vai trò thực hiện",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
