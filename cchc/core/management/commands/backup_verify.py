"""`cchc backup verify FILE.tar.gz`: checksums, database integrity and row counts of a backup."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from cchc.core.backup import BackupError, backup_verify
from cchc.core.commands import ToolCommand
from cchc.core.numbers import format_count


class Command(ToolCommand):
    tool = "backup verify"
    help = "Kiểm tra một bản sao lưu: tổng kiểm tra từng tệp, tính toàn vẹn và số dòng của cơ sở dữ liệu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="tệp sao lưu .tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            s = backup_verify(Path(options["archive"]), progress=lambda m: self.stderr.write(f"==> {m}"))
        except BackupError as exc:
            self.fail(exc)
        self.stdout.write(
            f"Bản sao lưu tốt (lập {s.created_at}): {s.tables} bảng, {format_count(s.rows)} dòng, {format_count(s.files)} tệp đính kèm."
        )
