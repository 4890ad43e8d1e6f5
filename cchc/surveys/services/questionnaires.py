"""The seeded questionnaires (cchc/surveys/data/*.csv, questionnaire.csv of
docs/specs/survey-results.md plus the columns ten_yeu_to, noi_dung, lua_chon), loaded by the
data migration and again by `load_seeded` — idempotent: a second load changes nothing, a changed
file updates the texts and adds the new questions (questions already answered are never
removed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cchc.surveys import files, formulas

DATA = Path(__file__).resolve().parent.parent / "data"

# code, name, variant, file
SEEDED = (
    (
        "SIPAS-HCC",
        "Phiếu khảo sát sự hài lòng đối với sự phục vụ của cơ quan hành chính nhà nước (dịch vụ hành chính công)",
        "hanh_chinh",
        "sipas-hanh-chinh.csv",
    ),
    (
        "SIPAS-GD",
        "Phiếu khảo sát sự hài lòng đối với dịch vụ giáo dục công",
        "giao_duc",
        "sipas-giao-duc.csv",
    ),
    (
        "SIPAS-YT",
        "Phiếu khảo sát sự hài lòng của người bệnh đối với dịch vụ y tế công",
        "y_te",
        "sipas-y-te.csv",
    ),
)


def load_questionnaire(
    code: str, name: str, variant: str, data: bytes, *, Questionnaire: Any, Section: Any, Question: Any
) -> Any:
    """Load one questionnaire file (checked by the contract's own rules first). The model classes
    are passed in so that a data migration can give its historical ones."""
    rows = files.read_questionnaire_rows(data)
    formulas.build_questionnaire(rows)  # raises SurveyErrors on a bad file
    questionnaire, _ = Questionnaire.objects.update_or_create(
        code=code, defaults={"name": name, "variant": variant}
    )
    sections: dict[str, Any] = {}
    for order, (_, row) in enumerate(rows, start=1):
        element = row["yeu_to"].strip()
        if element not in sections:
            sections[element], _ = Section.objects.update_or_create(
                questionnaire=questionnaire,
                code=element,
                defaults={"name": (row.get("ten_yeu_to") or element).strip(), "order": len(sections) + 1},
            )
        Question.objects.update_or_create(
            questionnaire=questionnaire,
            code=row["ma_cau"].strip(),
            defaults={
                "section": sections[element],
                "kind": row["loai"].strip().lower(),
                "text": (row.get("noi_dung") or "").strip() or row["ma_cau"].strip(),
                "choices": (row.get("lua_chon") or "").strip(),
                "order": order,
            },
        )
    codes = [row["ma_cau"].strip() for _, row in rows]
    Question.objects.filter(questionnaire=questionnaire, answers__isnull=True).exclude(
        code__in=codes
    ).delete()
    return questionnaire


def load_seeded(Questionnaire: Any = None, Section: Any = None, Question: Any = None) -> None:
    if Questionnaire is None:
        from cchc.surveys import models

        Questionnaire, Section, Question = models.Questionnaire, models.Section, models.Question
    for code, name, variant, filename in SEEDED:
        load_questionnaire(
            code,
            name,
            variant,
            (DATA / filename).read_bytes(),
            Questionnaire=Questionnaire,
            Section=Section,
            Question=Question,
        )


def questionnaire_rows(questionnaire: Any) -> list[dict[str, str]]:
    """A questionnaire back as questionnaire.csv rows (with the text columns)."""
    return [
        {
            "ma_cau": q.code,
            "yeu_to": q.section.code,
            "loai": q.kind,
            "ten_yeu_to": q.section.name,
            "noi_dung": q.text,
            "lua_chon": q.choices,
        }
        for q in questionnaire.questions.select_related("section").order_by("order", "id")
    ]


QUESTIONNAIRE_FILE_COLUMNS = (*formulas.QUESTION_COLUMNS, *files.QUESTION_EXTRA_COLUMNS)
