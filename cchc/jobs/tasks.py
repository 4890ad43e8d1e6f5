"""What the worker does besides the jobs (cchc/jobs/queue.py): take up a dead worker's jobs when
it starts, housekeeping every five minutes, and one periodic task per schedule. `cchc worker`
(huey's consumer) finds this module by its name."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management import call_command
from django.db import close_old_connections
from django.utils import timezone
from huey.contrib.djhuey import db_periodic_task, on_startup

from . import queue, services
from .schedules import SCHEDULES, Schedule, local_crontab

logger = logging.getLogger(__name__)


@on_startup(name="cchc.recover_jobs")
def recover_jobs() -> None:
    """A worker starting takes up the jobs a killed one left running."""
    close_old_connections()
    try:
        for job in services.jobs_recover():
            logger.warning("job %s (%s) taken up again after its worker stopped", job.pk, job.kind)
    finally:
        close_old_connections()


@db_periodic_task(local_crontab(minute="*/5"), name="cchc.jobs_housekeeping")
def jobs_housekeeping() -> None:
    services.jobs_recover()
    services.jobs_prune()


def _scheduled(schedule: Schedule) -> Any:
    def run() -> None:
        args = schedule.args(timezone.localdate())
        logger.info("schedule %s: cchc %s %s", schedule.label, schedule.command, " ".join(args))
        call_command(schedule.command, *args, verbosity=0)

    run.__name__ = f"schedule_{schedule.command}"
    return db_periodic_task(local_crontab(**schedule.cron), name=f"cchc.schedule.{schedule.command}")(run)


SCHEDULED = {s.command: _scheduled(s) for s in SCHEDULES}
run_job = queue.run_job  # the job task, registered with the consumer through this module
