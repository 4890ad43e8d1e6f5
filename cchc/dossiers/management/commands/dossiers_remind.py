"""`cchc dossiers remind`: warn handling units of dossiers whose apology deadline (one working day
before the due time) is near — run it every hour of the working day (cron, systemd timer)."""

from django.core.management.base import BaseCommand

from cchc.dossiers.reminders import apology_reminders_send


class Command(BaseCommand):
    help = "Cảnh báo các đơn vị có hồ sơ sắp hết hạn gửi thư xin lỗi, hẹn lại ngày trả (chạy mỗi giờ trong giờ làm việc)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--within-hours", type=int, default=8, help="số giờ làm việc trước hạn gửi thư (mặc định 8)"
        )

    def handle(self, *args, within_hours=8, **options):
        units, dossiers = apology_reminders_send(within_hours=within_hours)
        self.stdout.write(
            f"Cảnh báo {dossiers} hồ sơ sắp hết hạn gửi thư xin lỗi; gửi thư cho {units} đơn vị."
        )
