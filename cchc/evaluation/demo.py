"""The demo province's CCHC index: the frameworks for agencies and communes (data/*.csv, written
from the structure of the national PAR Index method — docs/par-index.md says where each number
comes from), last year's round finalised and published, and this year's round under way: the
self-assessment period, some units submitted, one in clarification, the others drafting.

Last year's scores are history, written in bulk (one audit row says so); this year's steps go
through the services, as people would take them.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cchc.core.actors import SYSTEM
from cchc.core.audit import audit_record
from cchc.orgs.models import Role, Unit, UnitKind

from . import services
from .models import Framework, Group, Method, Participant, Round, Score

DATA = Path(__file__).parent / "data"
FILES = {Group.AGENCY: "bo-chi-so-cap-so.csv", Group.COMMUNE: "bo-chi-so-cap-xa.csv"}
NAMES = {
    Group.AGENCY: "Bộ Chỉ số CCHC của các sở, ban, ngành tỉnh Đồng Nai năm {year}",
    Group.COMMUNE: "Bộ Chỉ số CCHC của UBND các xã, phường tỉnh Đồng Nai năm {year}",
}
NOTE = (
    "Xây dựng theo cấu trúc Bộ Chỉ số CCHC của Bộ Nội vụ (Quyết định 876/QĐ-BNV năm 2023): 8 lĩnh vực, "
    "thang điểm 100, phần điều tra xã hội học tính riêng; điểm tính từ dữ liệu lấy từ hệ thống."
)
EXPLANATIONS = [
    "Đơn vị đã thực hiện đầy đủ theo hướng dẫn; có văn bản kèm theo.",
    "Thực hiện đúng quy định; một số nội dung còn chậm so với kế hoạch.",
    "Đã triển khai, kết quả được tổng hợp trong báo cáo CCHC năm.",
]


def _round2(value: float) -> Decimal:
    return Decimal(str(round(value * 4) / 4))  # scored in quarter points, as councils do


@transaction.atomic
def load_demo(province: Unit, coordinator, users: dict, *, today: dt.date) -> dict:
    year = today.year
    frameworks: dict[int, dict[str, Framework]] = {}
    for y in (year - 1, year):
        frameworks[y] = {}
        for group, name in FILES.items():
            if y == year:
                fw = services.framework_copy(
                    actor=coordinator,
                    framework=frameworks[year - 1][group],
                    year=y,
                    name=NAMES[group].format(year=y),
                )
            else:
                fw = services.framework_import(
                    actor=coordinator,
                    unit=province,
                    year=y,
                    group=group,
                    name=NAMES[group].format(year=y),
                    note=NOTE,
                    data=(DATA / name).read_bytes(),
                )
            frameworks[y][group] = services.framework_issue(actor=coordinator, framework=fw)

    assessed = list(
        Unit.objects.current()
        .filter(parent=province, kind__in=[UnitKind.AGENCY, UnitKind.COMMUNE])
        .order_by("name")
    )
    rng = random.Random(f"cchc-par-demo-{year}")
    strength = {u.pk: rng.uniform(0.62, 0.97) for u in assessed}  # each unit's usual level
    rounds = []
    for y in (year - 1, year):
        for group in Group:
            units = [u for u in assessed if (u.kind == UnitKind.COMMUNE) == (group == Group.COMMUNE)]
            if not units:
                continue
            rounds.append(
                services.round_open(
                    actor=coordinator,
                    framework=frameworks[y][group],
                    title=f"Đánh giá, xác định Chỉ số CCHC năm {y} — {group.label.split(' (')[0].lower()}",
                    units=units,
                    self_due=dt.date(y + 1, 1, 15),
                    appraisal_due=dt.date(y + 1, 2, 28),
                )
            )
    history = [r for r in rounds if r.framework.year == year - 1]
    _history(history, rng, strength)
    for r in history:
        services.round_finalise(actor=coordinator, round_=r)
        services.round_publish(actor=coordinator, round_=r)
    current = [r for r in rounds if r.framework.year == year]
    _this_year(current, users, coordinator, rng, strength)
    return {"frameworks": 4, "rounds": len(rounds), "units": len(assessed)}


def _history(rounds: list[Round], rng: random.Random, strength: dict[int, float]) -> None:
    """Last year's round as it ended: every unit self-scored, appraised, surveyed, finalised."""
    now = timezone.now()
    changed: list[Score] = []
    for round_ in rounds:
        for p in round_.participants.select_related("unit"):
            level = strength[p.unit_id]
            for s in p.scores.select_related("criterion"):
                c = s.criterion
                top = float(c.max_points or 0)
                if c.method == Method.DEDUCTION:
                    s.appraised_points = _round2(top * 0.5) if rng.random() < 0.15 else None
                    s.self_points = None
                elif c.method == Method.BONUS:
                    s.self_points = s.appraised_points = _round2(top) if rng.random() < 0.2 else None
                elif c.method == Method.SELF:
                    s.self_points = min(
                        Decimal(str(top)), _round2(top * min(1.0, level + rng.uniform(0.0, 0.15)))
                    )
                    s.explanation = rng.choice(EXPLANATIONS)
                    cut = rng.random() < 0.25
                    s.appraised_points = (
                        max(Decimal(0), s.self_points - Decimal("0.5")) if cut else s.self_points
                    )
                    s.appraisal_reason = "Tài liệu kiểm chứng chưa đầy đủ." if cut else ""
                else:  # computed and survey points, as the council recorded them
                    s.appraised_points = _round2(top * min(1.0, level + rng.uniform(-0.1, 0.08)))
                changed.append(s)
        round_.participants.update(state=Participant.State.FINALISED, submitted_at=now, finalised_at=now)
    Score.objects.bulk_update(
        changed, ["self_points", "explanation", "appraised_points", "appraisal_reason"], batch_size=500
    )
    for round_ in rounds:
        audit_record(
            actor=SYSTEM,
            action="par.demo_history",
            obj=round_,
            unit=round_.unit,
            after={"note": "Điểm năm trước của dữ liệu trình diễn, ghi một lần."},
        )


def _this_year(rounds: list[Round], users: dict, coordinator, rng: random.Random, strength) -> None:
    """This year's round in the self-assessment period: the demo officers' units have worked."""
    officer_units = {
        m.unit_id: u for u in users.values() for m in u.memberships.all() if m.role != Role.LEADER
    }
    for round_ in rounds:
        for p in round_.participants.select_related("unit"):
            actor = officer_units.get(p.unit_id)
            if actor is None:
                continue
            level = strength[p.unit_id]
            values = []
            for s in p.scores.select_related("criterion"):
                c = s.criterion
                if c.method != Method.SELF:
                    continue
                top = float(c.max_points or 0)
                points = min(top, float(_round2(top * level)))
                values.append((c, f"{points:g}", rng.choice(EXPLANATIONS)))
            services.self_scores_save(actor=actor, participant=p, values=values)
            if p.unit.code.endswith(".STP"):  # one unit has finished: evidence, submitted
                for s in p.scores.select_related("criterion").filter(criterion__method=Method.SELF):
                    if s.criterion.evidence_required and s.self_points:
                        services.evidence_add(
                            actor=actor,
                            score=s,
                            label=s.criterion.evidence_required[:200],
                            url=f"https://stp.dongnai.gov.vn/cchc/{s.criterion.code}",
                        )
                services.participant_submit(actor=actor, participant=p)
                first = p.scores.select_related("criterion").filter(criterion__method=Method.SELF).first()
                if first is not None:
                    services.clarification_request(
                        actor=coordinator,
                        participant=p,
                        questions={first.criterion: "Đề nghị bổ sung văn bản chứng minh thời điểm ban hành."},
                    )
