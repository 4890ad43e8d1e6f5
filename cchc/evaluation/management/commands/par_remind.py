"""`cchc par remind`: e-mail the units of every open round whose self-assessment deadline is near
or past, and those asked for clarification (run daily, e.g. from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cchc.core.actors import SYSTEM
from cchc.evaluation.models import Round
from cchc.evaluation.reminders import reminders_send


class Command(BaseCommand):
    help = "Gửi thư nhắc hạn tự đánh giá và giải trình Chỉ số CCHC cho các đơn vị (chạy hằng ngày)."

    def handle(self, *args: Any, **options: Any) -> None:
        for round_ in Round.objects.filter(state__in=[Round.State.OPEN, Round.State.APPRAISING]):
            sent, without = reminders_send(actor=SYSTEM, round_=round_)
            self.stdout.write(
                f"{round_}: nhắc {sent} đơn vị; {without} đơn vị chưa có địa chỉ thư của cán bộ."
            )
