"""`cchc procedures import FILE [--agency CODE] [--dry-run] [--strict]`"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.actors import SYSTEM
from cchc.orgs.models import Unit
from cchc.procedures.importer import ImportFileError
from cchc.procedures.services import catalogue_import


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục hành chính từ tệp CSV hoặc XLSX (các cột: xem docs/procedures.md). "
        "Dòng lỗi được báo theo số dòng và bỏ qua; nhập lại cùng tệp không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .csv (UTF-8) hoặc .xlsx")
        parser.add_argument("--agency", metavar="CODE", help="mã đơn vị cho các dòng không điền cột co_quan")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và báo cáo, không ghi gì")
        parser.add_argument(
            "--strict", action="store_true", help="có dòng lỗi thì không nhập gì (mã thoát 2)"
        )

    def handle(self, *args, file, agency=None, dry_run=False, strict=False, **options):
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {file}: {exc.strerror}.", returncode=2) from exc
        default_agency = None
        if agency:
            default_agency = Unit.objects.filter(code__iexact=agency).first()
            if default_agency is None:
                raise CommandError(f"Không có đơn vị mã “{agency}”.", returncode=2)
        arguments = {
            "actor": SYSTEM,
            "filename": path.name,
            "content": content,
            "default_agency": default_agency,
        }
        try:
            preview = catalogue_import(**arguments, dry_run=dry_run or strict)
            for error in preview.errors:
                self.stderr.write(f"{path.name}, {error}")
            if strict and preview.errors:
                raise CommandError(
                    f"{len(preview.bad_lines)} dòng lỗi; không nhập gì (--strict).", returncode=2
                )
            if strict and not dry_run:
                preview = catalogue_import(**arguments)
            preview.applied = not dry_run
        except ImportFileError as exc:
            raise CommandError(f"{path.name}: {' '.join(exc.messages)}", returncode=2) from exc
        prefix = "Kiểm tra (không ghi): " if dry_run else ""
        self.stdout.write(prefix + preview.summary())
