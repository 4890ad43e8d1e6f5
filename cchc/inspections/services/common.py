"""Pieces the inspection services share: text, locks, evidence files."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile

from cchc.core.actors import Actor
from cchc.core.errors import ServiceError
from cchc.core.text import nfc
from cchc.core.uploads import check_upload
from cchc.orgs.models import user_of

from ..models import Evidence, Inspection, ItemResult, RemediationReport

MAX_TEXT = 4000
MAX_FILES = 10


def text(value: str | None, field: str, *, required: str = "", limit: int = MAX_TEXT) -> str:
    """NFC text, each line kept (notes have paragraphs); ``required``: the message when empty."""
    cleaned = "\n".join(nfc(line) for line in (value or "").splitlines()).strip()
    if required and not cleaned:
        raise ServiceError({field: required}, code="inspection_text_required")
    if len(cleaned) > limit:
        raise ServiceError(
            {field: f"Nội dung quá dài (tối đa {limit:,} ký tự).".replace(",", ".")},
            code="inspection_text_too_long",
        )
    return cleaned


def locked_inspection(inspection: Inspection) -> Inspection:
    """The inspection, row-locked for the transaction, with what the permission checks read."""
    return (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("plan__unit", "unit")
        .prefetch_related("team")
        .get(pk=inspection.pk)
    )


def store_files(
    *,
    actor: Actor,
    files: Sequence[UploadedFile],
    result: ItemResult | None = None,
    report: RemediationReport | None = None,
) -> list[Evidence]:
    """Check every file first (a refused one saves none), then store them."""
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise ServiceError({"files": f"Tối đa {MAX_FILES} tệp mỗi lần."}, code="inspection_too_many_files")
    checked = [check_upload(f) for f in files]
    out = []
    for c in checked:
        ev = Evidence(
            result=result,
            report=report,
            original_name=c.name,
            content_type=c.content_type,
            size=c.size,
            sha256=c.sha256,
            added_by=user_of(actor),
        )
        ev.file.save(c.name, c.upload, save=False)
        ev.save()
        out.append(ev)
    return out
