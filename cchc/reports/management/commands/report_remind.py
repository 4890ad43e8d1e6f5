"""`cchc report remind [--date YYYY-MM-DD]`: e-mail the units whose periodic report is due soon or
overdue and not sent, and those whose report was returned (run daily, e.g. from cron)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from cchc.core.actors import SYSTEM
from cchc.core.commands import ToolCommand
from cchc.reports.reminders import reminders_send


class Command(ToolCommand):
    help = "Gửi thư nhắc hạn gửi báo cáo định kỳ CCHC và báo cáo bị trả lại (chạy hằng ngày)."
    tool = "report remind"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="ngày tính hạn (YYYY-MM-DD; mặc định hôm nay)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"].strip())
            except ValueError:
                self.fail(f"--date {options['date']!r} không hợp lệ: viết YYYY-MM-DD.")
        sent, without = reminders_send(actor=SYSTEM, today=today)
        self.stdout.write(f"Đã nhắc {sent} báo cáo; {without} đơn vị chưa có địa chỉ thư của cán bộ.")
