"""PDF from DOCX with LibreOffice headless: the PDF is the document as Word/LibreOffice lays it
out (Times New Roman is rendered with the metric-compatible Liberation Serif where Microsoft's
font is not installed)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class DocumentError(Exception):
    """A document could not be produced; the message says why, in Vietnamese."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes, *, timeout: int = 120) -> bytes:
    binary = soffice_path()
    if binary is None:
        raise DocumentError("Máy chủ chưa cài LibreOffice nên chưa xuất được PDF; hãy tải bản DOCX.")
    with tempfile.TemporaryDirectory(prefix="cchc-pdf-") as tmp:
        work = Path(tmp)
        source = work / "van-ban.docx"
        source.write_bytes(docx)
        # A private profile per conversion: concurrent conversions must not share a lock.
        profile = f"-env:UserInstallation=file://{work / 'profile'}"
        try:
            subprocess.run(
                [
                    binary,
                    profile,
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(work),
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise DocumentError("LibreOffice không chuyển được văn bản sang PDF.") from exc
        result = work / "van-ban.pdf"
        if not result.exists():
            raise DocumentError("LibreOffice không tạo ra tệp PDF.")
        return result.read_bytes()
