from django.core.management.base import BaseCommand

from cchc.core.actors import SYSTEM
from cchc.plans.models import Plan, PlanStatus
from cchc.tracking.reminders import reminders_send


class Command(BaseCommand):
    help = "Gửi thư nhắc các đơn vị có nhiệm vụ quá hạn hoặc chưa cập nhật tiến độ trong kỳ (chạy định kỳ, ví dụ mỗi thứ Hai)."

    def handle(self, *args, **options):
        for plan in Plan.objects.filter(status=PlanStatus.ISSUED):
            sent, missing = reminders_send(actor=SYSTEM, plan=plan)
            self.stdout.write(f"{plan}: nhắc {sent} đơn vị; {missing} đơn vị chưa có địa chỉ thư của cán bộ.")
