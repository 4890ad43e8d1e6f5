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
        enqueue(job)
    job.refresh_from_db()
    return job


def jobs_recover(*, now: dt.datetime | None = None) -> list[Job]:
    """Queue again the jobs a worker left running and will not finish: one of this host whose
    process is gone (a crash, a kill, a power cut), or any whose heartbeat is older than
    `CCHC_JOB_STALE_SECONDS` (a worker on another host that died). Returns them."""
    now = now or timezone.now()
    host = socket.gethostname()
    stale = now - dt.timedelta(seconds=settings.CCHC_JOB_STALE_SECONDS)
    recovered = []
    running = Job.objects.filter(state=JobState.RUNNING)
    for job in running.filter(Q(worker__startswith=f"{host}:") | Q(heartbeat_at__lt=stale)):
        name, _, pid = job.worker.partition(":")
        if name == host and pid.isdigit() and _alive(int(pid)) and (job.heartbeat_at or now) >= stale:
            continue
        with transaction.atomic():
            if not Job.objects.filter(pk=job.pk, state=JobState.RUNNING, worker=job.worker).update(
                state=JobState.QUEUED, message="Tiến trình xử lý đã dừng giữa chừng; tác vụ được chạy lại."
            ):
                continue  # another worker took it up first
            audit_record(actor=SYSTEM, action="Chạy lại tác vụ nền bị dừng", obj=job, unit=job.unit)
            enqueue(job)
        recovered.append(job)
    return recovered


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie (a killed child not yet reaped) is no worker
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True


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
