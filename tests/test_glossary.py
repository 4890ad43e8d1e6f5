"""docs/glossary.md lists every indicator code the project defines, in its section
"Mã chỉ số / Indicator codes"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cchc.index766 import formulas as index766
from cchc.index766.source import INDEX766_SOURCE
from cchc.indicators.definitions import INDICATOR_CODES, MEASURE_CODES
from cchc.indicators.sources import DOSSIER_INDICATORS, DOSSIER_SOURCE
from cchc.inspections.source import CODES as INSPECTION_CODES
from cchc.manual_indicators.demo import DEFINITIONS as MANUAL_DEMO
from cchc.manual_indicators.source import ManualSource
from cchc.surveys.source import CODES as SURVEY_CODES
from cchc.surveys.source import SURVEY_SOURCE
from cchc.tracking.source import CODES as TASK_CODES
from cchc.tracking.source import TASK_SOURCE

GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.md"
HEADING = "## Mã chỉ số / Indicator codes"


def section() -> str:
    text = GLOSSARY.read_text(encoding="utf-8")
    assert HEADING in text, f"docs/glossary.md has no section “{HEADING}”"
    body = text.split(HEADING, 1)[1]
    following = re.search(r"^## ", body, re.MULTILINE)  # up to the next section of the same level
    return body[: following.start()] if following else body


def listed() -> set[str]:
    return set(re.findall(r"`([^`\s]+)`", section()))


def codes() -> list[str]:
    return [
        *INDICATOR_CODES,
        *DOSSIER_INDICATORS,
        *MEASURE_CODES,
        "766",
        *(f"766:{g}" for g in index766.GROUP_CODES),
        *(i.code for i in index766.INDICATORS),
        "manual:<code>",
        *(f"manual:{d.code}" for d in MANUAL_DEMO),
        *TASK_CODES,
        *INSPECTION_CODES,
        *SURVEY_CODES,
    ]


@pytest.mark.parametrize("code", codes())
def test_every_indicator_code_is_in_the_glossary(code):
    assert code in listed(), f"docs/glossary.md, “{HEADING}”: add `{code}`"


def test_every_code_in_the_tables_is_defined():
    """Both ways: a code in the first column of the section's tables is one the project defines."""
    rows = re.findall(r"^\| `([^`]+)` \|", section(), re.MULTILINE)
    assert len(rows) > 30
    assert sorted(set(rows) - set(codes())) == []


def test_the_code_forms_are_the_providers():
    assert INDEX766_SOURCE.owns("766") and all(INDEX766_SOURCE.owns(f"766:{g}") for g in index766.GROUP_CODES)
    assert all(ManualSource().owns(f"manual:{d.code}") for d in MANUAL_DEMO)
    assert all(DOSSIER_SOURCE.owns(code) for code in DOSSIER_INDICATORS)
    assert all(TASK_SOURCE.owns(code) for code in TASK_CODES)
    assert all(SURVEY_SOURCE.owns(code) for code in SURVEY_CODES)
