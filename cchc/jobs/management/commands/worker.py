"""`cchc worker [--workers N] [--no-schedules] [--list]`: run the background-job worker (huey's
consumer) in the foreground until Ctrl+C / SIGTERM: the queued jobs and the schedules
(cchc/jobs/schedules.py). `cchc serve` starts one beside the web server; run this alone when the
web server and the worker are separate services (docs/operations.md)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from huey.consumer_options import ConsumerConfig
from huey.contrib.djhuey import HUEY

from cchc.jobs import tasks  # noqa: F401  (registers the job task, start-up hook and schedules with the queue)
from cchc.jobs.schedules import SCHEDULES


class Command(BaseCommand):
    help = (
        "Chạy tiến trình xử lý tác vụ nền (nhập, xuất, báo cáo) và các việc theo lịch (nhắc hạn, tính lại)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, help="số luồng xử lý (mặc định CCHC_JOB_WORKERS hoặc 2)")
        parser.add_argument(
            "--no-schedules", action="store_true", help="không chạy các việc theo lịch (chỉ xử lý tác vụ)"
        )
        parser.add_argument("--list", action="store_true", help="chỉ in các việc theo lịch rồi thoát")

    def handle(
        self, *args: Any, workers: int | None = None, no_schedules: bool = False, **options: Any
    ) -> None:
        if options["list"]:
            for s in SCHEDULES:
                self.stdout.write(f"{s.when}\tcchc {s.command.replace('_', ' ', 1)}\t{s.label}")
            return
        values: dict[str, Any] = dict(settings.HUEY.get("consumer", {}))
        if workers:
            values["workers"] = workers
        if no_schedules:
            values["periodic"] = False
        config: Any = ConsumerConfig(**values)
        config.validate()
        logger = logging.getLogger("huey")
        if not logger.handlers:
            config.setup_logger(logger)
        where = settings.HUEY.get("filename") or "Redis"  # never the URL: it may hold a password
        self.stdout.write(
            f"Tác vụ nền: {config.workers} luồng, hàng đợi {where}; việc theo lịch: {'bật' if config.periodic else 'tắt'}."
        )
        self.stdout.flush()
        queue: Any = HUEY
        queue.create_consumer(**config.values).run()
