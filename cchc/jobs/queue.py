"""The queue (huey, configured by settings.HUEY): the one task that runs any job, and handing a
job to it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from huey.contrib.djhuey import HUEY, db_task

from . import runner
from .models import Job


@db_task(
    retries=settings.CCHC_JOB_RETRIES,
    retry_delay=settings.CCHC_JOB_RETRY_DELAY,
    retry_backoff=3,
    context=True,
    name="cchc.run_job",
)
def run_job(job_id: str, task: Any = None) -> None:
    runner.execute(job_id, retries_left=task.retries if task is not None else 0)


def enqueue(job: Job) -> None:
    """Hand the job to the queue once its row is committed (the worker reads it from the
    database; inside a transaction, at its commit). In immediate mode (the tests) the job runs
    here and now."""
    queue: Any = HUEY
    if queue.immediate:
        run_job(str(job.pk))
    else:
        job_id = str(job.pk)
        transaction.on_commit(lambda: run_job(job_id))
