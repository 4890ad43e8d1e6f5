import time

from django.core.management.base import BaseCommand

from cchc.core.actors import SYSTEM
from cchc.orgs.services import units_load_administrative


class Command(BaseCommand):
    help = "Nạp 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu (vietnam-provinces) cùng 29 tỉnh cũ trước 7/2025."

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = units_load_administrative(actor=SYSTEM)
        self.stdout.write(
            f"Đã nạp đơn vị hành chính: {result['created']} mới, {result['updated']} cập nhật ({time.perf_counter() - started:.1f} giây)."
        )
