"""Uploaded files (evidence — tài liệu kiểm chứng —, result files): checked by extension and by content.

The extension alone is not trusted: the first bytes must match the format it claims, so a
renamed executable is refused. Files are stored under a random name outside any served
directory and streamed back only by a view that checks access.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from .errors import ServiceError
from .text import nfc

_PDF, _ZIP, _OLE, _JPEG, _PNG = b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\xff\xd8\xff", b"\x89PNG"

# extension -> (MIME type sent back on download, accepted leading bytes)
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (_PDF,)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    ".odt": ("application/vnd.oasis.opendocument.text", (_ZIP,)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (_ZIP,)),
    ".doc": ("application/msword", (_OLE,)),
    ".xls": ("application/vnd.ms-excel", (_OLE,)),
    ".jpg": ("image/jpeg", (_JPEG,)),
    ".jpeg": ("image/jpeg", (_JPEG,)),
    ".png": ("image/png", (_PNG,)),
    ".zip": ("application/zip", (_ZIP,)),
}
ACCEPT_ATTR = ",".join(ALLOWED_TYPES)


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    name: str
    content_type: str
    size: int
    sha256: str


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Refuse (ServiceError) a file of the wrong type or too large; say which file and why."""
    name = nfc(PurePath(upload.name or "tep").name)[:255]
    ext = PurePath(name).suffix.lower()
    limit = settings.EVIDENCE_MAX_BYTES
    size = upload.size or 0  # an uploaded file always knows its size
    if ext not in ALLOWED_TYPES:
        allowed = ", ".join(e.lstrip(".").upper() for e in ALLOWED_TYPES)
        raise ServiceError(
            {"files": f"Tệp “{name}” không được chấp nhận: chỉ nhận {allowed}."}, code="upload_type_refused"
        )
    if size == 0:
        raise ServiceError({"files": f"Tệp “{name}” rỗng."}, code="upload_empty")
    if size > limit:
        raise ServiceError(
            {
                "files": f"Tệp “{name}” dung lượng {size / 1048576:.1f} MB, vượt quá giới hạn {limit / 1048576:.0f} MB."
            },
            code="upload_too_large",
        )
    mime, signatures = ALLOWED_TYPES[ext]
    upload.seek(0)
    head = upload.read(8)
    if not any(head.startswith(sig) for sig in signatures):
        raise ServiceError(
            {"files": f"Nội dung tệp “{name}” không đúng định dạng {ext.lstrip('.').upper()}."},
            code="upload_content_mismatch",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload=upload, name=name, content_type=mime, size=size, sha256=digest.hexdigest())
