"""A job's page (progress, then its outcome), the small JSON its script polls, the file it made,
and the list of one's jobs."""

from __future__ import annotations

import uuid

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cchc.orgs.http import AuthedRequest
from cchc.orgs.models import User

from . import selectors
from .models import Job, JobState


def _job(request: AuthedRequest, pk: uuid.UUID) -> Job:
    try:
        return selectors.job_get(user=request.user, pk=pk)
    except Job.DoesNotExist as exc:
        raise Http404("Không có tác vụ này, hoặc bạn không được xem.") from exc


def status_payload(job: Job, user: User) -> dict[str, object]:
    """What the page's script needs, kept small for a slow line. The next page (the import's
    review) is its owner's only; others who may follow the job see its state and file."""
    payload: dict[str, object] = {
        "state": job.state,
        "state_label": job.get_state_display(),
        "progress": job.progress,
        "message": job.message,
        "finished": job.finished,
    }
    if job.state == JobState.SUCCEEDED:
        if job.next_url and job.owner_id == user.pk:
            payload["next"] = job.next_url
        if job.result_file:
            payload["download"] = reverse("jobs:download", args=[job.pk])
    return payload


@require_GET
def job_detail(request: AuthedRequest, pk: uuid.UUID) -> HttpResponse:
    job = _job(request, pk)
    if job.state == JobState.SUCCEEDED and job.next_url and job.owner_id == request.user.pk:
        return redirect(job.next_url)
    return render(
        request,
        "jobs/detail.html",
        {
            "job": job,
            "next_url": job.next_url if job.owner_id == request.user.pk else "",
            "download": reverse("jobs:download", args=[job.pk]) if job.result_file else "",
        },
    )


@require_GET
def job_status(request: AuthedRequest, pk: uuid.UUID) -> JsonResponse:
    response = JsonResponse(status_payload(_job(request, pk), request.user))
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def job_download(request: AuthedRequest, pk: uuid.UUID) -> FileResponse:
    job = _job(request, pk)
    if job.state != JobState.SUCCEEDED or not job.result_file:
        raise Http404("Tác vụ chưa có tệp kết quả.")
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_name or "ket-qua",
        content_type=job.result_type or "application/octet-stream",
    )


@require_GET
def job_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "jobs/list.html", {"jobs": selectors.job_list(user=request.user)[:100]})
