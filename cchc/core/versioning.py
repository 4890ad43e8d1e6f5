"""Optimistic versioning for edit forms: two people open the same record, the second save must
not silently undo the first.

A versioned model has `version = PositiveIntegerField(default=1)`. The edit form carries the
version it was opened at; the service calls `claim_version` first thing in its transaction, which
moves the version on in the database only if it is still the one the person saw (one UPDATE …
WHERE version = n, so two concurrent saves cannot both pass). The loser gets `EditedMeanwhile`,
which says who changed the record and when, so the page can show the saved values beside theirs.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone

from .errors import ServiceError


class EditedMeanwhile(ServiceError):
    """Someone saved the record after the form was opened."""


def claim_version(obj: Any, expected: int | None, *, what: str) -> None:
    """Move ``obj``'s version on, refusing when it is no longer ``expected`` (None: a caller
    with no form, e.g. an import, which always wins)."""
    model = type(obj)
    rows = model.objects.filter(pk=obj.pk)
    if expected is not None:
        rows = rows.filter(version=expected)
    if not rows.update(version=F("version") + 1):
        raise EditedMeanwhile(_meanwhile_message(obj, what), code="edited_meanwhile")
    obj.version = model.objects.values_list("version", flat=True).get(pk=obj.pk)


def _meanwhile_message(obj: models.Model, what: str) -> str:
    from .models import AuditEntry

    last = (
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("actor")
        .first()
    )
    who = ""
    if last is not None:
        name = getattr(last.actor, "full_name", "") or getattr(last.actor, "username", "") or "người khác"
        who = f" bởi {name} lúc {timezone.localtime(last.at):%H:%M ngày %d/%m/%Y}"
    return (
        f"{what.capitalize()} vừa được sửa{who}, sau khi bạn mở trang này. Những ô khác với bản đang "
        "lưu được nêu bên dưới; xem lại rồi bấm Lưu lần nữa nếu vẫn muốn thay bằng nội dung của bạn."
    )
