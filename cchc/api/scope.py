"""The calling client's scope: the units of its subtree (a unit and every unit below it), and the
order of a list, asked for by name among the ones an endpoint allows."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from ninja.errors import HttpError

from cchc.core.actors import ApiClientActor
from cchc.orgs.models import Unit

M = TypeVar("M", bound=Model)


def subtree_q(actor: ApiClientActor, prefix: str = "") -> Q:
    """A filter on a unit reached through ``prefix`` ("agency__", "issuer__"): the client's subtree."""
    return Q(**{f"{prefix}path__startswith": actor.unit_path})


def unit_in_scope(actor: ApiClientActor, code: str) -> Unit:
    """The unit with this code if it is in the client's subtree; 404 otherwise — the same answer
    as for a code that does not exist, so a client learns nothing of other provinces."""
    unit = Unit.objects.filter(subtree_q(actor), code=code.strip()).first()
    if unit is None:
        raise HttpError(404, f"Không có đơn vị mã “{code}” trong phạm vi của ứng dụng.")
    return unit


def ordered(qs: QuerySet[M], ordering: str | None, allowed: dict[str, str], default: str) -> QuerySet[M]:
    """``ordering`` is a name of ``allowed``, "-" in front for descending; the primary key breaks ties."""
    wanted = (ordering or default).strip()
    descending = wanted.startswith("-")
    name = wanted.removeprefix("-")
    if name not in allowed:
        names = ", ".join(sorted(allowed))
        raise HttpError(
            400, f"Tham số ordering “{wanted}” không hợp lệ: dùng {names} (thêm “-” để sắp giảm dần)."
        )
    field = allowed[name]
    return qs.order_by(f"-{field}" if descending else field, "-pk" if descending else "pk")
