"""Catalogue pages: parse input, call a service or selector, render. No business rules here."""

import base64
import hashlib
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.core.errors import ServiceError
from cchc.core.forms import apply_service_error
from cchc.core.params import int_param
from cchc.orgs.http import AuthedRequest

from . import selectors, services
from .forms import ComponentForm, ImportForm, ProcedureForm, StepForm
from .importer import COLUMNS, ImportFileError
from .models import Component, Level, OnlineMode, Procedure, Step

PAGE_SIZE = 25
IMPORT_SESSION_KEY = "procedures_import"
PROCEDURE_FORM_FIELDS = list(services.EDITABLE_FIELDS)


def _require_some_catalogue(request: AuthedRequest) -> None:
    if not selectors.manageable_agencies(user=request.user).exists():
        raise PermissionDenied(
            "Chỉ cán bộ điều phối hoặc quản trị của cơ quan thực hiện được quản lý danh mục thủ tục."
        )


def _plain(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


@require_GET
def procedure_list(request: AuthedRequest):
    g = request.GET
    filters = selectors.Filters(
        q=g.get("q", "").strip(),
        field=g.get("linh_vuc", ""),
        level=g.get("cap", "") if g.get("cap") in Level.values else "",
        agency=int_param(g, "co_quan"),
        online_mode=g.get("muc_do", "") if g.get("muc_do") in OnlineMode.values else "",
    )
    page = Paginator(selectors.procedure_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        g.get("trang")
    )
    page.object_list = selectors.mark_manageable(user=request.user, procedures=page.object_list)
    kept = {k: v for k, v in g.items() if k != "trang" and v}
    return render(
        request,
        "procedures/procedure_list.html",
        {
            "page": page,
            "total": f"{page.paginator.count:,}".replace(",", "."),  # 1.003: Vietnamese grouping
            "filters": filters,
            "query": urlencode(kept),
            "fields": selectors.field_choices(),
            "agencies": selectors.agency_choices(),
            "levels": Level.choices,
            "modes": OnlineMode.choices,
            "can_create": selectors.manageable_agencies(user=request.user).exists(),
        },
    )


@require_GET
def procedure_detail(request: AuthedRequest, pk: int):
    procedure = selectors.procedure_detail(user=request.user, pk=pk)
    return render(request, "procedures/procedure_detail.html", {"procedure": procedure})


def _procedure_form(request: AuthedRequest, procedure: Procedure | None) -> ProcedureForm:
    initial = {"level": Level.PROVINCE, "time_unit": "working_day", "online_mode": OnlineMode.NONE}
    if procedure:
        initial = {f: getattr(procedure, f) for f in PROCEDURE_FORM_FIELDS}
        if procedure.processing_time is not None:  # "5", not "5,00"
            initial["processing_time"] = _plain(procedure.processing_time)
    return ProcedureForm(
        request.POST or None, initial=initial, agencies=selectors.manageable_agencies(user=request.user)
    )


def _save_procedure(request: AuthedRequest, procedure: Procedure | None):
    form = _procedure_form(request, procedure)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.procedure_save(actor=request.user, procedure=procedure, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Đã lưu thủ tục hành chính.")
            return redirect("procedures:detail", pk=saved.pk)
    return render(
        request,
        "procedures/procedure_form.html",
        {"form": form, "procedure": procedure, "fields": selectors.field_choices()},
    )


@require_http_methods(["GET", "POST"])
def procedure_create(request: AuthedRequest):
    _require_some_catalogue(request)
    return _save_procedure(request, None)


@require_http_methods(["GET", "POST"])
def procedure_edit(request: AuthedRequest, pk: int):
    return _save_procedure(request, selectors.procedure_get(user=request.user, pk=pk, manage=True))


@require_POST
def procedure_delete(request: AuthedRequest, pk: int):
    procedure = selectors.procedure_get(user=request.user, pk=pk, manage=True)
    try:
        services.procedure_delete(actor=request.user, procedure=procedure)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("procedures:detail", pk=pk)
    messages.success(request, f"Đã xóa thủ tục {procedure.code}.")
    return redirect("procedures:list")


# --- components -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def component_edit(request: AuthedRequest, pk: int, component_id: int | None = None):
    procedure = selectors.procedure_get(user=request.user, pk=pk, manage=True)
    component = get_object_or_404(Component, pk=component_id, procedure=procedure) if component_id else None
    initial = (
        {f: getattr(component, f) for f in ("name", "form_template", "copies", "mandatory")}
        if component
        else {}
    )
    form = ComponentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.component_save(
                actor=request.user, procedure=procedure, component=component, **form.cleaned_data
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Đã lưu thành phần hồ sơ.")
            return redirect(f"{procedure.get_absolute_url()}#thanh-phan")
    return render(
        request,
        "procedures/part_form.html",
        {"form": form, "procedure": procedure, "item": component, "kind": "component"},
    )


@require_POST
def component_delete(request: AuthedRequest, pk: int, component_id: int):
    procedure = selectors.procedure_get(user=request.user, pk=pk, manage=True)
    component = get_object_or_404(Component, pk=component_id, procedure=procedure)
    services.component_delete(actor=request.user, component=component)
    messages.success(request, "Đã xóa thành phần hồ sơ.")
    return redirect(f"{procedure.get_absolute_url()}#thanh-phan")


# --- steps ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def step_edit(request: AuthedRequest, pk: int, step_id: int | None = None):
    procedure = selectors.procedure_get(user=request.user, pk=pk, manage=True)
    step = get_object_or_404(Step, pk=step_id, procedure=procedure) if step_id else None
    initial = (
        {
            "name": step.name,
            "actor_role": step.actor_role,
            "performer": step.performer,
            "time_allowed": _plain(step.time_allowed),
        }
        if step
        else {}
    )
    form = StepForm(request.POST or None, initial=initial)
    form.fields["time_allowed"].label = f"Thời gian ({procedure.get_time_unit_display()})"
    if request.method == "POST" and form.is_valid():
        try:
            services.step_save(actor=request.user, procedure=procedure, step=step, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Đã lưu bước xử lý.")
            return redirect(f"{procedure.get_absolute_url()}#quy-trinh")
    return render(
        request,
        "procedures/part_form.html",
        {"form": form, "procedure": procedure, "item": step, "kind": "step", "roles": services.STEP_ROLES},
    )


@require_POST
def step_delete(request: AuthedRequest, pk: int, step_id: int):
    procedure = selectors.procedure_get(user=request.user, pk=pk, manage=True)
    step = get_object_or_404(Step, pk=step_id, procedure=procedure)
    services.step_delete(actor=request.user, step=step)
    messages.success(request, "Đã xóa bước xử lý; các bước sau được đánh số lại.")
    return redirect(f"{procedure.get_absolute_url()}#quy-trinh")


@require_POST
def step_move(request: AuthedRequest, pk: int, step_id: int):
    procedure = selectors.procedure_get(user=request.user, pk=pk, manage=True)
    step = get_object_or_404(Step, pk=step_id, procedure=procedure)
    try:
        services.step_move(
            actor=request.user, step=step, offset=-1 if request.POST.get("huong") == "len" else 1
        )
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{procedure.get_absolute_url()}#quy-trinh")


# --- import -----------------------------------------------------------------------------------


def _import_page(request: AuthedRequest, form, preview=None, sha256="", status=200):
    return render(
        request,
        "procedures/import.html",
        {"form": form, "preview": preview, "sha256": sha256, "columns": COLUMNS},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def catalogue_import(request: AuthedRequest):
    """Upload → preview of every row (nothing written) → confirm (see import_confirm)."""
    _require_some_catalogue(request)
    agencies = selectors.manageable_agencies(user=request.user)
    form = ImportForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "GET" or not form.is_valid():
        return _import_page(request, form, status=200 if request.method == "GET" else 400)
    upload = form.cleaned_data["file"]
    content = upload.read()
    agency = form.cleaned_data["agency"]
    try:
        preview = services.catalogue_import(
            actor=request.user, filename=upload.name, content=content, default_agency=agency, dry_run=True
        )
    except ServiceError as exc:  # ImportFileError, or no right over the default agency
        form.add_error("file" if isinstance(exc, ImportFileError) else "agency", exc.messages)
        return _import_page(request, form, status=400)
    sha256 = hashlib.sha256(content).hexdigest()
    request.session[IMPORT_SESSION_KEY] = {
        "filename": upload.name,
        "content": base64.b64encode(content).decode("ascii"),
        "sha256": sha256,
        "agency": agency.pk if agency else None,
    }
    return _import_page(request, form, preview, sha256=sha256)


@require_POST
def import_confirm(request: AuthedRequest):
    _require_some_catalogue(request)
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored or stored.get("sha256") != request.POST.get("sha256"):
        messages.error(request, "Không tìm thấy tệp đã xem trước; hãy tải tệp lên lại.")
        return redirect("procedures:import")
    content = base64.b64decode(stored["content"])
    agency = selectors.manageable_agencies(user=request.user).filter(pk=stored["agency"]).first()
    try:
        result = services.catalogue_import(
            actor=request.user, filename=stored["filename"], content=content, default_agency=agency
        )
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("procedures:import")
    del request.session[IMPORT_SESSION_KEY]
    result.applied = True
    messages.success(request, f"Đã nhập “{stored['filename']}”: {result.summary()}")
    for error in result.errors[:20]:
        messages.warning(request, str(error))
    return redirect("procedures:list")
