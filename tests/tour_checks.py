"""What a tour of the site checks on every page a person sees (issue 14, "Everywhere"): no stray
English in visible labels, dates as dd/mm/yyyy, counts of a thousand or more grouped (1.993),
no printed Python value (None, True, a choice's code). Pure functions of the page's visible
text, shared by the browser tour (tests/test_tour_browser.py) and the rendered-page scans."""

from __future__ import annotations

import re

# English words a Vietnamese label never needs; short words that are also Vietnamese without
# their marks ("to", "an", "do", "in", "no", "the", "can", "ban") are left out on purpose.
ENGLISH = frozenset(
    """
    and with from page next previous search submit save cancel delete edit view home login logout
    password username status pending open closed draft issued done late overdue error none true
    false yes total date name report plan task target dossier received returned stopped withdrawn
    desk leader officer specialist coordinator admin step upload download export import filter
    sort show hide more back loading forbidden server unknown warning success count score rank
    chart month year week working submitted approved rejected select choose required optional
    details detail settings profile welcome dashboard unit units period value please this that
    your you are not found invalid field help none null undefined nan january february march april
    june july august september october november december monday tuesday wednesday thursday friday
    saturday sunday today yesterday tomorrow minutes hours days ago
    """.split()
)
# Words and abbreviations that belong in a Vietnamese page (names of formats, systems, units).
ALLOWED = frozenset(
    """
    cchc pdf docx xlsx csv qr api email e-mail vneid par index sipas url id http https json tthc
    kh ubnd hđnd png jpg ok
    """.split()
)
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]")
# a code or a Python value printed to the reader: truc_tiep, tu_so, None
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# a date not written dd/mm/yyyy: 2/3/2026, 02/3/2026 (a legal reference, 118/2025/NĐ-CP, is not)
LOOSE_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
# a number of 4 digits or more without grouping; not a year (1900–2100), not a code or phone
# number (starting with 0, or joined to other characters: H19-261120-0001, 1.001234, 12/QĐ)
BARE = re.compile(r"(?<![\w.,/\-:#+])([1-9]\d{3,})(?![\w.,/\-%:])")


def english_words(text: str) -> set[str]:
    words = {w for w in WORD.findall(text)}
    return {w for w in words if w.casefold() in ENGLISH and w.casefold() not in ALLOWED}


def codes(text: str) -> set[str]:
    return set(SNAKE.findall(text))


def bad_dates(text: str) -> set[str]:
    """Dates the site wrote otherwise than dd/mm/yyyy (English month names are English words).
    A loose "15/7/2021" is not counted: it comes from the documents' own words ("Nghị quyết số
    76/NQ-CP ngày 15/7/2021"), quoted as written, while the site's own dates are zero-padded."""
    return set(ISO_DATE.findall(text))


def loose_dates(text: str) -> set[str]:
    """Dates without zero padding (5/3/2026): wrong where the site writes a date itself."""
    return {m.group(0) for m in LOOSE_DATE.finditer(text) if len(m.group(1)) == 1 or len(m.group(2)) == 1}


# a number a code label introduces ("Mã thống kê 25210", "mã số 10234") is a code, not a count
CODE_LABEL = re.compile(r"\bmã\b[^\d\n]{0,15}$", re.IGNORECASE)


def ungrouped_counts(text: str) -> set[str]:
    return {
        m.group(1)
        for m in BARE.finditer(text)
        if not (len(m.group(1)) == 4 and 1900 <= int(m.group(1)) <= 2100)
        and not CODE_LABEL.search(text[max(0, m.start() - 20) : m.start()])
    }


def problems(text: str) -> dict[str, set[str]]:
    """Everything wrong with a page's visible text, by kind (empty when it reads right)."""
    found = {
        "English": english_words(text),
        "mã chưa dịch": codes(text),
        "ngày không theo dd/mm/yyyy": bad_dates(text),
        "số chưa tách nhóm": ungrouped_counts(text),
    }
    return {k: v for k, v in found.items() if v}
