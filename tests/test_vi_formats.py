"""Vietnamese number and date formats everywhere: 1.993 (not 1993), 30,0 MB, dd/mm/yyyy; a
year is a year (2026, never 2.026)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template import Context, Template

from cchc.core.numbers import format_count
from cchc.procedures.importer import ImportPreview

from .conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent / "cchc"
BARE_YEAR = re.compile(r"\{\{\s*(?!f\.)[a-z_.0-9]*year(\|add:[^}|]+)?\s*\}\}")


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_numbers_dates_and_sizes_in_templates():
    at = dt.datetime(2026, 3, 5, 7, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    out = render(
        "{{ key }}|{{ x|floatformat:1 }}|{{ size|filesizeformat }}|{{ d }}|{{ at }}|{{ d|date:'SHORT_DATE_FORMAT' }}",
        key=3241,  # an identifier (an option's value, an anchor) stays as it is
        x=96.5,
        size=30 * 1024 * 1024,
        d=dt.date(2026, 3, 5),
        at=at,
    )
    assert out == "3241|96,5|30,0\xa0MB|05/03/2026|07:30 05/03/2026|05/03/2026"


def test_counts_in_messages():
    assert format_count(1993) == "1.993" and format_count(7) == "7"
    preview = ImportPreview(filename="thu-tuc.xlsx", rows=1993, applied=True)
    assert (
        preview.summary() == "1.993 dòng dữ liệu: đã tạo 0, cập nhật 0, giữ nguyên 0; 0 dòng lỗi bị bỏ qua."
    )


def test_no_template_shows_a_year_with_a_thousands_separator():
    found = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in ROOT.rglob("templates/**/*.html")
        for m in BARE_YEAR.finditer(p.read_text(encoding="utf-8"))
    ]
    assert not found, f"use |unlocalize (or stringformat:'d') for years: {found}"


def test_the_calendar_page_names_its_year_plainly(client, tree, users):
    client.login(username=users.coordinator.username, password=PASSWORD)
    html = client.get("/lich-lam-viec/?nam=2026").content.decode()
    assert "Lịch làm việc năm 2026" in html and "?nam=2025" in html and "2.026" not in html
