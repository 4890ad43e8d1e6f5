"""Save an imported plan as a DRAFT, through the plan services, in one transaction.

Lead and coordinating bodies are resolved within the issuer's province (UnitResolver). A task
whose lead names no unit that can be found is still saved — with the issuer as its lead unit and
the lead text as written — and reported in the warnings, so that a person chooses the right unit:
nothing is guessed silently. Targets and tasks the services refuse (a percentage above 100, …)
are skipped and reported too; any other error undoes the whole import.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cchc.core.actors import Actor
from cchc.core.errors import ServiceError
from cchc.orgs.models import Unit
from cchc.orgs.resolve import UnitResolver, resolved_units
from cchc.plans import services
from cchc.plans.models import Plan, PlanKind, ReformArea
from cchc.plans.observers import publish_targets_imported

from .model import ImportedTask, StructuredPlan
from .vocab import area_of_text

FALLBACK_AREA = ReformArea.CHI_DAO_DIEU_HANH


def default_title(structured: StructuredPlan) -> str:
    period = structured.get("period")
    start, end = (period["from_year"], period["to_year"]) if period else (None, None)
    when = f"năm {start}" if start == end else f"giai đoạn {start}–{end}"
    title = f"Kế hoạch cải cách hành chính {when}"
    if structured.get("issuer"):
        title += f" của {structured['issuer']}"
    return title


def _message(exc: ServiceError) -> str:
    return "; ".join(" ".join(str(m).split()) for m in exc.messages)


def _label(task: ImportedTask, position: int) -> str:
    content = " ".join((task.get("content") or "").split())
    short = content if len(content) <= 80 else content[:77] + "…"
    return f"Nhiệm vụ {task.get('stt') or f'#{position}'} “{short}”"


@transaction.atomic
def plan_import_save(
    *,
    actor: Actor,
    issuer: Unit,
    structured: StructuredPlan,
    parent: Plan | None = None,
    title: str | None = None,
) -> tuple[Plan, list[str]]:
    """Create the draft plan with its targets and tasks; returns (plan, warnings)."""
    period = structured.get("period")
    start, end = (period["from_year"], period["to_year"]) if period else (None, None)
    if not start or not end:
        raise ServiceError(
            "Không xác định được kỳ của kế hoạch (năm bắt đầu, năm kết thúc).", code="plan_period_unknown"
        )
    kind = structured.get("kind") or PlanKind.ANNUAL
    if kind == PlanKind.ANNUAL and end != start:
        kind = PlanKind.MULTI_YEAR
    issued = structured.get("issued_date")
    plan = services.plan_create(
        actor=actor,
        issuer=issuer,
        title=(title or structured.get("title") or default_title(structured))[:500],
        from_year=start,
        to_year=end,
        kind=kind,
        number=(structured.get("number") or "")[:64],
        issued_on=dt.date.fromisoformat(issued) if issued else None,
        parent=parent,
    )
    warnings: list[str] = []
    for i, target in enumerate(structured.get("targets") or [], start=1):
        year = target.get("year")
        try:
            services.target_save(
                actor=actor,
                plan=plan,
                text=target.get("text") or "",
                area=target.get("area") or "",
                comparator=target.get("comparator") or "=",
                value=target.get("value"),
                unit_of_measure=(target.get("unit") or "%")[:32],
                year=year if year and start <= year <= end else None,
                reduction=bool(target.get("reduction")),
                section=(target.get("section") or "")[:255],
            )
        except ServiceError as exc:
            warnings.append(
                f"Chỉ tiêu {i} “{(target.get('text') or '')[:80]}” không được lưu: {_message(exc)}"
            )

    resolver = UnitResolver(issuer.province() or issuer)
    for i, task in enumerate(structured.get("tasks") or [], start=1):
        warnings.extend(_save_task(actor, plan, issuer, resolver, task, i))
    # Suggest now which indicator measures each target; a person confirms it on the plan page.
    publish_targets_imported(actor=actor, plan=plan)
    return plan, warnings


def _save_task(
    actor: Actor, plan: Plan, issuer: Unit, resolver: UnitResolver, task: ImportedTask, position: int
) -> list[str]:
    warnings: list[str] = []
    label = _label(task, position)
    lead_names = [n for n in task.get("lead") or [] if n.strip()]
    coordinating_names = [n for n in task.get("coordinating") or [] if n.strip()]
    lead_found = resolver.resolve_many(lead_names)
    lead_units = resolved_units(lead_found)
    unresolved = [r.phrase for r in lead_found if r.how == "unresolved"]
    unsure = [r for r in lead_found if r.how == "fuzzy"]
    if not lead_units:
        shown = "; ".join(lead_names) or "(trống)"
        warnings.append(
            f"{label}: không xác định được cơ quan chủ trì “{shown}”; tạm giao {issuer.name}, cần chọn lại."
        )
        lead_units = [issuer]
    elif unresolved:
        warnings.append(
            f"{label}: không xác định được cơ quan chủ trì “{'; '.join(unresolved)}”, cần bổ sung."
        )
    for r in unsure:
        warnings.append(f"{label}: cơ quan chủ trì “{r.phrase}” — {r.note}.")
    coord_found = resolver.resolve_many(coordinating_names)
    coordinating_units = [u for u in resolved_units(coord_found) if u.pk not in {x.pk for x in lead_units}]
    missing = [r.phrase for r in coord_found if r.how == "unresolved"]
    if missing:
        warnings.append(f"{label}: không xác định được cơ quan phối hợp “{'; '.join(missing)}”, cần bổ sung.")
    for r in coord_found:
        if r.how == "fuzzy":
            warnings.append(f"{label}: cơ quan phối hợp “{r.phrase}” — {r.note}.")
    area = task.get("area") or area_of_text(task.get("content") or "")
    if area not in ReformArea.values:
        warnings.append(
            f"{label}: chưa xác định được lĩnh vực cải cách; tạm xếp vào “{FALLBACK_AREA.label}”."
        )
        area = FALLBACK_AREA
    try:
        services.task_save(
            actor=actor,
            plan=plan,
            content=task.get("content") or "",
            area=area,
            lead_units=lead_units,
            coordinating_units=coordinating_units,
            number=(task.get("stt") or "")[:16],
            group=(task.get("group") or "")[:255],
            output=task.get("output") or "",
            note="; ".join(
                x for x in (task.get("note"), task.get("target") and f"Mục tiêu: {task['target']}") if x
            ),
            lead_text="; ".join(lead_names),
            coordinating_text="; ".join(coordinating_names),
            deadline_text=(task.get("deadline") or "")[:255],
        )
    except ServiceError as exc:
        warnings.append(f"{label} không được lưu: {_message(exc)}")
    return warnings
