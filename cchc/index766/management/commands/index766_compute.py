"""`cchc index766 compute --period 2026-Q3 [--period …] [--unit CODE]`: recompute the 766 index
of every unit (or of one unit's subtree) and store it; prints one line per root unit and period.
A bad period or unknown unit stops with one line on stderr and exit status 2."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cchc.core.actors import SYSTEM
from cchc.core.errors import ServiceError
from cchc.index766.services import index766_compute
from cchc.index766.templatetags.index766 import vn_number
from cchc.orgs.models import Unit


class Command(BaseCommand):
    help = "Tính lại Chỉ số 766 theo đơn vị và kỳ, lưu kết quả để các trang hiển thị ngay."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--period",
            action="append",
            required=True,
            help="kỳ: 2026, 2026-Q3, 2026-H1, 2026-9M, 2026-09 (lặp lại được)",
        )
        parser.add_argument("--unit", help="mã đơn vị: chỉ tính đơn vị này và các đơn vị trực thuộc")

    def handle(self, *args, period, unit=None, verbosity=1, **options) -> None:
        root = None
        if unit:
            root = Unit.objects.filter(code=unit.strip()).first()
            if root is None:
                raise CommandError(f"Không có đơn vị mã “{unit}”.", returncode=2)
        try:
            report = index766_compute(actor=SYSTEM, period_keys=period, root=root)
        except ServiceError as exc:
            raise CommandError(" ".join(exc.messages), returncode=2) from exc
        if verbosity:
            for u, key, total in report.roots:
                self.stdout.write(f"{u.code}\t{key}\t{vn_number(total, 2)}\t{u.name}")
            units = vn_number(report.units)
            seconds = vn_number(report.seconds, 2)
            self.stdout.write(f"Đã tính {len(report.periods)} kỳ cho {units} đơn vị trong {seconds} giây.")
