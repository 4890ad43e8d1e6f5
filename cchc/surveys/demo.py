"""The demo province's satisfaction surveys: last year's campaign (paper forms collected by the
units, imported as a file) and this year's first-half campaign, drawn from the dossiers the
units finished (seeded sample, a link per respondent, answers through the links and some paper
forms), both finished — so that the results pages, the trend and the `khao_sat:*` figures show
something after `make run`. Every step goes through the services, as people would take them."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count

from cchc.dossiers.models import Dossier
from cchc.orgs.models import Unit, UnitKind

from .models import Campaign, Kind, Questionnaire
from .services import campaigns as campaign_services
from .services import responses as response_services

UNITS = 12
SAMPLE = 40
COMMENTS = [
    "Cán bộ hướng dẫn tận tình, dễ hiểu.",
    "Nên bố trí thêm ghế ngồi chờ vào buổi sáng.",
    "Thời gian giải quyết nhanh hơn so với giấy hẹn.",
    "Mong được nhận tin nhắn khi hồ sơ có kết quả.",
    "Máy lấy số thứ tự thường xuyên bị hỏng.",
    "Cổng dịch vụ công đôi khi chậm, khó đăng nhập.",
    "Phí, lệ phí được niêm yết rõ ràng.",
    "Cần hướng dẫn kỹ hơn về thành phần hồ sơ để không phải bổ sung nhiều lần.",
]


def _answers(rng: random.Random, questions, bias: float) -> dict[str, str]:
    out: dict[str, str] = {}
    for q in questions:
        if q.kind == Kind.SCALE:
            if rng.random() < 0.04:  # a statement left unanswered
                continue
            out[q.code] = str(min(5, max(1, round(rng.gauss(3.9 + bias, 0.85)))))
        elif q.kind == Kind.CHOICE and q.choice_list:
            out[q.code] = rng.choice(q.choice_list)
        elif q.kind == Kind.TEXT and rng.random() < 0.2:
            out[q.code] = rng.choice(COMMENTS)
    return out


def load_demo(province: Unit, coordinator, *, today: dt.date) -> dict:
    year = today.year
    if not Questionnaire.objects.filter(code="SIPAS-HCC").exists():
        # A database emptied after its migrations (a flush, a test run without its per-test
        # transaction) lost the questionnaires their migration seeded: seed them again.
        from .services.questionnaires import load_seeded

        load_seeded()
    sipas = Questionnaire.objects.get(code="SIPAS-HCC")
    questions = list(sipas.questions.order_by("order"))
    start, end = dt.date(year, 1, 1), min(dt.date(year, 6, 30), today - dt.timedelta(days=1))
    busiest = (
        Dossier.objects.filter(
            handling_unit__path__startswith=province.path,
            handling_unit__kind__in=[UnitKind.AGENCY, UnitKind.COMMUNE],
            finished_at__date__gte=start,
            finished_at__date__lte=end,
        )
        .values("handling_unit")
        .annotate(n=Count("id"))
        .order_by("-n", "handling_unit")[:UNITS]
    )
    units = list(Unit.objects.filter(pk__in=[b["handling_unit"] for b in busiest]).order_by("code"))
    if not units:  # no dossiers finished yet this year: survey the province's first agencies
        units = list(Unit.objects.filter(parent=province, kind=UnitKind.AGENCY).order_by("code")[:UNITS])
    rng = random.Random(f"cchc-survey-demo-{year}")
    bias = {u.pk: rng.uniform(-0.9, 0.6) for u in units}

    # Last year: paper forms collected by the units in the fourth quarter, imported as a file.
    last = campaign_services.campaign_create(
        actor=coordinator,
        owner=province,
        name=f"Khảo sát sự hài lòng quý IV năm {year - 1} (phiếu giấy)",
        questionnaire=sipas,
        period_start=dt.date(year - 1, 10, 1),
        period_end=dt.date(year - 1, 12, 31),
        mode=Campaign.Mode.OPEN,
        sample_sizes={u: SAMPLE for u in units},
        seed=year - 1,
    )
    lines = ["ma_phieu,ma_don_vi,ma_cau,gia_tri"]
    for u in units:
        for i in range(rng.randint(15, 25)):
            for code, value in _answers(rng, questions, bias[u.pk] - 0.2).items():
                if "," not in value and '"' not in value:
                    lines.append(f"{u.code}-{i + 1:03d},{u.code},{code},{value}")
    imported = response_services.responses_import(
        actor=coordinator,
        campaign=last,
        data=("\n".join(lines) + "\n").encode(),
        filename="phieu-giay-quy-iv.csv",
    )
    campaign_services.campaign_close(actor=coordinator, campaign=last)

    # This year: a sample of the dossiers finished in the first half, a link each.
    current = campaign_services.campaign_create(
        actor=coordinator,
        owner=province,
        name=f"Khảo sát sự hài lòng 6 tháng đầu năm {year}",
        questionnaire=sipas,
        period_start=start,
        period_end=max(start, end),
        mode=Campaign.Mode.SAMPLED,
        sample_sizes={u: SAMPLE for u in units},
        seed=year,
    )
    campaign_services.sample_draw(actor=coordinator, campaign=current)
    issued = campaign_services.links_issue(actor=coordinator, campaign=current)
    answered = 0
    for entry, token in issued:
        if rng.random() < 0.55:  # about half answer their link
            response_services.response_submit_by_token(
                token=token, answers=_answers(rng, questions, bias[entry.unit_id])
            )
            answered += 1
    for u in units[:4]:  # and some paper forms typed in at the counter
        for i in range(5):
            response_services.response_enter_paper(
                actor=coordinator,
                campaign=current,
                unit=u,
                answers=_answers(rng, questions, bias[u.pk]),
                form_code=f"G-{u.code}-{i + 1:02d}",
            )
    campaign_services.campaign_close(actor=coordinator, campaign=current)
    return {"campaigns": 2, "responses": imported + answered + 20, "links": len(issued)}
