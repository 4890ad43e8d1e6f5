"""Reading jobs, scoped: a job is seen by its owner, and by those who may see its unit."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from cchc.core.errors import PermissionDenied
from cchc.orgs.access import Access
from cchc.orgs.models import User

from .models import Job


def job_get(*, user: User, pk: uuid.UUID | str) -> Job:
    """The job `pk` if `user` may see it: `Job.DoesNotExist` if there is none, `PermissionDenied`
    if it is another's about a unit the user may not see (ids are random: this reveals nothing)."""
    job = Job.objects.select_related("unit", "owner").get(pk=pk)
    if job.owner_id == user.pk:
        return job
    access = Access.for_user(user)
    if access.is_superuser or (job.unit is not None and access.can_read_unit(job.unit)):
        return job
    raise PermissionDenied("Bạn không có quyền xem tác vụ này.")


def job_list(*, user: User) -> QuerySet[Job]:
    """The user's own jobs, newest first."""
    return Job.objects.filter(owner=user).select_related("unit").order_by("-created_at")
