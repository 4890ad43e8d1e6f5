"""Uploaded files that no row refers to any more, and their removal.

A service writes an uploaded file and then its row in one transaction, and removes the file if
the transaction fails — but a process killed between the two (SIGKILL, power loss) leaves a file
that nothing refers to. `cchc media sweep` finds them: every file under MEDIA_ROOT that no
FileField of any installed model names, and that is older than a grace period (so that an upload
in progress is never taken for an orphan)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models


@dataclass(frozen=True)
class Sweep:
    orphans: list[Path]
    referenced: int
    bytes: int


def referenced_names() -> set[str]:
    """The storage names held by every FileField of every installed model."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names.update(
                    n
                    for n in model._default_manager.exclude(**{field.name: ""}).values_list(
                        field.name, flat=True
                    )
                    if n
                )
    return names


def media_sweep(*, older_than_hours: float = 24, delete: bool = False) -> Sweep:
    root = Path(settings.MEDIA_ROOT)
    referenced = referenced_names()
    cutoff = time.time() - older_than_hours * 3600
    orphans = []
    size = 0
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if not path.is_file() or path.is_symlink():
                continue
            name = path.relative_to(root).as_posix()
            stat = path.stat()
            if name in referenced or stat.st_mtime > cutoff:
                continue
            orphans.append(path)
            size += stat.st_size
    if delete:
        for path in orphans:
            path.unlink(missing_ok=True)
    return Sweep(orphans=orphans, referenced=len(referenced), bytes=size)
