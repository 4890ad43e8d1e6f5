"""Writes of the CCHC index: keyword-only, one transaction each, audited (docs/par-index.md)."""

from .frameworks import framework_copy, framework_delete, framework_import, framework_issue, framework_replace
from .rounds import (
    clarification_answer,
    clarification_request,
    computed_refresh,
    evidence_add,
    evidence_remove,
    missing_for_submission,
    participant_finalise,
    participant_submit,
    round_finalise,
    round_open,
    round_publish,
    score_appraise,
    score_save,
    survey_scores_import,
)

__all__ = [
    "clarification_answer",
    "clarification_request",
    "evidence_add",
    "evidence_remove",
    "computed_refresh",
    "framework_copy",
    "framework_delete",
    "framework_import",
    "framework_issue",
    "framework_replace",
    "missing_for_submission",
    "participant_finalise",
    "participant_submit",
    "round_finalise",
    "round_open",
    "round_publish",
    "score_appraise",
    "score_save",
    "survey_scores_import",
]
