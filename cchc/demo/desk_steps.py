"""Dossiers in progress at Phường Đồng Xoài's one-stop desk, received through the services so
that each demo officer finds work on the dossier page (docs/dossiers.md, "Steps and roles"):
one at B1 for the desk (canbo.dongxoai), one at B2 handed to the same officer as the commune's
specialist, one at B3 waiting for the chairman's signature (lanhdao.dongxoai), one sent back
from B3 to B2 with a reason."""

from __future__ import annotations

import datetime as dt

from cchc.dossiers import services
from cchc.dossiers.models import Dossier
from cchc.dossiers.personal import Applicant
from cchc.orgs.models import Unit, User
from cchc.procedures.models import Level, Procedure
from cchc.procedures.selectors import procedures_for_unit

APPLICANTS = [
    Applicant(name="Trần Văn Bình", id_number="075090001111", phone="0911000111", address="Phường Đồng Xoài"),
    Applicant(name="Lê Thị Cúc", id_number="075190002222", phone="0911000222", address="Phường Đồng Xoài"),
    Applicant(name="Phạm Minh Đức", id_number="075090003333", phone="0911000333", address="Phường Đồng Xoài"),
    Applicant(name="Võ Thị Em", id_number="075190004444", phone="0911000444", address="Phường Đồng Xoài"),
]


def _procedure(commune: Unit) -> Procedure | None:
    """A commune procedure of several days whose process ends with the chairman's signature."""
    candidates = (
        procedures_for_unit(commune)
        .filter(level=Level.COMMUNE, processing_time__gte=3, time_unit="working_day")
        .order_by("code")
    )
    for p in candidates:
        steps = list(p.steps.order_by("position"))
        if len(steps) == 3 and "Chủ tịch" in steps[-1].actor_role:
            return p
    return None


def load_steps_demo(commune: Unit, users: dict[str, User], *, as_of: dt.datetime) -> list[Dossier]:
    procedure = _procedure(commune)
    if procedure is None:
        return []
    desk, chairman = users["canbo.dongxoai"], users["lanhdao.dongxoai"]
    made = []
    for i, applicant in enumerate(APPLICANTS):
        received = as_of - dt.timedelta(hours=6 - i)
        d = services.dossier_receive(
            actor=desk,
            procedure=procedure,
            handling_unit=commune,
            receiving_unit=commune,
            channel="truc_tiep",
            applicant=applicant,
            received_at=received,
        )
        at = received + dt.timedelta(minutes=30)
        if i >= 1:
            services.dossier_handover(
                actor=desk, dossier=d, to_step=2, to_user=desk, at=at, note="Đủ thành phần"
            )
        if i >= 2:
            services.dossier_handover(
                actor=desk, dossier=d, to_step=3, to_user=chairman, at=at, note="Trình ký"
            )
        if i == 3:
            services.dossier_send_back(
                actor=chairman, dossier=d, reason="Dự thảo kết quả ghi sai ngày sinh", at=at
            )
        made.append(d)
    return made
