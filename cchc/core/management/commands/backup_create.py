"""`cchc backup create --out FILE.tar.gz`: the database and the uploaded files in one archive."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from cchc.core.backup import BackupError, backup_create
from cchc.core.commands import ToolCommand
from cchc.core.numbers import format_count


class Command(ToolCommand):
    tool = "backup create"
    help = "Sao lưu cơ sở dữ liệu và tệp đính kèm vào một tệp .tar.gz (docs/operations.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", required=True, help="tệp sao lưu sẽ tạo (chưa có), ví dụ cchc-20261207.tar.gz"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            s = backup_create(Path(options["out"]), progress=lambda m: self.stderr.write(f"==> {m}"))
        except BackupError as exc:
            self.fail(exc)
        self.stdout.write(
            f"Đã sao lưu {options['out']}: {s.tables} bảng, {format_count(s.rows)} dòng, {format_count(s.files)} tệp đính kèm ({s.vendor})."
        )
