"""Questionnaire and response files (docs/specs/survey-results.md): CSV as the contract writes it,
and XLSX with the same columns (one sheet; a title may sit above the header row) for responses
collected elsewhere.

Readers return ``(line, row)`` pairs for `formulas.build_questionnaire` /
`formulas.check_responses` and raise `SurveyErrors` for what is wrong with the file itself
(encoding, header). Lines are the file's own: the CSV line where a record starts, the
spreadsheet's row number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from cchc.core.tables import TableErrors, read_table

from .formulas import QUESTION_COLUMNS, RESPONSE_COLUMNS, RESULT_COLUMNS, Row, SurveyError, SurveyErrors

# Columns the application's questionnaires add beyond the contract (the command ignores them).
QUESTION_EXTRA_COLUMNS = ("ten_yeu_to", "noi_dung", "lua_chon")
Rows = list[tuple[int, Row]]


def read_rows(data: bytes, required: Sequence[str]) -> Rows:
    """The rows of a CSV or XLSX file (told apart by content), with their lines; the first
    broken or too wide CSV line stops the reading (`cchc.core.tables.read_table`)."""
    try:
        return read_table(data, required)
    except TableErrors as exc:
        raise SurveyErrors([SurveyError(e.line, e.reason) for e in exc.errors]) from None


def read_questionnaire_rows(data: bytes) -> Rows:
    return read_rows(data, QUESTION_COLUMNS)


def read_response_rows(data: bytes) -> Rows:
    return read_rows(data, RESPONSE_COLUMNS)


def write_csv(rows: Iterable[Row], columns: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def results_csv(rows: Iterable[Row]) -> str:
    return write_csv(rows, RESULT_COLUMNS)
