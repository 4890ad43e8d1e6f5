"""Write endpoints (clients with the write scope): dossier events and progress reports. Both take
batches and answer per item (``applied`` / ``duplicate`` / ``rejected`` with the error); a batch
that is not valid JSON of the documented shape is refused whole (422)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from ninja import Router

from cchc.core.errors import ServiceError
from cchc.tracking.models import Assignment
from cchc.tracking.services import progress_post

from .auth import client_of, require_write
from .events import APPLIED, DUPLICATE, REJECTED, error_body
from .events_batch import events_apply_batch
from .schemas import ErrorOut
from .schemas_write import DossierEventsIn, DossierEventsOut, ProgressBatchIn, ProgressBatchOut

router = Router(tags=["ghi"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut}


@router.post("/dossier-events", response={200: DossierEventsOut, **ERRORS}, summary="Gửi sự kiện hồ sơ")
def dossier_events(request: HttpRequest, payload: DossierEventsIn) -> dict[str, Any]:
    """Up to 1,000 events of dossiers, applied in order, each on its own: idempotent by
    ``event_id`` (a second delivery answers ``duplicate`` and changes nothing). Written in bulk
    (`events_batch`), with the answers of one event at a time."""
    actor = require_write(request)
    results = events_apply_batch(actor=actor, client=client_of(request), events=payload.events)
    return {
        "applied": sum(r["status"] == APPLIED for r in results),
        "duplicates": sum(r["status"] == DUPLICATE for r in results),
        "rejected": sum(r["status"] == REJECTED for r in results),
        "results": results,
    }


@router.post(
    "/progress-updates", response={200: ProgressBatchOut, **ERRORS}, summary="Báo cáo tiến độ nhiệm vụ"
)
def progress_updates(request: HttpRequest, payload: ProgressBatchIn) -> dict[str, Any]:
    """Progress of assignments of units in the client's subtree (a document system reporting
    for them), through the same service as the tracking page (`tracking.services.progress_post`)."""
    actor = require_write(request)
    results: list[dict[str, Any]] = []
    for u in payload.updates:
        try:
            with transaction.atomic():
                assignment = (
                    Assignment.objects.select_related("task__plan", "unit")
                    .filter(pk=u.assignment_id, unit__path__startswith=actor.unit_path)
                    .first()
                )
                if assignment is None:
                    raise ServiceError(
                        {
                            "assignment_id": f"Không có phân công {u.assignment_id} trong phạm vi của ứng dụng."
                        },
                        code="api_assignment_unknown",
                    )
                update = progress_post(
                    actor=actor,
                    assignment=assignment,
                    percent=u.percent,
                    narrative=u.narrative,
                    reported_on=u.reported_on,
                )
            results.append(
                {
                    "assignment_id": u.assignment_id,
                    "status": APPLIED,
                    "update_id": update.pk,
                    "percent": u.percent,
                }
            )
        except (ServiceError, PermissionDenied) as exc:
            results.append({"assignment_id": u.assignment_id, "status": REJECTED, "error": error_body(exc)})
    return {
        "applied": sum(r["status"] == APPLIED for r in results),
        "rejected": sum(r["status"] == REJECTED for r in results),
        "results": results,
    }
