"""Starting a job, and taking up the jobs a crashed worker left behind."""

from __future__ import annotations

import datetime as dt
import os
import socket
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cchc.core.actors import SYSTEM, Actor
from cchc.core.audit import audit_record
from cchc.orgs.models import Unit, User

from .models import FINISHED, Job, JobState
from .queue import enqueue
from .runner import process_start


def job_start(
    *,
    actor: Actor,
    kind: str,
    label: str,
    unit: Unit | None = None,
    params: dict[str, Any] | None = None,
    upload: UploadedFile | None = None,
) -> Job:
    """Queue a job of `kind` for `actor` (its owner), about `unit`; `upload` is kept until the
    job has read it. Returns the job as it is after the queue took it (in immediate mode, done)."""
    with transaction.atomic():
        job = Job(
            owner=actor if isinstance(actor, User) else None,
            unit=unit,
            kind=kind,
            label=label[:255],
            params=params or {},
        )
        if upload is not None:
            job.input_file.save(os.path.basename(upload.name or "tep"), upload, save=False)
        job.save()
        audit_record(
            actor=actor, action="Tạo tác vụ nền", obj=job, unit=unit, after={"kind": kind, "label": label}
        )
    enqueue(job)  # after the row's transaction: a job that runs at once runs in its own
    job.refresh_from_db()
    return job


def jobs_recover(*, now: dt.datetime | None = None) -> list[Job]:
    """Queue again the jobs that no worker will finish: running in a process of this host that is
    gone (a crash, a kill, a power cut); running on another host with no heartbeat for
    `CCHC_JOB_STALE_SECONDS` (that worker died); queued that long ago and never taken (the
    queue's message lost, e.g. a Redis emptied). Running twice is harmless: a worker claims a job
    once. Returns the jobs queued again."""
    now = now or timezone.now()
    host = socket.gethostname()
    stale = now - dt.timedelta(seconds=settings.CCHC_JOB_STALE_SECONDS)
    recovered = []
    candidates = Job.objects.filter(
        Q(state=JobState.RUNNING, worker__startswith=f"{host}:")
        | Q(state=JobState.RUNNING, heartbeat_at__lt=stale)
        | (
            Q(state=JobState.QUEUED, created_at__lt=stale)
            & (Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale))
        )
    )
    for job in candidates:
        if job.state == JobState.RUNNING and not _lost(job, host, stale, now):
            continue
        running = job.state == JobState.RUNNING
        with transaction.atomic():
            # heartbeat_at marks when it was queued again: a lost message is re-sent once per period
            if not Job.objects.filter(pk=job.pk, state=job.state, worker=job.worker).update(
                state=JobState.QUEUED,
                heartbeat_at=now,
                message="Tiến trình xử lý đã dừng giữa chừng; tác vụ được chạy lại."
                if running
                else job.message,
            ):
                continue  # another worker took it up first
            audit_record(actor=SYSTEM, action="Chạy lại tác vụ nền bị dừng", obj=job, unit=job.unit)
        enqueue(job)
        recovered.append(job)
    return recovered


def _lost(job: Job, host: str, stale: dt.datetime, now: dt.datetime) -> bool:
    """Whether the worker that runs `job` is gone: of this host, its process (pid and start time)
    no longer runs; of another host, it has been silent too long."""
    name, _, rest = job.worker.partition(":")
    pid, _, started = rest.partition(":")
    if name == host and pid.isdigit():
        return not started or process_start(int(pid)) != started
    return (job.heartbeat_at or now) < stale


def jobs_prune(*, now: dt.datetime | None = None) -> int:
    """Delete finished jobs older than `CCHC_JOB_KEEP_DAYS`, with their files."""
    now = now or timezone.now()
    old = Job.objects.filter(
        state__in=FINISHED, finished_at__lt=now - dt.timedelta(days=settings.CCHC_JOB_KEEP_DAYS)
    )
    count = 0
    for job in old:
        for f in (job.input_file, job.result_file):
            if f:
                f.delete(save=False)
        job.delete()
        count += 1
    return count
