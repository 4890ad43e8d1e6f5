"""Answers: through a respondent's link, through a campaign's open link, typed in from a paper
form, imported from a file (responses.csv of docs/specs/survey-results.md, or XLSX). Each is one
transaction: a bad value refuses the whole response (or the whole file), nothing half-saved."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cchc.core.actors import CITIZEN, Actor
from cchc.core.audit import audit_record
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.core.text import nfc
from cchc.orgs.access import Access, require_manager
from cchc.orgs.models import Unit, user_of

from .. import files, formulas, tallies
from ..models import Answer, Campaign, Kind, Question, Response, SampleEntry
from .campaigns import token_hash

MAX_TEXT = 2000
MAX_IMPORT_ERRORS = 50  # listed in the message; the rest counted


@dataclass(frozen=True)
class Checked:
    question: Question
    score: int | None
    text: str


def questions_of(campaign: Campaign) -> dict[str, Question]:
    return {q.code: q for q in campaign.questionnaire.questions.select_related("section").order_by("order")}


def check_answers(campaign: Campaign, raw: Mapping[str, str]) -> list[Checked]:
    """The answers of one response (question code → value as typed); ServiceError naming the
    question for a value out of range, an unknown choice or an unknown question."""
    questions = questions_of(campaign)
    checked: list[Checked] = []
    for code, value in raw.items():
        question = questions.get(code)
        if question is None:
            raise ServiceError(f"Câu hỏi “{code}” không có trong phiếu.", code="survey_question_unknown")
        value = " ".join(nfc(value or "").split()) if question.kind != Kind.TEXT else nfc(value or "").strip()
        if not value:
            continue
        if question.kind == Kind.SCALE:
            try:
                score = formulas.scale_value(value)
            except ValueError:
                raise ServiceError(
                    {code: f"Câu {code}: chọn một mức từ 1 đến 5 (nhận được “{value[:20]}”)."},
                    code="survey_value_invalid",
                ) from None
            checked.append(Checked(question, score, ""))
        elif question.kind == Kind.CHOICE:
            if question.choice_list and value not in question.choice_list:
                raise ServiceError(
                    {code: f"Câu {code}: “{value[:60]}” không phải một lựa chọn của câu hỏi."},
                    code="survey_value_invalid",
                )
            checked.append(Checked(question, None, value))
        else:
            if len(value) > MAX_TEXT:
                raise ServiceError({code: f"Ý kiến dài quá {MAX_TEXT} ký tự."}, code="survey_value_invalid")
            checked.append(Checked(question, None, value))
    if not checked:
        raise ServiceError("Phiếu chưa có câu trả lời nào.", code="survey_response_empty")
    return checked


def _save(
    campaign: Campaign,
    unit: Unit,
    channel: str,
    answers: list[Checked],
    *,
    form_code: str = "",
    entered_by=None,
) -> Response:
    response = Response.objects.create(
        campaign=campaign, unit=unit, channel=channel, form_code=form_code, entered_by=entered_by
    )
    Answer.objects.bulk_create(_answer(response, a) for a in answers)
    tallies.add(campaign, unit, [(a.question.section.code, a.score) for a in answers if a.score is not None])
    return response


def _answer(response: Response, a: Checked) -> Answer:
    """The answer row, with the response's campaign and unit and the question's element repeated
    on it (the recount reads them without joins)."""
    return Answer(
        response=response,
        question=a.question,
        score=a.score,
        text=a.text,
        campaign_id=response.campaign_id,
        unit_id=response.unit_id,
        element=a.question.section.code,
    )


def _open(campaign: Campaign) -> None:
    """Refuse a closed campaign (read again: the caller's object may be older than the close)."""
    if not Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.OPEN).exists():
        raise ServiceError("Đợt khảo sát đã kết thúc, không nhận thêm phiếu.", code="survey_campaign_closed")


def entry_for_token(token: str) -> SampleEntry | None:
    if not token or len(token) > 100:
        return None
    return SampleEntry.objects.select_related("campaign", "unit").filter(token_hash=token_hash(token)).first()


@transaction.atomic
def response_submit_by_token(*, token: str, answers: Mapping[str, str]) -> Response:
    """A respondent's answer through their own link: once per token."""
    entry = entry_for_token(token)
    if entry is None:
        raise ServiceError("Đường dẫn khảo sát không đúng hoặc đã hết hiệu lực.", code="survey_token_invalid")
    entry = SampleEntry.objects.select_for_update().select_related("campaign", "unit").get(pk=entry.pk)
    if entry.used_at is not None:
        raise ServiceError("Phiếu khảo sát của đường dẫn này đã được gửi.", code="survey_token_used")
    _open(entry.campaign)
    checked = check_answers(entry.campaign, answers)
    entry.used_at = timezone.now()
    entry.save(update_fields=["used_at"])
    response = _save(entry.campaign, entry.unit, Response.Channel.LINK, checked)
    audit_record(actor=CITIZEN, action="survey.response_submit", obj=response, unit=entry.unit)
    return response


@transaction.atomic
def response_submit_open(*, campaign: Campaign, unit: Unit, answers: Mapping[str, str]) -> Response:
    """An answer through a campaign's open link (the respondent picks the unit)."""
    if campaign.mode != Campaign.Mode.OPEN:
        raise ServiceError(
            "Đợt khảo sát này chỉ nhận phiếu qua đường dẫn riêng.", code="survey_token_invalid"
        )
    _open(campaign)
    if not campaign.targets.filter(unit=unit).exists():
        raise ServiceError({"unit": "Chọn một cơ quan, đơn vị của đợt khảo sát."}, code="survey_unit_outside")
    response = _save(campaign, unit, Response.Channel.OPEN, check_answers(campaign, answers))
    audit_record(actor=CITIZEN, action="survey.response_submit", obj=response, unit=unit)
    return response


def can_enter(actor: Actor, campaign: Campaign, unit: Unit) -> bool:
    access = Access.for_user(actor)
    return access.can_manage_unit(campaign.owner) or access.can_report_for(unit)


@transaction.atomic
def response_enter_paper(
    *, actor: Actor, campaign: Campaign, unit: Unit, answers: Mapping[str, str], form_code: str = ""
) -> Response:
    """A paper form typed in by an officer of the unit (or the coordinator)."""
    if not can_enter(actor, campaign, unit):
        raise PermissionDenied("Bạn không có quyền nhập phiếu khảo sát của đơn vị này.")
    _open(campaign)
    if not campaign.targets.filter(unit=unit).exists():
        raise ServiceError({"unit": f"{unit} không thuộc đợt khảo sát."}, code="survey_unit_outside")
    form_code = " ".join(nfc(form_code).split())[:64]
    if form_code and campaign.responses.filter(form_code=form_code).exists():
        raise ServiceError(
            {"form_code": f"Mã phiếu “{form_code}” đã được nhập."}, code="survey_form_duplicate"
        )
    response = _save(
        campaign,
        unit,
        Response.Channel.PAPER,
        check_answers(campaign, answers),
        form_code=form_code,
        entered_by=user_of(actor),
    )
    audit_record(actor=actor, action="survey.response_enter", obj=response, unit=unit)
    return response


@transaction.atomic
def responses_import(
    *, actor: Actor, campaign: Campaign, data: bytes, filename: str = "responses.csv"
) -> int:
    """Responses collected elsewhere (responses.csv columns, CSV or XLSX). Every row is checked
    first — the contract's rules, plus: the unit is one of the campaign's, the form code is new,
    a choice is one of the question's — and any error refuses the whole file, listing every
    error with its line. Returns the number of responses saved."""
    require_manager(
        actor, campaign.owner, "Chỉ cán bộ điều phối CCHC của đơn vị tổ chức được nhập tệp phiếu."
    )
    _open(campaign)
    try:
        rows = files.read_response_rows(data)
    except formulas.SurveyErrors as exc:
        raise _import_error(filename, exc.errors) from None
    questions = questions_of(campaign)
    contract = formulas.Questionnaire(
        {c: formulas.Question(c, q.section.code, q.kind) for c, q in questions.items()}
    )
    _, errors = formulas.check_responses(contract, rows)
    units = {t.unit.code: t.unit for t in campaign.targets.select_related("unit")}
    existing = set(campaign.responses.exclude(form_code="").values_list("form_code", flat=True))
    forms: dict[str, tuple[Unit, list[Checked]]] = {}
    bad_lines = {e.line for e in errors}
    for line, row in rows:
        if line in bad_lines:
            continue
        form = row["ma_phieu"].strip()
        unit = units.get(row["ma_don_vi"].strip())
        if unit is None:
            errors.append(
                formulas.SurveyError(line, f"đơn vị “{row['ma_don_vi'].strip()}” không thuộc đợt khảo sát.")
            )
            continue
        if form in existing:
            errors.append(formulas.SurveyError(line, f"phiếu “{form}” đã có trong đợt khảo sát."))
            continue
        try:
            answer = check_answers(campaign, {row["ma_cau"].strip(): row.get("gia_tri") or ""})[0]
        except ServiceError as exc:
            if exc.code == "survey_response_empty":  # a question left unanswered
                forms.setdefault(form, (unit, []))
                continue
            errors.append(formulas.SurveyError(line, "; ".join(exc.messages)))
            continue
        forms.setdefault(form, (unit, []))[1].append(answer)
    if errors:
        raise _import_error(filename, sorted(errors, key=lambda e: e.line))
    if not forms:
        raise ServiceError(f"{filename}: tệp không có phiếu nào.", code="survey_import_invalid")
    by = user_of(actor)
    created = Response.objects.bulk_create(
        Response(
            campaign=campaign, unit=unit, channel=Response.Channel.IMPORT, form_code=form[:64], entered_by=by
        )
        for form, (unit, _) in forms.items()
    )
    if any(r.pk is None for r in created):  # a backend that does not return ids (none of ours)
        created = list(campaign.responses.filter(form_code__in=[f[:64] for f in forms]).order_by("id"))
    by_unit: dict[Unit, tuple[int, list[tuple[str, int]]]] = {}
    rows_out: list[Answer] = []
    for response, (unit, answers) in zip(created, forms.values(), strict=True):
        rows_out.extend(_answer(response, a) for a in answers)
        n, scores = by_unit.get(unit, (0, []))
        scores.extend((a.question.section.code, a.score) for a in answers if a.score is not None)
        by_unit[unit] = (n + 1, scores)
    Answer.objects.bulk_create(rows_out, batch_size=5000)
    for unit, (n, scores) in by_unit.items():
        tallies.add(campaign, unit, scores, responses=n)
    audit_record(
        actor=actor,
        action="survey.responses_import",
        obj=campaign,
        unit=campaign.owner,
        after={"file": filename, "responses": len(forms), "rows": len(rows)},
    )
    return len(forms)


def _import_error(filename: str, errors: list[formulas.SurveyError]) -> ServiceError:
    shown = [f"{filename}: dòng {e.line}: {e.reason}" for e in errors[:MAX_IMPORT_ERRORS]]
    if len(errors) > MAX_IMPORT_ERRORS:
        shown.append(f"… và {len(errors) - MAX_IMPORT_ERRORS} lỗi khác.")
    return ServiceError(shown, code="survey_import_invalid")
