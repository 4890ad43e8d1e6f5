"""`cchc media sweep [--older-than HOURS] [--delete]`: uploaded files no row refers to."""

from typing import Any

from django.core.management.base import CommandParser

from cchc.core.commands import ToolCommand
from cchc.core.media_sweep import media_sweep
from cchc.core.numbers import format_number


class Command(ToolCommand):
    tool = "media sweep"
    help = "Tìm (và với --delete, xóa) các tệp đính kèm không còn dòng dữ liệu nào trỏ tới."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=float,
            default=24,
            metavar="GIO",
            help="chỉ tệp cũ hơn số giờ này (mặc định 24)",
        )
        parser.add_argument(
            "--delete", action="store_true", help="xóa các tệp tìm thấy (mặc định chỉ liệt kê)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["older_than"] < 1:
            self.fail("--older-than phải từ 1 giờ trở lên (để không xóa tệp đang được tải lên).")
        sweep = media_sweep(older_than_hours=options["older_than"], delete=options["delete"])
        for path in sweep.orphans:
            self.stdout.write(str(path))
        verb = "Đã xóa" if options["delete"] else "Tìm thấy"
        self.stderr.write(
            f"{verb} {format_number(len(sweep.orphans), 0)} tệp không còn được dùng "
            f"({format_number(sweep.bytes, 0)} byte); {format_number(sweep.referenced, 0)} tệp đang được dùng."
        )
