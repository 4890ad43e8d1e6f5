"""Dossier and feedback codes: `<unit code>-<yymmdd>-<number>`, e.g. `P75.STP-260302-0001`.

The unit is the handling unit (the competent agency or commune), the date is the local date of
the first contact (receipt or submission), the number counts from 1 per unit and day, at least
four digits. Feedback codes carry the prefix `PAKN-`. Numbers are taken from `DossierSequence`
under a row lock, so two desks never issue the same code.

One format for every path (docs/dossier-codes.md): the desk, the online channel and the API's
receipt all go through `services.dossier_receive`, which issues the code here; an import keeps
the code the sending system issued (the citizen's slip carries it), which the national portal
and the generator write in the same shape (`CODE_RE`); a code typed by a person is read with
`typed_code_forms` (spaces dropped, upper case).
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction

from cchc.core.workingtime import to_local

from .models import Dossier, DossierSequence, Feedback

# `<unit code>-<yymmdd>-<number>`: the unit code in capitals, digits, dots or underscores
CODE_RE = re.compile(r"^(?:PAKN-)?[A-Z0-9][A-Z0-9._]*-\d{6}-\d{4,}$")


def is_standard(code: str) -> bool:
    """Whether `code` has the one format of dossier (and feedback) codes."""
    return bool(CODE_RE.match(code or ""))


def next_number(scope: str, day: dt.date) -> int:
    with transaction.atomic():
        row = DossierSequence.objects.select_for_update().filter(scope=scope, day=day).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = DossierSequence.objects.create(scope=scope, day=day, last=0)
            except IntegrityError:  # another desk created it meanwhile
                row = DossierSequence.objects.select_for_update().get(scope=scope, day=day)
        row.last += 1
        row.save(update_fields=["last"])
        return row.last


def _issue(model, prefix: str, unit, at: dt.datetime) -> str:
    day = to_local(at).date()
    while True:  # skip numbers already taken by imported records
        code = f"{prefix}{unit.code}-{day:%y%m%d}-{next_number(prefix + unit.code, day):04d}"
        if not model.objects.filter(code=code).exists():
            return code


def dossier_code(unit, at: dt.datetime) -> str:
    from .batch import current

    running = current()  # a batch takes its numbers from the rows it locked (same rule)
    return running.issue_code(unit, at) if running is not None else _issue(Dossier, "", unit, at)


def feedback_code(unit, at: dt.datetime) -> str:
    return _issue(Feedback, "PAKN-", unit, at)
