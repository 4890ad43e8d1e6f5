"""The grouped queries of the 766 index for one period: dossiers by (handling unit, procedure),
online payments, feedback by unit. Each is one SQL statement whatever the number of rows; the
same code runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.utils import timezone

from cchc.core.periods import CalendarPeriod
from cchc.dossiers.choices import Channel, RatingValue, Result
from cchc.dossiers.exchange import on_time_q
from cchc.dossiers.models import Dossier, Feedback, Payment, PaymentMethod, PaymentStatus
from cchc.orgs.models import Unit

UNSATISFIED = RatingValue.UNSATISFIED


def bounds(period: CalendarPeriod) -> tuple[dt.datetime, dt.datetime]:
    """The period's start and its cut min(end, now) as aware datetimes (Asia/Ho_Chi_Minh): a
    period still running is judged as it stands now (docs/specs/dossier-exchange.md, the cut)."""
    tz = timezone.get_default_timezone()
    return timezone.make_aware(period.a, tz), min(timezone.make_aware(period.b, tz), timezone.now())


def dossier_rows(root: Unit | None, a: dt.datetime, b: dt.datetime, cfg: dict):
    """One row per (handling unit, procedure) with the dossier counts of the period."""
    R = Q(received_at__gte=a, received_at__lt=b)
    Fin = Q(finished_at__gte=a, finished_at__lt=b)
    qs = Dossier.objects.filter(received_at__isnull=False).filter(R | Fin)
    if root is not None:
        qs = qs.filter(handling_unit__path__startswith=root.path)
    complained = Feedback.objects.filter(dossier__isnull=False, received_at__lt=b).values("dossier_id")
    realtime = dt.timedelta(minutes=cfg["sync_realtime_minutes"])
    online = Q(channel=Channel.ONLINE)
    granted = Fin & Q(result=Result.GRANTED)
    elapsed = ExpressionWrapper(F("finished_at") - F("received_at"), output_field=DurationField())
    c = lambda q: Count("id", filter=q)  # noqa: E731
    return (
        qs.values("handling_unit_id", "procedure_id")
        .order_by()
        .annotate(
            R=c(R),
            S=Count("id"),
            S_on_time=c(on_time_q(b)),
            S_complaint_or_unsatisfied=c(Q(rating=UNSATISFIED) | Q(id__in=complained)),
            R_synced_realtime=c(
                R & Q(synced_to_national_portal=True, synced_at__lte=F("received_at") + realtime)
            ),
            R_online=c(R & online),
            R_online_electronic=c(R & online & Q(electronic_result=True)),
            F_granted=c(granted),
            F_granted_electronic=c(granted & Q(electronic_result=True)),
            R_digitised=c(R & Q(digitised=True)),
            R_reused=c(R & Q(data_reused=True)),
            R_data_store=c(R & Q(linked_to_personal_data_store=True)),
            R_vneid=c(R & Q(vneid_authenticated=True)),
            R_fee=c(R & Q(fee_due=True)),
            R_fee_paid_online=c(R & Q(fee_due=True, paid_online=True)),
            F=c(Fin),
            F_elapsed=Sum(elapsed, filter=Fin),
            F_paused=Sum("paused_elapsed_hours", filter=Fin),
        )
    )


def online_payment_pairs(root: Unit | None, a: dt.datetime, b: dt.datetime) -> set[tuple[int, int]]:
    qs = Payment.objects.filter(
        method=PaymentMethod.ONLINE, status=PaymentStatus.PAID, paid_at__gte=a, paid_at__lt=b
    )
    if root is not None:
        qs = qs.filter(dossier__handling_unit__path__startswith=root.path)
    return set(qs.values_list("dossier__handling_unit_id", "dossier__procedure_id").distinct().order_by())


def feedback_late_q(b: dt.datetime) -> Q:
    """A feedback is late at the end b of the period when an action before b missed its limit
    (refuse 2, ask for information 5, handle 15, publish 2 working days), or when, at b, its
    handling (clock not waiting for the sender) or the publication of its answer is overdue."""
    acted_late = (
        Q(refused_at__lt=b, refused_at__gt=F("refuse_due_at"))
        | Q(info_requested_at__lt=b, info_requested_at__gt=F("info_due_at"))
        | Q(answered_at__lt=b, answered_at__gt=F("handle_due_at"))
        | Q(published_at__lt=b, published_at__gt=F("publish_due_at"))
    )
    waiting = Q(info_requested_at__lt=b) & (Q(info_received_at__isnull=True) | Q(info_received_at__gte=b))
    pending = (
        (Q(refused_at__isnull=True) | Q(refused_at__gte=b))
        & (Q(answered_at__isnull=True) | Q(answered_at__gte=b))
        & Q(handle_due_at__lt=b)
        & ~waiting
    )
    unpublished = Q(answered_at__lt=b, publish_due_at__lt=b) & (
        Q(published_at__isnull=True) | Q(published_at__gte=b)
    )
    return acted_late | pending | unpublished


def feedback_rows(root: Unit | None, a: dt.datetime, b: dt.datetime):
    qs = Feedback.objects.filter(received_at__gte=a, received_at__lt=b)
    if root is not None:
        qs = qs.filter(unit__path__startswith=root.path)
    late = feedback_late_q(b)
    again = Exists(
        Feedback.objects.filter(
            dossier_id=OuterRef("dossier_id"), received_at__gt=OuterRef("received_at"), received_at__lt=b
        )
    )
    return (
        qs.values("unit_id")
        .order_by()
        .annotate(
            feedback=Count("id"),
            late=Count("id", filter=late),
            feedback_bad=Count("id", filter=late | Q(sender_rating=UNSATISFIED) | Q(again)),
        )
    )
