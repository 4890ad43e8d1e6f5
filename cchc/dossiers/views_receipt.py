"""Staff pages of the receipt side of the desk: the checklist of components for the chosen
procedure (an HTMX partial of the receipt form), the receipt slip as a web page with its QR
code, the fee receipt (biên lai) as DOCX or PDF, and the search by the applicant's personal
data. Parse, call a selector or service, render."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cchc.core.errors import ServiceError
from cchc.core.forms import service_error_messages
from cchc.orgs.http import AuthedRequest
from cchc.procedures.models import Procedure

from . import checklist, selectors
from .documents import FORMS, FormUnavailable, dossier_facts
from .fee_receipt import build_fee_receipt
from .fees import fee_state, money
from .qr import lookup_path, qr_png, qr_svg
from .search import PersonalSearch, dossier_search_personal, may_search_personal
from .views import _receiving_units
from .views_documents import docx_or_pdf


@require_GET
def receipt_components(request: AuthedRequest):
    """The checklist rows of one procedure (receive.html swaps them in when it changes)."""
    if not _receiving_units(request.user).exists():
        raise PermissionDenied("Chỉ cán bộ của nơi tiếp nhận (bộ phận một cửa) được tiếp nhận hồ sơ.")
    raw = request.GET.get("procedure", "")
    if raw and not raw.isdigit():
        return HttpResponseBadRequest("Mã thủ tục không hợp lệ.")
    procedure = Procedure.objects.filter(pk=int(raw), valid_to__isnull=True).first() if raw else None
    return render(request, "dossiers/_checklist.html", {"checklist": checklist.rows(procedure)})


def lookup_url(request: AuthedRequest, code: str) -> str:
    return request.build_absolute_uri(lookup_path(code))


@require_GET
def receipt_slip(request: AuthedRequest, code: str):
    """Form 01 as a page: what was received, the appointment, the fee and the QR code."""
    d = selectors.dossier_get(user=request.user, code=code)
    if d.received_at is None:
        return render(
            request,
            "core/error.html",
            {
                "title": "Chưa có giấy hẹn",
                "message": f"Hồ sơ {d.code} chưa được tiếp nhận nên chưa có giấy hẹn trả kết quả.",
            },
            status=404,
        )
    url = lookup_url(request, d.code)
    return render(
        request,
        "dossiers/receipt_slip.html",
        {
            "d": d,
            "f": dossier_facts(d, selectors.mask_personal(d, request.user)),
            "fee": fee_state(d),
            "fee_label": money(d.fee_amount),
            "lookup_url": url,
            "qr": qr_svg(url, title=f"Tra cứu hồ sơ {d.code}"),
            "form_title": FORMS["01"],
        },
    )


@require_GET
def fee_receipt(request: AuthedRequest, code: str, ext: str):
    d = selectors.dossier_get(user=request.user, code=code)
    url = lookup_url(request, d.code)
    try:
        applicant = selectors.mask_personal(d, request.user)
        docx = build_fee_receipt(d, applicant, qr_png=qr_png(url), lookup_url=url).to_bytes()
    except FormUnavailable as exc:
        return render(
            request, "core/error.html", {"title": "Chưa có biên lai", "message": str(exc)}, status=404
        )
    return docx_or_pdf(request, d, docx, f"bien-lai-{d.code}", ext)


@require_GET
def personal_search(request: AuthedRequest):
    """Find dossiers by the applicant's name or ID number (those who handle dossiers only)."""
    if not may_search_personal(request.user):
        raise PermissionDenied(
            "Chỉ cán bộ trực tiếp tiếp nhận, giải quyết hồ sơ được tìm hồ sơ theo thông tin cá nhân."
        )
    name = request.GET.get("ten", "").strip()[:255]
    id_number = request.GET.get("so_dinh_danh", "").strip()[:32]
    rows, errors, status = None, [], 200
    if name or id_number:
        try:
            found = dossier_search_personal(
                actor=request.user, query=PersonalSearch(name=name, id_number=id_number)
            )
        except ServiceError as exc:
            errors, status = service_error_messages(exc), 400
        else:
            rows = [(x, selectors.mask_personal(x, request.user)) for x in found]
    return render(
        request,
        "dossiers/personal_search.html",
        {"rows": rows, "errors": errors, "name": name, "id_number": id_number},
        status=status,
    )
