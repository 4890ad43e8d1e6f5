"""The draft writes itself: a report's facts, figures and prefilled narrative from the data of
its window (docs/reports.md, "Bản dự thảo tự viết").

* progress — the last accepted progress update in the window of each assignment of the unit's own
  units (the unit and the units below it that do not report on their own), read through ONE
  function, `accepted_progress`, so that what counts is decided in one place;
* targets — the targets of the plans the unit issued for the window's year, with their status
  (`cchc.targets.status`) as at the window's end;
* overdue — assignments due by the window's end not completed on time, and what falls due next;
* figures — the annex (`figures.annex_rows`);
* consolidation — for a unit others report to: their accepted reports of the same period, their
  key results quoted by heading, their figures rolled up, and the units that have not reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from cchc.core.actors import SYSTEM
from cchc.orgs.models import Unit
from cchc.plans.models import Plan, PlanStatus
from cchc.targets.status import AT_RISK, MET, NOT_MET, ON_TRACK, goal_text, target_statuses
from cchc.tracking.models import Assignment, ProgressUpdate, ReviewStatus

from . import figures, outline, windows
from .calendar import expected_reporters, reporters_for
from .models import Report

QUOTE_CHARS = 600  # a subordinate's text quoted per heading
NEXT_DAYS = 92  # "what falls due next": the quarter after the window


@dataclass
class Draft:
    sections: dict[str, str]
    annex: list[dict[str, Any]]
    facts: dict[str, Any]

    @property
    def has_data(self) -> bool:
        f = self.facts
        # a zero count is no data: an empty window counts 0 dossiers received
        has_figure = any(r["value"] is not None and Decimal(r["value"]) != 0 for r in self.annex)
        return bool(f["progress"] or f["targets"] or f["overdue"] or f["subordinates"] or has_figure)


def accepted_progress(unit_ids: Iterable[int], start: dt.date, end: dt.date) -> QuerySet[ProgressUpdate]:
    """The progress updates that count for a report: those of the units' assignments reported in
    [start, end] and accepted by the coordinator (a pending or returned update is the unit's word
    only). The one place that decides which updates count."""
    return ProgressUpdate.objects.filter(
        assignment__unit_id__in=list(unit_ids),
        reported_on__gte=start,
        reported_on__lte=end,
        review_status=ReviewStatus.ACCEPTED,
    )


def own_unit_ids(unit: Unit) -> list[int]:
    """The unit and the units below it that do not report on their own (agencies' sub-units)."""
    reporters = expected_reporters(unit)
    q = Q(path__startswith=unit.path)
    for r in reporters:
        q &= ~Q(path__startswith=r.path)
    return list(Unit.objects.filter(q).values_list("pk", flat=True))


def _progress(unit_ids: list[int], start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    updates = (
        accepted_progress(unit_ids, start, end)
        .select_related("assignment__task__plan", "assignment__unit")
        .prefetch_related("evidence")
        .order_by("assignment_id", "-reported_on", "-created_at", "-id")
    )
    latest: dict[int, ProgressUpdate] = {}
    for u in updates:
        latest.setdefault(u.assignment_id, u)
    out = []
    for u in latest.values():
        task = u.assignment.task
        out.append(
            {
                "assignment": u.assignment_id,
                "update": u.pk,
                "heading": outline.heading_of(task.area, task.group, task.content),
                "task": task.content,
                "number": task.number,
                "plan": task.plan.number or task.plan.title,
                "unit": u.assignment.unit.name,
                "percent": u.percent,
                "reported_on": u.reported_on.isoformat(),
                "narrative": u.narrative,
                "evidence": [{"id": e.pk, "name": e.original_name} for e in u.evidence.all()],
            }
        )
    out.sort(key=lambda p: (outline.KEYS.index(p["heading"]), p["plan"], p["number"], p["task"]))
    return out


def _targets(unit: Unit, year: int, end: dt.date) -> list[dict[str, Any]]:
    plans = Plan.objects.filter(
        issuer=unit, status__in=[PlanStatus.ISSUED, PlanStatus.CLOSED], from_year__lte=year, to_year__gte=year
    ).prefetch_related("targets")
    as_of = min(end, timezone.localdate())
    out = []
    for plan in plans:
        targets = [t for t in plan.targets.all() if t.year in (None, year)]
        for target, st in zip(targets, target_statuses(plan, targets, user=SYSTEM, today=as_of), strict=True):
            out.append(
                {
                    "text": target.text,
                    "goal": goal_text(target),
                    "status": st.status,
                    "label": st.label,
                    "value": st.value_label,
                    "gap": st.gap_label,
                    "plan": plan.number or plan.title,
                }
            )
    return out


def _assignments(unit_ids: list[int], end: dt.date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(overdue by the window's end, due in the quarter after it and not done)."""
    rows = Assignment.objects.filter(unit_id__in=unit_ids, task__final_due__isnull=False).select_related(
        "task", "unit"
    )
    overdue = rows.filter(task__final_due__lte=end).filter(
        Q(completed_on__isnull=True) | Q(completed_on__gt=end) | Q(completed_on__gt=F("task__final_due"))
    )
    upcoming = rows.filter(
        task__final_due__gt=end,
        task__final_due__lte=end + dt.timedelta(days=NEXT_DAYS),
        completed_on__isnull=True,
    )

    def item(a: Assignment) -> dict[str, Any]:
        done_late = a.completed_on is not None and a.completed_on <= end
        return {
            "task": a.task.content,
            "unit": a.unit.name,
            "due": a.task.final_due.isoformat() if a.task.final_due else "",
            "percent": a.percent,
            "state": "hoàn thành quá hạn" if done_late else "quá hạn",
            "heading": outline.heading_of(a.task.area, a.task.group, a.task.content),
        }

    key = lambda r: (r["due"], r["task"])  # noqa: E731
    return sorted(map(item, overdue), key=key), sorted(map(item, upcoming), key=key)


def subordinate_reports(unit: Unit, kind: str, year: int, number: int) -> list[Report]:
    return list(
        Report.objects.filter(receiver=unit, kind=kind, year=year, number=number, state=Report.State.ACCEPTED)
        .select_related("unit")
        .order_by("unit__path")
    )


def build(unit: Unit, kind: str, year: int, number: int) -> Draft:
    """The facts, figures and prefilled narrative of ``unit``'s report (not saved)."""
    window = windows.window(kind, year, number)
    own = own_unit_ids(unit)
    reporters = reporters_for(unit, kind, year)
    subs = subordinate_reports(unit, kind, year, number)
    reported = {r.unit_id for r in subs}
    overdue, upcoming = _assignments(own, window.end)
    annex = figures.annex_rows(unit, kind, year, number)
    facts: dict[str, Any] = {
        "window": {"key": window.key, "start": window.start.isoformat(), "end": window.end.isoformat()},
        "built_at": timezone.now().isoformat(),
        "progress": _progress(own, window.start, window.end),
        "targets": _targets(unit, year, window.end),
        "overdue": overdue,
        "upcoming": upcoming,
        "subordinates": [
            {
                "report": r.pk,
                "unit": r.unit.name,
                "sections": {k: r.sections.get(k, "") for k in outline.KEYS},
            }
            for r in subs
        ],
        "not_reported": [u.name for u in reporters if u.pk not in reported],
        "expected": len(reporters),
        "rollup": figures.rollup(annex, [r.annex for r in subs]) if reporters else {},
    }
    return Draft(write_sections(facts, annex), annex, facts)


# --- the narrative --------------------------------------------------------------------------


def _date(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else "—"


FIGURE_HEADINGS = {
    "thu_tuc_hanh_chinh": ("tiep_nhan", "da_giai_quyet", "dung_han", "tre_han"),
    "chinh_quyen_so": ("truc_tuyen", "thanh_toan_truc_tuyen", "so_hoa", "tai_su_dung"),
}


def write_sections(facts: dict[str, Any], annex: list[dict[str, Any]]) -> dict[str, str]:
    by_code = {r["code"]: r for r in annex}
    lines: dict[str, list[str]] = {k: [] for k in outline.KEYS}
    for heading, codes in FIGURE_HEADINGS.items():
        got = [by_code[c] for c in codes if c in by_code and by_code[c]["value"] is not None]
        if got:
            lines[heading].append(
                "Số liệu trong kỳ: " + "; ".join(f"{r['name']}: {figures.shown(r)}" for r in got) + "."
            )
    for p in facts["progress"]:
        evidence = ", ".join(e["name"] for e in p["evidence"])
        text = (
            f"- {p['task']}: {p['narrative']} (hoàn thành {p['percent']}%, cập nhật {_date(p['reported_on'])}"
        )
        text += f"; tài liệu kiểm chứng: {evidence})." if evidence else ")."
        lines[p["heading"]].append(text)
    for sub in facts["subordinates"]:
        for key in outline.KEYS:
            quoted = " ".join(sub["sections"].get(key, "").split())
            if quoted:
                cut = quoted if len(quoted) <= QUOTE_CHARS else quoted[: QUOTE_CHARS - 1] + "…"
                lines[key].append(f"- {sub['unit']}: {cut}")
    for t in facts["targets"]:
        line = f"- Chỉ tiêu “{t['text']}” ({t['goal']}): {t['label'].lower()}, giá trị {t['value']}."
        if t["status"] in (MET, ON_TRACK):
            lines["uu_diem"].append(line)
        elif t["status"] in (AT_RISK, NOT_MET):
            lines["ton_tai"].append(line)
    for o in facts["overdue"]:
        lines["ton_tai"].append(
            f"- Nhiệm vụ {o['state']}: {o['task']} ({o['unit']}, hạn {_date(o['due'])}, đạt {o['percent']}%)."
        )
    if facts["not_reported"]:
        lines["ton_tai"].append("- Đơn vị chưa gửi báo cáo: " + ", ".join(facts["not_reported"]) + ".")
    for u in facts["upcoming"]:
        lines["phuong_huong"].append(f"- {u['task']} ({u['unit']}, hạn {_date(u['due'])}).")
    return {k: "\n".join(v) for k, v in lines.items()}
