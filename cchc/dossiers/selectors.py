"""Reads of dossiers and feedback, scoped to the user (`cchc.orgs.access.Access`): a dossier is
visible to whoever may read its handling unit or its receiving unit (officers: their own unit;
coordinators, leaders, administrators: their subtree). The public lookup needs no account and
shows nothing personal."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cchc.core.actors import SYSTEM, Actor
from cchc.core.errors import PermissionDenied
from cchc.core.working_calendar import policies_by_subtree, policies_for_units
from cchc.core.workingtime import to_local
from cchc.orgs.access import SUBTREE_ROLES, Access
from cchc.orgs.models import Role

from .apology import warning_window
from .choices import Channel, EventKind, Result, State
from .codes import is_standard
from .deadlines import apology_deadline
from .lifecycle import OPEN
from .models import Dossier, DossierEvent, Feedback, FeedbackState, Handover, Payment, PaymentStatus
from .permissions import can_decide, can_handle, can_read
from .personal import ApplicantView, applicant_view, normalise_phone
from .search import personal_data_q
from .steps import progress as step_progress

READ_ROLES = (*SUBTREE_ROLES, Role.OFFICER)


def _scope(access: Access, *prefixes: str) -> Q | None:
    """None when the user sees everything (superuser)."""
    if access.is_superuser:
        return None
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= access.units_q(READ_ROLES, prefix)
    return q


@dataclass(frozen=True)
class DossierFilters:
    state: str = ""
    procedure: int | None = None
    unit: int | None = None  # handling unit
    channel: str = ""
    q: str = ""  # code, or the applicant's exact ID number or phone
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    overdue: bool = False


def dossier_list(
    *, user: Actor, filters: DossierFilters | None = None, now: dt.datetime | None = None
) -> QuerySet[Dossier]:
    """The dossiers the user may read, newest first (the register, form 07)."""
    f = filters or DossierFilters()
    qs = Dossier.objects.select_related("procedure", "handling_unit", "receiving_unit", "current_unit")
    scope = _scope(Access.for_user(user), "handling_unit__", "receiving_unit__")
    if scope is not None:
        qs = qs.filter(scope)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.procedure:
        qs = qs.filter(procedure_id=f.procedure)
    if f.unit:
        qs = qs.filter(handling_unit_id=f.unit)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.q.strip():
        text = f.q.strip()
        forms = typed_code_forms(text)
        if any(is_standard(c) for c in forms):  # a whole code, as printed on the slip: the index
            qs = qs.filter(code__in=forms)
        else:  # a part of a code; the applicant's ID number or phone only where the user may see them
            cond = Q(code__icontains=text)
            phone = normalise_phone(text)
            allowed = personal_data_q(user)
            if phone.isdigit():
                personal = Q(applicant_id_number=text) | Q(applicant_phone=phone)
                cond |= personal & allowed if allowed is not None else personal
            qs = qs.filter(cond)
    if f.received_from:
        qs = qs.filter(received_at__date__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_at__date__lte=f.received_to)
    if f.overdue:
        qs = qs.filter(state__in=OPEN, current_due_at__lt=now or timezone.now())
    paid = Payment.objects.filter(dossier=OuterRef("pk"), status=PaymentStatus.PAID)
    return qs.annotate(fee_paid=Exists(paid)).order_by("-submitted_at", "-id")


def dossier_get(*, user: Actor, code: str | None = None, pk: int | None = None) -> Dossier:
    """One dossier with its history, hand-overs, payments and rating; marks what the user may
    do (`can_handle`, `can_decide`) and gives the applicant as the user may see it."""
    lookup = {"code": code} if code is not None else {"pk": pk}
    dossier = get_object_or_404(
        Dossier.objects.select_related(
            "procedure", "handling_unit", "receiving_unit", "current_unit", "rating_entry"
        ).prefetch_related(
            Prefetch("events", queryset=DossierEvent.objects.select_related("actor").order_by("sequence")),
            Prefetch(
                "handovers",
                queryset=Handover.objects.select_related("from_user", "to_user", "from_unit", "to_unit"),
            ),
            "payments",
            "received_components",
        ),
        **lookup,
    )
    if not can_read(user, dossier):
        raise PermissionDenied("Bạn không có quyền xem hồ sơ này.")
    dossier.can_handle = can_handle(user, dossier)
    dossier.can_decide = can_decide(user, dossier)
    dossier.applicant = applicant_view(dossier, clear=dossier.can_handle)
    return dossier


def mask_personal(dossier: Dossier, user: Actor) -> ApplicantView:
    """The applicant as `user` may see them: in clear for those who handle the dossier, else
    masked (ID "0123******01", phone "09******12", e-mail masked, address hidden)."""
    return applicant_view(dossier, clear=can_handle(user, dossier))


# --- the public lookup -------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicStep:
    label: str
    name: str
    status: str  # done / current / pending / stopped
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    on_time: bool | None = None


@dataclass(frozen=True)
class PublicDossier:
    """What anyone holding the code and the phone's last digits may see: no personal data,
    no officer's name."""

    code: str
    procedure_code: str
    procedure_name: str
    handling_unit: str
    channel: str
    state: str
    state_label: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    new_due_at: dt.datetime | None
    current_due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    result: str
    result_label: str
    missing: list[str] = field(default_factory=list)
    steps: list[PublicStep] = field(default_factory=list)


def _public_steps(dossier: Dossier) -> list[PublicStep]:
    return [
        PublicStep(
            label=s.label,
            name=s.name,
            status=s.status,
            started_at=s.started_at,
            finished_at=s.finished_at,
            due_at=s.due_at,
            on_time=s.on_time,
        )
        for s in step_progress(dossier)
    ]


def typed_code_forms(code: str | None) -> list[str]:
    """The code as a citizen may type it from a slip: spaces anywhere (copied across a line
    break), lower case. Codes are stored as issued (upper case); looking up the exact forms keeps
    the lookup on the index, where a case-insensitive match would scan millions of rows."""
    cleaned = "".join((code or "").split())
    return list(dict.fromkeys([cleaned, cleaned.upper()]))


def dossier_public_lookup(*, code: str, phone_last_digits: str) -> PublicDossier | None:
    """The dossier's progress for the applicant, or None when the code is unknown or the digits
    do not match (the same answer, so codes cannot be probed). At least 4 digits are needed."""
    digits = normalise_phone(phone_last_digits)
    if len(digits) < 4 or not digits.isdigit():
        return None
    dossier = (
        Dossier.objects.select_related("procedure", "handling_unit")
        .prefetch_related("handovers")
        .filter(code__in=typed_code_forms(code))
        .first()
    )
    if dossier is None or len(dossier.applicant_phone) < len(digits):
        return None
    if not hmac.compare_digest(dossier.applicant_phone[-len(digits) :], digits):
        return None
    missing: list[str] = []
    if dossier.state in (State.WAITING_SUPPLEMENT, State.INCOMPLETE_AT_RECEIPT):
        last = dossier.events.filter(
            kind__in=[EventKind.SUPPLEMENT_REQUESTED, EventKind.RECEIPT_INCOMPLETE]
        ).order_by("-sequence")
        missing = list((last.values_list("data", flat=True).first() or {}).get("missing", []))
    return PublicDossier(
        code=dossier.code,
        procedure_code=dossier.procedure.code,
        procedure_name=dossier.procedure.name,
        handling_unit=dossier.handling_unit.body_name,
        channel=Channel(dossier.channel).label,
        state=dossier.state,
        state_label=State(dossier.state).label,
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        new_due_at=dossier.new_due_at,
        current_due_at=dossier.current_due_at,
        finished_at=dossier.finished_at,
        returned_at=dossier.returned_at,
        result=dossier.result,
        result_label=Result(dossier.result).label if dossier.result else "",
        missing=missing,
        steps=_public_steps(dossier),
    )


# --- warnings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApologyWarning:
    dossier: Dossier
    deadline: dt.datetime  # the last moment to send the apology
    due_at: dt.datetime
    left: dt.timedelta  # working time until the deadline


def _warning_candidates(user: Actor, now: dt.datetime, within_hours: int) -> tuple[Q, dt.datetime]:
    """The open dossiers not yet apologised, due within the horizon, in the user's scope."""
    # A deadline within N working hours implies a due time within N hours + 1 working day, which
    # is less than this many calendar days even across Tết.
    horizon = now + dt.timedelta(days=14 + within_hours // 8 * 3)
    q = Q(state__in=OPEN, apologised=False, current_due_at__gt=now, current_due_at__lte=horizon)
    if user is not SYSTEM:
        scope = _scope(Access.for_user(user), "handling_unit__", "receiving_unit__")
        q = q & scope if scope is not None else q
    return q, horizon


def apology_warning_q(*, user: Actor, now: dt.datetime | None = None, within_hours: int = 8) -> Q:
    """The dossiers of `dossier_apology_warnings` as a filter, for the database to count and page:
    the rule becomes one range of due times per working-time policy (`apology.warning_window`),
    its units chosen by path (`policies_by_subtree`), so the cost is the dossiers warned about,
    read on the `current_due_at` index, not every open dossier judged in Python. One query (the
    units' schedules) besides the calendar's."""
    now = to_local(now or timezone.now())
    q, horizon = _warning_candidates(user, now, within_hours)
    within = dt.timedelta(hours=within_hours)
    windows: dict[tuple, tuple[dt.datetime, dt.datetime] | None] = {}
    ranges = Q(pk__in=[])
    for path, deeper, policy in policies_by_subtree():
        key = (policy.hours, policy.cutoff)  # the calendar is the same for every unit
        if key not in windows:
            windows[key] = warning_window(policy, now, within, horizon)
        window = windows[key]
        if window is None:
            continue
        where = Q(current_due_at__gte=window[0], current_due_at__lte=window[1])
        if path is not None:
            where &= Q(handling_unit__path__startswith=path)
        for p in deeper:
            where &= ~Q(handling_unit__path__startswith=p)
        ranges |= where
    return q & ranges


def dossier_count(q: Q) -> int:
    """How many dossiers match `q` (e.g. `apology_warning_q`, the queue's banner), counted by the
    database."""
    return Dossier.objects.filter(q).count()


def dossier_apology_warnings(
    *, user: Actor, now: dt.datetime | None = None, within_hours: int = 8
) -> list[ApologyWarning]:
    """Open dossiers not yet apologised for whose apology deadline (one working day before the
    due time in force) falls within the next `within_hours` working hours — so the handling
    unit can still send the apology. `SYSTEM` (the reminder job) sees every unit. The database
    selects them (`apology_warning_q`); only those are read whole and their deadlines computed."""
    now = to_local(now or timezone.now())
    q = apology_warning_q(user=user, now=now, within_hours=within_hours)
    dossiers = list(Dossier.objects.filter(q).select_related("procedure", "handling_unit", "receiving_unit"))
    policies = policies_for_units({d.handling_unit for d in dossiers})
    out = []
    for d in dossiers:
        policy = policies[tuple(d.handling_unit.ancestor_ids())]
        due = to_local(d.current_due_at)
        deadline = apology_deadline(policy, due)
        out.append(ApologyWarning(d, deadline, due, policy.working_time_between(now, deadline)))
    return sorted(out, key=lambda w: (w.deadline, w.dossier.code))


# --- feedback ----------------------------------------------------------------------------------


def feedback_list(*, user: Actor, state: str = "") -> QuerySet[Feedback]:
    qs = Feedback.objects.select_related("unit", "procedure", "dossier")
    scope = _scope(Access.for_user(user), "unit__")
    if scope is not None:
        qs = qs.filter(scope)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-received_at", "-id")


def feedback_get(*, user: Actor, pk: int) -> Feedback:
    fb = get_object_or_404(
        Feedback.objects.select_related("unit", "procedure", "dossier").prefetch_related("events"), pk=pk
    )
    if not Access.for_user(user).can_read_unit(fb.unit):
        raise PermissionDenied("Bạn không có quyền xem phản ánh, kiến nghị này.")
    fb.can_handle = Access.for_user(user).can_report_for(fb.unit)
    return fb


@dataclass(frozen=True)
class PublicFeedback:
    """What the sender of a feedback sees with its code and the phone's last digits: the
    handling and its result, never the content of other people's feedback."""

    code: str
    unit: str
    state_label: str
    received_at: dt.datetime
    handle_due_at: dt.datetime
    answer: str
    published_at: dt.datetime | None
    refusal_reason: str
    refused_at: dt.datetime | None
    rating_label: str
    can_rate: bool


def feedback_public_lookup(*, code: str, phone_last_digits: str) -> PublicFeedback | None:
    """The feedback for its sender, or None when the code is unknown or the digits do not
    match the sender's phone (the same answer, as for dossiers). The answer is shown only once
    published: before that it is still the unit's draft."""
    digits = normalise_phone(phone_last_digits)
    if len(digits) < 4 or not digits.isdigit():
        return None
    fb = Feedback.objects.select_related("unit").filter(code__in=typed_code_forms(code)).first()
    if fb is None or len(fb.sender_phone) < len(digits):
        return None
    if not hmac.compare_digest(fb.sender_phone[-len(digits) :], digits):
        return None
    published = fb.state == FeedbackState.PUBLISHED
    return PublicFeedback(
        code=fb.code,
        unit=fb.unit.body_name,
        state_label=FeedbackState(fb.state).label,
        received_at=fb.received_at,
        handle_due_at=fb.handle_due_at,
        answer=fb.answer if published else "",
        published_at=fb.published_at,
        refusal_reason=fb.refusal_reason,
        refused_at=fb.refused_at,
        rating_label=fb.get_sender_rating_display() if fb.sender_rating else "",
        can_rate=fb.closed and not fb.sender_rating,
    )
