"""Deadline phrases of reform plans -> schedules (cchc.plans.deadlines)."""

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.plans.deadlines import DeadlineKind, Schedule, parse_deadline

FIXED, RECURRING, CONTINUOUS = DeadlineKind.FIXED, DeadlineKind.RECURRING, DeadlineKind.CONTINUOUS
CONDITIONAL, UNKNOWN = DeadlineKind.CONDITIONAL, DeadlineKind.UNKNOWN


def d(text: str) -> date:
    """'31/03/2023' -> date(2023, 3, 31)."""
    day, month, year = map(int, text.split("/"))
    return date(year, month, day)


def every_year(day_month: str, years: range) -> list[date]:
    return [d(f"{day_month}/{y}") for y in years]


QUARTER_DUE = ["20/03", "20/06", "20/09", "20/12"]
WINDOW_ENDS = ["14/03", "14/06", "14/09", "14/12"]
MONTH_ENDS = [
    "31/01",
    "28/02",
    "31/03",
    "30/04",
    "31/05",
    "30/06",
    "31/07",
    "31/08",
    "30/09",
    "31/10",
    "30/11",
    "31/12",
]


def each(day_months: list[str], years: range) -> list[date]:
    return sorted(d(f"{dm}/{y}") for y in years for dm in day_months)


Y23 = range(2023, 2024)
Y21_25 = range(2021, 2026)

# (phrase, from_year, to_year, kind, dates)
CASES = [
    # FIXED: quarters
    ("Quý I/2023", 2023, 2023, FIXED, [d("31/03/2023")]),
    ("Quy I/2023", 2023, 2023, FIXED, [d("31/03/2023")]),
    ("QUÝ I/2023", 2023, 2023, FIXED, [d("31/03/2023")]),
    ("  quý   i /  2023 ", 2023, 2023, FIXED, [d("31/03/2023")]),
    ("Quý II năm 2023", 2023, 2023, FIXED, [d("30/06/2023")]),
    ("Quý 3-2023", 2023, 2023, FIXED, [d("30/09/2023")]),
    ("Quý IV", 2023, 2023, FIXED, [d("31/12/2023")]),
    ("Quý IV", 2021, 2025, FIXED, [d("31/12/2021")]),  # bare date, multi-year plan: first year
    ("Quý I hàng năm", 2023, 2023, FIXED, [d("31/03/2023")]),
    ("Quý I hàng năm", 2021, 2025, FIXED, every_year("31/03", Y21_25)),
    ("Quý I hằng năm", 2021, 2025, FIXED, every_year("31/03", Y21_25)),
    ("Quý I mỗi năm", 2021, 2025, FIXED, every_year("31/03", Y21_25)),
    ("Quý II/2022", 2021, 2025, FIXED, [d("30/06/2022")]),
    ("Quý III/2022", 2021, 2025, FIXED, [d("30/09/2022")]),
    ("Quý IV/2022", 2021, 2025, FIXED, [d("31/12/2022")]),
    # FIXED: halves, months
    ("6 tháng đầu năm", 2023, 2023, FIXED, [d("30/06/2023")]),
    ("6 tháng đầu năm 2024", 2021, 2025, FIXED, [d("30/06/2024")]),
    ("Tháng 12/2023", 2023, 2023, FIXED, [d("31/12/2023")]),
    ("Trong tháng 5/2022", 2021, 2025, FIXED, [d("31/05/2022")]),
    ("Chậm nhất trong tháng 5/2022", 2021, 2025, FIXED, [d("31/05/2022")]),
    ("Tháng 2/2024", 2021, 2025, FIXED, [d("29/02/2024")]),
    # FIXED: days ("trước ngày 15/11" = at the latest on 15/11)
    ("Trước 15/11 hàng năm", 2023, 2023, FIXED, [d("15/11/2023")]),
    ("Trước 15/11 hàng năm", 2021, 2025, FIXED, every_year("15/11", Y21_25)),
    ("Trước ngày 15/11/2023", 2023, 2023, FIXED, [d("15/11/2023")]),
    ("Trước 15/11", 2023, 2023, FIXED, [d("15/11/2023")]),
    ("Trước 15/11", 2021, 2025, FIXED, [d("15/11/2021")]),
    ("Hoàn thành trước 30/6/2024", 2021, 2025, FIXED, [d("30/06/2024")]),
    ("Trước 30/6/2022", 2021, 2025, FIXED, [d("30/06/2022")]),
    ("15/11/2023", 2023, 2023, FIXED, [d("15/11/2023")]),
    ("15-11-2023", 2023, 2023, FIXED, [d("15/11/2023")]),
    ("ngày 15 tháng 11 năm 2023", 2023, 2023, FIXED, [d("15/11/2023")]),
    # FIXED: years and ranges
    ("Năm 2023", 2023, 2023, FIXED, [d("31/12/2023")]),
    ("Trong năm 2023", 2023, 2023, FIXED, [d("31/12/2023")]),
    ("Cả năm 2023", 2023, 2023, FIXED, [d("31/12/2023")]),
    ("Năm 2022", 2021, 2025, FIXED, [d("31/12/2022")]),
    ("2022-2025", 2021, 2025, FIXED, [d("31/12/2025")]),
    ("2021-2025", 2021, 2025, FIXED, [d("31/12/2025")]),
    ("2021 – 2025", 2021, 2025, FIXED, [d("31/12/2025")]),
    ("Giai đoạn 2021-2025", 2021, 2025, FIXED, [d("31/12/2025")]),
    ("Năm 2021-2025", 2021, 2025, FIXED, [d("31/12/2025")]),
    # RECURRING: report due dates of the named periods, every plan year
    ("Hàng quý, 6 tháng, năm và đột xuất", 2023, 2023, RECURRING, each(QUARTER_DUE, Y23)),
    ("Hàng quý, 6 tháng, năm và đột xuất", 2021, 2025, RECURRING, each(QUARTER_DUE, Y21_25)),
    ("Định kỳ hàng quý", 2023, 2023, RECURRING, each(QUARTER_DUE, Y23)),
    ("Định kỳ hàng quý", 2021, 2025, RECURRING, each(QUARTER_DUE, Y21_25)),
    ("Hàng quý", 2023, 2023, RECURRING, each(QUARTER_DUE, Y23)),
    ("Hàng quý năm 2023", 2021, 2025, RECURRING, each(QUARTER_DUE, Y23)),
    ("6 tháng, hằng năm", 2023, 2023, RECURRING, each(["20/06", "20/12"], Y23)),
    ("Báo cáo định kỳ 6 tháng và năm", 2021, 2025, RECURRING, each(["20/06", "20/12"], Y21_25)),
    ("Hàng tháng", 2023, 2023, RECURRING, each(MONTH_ENDS, Y23)),
    ("Hàng năm", 2023, 2023, RECURRING, [d("20/12/2023")]),
    ("Hàng năm", 2021, 2025, RECURRING, every_year("20/12", Y21_25)),
    ("Hằng năm", 2021, 2025, RECURRING, every_year("20/12", Y21_25)),
    ("Hàng năm giai đoạn 2021-2023", 2021, 2025, RECURRING, every_year("20/12", range(2021, 2024))),
    # CONTINUOUS: ends of the quarterly reporting windows
    ("Thường xuyên", 2023, 2023, CONTINUOUS, each(WINDOW_ENDS, Y23)),
    ("Thường xuyên", 2021, 2025, CONTINUOUS, each(WINDOW_ENDS, Y21_25)),
    ("Thường xuyên trong năm", 2023, 2023, CONTINUOUS, each(WINDOW_ENDS, Y23)),
    ("Thường xuyên trong năm", 2021, 2025, CONTINUOUS, each(WINDOW_ENDS, Y21_25)),
    ("Thường xuyên, liên tục", 2023, 2023, CONTINUOUS, each(WINDOW_ENDS, Y23)),
    ("Cả năm", 2023, 2023, CONTINUOUS, each(WINDOW_ENDS, Y23)),
    ("Trong năm", 2023, 2023, CONTINUOUS, each(WINDOW_ENDS, Y23)),
    ("Thường xuyên trong năm 2023", 2021, 2025, CONTINUOUS, each(WINDOW_ENDS, Y23)),
    ("Thuong xuyen", 2023, 2023, CONTINUOUS, each(WINDOW_ENDS, Y23)),
    # CONDITIONAL: no date until a person sets one
    ("Khi có hướng dẫn của Bộ, ngành Trung ương", 2023, 2023, CONDITIONAL, []),
    ("Theo tiến độ phê duyệt", 2023, 2023, CONDITIONAL, []),
    ("Theo chỉ đạo của UBND tỉnh", 2023, 2023, CONDITIONAL, []),
    ("Sau khi Đề án được phê duyệt", 2023, 2023, CONDITIONAL, []),
    ("Theo kế hoạch", 2023, 2023, CONDITIONAL, []),
    ("Theo quy định", 2023, 2023, CONDITIONAL, []),
    ("Khi có yêu cầu", 2023, 2023, CONDITIONAL, []),
    ("Trong vòng 30 ngày kể từ ngày ký", 2023, 2023, CONDITIONAL, []),
    ("Đột xuất", 2023, 2023, CONDITIONAL, []),
    # combinations
    ("Quý I và Quý III/2023", 2023, 2023, FIXED, [d("31/03/2023"), d("30/09/2023")]),
    ("Quý I, II/2023", 2021, 2025, FIXED, [d("31/03/2023"), d("30/06/2023")]),
    ("Tháng 6 và tháng 12 hàng năm", 2023, 2023, FIXED, [d("30/06/2023"), d("31/12/2023")]),
    ("Tháng 6 và tháng 12 hàng năm", 2021, 2025, FIXED, each(["30/06", "31/12"], Y21_25)),
    ("Thường xuyên; báo cáo trước 15/12", 2023, 2023, CONTINUOUS, each([*WINDOW_ENDS, "15/12"], Y23)),
    ("Thường xuyên; báo cáo trước 15/12", 2021, 2025, CONTINUOUS, each([*WINDOW_ENDS, "15/12"], Y21_25)),
    ("Sau khi có hướng dẫn, chậm nhất 30/6/2024", 2021, 2025, FIXED, [d("30/06/2024")]),
    # UNKNOWN
    ("Đang cập nhật", 2023, 2023, UNKNOWN, []),
    ("", 2023, 2023, UNKNOWN, []),
    ("Quý I/2022", 2023, 2023, UNKNOWN, []),  # outside the plan period
    ("2021-2025", 2023, 2023, UNKNOWN, []),
    ("Thường xuyên trong năm 2019", 2021, 2025, UNKNOWN, []),
    ("31/02/2023", 2023, 2023, UNKNOWN, []),
]


@pytest.mark.parametrize(("phrase", "from_year", "to_year", "kind", "dates"), CASES)
def test_phrase_table(phrase, from_year, to_year, kind, dates):
    schedule = parse_deadline(phrase, from_year=from_year, to_year=to_year)
    assert schedule.kind == kind, schedule.explanation
    assert list(schedule.dates) == sorted(dates), schedule.explanation
    assert schedule.explanation.endswith(".") and schedule.explanation.count(".") == 1


# Phrases copied from real plans; each must be read (not UNKNOWN) for the periods where it makes sense.
REAL_PHRASES = {
    "Trong năm 2023": "both",
    "Thường xuyên trong năm": "both",
    "Thường xuyên": "both",
    "Tháng 12/2023": "both",
    "Năm 2023": "both",
    "Quý I/2023": "both",
    "Hàng quý, 6 tháng, năm và đột xuất": "both",
    "Định kỳ hàng quý": "both",
    "Trước 15/11 hàng năm": "both",
    "Chậm nhất trong tháng 5/2022": "multi",
    "Khi có hướng dẫn của Bộ, ngành Trung ương": "both",
    "Theo tiến độ phê duyệt": "both",
    "Quý I hàng năm": "both",
    "2021-2025": "multi",
    "Năm 2022": "multi",
    "Quý II/2022": "multi",
    "Quý III/2022": "multi",
    "Quý IV/2022": "multi",
    "Trước 30/6/2022": "multi",
    "Hàng năm": "both",
}
REAL_CASES = [(phrase, 2023, 2023) for phrase, where in REAL_PHRASES.items() if where == "both"] + [
    (phrase, 2021, 2025) for phrase in REAL_PHRASES
]


@pytest.mark.parametrize(("phrase", "from_year", "to_year"), REAL_CASES)
def test_real_phrases_are_understood(phrase, from_year, to_year):
    schedule = parse_deadline(phrase, from_year=from_year, to_year=to_year)
    assert schedule.kind != UNKNOWN, schedule.explanation
    assert bool(schedule.dates) == (schedule.kind != CONDITIONAL)


def test_explanations():
    assert (
        parse_deadline("Quý I/2023", from_year=2023, to_year=2023).explanation
        == "Hạn cuối quý I: 31/03/2023."
    )
    assert (
        "đột xuất"
        in parse_deadline("Hàng quý, 6 tháng, năm và đột xuất", from_year=2023, to_year=2023).explanation
    )
    assert "năm đầu kế hoạch" in parse_deadline("Trước 15/11", from_year=2021, to_year=2025).explanation
    unknown = parse_deadline("  Đang   cập nhật ", from_year=2023, to_year=2023).explanation
    assert unknown == "Không hiểu được thời hạn: Đang cập nhật; cần người đặt ngày."
    outside = parse_deadline("Quý I/2022", from_year=2023, to_year=2023).explanation
    assert "31/03/2022" in outside and "ngoài thời kỳ kế hoạch 2023–2023" in outside
    partly = parse_deadline("Quý IV/2022 và Quý I/2023", from_year=2023, to_year=2023)
    assert partly.dates == (date(2023, 3, 31),) and "bỏ 1 ngày" in partly.explanation


def test_schedule_helpers():
    schedule = parse_deadline("Quý I và Quý III/2023", from_year=2023, to_year=2023)
    assert schedule.final() == date(2023, 9, 30)
    assert schedule.to_json() == {
        "kind": "fixed",
        "dates": ["2023-03-31", "2023-09-30"],
        "explanation": schedule.explanation,
    }
    assert parse_deadline("Theo kế hoạch", from_year=2023, to_year=2023).final() is None
    assert Schedule(FIXED, (date(2023, 2, 1), date(2023, 1, 1), date(2023, 2, 1))).dates == (
        date(2023, 1, 1),
        date(2023, 2, 1),
    )
    assert DeadlineKind("continuous") is CONTINUOUS and CONTINUOUS == "continuous"


def test_rejects_reversed_plan_period():
    with pytest.raises(ValueError, match="from_year"):
        parse_deadline("Quý I", from_year=2025, to_year=2021)


# --- properties ------------------------------------------------------------------------------

plan_years = st.tuples(st.integers(2000, 2040), st.integers(2000, 2040)).map(sorted)
TOKENS = [
    "Quý",
    "I",
    "II",
    "III",
    "IV",
    "quy",
    "tháng",
    "6",
    "9",
    "12",
    "năm",
    "hàng",
    "hằng",
    "mỗi",
    "và",
    ",",
    ";",
    "/",
    "-",
    "2000",
    "2023",
    "2040",
    "2099",
    "15/11",
    "31/12",
    "29/2",
    "30/6/2024",
    "thường xuyên",
    "trong",
    "cả",
    "trước",
    "ngày",
    "đầu",
    "cuối",
    "định kỳ",
    "đột xuất",
    "khi",
    "theo quy định",
    "giai đoạn",
    "2021-2025",
    "0",
    "99",
    "1999-2041",
    "ngày 31 tháng 2",
]
vietnamese_ish = st.lists(st.sampled_from(TOKENS), max_size=12).map(" ".join)


def check_invariants(schedule: Schedule, from_year: int, to_year: int) -> None:
    assert isinstance(schedule.kind, DeadlineKind)
    assert all(date(from_year, 1, 1) <= day <= date(to_year, 12, 31) for day in schedule.dates)
    assert list(schedule.dates) == sorted(set(schedule.dates))
    assert schedule.explanation
    if schedule.kind in (CONDITIONAL, UNKNOWN):
        assert schedule.dates == ()
    else:
        assert schedule.dates


@settings(max_examples=300, deadline=None)
@given(st.text(), plan_years)
def test_never_raises_on_any_text(phrase, years):
    from_year, to_year = years
    check_invariants(parse_deadline(phrase, from_year=from_year, to_year=to_year), from_year, to_year)


@settings(max_examples=300, deadline=None)
@given(vietnamese_ish, plan_years)
def test_never_raises_on_deadline_like_text(phrase, years):
    from_year, to_year = years
    check_invariants(parse_deadline(phrase, from_year=from_year, to_year=to_year), from_year, to_year)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), vietnamese_ish, st.sampled_from([case[0] for case in CASES])), plan_years)
def test_nfd_and_nfc_give_the_same_schedule(phrase, years):
    from_year, to_year = years
    nfc = parse_deadline(unicodedata.normalize("NFC", phrase), from_year=from_year, to_year=to_year)
    nfd = parse_deadline(unicodedata.normalize("NFD", phrase), from_year=from_year, to_year=to_year)
    assert nfc == nfd


def test_every_deadline_phrase_of_the_samples_gets_a_schedule():
    import json
    from pathlib import Path

    fixtures = Path(__file__).parent / "fixtures" / "plans"
    unknown = []
    for path in fixtures.glob("*.expected.json"):
        plan = json.loads(path.read_text(encoding="utf-8"))
        period = plan["period"]
        for task in plan["tasks"]:
            if not task.get("deadline"):
                continue
            schedule = parse_deadline(
                task["deadline"], from_year=period["from_year"], to_year=period["to_year"]
            )
            if schedule.kind == DeadlineKind.UNKNOWN:
                unknown.append((path.name, task["deadline"]))
    assert not unknown
