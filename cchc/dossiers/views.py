"""Staff pages of the one-stop system: the dossier list, receipt at the desk, a dossier with the
actions its state allows. Parse input, call a selector or service, render; the state machine
(`lifecycle.TRANSITIONS`) says which actions exist, the services say yes or no."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.core.errors import ServiceError
from cchc.core.forms import apply_service_error, service_error_messages
from cchc.core.numbers import format_count
from cchc.orgs.access import Access
from cchc.orgs.http import AuthedRequest
from cchc.orgs.models import Role, Unit, UnitKind, User
from cchc.procedures.models import Procedure

from . import checklist, selectors, services
from . import forms as f
from . import forms_desk as fd
from .choices import Channel, EventKind, State
from .deadlines import dossier_due_explained
from .desk import desk_view
from .documents import FORMS
from .fees import receipt_panel
from .messages import moment
from .paging import keyset_page
from .search import may_search_personal
from .steps import DESK, step_performer
from .steps import progress as step_progress

E = EventKind
PAGE_SIZE = 25
PAGE_KEYS = ("sau", "truoc", "trang")  # where a page starts ("trang": the old numbered links)
DESK_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.OFFICER)


def money(amount: int | None) -> str:
    """ "50.000 đồng" (Vietnamese thousands separator)."""
    return f"{amount or 0:,} đồng".replace(",", ".")


# --- the list ------------------------------------------------------------------------------------


@require_GET
def dossier_list(request: AuthedRequest):
    g = request.GET
    deadline = g.get("han", "")
    filters = selectors.DossierFilters(
        state=g.get("trang_thai", "") if g.get("trang_thai") in State.values else "",
        channel=g.get("kenh", "") if g.get("kenh") in Channel.values else "",
        q=g.get("q", "").strip(),
        overdue=deadline == "qua_han",
    )
    now = timezone.now()
    warning_q = selectors.apology_warning_q(user=request.user, now=now)
    qs = selectors.dossier_list(user=request.user, filters=filters, now=now)
    if deadline == "sap_den_han":
        qs = qs.filter(warning_q)
    warning_count = selectors.dossier_count(warning_q)
    page = keyset_page(qs, after=g.get("sau"), before=g.get("truoc"), size=PAGE_SIZE)
    rows = [(d, selectors.mask_personal(d, request.user)) for d in page.rows]
    kept = {k: v for k, v in g.items() if k not in PAGE_KEYS and v}
    today = timezone.localdate()
    return render(
        request,
        "dossiers/dossier_list.html",
        {
            "page": page,
            "rows": rows,
            "query": urlencode(kept),
            "filtered": bool(kept),
            "states": State.choices,
            "channels": Channel.choices,
            "g": g,
            "deadline": deadline,
            "warning_count": warning_count,
            "warning_label": format_count(warning_count),
            "can_receive": _receiving_units(request.user).exists(),
            "can_search_personal": may_search_personal(request.user),
            "register_units": _register_units(request.user),
            "register_from": today.replace(day=1),
            "register_to": today,
            "now": now,
        },
    )


# --- receipt at the desk ---------------------------------------------------------------------------


def _receiving_units(user: User):
    """Units where the user may receive dossiers (officers, coordinators, administrators)."""
    units = Unit.objects.current().exclude(kind=UnitKind.DISTRICT)
    access = Access.for_user(user)
    return units if access.is_superuser else units.filter(access.units_q(DESK_ROLES))


def _register_units(user: User):
    access = Access.for_user(user)
    return (
        Unit.objects.filter(memberships__user=user).distinct().order_by("path")
        if not access.is_superuser
        else Unit.objects.none()
    )


def _provinces_of(units) -> list[Unit]:
    paths = {u.path for u in units}
    provinces = Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True)
    return [p for p in provinces if any(path.startswith(p.path) for path in paths)]


@require_http_methods(["GET", "POST"])
def dossier_receive(request: AuthedRequest):
    desks = _receiving_units(request.user)
    if not desks.exists():
        raise PermissionDenied("Chỉ cán bộ của nơi tiếp nhận (bộ phận một cửa) được tiếp nhận hồ sơ.")
    provinces = _provinces_of(desks)
    scope = Q(pk__in=[])
    for p in provinces:
        scope |= Q(path__startswith=p.path)
    procedures = (
        Procedure.objects.filter(valid_to__isnull=True)
        .filter(Q(agency__in=Unit.objects.filter(scope)))
        .select_related("agency")
        .order_by("code", "name")
    )
    handling_units = Unit.objects.current().filter(scope).exclude(kind=UnitKind.DISTRICT).order_by("path")
    form = f.ReceiptForm(
        request.POST or None,
        receiving_units=desks.order_by("path"),
        procedures=procedures,
        handling_units=handling_units,
    )
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.dossier_receive(
                actor=request.user,
                **form.service_arguments(),
                components=checklist.received(form.cleaned_data["procedure"], request.POST),
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            if dossier.state == State.RECEIVED:
                text = f"Đã tiếp nhận hồ sơ {dossier.code}. Hẹn trả kết quả: {moment(dossier.due_at)}."
            elif dossier.state == State.INCOMPLETE_AT_RECEIPT:
                text = f"Đã lập phiếu yêu cầu bổ sung, hoàn thiện hồ sơ {dossier.code}."
            else:
                text = f"Đã lập phiếu từ chối tiếp nhận hồ sơ {dossier.code}."
            messages.success(request, text)
            return redirect("dossiers:detail", code=dossier.code)
    context = {"form": form, "checklist": checklist.rows_for_form(form, request.POST)}
    return render(request, "dossiers/receive.html", context, status=400 if form.errors else 200)


# --- one dossier -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    slug: str
    label: str
    kind: str  # the event the state machine must allow
    form: type
    decide: bool = False  # only the handling unit
    danger: bool = False


ACTIONS = [
    Action("tiep-nhan", "Tiếp nhận (đã bổ sung đủ)", E.RECEIVED, f.EmptyForm),
    Action("ban-giao", "Bàn giao bước tiếp theo", E.HANDED_OVER, fd.AssignHandoverForm),
    Action("tra-lai", "Trả lại bước trước", E.HANDED_OVER, fd.SendBackForm, danger=True),
    Action("yeu-cau-bo-sung", "Yêu cầu bổ sung (tạm dừng)", E.SUPPLEMENT_REQUESTED, f.MissingForm),
    Action("nhan-bo-sung", "Đã nhận hồ sơ bổ sung", E.SUPPLEMENT_RECEIVED, f.NoteForm),
    Action("xin-loi", "Gửi thư xin lỗi, hẹn lại ngày trả", E.APOLOGY_SENT, f.ApologyForm, decide=True),
    Action("ket-qua", "Ghi kết quả giải quyết", E.RESULT_GRANTED, f.DecideForm, decide=True),
    Action("dinh-kem", "Đính kèm kết quả điện tử", E.RESULT_FILE_ATTACHED, f.ResultFileForm),
    Action("tra-ket-qua", "Trả kết quả", E.RETURNED, f.ReturnForm),
    Action("thu-phi", "Ghi nhận đã nộp phí tại quầy", E.PAYMENT_MADE, f.EmptyForm),
    Action("so-hoa", "Ghi nhận đã số hóa", E.DIGITISED, f.EmptyForm),
    Action("lien-ket-kho", "Ghi nhận liên kết kho dữ liệu cá nhân", E.DATA_STORE_LINKED, f.EmptyForm),
    Action("dong-bo", "Ghi nhận đã đồng bộ Cổng DVC quốc gia", E.SYNCED, f.EmptyForm),
    Action("dung", "Dừng giải quyết theo đề nghị (mẫu 05)", E.STOPPED, f.StopForm, danger=True),
    Action("rut", "Người nộp rút hồ sơ", E.WITHDRAWN, f.ReasonForm, danger=True),
]
ACTION_BY_SLUG = {a.slug: a for a in ACTIONS}


def _handover_units(d):
    return (
        Unit.objects.current()
        .filter(Q(path__startswith=d.handling_unit.path) | Q(pk=d.receiving_unit_id))
        .order_by("path")
    )


def _form_for(action: Action, d, data=None, files=None):
    auto_id = f"{action.slug}-%s"  # several action forms on one page
    if action.form is fd.AssignHandoverForm:
        units = _handover_units(d)
        step = _next_step(d)
        desk = step is not None and step_performer(step) == DESK
        return fd.AssignHandoverForm(
            data,
            units=units,
            users=User.objects.filter(memberships__unit__in=units)
            .distinct()
            .order_by("full_name", "username"),
            initial={"to_unit": d.receiving_unit_id if desk else d.handling_unit_id},
            auto_id=auto_id,
        )
    return action.form(data, files, auto_id=auto_id)


def available_actions(d, user=None, view=None) -> tuple[list[tuple[Action, Any]], list[tuple[Action, Any]]]:
    """The next actions for this user, in order, each with its form (`desk.desk_view`, or `view`
    when the page has it already), and the others that apply (the applicant's requests, the 766
    facts)."""
    view = view or desk_view(d, user)

    def forms(slugs):
        return [(ACTION_BY_SLUG[s], _form_for(ACTION_BY_SLUG[s], d)) for s in slugs]

    return forms(view.main), forms(view.more)


def _next_step(d) -> dict | None:
    if d.current_step is None:
        return None
    return next((s for s in d.steps if s["position"] == d.current_step + 1), None)


def _event_lines(e) -> list[str]:
    data = e.data or {}
    out = []
    if data.get("missing"):
        out.append("Cần bổ sung: " + "; ".join(data["missing"]))
    if data.get("reason"):
        out.append(f"Lý do: {data['reason']}")
    if data.get("new_due_at"):
        out.append(f"Hẹn trả mới: {moment(data['new_due_at'])}")
    if e.kind == E.RECEIVED and data.get("due_at"):
        out.append(f"Hẹn trả kết quả: {moment(data['due_at'])}")
    if e.kind == E.STEP_STARTED and data.get("step"):
        out.append(f"Bước B{data['step']}, hạn {moment(data.get('due_at'))}")
    if data.get("method"):
        from .choices import ReturnMethod

        out.append(f"Hình thức: {ReturnMethod(data['method']).label}")
    if data.get("note"):
        out.append(f"Ghi chú: {data['note']}")
    if "amount" in data:
        out.append(f"Số tiền: {money(int(data['amount']))}")
    return out


def _forms_available(d) -> list[tuple[str, str]]:
    kinds = {e.kind for e in d.events.all()}
    have = {
        "01": d.received_at is not None,
        "02": bool(kinds & {E.SUPPLEMENT_REQUESTED, E.RECEIPT_INCOMPLETE}),
        "03": bool(kinds & {E.REFUSED_AT_RECEIPT, E.RESULT_REFUSED}),
        "04": E.APOLOGY_SENT in kinds,
        "05": E.STOPPED in kinds,
        "06": d.received_at is not None,
    }
    return [(n, FORMS[n]) for n in FORMS if have[n]]


@require_GET
def dossier_detail(request: AuthedRequest, code: str):
    d = selectors.dossier_get(user=request.user, code=code)
    events = list(d.events.all())
    explained = dossier_due_explained(d, events) if d.received_at else None
    desk = desk_view(d, request.user)
    actions, more_actions = available_actions(d, request.user, desk)
    return render(
        request,
        "dossiers/dossier_detail.html",
        {
            "d": d,
            "a": d.applicant,
            "events": [(e, _event_lines(e)) for e in events],
            "explanation": explained.explain() if explained else "",
            "steps": step_progress(d),
            "desk": desk,
            "next_step": _next_step(d),
            "actions": actions,
            "more_actions": more_actions,
            "accept_checklist": checklist.rows_for_acceptance(d)
            if any(a.slug == "tiep-nhan" for a, _ in actions)
            else [],
            "documents": _forms_available(d),
            "fee_label": money(d.fee_amount) if d.fee_amount else "không",
            "receipt": receipt_panel(d),
            "payments": [(p, money(p.amount)) for p in d.payments.all()],
            "overdue": d.state in (State.RECEIVED, State.IN_PROGRESS)
            and d.current_due_at is not None
            and d.current_due_at < timezone.now(),
        },
    )


def _aware_day_end(day: dt.date | None) -> dt.datetime | None:
    if day is None or day >= timezone.localdate():
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def _run(action: Action, request: AuthedRequest, d, form) -> str:
    """Call the service for the action; returns the success message."""
    user, data = request.user, form.cleaned_data
    calls: dict[str, Callable[[], Any]] = {
        "tiep-nhan": lambda: services.dossier_accept(
            actor=user, dossier=d, components=checklist.received(d.procedure, request.POST)
        ),
        "ban-giao": lambda: services.dossier_handover(
            actor=user,
            dossier=d,
            to_step=(d.current_step or 0) + 1,
            to_unit=data["to_unit"],
            to_user=data.get("to_user"),
            note=data["note"],
        ),
        "tra-lai": lambda: services.dossier_send_back(actor=user, dossier=d, reason=data["reason"]),
        "yeu-cau-bo-sung": lambda: services.dossier_request_supplement(
            actor=user, dossier=d, missing=data["missing"]
        ),
        "nhan-bo-sung": lambda: services.dossier_supplement_received(
            actor=user, dossier=d, note=data["note"]
        ),
        "xin-loi": lambda: services.dossier_apologise(
            actor=user, dossier=d, new_due_at=form.new_due_at(), reason=data["reason"]
        ),
        "ket-qua": lambda: services.dossier_decide(
            actor=user,
            dossier=d,
            granted=data["granted"],
            reason=data["reason"],
            result_file=data.get("result_file"),
        ),
        "dinh-kem": lambda: services.dossier_attach_result_file(
            actor=user, dossier=d, result_file=data["result_file"]
        ),
        "tra-ket-qua": lambda: services.dossier_return(actor=user, dossier=d, method=data["method"]),
        "thu-phi": lambda: services.payment_record_at_desk(actor=user, dossier=d),
        "so-hoa": lambda: services.dossier_mark_digitised(actor=user, dossier=d),
        "lien-ket-kho": lambda: services.dossier_mark_linked_to_data_store(actor=user, dossier=d),
        "dong-bo": lambda: services.dossier_mark_synced(actor=user, dossier=d),
        "dung": lambda: services.dossier_stop(
            actor=user,
            dossier=d,
            reason=data["reason"],
            requested_at=_aware_day_end(data.get("requested_on")),
        ),
        "rut": lambda: services.dossier_withdraw(actor=user, dossier=d, reason=data["reason"]),
    }
    calls[action.slug]()
    done = {
        "tiep-nhan": f"Đã tiếp nhận hồ sơ {d.code}. Hẹn trả kết quả: {moment(d.due_at)}.",
        "ban-giao": f"Đã bàn giao hồ sơ {d.code} sang bước B{d.current_step}.",
        "tra-lai": f"Đã trả hồ sơ {d.code} về bước B{d.current_step}.",
        "xin-loi": f"Đã ghi thư xin lỗi; hẹn trả mới: {moment(d.new_due_at)}.",
    }
    return done.get(action.slug, f"Đã ghi nhận: {action.label.lower()}.")


@require_POST
def dossier_action(request: AuthedRequest, code: str, action: str):
    if action not in ACTION_BY_SLUG:
        raise Http404
    a = ACTION_BY_SLUG[action]
    d = selectors.dossier_get(user=request.user, code=code)
    form = _form_for(a, d, request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("dossiers:detail", code=d.code)
    try:
        text = _run(a, request, d, form)
    except ServiceError as exc:
        for line in service_error_messages(exc):
            messages.error(request, line)
    else:
        messages.success(request, text)
    return redirect("dossiers:detail", code=d.code)
