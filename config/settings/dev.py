"""Embedded default: what `make run` and `cchc serve` use unless DJANGO_SETTINGS_MODULE says otherwise."""

from .base import *  # noqa: F403
