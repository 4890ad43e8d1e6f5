"""`cchc dossiers export --out dossiers.csv [--unit CODE]`: the database's dossiers in the exchange format."""

import sys

from django.core.management.base import BaseCommand

from cchc.core.numbers import format_count
from cchc.dossiers.exchange import exchange_record
from cchc.dossiers.models import Dossier
from cchc.exchange.formats import DOSSIER_COLUMNS
from cchc.orgs.models import Unit


class Command(BaseCommand):
    help = "Xuất hồ sơ ra tệp dossiers.csv theo định dạng trao đổi."

    def add_arguments(self, parser):
        parser.add_argument("--out", help="tệp kết quả (mặc định: ra stdout)")
        parser.add_argument("--unit", help="chỉ các hồ sơ do đơn vị này và cấp dưới giải quyết (mã đơn vị)")

    def handle(self, *args, out=None, unit=None, **options):
        import csv

        qs = Dossier.objects.select_related("procedure", "handling_unit").order_by("pk")
        if unit:
            root = Unit.objects.filter(code=unit).first()
            if root is None:
                sys.stderr.write(f"cchc dossiers export: không có đơn vị mã {unit}\n")
                sys.exit(2)
            qs = qs.filter(handling_unit__path__startswith=root.path)
        stream = open(out, "w", encoding="utf-8", newline="") if out else self.stdout
        try:
            writer = csv.DictWriter(stream, fieldnames=DOSSIER_COLUMNS, lineterminator="\n")
            writer.writeheader()
            count = 0
            for dossier in qs.iterator(chunk_size=5000):
                record = exchange_record(dossier)
                if record is not None:
                    writer.writerow(record)
                    count += 1
        finally:
            if out:
                stream.close()
        if out:
            self.stdout.write(f"Đã xuất {format_count(count)} hồ sơ ra {out}.")
