"""`cchc indicators rebuild [--year 2026 …] [--check]`: recompute the live indicator totals from
the dossiers in the database (cchc/indicators/rebuild.py). With --check nothing is written and
the command exits with status 1 when the stored totals differ from a fresh computation."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from cchc.core.numbers import format_count
from cchc.indicators.rebuild import rebuild


class Command(BaseCommand):
    help = "Tính lại toàn bộ số liệu chỉ số hồ sơ (chế độ trực tiếp) từ các hồ sơ trong cơ sở dữ liệu."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--year", type=int, action="append", help="chỉ tính lại các kỳ của năm này (lặp lại được)"
        )
        parser.add_argument(
            "--check", action="store_true", help="chỉ so sánh, không ghi; mã thoát 1 nếu lệch"
        )

    def handle(self, *args, year=None, check=False, verbosity=1, **options) -> None:
        for y in year or []:
            if not 1976 <= y <= 2100:
                raise CommandError(f"năm không hợp lệ: {y} (1976–2100)")
        report = rebuild(years=year, check=check)
        stages = ", ".join(f"{k} {v:.2f} s" for k, v in report.stages.items())
        if check:
            for line in report.differences[:50]:
                self.stdout.write(line)
            verdict = (
                "khớp" if not report.differences else f"LỆCH ở {format_count(len(report.differences))} ô"
            )
            self.stdout.write(
                f"Kiểm tra {len(report.periods)} kỳ, {format_count(report.dossiers)} hồ sơ: {verdict} ({stages})."
            )
            if report.differences:
                sys.exit(1)
            return
        if verbosity:
            self.stdout.write(
                f"Đã tính lại {len(report.periods)} kỳ từ {format_count(report.dossiers)} hồ sơ: {format_count(report.rows)} dòng tổng hợp "
                f"trong {report.seconds:.2f} s ({stages})."
            )
