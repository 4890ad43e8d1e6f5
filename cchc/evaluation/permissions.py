"""Who may do what with the CCHC index (docs/access.md, "Chỉ số CCHC"):

- the *council* of a round (hội đồng thẩm định) is the coordinators and administrators of the
  round's unit (the province's Sở Nội vụ): they open rounds, appraise, ask for clarification,
  finalise and publish, and they see every participant's submitted assessment;
- a *participant unit* self-assesses through its own officers, coordinators and administrators —
  roles held at that very unit, not above it: the province's coordinator sits on the council and
  must not write a unit's self-assessment for it; nobody else sees a draft;
- leaders of the round's unit read everything submitted, a unit's leaders read their own;
- the public sees only published results.
"""

from __future__ import annotations

from cchc.core.actors import Actor
from cchc.core.errors import PermissionDenied
from cchc.orgs.access import SUBTREE_ROLES, Access
from cchc.orgs.models import Role

from .models import Participant, Round

SELF_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.OFFICER)


def is_council(actor: Actor, round_: Round) -> bool:
    return Access.for_user(actor).can_manage_unit(round_.unit)


def require_council(actor: Actor, round_: Round) -> None:
    if not is_council(actor, round_):
        raise PermissionDenied(
            f"Chỉ hội đồng thẩm định (cán bộ điều phối CCHC của {round_.unit}) được thực hiện việc này."
        )


def can_self_assess(actor: Actor, participant: Participant) -> bool:
    access = Access.for_user(actor)
    if access.is_superuser:
        return True
    return any(g.role in SELF_ROLES and g.unit_id == participant.unit_id for g in access.grants)


def require_self_assessor(actor: Actor, participant: Participant) -> None:
    if not can_self_assess(actor, participant):
        raise PermissionDenied(f"Chỉ cán bộ của {participant.unit} được tự chấm điểm cho đơn vị.")


def can_read_participant(actor: Actor, participant: Participant) -> bool:
    """The unit itself always; the council and the round unit's leaders once it is submitted."""
    access = Access.for_user(actor)
    if can_self_assess(actor, participant):
        return True
    own = any(g.unit_id == participant.unit_id for g in access.grants)
    if own:
        return True
    if participant.state == Participant.State.DRAFT:
        return False
    return access.covers(participant.round.unit, SUBTREE_ROLES)


def require_reader(actor: Actor, participant: Participant) -> None:
    if not can_read_participant(actor, participant):
        raise PermissionDenied("Bạn không có quyền xem bản tự đánh giá này.")


def can_read_round(actor: Actor, round_: Round) -> bool:
    """The register and results of a round: the round unit's coordinators and leaders."""
    return Access.for_user(actor).can_oversee_unit(round_.unit)
