"""Forms 01–06 of a dossier and the register (form 07), as DOCX or PDF: for whoever may read
the dossier, with the applicant as that user may see them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cchc.core.documents import DocumentError, docx_to_pdf
from cchc.orgs.access import Access
from cchc.orgs.http import AuthedRequest
from cchc.orgs.models import Unit

from . import selectors
from .documents import FORMS, FormUnavailable, build_form, build_register
from .forms import RegisterForm
from .qr import lookup_path

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def docx_or_pdf(request: AuthedRequest, d, docx: bytes, name: str, ext: str) -> HttpResponse:
    """The document as DOCX, or printed to PDF (LibreOffice); without it, a page that says why
    and offers the DOCX."""
    if ext == "docx":
        return _file(docx, f"{name}.docx", DOCX)
    try:
        pdf = docx_to_pdf(docx)
    except DocumentError as exc:
        return render(
            request,
            "dossiers/pdf_unavailable.html",
            {"message": str(exc), "docx_url": request.path.removesuffix(".pdf") + ".docx", "d": d},
            status=503,
        )
    return _file(pdf, f"{name}.pdf", "application/pdf")


@require_GET
def dossier_form(request: AuthedRequest, code: str, number: str, ext: str):
    d = selectors.dossier_get(user=request.user, code=code)
    if number not in FORMS:
        return render(
            request,
            "core/error.html",
            {"title": "Không có mẫu", "message": f"Không có mẫu số {number}."},
            status=404,
        )
    try:
        lookup_url = request.build_absolute_uri(lookup_path(d.code))
        docx = build_form(number, d, d.applicant, lookup_url=lookup_url).to_bytes()
    except FormUnavailable as exc:
        return render(
            request, "core/error.html", {"title": "Chưa có biểu mẫu", "message": str(exc)}, status=404
        )
    return docx_or_pdf(request, d, docx, f"mau-{number}-{d.code}", ext)


@require_GET
def register(request: AuthedRequest):
    form = RegisterForm(request.GET or None)
    access = Access.for_user(request.user)
    unit_id = request.GET.get("don_vi")
    unit = None
    if unit_id and unit_id.isdigit():
        unit = Unit.objects.filter(pk=int(unit_id)).first()
    if unit is None:
        unit = Unit.objects.filter(memberships__user=request.user).order_by("path").first()
    if unit is None or not access.can_read_unit(unit):
        raise PermissionDenied("Bạn không có quyền xem sổ theo dõi hồ sơ của đơn vị này.")
    if not form.is_valid():
        message = "; ".join(f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items())
        return render(
            request,
            "core/error.html",
            {
                "title": "Sổ theo dõi hồ sơ",
                "message": message or "Nhập khoảng ngày (tu, den) dạng dd/mm/yyyy.",
            },
            status=400,
        )
    start, end = form.cleaned_data["tu"], form.cleaned_data["den"]
    filters = selectors.DossierFilters(received_from=start, received_to=end)
    dossiers = (
        selectors.dossier_list(user=request.user, filters=filters)
        .filter(receiving_unit=unit)
        .prefetch_related("handovers")
        .order_by("received_at", "id")
    )
    doc = build_register(
        unit=unit,
        dossiers=dossiers,
        applicant_of=lambda d: selectors.mask_personal(d, request.user),
        day=timezone.localdate(),
    )
    return _file(doc.to_bytes(), f"so-theo-doi-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}.docx", DOCX)
