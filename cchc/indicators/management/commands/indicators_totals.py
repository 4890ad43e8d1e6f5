"""`cchc indicators totals --province P75 --period 2026 [--period 2026-Q1 …] --out tong-hop.csv`:
what a province sends for the national view — its measures per period, no personal data
(cchc/indicators/national.py). With --simulate-34 DIR, also writes a simulated feed of the 34
provinces into DIR (one file each, scaled from this province's totals) for a demonstration."""

from __future__ import annotations

from pathlib import Path

from cchc.core.commands import ToolCommand
from cchc.core.numbers import format_count
from cchc.core.periods import PeriodError
from cchc.exchange.errors import ExchangeError
from cchc.indicators import national
from cchc.indicators.live_periods import live_period
from cchc.orgs.models import Unit, UnitKind


class Command(ToolCommand):
    tool = "indicators totals"
    help = "Xuất số liệu tổng hợp chỉ số của một tỉnh (không có dữ liệu cá nhân) để tổng hợp toàn quốc."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--province", required=True, help="mã đơn vị của tỉnh, ví dụ P75")
        parser.add_argument("--period", action="append", required=True, help="kỳ, ví dụ 2026 hoặc 2026-Q1")
        parser.add_argument("--out", required=True, type=Path, help="tệp CSV ghi ra")
        parser.add_argument(
            "--simulate-34", type=Path, metavar="THƯ_MỤC", help="ghi thêm nguồn mô phỏng 34 tỉnh"
        )
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, province, period, out, simulate_34=None, seed=1, **options) -> None:
        unit = Unit.objects.filter(code=province, kind=UnitKind.PROVINCE).first()
        if unit is None:
            self.fail(f"không có tỉnh mã {province!r}")
        for key in period:
            try:
                live_period(key)
            except PeriodError as exc:
                self.fail(f"kỳ không hợp lệ: {key!r} ({exc})")
        rows = national.province_totals(unit, period)
        try:
            national.write_totals(rows, out)
            if simulate_34 is not None:
                simulate_34.mkdir(parents=True, exist_ok=True)
                for row in rows:
                    for fake in national.simulated_feed(row, national.all_provinces(), seed=seed):
                        national.write_totals([fake], simulate_34 / f"{fake.province}-{fake.period}.csv")
        except (OSError, ExchangeError) as exc:
            self.fail(exc)
        self.stdout.write(f"Đã ghi {format_count(len(rows))} dòng tổng hợp của {unit.name} vào {out}.")
        if simulate_34 is not None:
            self.stdout.write(f"Đã ghi nguồn mô phỏng 34 tỉnh vào {simulate_34}.")
