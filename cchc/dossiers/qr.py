"""The QR code on the receipt slip (form 01) and the fee receipt: it opens the public lookup
with the dossier's code filled in (`/tra-cuu/?ma=<code>`). The lookup still asks for the last
digits of the applicant's phone, so the code says nothing a passer-by could not read on the
slip; from the lookup the applicant rates the service (`/tra-cuu/<code>/danh-gia/`).

Made with `segno` (pure Python): PNG for the DOCX (and so the PDF), SVG inline for the web page.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe


def lookup_path(code: str) -> str:
    return reverse("lookup") + "?" + urlencode({"ma": code})


def _qr(text: str) -> segno.QRCode:
    return segno.make(text, error="m", micro=False)


def qr_png(text: str, *, scale: int = 6) -> bytes:
    out = io.BytesIO()
    _qr(text).save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def qr_svg(text: str, *, scale: int = 4, title: str = "") -> SafeString:
    """Inline SVG markup (no style attribute, no script: the CSP allows it)."""
    out = io.BytesIO()
    _qr(text).save(
        out,
        kind="svg",
        scale=scale,
        border=2,
        xmldecl=False,
        svgns=True,
        title=title or None,
        svgclass="qr",
        lineclass=None,
        omitsize=False,
    )
    return mark_safe(out.getvalue().decode("utf-8"))  # noqa: S308 — segno's own markup, text escaped
