"""Running one job in the worker: claim it, run its kind, record progress, and decide between
done, failed and tried again.

A job is claimed by one atomic update from QUEUED to RUNNING, so a message delivered twice (a
retry, a recovery after a crash) never runs the same job twice at once. A `JobFailed` or a
`ServiceError` ends the job with its message (trying again would fail again); anything else is
tried again by the queue (`CCHC_JOB_RETRIES` times, the delay growing) and then recorded as failed.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from cchc.core.errors import ServiceError

from . import registry
from .models import Job, JobState

logger = logging.getLogger(__name__)

SYSTEM_ERROR = "Không thực hiện được do lỗi hệ thống (đã thử {n} lần); hãy báo quản trị hệ thống."


def process_start(pid: int) -> str:
    """When the process `pid` started (clock ticks since boot, Linux), "" if unknown or gone; with
    the pid it names one process even where pids repeat (a container restarted)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[-1].split()
    except OSError:
        return ""
    return "" if fields[0] == "Z" else fields[19]  # a zombie is no worker; field 22 is the start


def worker_id() -> str:
    """This process, as `host:pid:start`: what a restarted worker looks for to take up the jobs of
    a crashed one."""
    return f"{socket.gethostname()}:{os.getpid()}:{process_start(os.getpid())}"


class JobContext:
    """What a job's function is handed: the job, and the means to report on it."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.done_message = ""

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.job.params)

    def progress(self, percent: int, message: str = "") -> None:
        """Record how far the job is (0–100) and what it does now; also the worker's heartbeat.
        Call it outside the job's own transaction, so that the page sees it at once."""
        percent = max(0, min(100, int(percent)))
        fields: dict[str, Any] = {"progress": percent, "heartbeat_at": timezone.now()}
        if message:
            fields["message"] = message[:500]
        Job.objects.filter(pk=self.job.pk).update(**fields)
        self.job.progress = percent

    def save_file(self, name: str, content_type: str, data: bytes) -> None:
        """Keep the file the job made, for its owner to download."""
        if self.job.result_file:
            self.job.result_file.delete(save=False)
        self.job.result_file.save(name, ContentFile(data), save=False)
        self.job.result_name = name
        self.job.result_type = content_type
        Job.objects.filter(pk=self.job.pk).update(
            result_file=self.job.result_file.name, result_name=name, result_type=content_type
        )

    def finish(self, *, result: Any = None, next_url: str = "", message: str = "") -> None:
        """What came of the job: JSON for the page that reads it back, where the page goes next,
        what the page says once it is done."""
        self.job.result = result
        self.job.next_url = next_url
        self.done_message = message
        Job.objects.filter(pk=self.job.pk).update(result=result, next_url=next_url)

    def read_input(self) -> bytes:
        """The uploaded file the job was started with."""
        if not self.job.input_file:
            raise registry.JobFailed("Tác vụ không có tệp đầu vào.")
        with self.job.input_file.open("rb") as fh:
            data: bytes = fh.read()
        return data


def _end(job: Job, state: str, message: str) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        state=state,
        message=message[:500],
        finished_at=now,
        heartbeat_at=now,
        **({"progress": 100} if state == JobState.SUCCEEDED else {}),
    )
    if job.input_file:  # read once; an upload is not kept past its job
        job.input_file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(input_file="")


def execute(job_id: str, *, retries_left: int) -> None:
    """Run the job `job_id` once. Raises what the job raised when the queue should try again."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        worker=worker_id(),
        message="Đang xử lý…",
    )
    if not claimed:  # gone, finished, or being run by another worker
        return
    job = Job.objects.get(pk=job_id)
    context = JobContext(job)
    try:
        registry.get(job.kind).run(context)
    except (registry.JobFailed, ServiceError) as exc:
        text = "; ".join(exc.messages) if isinstance(exc, ServiceError) else str(exc)
        _end(job, JobState.FAILED, text)
        return
    except Exception:
        if retries_left > 0:
            Job.objects.filter(pk=job.pk).update(
                state=JobState.QUEUED,
                message=f"Gặp lỗi ở lần chạy thứ {job.attempts}; sẽ tự chạy lại.",
            )
        else:
            logger.exception("job %s (%s) failed for good", job.pk, job.kind)
            _end(job, JobState.FAILED, SYSTEM_ERROR.format(n=job.attempts))
        raise
    _end(job, JobState.SUCCEEDED, context.done_message or "Đã xong.")
