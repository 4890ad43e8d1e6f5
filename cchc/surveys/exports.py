"""Files out of the application: a questionnaire as questionnaire.csv, a campaign's responses as
responses.csv (docs/specs/survey-results.md), the results as results.csv and XLSX, and the issued
links as CSV."""

from __future__ import annotations

from collections.abc import Iterable

from . import files, formulas
from .models import Answer, Campaign, Questionnaire, SampleEntry
from .services.questionnaires import QUESTIONNAIRE_FILE_COLUMNS, questionnaire_rows


def questionnaire_csv(questionnaire: Questionnaire) -> str:
    return files.write_csv(questionnaire_rows(questionnaire), QUESTIONNAIRE_FILE_COLUMNS)


def responses_csv(campaign: Campaign) -> str:
    """Every answer; the response id stands for ma_phieu unless a form code was given."""
    rows = (
        {
            "ma_phieu": form or f"#{response_id}",
            "ma_don_vi": unit,
            "ma_cau": code,
            "gia_tri": "" if score is None and not text else (str(score) if score is not None else text),
        }
        for response_id, form, unit, code, score, text in Answer.objects.filter(response__campaign=campaign)
        .order_by("response_id", "question__order")
        .values_list(
            "response_id", "response__form_code", "response__unit__code", "question__code", "score", "text"
        )
        .iterator(chunk_size=10_000)
    )
    return files.write_csv(rows, formulas.RESPONSE_COLUMNS)


def results_csv(results: Iterable[formulas.UnitResult]) -> str:
    return files.results_csv(formulas.result_rows(results))


def links_csv(issued: Iterable[tuple[SampleEntry, str]], base_url: str) -> str:
    rows = (
        {
            "ma_don_vi": entry.unit.code,
            "don_vi": entry.unit.name,
            "ma_ho_so": entry.dossier.code if entry.dossier else "",
            "so_dien_thoai": entry.dossier.applicant_phone if entry.dossier else "",
            "duong_dan": f"{base_url}{token}/",
        }
        for entry, token in issued
    )
    return files.write_csv(rows, ("ma_don_vi", "don_vi", "ma_ho_so", "so_dien_thoai", "duong_dan"))
