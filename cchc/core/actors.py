"""Who acts on the system: a person signed in, the system itself, an anonymous citizen, or another
system of the province through the REST API.

Every service that writes takes an ``actor``. It is one of:

- a user (``AbstractBaseUser``; in this project ``cchc.orgs.models.User``): an officer, a
  coordinator, an administrator signed in. Services check what the user may do
  (``cchc.orgs.access.Access``);
- ``SYSTEM``: the system itself — management commands, scheduled jobs, imports run from the
  command line, the demo loader, a gateway's or the portal's callback. Whoever started it
  already had the right to (shell access); services that accept it do not check access;
- ``CITIZEN``: an anonymous person on the public pages (submitting or withdrawing a dossier
  online, sending a feedback, rating). The public page authenticated what it could (the receipt
  number and the phone's last digits); only the services that say so accept it;
- an ``ApiClientActor``: a registered client of the REST API (``cchc.api``), authenticated by its
  token. It carries what the access rules need (its unit and whether it may write), so
  ``cchc.orgs.access.Access`` grants it that unit's subtree and services check it like a person.

``None`` is no longer an actor: a service that receives it fails loudly (``TypeError``), so the
meaning of a call never depends on a forgotten argument. The audit log records the kind
(``AuditEntry.actor_kind``) and the user, if any (``AuditEntry.actor``), or the API client
(``AuditEntry.client_id``, ``client_name``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final, TypeAlias, TypeGuard

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

__all__ = ["Actor", "ActorKind", "Agent", "ApiClientActor", "CITIZEN", "SYSTEM", "actor_kind", "is_user"]


class ActorKind(models.TextChoices):
    """What the audit log stores about who acted."""

    USER = "user", "người dùng"
    SYSTEM = "system", "hệ thống"
    CITIZEN = "citizen", "người dân"
    API_CLIENT = "client", "ứng dụng kết nối (API)"


class Agent(enum.Enum):
    """An actor that is not a signed-in person. It answers the few questions asked of a user
    (``pk``, ``is_authenticated``, ``is_superuser``) the way an anonymous user would, so an
    access check made on it grants nothing."""

    SYSTEM = "system"
    CITIZEN = "citizen"

    @property
    def pk(self) -> None:
        return None

    @property
    def is_authenticated(self) -> bool:
        return False

    @property
    def is_superuser(self) -> bool:
        return False

    @property
    def kind(self) -> ActorKind:
        return ActorKind(self.value)

    def __str__(self) -> str:
        return "Hệ thống" if self is Agent.SYSTEM else "Người dân"


SYSTEM: Final = Agent.SYSTEM
CITIZEN: Final = Agent.CITIZEN


@dataclass(frozen=True)
class ApiClientActor:
    """A client of the REST API acting (core knows no model of the api app: this value carries
    what the audit log and the access rules need). ``unit_id``/``unit_path``: the unit whose
    subtree it may see; ``can_write``: whether it may also change things there. Like an `Agent`,
    it answers the questions asked of a user as an anonymous one would (``pk`` is None: it is
    not a user to store in a foreign key)."""

    client_id: int
    name: str
    unit_id: int
    unit_path: str
    can_write: bool = False

    @property
    def pk(self) -> None:
        return None

    @property
    def is_authenticated(self) -> bool:
        return False

    @property
    def is_superuser(self) -> bool:
        return False

    @property
    def kind(self) -> ActorKind:
        return ActorKind.API_CLIENT

    def __str__(self) -> str:
        return f"Ứng dụng kết nối {self.name}"


Actor: TypeAlias = AbstractBaseUser | Agent | ApiClientActor


def is_user(actor: Actor) -> TypeGuard[AbstractBaseUser]:
    """Whether the actor is a person signed in (a saved user)."""
    return isinstance(actor, AbstractBaseUser) and actor.pk is not None


def actor_kind(actor: Actor) -> ActorKind:
    """The kind of the actor; refuses anything that is not an actor (``None``, an anonymous
    request's user), so that a caller cannot act without saying who acts."""
    if isinstance(actor, Agent | ApiClientActor):
        return actor.kind
    if is_user(actor):
        return ActorKind.USER
    raise TypeError(f"Not an actor: {actor!r} (pass a saved user, SYSTEM, CITIZEN or an API client).")
