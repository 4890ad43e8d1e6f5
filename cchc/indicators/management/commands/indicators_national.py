"""`cchc indicators national --period 2026 FILE…`: the national view, rolled up from the provinces'
totals files (`cchc indicators totals`), never from dossiers: one line per province and the
nation's line, each indicator derived from the summed measures (cchc/indicators/national.py)."""

from __future__ import annotations

from pathlib import Path

from cchc.core.commands import ToolCommand
from cchc.core.numbers import format_number
from cchc.exchange.errors import ExchangeError
from cchc.indicators import national
from cchc.indicators.dashboard import shown

COLUMNS = {
    "tiep_nhan": "Tiếp nhận",
    "da_giai_quyet": "Đã giải quyết",
    "dung_han": "Đúng hạn",
    "qua_han_co_xin_loi": "Quá hạn có xin lỗi",
}


class Command(ToolCommand):
    tool = "indicators national"
    help = "Tổng hợp số liệu chỉ số toàn quốc từ các tệp tổng hợp của các tỉnh."

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="các tệp tổng hợp của tỉnh (CSV)")
        parser.add_argument("--period", required=True, help="kỳ, ví dụ 2026")

    def handle(self, *args, files, period, **options) -> None:
        rows = []
        try:
            for path in files:
                rows.extend(national.read_totals(path))
            view = national.national_rollup(rows, period)
        except ExchangeError as exc:
            self.fail(exc)
        if not view.provinces:
            self.fail(f"không tệp nào có số liệu kỳ {period}")
        self.stdout.write(f"{'Tỉnh':<32}" + "".join(f"{label:>22}" for label in COLUMNS.values()))
        for row, values in view.provinces:
            self.stdout.write(f"{row.name[:31]:<32}" + "".join(f"{shown(values[c]):>22}" for c in COLUMNS))
        self.stdout.write(
            f"{'Cả nước (' + format_number(len(view.provinces), 0) + ' tỉnh)':<32}"
            + "".join(f"{shown(view.values[c]):>22}" for c in COLUMNS)
        )
