"""The staff search by the applicant's personal data: a name (accents and case ignored, each
word the start of a word of the name) and/or the ID number (số định danh cá nhân / mã số thuế).

Personal data is for those who handle the dossier (`permissions.can_handle`): officers,
coordinators and administrators of its receiving or handling unit (their subtree for the
latter two). Leaders read dossiers but never search them by a person, and find nothing here;
the search covers only the dossiers whose personal data the user may see. Every search is
written to the audit log — with the ID number masked and the codes found, never the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q

from cchc.core.actors import Actor
from cchc.core.audit import audit_record
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.text import fold
from cchc.orgs.access import Access
from cchc.orgs.models import Role, Unit, User

from .models import Dossier
from .personal import mask_id_number

HANDLE_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.OFFICER)
LIMIT = 50
ID_RE = re.compile(r"^\d{9,12}(?:-\d{3})?$")


def search_key(name: str) -> str:
    """What `Dossier.applicant_search` holds: the folded name after a space, so that " an"
    finds the word "An" and not "Lan"."""
    return (" " + fold(name))[:255]


def may_search_personal(user: Actor) -> bool:
    access = Access.for_user(user)
    return access.is_superuser or access.has_role(*HANDLE_ROLES)


def personal_data_q(user: Actor) -> Q | None:
    """The dossiers whose personal data the user may see (as `permissions.can_handle`); None
    for a superuser (all)."""
    access = Access.for_user(user)
    if access.is_superuser:
        return None
    return access.units_q(HANDLE_ROLES, "receiving_unit__") | access.units_q(HANDLE_ROLES, "handling_unit__")


@dataclass(frozen=True)
class PersonalSearch:
    name: str = ""
    id_number: str = ""


def _clean(query: PersonalSearch) -> tuple[list[str], str]:
    words = fold(query.name).split()
    id_number = re.sub(r"\s", "", query.id_number or "")
    errors: dict[str, str] = {}
    if id_number and not ID_RE.match(id_number):
        errors["id_number"] = "Số định danh cá nhân gồm 12 chữ số; mã số thuế 10 chữ số (hoặc 10-3)."
    if words and sum(len(w) for w in words) < 2:
        errors["name"] = "Nhập ít nhất 2 chữ cái của họ tên."
    if not words and not id_number and not errors:
        errors["name"] = "Nhập họ tên hoặc số định danh cá nhân của người nộp."
    if errors:
        raise ServiceError(errors, code="personal_search_invalid")
    return words, id_number


def dossier_search_personal(*, actor: Actor, query: PersonalSearch, limit: int = LIMIT) -> list[Dossier]:
    """The newest dossiers (at most `limit`) whose applicant matches, among those whose personal
    data `actor` may see; audited. PermissionDenied for a user without that right."""
    if not isinstance(actor, User) or not may_search_personal(actor):
        raise PermissionDenied(
            "Chỉ cán bộ trực tiếp tiếp nhận, giải quyết hồ sơ được tìm hồ sơ theo thông tin cá nhân."
        )
    words, id_number = _clean(query)
    qs = Dossier.objects.select_related("procedure", "handling_unit", "receiving_unit")
    scope = personal_data_q(actor)
    if scope is not None:
        qs = qs.filter(scope)
    if id_number:
        qs = qs.filter(applicant_id_number=id_number)
    if words:  # on PostgreSQL the trigram index answers this (migration 0010; partial: a name)
        qs = qs.exclude(applicant_search="")
    for word in words:
        qs = qs.filter(applicant_search__contains=" " + word)
    rows = list(qs.order_by("-submitted_at", "-id")[:limit])
    audit_record(
        actor=actor,
        action="dossier.personal_search",
        obj=actor,
        unit=Unit.objects.filter(memberships__user=actor).order_by("path").first(),
        after={
            "by_name": bool(words),
            "id_number": mask_id_number(id_number),
            "found": [d.code for d in rows],
        },
    )
    return rows
