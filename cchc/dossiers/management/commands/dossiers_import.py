"""`cchc dossiers import FILE [--strict]`: dossiers.csv into the database (specs/dossier-exchange.md)."""

import sys
import time

from django.core.management.base import BaseCommand

from cchc.dossiers.imports import dossiers_import
from cchc.exchange.errors import ExchangeError


class Command(BaseCommand):
    help = "Nhập hồ sơ từ tệp dossiers.csv (theo lô, mỗi lô một giao dịch; nhập lại không thay đổi gì)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--strict", action="store_true", help="dừng ở dòng lỗi đầu tiên (mã thoát 2)")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, file, strict, batch_size, **options):
        started = time.perf_counter()

        def progress(lines: int) -> None:
            sys.stderr.write(
                f"  {lines:,} dòng, {lines / (time.perf_counter() - started):,.0f} dòng/giây\n".replace(
                    ",", "."
                )
            )

        try:
            report = dossiers_import(
                actor=None, path=file, batch_size=batch_size, strict=strict, progress=progress
            )
        except (ExchangeError, OSError) as exc:
            sys.stderr.write(f"cchc dossiers import: {' '.join(str(exc).split())}\n")
            sys.exit(2)
        for bad in report.bad[:50]:
            sys.stderr.write(f"{bad}\n")
        if len(report.bad) > 50:
            sys.stderr.write(f"… và {len(report.bad) - 50} dòng lỗi khác\n")
        self.stdout.write(
            f"Đã nhập {report.created} hồ sơ; {report.unchanged} đã có, giữ nguyên; {len(report.bad)} dòng lỗi bị bỏ qua."
        )
        if strict and report.bad:
            sys.exit(2)
