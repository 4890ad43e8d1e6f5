"""`cchc inspection remind [--ngay dd/mm/yyyy]`: e-mail the units owning findings whose
remediation deadline is within a week or past (run daily, e.g. from cron)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from cchc.core.actors import SYSTEM
from cchc.core.commands import ToolCommand
from cchc.inspections.models import Finding, InspectionPlan
from cchc.inspections.reminders import reminders_send


class Command(ToolCommand):
    tool = "inspection remind"
    help = "Gửi thư nhắc hạn khắc phục tồn tại, hạn chế sau kiểm tra công tác CCHC (chạy hằng ngày)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ngay", default="", help="ngày tính hạn (dd/mm/yyyy), mặc định hôm nay")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["ngay"]:
            try:
                today = dt.datetime.strptime(options["ngay"], "%d/%m/%Y").date()
            except ValueError:
                self.fail(f"--ngay “{options['ngay']}” không phải ngày dạng dd/mm/yyyy.")
        open_states = [Finding.State.OPEN, Finding.State.RETURNED]
        plans = InspectionPlan.objects.filter(inspections__findings__state__in=open_states).distinct()
        for plan in plans.select_related("unit").order_by("year", "unit__path"):
            sent, without = reminders_send(actor=SYSTEM, plan=plan, today=today)
            self.stdout.write(
                f"{plan} ({plan.unit}): nhắc {sent} đơn vị; {without} đơn vị chưa có địa chỉ thư của cán bộ."
            )
