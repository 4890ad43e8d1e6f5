"""Who acts on the system: a person signed in, the system itself, or an anonymous citizen.

Every service that writes takes an ``actor``. It is one of:

- a user (``AbstractBaseUser``; in this project ``cchc.orgs.models.User``): an officer, a
  coordinator, an administrator signed in. Services check what the user may do
  (``cchc.orgs.access.Access``);
- ``SYSTEM``: the system itself — management commands, scheduled jobs, imports run from the
  command line, the demo loader, a gateway's or the portal's callback. Whoever started it
  already had the right to (shell access); services that accept it do not check access;
- ``CITIZEN``: an anonymous person on the public pages (submitting or withdrawing a dossier
  online, sending a feedback, rating). The public page authenticated what it could (the receipt
  number and the phone's last digits); only the services that say so accept it.

``None`` is no longer an actor: a service that receives it fails loudly (``TypeError``), so the
meaning of a call never depends on a forgotten argument. The audit log records the kind
(``AuditEntry.actor_kind``) and the user, if any (``AuditEntry.actor``).
"""

from __future__ import annotations

import enum
from typing import Final, TypeAlias, TypeGuard

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

__all__ = ["Actor", "ActorKind", "Agent", "CITIZEN", "SYSTEM", "actor_kind", "is_user"]


class ActorKind(models.TextChoices):
    """What the audit log stores about who acted."""

    USER = "user", "người dùng"
    SYSTEM = "system", "hệ thống"
    CITIZEN = "citizen", "người dân"


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

Actor: TypeAlias = AbstractBaseUser | Agent


def is_user(actor: Actor) -> TypeGuard[AbstractBaseUser]:
    """Whether the actor is a person signed in (a saved user)."""
    return isinstance(actor, AbstractBaseUser) and actor.pk is not None


def actor_kind(actor: Actor) -> ActorKind:
    """The kind of the actor; refuses anything that is not an actor (``None``, an anonymous
    request's user), so that a caller cannot act without saying who acts."""
    if isinstance(actor, Agent):
        return actor.kind
    if is_user(actor):
        return ActorKind.USER
    raise TypeError(f"Not an actor: {actor!r} (pass a saved user, SYSTEM or CITIZEN).")
