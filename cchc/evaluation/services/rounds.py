"""An assessment round, from opening to publication (docs/par-index.md, "Đợt đánh giá").

    round_open → (per unit) score_save, evidence_add … participant_submit
               → score_appraise … [clarification_request → clarification_answer] → participant_finalise
    → round_finalise → round_publish

Every state change is one transaction with one audit row. A unit's self-assessment is written
only by the unit's own people, and only while it is a draft; the council appraises only what was
submitted, asks for clarification at most once per unit, and the unit answers once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from cchc.core.actors import Actor
from cchc.core.audit import audit_record, snapshot
from cchc.core.errors import ServiceError
from cchc.core.text import nfc
from cchc.core.uploads import check_upload
from cchc.orgs.models import Unit, user_of

from ..computed import computed
from ..models import Criterion, Evidence, Framework, Group, Method, Participant, Round, Score, group_of
from ..permissions import require_council, require_self_assessor

MAX_TEXT = 4000
SELF_SCORED = (Method.SELF, Method.BONUS, Method.DEDUCTION)
SCORE_FIELDS = ["self_points", "explanation", "appraised_points", "appraisal_reason", "question", "answer"]


def leaves_for(framework: Framework, group: str) -> list[Criterion]:
    return [c for c in framework.criteria.filter(is_leaf=True).order_by("sort_key") if c.applies(group)]


def _points(value, criterion: Criterion, field: str) -> Decimal | None:
    """A score as a Decimal in [0, max] with at most 2 decimals; None for empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        points = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ServiceError(
            {field: f"Tiêu chí {criterion.code}: “{value}” không phải là số."}, code="points_not_a_number"
        ) from None
    if not points.is_finite() or points != points.quantize(Decimal("0.01")):
        raise ServiceError(
            {field: f"Tiêu chí {criterion.code}: điểm ghi tối đa 2 chữ số thập phân."},
            code="points_too_precise",
        )
    top = criterion.max_points if criterion.max_points is not None else Decimal(0)  # a leaf always has one
    if points < 0 or points > top:
        raise ServiceError(
            {field: f"Tiêu chí {criterion.code}: điểm phải từ 0 đến {top:f} (đã ghi {points:f})."},
            code="points_out_of_range",
        )
    return points


def _text(value: str | None, field: str) -> str:
    text = "\n".join(nfc(line) for line in (value or "").splitlines()).strip()
    if len(text) > MAX_TEXT:
        raise ServiceError(
            {field: f"Nội dung quá dài (tối đa {MAX_TEXT:,} ký tự).".replace(",", ".")}, code="text_too_long"
        )
    return text


def _locked(participant: Participant) -> Participant:
    return (
        Participant.objects.select_for_update(of=("self",))
        .select_related("round__framework", "round__unit", "unit")
        .get(pk=participant.pk)
    )


# --- opening ---------------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *,
    actor: Actor,
    framework: Framework,
    title: str,
    units: Sequence[Unit],
    self_due: dt.date,
    appraisal_due: dt.date,
) -> Round:
    """Open a round of an issued framework for ``units`` (agencies and/or communes of the
    framework's unit): one participant per unit with an empty score per leaf that applies to its
    group, the `du_lieu` leaves pre-filled from the system's data."""
    round_ = Round(
        framework=framework,
        unit=framework.unit,
        title=nfc(title),
        self_due=self_due,
        appraisal_due=appraisal_due,
    )
    require_council(actor, round_)
    errors: dict[str, str] = {}
    if framework.status != Framework.Status.ISSUED:
        errors["framework"] = "Bộ chỉ số chưa ban hành: ban hành trước khi mở đợt đánh giá."
    if not round_.title:
        errors["title"] = "Ghi tên đợt đánh giá."
    if appraisal_due < self_due:
        errors["appraisal_due"] = "Hạn thẩm định phải sau hạn tự đánh giá."
    units = list(dict.fromkeys(units))
    if not units:
        errors["units"] = "Chọn ít nhất một đơn vị được đánh giá."
    outside = [
        u.name for u in units if u.pk == framework.unit_id or not u.path.startswith(framework.unit.path)
    ]
    if outside:
        errors["units"] = f"Không thuộc {framework.unit}: {', '.join(outside[:5])}."
    wrong = [u.name for u in units if framework.group and group_of(u) != framework.group]
    if wrong:
        errors["units"] = (
            f"Bộ chỉ số dành cho {Group(framework.group).label.lower()}: {', '.join(wrong[:5])}."
        )
    if errors:
        raise ServiceError(errors, code="round_invalid")
    round_.created_by = user_of(actor)
    round_.save()
    leaves = {g: leaves_for(framework, g) for g in Group.values}
    for unit in units:
        participant = Participant.objects.create(round=round_, unit=unit)
        mine = leaves[group_of(unit)]
        scores = [Score(participant=participant, criterion=c) for c in mine]
        data_leaves = [c for c in mine if c.method == Method.DATA]
        figures = computed(data_leaves, unit, framework.year) if data_leaves else {}
        for score in scores:
            found = figures.get(score.criterion_id)
            if found is not None and found.points is not None:
                score.appraised_points, score.computed_value = found.points, found.value
        Score.objects.bulk_create(scores)
    audit_record(
        actor=actor,
        action="par.round_open",
        obj=round_,
        unit=framework.unit,
        after=snapshot(round_) | {"units": [u.pk for u in units]},
    )
    return round_


@transaction.atomic
def computed_refresh(*, actor: Actor, participant: Participant) -> int:
    """Recompute the `du_lieu` points of a participant from today's data (before finalising)."""
    participant = _locked(participant)
    require_council(actor, participant.round)
    if participant.state == Participant.State.FINALISED:
        raise ServiceError(
            "Đơn vị đã thẩm định xong; không tính lại điểm từ dữ liệu.", code="participant_finalised"
        )
    scores = list(participant.scores.select_related("criterion").filter(criterion__method=Method.DATA))
    figures = computed([s.criterion for s in scores], participant.unit, participant.round.framework.year)
    changed = 0
    for s in scores:
        found = figures[s.criterion_id]
        if found.points is not None and (found.points, found.value) != (s.appraised_points, s.computed_value):
            s.appraised_points, s.computed_value = found.points, found.value
            s.save(update_fields=["appraised_points", "computed_value", "updated_at"])
            changed += 1
    audit_record(
        actor=actor,
        action="par.computed_refresh",
        obj=participant,
        unit=participant.unit,
        after={"changed": changed},
    )
    return changed


# --- self-assessment ---------------------------------------------------------------------------


@transaction.atomic
def score_save(
    *, actor: Actor, participant: Participant, criterion: Criterion, self_points, explanation: str = ""
) -> Score:
    """The unit's own score of a leaf, with its explanation (a draft until submitted)."""
    participant = _locked(participant)
    require_self_assessor(actor, participant)
    if participant.state != Participant.State.DRAFT:
        raise ServiceError(
            "Bản tự đánh giá đã nộp; không sửa được điểm tự chấm.", code="assessment_submitted"
        )
    score = Score.objects.select_for_update().filter(participant=participant, criterion=criterion).first()
    if score is None:
        raise ServiceError(
            {"criterion": f"Tiêu chí {criterion.code} không áp dụng cho {participant.unit}."},
            code="criterion_not_applicable",
        )
    if criterion.method not in SELF_SCORED:
        raise ServiceError(
            {
                "self_points": f"Tiêu chí {criterion.code} được tính từ {Method(criterion.method).label.lower()}, đơn vị không tự chấm."
            },
            code="criterion_not_self_scored",
        )
    before = snapshot(score, SCORE_FIELDS)
    score.self_points = _points(self_points, criterion, "self_points")
    score.explanation = _text(explanation, "explanation")
    score.save()
    audit_record(
        actor=actor,
        action="par.score_save",
        obj=participant,
        unit=participant.unit,
        before={criterion.code: before},
        after={criterion.code: snapshot(score, SCORE_FIELDS)},
    )
    return score


@transaction.atomic
def evidence_add(
    *, actor: Actor, score: Score, label: str = "", upload=None, url: str = "", progress=None
) -> Evidence:
    """Attach one proof to a score: a file (checked like every upload), a link, or a progress
    update already in the system (its evidence files are reused, not uploaded again)."""
    participant = _locked(score.participant)
    require_self_assessor(actor, participant)
    if participant.state not in (Participant.State.DRAFT, Participant.State.CLARIFY):
        raise ServiceError(
            "Chỉ bổ sung tài liệu khi đang tự chấm hoặc khi được đề nghị giải trình.",
            code="assessment_locked",
        )
    given = [x for x in (upload, (url or "").strip(), progress) if x]
    if len(given) != 1:
        raise ServiceError(
            {"evidence": "Chọn một tài liệu: tệp, đường dẫn hoặc báo cáo tiến độ đã có."},
            code="evidence_one_kind",
        )
    evidence = Evidence(score=score, added_by=user_of(actor))
    if upload:
        checked = check_upload(upload)
        evidence.label = _text(label, "label")[:255] or checked.name
        evidence.size, evidence.sha256 = checked.size, checked.sha256
        evidence.file.save(checked.name, checked.upload, save=False)
    elif progress:
        if progress.assignment.unit_id != participant.unit_id:
            raise ServiceError(
                {"evidence": "Báo cáo tiến độ phải là của chính đơn vị."}, code="evidence_not_own"
            )
        evidence.progress = progress
        evidence.label = (
            _text(label, "label")[:255] or f"Báo cáo tiến độ: {progress.assignment.task.content[:200]}"
        )
    else:
        url = url.strip()
        if not url.startswith(("https://", "http://")) or len(url) > 500:
            raise ServiceError(
                {"evidence": "Đường dẫn phải bắt đầu bằng http:// hoặc https:// (tối đa 500 ký tự)."},
                code="evidence_url_invalid",
            )
        evidence.url = url
        evidence.label = _text(label, "label")[:255] or url[:255]
    evidence.save()
    audit_record(
        actor=actor,
        action="par.evidence_add",
        obj=participant,
        unit=participant.unit,
        after={
            "criterion": score.criterion.code,
            "label": evidence.label,
            "file": evidence.file.name or None,
            "url": evidence.url or None,
            "progress": evidence.progress_id,
        },
    )
    return evidence


@transaction.atomic
def evidence_remove(*, actor: Actor, evidence: Evidence) -> None:
    participant = _locked(evidence.score.participant)
    require_self_assessor(actor, participant)
    if participant.state not in (Participant.State.DRAFT, Participant.State.CLARIFY):
        raise ServiceError("Bản tự đánh giá đã nộp; không gỡ được tài liệu.", code="assessment_locked")
    audit_record(
        actor=actor,
        action="par.evidence_remove",
        obj=participant,
        unit=participant.unit,
        before={"criterion": evidence.score.criterion.code, "label": evidence.label},
    )
    if evidence.file:
        evidence.file.delete(save=False)
    evidence.delete()


def missing_for_submission(participant: Participant) -> list[str]:
    """What keeps the self-assessment from being submitted, one line per sub-criterion."""
    problems = []
    scores = (
        participant.scores.select_related("criterion")
        .prefetch_related("evidence")
        .order_by("criterion__sort_key")
    )
    for s in scores:
        c = s.criterion
        if c.method == Method.SELF and s.self_points is None:
            problems.append(f"{c.code}: chưa tự chấm điểm.")
            continue
        if c.method in SELF_SCORED and s.self_points and not s.explanation:
            problems.append(f"{c.code}: thiếu giải trình cho {s.self_points:f} điểm tự chấm.")
        if (
            c.method in (Method.SELF, Method.BONUS)
            and s.self_points
            and c.evidence_required
            and not s.evidence.all()
        ):
            problems.append(f"{c.code}: thiếu tài liệu kiểm chứng ({c.evidence_required[:120]}).")
    return problems


@transaction.atomic
def participant_submit(*, actor: Actor, participant: Participant) -> Participant:
    participant = _locked(participant)
    require_self_assessor(actor, participant)
    if participant.state != Participant.State.DRAFT:
        raise ServiceError("Bản tự đánh giá đã được nộp.", code="assessment_submitted")
    problems = missing_for_submission(participant)
    if problems:
        raise ServiceError(
            {"__all__": ["Chưa nộp được: còn thiếu ở các tiêu chí sau.", *problems]},
            code="assessment_incomplete",
        )
    before = snapshot(participant)
    participant.state = Participant.State.SUBMITTED
    participant.submitted_at = timezone.now()
    participant.submitted_by = user_of(actor)
    participant.save()
    audit_record(
        actor=actor,
        action="par.submit",
        obj=participant,
        unit=participant.unit,
        before=before,
        after=snapshot(participant),
    )
    return participant


# --- appraisal ---------------------------------------------------------------------------------


APPRAISABLE = (Participant.State.SUBMITTED, Participant.State.CLARIFY, Participant.State.ANSWERED)


@transaction.atomic
def score_appraise(
    *, actor: Actor, participant: Participant, criterion: Criterion, points, reason: str = ""
) -> Score:
    """The council's score of a leaf; a reason is required when it differs from the unit's."""
    participant = _locked(participant)
    require_council(actor, participant.round)
    if participant.state not in APPRAISABLE:
        raise ServiceError(
            "Chỉ thẩm định bản tự đánh giá đã nộp và chưa chốt kết quả.", code="assessment_not_appraisable"
        )
    score = Score.objects.select_for_update().filter(participant=participant, criterion=criterion).first()
    if score is None:
        raise ServiceError(
            {"criterion": f"Tiêu chí {criterion.code} không áp dụng cho {participant.unit}."},
            code="criterion_not_applicable",
        )
    before = snapshot(score, SCORE_FIELDS)
    value = _points(points, criterion, "appraised_points")
    reason = _text(reason, "appraisal_reason")
    if (
        value is not None
        and criterion.method in SELF_SCORED
        and value != (score.self_points or 0)
        and not reason
    ):
        raise ServiceError(
            {
                "appraisal_reason": f"Tiêu chí {criterion.code}: ghi lý do điều chỉnh từ {score.self_points or 0:f} xuống/lên {value:f} điểm."
            },
            code="appraisal_reason_required",
        )
    score.appraised_points, score.appraisal_reason = value, reason
    score.save()
    audit_record(
        actor=actor,
        action="par.appraise",
        obj=participant,
        unit=participant.unit,
        before={criterion.code: before},
        after={criterion.code: snapshot(score, SCORE_FIELDS)},
    )
    return score


@transaction.atomic
def clarification_request(
    *, actor: Actor, participant: Participant, questions: Mapping[Criterion, str]
) -> Participant:
    """Ask the unit to explain some sub-criteria — once per unit and round."""
    participant = _locked(participant)
    require_council(actor, participant.round)
    if participant.state != Participant.State.SUBMITTED:
        raise ServiceError(
            "Chỉ đề nghị giải trình một lần, với bản tự đánh giá đã nộp.", code="clarification_once"
        )
    asked = {c: _text(q, "question") for c, q in questions.items() if (q or "").strip()}
    if not asked:
        raise ServiceError(
            {"question": "Ghi nội dung đề nghị giải trình cho ít nhất một tiêu chí."},
            code="clarification_empty",
        )
    for criterion, question in asked.items():
        updated = Score.objects.filter(participant=participant, criterion=criterion).update(question=question)
        if not updated:
            raise ServiceError(
                {"question": f"Tiêu chí {criterion.code} không áp dụng cho {participant.unit}."},
                code="criterion_not_applicable",
            )
    participant.state = Participant.State.CLARIFY
    participant.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="par.clarify_request",
        obj=participant,
        unit=participant.unit,
        after={c.code: q for c, q in asked.items()},
    )
    return participant


@transaction.atomic
def clarification_answer(
    *, actor: Actor, participant: Participant, answers: Mapping[Criterion, str]
) -> Participant:
    """The unit's one answer to the council's questions (every question answered)."""
    participant = _locked(participant)
    require_self_assessor(actor, participant)
    if participant.state != Participant.State.CLARIFY:
        raise ServiceError("Không có đề nghị giải trình đang chờ trả lời.", code="clarification_not_pending")
    asked = list(participant.scores.select_related("criterion").exclude(question=""))
    given = {c.pk: _text(a, "answer") for c, a in answers.items()}
    missing = [s.criterion.code for s in asked if not given.get(s.criterion_id)]
    if missing:
        raise ServiceError(
            {"answer": f"Chưa giải trình các tiêu chí: {', '.join(missing)}."},
            code="clarification_unanswered",
        )
    for s in asked:
        s.answer = given[s.criterion_id]
        s.save(update_fields=["answer", "updated_at"])
    participant.state = Participant.State.ANSWERED
    participant.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="par.clarify_answer",
        obj=participant,
        unit=participant.unit,
        after={s.criterion.code: s.answer for s in asked},
    )
    return participant


@transaction.atomic
def participant_finalise(*, actor: Actor, participant: Participant) -> Participant:
    participant = _locked(participant)
    require_council(actor, participant.round)
    if participant.state == Participant.State.CLARIFY:
        raise ServiceError(
            "Đơn vị chưa giải trình; chờ giải trình trước khi chốt kết quả.", code="clarification_pending"
        )
    if participant.state not in (Participant.State.SUBMITTED, Participant.State.ANSWERED):
        raise ServiceError("Chỉ chốt kết quả của bản tự đánh giá đã nộp.", code="assessment_not_submitted")
    before = snapshot(participant)
    participant.state = Participant.State.FINALISED
    participant.finalised_at = timezone.now()
    participant.save()
    audit_record(
        actor=actor,
        action="par.finalise",
        obj=participant,
        unit=participant.unit,
        before=before,
        after=snapshot(participant),
    )
    return participant


@transaction.atomic
def round_finalise(*, actor: Actor, round_: Round) -> Round:
    """Close the appraisal: every participant finalised (a unit that never submitted keeps the
    points it has — the computed and survey ones — and 0 for the rest, and is finalised so)."""
    round_ = Round.objects.select_for_update().select_related("unit").get(pk=round_.pk)
    require_council(actor, round_)
    if round_.state not in (Round.State.OPEN, Round.State.APPRAISING):
        raise ServiceError("Đợt đánh giá đã chốt kết quả.", code="round_finalised")
    pending = round_.participants.filter(
        state__in=[Participant.State.SUBMITTED, Participant.State.CLARIFY, Participant.State.ANSWERED]
    )
    if pending.exists():
        names = ", ".join(p.unit.name for p in pending.select_related("unit")[:5])
        raise ServiceError(
            f"Còn đơn vị đang thẩm định: {names}. Chốt kết quả từng đơn vị trước.",
            code="round_appraisal_pending",
        )
    now = timezone.now()
    never = list(
        round_.participants.filter(state=Participant.State.DRAFT).values_list("unit__name", flat=True)
    )
    round_.participants.filter(state=Participant.State.DRAFT).update(
        state=Participant.State.FINALISED, finalised_at=now
    )
    before = snapshot(round_)
    round_.state = Round.State.FINALISED
    round_.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="par.round_finalise",
        obj=round_,
        unit=round_.unit,
        before=before,
        after=snapshot(round_) | {"not_submitted": never},
    )
    return round_


@transaction.atomic
def round_publish(*, actor: Actor, round_: Round) -> Round:
    round_ = Round.objects.select_for_update().select_related("unit").get(pk=round_.pk)
    require_council(actor, round_)
    if round_.state != Round.State.FINALISED:
        raise ServiceError("Chỉ công bố đợt đánh giá đã chốt kết quả.", code="round_not_finalised")
    before = snapshot(round_)
    round_.state, round_.published_at = Round.State.PUBLISHED, timezone.now()
    round_.save(update_fields=["state", "published_at"])
    audit_record(
        actor=actor, action="par.publish", obj=round_, unit=round_.unit, before=before, after=snapshot(round_)
    )
    return round_


# --- survey share ------------------------------------------------------------------------------


@transaction.atomic
def survey_scores_import(*, actor: Actor, round_: Round, rows: Iterable[tuple[int, str, str, str]]) -> int:
    """Survey points (method `khao_sat`) for the round's units from a file's rows
    (line, unit code, leaf code, points): every row checked first, all saved or none."""
    round_ = Round.objects.select_for_update().select_related("unit", "framework").get(pk=round_.pk)
    require_council(actor, round_)
    if round_.state not in (Round.State.OPEN, Round.State.APPRAISING):
        raise ServiceError("Đợt đánh giá đã chốt kết quả; không nhập điểm khảo sát.", code="round_finalised")
    participants = {p.unit.code: p for p in round_.participants.select_related("unit")}
    leaves = {c.code: c for c in round_.framework.criteria.filter(is_leaf=True)}
    errors, updates, seen = [], [], set()
    for line, unit_code, code, value in rows:
        p, c = participants.get(unit_code.strip()), leaves.get(code.strip())
        if p is None:
            errors.append(f"dòng {line}: đơn vị “{unit_code}” không thuộc đợt đánh giá.")
            continue
        if c is None or c.method != Method.SURVEY:
            errors.append(f"dòng {line}: “{code}” không phải tiêu chí khảo sát của bộ chỉ số.")
            continue
        if not c.applies(group_of(p.unit)):
            errors.append(f"dòng {line}: tiêu chí {code} không áp dụng cho {p.unit.name}.")
            continue
        if (p.pk, c.pk) in seen:
            errors.append(f"dòng {line}: {unit_code} — {code} lặp lại.")
            continue
        seen.add((p.pk, c.pk))
        if p.state == Participant.State.FINALISED:
            errors.append(f"dòng {line}: {p.unit.name} đã chốt kết quả.")
            continue
        try:
            updates.append((p, c, _points(value, c, "points")))
        except ServiceError as exc:
            errors.append(f"dòng {line}: {exc.messages[0]}")
    if errors:
        raise ServiceError({"file": errors}, code="survey_file_invalid")
    for p, c, points in updates:
        Score.objects.filter(participant=p, criterion=c).update(
            appraised_points=points, updated_at=timezone.now()
        )
    audit_record(
        actor=actor, action="par.survey_import", obj=round_, unit=round_.unit, after={"rows": len(updates)}
    )
    return len(updates)


# --- a whole page at once ----------------------------------------------------------------------


def _each(participant: Participant, items, save) -> int:
    """Run ``save(criterion, *values)`` for every changed leaf; every error collected with its
    code, and all saved or none (the caller's transaction)."""
    errors: list[str] = []
    saved = 0
    for criterion, *values in items:
        try:
            save(criterion, *values)
            saved += 1
        except ServiceError as exc:
            errors.extend(
                f"{criterion.code}: {m}" if not m.startswith("Tiêu chí") else m for m in exc.messages
            )
    if errors:
        raise ServiceError({"__all__": errors}, code="scores_invalid")
    return saved


def _changed(
    participant: Participant, values: Sequence[tuple[Criterion, str, str]], points: str, text: str
) -> list[tuple[Criterion, str, str]]:
    """The form's rows whose points or text differ from what is stored (fields ``points``, ``text``)."""
    current = {s.criterion_id: s for s in participant.scores.all()}
    return [
        (c, p, t)
        for c, p, t in values
        if c.pk in current
        and (
            _as_text(getattr(current[c.pk], points)) != (p or "").strip()
            or getattr(current[c.pk], text) != _text(t, text)
        )
    ]


@transaction.atomic
def self_scores_save(
    *, actor: Actor, participant: Participant, values: Sequence[tuple[Criterion, str, str]]
) -> int:
    """The unit's scores of several leaves from one form: (criterion, points, explanation)."""
    return _each(
        participant,
        _changed(participant, values, "self_points", "explanation"),
        lambda c, p, e: score_save(
            actor=actor, participant=participant, criterion=c, self_points=p, explanation=e
        ),
    )


@transaction.atomic
def appraisals_save(
    *, actor: Actor, participant: Participant, values: Sequence[tuple[Criterion, str, str]]
) -> int:
    """The council's scores of several leaves from one form: (criterion, points, reason)."""
    return _each(
        participant,
        _changed(participant, values, "appraised_points", "appraisal_reason"),
        lambda c, p, r: score_appraise(actor=actor, participant=participant, criterion=c, points=p, reason=r),
    )


def _as_text(value: Decimal | None) -> str:
    """A stored score as the form shows it (7.50 → "7.5")."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
