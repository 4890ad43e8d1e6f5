"""`cchc backup restore FILE.tar.gz`: into an empty instance only (no table, no uploaded file)."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from cchc.core.backup import BackupError, backup_restore
from cchc.core.commands import ToolCommand
from cchc.core.numbers import format_count


class Command(ToolCommand):
    tool = "backup restore"
    help = "Khôi phục một bản sao lưu vào bản cài đặt trống (chưa có bảng, chưa có tệp đính kèm)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="tệp sao lưu .tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            s = backup_restore(Path(options["archive"]), progress=lambda m: self.stderr.write(f"==> {m}"))
        except BackupError as exc:
            self.fail(exc)
        self.stdout.write(
            f"Đã khôi phục: {s.tables} bảng, {format_count(s.rows)} dòng, {format_count(s.files)} tệp đính kèm."
        )
