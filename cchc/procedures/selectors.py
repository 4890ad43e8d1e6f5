"""Reads of the procedure catalogue.

The catalogue is public information (announced by decision and published on the national
portal), so everyone signed in reads all of it; what a user may change is decided by
`cchc.orgs.access.Access.can_manage_unit` on the competent agency, and the selectors mark it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, When
from django.shortcuts import get_object_or_404

from cchc.core.actors import Actor
from cchc.core.collation import vi
from cchc.core.text import fold, vi_sort_key
from cchc.orgs.access import Access
from cchc.orgs.models import Unit, UnitKind

from .models import Component, Level, Procedure, Step, format_duration


@dataclass(frozen=True)
class Filters:
    q: str = ""
    field: str = ""
    level: str = ""
    agency: int | None = None
    online_mode: str = ""
    current_only: bool = True

    @property
    def active(self) -> bool:
        return bool(self.q or self.field or self.level or self.agency or self.online_mode)


def procedure_list(*, user: Actor, filters: Filters | None = None) -> QuerySet[Procedure]:
    """The catalogue, searched and filtered. Search is accent- and case-insensitive over code,
    name and field: every word typed must appear ("dang ky khai sinh", "1.001193"); names with
    the words side by side come first."""
    filters = filters or Filters()
    qs = Procedure.objects.select_related("agency").annotate(
        step_count=Count("steps", distinct=True), component_count=Count("components", distinct=True)
    )
    words = fold(filters.q).split()
    for word in words:
        qs = qs.filter(search_text__contains=word)
    if len(words) > 1:  # the words as typed, together, come first ("khai sinh" before "phát sinh")
        phrase = Case(
            When(search_text__contains=" ".join(words), then=0), default=1, output_field=IntegerField()
        )
        return qs.annotate(phrase=phrase).order_by("phrase", "code", "agency__path", "id")
    if filters.field:
        qs = qs.filter(field=filters.field)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.agency:
        qs = qs.filter(agency_id=filters.agency)
    if filters.online_mode:
        qs = qs.filter(online_mode=filters.online_mode)
    if filters.current_only:
        qs = qs.filter(valid_to__isnull=True)
    return qs.order_by("code", "agency__path", "id")


def mark_manageable(*, user: Actor, procedures) -> list[Procedure]:
    """Set `can_manage` on each procedure (no query: the user's grants are cached)."""
    access = Access.for_user(user)
    items = list(procedures)
    for p in items:
        p.can_manage = access.can_manage_unit(p.agency)
    return items


def procedure_get(*, user: Actor, pk: int, manage: bool = False) -> Procedure:
    """The procedure with its agency; with `manage`, only for those who may change it."""
    procedure = get_object_or_404(Procedure.objects.select_related("agency", "created_by"), pk=pk)
    if manage and not Access.for_user(user).can_manage_unit(procedure.agency):
        raise PermissionDenied("Bạn không có quyền sửa thủ tục hành chính của cơ quan này.")
    return procedure


def procedure_detail(*, user: Actor, pk: int) -> Procedure:
    """The procedure with its components and steps in order, and the user's right to change it."""
    procedure = get_object_or_404(
        Procedure.objects.select_related("agency").prefetch_related(
            Prefetch("components", queryset=Component.objects.order_by("position", "id")),
            Prefetch("steps", queryset=Step.objects.order_by("position", "id")),
        ),
        pk=pk,
    )
    procedure.can_manage = Access.for_user(user).can_manage_unit(procedure.agency)
    steps = list(procedure.steps.all())
    procedure.steps_total = sum((s.time_allowed for s in steps), start=Decimal(0)) if steps else None
    procedure.steps_total_label = format_duration(procedure.steps_total, procedure.time_unit) if steps else ""
    left = (
        (procedure.processing_time - procedure.steps_total) if steps and procedure.processing_time else None
    )
    procedure.steps_unallocated_label = format_duration(left, procedure.time_unit) if left else ""
    procedure.missing_parts = missing_parts(procedure)
    return procedure


def missing_parts(procedure: Procedure) -> list[str]:
    """What the catalogue still lacks for the procedure to be public in full (index 766:
    name, steps, method, components, time limit, applicant, agency)."""
    missing = []
    if procedure.processing_time is None:
        missing.append("thời hạn giải quyết")
    if not procedure.components.all():
        missing.append("thành phần hồ sơ")
    if not procedure.steps.all():
        missing.append("quy trình nội bộ")
    if not procedure.result_type:
        missing.append("kết quả thực hiện")
    if procedure.fee_amount is None and not procedure.fee_note:
        missing.append("phí, lệ phí")
    return missing


def field_choices() -> list[str]:
    fields = Procedure.objects.exclude(field="").values_list("field", flat=True).distinct()
    return sorted(fields, key=vi_sort_key)


def agency_choices() -> QuerySet[Unit]:
    """Units that have procedures, for the agency filter, in Vietnamese order."""
    return Unit.objects.filter(Exists(Procedure.objects.filter(agency=OuterRef("pk")))).order_by(
        vi("name"), "path"
    )


def feedback_agencies() -> QuerySet[Unit]:
    """The bodies a citizen may address a feedback to without a code: current units that carry
    procedures, in Vietnamese order."""
    return agency_choices().filter(valid_to__isnull=True)


def procedure_search_by_name(query: str, *, limit: int = 20) -> list[Procedure]:
    """Current procedures whose code, name or field hold every word typed (accents optional), in
    Vietnamese order of their names; at most `limit`."""
    words = fold(query).split()[:12]
    if not words:
        return []
    qs = Procedure.objects.filter(valid_to__isnull=True).select_related("agency")
    for word in words:
        qs = qs.filter(search_text__contains=word)
    return list(qs.order_by(vi("name"), "code", "id")[:limit])


def manageable_agencies(*, user: Actor) -> QuerySet[Unit]:
    """Current units whose catalogue the user may change, province first, then agencies and
    communes alphabetically."""
    kind_order = Case(
        When(kind=UnitKind.PROVINCE, then=0),
        When(kind=UnitKind.AGENCY, then=1),
        When(kind=UnitKind.SUBUNIT, then=2),
        When(kind=UnitKind.OTHER, then=3),
        default=4,
        output_field=IntegerField(),
    )
    return (
        Access.for_user(user)
        .managed_units()
        .current()
        .exclude(kind=UnitKind.DISTRICT)
        .order_by(kind_order, vi("name"))
    )


def procedures_for_unit(unit: Unit) -> QuerySet[Procedure]:
    """The current procedures a unit carries out: those of its subtree, and — for a commune —
    the commune-level procedures its province records for every commune."""
    q = Q(agency__path__startswith=unit.path)
    if unit.kind == UnitKind.COMMUNE and unit.parent_id:
        q |= Q(level=Level.COMMUNE, agency_id=unit.parent_id)
    return Procedure.objects.filter(q, valid_to__isnull=True)
