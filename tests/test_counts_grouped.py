"""Counts a person reads are grouped the Vietnamese way (1.993, not 1993) wherever a template
shows them, through the `|so` filter; identifiers stay plain (issue 14, "Everywhere")."""

from __future__ import annotations

from decimal import Decimal

from django.template import Context, Template

from cchc.core.text import fold
from cchc.procedures.models import Procedure

from .conftest import PASSWORD
from .tour_checks import loose_dates, problems, ungrouped_counts


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_the_filter_groups_counts_and_leaves_the_rest():
    out = render(
        "{{ a|so }}|{{ b|so }}|{{ c|so:1 }}|{{ d|so }}|{{ e|so }}|{{ f|so }}|{{ key }}",
        a=1993,
        b=7,
        c=Decimal("96.54"),
        d=None,
        e="1.234 hồ sơ",  # already written out
        f=1234567,
        key=3241,  # an identifier without the filter stays as it is
    )
    assert out == "1.993|7|96,5|—|1.234 hồ sơ|1.234.567|3241"


def test_the_checks_know_a_count_from_a_year_a_code_or_a_phone():
    text = (
        "Năm 2026 · mã 000.00.31.H19-261120-0001 · thủ tục 1.001234 · ĐT 0977000111 · "
        "Quyết định 1234/QĐ-UBND · Mã thống kê 25210 · 1.993 hồ sơ · 12345 hồ sơ · ngày 05/03/2026"
    )
    assert ungrouped_counts(text) == {"12345"}
    assert problems("Ngày 5/3/2026, 2026-03-05, status: pending, truc_tiep") == {
        "English": {"status", "pending"},
        "mã chưa dịch": {"truc_tiep"},
        "ngày không theo dd/mm/yyyy": {"2026-03-05"},
    }
    assert loose_dates("ngày 5/3/2026, ngày 05/03/2026, số 118/2025/NĐ-CP") == {"5/3/2026"}


def test_a_catalogue_of_more_than_a_thousand_procedures_reads_grouped(client, tree, users):
    agency = tree.agency("STP")
    Procedure.objects.bulk_create(
        Procedure(
            code=f"1.{i:06d}",
            name=f"Thủ tục thử số {i}",
            agency=agency,
            search_text=fold(f"1.{i:06d} Thủ tục thử số {i}"),
        )
        for i in range(1, 1201)
    )
    client.login(username=users.coordinator.username, password=PASSWORD)
    html = client.get("/thu-tuc/").content.decode()
    assert "1.200 thủ tục" in html and "1200 thủ tục" not in html
